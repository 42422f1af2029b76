"""A grant's role as the builders read it: by name or by definition ID, in a plan and in .tf sources.

A plan knows the role a grant is given by and computes the other (role_definition_name beside
role_definition_id), known only after apply; .tf sources know a role definition ID looked up by
name through ``data "azurerm_role_definition"`` only by that name.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import azure_values as azure
from planbuilder import PlanBuilder, ref
from pullpath.builders import build_model
from pullpath.model import Cite
from pullpath.readers.hcl import Loader
from pullpath.readers.hcl.boundary import boundary_of
from pullpath.readers.hcl.tree import read_sources
from pullpath.readers.plan import read_plan

ACR_PULL_ID = (
    "/subscriptions/6a1f3c2e-8b4d-4f7a-9e21-3c5d7b9a0f14/providers/Microsoft.Authorization/roleDefinitions/"
    "7f951dda-4ed3-4680-a7ca-43fe172d538d"
)

REGISTRY = """
resource "azurerm_container_registry" "acr" {
  name                = "acrshop01"
  resource_group_name = "rg-shop"
  location            = "westeurope"
  sku                 = "Standard"
}
"""


def write(folder: Path, *parts: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text("\n".join(textwrap.dedent(part) for part in parts), encoding="utf-8")
    return folder


def role_plan(tmp_path: Path, expressions: dict, values: dict, unknown: list[str]) -> Path:
    plan = PlanBuilder()
    plan.resource("azurerm_role_assignment.pull", values, unknown=unknown, expressions=expressions)
    return plan.write(tmp_path)


def test_a_plan_shows_the_role_by_definition_id_beside_the_name_it_computes(tmp_path):
    """Given role_definition_id, a plan knows it and computes role_definition_name (and vice versa)."""
    values = {k: v for k, v in azure.role_assignment().items() if k != "role_definition_name"}
    path = role_plan(
        tmp_path,
        {
            "role_definition_id": ref(
                "data.azurerm_role_definition.acr_pull.id", "data.azurerm_role_definition.acr_pull"
            )
        },
        {**values, "role_definition_id": ACR_PULL_ID},
        ["id", "name", "principal_id", "principal_type", "role_definition_name", "scope"],
    )
    (grant,) = build_model(read_plan(str(path)), str(path)).role_assignments
    assert grant.role == ACR_PULL_ID and grant.cite(Cite.ROLE) == "role_definition_id"


def test_a_plan_shows_the_role_by_name_beside_the_definition_id_it_computes(tmp_path):
    path = role_plan(
        tmp_path,
        {"role_definition_name": {"constant_value": "AcrPush"}},
        azure.role_assignment("AcrPush"),
        azure.ROLE_ASSIGNMENT_UNKNOWN,
    )
    (grant,) = build_model(read_plan(str(path)), str(path)).role_assignments
    assert grant.role == "AcrPush"


@pytest.mark.parametrize(
    ("definition", "role"),
    [
        ('data "azurerm_role_definition" "acr_pull" {\n  name = "AcrPull"\n}', "AcrPull"),
        (
            'resource "azurerm_role_definition" "acr_pull" {\n  name  = "acr-image-reader"\n'
            '  scope = "/subscriptions/0"\n  permissions {\n    actions = ["*/read"]\n  }\n}',
            "acr-image-reader",  # a custom role this input defines: named by its definition
        ),
    ],
    ids=["built-in-looked-up-by-name", "custom-role"],
)
def test_a_scan_reads_a_role_definition_id_looked_up_by_name(tmp_path, definition, role):
    kind = "data." if definition.startswith("data") else ""
    folder = write(
        tmp_path / "src",
        REGISTRY,
        definition,
        f"""
resource "azurerm_role_assignment" "pull" {{
  scope              = azurerm_container_registry.acr.id
  role_definition_id = {kind}azurerm_role_definition.acr_pull.id
  principal_id       = "ab12cd34-0000-4000-8000-000000000001"
}}
""",
    )
    read = read_sources(str(folder), loader=Loader(boundary=boundary_of(str(folder), str(tmp_path))))
    model = build_model(read.resources, str(folder))
    (grant,) = model.role_assignments
    assert grant.role == role
    assert grant.definition == f"{kind}azurerm_role_definition.acr_pull"
