"""Where an App Service app is hosted decides whether it can pull at all: PP205 and PP206.

A function app on the Consumption (Y1, Dynamic) or Flex Consumption (FC1) plan runs no containers,
so a container image there fails whatever the registry (PP205); the pull-path rules then have no
pull to judge. An app on a plan in an App Service Environment runs in the environment's VNet, and
azurerm refuses to turn its image pull routing off there (PP206).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pullpath import resource_types as rt
from pullpath.azurerm_attributes import pull_properties, shown, since
from pullpath.builders.hosting import in_environment
from pullpath.model import (
    Cite,
    Evidence,
    Finding,
    Model,
    ServicePlan,
    Verdict,
    Workload,
    WorkloadKind,
    cited,
)
from pullpath.provider_version import azurerm_versions
from pullpath.rules import sources
from pullpath.rules.base import Rule
from pullpath.rules.examples import hosting as examples

#: Plan SKUs (``sku_name``, an ARM ``sku.name``, a legacy plan's tier) that run no containers.
NO_CONTAINER_SKUS = frozenset({"y1", "dynamic", "fc1", "flexconsumption"})

PP205 = Rule(
    id="PP205",
    slug="function-plan-runs-no-containers",
    title="Container image on a Consumption or Flex Consumption plan, which runs no containers",
    topic="Container support of the app's hosting plan",
    severity="HIGH",
    resource_types=rt.APP_SERVICE_KINDS,
    applies_to="function apps (and any App Service app) on a Y1, Dynamic or FC1 plan, in either dialect",
    rationale=(
        "Azure Functions runs Linux containers on the Premium (Elastic Premium) and Dedicated plans and "
        "in Container Apps only: the hosting table lists no container support for the Consumption plan "
        "(Y1, Dynamic) or the Flex Consumption plan (FC1). A function app on those plans never pulls "
        "its image, so no registry setting, network route or credential can make it run; the pull-path "
        "rules (PP201, PP202, PP203) say nothing about it."
    ),
    remediation=(
        "Run the containerised function app on an Elastic Premium plan (sku_name EP1-EP3) or a "
        "dedicated plan, or in Azure Container Apps; or deploy the functions as code (no "
        "application_stack docker block) to keep the Consumption or Flex Consumption plan."
    ),
    references=(sources.FUNCTIONS_HOSTING, sources.FUNCTIONS_NETWORKING),
    failing_example=examples.PP205_FAILING,
    fixed_example=examples.PP205_FIXED,
    detection=(
        "An App Service workload with a container image (application_stack docker, docker_image_name, "
        "a DOCKER| linux_fx_version, or an azapi site's linuxFxVersion) whose plan (service_plan_id, "
        "serverFarmId) is in the input with SKU Y1, Dynamic, FC1 or FlexConsumption: one FAIL per image. "
        "A SKU known only after apply gives UNKNOWN; a plan the input does not define gives no finding."
    ),
    alternatives=("Move the workload to Azure Container Apps, which runs function containers too.",),
)

PP206 = Rule(
    id="PP206",
    slug="app-ase-pull-routing-off",
    title="App in an App Service Environment leaves image pull routing off, which azurerm refuses",
    topic="Image pull routing of an app in an App Service Environment",
    severity="HIGH",
    resource_types=tuple(app for app, attribute in rt.APP_SERVICES.items() if attribute),
    applies_to=(
        "azurerm web apps, function apps and slots whose plan has app_service_environment_id, with an "
        "azurerm version that has the type's image pull property"
    ),
    rationale=(
        "An App Service Environment v3 runs its apps inside its own VNet: all inbound and outbound "
        "application traffic stays there, so the app needs no VNet integration of its own. azurerm "
        "requires the image pull property to be true for such an app (the 4.0 upgrade guide for "
        'function apps, the Windows web app docs) and stops with "vnet_image_pull_enabled cannot be '
        'disabled for app running in an app service environment" when it is unset or false '
        "(hashicorp/terraform-provider-azurerm#27157)."
    ),
    remediation=f"Set {pull_properties()} on every app of a plan in an App Service Environment.",
    references=(
        sources.APP_SERVICE_ENVIRONMENT_NETWORKING,
        sources.AZURERM_4_UPGRADE_GUIDE,
        sources.AZURERM_ASE_PULL_ISSUE,
    ),
    failing_example=examples.PP206_FAILING,
    fixed_example=examples.PP206_FIXED,
    detection=(
        "The app's plan (azurerm_service_plan or azapi Microsoft.Web/serverfarms) with "
        "app_service_environment_id (hostingEnvironmentProfile.id) set, the app's vnet_image_pull_enabled "
        "or virtual_network_image_pull_enabled, and the azurerm version (.terraform.lock.hcl, else the "
        "required_providers constraint): the finding needs every version allowed to have the property. "
        "Without a version there is no finding. Such an app is judged by PP202 as integrated with the "
        "environment's subnet (azurerm_app_service_environment_v3.subnet_id), never by PP201."
    ),
    alternatives=("Pin azurerm below the version that added the property until the app can set it.",),
)

RULES = (PP205, PP206)


def runs_containers(plan: ServicePlan | None) -> bool | None:
    """False on a plan that runs no containers; None when its SKU is known only after apply."""
    if plan is None:
        return True  # a plan this input does not define: the pull-path rules judge the app
    if plan.sku is None:
        return None
    return plan.sku.lower() not in NO_CONTAINER_SKUS


def without_containers(workload: Workload) -> bool:
    """Whether the app's plan is known to run no containers (its pulls are PP205's, not a pull path's)."""
    return workload.kind is WorkloadKind.APP_SERVICE and runs_containers(workload.service_plan) is False


def hosted_pulls(findings: Iterable[Finding]) -> Iterator[Finding]:
    """The pull-path findings of apps that can pull at all: none for an app whose plan runs no containers."""
    return (finding for finding in findings if not without_containers(finding.workload))


def evaluate(model: Model) -> Iterator[Finding]:
    for workload in model.workloads:
        if workload.kind is WorkloadKind.APP_SERVICE:
            yield from _no_containers(workload)
            yield from _environment_routing(model, workload)


def _no_containers(workload: Workload) -> Iterator[Finding]:
    plan = workload.service_plan
    runs = runs_containers(plan)
    if runs is True or plan is None or not workload.images:
        return
    sku = cited(plan, Cite.SKU, plan.sku or "(known after apply)")
    for image in workload.images:
        evidence = [Evidence(workload.address, image.attribute, image.text), sku]
        if runs is None:
            yield PP205.finding(
                Verdict.UNKNOWN,
                workload,
                image,
                None,
                f"the app runs a container image and the SKU of {plan.address} is known only after apply; "
                "the Consumption and Flex Consumption plans run no containers",
                evidence,
                fix=f"Give the SKU of {plan.address} a value the plan can show.",
            )
        else:
            yield PP205.finding(
                Verdict.FAIL,
                workload,
                image,
                None,
                f"{plan.address} is a {plan.sku} plan, which runs no containers: the image is never pulled, "
                "whatever the registry allows",
                evidence,
            )


def _environment_routing(model: Model, workload: Workload) -> Iterator[Finding]:
    attribute = rt.APP_SERVICES.get(workload.type)
    plan = workload.service_plan
    first = since(workload.type, attribute)
    if attribute is None or first is None or plan is None or not in_environment(workload):
        return
    if workload.pull_property:
        return
    versions = azurerm_versions(model.azurerm_version, model.azurerm_constraint)
    if versions.has(first) is not True:
        return  # a provider without the property sends none, and pullpath cannot tell which one runs
    state = "false" if workload.pull_property is False else "(known after apply)"
    evidence = [
        *workload.routing_evidence,  # the plan's environment
        Evidence(workload.address, attribute, state),
        Evidence("provider.azurerm", "version", versions.shown()),
    ]
    if workload.pull_property is None:
        yield PP206.finding(
            Verdict.UNKNOWN,
            workload,
            None,
            None,
            f"the app runs in an App Service Environment, where azurerm requires {attribute} = true, and "
            "its value is known only after apply",
            evidence,
            fix=f"Set {attribute} = true, or give it a value the plan can show.",
        )
        return
    yield PP206.finding(
        Verdict.FAIL,
        workload,
        None,
        None,
        f"the app runs in an App Service Environment (through {plan.address}) and leaves {attribute} unset "
        f"or false; {versions.source} has {attribute} for {workload.type} (added in {shown(first)}) and "
        "refuses false for an app in an App Service Environment",
        evidence,
        fix=f"Set {attribute} = true on {workload.address}.",
    )
