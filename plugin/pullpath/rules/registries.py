"""Registries whose network settings their SKU refuses: PP901.

Network restrictions and private endpoints are Premium features: the provider refuses to disable
public access or set a network rule set on Basic and Standard, and Azure refuses a private endpoint
to them. The registry is the subject of the finding; a Premium registry gets none (there is no
pull path to pass), nor does a registry the input only reads (a data source).
"""

from __future__ import annotations

from collections.abc import Iterator

from pullpath import resource_types as rt
from pullpath.model import Cite, Evidence, Finding, Model, Registry, Verdict, Workload, WorkloadKind, cited
from pullpath.rules import sources
from pullpath.rules.base import Rule
from pullpath.rules.examples import registries as examples
from pullpath.rules.placement import endpoint_evidence, endpoint_names, registry_endpoints

PP901 = Rule(
    id="PP901",
    slug="registry-restriction-below-premium",
    title="Registry has a network restriction or a private endpoint on a SKU below Premium",
    topic="Registry SKU for network restrictions and private endpoints",
    severity="HIGH",
    resource_types=rt.REGISTRY_KINDS,
    applies_to="azurerm_container_registry",
    rationale=(
        "Disabling public network access, network rules (network_rule_set) and private endpoints are "
        "available only in the Premium tier of Azure Container Registry. The provider refuses "
        "public_network_access_enabled = false and a network_rule_set block on Basic and Standard, and "
        "Azure refuses a private endpoint to such a registry, so the apply fails before any workload "
        "pulls; every pull path the plan draws through that restriction does not exist."
    ),
    remediation=(
        'Set sku = "Premium" on the registry (an in-place upgrade that keeps its images), then keep the '
        "restriction and the private endpoint."
    ),
    references=(
        sources.ACR_SKUS,
        sources.ACR_PRIVATE_LINK,
        sources.ACR_SELECTED_NETWORKS,
    ),
    failing_example=examples.PP901_FAILING,
    fixed_example=examples.PP901_FIXED,
    detection=(
        "For every azurerm_container_registry the input manages (not a data source): sku, "
        "public_network_access_enabled = false, a network_rule_set block (any default_action or rule: "
        "the provider refuses the block itself below Premium), and any azurerm_private_endpoint whose "
        'private_service_connection targets the registry with subresource_names ["registry"]. A SKU or '
        "restriction known only after apply gives UNKNOWN."
    ),
    alternatives=(
        "Remove the restriction and the private endpoint and keep the lower SKU, accepting a registry "
        "open to every network.",
    ),
)

RULES = (PP901,)


def evaluate(model: Model) -> Iterator[Finding]:
    for registry in model.registries:
        if registry.defined and (registry.sku or "").lower() != "premium":
            finding = _judge(model, registry)
            if finding:
                yield finding


def _judge(model: Model, registry: Registry) -> Finding | None:
    restrictions: list[str] = []  # in words, for the reason
    evidence: list[Evidence] = []
    unknown: list[Evidence] = []
    if registry.public_network_access is False:
        restrictions.append("public network access disabled")
        evidence.append(cited(registry, Cite.PUBLIC_ACCESS, "false"))
    elif registry.public_network_access is None:
        unknown.append(cited(registry, Cite.PUBLIC_ACCESS, "(known after apply)"))
    if registry.rule_set:
        restrictions.append("a network rule set")
        action = registry.default_action or "(known after apply)"
        evidence.append(cited(registry, Cite.DEFAULT_ACTION, action))
    elif registry.rule_set is None:
        unknown.append(cited(registry, Cite.RULE_SET, "(known after apply)"))
    endpoints = registry_endpoints(model, registry)
    if endpoints:
        restrictions.append(f"private endpoint {endpoint_names(endpoints)}")
        evidence += endpoint_evidence(registry, endpoints, Cite.ENDPOINT_TARGET)
    sku = cited(registry, Cite.SKU, registry.sku or "(known after apply)")
    subject = Workload(registry.address, rt.REGISTRY, WorkloadKind.REGISTRY, (), location=registry.location)
    described = " and ".join(restrictions)
    if registry.sku and restrictions:
        return PP901.finding(
            Verdict.FAIL,
            subject,
            None,
            registry,
            f"registry {registry.label} is {registry.sku} but has {described}, which only the Premium SKU "
            "accepts: the apply is rejected",
            [sku, *evidence],
        )
    if restrictions or (registry.sku and unknown):
        what = described or "network settings known only after apply"
        return PP901.finding(
            Verdict.UNKNOWN,
            subject,
            None,
            registry,
            f"registry {registry.label} has {what}, and its SKU "
            f"{'is ' + registry.sku if registry.sku else 'is known only after apply'}; only Premium accepts "
            "network restrictions and private endpoints",
            [sku, *evidence, *unknown],
            fix=f"Give the SKU and network settings of {registry.label} values the plan can show, or make it "
            "Premium.",
        )
    return None
