"""App Service apps (web apps, slots, function apps, logic apps) pulling from a restricted registry.

App Service is not an ACR trusted service: it reaches a restricted registry only through VNet
integration with the image pull routed into the VNet (PP201, PP202).
"""

from __future__ import annotations

from collections.abc import Iterator

from pullpath import resource_types as rt
from pullpath.azurerm_attributes import pull_properties, shown, since
from pullpath.model import Cite, Finding, Model, Posture, Verdict, Workload, WorkloadKind, cited
from pullpath.provider_version import Versions, azurerm_versions
from pullpath.rules import sources
from pullpath.rules.base import LIFT_RESTRICTION, MOVE_WORKLOAD, Rule
from pullpath.rules.examples import app_service as examples
from pullpath.rules.examples import azapi as azapi_examples
from pullpath.rules.hosting import hosted_pulls
from pullpath.rules.placement import endpoint_evidence, registry_endpoints
from pullpath.rules.public_route import public_route_finding
from pullpath.rules.pulls import Pull, evaluate_pulls

_ROUTING_FIX = (
    f"route the image pull into the VNet: {pull_properties()}, "
    'or on older providers app_settings WEBSITE_PULL_IMAGE_OVER_VNET = "true"; vnet_route_all_enabled '
    "routes application traffic only. Give the registry a private endpoint reachable from the integration "
    "subnet and pull with a managed identity (container_registry_use_managed_identity = true)."
)
_INTEGRATION = (
    "VNet integration is `virtual_network_subnet_id` on the app or an "
    "`azurerm_app_service_virtual_network_swift_connection` naming it; for a slot, an "
    "`azurerm_app_service_slot_virtual_network_swift_connection` naming its parent app and its `slot_name` "
    "(which integrates that slot only, not the parent). An app whose plan is in an App Service Environment "
    "(`app_service_environment_id`, azapi `hostingEnvironmentProfile.id`) runs in the environment's VNet: it "
    "counts as integrated with the environment's subnet (`azurerm_app_service_environment_v3.subnet_id`) and "
    "its pull as routed there, so PP202 judges it, never PP201."
)

PP201 = Rule(
    id="PP201",
    slug="app-no-vnet-integration",
    title="App Service app pulls from a restricted registry without VNet integration",
    topic="App Service VNet integration for a restricted registry",
    severity="HIGH",
    resource_types=rt.APP_SERVICE_KINDS,
    applies_to=(
        "azurerm_linux_web_app, azurerm_windows_web_app and slots, function apps, azurerm_app_service, "
        "azurerm_function_app, azurerm_logic_app_standard"
    ),
    rationale=(
        "App Service is not on the list of ACR trusted services, so the bypass does not let it through. "
        "Without VNet integration the app pulls over the public endpoint, which a closed registry refuses; "
        "a firewalled registry admits it only if every outbound address of the app is inside an IP rule."
    ),
    remediation="Integrate the app with a VNet (virtual_network_subnet_id) and " + _ROUTING_FIX,
    references=(
        sources.ACR_TRUSTED_SERVICES,
        sources.APP_SERVICE_CUSTOM_CONTAINER,
        sources.APP_SERVICE_VNET_ROUTING,
    ),
    failing_example=examples.PP201_FAILING,
    fixed_example=examples.PP201_FIXED,
    detection=(
        "Reads the app's image across provider versions (`site_config[0].application_stack[0]` "
        "`docker_image_name` with `docker_registry_url`, `docker_image` with `docker_image_tag`, the "
        "Windows `docker_container_*` and `docker[0]` shapes, or a legacy `linux_fx_version` / "
        "`windows_fx_version` of `DOCKER|...` with app setting `DOCKER_REGISTRY_SERVER_URL`) and the "
        "registry's network settings. " + _INTEGRATION + " For a firewalled registry it compares the "
        "app's `possible_outbound_ip_address_list` with the IP rules."
    ),
    alternatives=(
        "Firewalled registry only: allow every address of the app's possible_outbound_ip_address_list in an "
        "IP rule of the registry (the list changes when the app moves to another scale unit).",
        MOVE_WORKLOAD,
        LIFT_RESTRICTION,
    ),
)

PP202 = Rule(
    id="PP202",
    slug="app-pull-not-routed",
    title="App Service app with VNet integration does not route the image pull through the VNet",
    topic="App Service image pull routing through the VNet",
    severity="HIGH",
    resource_types=rt.APP_SERVICE_KINDS,
    applies_to=PP201.applies_to,
    rationale=(
        "VNet integration alone carries application traffic, not the container image pull: the pull still "
        "leaves over the public route unless image pull routing is on (vnetImagePullEnabled or "
        "WEBSITE_PULL_IMAGE_OVER_VNET). vnet_route_all_enabled and WEBSITE_VNET_ROUTE_ALL do not route it. "
        "A closed registry refuses the public pull; with routing on, the registry still needs a private "
        "endpoint the VNet can reach."
    ),
    remediation="Keep the VNet integration and " + _ROUTING_FIX,
    references=(
        sources.APP_SERVICE_CUSTOM_CONTAINER,
        sources.APP_SERVICE_VNET_ROUTING,
    ),
    failing_example=examples.PP202_FAILING,
    fixed_example=examples.PP202_FIXED,
    azapi_failing_example=azapi_examples.PP202_AZAPI_FAILING,
    azapi_fixed_example=azapi_examples.PP202_AZAPI_FIXED,
    detection=(
        _INTEGRATION + " With integration on, it reads image pull routing: `vnet_image_pull_enabled` "
        "(Linux web apps, slots and function apps), `virtual_network_image_pull_enabled` (Windows web apps "
        "and slots) or app setting `WEBSITE_PULL_IMAGE_OVER_VNET`; `vnet_route_all_enabled` and "
        "`WEBSITE_VNET_ROUTE_ALL` are named in the finding as not routing the pull. With routing on, it "
        "looks for a registry private endpoint (`azurerm_private_endpoint` with sub-resource `registry`)."
    ),
    alternatives=(MOVE_WORKLOAD, LIFT_RESTRICTION),
)

RULES = (PP201, PP202)


def evaluate(model: Model) -> Iterator[Finding]:
    """Every pull path of an app that can pull: a plan that runs no containers is PP205's to judge."""
    return hosted_pulls(evaluate_pulls(model, WorkloadKind.APP_SERVICE, PP201, _judge))


_INTEGRATE = "Integrate the app with a VNet (virtual_network_subnet_id) and "
_SETTING = 'app_settings WEBSITE_PULL_IMAGE_OVER_VNET = "true"'
_AFTER_ROUTING = (
    "vnet_route_all_enabled routes application traffic only. Give the registry a private endpoint reachable "
    "from the integration subnet and pull with a managed identity (container_registry_use_managed_identity = "
    "true)."
)


def routing_fix(workload: Workload, versions: Versions) -> str:
    """How to route the image pull with what the workload's dialect (and azurerm versions) offer.

    The versions are the lock file's, else the range the ``required_providers`` constraint allows;
    when some allowed versions have the property and some do not, both ways are named.
    """
    app_type = workload.type
    attribute = rt.APP_SERVICES.get(app_type)
    first = since(app_type, attribute)
    if workload.cite.dialect == "azapi":
        how = f"{workload.cite(Cite.PULL_PROPERTY)} = true (any API version that has it)"
    elif attribute is None or first is None:
        how = f"{_SETTING} (the only way {app_type} has)"
    elif versions.has(first) is True:
        how = f"{attribute} = true (azurerm {versions.shown()} has it for {app_type})"
    elif versions.has(first) is False:
        how = (
            f"{_SETTING} (azurerm {versions.shown()} has no {attribute} for {app_type}; from {shown(first)} "
            "set the property instead)"
        )
    else:
        told = (
            f"azurerm {versions.shown()} allows versions on both sides"
            if versions.known
            else "no .terraform.lock.hcl tells which azurerm this configuration uses"
        )
        how = (
            f"{attribute} = true with azurerm {shown(first)} or later, or {_SETTING} on older providers "
            f"({told})"
        )
    return f"route the image pull into the VNet with {how}; {_AFTER_ROUTING}"


def _judge(pull: Pull) -> Finding:
    workload, registry = pull.workload, pull.registry
    posture = registry.posture
    version = azurerm_versions(pull.model.azurerm_version, pull.model.azurerm_constraint)
    if workload.vnet_integration is None:
        return pull.finding(
            PP201,
            Verdict.UNKNOWN,
            "whether the app is integrated with a VNet is known only after apply",
            fix=f"Give {workload.cite(Cite.SUBNET)} a subnet reference or ID the plan can show.",
        )
    if workload.vnet_integration is False:
        pull.evidence.append(cited(workload, Cite.SUBNET, "not set"))
        if posture is Posture.CLOSED:
            return pull.finding(
                PP201,
                Verdict.FAIL,
                f"registry {registry.label} has public network access disabled and the app has no VNet "
                "integration; App Service is not a trusted service, so the pull is refused",
                fix=_INTEGRATE + routing_fix(workload, version),
            )
        return public_route_finding(pull, PP201, fix=_INTEGRATE + routing_fix(workload, version))

    pull.evidence.append(cited(workload, Cite.SUBNET))
    pull.evidence += workload.routing_evidence
    if workload.image_pull_routing is None:
        return pull.finding(
            PP202,
            Verdict.UNKNOWN,
            "whether the image pull is routed through the VNet is known only after apply",
            fix=f"Give {workload.cite(Cite.PULL_PROPERTY)} (or the app setting "
            "WEBSITE_PULL_IMAGE_OVER_VNET) a "
            "value the plan can show.",
        )
    if workload.image_pull_routing is False:
        route_all = (
            f" ({workload.cite(Cite.ROUTE_ALL)} routes application traffic only, not the image pull)"
            if workload.route_all
            else ""
        )
        if workload.route_all:
            pull.evidence.append(cited(workload, Cite.ROUTE_ALL, "true"))
        if posture is Posture.CLOSED:
            return pull.finding(
                PP202,
                Verdict.FAIL,
                f"the app is VNet-integrated but does not route the image pull through the VNet{route_all}; "
                f"the pull goes to the public endpoint of {registry.label}, which is closed",
                fix="Keep the VNet integration and " + routing_fix(workload, version),
            )
        return public_route_finding(
            pull, PP202, fix="Keep the VNet integration and " + routing_fix(workload, version)
        )

    endpoints = registry_endpoints(pull.model, registry)
    if endpoints:
        return pull.finding(
            PP202,
            Verdict.PASS,
            f"image pull routed through the VNet to the private endpoint of {registry.label}",
            *endpoint_evidence(registry, endpoints, Cite.ENDPOINT_CONNECTION),
        )
    if posture is Posture.CLOSED:
        return pull.finding(
            PP202,
            Verdict.UNKNOWN,
            f"the image pull is routed through the VNet, but no private endpoint for {registry.label} is "
            "defined in this configuration",
            fix=f"Add a private endpoint for {registry.label} reachable from the integration subnet to this "
            "configuration, or confirm the one another configuration owns.",
        )
    subnet = (workload.integration_subnet,) if workload.integration_subnet else ()
    return public_route_finding(
        pull,
        PP202,
        subnet,
        fix=f"Give {registry.label} a private endpoint reachable from the integration subnet, or a NAT "
        "gateway on that subnet with its public IP in an IP rule.",
    )
