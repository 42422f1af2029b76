"""PP201/PP202 over realistic App Service plans: integration, pull routing and the public route."""

from __future__ import annotations

import pytest

import azure_values as azure
from models import of_families
from planbuilder import PlanBuilder, const, ref
from pullpath.engine import analyse_plan

ACR = "azurerm_container_registry.acr"
APP = "azurerm_linux_web_app.web"
LOGIN = f"{ACR}.login_server"


def findings(tmp_path, plan: PlanBuilder):
    return analyse_plan(str(plan.write(tmp_path))).findings


def verdicts(tmp_path, plan: PlanBuilder) -> set[tuple[str, str, str]]:
    return {(f.workload.address, f.rule, f.verdict.name) for f in of_families(findings(tmp_path, plan))}


def base(
    public: bool = False, default_action: str | None = None, ip_ranges=(), endpoint: bool = True
) -> PlanBuilder:
    plan = PlanBuilder()
    plan.resource(
        ACR,
        azure.registry(public=public, default_action=default_action, ip_ranges=ip_ranges),
        unknown=azure.REGISTRY_UNKNOWN,
        expressions={},
    )
    for name in ("integration", "endpoints"):
        plan.resource(f"azurerm_subnet.{name}", azure.subnet(name), unknown=["id"], expressions={})
    if endpoint:
        plan.resource(
            "azurerm_private_endpoint.acr",
            azure.private_endpoint(),
            unknown=["subnet_id", "private_service_connection.0.private_connection_resource_id", "id"],
            expressions={
                "subnet_id": ref("azurerm_subnet.endpoints.id", "azurerm_subnet.endpoints"),
                "private_service_connection": [
                    {
                        "private_connection_resource_id": ref(f"{ACR}.id", ACR),
                        "subresource_names": const(["registry"]),
                    }
                ],
            },
        )
    return plan


def web_app(
    plan: PlanBuilder,
    integrated: bool = True,
    settings: dict | None = None,
    rtype: str = "azurerm_linux_web_app",
    **kwargs,
) -> PlanBuilder:
    values = azure.linux_web_app(app_settings=settings, **kwargs)
    unknown = [
        "site_config.0.application_stack.0.docker_registry_url",
        "id",
        "outbound_ip_address_list",
        "possible_outbound_ip_address_list",
    ]
    expressions: dict = {
        "site_config": [
            {
                "application_stack": [
                    {"docker_image_name": const("app:1.0"), "docker_registry_url": ref(LOGIN, ACR)}
                ]
            }
        ]
    }
    if integrated:
        unknown.append("virtual_network_subnet_id")
        expressions["virtual_network_subnet_id"] = ref(
            "azurerm_subnet.integration.id", "azurerm_subnet.integration"
        )
    if "outbound" in kwargs:
        unknown = [u for u in unknown if "outbound" not in u]
    address = f"{rtype}.web"
    return plan.resource(address, values, unknown=unknown, expressions=expressions)


def test_closed_registry_without_vnet_integration_fails(tmp_path):
    assert verdicts(tmp_path, web_app(base(), integrated=False)) == {(APP, "PP201", "FAIL")}


@pytest.mark.parametrize("setting", ["true", True, "True", "TRUE"])
def test_vnet_integration_with_pull_setting_passes(tmp_path, setting):
    plan = web_app(base(), settings={"WEBSITE_PULL_IMAGE_OVER_VNET": setting})
    assert verdicts(tmp_path, plan) == {(APP, "PP202", "PASS")}


def test_vnet_integration_without_pull_routing_fails(tmp_path):
    assert verdicts(tmp_path, web_app(base(), settings={})) == {(APP, "PP202", "FAIL")}


def test_route_all_does_not_route_the_pull(tmp_path):
    plan = web_app(base(), settings={"WEBSITE_VNET_ROUTE_ALL": "1"}, route_all=True)
    [finding] = findings(tmp_path, plan)
    assert (finding.rule, finding.verdict.name) == ("PP202", "FAIL")
    assert "vnet_route_all_enabled" in finding.reason


def test_site_property_routes_the_pull(tmp_path):
    plan = web_app(base(), vnet_image_pull=True)
    assert verdicts(tmp_path, plan) == {(APP, "PP202", "PASS")}


def test_windows_site_property(tmp_path):
    plan = web_app(base(), rtype="azurerm_windows_web_app")
    plan.resources[-1]["values"]["virtual_network_image_pull_enabled"] = True
    assert verdicts(tmp_path, plan) == {("azurerm_windows_web_app.web", "PP202", "PASS")}


def test_swift_connection_counts_as_vnet_integration(tmp_path):
    plan = web_app(base(), integrated=False, settings={"WEBSITE_PULL_IMAGE_OVER_VNET": "true"})
    plan.resource(
        "azurerm_app_service_virtual_network_swift_connection.web",
        {},
        unknown=["app_service_id", "subnet_id", "id"],
        expressions={
            "app_service_id": ref(f"{APP}.id", APP),
            "subnet_id": ref("azurerm_subnet.integration.id", "azurerm_subnet.integration"),
        },
    )
    assert verdicts(tmp_path, plan) == {(APP, "PP202", "PASS")}


def test_routing_on_closed_registry_without_endpoint_is_unknown(tmp_path):
    plan = web_app(base(endpoint=False), settings={"WEBSITE_PULL_IMAGE_OVER_VNET": "true"})
    assert verdicts(tmp_path, plan) == {(APP, "PP202", "UNKNOWN")}


@pytest.mark.parametrize(
    ("outbound", "expected"),
    [
        (None, "WARN"),
        (["203.0.113.5", "203.0.113.9"], "PASS"),
        (["198.51.100.1"], "FAIL"),
        (["203.0.113.5", "198.51.100.1"], "WARN"),
    ],
)
def test_unintegrated_app_on_firewalled_registry_is_judged_by_outbound_addresses(
    tmp_path, outbound, expected
):
    plan = base(public=True, default_action="Deny", ip_ranges=("203.0.113.0/24",), endpoint=False)
    kwargs = {"outbound": outbound} if outbound else {}
    assert verdicts(tmp_path, web_app(plan, integrated=False, **kwargs)) == {(APP, "PP201", expected)}


def test_open_registry_passes(tmp_path):
    plan = web_app(base(public=True, endpoint=False), integrated=False)
    assert verdicts(tmp_path, plan) == {(APP, "PP201", "PASS")}


def test_legacy_app_service_linux_fx_version(tmp_path):
    plan = base()
    plan.resource(
        "azurerm_app_service.legacy",
        {
            "name": "legacy",
            "app_settings": {"DOCKER_REGISTRY_SERVER_URL": "https://contosoacr.azurecr.io"},
            "site_config": [{"linux_fx_version": "DOCKER|contosoacr.azurecr.io/app:1.0"}],
        },
        expressions={},
    )
    assert verdicts(tmp_path, plan) == {("azurerm_app_service.legacy", "PP201", "FAIL")}


def test_function_app_docker_block(tmp_path):
    plan = base()
    plan.resource(
        "azurerm_linux_function_app.fn",
        {
            "name": "fn",
            "vnet_image_pull_enabled": True,
            "virtual_network_subnet_id": azure.subnet_id("integration"),
            "site_config": [
                {
                    "application_stack": [
                        {
                            "docker": [
                                {
                                    "registry_url": "contosoacr.azurecr.io",
                                    "image_name": "fn",
                                    "image_tag": "1",
                                }
                            ]
                        }
                    ]
                }
            ],
        },
        expressions={},
    )
    [finding] = of_families(findings(tmp_path, plan))
    assert (finding.rule, finding.verdict.name, finding.image.text) == (
        "PP202",
        "PASS",
        "contosoacr.azurecr.io/fn:1",
    )


def test_docker_hub_web_app_gets_no_finding(tmp_path):
    plan = base()
    plan.resource(
        APP,
        azure.linux_web_app(image_name="nginx:latest", registry_url="https://index.docker.io"),
        expressions={},
    )
    assert verdicts(tmp_path, plan) == set()


SLOT = "azurerm_linux_web_app_slot.staging"


def with_slots(plan: PlanBuilder, slot_name, slot_parent=None) -> PlanBuilder:
    """The parent app without integration, two slots (staging, blue) and a slot swift connection."""
    plan = web_app(plan, integrated=False, settings={"WEBSITE_PULL_IMAGE_OVER_VNET": "true"})
    for name in ("staging", "blue"):
        values = azure.linux_web_app(app_settings={"WEBSITE_PULL_IMAGE_OVER_VNET": "true"})
        values["name"] = name
        unknown = ["site_config.0.application_stack.0.docker_registry_url", "id", "app_service_id"]
        expressions: dict = {
            "app_service_id": ref(f"{APP}.id", APP),
            "site_config": [{"application_stack": [{"docker_registry_url": ref(LOGIN, ACR)}]}],
        }
        if slot_parent is not None:  # a parent given by an id string no resource of the plan has
            values["app_service_id"], expressions = slot_parent, {"site_config": expressions["site_config"]}
            unknown.remove("app_service_id")
        plan.resource(f"azurerm_linux_web_app_slot.{name}", values, unknown=unknown, expressions=expressions)
    values = {} if slot_name is None else {"slot_name": slot_name}
    plan.resource(
        "azurerm_app_service_slot_virtual_network_swift_connection.staging",
        values,
        unknown=["app_service_id", "subnet_id", "id"] + (["slot_name"] if slot_name is None else []),
        expressions={
            "app_service_id": ref(f"{APP}.id", APP),
            "subnet_id": ref("azurerm_subnet.integration.id", "azurerm_subnet.integration"),
        },
    )
    return plan


def test_slot_swift_connection_integrates_the_named_slot_not_the_parent(tmp_path):
    assert verdicts(tmp_path, with_slots(base(), "Staging")) == {
        (APP, "PP201", "FAIL"),
        (SLOT, "PP202", "PASS"),
        ("azurerm_linux_web_app_slot.blue", "PP201", "FAIL"),
    }


def test_slot_name_known_only_after_apply_leaves_each_slot_unknown(tmp_path):
    assert verdicts(tmp_path, with_slots(base(), None)) == {
        (APP, "PP201", "FAIL"),
        (SLOT, "PP201", "UNKNOWN"),
        ("azurerm_linux_web_app_slot.blue", "PP201", "UNKNOWN"),
    }


def test_slot_whose_parent_cannot_be_told_is_unknown_not_integrated(tmp_path):
    plan = with_slots(base(), "staging", slot_parent=azure.subnet_id("x").replace("subnets", "sites"))
    assert (SLOT, "PP201", "UNKNOWN") in verdicts(tmp_path, plan)
    assert ("azurerm_linux_web_app_slot.blue", "PP201", "FAIL") in verdicts(tmp_path, plan)
