"""PP201/PP202 over realistic App Service plans: integration, pull routing and the public route."""

from __future__ import annotations

import pytest
from msgspec.structs import replace

import azure_values as azure
import models
from layers import without_layers
from planbuilder import PlanBuilder, const, ref
from pullpath.engine import analyse_plan
from pullpath.model import NatGateway, Network, Ref, RegistryNetwork, Subnet, Verdict
from pullpath.rules import evaluate

ACR = "azurerm_container_registry.acr"
APP = "azurerm_linux_web_app.web"
LOGIN = f"{ACR}.login_server"


def findings(tmp_path, plan: PlanBuilder):
    return without_layers(analyse_plan(str(plan.write(tmp_path))).findings)


def verdicts(tmp_path, plan: PlanBuilder) -> set[tuple[str, str, str]]:
    return {(f.workload.address, f.rule, f.verdict.name) for f in without_layers(findings(tmp_path, plan))}


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
    [finding] = without_layers(findings(tmp_path, plan))
    assert finding.image is not None
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


# An unrouted pull leaves from App Service's shared addresses, never a customer NAT IP (#18).


def _nat_only(ip_rules, refs=(), **changes):
    """A firewalled registry whose IP rules are ``ip_rules`` (None: known only after apply, as when
    they reference a public IP created in the same plan), with the NAT gateway's IP 20.1.2.3."""
    reg = models.registry(public_network_access=True, default_action="Deny", ip_rules=ip_rules)
    network = Network(
        nat_ips={
            "azurerm_public_ip.nat": "azurerm_nat_gateway.egress",
            "20.1.2.3": "azurerm_nat_gateway.egress",
        },
        registries={reg.address: RegistryNetwork(reg.address, "westeurope", (), False, refs)},
    )
    return reg, replace(network, **changes)


@pytest.mark.parametrize(
    ("ip_rules", "refs"),
    [
        (
            None,
            (Ref(targets=("azurerm_public_ip.nat",), configured=True),),
        ),  # ip_range = azurerm_public_ip.nat.ip_address
        (("20.1.2.3/32",), (Ref(value="20.1.2.3/32"),)),
        (("10.20.0.0/16",), (Ref(value="10.20.0.0/16"),)),  # a private range: the customer's own subnet
    ],
    ids=["nat-ip-reference", "nat-ip-literal", "private-range"],
)
def test_an_unrouted_pull_against_a_firewall_of_customer_addresses_fails(ip_rules, refs):
    reg, network = _nat_only(ip_rules, refs)
    for workload, rule in (
        (models.app(reg, image_pull_routing=False), "PP202"),
        (models.app(reg, vnet_integration=False, integration_subnet=None), "PP201"),
    ):
        [finding] = without_layers(evaluate(models.model(reg, workload, network=network)))
        assert (finding.rule, finding.verdict) == (rule, Verdict.FAIL)
        assert "never from a customer NAT gateway or subnet" in finding.reason
        assert "route the image pull into the VNet" in finding.remediation


def test_an_unrouted_pull_against_a_firewall_that_also_admits_other_addresses_is_still_a_warn():
    reg, network = _nat_only(
        ("20.1.2.3/32", "198.51.100.7/32"), (Ref(value="20.1.2.3/32"), Ref(value="198.51.100.7/32"))
    )
    [finding] = without_layers(
        evaluate(models.model(reg, models.app(reg, image_pull_routing=False), network=network))
    )
    assert (finding.rule, finding.verdict) == ("PP202", Verdict.WARN)


def test_a_routed_pull_through_the_nat_gateway_is_judged_on_the_nat_ip():
    reg, network = _nat_only(("20.1.2.3/32",), (Ref(value="20.1.2.3/32"),))
    subnets = {
        "azurerm_subnet.integration": Subnet("azurerm_subnet.integration", None, "azurerm_nat_gateway.egress")
    }
    nats = {"azurerm_nat_gateway.egress": NatGateway("azurerm_nat_gateway.egress", ("20.1.2.3",))}
    model = models.model(reg, models.app(reg), network=network, subnets=subnets, nat_gateways=nats)
    [finding] = without_layers(evaluate(model))
    assert (finding.rule, finding.verdict) == ("PP202", Verdict.PASS)
