"""PP203/PP204 over App Service plans: routing by app setting per provider version, Consumption plans."""

from __future__ import annotations

import pytest
from msgspec.structs import replace

import azure_values as azure
from layers import without_layers
from planbuilder import PlanBuilder, const, ref
from pullpath.builders import build_model
from pullpath.engine import analyse_model
from pullpath.readers.plan import read_plan

ACR = "azurerm_container_registry.acr"
LOGIN = f"{ACR}.login_server"
WEB = "azurerm_linux_web_app.web"
FN = "azurerm_linux_function_app.fn"
PLAN = "azurerm_service_plan.plan"
SETTING = {"WEBSITE_PULL_IMAGE_OVER_VNET": "true"}


def verdicts(tmp_path, plan: PlanBuilder, version: tuple[int, int, int] | None = None) -> set:
    """Judge the plan as if the lock file pinned ``version`` (a plan file carries none)."""
    path = str(plan.write(tmp_path))
    model = replace(build_model(read_plan(path), path), azurerm_version=version)
    return {
        (f.workload.address, f.rule, f.verdict.name) for f in without_layers(analyse_model(model).findings)
    }


def network(public: bool = False, endpoint: bool = True) -> PlanBuilder:
    """A registry (closed unless ``public``), an integration subnet and a registry private endpoint."""
    plan = PlanBuilder().resource(
        ACR, azure.registry(public=public), unknown=azure.REGISTRY_UNKNOWN, expressions={}
    )
    for name in ("integration", "endpoints"):
        plan.resource(f"azurerm_subnet.{name}", azure.subnet(name), unknown=["id"], expressions={})
    if endpoint:
        azure.add_registry_endpoint(plan)
    return plan


def web_app(
    plan: PlanBuilder,
    settings: dict | None = None,
    vnet_image_pull: bool | None = None,
    rtype: str = "azurerm_linux_web_app",
    address: str = WEB,
) -> PlanBuilder:
    values = azure.linux_web_app(app_settings=settings, vnet_image_pull=vnet_image_pull)
    if rtype.startswith("azurerm_windows"):
        values.pop("vnet_image_pull_enabled", None)
        values["virtual_network_image_pull_enabled"] = bool(vnet_image_pull)
    return plan.resource(
        address,
        values,
        unknown=["site_config.0.application_stack.0.docker_registry_url", "virtual_network_subnet_id", "id"],
        expressions={
            "site_config": [
                {
                    "application_stack": [
                        {"docker_image_name": const("app:1.0"), "docker_registry_url": ref(LOGIN, ACR)}
                    ]
                }
            ],
            "virtual_network_subnet_id": ref("azurerm_subnet.integration.id", "azurerm_subnet.integration"),
        },
    )


def test_setting_only_routing_warns_on_a_provider_that_sends_the_property(tmp_path):
    plan = web_app(network(), settings=SETTING, vnet_image_pull=False)
    assert verdicts(tmp_path, plan, (4, 41, 0)) == {(WEB, "PP202", "PASS"), (WEB, "PP203", "WARN")}


def test_setting_as_an_hcl_bool_counts_as_routing(tmp_path):
    plan = web_app(network(), settings={"WEBSITE_PULL_IMAGE_OVER_VNET": True}, vnet_image_pull=False)
    assert verdicts(tmp_path, plan, (4, 36, 0)) == {(WEB, "PP202", "PASS"), (WEB, "PP203", "WARN")}


@pytest.mark.parametrize("version", [None, (4, 35, 2), (3, 117, 1)])
def test_setting_only_routing_is_not_pp203_without_a_version_that_sends_the_property(tmp_path, version):
    plan = web_app(network(), settings=SETTING)
    assert verdicts(tmp_path, plan, version) == {(WEB, "PP202", "PASS")}


def test_the_site_property_itself_is_not_pp203(tmp_path):
    plan = web_app(network(), vnet_image_pull=True)
    assert verdicts(tmp_path, plan, (4, 41, 0)) == {(WEB, "PP202", "PASS")}


def test_setting_only_routing_to_an_open_registry_is_not_pp203(tmp_path):
    plan = web_app(network(public=True, endpoint=False), settings=SETTING, vnet_image_pull=False)
    assert verdicts(tmp_path, plan, (4, 41, 0)) == {(WEB, "PP201", "PASS")}


@pytest.mark.parametrize(("version", "warned"), [((4, 51, 0), False), ((4, 52, 0), True)])
def test_windows_web_app_has_its_property_from_4_52(tmp_path, version, warned):
    windows = "azurerm_windows_web_app.web"
    plan = web_app(network(), settings=SETTING, rtype="azurerm_windows_web_app", address=windows)
    expected = {(windows, "PP202", "PASS")} | ({(windows, "PP203", "WARN")} if warned else set())
    assert verdicts(tmp_path, plan, version) == expected


def service_plan(plan: PlanBuilder, sku: str | None, address: str = PLAN) -> PlanBuilder:
    values = azure.service_plan(sku_name=sku or "")
    unknown = ["id", "kind", "reserved"]
    if sku is None:
        del values["sku_name"]
        unknown.append("sku_name")
    expressions = {"sku_name": const(sku) if sku else ref("var.plan_sku")}
    return plan.resource(address, values, unknown=unknown, expressions=expressions)


def function_app(
    plan: PlanBuilder,
    vnet_image_pull: bool = True,
    integrated: bool = False,
    rtype: str = "azurerm_linux_function_app",
    plan_address: str = PLAN,
    settings: dict | None = None,
) -> PlanBuilder:
    address = f"{rtype}.fn"
    values = azure.function_app(vnet_image_pull=vnet_image_pull, app_settings=settings)
    unknown = ["site_config.0.application_stack.0.docker.0.registry_url", "service_plan_id", "id"]
    expressions: dict = {
        "service_plan_id": ref(f"{plan_address}.id", plan_address),
        "vnet_image_pull_enabled": const(vnet_image_pull),
        "site_config": [
            {
                "application_stack": [
                    {"docker": [{"image_name": const("fn"), "registry_url": ref(LOGIN, ACR)}]}
                ]
            }
        ],
    }
    if integrated:
        unknown.append("virtual_network_subnet_id")
        expressions["virtual_network_subnet_id"] = ref(
            "azurerm_subnet.integration.id", "azurerm_subnet.integration"
        )
    return plan.resource(address, values, unknown=unknown, expressions=expressions)


def test_vnet_image_pull_on_a_consumption_plan_fails(tmp_path):
    plan = function_app(service_plan(network(), "Y1"))
    # PP205: the plan runs no containers at all, so there is no pull for PP201 to judge
    assert verdicts(tmp_path, plan) == {(FN, "PP205", "FAIL"), (FN, "PP204", "FAIL")}


def test_windows_function_app_on_a_consumption_plan_fails(tmp_path):
    plan = function_app(
        service_plan(network(), "Y1", "azurerm_service_plan.plan"), rtype="azurerm_windows_function_app"
    )
    assert ("azurerm_windows_function_app.fn", "PP204", "FAIL") in verdicts(tmp_path, plan)


def test_vnet_image_pull_on_elastic_premium_is_not_pp204(tmp_path):
    plan = function_app(service_plan(network(), "EP1"), integrated=True)
    assert verdicts(tmp_path, plan) == {(FN, "PP202", "PASS")}


def test_consumption_plan_without_vnet_image_pull_is_not_pp204(tmp_path):
    plan = function_app(service_plan(network(public=True, endpoint=False), "Y1"), vnet_image_pull=False)
    assert verdicts(tmp_path, plan) == {(FN, "PP205", "FAIL")}  # no container support, open registry or not


def test_plan_sku_known_only_after_apply_is_unknown(tmp_path):
    plan = function_app(service_plan(network(), None), integrated=True)
    assert verdicts(tmp_path, plan) == {
        (FN, "PP202", "PASS"),
        (FN, "PP204", "UNKNOWN"),
        (FN, "PP205", "UNKNOWN"),
    }


def test_legacy_dynamic_plan_is_a_consumption_plan(tmp_path):
    legacy = "azurerm_app_service_plan.plan"
    plan = network().resource(
        legacy,
        {
            "name": "asp-func",
            "location": "westeurope",
            "resource_group_name": "rg-app",
            "kind": "FunctionApp",
            "reserved": True,
            "sku": [{"tier": "Dynamic", "size": "Y1", "capacity": 0}],
        },
        unknown=["id"],
        expressions={"sku": [{"tier": const("Dynamic"), "size": const("Y1")}]},
    )
    assert (FN, "PP204", "FAIL") in verdicts(tmp_path, function_app(plan, plan_address=legacy))


def test_slot_without_its_own_plan_runs_on_its_parents_consumption_plan(tmp_path):
    slot = "azurerm_linux_function_app_slot.staging"
    plan = function_app(service_plan(network(), "Y1"), vnet_image_pull=False)
    values = azure.function_app(vnet_image_pull=True)
    values["name"] = "staging"
    plan.resource(
        slot,
        values,
        unknown=["function_app_id", "id", "site_config.0.application_stack.0.docker.0.registry_url"],
        expressions={
            "function_app_id": ref(f"{FN}.id", FN),
            "vnet_image_pull_enabled": const(True),
            "site_config": [
                {
                    "application_stack": [
                        {"docker": [{"image_name": const("fn"), "registry_url": ref(LOGIN, ACR)}]}
                    ]
                }
            ],
        },
    )
    assert (slot, "PP204", "FAIL") in verdicts(tmp_path, plan)
    assert (FN, "PP204", "FAIL") not in verdicts(tmp_path, plan)


def test_function_app_setting_only_routing_warns_from_azurerm_4_0(tmp_path):
    plan = function_app(
        service_plan(network(), "EP1"), vnet_image_pull=False, integrated=True, settings=SETTING
    )
    assert verdicts(tmp_path, plan, (4, 0, 0)) == {(FN, "PP202", "PASS"), (FN, "PP203", "WARN")}


def test_pp203_says_the_setting_routes_the_pull_and_never_that_the_property_overrides_it(tmp_path):
    plan = web_app(network(), settings=SETTING, vnet_image_pull=False)
    path = str(plan.write(tmp_path))
    model = replace(build_model(read_plan(path), path), azurerm_version=(4, 41, 0))
    (warned,) = [f for f in analyse_model(model).findings if f.rule == "PP203"]
    assert "which Microsoft documents as enabling routing" in warned.reason
    assert "may override" not in warned.reason and "no source says that false overrides" in warned.reason
    assert warned.remediation.startswith("Set vnet_image_pull_enabled = true")


def test_pp203_reads_a_version_constraint_when_there_is_no_lock_file(tmp_path):
    plan = web_app(network(), settings=SETTING, vnet_image_pull=False)
    path = str(plan.write(tmp_path))
    model = build_model(read_plan(path), path)
    judged = lambda constraint: {  # noqa: E731 - a one-line helper
        (f.rule, f.verdict.name)
        for f in analyse_model(replace(model, azurerm_constraint=constraint)).findings
    }
    assert ("PP203", "WARN") in judged("~> 4.41")  # every allowed version has the property
    assert ("PP203", "WARN") not in judged("~> 4.0")  # 4.0 to 4.35 have none
