"""Which identity each instance of a ``for_each`` grant names, in a plan, in .tf sources and in both.

A grant decides a pull only when it is read exactly: ``each.value`` of a ``for_each`` over identities
is one identity (not every identity the ``for_each`` names), ``pull[each.key]`` is the instance under
the grant's own key, and ``principal_id`` names one attribute of it, which a plan's references
drop after a dynamic index and the sources tell.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import azure_values as azure
from planbuilder import PlanBuilder, ref
from pullpath.builders import build_model
from pullpath.engine import analyse_directory, analyse_plan, analyse_plan_with_sources
from pullpath.readers.plan import read_plan

REGISTRY = """
resource "azurerm_container_registry" "acr" {
  name                = "acrshop01"
  resource_group_name = "rg-shop"
  location            = "westeurope"
  sku                 = "Standard"
}
"""

IDENTITIES = """
resource "azurerm_user_assigned_identity" "pull" {
  for_each            = toset(["orders", "payments"])
  name                = "id-${each.key}"
  resource_group_name = "rg-shop"
  location            = "westeurope"
}
"""

GROUPS = """
resource "azurerm_container_group" "app" {
  for_each            = azurerm_user_assigned_identity.pull
  name                = "aci-${each.key}"
  resource_group_name = "rg-shop"
  location            = "westeurope"
  os_type             = "Linux"
  ip_address_type     = "Public"

  identity {
    type         = "UserAssigned"
    identity_ids = [each.value.id]
  }

  container {
    name   = "app"
    image  = "${azurerm_container_registry.acr.login_server}/${each.key}:1.0"
    cpu    = 1
    memory = 1.5
  }

  image_registry_credential {
    server                    = azurerm_container_registry.acr.login_server
    user_assigned_identity_id = each.value.id
  }
}
"""


def grant_tf(for_each: str, principal: str) -> str:
    return f"""
resource "azurerm_role_assignment" "pull" {{
  for_each             = {for_each}
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = {principal}
}}
"""


def write(folder: Path, *parts: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text("\n".join(textwrap.dedent(part) for part in parts), encoding="utf-8")
    return folder


def credential_verdicts(report) -> dict[str, tuple[str, str]]:
    return {f.workload.address: (f.rule, f.verdict.name) for f in report.findings if f.rule.startswith("PP5")}


ORDERS = 'azurerm_container_group.app["orders"]'
PAYMENTS = 'azurerm_container_group.app["payments"]'


@pytest.mark.parametrize(
    ("for_each", "principal", "expected"),
    [
        (
            "azurerm_user_assigned_identity.pull",
            "each.value.principal_id",
            {ORDERS: ("PP503", "PASS"), PAYMENTS: ("PP503", "PASS")},
        ),
        (
            '{ for k, v in azurerm_user_assigned_identity.pull : k => v if k != "payments" }',
            "each.value.principal_id",
            {ORDERS: ("PP503", "PASS"), PAYMENTS: ("PP503", "FAIL")},
        ),
        (
            'toset(["orders"])',
            "azurerm_user_assigned_identity.pull[each.key].principal_id",
            {ORDERS: ("PP503", "PASS"), PAYMENTS: ("PP503", "FAIL")},
        ),
        (
            "azurerm_user_assigned_identity.pull",
            "each.value.client_id",
            {ORDERS: ("PP504", "FAIL"), PAYMENTS: ("PP504", "FAIL")},
        ),
    ],
    ids=["each-value", "each-value-filtered", "indexed-by-each-key", "each-value-client-id"],
)
def test_a_scan_reads_which_identity_each_grant_instance_names(tmp_path, for_each, principal, expected):
    """``each.value`` of a for_each over identities is one identity, with the attribute it names."""
    folder = write(tmp_path / "src", REGISTRY, IDENTITIES, GROUPS, grant_tf(for_each, principal))
    assert credential_verdicts(analyse_directory(str(folder))) == expected


def foreach_plan(
    tmp_path: Path, granted: tuple[str, ...], principal: list[str], for_each: list[str], attribute: str
) -> Path:
    """The plan Terraform shows for IDENTITIES, GROUPS and a for_each grant of ``granted`` keys."""
    plan = PlanBuilder()
    plan.resource(
        "azurerm_container_registry.acr",
        azure.registry(name="acrshop01", public=True),
        unknown=azure.REGISTRY_UNKNOWN,
        expressions={},
    )
    for key in ("orders", "payments"):
        plan.resource(
            f'azurerm_user_assigned_identity.pull["{key}"]',
            {"name": f"id-{key}", "location": "westeurope", "resource_group_name": "rg-shop", "tags": None},
            unknown=["id", "client_id", "principal_id", "tenant_id"],
            expressions={"name": ref("each.key")},
            for_each={"constant_value": None, "references": []},
        )
        plan.resource(
            f'azurerm_container_group.app["{key}"]',
            azure.container_group(credential={"username": None, "password": None}, identity_ids=None),
            unknown=["container.0.image", "image_registry_credential.0.server", "identity.0.identity_ids"],
            expressions={
                "container": [
                    {
                        "image": ref(
                            "azurerm_container_registry.acr.login_server", "azurerm_container_registry.acr"
                        )
                    }
                ],
                "identity": [
                    {
                        "type": {"constant_value": "UserAssigned"},
                        "identity_ids": ref("each.value.id", "each.value"),
                    }
                ],
                "image_registry_credential": [
                    {
                        "server": ref(
                            "azurerm_container_registry.acr.login_server", "azurerm_container_registry.acr"
                        ),
                        "user_assigned_identity_id": ref("each.value.id", "each.value"),
                    }
                ],
            },
            for_each=ref("azurerm_user_assigned_identity.pull"),
        )
    for key in granted:
        plan.resource(
            f'azurerm_role_assignment.pull["{key}"]',
            azure.role_assignment(),
            unknown=azure.ROLE_ASSIGNMENT_UNKNOWN,
            expressions={
                "role_definition_name": {"constant_value": "AcrPull"},
                "scope": ref("azurerm_container_registry.acr.id", "azurerm_container_registry.acr"),
                "principal_id": ref(*principal),
            },
            for_each=ref(*for_each),
        )
    return plan.write(tmp_path)


def test_a_plan_reads_each_value_as_the_instance_of_the_grants_own_key(tmp_path):
    path = foreach_plan(
        tmp_path,
        ("orders",),
        ["each.value.principal_id", "each.value"],
        ["azurerm_user_assigned_identity.pull"],
        "principal_id",
    )
    (grant,) = build_model(read_plan(str(path)), str(path)).role_assignments
    assert grant.principal.targets == ('azurerm_user_assigned_identity.pull["orders"]',)
    assert grant.principal_attributes == ('azurerm_user_assigned_identity.pull["orders"].principal_id',)
    assert credential_verdicts(analyse_plan(str(path))) == {
        ORDERS: ("PP503", "PASS"),
        PAYMENTS: ("PP503", "FAIL"),
    }


def test_a_plan_reads_an_index_by_each_key_as_that_instance_but_cannot_tell_its_attribute(tmp_path):
    """``pull[each.key].principal_id`` appears in a plan as ``pull`` and ``each.key`` alone."""
    path = foreach_plan(
        tmp_path,
        ("orders",),
        ["azurerm_user_assigned_identity.pull", "each.key"],
        ["local.acr_pullers"],
        "principal_id",
    )
    (grant,) = build_model(read_plan(str(path)), str(path)).role_assignments
    identities = [t for t in grant.principal.targets if t.startswith("azurerm_user_assigned_identity.")]
    assert (
        identities == ['azurerm_user_assigned_identity.pull["orders"]'] and grant.principal_attributes == ()
    )
    assert credential_verdicts(analyse_plan(str(path))) == {
        ORDERS: ("PP503", "UNKNOWN"),  # principal_id or client_id: the sources tell
        PAYMENTS: ("PP503", "FAIL"),
    }


@pytest.mark.parametrize(("attribute", "expected"), [("principal_id", "PASS"), ("client_id", "FAIL")])
def test_the_sources_tell_the_attribute_a_plan_drops(tmp_path, attribute, expected):
    path = foreach_plan(
        tmp_path,
        ("orders", "payments"),
        ["azurerm_user_assigned_identity.pull", "each.key"],
        ["azurerm_user_assigned_identity.pull"],
        attribute,
    )
    principal = f"azurerm_user_assigned_identity.pull[each.key].{attribute}"
    sources = write(
        tmp_path / "src",
        REGISTRY,
        IDENTITIES,
        GROUPS,
        grant_tf("azurerm_user_assigned_identity.pull", principal),
    )
    verdicts = credential_verdicts(analyse_plan_with_sources(str(path), str(sources)))
    rule = "PP503" if expected == "PASS" else "PP504"
    assert verdicts == {ORDERS: (rule, expected), PAYMENTS: (rule, expected)}
