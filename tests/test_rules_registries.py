"""PP901 over registry plans: restrictions and private endpoints the SKU refuses; the registry is the subject."""

from __future__ import annotations

import json

import pytest

import azure_values as azure
from planbuilder import PlanBuilder, ref
from pullpath.engine import analyse_plan
from pullpath.report import render

ACR = "azurerm_container_registry.acr"


def report(tmp_path, plan: PlanBuilder):
    return analyse_plan(str(plan.write(tmp_path)))


def verdicts(tmp_path, plan: PlanBuilder) -> set[tuple[str, str, str]]:
    return {(f.workload.address, f.rule, f.verdict.name) for f in report(tmp_path, plan).findings}


def registry(plan: PlanBuilder, unknown: tuple[str, ...] = (), expressions: dict | None = None, **settings):
    values = azure.registry(**settings)
    for path in unknown:
        values.pop(path.split(".")[0], None)
    return plan.resource(
        ACR, values, unknown=[*azure.REGISTRY_UNKNOWN, *unknown], expressions=expressions or {}
    )


def endpoint(plan: PlanBuilder) -> PlanBuilder:
    plan.resource("azurerm_subnet.endpoints", azure.subnet("endpoints"), unknown=["id"], expressions={})
    return azure.add_registry_endpoint(plan)


@pytest.mark.parametrize(
    "settings",
    [
        {"sku": "Standard", "public": False},
        {"sku": "Basic", "default_action": "Deny", "ip_ranges": ("203.0.113.0/24",)},
        {"sku": "Standard", "default_action": "Allow"},  # the provider refuses the block itself
    ],
)
def test_restriction_below_premium_fails(tmp_path, settings):
    assert verdicts(tmp_path, registry(PlanBuilder(), **settings)) == {(ACR, "PP901", "FAIL")}


def test_private_endpoint_to_a_basic_registry_fails(tmp_path):
    plan = endpoint(registry(PlanBuilder(), sku="Basic"))
    [finding] = report(tmp_path, plan).findings
    assert (finding.rule, finding.verdict.name) == ("PP901", "FAIL")
    assert "azurerm_private_endpoint.acr" in {e.address for e in finding.evidence}


@pytest.mark.parametrize(
    "settings",
    [
        {"sku": "Premium", "public": False},
        {"sku": "Premium", "default_action": "Deny", "ip_ranges": ("203.0.113.0/24",)},
        {"sku": "Basic"},
        {"sku": "Standard", "public": True},
    ],
)
def test_premium_or_unrestricted_registry_gets_no_finding(tmp_path, settings):
    assert verdicts(tmp_path, registry(PlanBuilder(), **settings)) == set()


def test_premium_registry_with_a_private_endpoint_gets_no_finding(tmp_path):
    assert verdicts(tmp_path, endpoint(registry(PlanBuilder(), sku="Premium"))) == set()


def test_registry_read_as_a_data_source_is_not_judged(tmp_path):
    plan = PlanBuilder().data(
        "data.azurerm_container_registry.shared",
        {
            "name": "sharedacr",
            "resource_group_name": "rg-shared",
            "sku": "Basic",
            "login_server": "sharedacr.azurecr.io",
        },
    )
    assert verdicts(tmp_path, plan) == set()


def test_sku_known_only_after_apply_is_unknown(tmp_path):
    plan = registry(PlanBuilder(), unknown=("sku",), public=False, expressions={"sku": ref("var.acr_sku")})
    assert verdicts(tmp_path, plan) == {(ACR, "PP901", "UNKNOWN")}


def test_configured_rule_set_known_only_after_apply_below_premium_is_unknown(tmp_path):
    plan = registry(
        PlanBuilder(),
        unknown=("network_rule_set",),
        sku="Standard",
        expressions={"network_rule_set": [{"default_action": ref("var.acr_default_action")}]},
    )
    assert verdicts(tmp_path, plan) == {(ACR, "PP901", "UNKNOWN")}


def test_rule_set_the_provider_computes_is_not_a_restriction(tmp_path):
    """azurerm computes an unset network_rule_set: unknown in the plan, but no block was configured."""
    plan = registry(PlanBuilder(), unknown=("network_rule_set",), sku="Basic")
    assert verdicts(tmp_path, plan) == set()


def test_reports_show_the_registry_as_the_subject(tmp_path):
    result = report(tmp_path, registry(PlanBuilder(), sku="Standard", public=False))
    [row] = json.loads(render(result, "json"))["findings"]
    assert (row["workload"], row["workload_type"], row["image"], row["registry"]) == (
        ACR,
        "azurerm_container_registry",
        None,
        ACR,
    )
    assert "PP901" in render(result, "table")
