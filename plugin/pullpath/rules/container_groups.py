"""Container groups (ACI) pulling from a restricted registry: PP101 to PP104.

ACI is a trusted service for ACR only when it pulls with a managed identity; in a VNet it needs a
registry private endpoint outside its own delegated subnet. Everything else fails at image pull.
"""

from __future__ import annotations

from collections.abc import Iterator

from pullpath import resource_types as rt
from pullpath.model import (
    Cite,
    CredentialKind,
    Evidence,
    Finding,
    Model,
    Posture,
    Verdict,
    WorkloadKind,
    cited,
)
from pullpath.resolve import credential_kind
from pullpath.rules import sources
from pullpath.rules.base import LIFT_RESTRICTION, MOVE_WORKLOAD, Rule
from pullpath.rules.examples import container_groups as examples
from pullpath.rules.placement import endpoint_evidence, registry_endpoints, same_subnet
from pullpath.rules.public_route import public_route_finding
from pullpath.rules.pulls import Pull, evaluate_pulls

_IDENTITY_FIX = (
    "Create a user-assigned identity with AcrPull on the registry, list it in the group's identity block, "
    "set image_registry_credential { server = <login server>, user_assigned_identity_id = <identity id> }, "
    'keep network_rule_bypass_option = "AzureServices" on the registry and, for a group in a VNet, put a '
    "registry private endpoint in another subnet with the privatelink.azurecr.io zone linked to the VNet."
)

PP101 = Rule(
    id="PP101",
    slug="aci-password-pull-restricted",
    title="Container group pulls from a restricted registry with a password or no credential",
    topic="Container group credential for a restricted registry",
    severity="HIGH",
    resource_types=rt.CONTAINER_GROUP_KINDS,
    applies_to="azurerm_container_group",
    rationale=(
        "A registry with public network access disabled admits only private endpoints and trusted "
        "services, and ACI counts as a trusted service only when it pulls with a managed identity. An "
        "admin-user, service-principal or token password pull (or an anonymous one) is refused; the "
        "documentation states that service-principal authentication cannot pull from a registry behind a "
        "private endpoint. From a firewalled registry such a pull takes the public route and is admitted "
        "only if the group's outbound address is inside an IP rule."
    ),
    remediation=_IDENTITY_FIX,
    references=(
        sources.ACR_TRUSTED_SERVICES,
        sources.ACI_MANAGED_IDENTITY_PULL,
        sources.ACI_SERVICE_PRINCIPAL_PULL,
    ),
    failing_example=examples.PP101_FAILING,
    fixed_example=examples.PP101_FIXED,
    detection=(
        "Reads the registry's `public_network_access_enabled`, `network_rule_set[0].default_action` and "
        "`ip_rule` ranges; the group's `container[*].image` and `init_container[*].image` (the known value, "
        "or the registry its expression references); and the `image_registry_credential` whose `server` "
        "names the registry (`username`/`password` or `user_assigned_identity_id`). For a firewalled "
        "registry it follows the group's `subnet_ids` to a NAT gateway and its public IP and compares that "
        "address with the IP rules."
    ),
    alternatives=(
        "Firewalled registry only: put the group in a VNet subnet with a NAT gateway and allow the gateway's "
        "public IP in a network_rule_set ip_rule.",
        MOVE_WORKLOAD,
        LIFT_RESTRICTION,
    ),
)

PP102 = Rule(
    id="PP102",
    slug="aci-identity-pull-bypass-off",
    title="Container group identity pull from a restricted registry whose trusted-services bypass is off",
    topic="Container group identity pull through the trusted-services bypass",
    severity="HIGH",
    resource_types=rt.CONTAINER_GROUP_KINDS,
    applies_to="azurerm_container_group",
    rationale=(
        "A container group's managed-identity pull reaches a restricted registry through the "
        'trusted-services exception. network_rule_bypass_option = "None" turns that exception off, so '
        "the pull is refused even with a correct identity and AcrPull role."
    ),
    remediation=(
        'Set network_rule_bypass_option = "AzureServices" on the registry (the provider default), keeping '
        "the user-assigned identity pull."
    ),
    references=(
        sources.ACR_TRUSTED_SERVICES,
        sources.ACI_MANAGED_IDENTITY_PULL,
    ),
    failing_example=examples.PP102_FAILING,
    fixed_example=examples.PP102_FIXED,
    detection=(
        "Reads the registry's `public_network_access_enabled`, `network_rule_set[0].default_action` and "
        "`network_rule_bypass_option` (the provider default is `AzureServices`), and the group's "
        "`image_registry_credential.user_assigned_identity_id` for the registry's login server."
    ),
    alternatives=(MOVE_WORKLOAD, LIFT_RESTRICTION),
)

PP103 = Rule(
    id="PP103",
    slug="aci-endpoint-in-own-subnet",
    title="Registry private endpoint sits in the container group's own subnet",
    topic="Placement of the registry private endpoint for a container group",
    severity="HIGH",
    resource_types=rt.CONTAINER_GROUP_KINDS,
    applies_to="azurerm_container_group in a VNet",
    rationale=(
        "A container group in a VNet needs a subnet delegated to Microsoft.ContainerInstance/"
        "containerGroups, and the documented working setup places the registry private endpoint in "
        "another subnet of the VNet. An endpoint in the group's own delegated subnet breaks the pull path."
    ),
    remediation=(
        "Move the registry private endpoint to its own subnet (not delegated) in the same or a peered VNet, "
        "and link the privatelink.azurecr.io private DNS zone to the VNet."
    ),
    references=(
        sources.ACI_MANAGED_IDENTITY_PULL,
        sources.ACI_VNET_CONCEPTS,
    ),
    failing_example=examples.PP103_FAILING,
    fixed_example=examples.PP103_FIXED,
    detection=(
        'For a group in a VNet (`subnet_ids`, `network_profile_id` or `ip_address_type = "Private"`) '
        "pulling by identity from a restricted registry, it finds each `azurerm_private_endpoint` whose "
        "`private_service_connection[0].private_connection_resource_id` references the registry with "
        "sub-resource `registry`, and compares the endpoint's `subnet_id` with the group's subnets by "
        "reference or by known id. When neither tells at plan time the verdict is UNKNOWN."
    ),
    alternatives=(MOVE_WORKLOAD, LIFT_RESTRICTION),
)

PP104 = Rule(
    id="PP104",
    slug="aci-no-visible-endpoint",
    title="Container group in a VNet pulls by identity but no registry private endpoint is visible",
    topic="Registry private endpoint for a container group in a VNet",
    severity="MEDIUM",
    resource_types=rt.CONTAINER_GROUP_KINDS,
    applies_to="azurerm_container_group in a VNet",
    rationale=(
        "A container group in a VNet pulling with a managed identity from a restricted registry needs a "
        "registry private endpoint reachable from its VNet. None is defined in this configuration; it may "
        "exist elsewhere (another state, a platform team's network), which the configuration cannot show."
    ),
    remediation=(
        'Confirm a registry private endpoint (sub-resource "registry") exists in another subnet of the '
        "group's VNet with the privatelink.azurecr.io zone linked, or add one to this configuration."
    ),
    references=(sources.ACI_MANAGED_IDENTITY_PULL,),
    failing_example=examples.PP104_FAILING,
    fixed_example=examples.PP104_FIXED,
    detection=(
        "As PP103, for a group in a VNet pulling by identity from a restricted registry: when no "
        "`azurerm_private_endpoint` for the registry is defined in the configuration, the verdict is "
        "UNKNOWN (the endpoint may live in another state), never PASS or FAIL."
    ),
    alternatives=(MOVE_WORKLOAD, LIFT_RESTRICTION),
)

RULES = (PP101, PP102, PP103, PP104)


def evaluate(model: Model) -> Iterator[Finding]:
    return evaluate_pulls(model, WorkloadKind.CONTAINER_GROUP, PP101, _judge)


def _judge(pull: Pull) -> Finding:
    workload, registry = pull.workload, pull.registry
    posture = registry.posture
    kind, attribute = credential_kind(workload.credentials, registry, pull.model)
    shown = kind.value if kind else "none for this registry"
    pull.evidence.append(
        Evidence(workload.address, attribute or workload.cite(Cite.REGISTRY_CREDENTIALS), shown)
    )
    if kind is CredentialKind.UNKNOWN:
        return pull.finding(
            PP101,
            Verdict.UNKNOWN,
            f"the credential {attribute} for {registry.label} sets neither a known identity nor a "
            "username/password at plan time",
            fix=f"Give {attribute} a user_assigned_identity_id, or a username and password, the "
            "plan can show.",
        )
    if kind is None or kind is CredentialKind.PASSWORD:
        how = "a password credential" if kind else "no image_registry_credential for it"
        if posture is Posture.CLOSED:
            return pull.finding(
                PP101,
                Verdict.FAIL,
                f"registry {registry.label} has public network access disabled and the group pulls "
                f"with {how}; "
                "only a user-assigned identity pull through trusted services reaches a closed registry",
            )
        return public_route_finding(pull, PP101)

    pull.evidence.append(cited(registry, Cite.BYPASS, registry.bypass or "(known after apply)"))
    if registry.bypass is None:
        return pull.finding(
            PP102,
            Verdict.UNKNOWN,
            f"network_rule_bypass_option of {registry.label} is known only after apply",
            fix=f"Give network_rule_bypass_option of {registry.label} a value the plan can show "
            '("AzureServices" for an identity pull).',
        )
    if registry.bypass.lower() != "azureservices":
        if posture is Posture.CLOSED:
            return pull.finding(
                PP102,
                Verdict.FAIL,
                f"registry {registry.label} is closed and its trusted-services bypass is off "
                f"(network_rule_bypass_option = {registry.bypass}), so the identity pull is refused",
            )
        return public_route_finding(pull, PP102)
    if not workload.in_vnet:
        return pull.finding(
            PP102,
            Verdict.PASS,
            f"identity pull from {registry.label} through the trusted-services bypass (group not in a VNet)",
        )
    return _vnet_identity_pull(pull)


def _vnet_identity_pull(pull: Pull) -> Finding:
    registry = pull.registry
    endpoints = registry_endpoints(pull.model, registry)
    if not endpoints:
        return pull.finding(
            PP104,
            Verdict.UNKNOWN,
            f"the group is in a VNet and pulls by identity, but no private endpoint for {registry.label} is "
            "defined in this configuration",
            fix=f'Add a private endpoint for {registry.label} (sub-resource "registry") in another subnet of '
            "the group's VNet to this configuration, or confirm the one another configuration owns.",
        )
    pull.evidence += endpoint_evidence(registry, endpoints, Cite.ENDPOINT_SUBNET)
    placements = [same_subnet(pull.model, s, e.subnet) for e in endpoints for s in pull.workload.subnets]
    if True in placements:
        return pull.finding(
            PP103,
            Verdict.FAIL,
            f"the private endpoint of {registry.label} sits in the container group's own delegated subnet",
        )
    if None in placements or not placements:
        return pull.finding(
            PP103,
            Verdict.UNKNOWN,
            "the subnets of the container group and of the registry private endpoint cannot be compared at "
            "plan time",
            fix="Reference the subnets by resource (subnet_ids = [azurerm_subnet.x.id]) or give their IDs as "
            "literals, so the plan shows whether the endpoint is in another subnet.",
        )
    return pull.finding(
        PP103,
        Verdict.PASS,
        f"identity pull from {registry.label} over its private endpoint in another subnet, trusted "
        "services on",
    )
