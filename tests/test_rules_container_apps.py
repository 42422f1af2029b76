"""PP301 (and PP105) over container-app plans: the environment's subnet decides the pull path."""

from __future__ import annotations

import pytest

import azure_values as azure
import models
from layers import without_layers
from planbuilder import PlanBuilder, const, ref
from pullpath.engine import analyse_plan
from pullpath.model import NatGateway, Network, Ref, RegistryNetwork, Subnet, Verdict
from pullpath.rules import evaluate

ACR = "azurerm_container_registry.acr"
LOGIN = f"{ACR}.login_server"
CA = "azurerm_container_app.app"
ENV = "azurerm_container_app_environment.env"
IDENTITY = "azurerm_user_assigned_identity.pull"


def findings(tmp_path, plan: PlanBuilder):
    return without_layers(analyse_plan(str(plan.write(tmp_path))).findings)


def verdicts(tmp_path, plan: PlanBuilder) -> set[tuple[str, str, str]]:
    return {(f.workload.address, f.rule, f.verdict.name) for f in without_layers(findings(tmp_path, plan))}


def registry(plan: PlanBuilder, **settings) -> PlanBuilder:
    return plan.resource(ACR, azure.registry(**settings), unknown=azure.REGISTRY_UNKNOWN, expressions={})


def environment(plan: PlanBuilder, in_vnet: bool) -> PlanBuilder:
    for name in ("apps", "endpoints"):
        plan.resource(f"azurerm_subnet.{name}", azure.subnet(name), unknown=["id"], expressions={})
    unknown = ["id", "default_domain", "static_ip_address"]
    expressions: dict = {"log_analytics_workspace_id": ref("azurerm_log_analytics_workspace.logs.id")}
    if in_vnet:
        unknown.append("infrastructure_subnet_id")
        expressions["infrastructure_subnet_id"] = ref("azurerm_subnet.apps.id", "azurerm_subnet.apps")
    return plan.resource(ENV, azure.container_app_environment(), unknown=unknown, expressions=expressions)


def app(
    plan: PlanBuilder, image: str | None = None, init_from_acr: bool = False, env: str = ENV
) -> PlanBuilder:
    """A container app pulling ``image`` (default: the registry's login server) with a user-assigned identity."""
    values = azure.container_app(
        image=image, init_image=None, registry={"server": None, "identity": None, "username": None}
    )
    unknown = ["container_app_environment_id", "registry.0.server", "registry.0.identity", "id", "location"]
    container_image = const(image) if image else ref(LOGIN, ACR)
    if image is None:
        unknown.append("template.0.container.0.image")
    template: dict = {"container": [{"image": container_image, "name": const("app")}]}
    if init_from_acr:
        values["template"][0]["init_container"] = [{"name": "migrate", "cpu": 0.25, "memory": "0.5Gi"}]
        unknown.append("template.0.init_container.0.image")
        template["init_container"] = [{"image": ref(LOGIN, ACR), "name": const("migrate")}]
    return plan.resource(
        CA,
        values,
        unknown=unknown,
        expressions={
            "container_app_environment_id": ref(f"{env}.id", env),
            "template": [template],
            "registry": [{"server": ref(LOGIN, ACR), "identity": ref(f"{IDENTITY}.id", IDENTITY)}],
        },
    )


def test_closed_registry_and_an_environment_outside_a_vnet_fails(tmp_path):
    plan = app(environment(azure.add_registry_endpoint(registry(PlanBuilder(), public=False)), in_vnet=False))
    assert verdicts(tmp_path, plan) == {(CA, "PP301", "FAIL")}


def test_firewalled_registry_and_an_environment_outside_a_vnet_fails(tmp_path):
    plan = registry(PlanBuilder(), default_action="Deny", ip_ranges=("203.0.113.0/24",))
    assert verdicts(tmp_path, app(environment(plan, in_vnet=False))) == {(CA, "PP301", "FAIL")}


def test_vnet_environment_with_a_registry_private_endpoint_passes(tmp_path):
    plan = app(environment(azure.add_registry_endpoint(registry(PlanBuilder(), public=False)), in_vnet=True))
    [finding] = without_layers(findings(tmp_path, plan))
    assert (finding.workload.address, finding.rule, finding.verdict.name) == (CA, "PP301", "PASS")
    assert finding.image is not None and finding.image.attribute == "template[0].container[0].image"
    assert finding.registry == ACR


def test_vnet_environment_without_a_visible_endpoint_is_unknown(tmp_path):
    plan = app(environment(registry(PlanBuilder(), public=False), in_vnet=True))
    assert verdicts(tmp_path, plan) == {(CA, "PP301", "UNKNOWN")}


def test_firewalled_registry_from_a_vnet_environment_takes_the_public_route(tmp_path):
    plan = registry(PlanBuilder(), default_action="Deny", ip_ranges=("203.0.113.0/24",))
    assert verdicts(tmp_path, app(environment(plan, in_vnet=True))) == {(CA, "PP301", "WARN")}


def test_open_registry_passes_without_a_vnet(tmp_path):
    plan = app(environment(registry(PlanBuilder(), public=True), in_vnet=False))
    assert verdicts(tmp_path, plan) == {(CA, "PP301", "PASS")}


def test_service_endpoint_only_registry_is_pp105(tmp_path):
    plan = registry(PlanBuilder(), default_action="Deny", service_endpoints=(azure.subnet_id("apps"),))
    assert verdicts(tmp_path, app(environment(plan, in_vnet=False))) == {(CA, "PP105", "FAIL")}


def test_environment_defined_elsewhere_is_unknown(tmp_path):
    plan = registry(PlanBuilder(), public=False)
    plan = app(plan, env="data.azurerm_container_app_environment.shared")
    assert verdicts(tmp_path, plan) == {(CA, "PP301", "UNKNOWN")}


def test_init_container_from_a_restricted_registry_is_judged_too(tmp_path):
    plan = environment(registry(PlanBuilder(), public=False), in_vnet=False)
    plan = app(plan, image="mcr.microsoft.com/k8se/quickstart:latest", init_from_acr=True)
    [finding] = findings(tmp_path, plan)
    assert (finding.rule, finding.verdict.name, finding.image.attribute) == (
        "PP301",
        "FAIL",
        "template[0].init_container[0].image",
    )


@pytest.mark.parametrize("image", ["mcr.microsoft.com/k8se/quickstart:latest", "nginx:1.27"])
def test_image_not_from_an_acr_gets_no_finding(tmp_path, image):
    plan = app(environment(registry(PlanBuilder(), public=False), in_vnet=False), image=image)
    assert verdicts(tmp_path, plan) == set()


# A Consumption-only environment egresses through neither a NAT gateway nor user-defined routes (#18).


def _from_nat_subnet(profiles: bool | None, ip_rules=("20.1.2.3/32",)):
    """A container app whose environment subnet has a NAT gateway (20.1.2.3) and a registry firewall
    admitting ``ip_rules``; ``profiles`` says whether the environment has workload profiles."""
    reg = models.registry(public_network_access=True, default_action="Deny", ip_rules=ip_rules)
    app = models.container_app(reg, environment=ENV)
    network = Network(
        nat_ips={"20.1.2.3": "azurerm_nat_gateway.egress"},
        registries={
            reg.address: RegistryNetwork(
                reg.address, "westeurope", (), False, tuple(Ref(value=r) for r in ip_rules)
            )
        },
        workload_profiles={ENV: profiles},
    )
    subnets = {"azurerm_subnet.apps": Subnet("azurerm_subnet.apps", None, "azurerm_nat_gateway.egress")}
    nats = {"azurerm_nat_gateway.egress": NatGateway("azurerm_nat_gateway.egress", ("20.1.2.3",))}
    [finding] = without_layers(
        evaluate(models.model(reg, app, network=network, subnets=subnets, nat_gateways=nats))
    )
    return finding


def test_a_consumption_only_environment_against_a_nat_only_firewall_fails_with_the_right_fix():
    finding = _from_nat_subnet(profiles=False)
    assert (finding.rule, finding.verdict) == ("PP301", Verdict.FAIL)
    assert "Consumption-only" in finding.reason
    assert (
        "workload-profiles environment" in finding.remediation and "private endpoint" in finding.remediation
    )
    assert "allowing the NAT IP does not help" in finding.remediation
    assert any(
        e.attribute == "workload_profiles" and e.value == "none (Consumption only)" for e in finding.evidence
    )


def test_a_consumption_only_environment_is_never_judged_on_its_subnets_nat_ip():
    finding = _from_nat_subnet(profiles=False, ip_rules=("20.1.2.3/32", "198.51.100.7/32"))
    assert (finding.rule, finding.verdict) == ("PP301", Verdict.WARN)
    assert "Allow the" not in finding.remediation and "workload-profiles environment" in finding.remediation


def test_a_workload_profiles_environment_leaves_through_its_nat_gateway():
    assert _from_nat_subnet(profiles=True).verdict is Verdict.PASS
    assert _from_nat_subnet(profiles=None).verdict is Verdict.PASS  # untold: judged as before
