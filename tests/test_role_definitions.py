"""Custom role definitions as the readers and builders read them, in both dialects, plan and .tf.

A grant's role may be ``azurerm_role_definition`` or an azapi ``Microsoft.Authorization/roleDefinitions``
that this input defines, named by reference (``role_definition_resource_id``, ``name``, an azapi
``id``) or by its literal name. A plan knows the definition's permissions but not its IDs; .tf sources
know what the expressions say. Each test ends at the verdict of the identity's pull (PP503).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from planbuilder import PlanBuilder, const, ref
from pullpath.builders import build_model
from pullpath.engine import analyse_directory, analyse_plan
from pullpath.model import Permission
from pullpath.readers.hcl import Loader
from pullpath.readers.hcl.boundary import boundary_of
from pullpath.readers.hcl.tree import read_sources
from pullpath.readers.plan import read_plan

PULL_READ = "Microsoft.ContainerRegistry/registries/pull/read"
RG = "/subscriptions/6a1f3c2e-8b4d-4f7a-9e21-3c5d7b9a0f14/resourceGroups/rg-shop"
IDENTITY = "azurerm_user_assigned_identity.pull"
GROUP = "azurerm_container_group.app"

# An open registry, and a container group pulling from it with an attached user-assigned identity.
PULLING = """
resource "azurerm_container_registry" "acr" {
  name                = "acrshop01"
  resource_group_name = "rg-shop"
  location            = "westeurope"
  sku                 = "Standard"
}

resource "azurerm_user_assigned_identity" "pull" {
  name                = "id-pull"
  resource_group_name = "rg-shop"
  location            = "westeurope"
}

resource "azurerm_container_group" "app" {
  name                = "aci-shop"
  resource_group_name = "rg-shop"
  location            = "westeurope"
  os_type             = "Linux"
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }
  image_registry_credential {
    server                    = azurerm_container_registry.acr.login_server
    user_assigned_identity_id = azurerm_user_assigned_identity.pull.id
  }
  container {
    name   = "shop"
    image  = "${azurerm_container_registry.acr.login_server}/shop:1.4"
    cpu    = 0.5
    memory = 1
  }
}
"""


def definition(actions: str, not_actions: str = "[]") -> str:
    return f"""
resource "azurerm_role_definition" "puller" {{
  name  = "Registry Puller"
  scope = "{RG}"
  permissions {{
    actions     = {actions}
    not_actions = {not_actions}
  }}
  assignable_scopes = ["{RG}"]
}}
"""


def grant(role: str) -> str:
    return f"""
resource "azurerm_role_assignment" "pull" {{
  scope        = azurerm_container_registry.acr.id
  {role}
  principal_id = azurerm_user_assigned_identity.pull.principal_id
}}
"""


BY_RESOURCE_ID = "role_definition_id = azurerm_role_definition.puller.role_definition_resource_id"
BY_NAME_REFERENCE = "role_definition_name = azurerm_role_definition.puller.name"
BY_LITERAL_NAME = 'role_definition_name = "Registry Puller"'


def scan(tmp_path: Path, *parts: str):
    folder = tmp_path / "src"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text("\n".join(textwrap.dedent(part) for part in parts), encoding="utf-8")
    loader = Loader(boundary=boundary_of(str(folder), str(tmp_path)))
    model = build_model(read_sources(str(folder), loader=loader).resources)
    return model, _pp503(analyse_directory(str(folder)))


def _pp503(report) -> str:
    """The verdict of the container group's credential finding, and its reason after the grant's role."""
    (finding,) = [f for f in report.findings if f.workload.address == GROUP and f.rule.startswith("PP5")]
    assert finding.rule == "PP503"
    return finding.verdict.name if finding.verdict.name != "UNKNOWN" else f"UNKNOWN: {finding.reason}"


# -- .tf sources ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [BY_RESOURCE_ID, BY_NAME_REFERENCE, BY_LITERAL_NAME])
def test_a_scan_reads_a_custom_role_with_pull_and_the_grant_that_names_it(tmp_path, role):
    model, verdict = scan(tmp_path, PULLING, definition(f'["{PULL_READ}"]'), grant(role))
    (read,) = model.role_definitions
    assert (read.address, read.name, read.defined) == (
        "azurerm_role_definition.puller",
        "Registry Puller",
        True,
    )
    assert read.permissions == (Permission((PULL_READ,), ()),)
    (granted,) = model.role_assignments
    assert granted.role == "Registry Puller"
    assert granted.definition == (None if role == BY_LITERAL_NAME else read.address)
    assert verdict == "PASS"


@pytest.mark.parametrize(
    ("actions", "not_actions", "verdict"),
    [
        ('["Microsoft.ContainerRegistry/registries/read"]', "[]", "FAIL"),
        (f'["{PULL_READ}"]', f'["{PULL_READ}"]', "FAIL"),
        ('["Microsoft.ContainerRegistry/*"]', "[]", "UNKNOWN: {} whose pull depends on the wildcard"),
        ('["*"]', "[]", "UNKNOWN: {} whose pull depends on the wildcard *"),
        ("var.actions", "[]", "UNKNOWN: {} whose actions are known only after apply"),
    ],
    ids=["no-pull", "not-actions-remove-pull", "provider-wildcard", "star", "unset-variable"],
)
def test_a_scan_judges_a_custom_roles_actions(tmp_path, actions, not_actions, verdict):
    variable = 'variable "actions" {\n  type = list(string)\n}\n'
    _, found = scan(tmp_path, PULLING, variable, definition(actions, not_actions), grant(BY_RESOURCE_ID))
    assert found.startswith(
        verdict.format(f"azurerm_role_assignment.pull grants identity {IDENTITY} role Registry Puller,")
    )


def test_a_scan_of_an_undefined_role_name_is_unknown_not_a_failure(tmp_path):
    _, verdict = scan(tmp_path, PULLING, grant(BY_LITERAL_NAME))
    assert verdict.startswith("UNKNOWN") and "nor a role this input defines" in verdict


def test_a_scan_cannot_read_a_custom_roles_permissions_from_a_data_source(tmp_path):
    looked_up = 'data "azurerm_role_definition" "puller" {\n  name  = "Registry Puller"\n  scope = "/"\n}\n'
    role = "role_definition_id = data.azurerm_role_definition.puller.id"
    model, verdict = scan(tmp_path, PULLING, looked_up, grant(role))
    (read,) = model.role_definitions
    assert (read.defined, read.permissions) == (False, None)
    assert verdict.startswith("UNKNOWN") and "whose permissions Azure holds" in verdict


AZAPI_DEFINITION = f"""
resource "azapi_resource" "puller" {{
  type      = "Microsoft.Authorization/roleDefinitions@2022-04-01"
  name      = "0b7d2f6a-3c41-4e8f-9a25-6d1e8c4b7f30"
  parent_id = "{RG}"
  body = {{
    properties = {{
      roleName         = "Registry Puller"
      type             = "CustomRole"
      assignableScopes = ["{RG}"]
      permissions = [{{
        actions        = ["{PULL_READ}"]
        notActions     = ["Microsoft.ContainerRegistry/registries/push/write"]
        dataActions    = []
        notDataActions = []
      }}]
    }}
  }}
}}
"""

AZAPI_GRANT = """
resource "azapi_resource" "pull" {
  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = "5d0c9e2a-7b14-4f63-8e29-1a4c6b8d2f57"
  parent_id = azurerm_container_registry.acr.id
  body = {
    properties = {
      principalId      = azurerm_user_assigned_identity.pull.principal_id
      roleDefinitionId = azapi_resource.puller.id
    }
  }
}
"""


@pytest.mark.parametrize(
    "granted",
    [AZAPI_GRANT, grant("role_definition_id = azapi_resource.puller.id")],
    ids=["azapi-grant", "azurerm-grant"],
)
def test_a_scan_reads_an_azapi_role_definition(tmp_path, granted):
    model, verdict = scan(tmp_path, PULLING, AZAPI_DEFINITION, granted)
    (read,) = model.role_definitions
    assert (read.name, read.ids) == ("Registry Puller", ("0b7d2f6a-3c41-4e8f-9a25-6d1e8c4b7f30",))
    assert read.permissions == (
        Permission((PULL_READ,), ("Microsoft.ContainerRegistry/registries/push/write",)),
    )
    (grant_read,) = model.role_assignments
    assert grant_read.definition == "azapi_resource.puller"
    assert verdict == "PASS"


def test_an_azapi_grant_names_an_azapi_definition_by_its_literal_id(tmp_path):
    literal = AZAPI_GRANT.replace(
        "azapi_resource.puller.id",
        f'"{RG}/providers/Microsoft.Authorization/roleDefinitions/0b7d2f6a-3c41-4e8f-9a25-6d1e8c4b7f30"',
    )
    _, verdict = scan(tmp_path, PULLING, AZAPI_DEFINITION, literal)
    assert verdict == "PASS"


# -- plans ------------------------------------------------------------------------------------------------


def pulling_plan() -> PlanBuilder:
    """The registry, identity and container group of PULLING as terraform show -json has them."""
    plan = PlanBuilder()
    plan.resource(
        "azurerm_container_registry.acr",
        {
            "name": "acrshop01",
            "sku": "Standard",
            "public_network_access_enabled": True,
            "network_rule_set": [],
        },
        unknown=["id", "login_server"],
    )
    plan.resource(
        IDENTITY,
        {"name": "id-pull", "resource_group_name": "rg-shop", "location": "westeurope"},
        unknown=["id", "principal_id", "client_id", "tenant_id"],
    )
    plan.resource(
        GROUP,
        {
            "name": "aci-shop",
            "os_type": "Linux",
            "identity": [{"type": "UserAssigned"}],
            "image_registry_credential": [{"username": None, "password": None}],
            "container": [{"name": "shop", "cpu": 0.5, "memory": 1}],
        },
        unknown=[
            "id",
            "identity.0.identity_ids",
            "image_registry_credential.0.server",
            "image_registry_credential.0.user_assigned_identity_id",
            "container.0.image",
        ],
        expressions={
            "identity": [{"type": const("UserAssigned"), "identity_ids": ref(f"{IDENTITY}.id", IDENTITY)}],
            "image_registry_credential": [
                {
                    "server": ref(
                        "azurerm_container_registry.acr.login_server", "azurerm_container_registry.acr"
                    ),
                    "user_assigned_identity_id": ref(f"{IDENTITY}.id", IDENTITY),
                }
            ],
            "container": [
                {
                    "name": const("shop"),
                    "image": ref(
                        "azurerm_container_registry.acr.login_server", "azurerm_container_registry.acr"
                    ),
                }
            ],
        },
    )
    return plan


def planned_definition(plan: PlanBuilder, permissions: list | None) -> PlanBuilder:
    """``permissions`` None: known only after apply."""
    values = {
        "name": "Registry Puller",
        "scope": RG,
        "description": None,
        "assignable_scopes": [RG],
        "timeouts": None,
        **({"permissions": permissions} if permissions is not None else {}),
    }
    unknown = ["id", "role_definition_id", "role_definition_resource_id"]
    return plan.resource(
        "azurerm_role_definition.puller",
        values,
        unknown=[*unknown, *([] if permissions is not None else ["permissions"])],
        expressions={
            "name": const("Registry Puller"),
            "scope": const(RG),
            "permissions": [{"actions": ref("var.actions") if permissions is None else const([PULL_READ])}],
        },
    )


def planned_grant(plan: PlanBuilder, by_reference: bool = True) -> PlanBuilder:
    role = (
        {
            "role_definition_id": ref(
                "azurerm_role_definition.puller.role_definition_resource_id", "azurerm_role_definition.puller"
            )
        }
        if by_reference
        else {"role_definition_name": const("Registry Puller")}
    )
    values: dict[str, Any] = {
        "principal_type": None,
        "condition": None,
        "description": None,
        "timeouts": None,
    }
    if not by_reference:
        values["role_definition_name"] = "Registry Puller"
    return plan.resource(
        "azurerm_role_assignment.pull",
        values,
        unknown=["id", "name", "principal_id", "scope", "role_definition_id"]
        + (["role_definition_name"] if by_reference else []),
        expressions={
            "scope": ref("azurerm_container_registry.acr.id", "azurerm_container_registry.acr"),
            "principal_id": ref(f"{IDENTITY}.principal_id", IDENTITY),
            **role,
        },
    )


def plan_verdict(tmp_path: Path, plan: PlanBuilder):
    path = plan.write(tmp_path)
    return build_model(read_plan(str(path)), str(path)), _pp503(analyse_plan(str(path)))


ENTRY = {"actions": [PULL_READ], "not_actions": [], "data_actions": None, "not_data_actions": None}


@pytest.mark.parametrize("by_reference", [True, False], ids=["role-definition-id", "literal-name"])
def test_a_plan_reads_a_custom_role_with_pull_and_the_grant_that_names_it(tmp_path, by_reference):
    model, verdict = plan_verdict(
        tmp_path, planned_grant(planned_definition(pulling_plan(), [ENTRY]), by_reference)
    )
    (read,) = model.role_definitions
    assert read.permissions == (Permission((PULL_READ,), ()),)
    (granted,) = model.role_assignments
    assert granted.role == "Registry Puller"
    assert granted.definition == ("azurerm_role_definition.puller" if by_reference else None)
    assert verdict == "PASS"


@pytest.mark.parametrize(
    ("entry", "verdict"),
    [
        ({**ENTRY, "actions": ["Microsoft.ContainerRegistry/registries/read"]}, "FAIL"),
        ({**ENTRY, "not_actions": [PULL_READ]}, "FAIL"),
        ({**ENTRY, "actions": ["*"]}, "UNKNOWN"),
    ],
    ids=["no-pull", "not-actions-remove-pull", "star"],
)
def test_a_plan_judges_a_custom_roles_actions(tmp_path, entry, verdict):
    _, found = plan_verdict(tmp_path, planned_grant(planned_definition(pulling_plan(), [entry])))
    assert found.split(":")[0] == verdict
    assert verdict != "UNKNOWN" or "whose pull depends on the wildcard *" in found


def test_a_plan_whose_permissions_are_known_only_after_apply_is_unknown(tmp_path):
    model, verdict = plan_verdict(tmp_path, planned_grant(planned_definition(pulling_plan(), None)))
    (read,) = model.role_definitions
    assert read.permissions is None
    assert verdict.startswith("UNKNOWN") and "whose permissions are known only after apply" in verdict


def test_a_plan_reads_a_custom_roles_permissions_from_a_data_source(tmp_path):
    """A data source read during plan carries what Azure holds: the custom role's permissions."""
    plan = pulling_plan()
    guid = "0b7d2f6a-3c41-4e8f-9a25-6d1e8c4b7f30"
    plan.data(
        "data.azurerm_role_definition.puller",
        {
            "name": "Registry Puller",
            "scope": "/",
            "id": f"/providers/Microsoft.Authorization/roleDefinitions/{guid}",
            "role_definition_id": guid,
            "type": "CustomRole",
            "permissions": [ENTRY],
        },
        expressions={"name": const("Registry Puller"), "scope": const("/")},
    )
    plan.resource(
        "azurerm_role_assignment.pull",
        {
            "role_definition_id": f"/providers/Microsoft.Authorization/roleDefinitions/{guid}",
            "timeouts": None,
        },
        unknown=["id", "name", "principal_id", "scope", "role_definition_name"],
        expressions={
            "scope": ref("azurerm_container_registry.acr.id", "azurerm_container_registry.acr"),
            "principal_id": ref(f"{IDENTITY}.principal_id", IDENTITY),
            "role_definition_id": ref(
                "data.azurerm_role_definition.puller.id", "data.azurerm_role_definition.puller"
            ),
        },
    )
    model, verdict = plan_verdict(tmp_path, plan)
    (read,) = model.role_definitions
    assert (read.defined, read.ids) == (False, (guid,))
    assert verdict == "PASS"


def test_a_plan_reads_an_azapi_role_definition_and_grant(tmp_path):
    """azapi: the body in planned values, one expression for the whole body in configuration."""
    plan = pulling_plan()
    body = {
        "properties": {
            "roleName": "Registry Puller",
            "type": "CustomRole",
            "assignableScopes": [RG],
            "permissions": [
                {"actions": [PULL_READ], "notActions": [], "dataActions": [], "notDataActions": []}
            ],
        }
    }
    plan.resource(
        "azapi_resource.puller",
        {
            "type": "Microsoft.Authorization/roleDefinitions@2022-04-01",
            "name": "0b7d2f6a-3c41-4e8f-9a25-6d1e8c4b7f30",
            "parent_id": RG,
            "body": body,
        },
        unknown=["id", "output"],
        expressions={
            "type": const("Microsoft.Authorization/roleDefinitions@2022-04-01"),
            "body": const(body),
        },
    )
    plan.resource(
        "azapi_resource.pull",
        {
            "type": "Microsoft.Authorization/roleAssignments@2022-04-01",
            "name": "5d0c9e2a-7b14-4f63-8e29-1a4c6b8d2f57",
            "body": {"properties": {}},
        },
        unknown=[
            "id",
            "output",
            "parent_id",
            "body.properties.principalId",
            "body.properties.roleDefinitionId",
        ],
        expressions={
            "type": const("Microsoft.Authorization/roleAssignments@2022-04-01"),
            "parent_id": ref("azurerm_container_registry.acr.id", "azurerm_container_registry.acr"),
            "body": ref(
                f"{IDENTITY}.principal_id", IDENTITY, "azapi_resource.puller.id", "azapi_resource.puller"
            ),
        },
    )
    model, verdict = plan_verdict(tmp_path, plan)
    (read,) = model.role_definitions
    assert (read.address, read.name) == ("azapi_resource.puller", "Registry Puller")
    (granted,) = model.role_assignments
    assert (granted.definition, granted.role) == ("azapi_resource.puller", "Registry Puller")
    assert verdict == "PASS"
