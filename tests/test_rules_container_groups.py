"""PP101-PP105 over realistic container-group plans, asserted per workload address and rule."""

from __future__ import annotations

import pytest

import azure_values as azure
import models
from layers import without_layers
from planbuilder import PlanBuilder, const, ref
from pullpath.engine import analyse_plan
from pullpath.model import Verdict
from pullpath.rules import evaluate
from pullpath.rules.placement import CITED_ENDPOINTS

ACR = "azurerm_container_registry.acr"
CG = "azurerm_container_group.app"
LOGIN = f"{ACR}.login_server"
ACR_IMAGE = {"container": [{"image": ref(LOGIN, ACR)}]}


def verdicts(tmp_path, builder: PlanBuilder) -> set[tuple[str, str, str]]:
    report = analyse_plan(str(builder.write(tmp_path)))
    return {(f.workload.address, f.rule, f.verdict.name) for f in without_layers(report.findings)}


def closed_registry(plan: PlanBuilder, bypass: str = "AzureServices") -> PlanBuilder:
    return plan.resource(
        ACR, azure.registry(public=False, bypass=bypass), unknown=azure.REGISTRY_UNKNOWN, expressions={}
    )


def password_credential() -> dict:
    return {"server": None, "username": None, "password": None, "user_assigned_identity_id": None}


def with_credential(kind: str) -> tuple[dict, list[str], dict]:
    """Values, unknown paths and expressions of a credential pointing at the registry."""
    unknown = ["container.0.image"] + (["image_registry_credential.0.server"] if kind != "none" else [])
    expressions: dict = {"container": [{"image": ref(LOGIN, ACR)}]}
    credential = {"server": ref(LOGIN, ACR)}
    if kind == "password":
        unknown += ["image_registry_credential.0.username", "image_registry_credential.0.password"]
        credential |= {
            "username": ref(f"{ACR}.admin_username", ACR),
            "password": ref(f"{ACR}.admin_password", ACR),
        }
    elif kind == "identity":
        unknown += ["image_registry_credential.0.user_assigned_identity_id", "identity.0.identity_ids"]
        credential |= {"user_assigned_identity_id": ref("azurerm_user_assigned_identity.pull.id")}
    if kind != "none":
        expressions["image_registry_credential"] = [credential]
    values = azure.container_group(credential={} if kind != "none" else None)
    return values, unknown, expressions


def group(plan: PlanBuilder, kind: str, subnet: str | None = None, extra: dict | None = None) -> PlanBuilder:
    values, unknown, expressions = with_credential(kind)
    if subnet:
        values["ip_address_type"] = "Private"
        unknown.append("subnet_ids")
        expressions["subnet_ids"] = ref(f"azurerm_subnet.{subnet}.id", f"azurerm_subnet.{subnet}")
    expressions |= extra or {}
    return plan.resource(CG, values, unknown=unknown, expressions=expressions)


def endpoint(plan: PlanBuilder, subnet: str) -> PlanBuilder:
    return plan.resource(
        "azurerm_private_endpoint.acr",
        azure.private_endpoint(),
        unknown=["subnet_id", "private_service_connection.0.private_connection_resource_id", "id"],
        expressions={
            "subnet_id": ref(f"azurerm_subnet.{subnet}.id", f"azurerm_subnet.{subnet}"),
            "private_service_connection": [
                {
                    "private_connection_resource_id": ref(f"{ACR}.id", ACR),
                    "subresource_names": const(["registry"]),
                }
            ],
        },
    )


def subnets(plan: PlanBuilder, *names: str) -> PlanBuilder:
    for name in names:
        plan.resource(f"azurerm_subnet.{name}", azure.subnet(name), unknown=["id"], expressions={})
    return plan


@pytest.mark.parametrize("kind", ["password", "none"])
def test_closed_registry_password_or_anonymous_pull_fails(tmp_path, kind):
    plan = group(closed_registry(PlanBuilder()), kind)
    assert verdicts(tmp_path, plan) == {(CG, "PP101", "FAIL")}


def test_identity_pull_with_bypass_none_fails(tmp_path):
    plan = group(closed_registry(PlanBuilder(), bypass="None"), "identity")
    assert verdicts(tmp_path, plan) == {(CG, "PP102", "FAIL")}


def test_identity_pull_outside_vnet_passes_through_trusted_services(tmp_path):
    plan = group(closed_registry(PlanBuilder()), "identity")
    assert verdicts(tmp_path, plan) == {(CG, "PP102", "PASS")}


def test_documented_vnet_path_passes(tmp_path):
    plan = subnets(closed_registry(PlanBuilder()), "aci", "endpoints")
    group(endpoint(plan, "endpoints"), "identity", subnet="aci")
    assert verdicts(tmp_path, plan) == {(CG, "PP103", "PASS")}


def test_private_endpoint_in_the_groups_own_subnet_fails(tmp_path):
    plan = subnets(closed_registry(PlanBuilder()), "aci")
    group(endpoint(plan, "aci"), "identity", subnet="aci")
    assert verdicts(tmp_path, plan) == {(CG, "PP103", "FAIL")}


def test_vnet_identity_pull_without_visible_endpoint_is_unknown(tmp_path):
    plan = group(subnets(closed_registry(PlanBuilder()), "aci"), "identity", subnet="aci")
    assert verdicts(tmp_path, plan) == {(CG, "PP104", "UNKNOWN")}


def test_unknown_bypass_is_unknown_not_pass(tmp_path):
    plan = PlanBuilder().resource(
        ACR,
        azure.registry(public=False),
        unknown=[*azure.REGISTRY_UNKNOWN, "network_rule_bypass_option"],
        expressions={},
    )
    del plan.resources[0]["values"]["network_rule_bypass_option"]
    group(plan, "identity")
    assert verdicts(tmp_path, plan) == {(CG, "PP102", "UNKNOWN")}


def test_private_endpoint_alone_does_not_restrict_a_registry(tmp_path):
    plan = subnets(PlanBuilder(), "endpoints").resource(
        ACR, azure.registry(public=True), unknown=azure.REGISTRY_UNKNOWN, expressions={}
    )
    group(endpoint(plan, "endpoints"), "password")
    assert verdicts(tmp_path, plan) == {(CG, "PP101", "PASS")}


def firewalled(plan: PlanBuilder, ip_ranges=("203.0.113.0/24",), service_endpoints=()) -> PlanBuilder:
    values = azure.registry(
        public=True, default_action="Deny", ip_ranges=ip_ranges, service_endpoints=service_endpoints
    )
    return plan.resource(ACR, values, unknown=azure.REGISTRY_UNKNOWN, expressions={})


def nat(plan: PlanBuilder, subnet: str, ip: str | None) -> PlanBuilder:
    public_ip = {"name": "pip-nat", "allocation_method": "Static", "sku": "Standard"}
    if ip:
        public_ip["ip_address"] = ip
    plan.resource(
        "azurerm_public_ip.nat", public_ip, unknown=[] if ip else ["ip_address", "id"], expressions={}
    )
    plan.resource(
        "azurerm_nat_gateway.nat", {"name": "ng", "sku_name": "Standard"}, unknown=["id"], expressions={}
    )
    plan.resource(
        "azurerm_subnet_nat_gateway_association.aci",
        {},
        unknown=["subnet_id", "nat_gateway_id", "id"],
        expressions={
            "subnet_id": ref(f"azurerm_subnet.{subnet}.id", f"azurerm_subnet.{subnet}"),
            "nat_gateway_id": ref("azurerm_nat_gateway.nat.id", "azurerm_nat_gateway.nat"),
        },
    )
    plan.resource(
        "azurerm_nat_gateway_public_ip_association.nat",
        {},
        unknown=["nat_gateway_id", "public_ip_address_id", "id"],
        expressions={
            "nat_gateway_id": ref("azurerm_nat_gateway.nat.id", "azurerm_nat_gateway.nat"),
            "public_ip_address_id": ref("azurerm_public_ip.nat.id", "azurerm_public_ip.nat"),
        },
    )
    return plan


def test_public_group_on_firewalled_registry_fails(tmp_path):
    plan = group(firewalled(PlanBuilder()), "password")
    assert verdicts(tmp_path, plan) == {(CG, "PP101", "FAIL")}


def test_firewalled_registry_without_ip_rules_admits_nothing(tmp_path):
    plan = subnets(firewalled(PlanBuilder(), ip_ranges=()), "aci")
    group(nat(plan, "aci", "203.0.113.10"), "password", subnet="aci")
    assert verdicts(tmp_path, plan) == {(CG, "PP101", "FAIL")}


@pytest.mark.parametrize(
    ("ip", "expected"), [(None, "WARN"), ("203.0.113.10", "PASS"), ("198.51.100.7", "FAIL")]
)
def test_vnet_group_on_firewalled_registry_is_judged_by_its_nat_address(tmp_path, ip, expected):
    plan = subnets(firewalled(PlanBuilder()), "aci")
    group(nat(plan, "aci", ip), "password", subnet="aci")
    assert verdicts(tmp_path, plan) == {(CG, "PP101", expected)}


def test_service_endpoint_only_registry_fails_pp105(tmp_path):
    plan = subnets(
        firewalled(PlanBuilder(), ip_ranges=(), service_endpoints=(azure.subnet_id("aci"),)), "aci"
    )
    group(plan, "password", subnet="aci")
    assert verdicts(tmp_path, plan) == {(CG, "PP105", "FAIL")}


def test_data_source_registry_is_unknown(tmp_path):
    plan = PlanBuilder().data(
        "data.azurerm_container_registry.shared",
        {"name": "sharedacr", "login_server": "sharedacr.azurecr.io", "resource_group_name": "rg-shared"},
        expressions={"name": const("sharedacr")},
    )
    values = azure.container_group(image="sharedacr.azurecr.io/app:1.0")
    plan.resource(
        CG, values, expressions={"container": [{"image": ref("data.azurerm_container_registry.shared")}]}
    )
    assert verdicts(tmp_path, plan) == {(CG, "PP101", "UNKNOWN")}


def test_login_server_without_matching_resource_is_unknown(tmp_path):
    plan = PlanBuilder().resource(
        CG, azure.container_group(image="elsewhere.azurecr.io/app:1"), expressions={}
    )
    assert verdicts(tmp_path, plan) == {(CG, "PP101", "UNKNOWN")}


@pytest.mark.parametrize(
    "image", ["nginx:1.27", "mcr.microsoft.com/azuredocs/aci-helloworld", "ghcr.io/org/app:1"]
)
def test_image_not_from_acr_gets_no_finding(tmp_path, image):
    plan = closed_registry(PlanBuilder()).resource(CG, azure.container_group(image=image), expressions={})
    assert verdicts(tmp_path, plan) == set()


@pytest.mark.parametrize("host", ["ContosoACR.AzureCR.io", "contosoacr.azurecr.cn", "CONTOSOACR.azurecr.us"])
def test_literal_login_server_matches_registry_by_name_case_insensitively(tmp_path, host):
    plan = closed_registry(PlanBuilder()).resource(
        CG, azure.container_group(image=f"{host}/app:1"), expressions={}
    )
    assert verdicts(tmp_path, plan) == {(CG, "PP101", "FAIL")}


def test_init_container_counts(tmp_path):
    values = azure.container_group(image="nginx:1.27", init_image="contosoacr.azurecr.io/migrate:1")
    plan = closed_registry(PlanBuilder()).resource(CG, values, expressions={})
    report = analyse_plan(str(plan.write(tmp_path)))
    assert [(f.image and f.image.attribute, f.verdict.name) for f in without_layers(report.findings)] == [
        ("init_container[0].image", "FAIL")
    ]


def test_untraceable_unknown_image_is_unknown_when_registries_exist(tmp_path):
    plan = closed_registry(PlanBuilder())
    plan.resource(
        CG,
        azure.container_group(),
        unknown=["container.0.image"],
        expressions={"container": [{"image": ref("random_pet.tag.id", "random_pet.tag")}]},
    )
    assert verdicts(tmp_path, plan) == {(CG, "PP101", "UNKNOWN")}


def test_deleted_group_is_not_a_workload_but_a_replaced_one_is(tmp_path):
    plan = closed_registry(PlanBuilder())
    plan.delete("azurerm_container_group.old", azure.container_group(image="contosoacr.azurecr.io/app:1"))
    plan.resource(
        CG,
        azure.container_group(image="contosoacr.azurecr.io/app:2"),
        actions=["delete", "create"],
        expressions={},
    )
    assert verdicts(tmp_path, plan) == {(CG, "PP101", "FAIL")}


def test_image_traced_through_for_each_module_inputs(tmp_path):
    plan = closed_registry(PlanBuilder())
    plan.module_call(
        ("aci",),
        {"login_server": ref(LOGIN, ACR), "image_name": ref("each.key")},
        for_each=ref("var.apps"),
    )
    for key in ("api", "worker"):
        plan.resource(
            f'module.aci["{key}"].{CG.replace("app", "this")}',
            azure.container_group(credential={}),
            unknown=[
                "container.0.image",
                "image_registry_credential.0.server",
                "image_registry_credential.0.password",
            ],
            expressions={
                "container": [{"image": ref("var.login_server", "var.image_name")}],
                "image_registry_credential": [
                    {"server": ref("var.login_server"), "password": ref("var.password")}
                ],
            },
        )
    assert verdicts(tmp_path, plan) == {
        ('module.aci["api"].azurerm_container_group.this', "PP101", "FAIL"),
        ('module.aci["worker"].azurerm_container_group.this', "PP101", "FAIL"),
    }


def test_registry_traced_through_module_output(tmp_path):
    plan = PlanBuilder()
    plan.module_call(("registry",), {}, outputs={"login_server": ref(LOGIN, ACR)})
    plan.resource(
        f"module.registry.{ACR}", azure.registry(public=False), unknown=azure.REGISTRY_UNKNOWN, expressions={}
    )
    plan.resource(
        CG,
        azure.container_group(),
        unknown=["container.0.image"],
        expressions={"container": [{"image": ref("module.registry.login_server", "module.registry")}]},
    )
    assert verdicts(tmp_path, plan) == {(CG, "PP101", "FAIL")}


def test_conditional_between_registries_with_different_verdicts_is_unknown(tmp_path):
    plan = closed_registry(PlanBuilder()).resource(
        "azurerm_container_registry.public",
        azure.registry(name="publicacr"),
        unknown=azure.REGISTRY_UNKNOWN,
        expressions={},
    )
    plan.resource(
        CG,
        azure.container_group(),
        unknown=["container.0.image"],
        expressions={
            "container": [
                {
                    "image": ref(
                        "var.private",
                        LOGIN,
                        ACR,
                        "azurerm_container_registry.public.login_server",
                        "azurerm_container_registry.public",
                    )
                }
            ]
        },
    )
    assert verdicts(tmp_path, plan) == {(CG, "PP101", "UNKNOWN")}


def test_a_registry_with_many_private_endpoints_is_cited_by_its_first_three_and_a_count():
    """A hub registry with an endpoint per spoke: each group's finding names three, not hundreds."""
    acr = models.registry()
    endpoints = [models.endpoint(acr, f"azurerm_private_endpoint.spoke{n}") for n in range(40)]
    found = [f for f in evaluate(models.model(acr, models.group(acr), *endpoints)) if f.rule == "PP103"]
    assert [f.verdict for f in found] == [Verdict.UNKNOWN]  # the subnets are not in the model
    cited = [str(e) for e in found[0].evidence if "private_endpoint" in e.address]
    assert cited == [f"azurerm_private_endpoint.spoke{n}.endpoint_subnet" for n in range(CITED_ENDPOINTS)]
    assert f"{models.ACR} = 40 private endpoints, {CITED_ENDPOINTS} cited" in map(str, found[0].evidence)
