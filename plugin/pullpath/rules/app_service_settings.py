"""App Service settings the provider version decides: PP203 and PP204.

Which attribute routes an App Service image pull depends on the azurerm version: from the version
that knows the site property, the provider always sends it, and an unset property goes out as
``false`` beside an app setting that says ``true`` (PP203). Microsoft documents that either one
enables routing, and no source says the ``false`` overrides the setting: PP203 is a WARN because
the current guidance is the site property (Microsoft's built-in policy for configuration routing
checks the property, not the setting), not because the pull is known to break. Function apps have
the property from 4.0, and the provider refuses it on a Consumption plan (PP204). The versions
come from :mod:`pullpath.azurerm_attributes`.
"""

from __future__ import annotations

from collections.abc import Iterator

from pullpath import resource_types as rt
from pullpath.azurerm_attributes import since
from pullpath.model import Cite, Evidence, Finding, Model, Posture, Verdict, Workload, WorkloadKind, cited
from pullpath.provider_version import azurerm_versions
from pullpath.rules import sources
from pullpath.rules.base import Rule
from pullpath.rules.examples import app_service_settings as examples
from pullpath.rules.hosting import without_containers
from pullpath.rules.pulls import pull_paths

_SETTING = "WEBSITE_PULL_IMAGE_OVER_VNET"

PP203 = Rule(
    id="PP203",
    slug="app-setting-only-routing",
    title="App Service routes the image pull only by the legacy app setting, not the site property",
    topic="App Service routing by app setting beside the provider's property",
    severity="MEDIUM",
    resource_types=tuple(rt.APP_SERVICES),
    applies_to=(
        "azurerm_linux_web_app and slot (azurerm >= 4.36), azurerm_windows_web_app and slot (>= 4.52), "
        "function apps and slots (>= 4.0)"
    ),
    rationale=(
        f"Image pull routing used to be the app setting {_SETTING}; App Service now has the site "
        "property (vnetImagePullEnabled, and from API version 2024-11-01 "
        'outboundVnetRouting.imagePullTraffic, "previously called VnetImagePullEnabled"). Microsoft '
        "documents that either one enables routing, so the pull is routed today. The current guidance is "
        "the property: Microsoft's built-in Azure Policy \"App Service apps should enable configuration "
        'routing to Azure Virtual Network" checks the site properties and not the app setting, so an app '
        "routed by the setting alone is reported non-compliant (and denied where the policy denies). From "
        "the azurerm version that knows the property the provider also sends it, as false beside the "
        "setting: no source says the false overrides the setting, but the configuration then says two "
        "different things. Routing works, so the verdict is WARN, not FAIL."
    ),
    remediation=(
        "Set the site property: vnet_image_pull_enabled = true (Linux web app and slot, function apps) or "
        f"virtual_network_image_pull_enabled = true (Windows web app and slot), and drop {_SETTING} "
        "from app_settings once the property is set."
    ),
    references=(
        sources.APP_SERVICE_CUSTOM_CONTAINER,
        sources.APP_SERVICE_VNET_ROUTING,
        sources.APP_SERVICE_ROUTING_POLICY,
        sources.AZURERM_CHANGELOG,
    ),
    failing_example=examples.PP203_FAILING,
    fixed_example=examples.PP203_FIXED,
    detection=(
        f"app_settings.{_SETTING} (true, as a string or a bool) with vnet_image_pull_enabled or "
        "virtual_network_image_pull_enabled unset or false, on an app that is not known to lack VNet "
        "integration and pulls from a registry that is not open, when every azurerm version the "
        "configuration may run has the property: the version in .terraform.lock.hcl, else the range its "
        'required_providers constraint allows ("~> 4.41" is 4.41 or later). Without either (a plan alone '
        "carries no provider version) there is no finding."
    ),
    alternatives=(
        "Pin azurerm below the version that introduced the property for this type, and plan the move to the "
        "property.",
    ),
)

PP204 = Rule(
    id="PP204",
    slug="function-consumption-pull-property",
    title="Function app enables vnet_image_pull_enabled on a Consumption plan",
    topic="Function app image pull routing on a Consumption plan",
    severity="HIGH",
    resource_types=tuple(sorted(rt.FUNCTION_APPS)),
    applies_to="azurerm_linux_function_app, azurerm_windows_function_app and their slots",
    rationale=(
        "A Consumption plan (sku_name Y1, or the Dynamic tier of a legacy azurerm_app_service_plan) has "
        "no VNet integration, so there is no VNet to route the image pull into: the provider refuses "
        "vnet_image_pull_enabled = true on consumption plans as soon as it can read the plan, and a plan "
        "created in the same apply only postpones the error to apply."
    ),
    remediation=(
        "Run the function app on a plan with VNet integration (Elastic Premium EP1-EP3 or a dedicated "
        "plan), integrate it with a subnet (virtual_network_subnet_id) and keep vnet_image_pull_enabled = "
        "true with a registry private endpoint; on Consumption, remove vnet_image_pull_enabled and pull "
        "from a registry the public route reaches."
    ),
    references=(
        sources.FUNCTIONS_NETWORKING,
        sources.APP_SERVICE_CUSTOM_CONTAINER,
    ),
    failing_example=examples.PP204_FAILING,
    fixed_example=examples.PP204_FIXED,
    detection=(
        "vnet_image_pull_enabled = true on a function app or slot, and the plan its service_plan_id "
        "references (a slot without one: its parent app's): azurerm_service_plan.sku_name, or "
        "azurerm_app_service_plan.sku[0].tier; a SKU known only after apply gives UNKNOWN. A plan the "
        "input does not define already exists, and the provider checks that one itself at plan time."
    ),
    alternatives=("Move the container to Azure Container Apps, which pulls over its environment's VNet.",),
)

RULES = (PP203, PP204)


def evaluate(model: Model) -> Iterator[Finding]:
    for workload in model.workloads:
        if workload.kind is WorkloadKind.APP_SERVICE:
            if not without_containers(workload):  # no pull to route: PP205 says why
                yield from _setting_only_routing(model, workload)
            yield from _consumption_image_pull(workload)


def _setting_only_routing(model: Model, workload: Workload) -> Iterator[Finding]:
    first = since(workload.type, rt.APP_SERVICES.get(workload.type))
    versions = azurerm_versions(model.azurerm_version, model.azurerm_constraint)
    if first is None or versions.has(first) is not True:
        return
    if not (
        workload.pull_setting and workload.pull_property is False and workload.vnet_integration is not False
    ):
        return
    shown = versions.shown()
    property_ = workload.cite(Cite.PULL_PROPERTY)
    evidence = [
        cited(workload, Cite.PULL_SETTING, "true"),
        Evidence(workload.address, property_, "false (unset)"),
        Evidence("provider.azurerm", "version", shown),
    ]
    for image, registry in pull_paths(model, workload, PP203):
        if isinstance(registry, Finding) or registry.posture is Posture.OPEN:
            continue  # untraced (the App Service rules say so) or open: the route does not matter
        yield PP203.finding(
            Verdict.WARN,
            workload,
            image,
            registry,
            f"the image pull to {registry.label} is routed only by the legacy app setting {_SETTING}, "
            "which Microsoft documents as enabling routing; the current guidance is the site property "
            f"{property_}, which azurerm {shown} has and sends as false beside the setting (no source says "
            "that false overrides the setting, but Microsoft's configuration-routing policy checks the "
            "property)",
            evidence,
            fix=f"Set {property_} = true (azurerm {shown} has it), then drop {_SETTING} from app_settings.",
        )


def _consumption_image_pull(workload: Workload) -> Iterator[Finding]:
    if workload.type not in rt.FUNCTION_APPS or workload.pull_property is not True:
        return
    plan = workload.service_plan
    if plan is None:
        return  # a plan this input does not define exists already, and the provider checks it at plan time
    evidence = [
        cited(workload, Cite.PULL_PROPERTY, "true"),
        cited(plan, Cite.SKU, plan.sku or "(known after apply)"),
    ]
    if plan.consumption is None:
        yield PP204.finding(
            Verdict.UNKNOWN,
            workload,
            None,
            None,
            f"vnet_image_pull_enabled = true and the SKU of {plan.address} is known only after apply; a "
            "Consumption plan refuses it",
            evidence,
            fix=f"Give the sku_name of {plan.address} a value the plan can show.",
        )
    elif plan.consumption:
        yield PP204.finding(
            Verdict.FAIL,
            workload,
            None,
            None,
            f"vnet_image_pull_enabled = true on Consumption plan {plan.address} ({plan.sku}): the provider "
            "refuses it on consumption plans, which have no VNet integration to route the pull",
            evidence,
        )
