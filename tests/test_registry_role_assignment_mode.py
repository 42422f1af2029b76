"""A registry's role assignment mode, as each input says it: which roles pull from it depends on it
(rules/roles.py). azurerm ``role_assignment_mode`` (4.81 and later), the ARM
``properties.roleAssignmentMode`` of an azapi body or patch, and ``az acr show``'s ``roleAssignmentMode``.
azurerm 4.81 also sets the ARM-audience token policy (PP507) that only azapi and the inventory told before.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

import azure_values as azure
from planbuilder import PlanBuilder
from pullpath.builders import build_model
from pullpath.engine import analyse_directory
from pullpath.errors import InputError
from pullpath.inventory import parse_inventory
from pullpath.readers.plan import read_plan

ABAC, LEGACY = "AbacRepositoryPermissions", "LegacyRegistryPermissions"


@pytest.mark.parametrize(("mode", "abac"), [(ABAC, True), (LEGACY, False), (None, False), ("later", None)])
def test_a_plan_tells_the_azurerm_registrys_mode(tmp_path, mode, abac):
    values: dict[str, Any] = azure.registry()
    unknown = ["role_assignment_mode"] if mode == "later" else []
    if mode not in (None, "later"):
        values["role_assignment_mode"] = mode
    plan = PlanBuilder().resource("azurerm_container_registry.acr", values, unknown=unknown)
    (registry,) = build_model(read_plan(str(plan.write(tmp_path)))).registries
    assert registry.abac is abac


def test_a_scan_reads_the_mode_of_an_azapi_registry_body(tmp_path):
    (tmp_path / "main.tf").write_text(
        textwrap.dedent(
            f"""
            resource "azapi_resource" "acr" {{
              type      = "Microsoft.ContainerRegistry/registries@2025-05-01-preview"
              name      = "contosoacr"
              parent_id = "/subscriptions/0/resourceGroups/rg"
              location  = "westeurope"
              body = {{
                sku        = {{ name = "Premium" }}
                properties = {{ roleAssignmentMode = "{ABAC}" }}
              }}
            }}
            """
        ),
        encoding="utf-8",
    )
    (registry,) = analyse_directory(str(tmp_path)).models[0].registries
    assert registry.abac is True


def test_the_inventory_tells_a_registrys_mode_and_refuses_one_azure_does_not_print():
    entry = {"name": "contosoacr", "loginServer": "contosoacr.azurecr.io", "publicNetworkAccess": "Enabled"}
    (abac,) = parse_inventory([{**entry, "roleAssignmentMode": ABAC}], "acr.json").registries
    (older,) = parse_inventory([entry], "acr.json").registries
    assert (abac.abac, older.abac) == (True, False)
    with pytest.raises(InputError, match="roleAssignmentMode must be"):
        parse_inventory([{**entry, "roleAssignmentMode": "rbac-abac"}], "acr.json")


@pytest.mark.parametrize(("enabled", "accepts"), [(False, False), (True, True), (None, True)])
def test_a_plan_tells_whether_an_azurerm_registry_takes_arm_audience_tokens(tmp_path, enabled, accepts):
    """azurerm 4.81's azuread_authentication_as_arm_policy_enabled, which PP507 reads; not set: accepted."""
    values: dict[str, Any] = azure.registry()
    if enabled is not None:
        values["azuread_authentication_as_arm_policy_enabled"] = enabled
    plan = PlanBuilder().resource("azurerm_container_registry.acr", values)
    (registry,) = build_model(read_plan(str(plan.write(tmp_path)))).registries
    assert registry.arm_audience_tokens is accepts
