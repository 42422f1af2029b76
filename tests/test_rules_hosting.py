"""PP205 and PP206: where an App Service app is hosted decides whether, and how, it pulls.

A plan that runs no containers (Consumption Y1/Dynamic, Flex Consumption FC1) fails whatever the
registry, and leaves the pull-path rules nothing to judge; an app on a plan in an App Service
Environment runs in the environment's VNet (never "no VNet integration") and azurerm refuses its
image pull property off.
"""

from __future__ import annotations

import textwrap

import pytest
from msgspec.structs import replace

import models
from layers import evaluate_without_layers as evaluate
from layers import route_only
from pullpath.engine import analyse_directory
from pullpath.model import Cite, Evidence, Ref, ServicePlan, Verdict

PLAN = "azurerm_service_plan.plan"
WEB = "azurerm_linux_web_app.web"


def verdicts(model) -> set[tuple[str, str, str]]:
    return {(f.workload.address, f.rule, f.verdict.name) for f in evaluate(model)}


@pytest.mark.parametrize("sku", ["Y1", "Dynamic", "FC1", "FlexConsumption"])
def test_a_container_on_a_plan_without_container_support_fails_whatever_the_registry(sku):
    for public in (False, True):
        acr = models.registry(public_network_access=public, default_action="Allow")
        app = models.app(acr, service_plan=ServicePlan(PLAN, sku, None), vnet_integration=False)
        assert verdicts(models.model(acr, app)) == {(WEB, "PP205", "FAIL")}


@pytest.mark.parametrize("sku", ["EP1", "P1v3", "I1v2", "S1"])
def test_elastic_premium_and_dedicated_plans_are_judged_as_before(sku):
    acr = models.registry()
    app = models.app(acr, service_plan=ServicePlan(PLAN, sku, False))
    assert verdicts(models.model(acr, models.endpoint(acr), app)) == {(WEB, "PP202", "PASS")}


def test_a_sku_known_only_after_apply_is_unknown_and_names_the_plan():
    acr = models.registry()
    app = models.app(acr, service_plan=ServicePlan(PLAN, None, None))
    found = {f.rule: f for f in evaluate(models.model(acr, models.endpoint(acr), app))}
    assert found["PP205"].verdict is Verdict.UNKNOWN
    assert PLAN in found["PP205"].remediation
    assert found["PP202"].verdict is Verdict.PASS  # it may be a plan that runs containers


def test_an_app_without_an_image_on_a_consumption_plan_has_no_finding():
    acr = models.registry()
    app = models.app(acr, images=(), service_plan=ServicePlan(PLAN, "Y1", True))
    assert verdicts(models.model(acr, app)) == set()


def _in_ase(acr, **changes):
    plan = ServicePlan(
        PLAN, "I1v2", False, environment=Ref(targets=("azurerm_app_service_environment_v3.ase",))
    )
    return models.app(acr, service_plan=plan, **changes)


@pytest.mark.parametrize(
    ("version", "constraint", "failed"),
    [
        ((4, 41, 0), None, True),
        ((4, 30, 0), None, False),  # no property on 4.30: nothing is sent, nothing refused
        (None, "~> 4.41", True),  # every version the constraint allows has it
        (None, "~> 4.0", False),  # some do, some do not: pullpath cannot tell
        (None, None, False),
    ],
)
def test_an_app_in_an_ase_with_the_pull_property_off_is_refused_where_azurerm_has_it(
    version, constraint, failed
):
    acr = models.registry()
    app = _in_ase(acr, pull_property=False)
    model = models.model(
        acr, models.endpoint(acr), app, azurerm_version=version, azurerm_constraint=constraint
    )
    expected = {(WEB, "PP202", "PASS")} | ({(WEB, "PP206", "FAIL")} if failed else set())
    assert verdicts(model) == expected


def test_an_app_in_an_ase_with_the_pull_property_on_is_not_pp206():
    acr = models.registry()
    model = models.model(
        acr, models.endpoint(acr), _in_ase(acr, pull_property=True), azurerm_version=(4, 52, 0)
    )
    assert verdicts(model) == {(WEB, "PP202", "PASS")}


def test_pp206_names_the_property_the_windows_type_has_from_4_52():
    acr = models.registry()
    app = _in_ase(acr, type="azurerm_windows_web_app", pull_property=False)
    model = models.model(acr, models.endpoint(acr), app, azurerm_version=(4, 52, 0))
    (refused,) = [f for f in evaluate(model) if f.rule == "PP206"]
    assert "virtual_network_image_pull_enabled = true" in refused.remediation
    assert not [f for f in evaluate(replace(model, azurerm_version=(4, 51, 0))) if f.rule == "PP206"]


def _scan(tmp_path, text: str, lock: str | None = None):
    (tmp_path / "main.tf").write_text(textwrap.dedent(text), encoding="utf-8")
    if lock:
        (tmp_path / ".terraform.lock.hcl").write_text(
            f'provider "registry.terraform.io/hashicorp/azurerm" {{\n  version = "{lock}"\n}}\n',
            encoding="utf-8",
        )
    return route_only(analyse_directory(str(tmp_path)))


_REGISTRY = """
resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.2.0/24"]
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  resource_group_name = "rg"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}
"""

_WEB_APP = """
resource "azurerm_linux_web_app" "web" {
  name                    = "app-web"
  resource_group_name     = "rg"
  location                = "westeurope"
  service_plan_id         = azurerm_service_plan.plan.id
  vnet_image_pull_enabled = true

  site_config {
    container_registry_use_managed_identity = true
    application_stack {
      docker_image_name   = "app:1.0"
      docker_registry_url = "https://${azurerm_container_registry.acr.login_server}"
    }
  }
}
"""


def test_an_azurerm_app_on_an_ase_plan_is_integrated_with_the_ase_subnet(tmp_path):
    report = _scan(
        tmp_path,
        _REGISTRY
        + """
resource "azurerm_subnet" "ase" {
  name                 = "snet-ase"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.8.0/24"]
}

resource "azurerm_app_service_environment_v3" "ase" {
  name                = "ase"
  resource_group_name = "rg"
  subnet_id           = azurerm_subnet.ase.id
}

resource "azurerm_service_plan" "plan" {
  name                       = "asp"
  resource_group_name        = "rg"
  location                   = "westeurope"
  os_type                    = "Linux"
  sku_name                   = "I1v2"
  app_service_environment_id = azurerm_app_service_environment_v3.ase.id
}
"""
        + _WEB_APP,
    )
    (finding,) = report.findings
    assert (finding.rule, finding.verdict) == ("PP202", Verdict.PASS)
    assert Evidence("azurerm_app_service_environment_v3.ase", "subnet_id") in finding.evidence
    assert (
        Evidence(
            "azurerm_service_plan.plan",
            "app_service_environment_id",
            "azurerm_app_service_environment_v3.ase",
        )
        in finding.evidence
    )
    (web,) = report.models[0].workloads
    assert web.integration_subnet.targets == ("azurerm_subnet.ase",)
    assert web.cite(Cite.SUBNET) == "subnet_id"


def test_an_ase_this_input_does_not_define_still_puts_the_app_in_a_vnet(tmp_path):
    ase_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/hostingEnvironments/ase-shared"
    report = _scan(
        tmp_path,
        _REGISTRY
        + f"""
resource "azurerm_service_plan" "plan" {{
  name                       = "asp"
  resource_group_name        = "rg"
  location                   = "westeurope"
  os_type                    = "Linux"
  sku_name                   = "I1v2"
  app_service_environment_id = "{ase_id}"
}}
"""
        + _WEB_APP,
    )
    assert {(f.rule, f.verdict.name) for f in report.findings} == {("PP202", "PASS")}


def test_an_azapi_site_on_a_serverfarm_in_an_ase_is_not_pp201(tmp_path):
    report = _scan(
        tmp_path,
        _REGISTRY
        + """
resource "azapi_resource" "ase" {
  type      = "Microsoft.Web/hostingEnvironments@2023-12-01"
  name      = "ase"
  parent_id = "/subscriptions/0/resourceGroups/rg"
  location  = "westeurope"
  body = {
    kind       = "ASEV3"
    properties = { virtualNetwork = { id = azurerm_subnet.endpoints.id } }
  }
}

resource "azapi_resource" "farm" {
  type      = "Microsoft.Web/serverfarms@2023-12-01"
  name      = "asp"
  parent_id = "/subscriptions/0/resourceGroups/rg"
  location  = "westeurope"
  body = {
    kind       = "linux"
    sku        = { name = "I1v2", tier = "IsolatedV2" }
    properties = { reserved = true, hostingEnvironmentProfile = { id = azapi_resource.ase.id } }
  }
}

resource "azapi_resource" "site" {
  type      = "Microsoft.Web/sites@2023-12-01"
  name      = "app-web"
  parent_id = "/subscriptions/0/resourceGroups/rg"
  location  = "westeurope"
  body = {
    kind = "app,linux,container"
    properties = {
      serverFarmId = azapi_resource.farm.id
      siteConfig   = { linuxFxVersion = "DOCKER|contosoacr.azurecr.io/app:1.0" }
    }
  }
}
""",
    )
    (finding,) = report.findings
    assert (finding.workload.address, finding.rule, finding.verdict) == (
        "azapi_resource.site",
        "PP202",
        Verdict.PASS,
    )
    assert Evidence("azapi_resource.ase", "body.properties.virtualNetwork.id") in finding.evidence


def test_an_azapi_site_on_a_flex_consumption_farm_fails(tmp_path):
    report = _scan(
        tmp_path,
        """
resource "azapi_resource" "farm" {
  type      = "Microsoft.Web/serverfarms@2024-04-01"
  name      = "asp-flex"
  parent_id = "/subscriptions/0/resourceGroups/rg"
  location  = "westeurope"
  body      = { kind = "functionapp", sku = { name = "FC1", tier = "FlexConsumption" } }
}

resource "azapi_resource" "fn" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-flex"
  parent_id = "/subscriptions/0/resourceGroups/rg"
  location  = "westeurope"
  body = {
    kind = "functionapp,linux,container"
    properties = {
      serverFarmId = azapi_resource.farm.id
      siteConfig   = { linuxFxVersion = "DOCKER|mcr.microsoft.com/azure-functions/dotnet:4" }
    }
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoacr"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
}
""",
    )
    assert {(f.workload.address, f.rule, f.verdict.name) for f in report.findings} == {
        ("azapi_resource.fn", "PP205", "FAIL")
    }


def test_an_ase_app_without_the_property_fails_on_a_locked_provider_that_has_it(tmp_path):
    text = _REGISTRY + _WEB_APP.replace("  vnet_image_pull_enabled = true\n", "")
    plan = """
resource "azurerm_service_plan" "plan" {
  name                       = "asp"
  resource_group_name        = "rg"
  location                   = "westeurope"
  os_type                    = "Linux"
  sku_name                   = "I1v2"
  app_service_environment_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/hostingEnvironments/ase"
}
"""
    found = {(f.rule, f.verdict.name) for f in _scan(tmp_path, text + plan, lock="4.41.0").findings}
    assert found == {("PP202", "PASS"), ("PP206", "FAIL")}
