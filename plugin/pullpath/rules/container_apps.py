"""Container apps pulling from a restricted registry: PP301.

Container Apps is not on the list of ACR trusted services (inferred: it is absent from it), so a
container app reaches a restricted registry only from a VNet environment: over a registry private
endpoint, or for a firewalled registry over the environment subnet's public address.
"""

from __future__ import annotations

from collections.abc import Iterator

from pullpath import resource_types as rt
from pullpath.model import Cite, Evidence, Finding, Model, Posture, Verdict, WorkloadKind, cited
from pullpath.resolve import credential_kind
from pullpath.rules import sources
from pullpath.rules.base import Rule
from pullpath.rules.examples import azapi as azapi_examples
from pullpath.rules.examples import container_apps as examples
from pullpath.rules.placement import endpoint_evidence, registry_endpoints
from pullpath.rules.public_route import customer_only, public_route_finding
from pullpath.rules.pulls import Pull, evaluate_pulls
from pullpath.rules.service_endpoints import service_endpoint_only

PP301 = Rule(
    id="PP301",
    slug="container-app-env-not-in-vnet",
    title="Container app or job pulls from a restricted registry but its environment is not in a VNet",
    topic="Container app environment network for a restricted registry",
    severity="HIGH",
    resource_types=rt.CONTAINER_APP_KINDS,
    applies_to="azurerm_container_app and azurerm_container_app_job (a job pulls as an app does)",
    rationale=(
        "Azure Container Apps is not an ACR trusted service (inferred: the documented list does not name "
        "it), so the bypass does not let it through. An environment without infrastructure_subnet_id "
        "runs on shared infrastructure with no private path to the registry and no stable outbound "
        "address: a closed registry refuses the pull, and a firewalled one cannot admit it reliably. In "
        "a VNet environment the pull goes over a registry private endpoint, which is the documented "
        "working setup."
    ),
    remediation=(
        "Create the environment in a VNet (infrastructure_subnet_id, a subnet of /23 or larger, or /27 "
        "delegated to Microsoft.App/environments for a workload-profiles environment), give the registry "
        "a private endpoint reachable from it with the privatelink.azurecr.io zone linked to the VNet, and "
        "pull with a user-assigned identity that has AcrPull (registry { server, identity })."
    ),
    references=(
        sources.ACR_TRUSTED_SERVICES,
        sources.CONTAINER_APPS_NETWORKING,
        sources.CONTAINER_APPS_IDENTITY_PULL,
    ),
    failing_example=examples.PP301_FAILING,
    fixed_example=examples.PP301_FIXED,
    azapi_failing_example=azapi_examples.PP301_AZAPI_FAILING,
    azapi_fixed_example=azapi_examples.PP301_AZAPI_FIXED,
    detection=(
        "template[0].container[*].image and init_container[*].image of the container app or job (its "
        "registry blocks, and a 3.x job's registries blocks, for the credential), the registry "
        "they resolve to (public_network_access_enabled, network_rule_set), its private endpoints, and "
        "infrastructure_subnet_id of the azurerm_container_app_environment that "
        "container_app_environment_id references. An environment not in the input gives UNKNOWN; a "
        "firewalled registry reached from a VNet environment without an endpoint is judged on the "
        "subnet's NAT gateway address."
    ),
    alternatives=(
        "For a firewalled registry, give the environment subnet a NAT gateway (workload-profiles "
        "environment) and allow its public IP in an IP rule.",
        "Last resort: lift the registry restriction.",
    ),
)

RULES = (PP301,)


def evaluate(model: Model) -> Iterator[Finding]:
    return evaluate_pulls(model, WorkloadKind.CONTAINER_APP, PP301, _judge)


def _judge(pull: Pull) -> Finding:
    workload, registry = pull.workload, pull.registry
    kind, attribute = credential_kind(workload.credentials, registry, pull.model)
    if kind is None:
        pull.evidence.append(cited(workload, Cite.REGISTRY_CREDENTIALS, "none for this registry"))
    else:
        pull.evidence.append(Evidence(workload.address, attribute, kind.value))
    environment = workload.environment
    subnet_attribute = workload.environment_cite(Cite.ENVIRONMENT_SUBNET)
    if workload.in_vnet is None or environment is None:
        if environment:
            where, unknown = "is known only after apply", Evidence(environment, subnet_attribute)
            fix = f"Give {environment}.{subnet_attribute} a subnet reference or ID the plan can show."
        else:
            where = "is not defined in this input"
            unknown = Evidence(
                workload.address, workload.cite(Cite.ENVIRONMENT), "defined outside this input"
            )
            fix = (
                "Judge the configuration that defines the environment together with this one "
                "(scan both roots)."
            )
        return pull.finding(
            PP301,
            Verdict.UNKNOWN,
            f"registry {registry.label} is restricted and whether the app's environment is in a VNet "
            f"{where}; a container app reaches a restricted registry only from a VNet environment",
            unknown,
            fix=fix,
        )
    if not workload.in_vnet:
        pull.evidence.append(Evidence(environment, subnet_attribute, "not set"))
        if registry.posture is Posture.FIREWALLED and service_endpoint_only(registry):
            return public_route_finding(pull, PP301)
        return pull.finding(
            PP301,
            Verdict.FAIL,
            f"registry {registry.label} is {registry.posture.value} and the app's environment has no "
            f"{subnet_attribute}: Container Apps is not a trusted service, and an environment outside "
            "a VNet has neither a private path nor a stable outbound address",
        )
    pull.evidence.append(Evidence(environment, subnet_attribute))
    endpoints = registry_endpoints(pull.model, registry)
    if endpoints:
        return pull.finding(
            PP301,
            Verdict.PASS,
            f"the app's environment is in a VNet and {registry.label} has a private endpoint",
            *endpoint_evidence(registry, endpoints, Cite.ENDPOINT_CONNECTION),
        )
    if registry.posture is Posture.CLOSED:
        return pull.finding(
            PP301,
            Verdict.UNKNOWN,
            f"the app's environment is in a VNet, but no private endpoint for {registry.label} is defined in "
            "this configuration",
            fix=f"Add a private endpoint for {registry.label} reachable from the environment subnet to this "
            "configuration, or confirm the one another configuration owns.",
        )
    if pull.model.network.workload_profiles.get(environment) is False:
        return _consumption_only(pull, environment)
    return public_route_finding(
        pull,
        PP301,
        workload.subnets,
        fix=f"Give {registry.label} a private endpoint reachable from the environment subnet, or allow the "
        "subnet's NAT gateway IP (workload-profiles environments only) in an IP rule.",
    )


def _consumption_only(pull: Pull, environment: str) -> Finding:
    """A Consumption-only environment egresses through neither a NAT gateway nor user-defined routes.

    A registry firewall that admits only the customer's NAT IPs (or subnets) refuses its pull for
    certain, and allowing the NAT IP is never the fix (learn.microsoft.com/azure/container-apps/networking).
    """
    workload, registry = pull.workload, pull.registry
    pull.evidence.append(
        Evidence(environment, workload.environment_cite(Cite.WORKLOAD_PROFILES), "none (Consumption only)")
    )
    fix = (
        f"Move the app to a workload-profiles environment (a workload_profile block; its subnet can then "
        f"take a NAT gateway whose public IP {registry.label} allows), or give {registry.label} a private "
        "endpoint reachable from the environment subnet. A Consumption-only environment supports neither "
        "NAT gateway egress nor user-defined routes, so allowing the NAT IP does not help."
    )
    customer = customer_only(pull.model, registry)
    if customer:
        return pull.finding(
            PP301,
            Verdict.FAIL,
            f"registry {registry.label} admits only {', '.join(customer)}, and the app's environment is "
            "Consumption-only, which supports neither NAT gateway egress nor user-defined routes: the pull "
            "never leaves from the customer's network",
            cited(registry, Cite.IP_RULES, ", ".join(customer)),
            fix=fix,
        )
    if registry.ip_rules and not service_endpoint_only(registry):
        return pull.finding(
            PP301,
            Verdict.WARN,
            f"the app's environment is Consumption-only: its outbound address is no NAT gateway's and is not "
            f"known at plan time, so whether an IP rule of {registry.label} admits it is unknown",
            cited(registry, Cite.IP_RULES, ", ".join(registry.ip_rules)),
            fix=fix,
        )
    return public_route_finding(pull, PP301, workload.subnets, fix=fix)
