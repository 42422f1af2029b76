"""Deterministic synthetic azurerm plans and .tf trees for the benchmark.

The shape follows real ``terraform show -json`` output on one line: most resources are of types
pullpath never reads (storage, role assignments, secrets), the rest are registries, subnets,
private endpoints, identities, container groups and web apps, 30% of them inside ``for_each``
module instances, with ids and login servers known only after apply and configuration references
that tie each image to its registry.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

FILLER_TYPES = (
    "azurerm_storage_account",
    "azurerm_role_assignment",
    "azurerm_key_vault_secret",
    "azurerm_monitor_diagnostic_setting",
)
UNIT = 14  # resources per pull-path unit: 6 pullpath reads, 8 it skips (identity, role, filler)


def _padding(rng: random.Random, index: int) -> dict[str, Any]:
    """The attributes a real azurerm resource carries that no rule reads (about 1 KB)."""
    return {
        "tags": {
            "owner": "platform",
            "cost_center": str(rng.randint(1000, 9999)),
            "env": "prod",
            "service": f"svc-{index % 97}",
            "managed_by": "terraform",
        },
        "timeouts": None,
        "account_tier": "Standard",
        "account_replication_type": "ZRS",
        "min_tls_version": "TLS1_2",
        "allow_nested_items_to_be_public": False,
        "shared_access_key_enabled": True,
        "network_rules": [
            {
                "default_action": "Deny",
                "bypass": ["AzureServices"],
                "ip_rules": [f"198.51.100.{index % 250}"],
                "virtual_network_subnet_ids": [],
                "private_link_access": [],
            }
        ],
        "blob_properties": [
            {
                "versioning_enabled": True,
                "change_feed_enabled": False,
                "last_access_time_enabled": False,
                "delete_retention_policy": [{"days": 7}],
                "container_delete_retention_policy": [{"days": 7}],
                "cors_rule": [],
                "restore_policy": [],
            }
        ],
        "identity": [],
        "customer_managed_key": [],
        "static_website": [],
        "share_properties": [],
        "queue_properties": [],
        "routing": [],
        "sas_policy": [],
        "azure_files_authentication": [],
        "immutability_policy": [],
        "description": "generated for the pullpath benchmark; not a real resource " * 2,
    }


def _ref(*refs: str) -> dict[str, Any]:
    return {"references": list(refs)}


def _unit(index: int, rng: random.Random) -> list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(local address, values, after_unknown, expressions) of one unit's resources."""
    closed = rng.random() < 0.5
    acr = f"azurerm_container_registry.acr{index}"
    subnet = f"azurerm_subnet.snet{index}"
    units = [
        (
            acr,
            {
                "name": f"acr{index:06d}",
                "sku": "Premium",
                "location": "westeurope",
                "resource_group_name": "rg",
                "public_network_access_enabled": not closed,
                "network_rule_bypass_option": "AzureServices",
                "admin_enabled": False,
                "georeplications": [],
                "network_rule_set": [],
                "tags": {"unit": str(index)},
            },
            {"id": True, "login_server": True, "admin_password": True, "admin_username": True},
            {},
        ),
        (
            subnet,
            {
                "name": f"snet{index}",
                "resource_group_name": "rg",
                "virtual_network_name": "vnet",
                "address_prefixes": [f"10.{index % 250}.{index % 200}.0/24"],
                "delegation": [],
            },
            {"id": True},
            {},
        ),
        (
            f"azurerm_private_endpoint.pe{index}",
            {
                "name": f"pe{index}",
                "location": "westeurope",
                "resource_group_name": "rg",
                "private_service_connection": [
                    {"name": "psc", "is_manual_connection": False, "subresource_names": ["registry"]}
                ],
            },
            {
                "id": True,
                "subnet_id": True,
                "private_service_connection": [{"private_connection_resource_id": True}],
            },
            {
                "subnet_id": _ref(f"{subnet}.id", subnet),
                "private_service_connection": [{"private_connection_resource_id": _ref(f"{acr}.id", acr)}],
            },
        ),
        (
            f"azurerm_user_assigned_identity.id{index}",
            {"name": f"id{index}", "location": "westeurope"},
            {"id": True, "principal_id": True, "client_id": True},
            {},
        ),
        (
            f"azurerm_container_group.cg{index}",
            {
                "name": f"cg{index}",
                "location": "westeurope",
                "os_type": "Linux",
                "ip_address_type": "Private",
                "container": [
                    {"name": "app", "cpu": 1, "memory": 1.5, "ports": [{"port": 80, "protocol": "TCP"}]}
                ],
                "image_registry_credential": [{}],
                "identity": [{"type": "UserAssigned"}],
                "init_container": [],
            },
            {
                "id": True,
                "subnet_ids": True,
                "container": [{"image": True}],
                "image_registry_credential": [{"server": True, "user_assigned_identity_id": True}],
                "identity": [{"identity_ids": True}],
            },
            {
                "container": [{"image": _ref(f"{acr}.login_server", acr)}],
                "subnet_ids": _ref(f"{subnet}.id", subnet),
                "image_registry_credential": [
                    {
                        "server": _ref(f"{acr}.login_server", acr),
                        "user_assigned_identity_id": _ref(f"azurerm_user_assigned_identity.id{index}.id"),
                    }
                ],
            },
        ),
        (
            f"azurerm_linux_web_app.web{index}",
            {
                "name": f"web{index}",
                "location": "westeurope",
                "app_settings": {"WEBSITE_PULL_IMAGE_OVER_VNET": "true"},
                "site_config": [
                    {
                        "always_on": True,
                        "vnet_route_all_enabled": False,
                        "application_stack": [{"docker_image_name": f"web{index}:1.0"}],
                    }
                ],
            },
            {
                "id": True,
                "virtual_network_subnet_id": True,
                "outbound_ip_address_list": True,
                "site_config": [{"application_stack": [{"docker_registry_url": True}]}],
            },
            {
                "virtual_network_subnet_id": _ref(f"{subnet}.id", subnet),
                "site_config": [
                    {"application_stack": [{"docker_registry_url": _ref(f"{acr}.login_server", acr)}]}
                ],
            },
        ),
    ]
    if index % 4:
        # one registry serves four units: drop this unit's own and point at the shared one
        shared = f"azurerm_container_registry.acr{index - index % 4}"
        units = [
            (local, values, unknown, json.loads(json.dumps(expressions).replace(acr, shared)))
            for local, values, unknown, expressions in units[1:]
        ]
    for filler in range(UNIT - len(units)):
        rtype = FILLER_TYPES[filler % len(FILLER_TYPES)]
        values = {"name": f"f{index}x{filler}", "location": "westeurope", "resource_group_name": "rg"}
        values.update(_padding(rng, index))
        unknown = {"id": True, "primary_access_key": True, "primary_blob_endpoint": True}
        expressions = {
            "name": {"constant_value": f"f{index}x{filler}"},
            "resource_group_name": _ref("azurerm_resource_group.main.name", "azurerm_resource_group.main"),
        }
        units.append((f"{rtype}.f{index}_{filler}", values, unknown, expressions))
    return units


def plan(resources: int, seed: int = 7) -> dict[str, Any]:
    """A plan of about ``resources`` resources, 30% inside ``module.apps["k"]`` instances."""
    rng = random.Random(seed)
    units = max(resources // UNIT, 1)
    in_module = int(units * 0.3)
    root_planned: list[dict[str, Any]] = []
    children: dict[str, list[dict[str, Any]]] = {}
    changes: list[dict[str, Any]] = []
    root_config: list[dict[str, Any]] = []
    module_config: dict[str, dict[str, Any]] = {}
    for index in range(units):
        key = f"team {index % 7}" if index < in_module else None
        prefix = f'module.apps["{key}"].' if key else ""
        # module instances share their configuration, so their local names repeat across keys
        for local, values, unknown, expressions in _unit(index // 7 if key else index - in_module, rng):
            rtype, name = local.split(".")
            address = prefix + local
            record = {
                "address": address,
                "mode": "managed",
                "type": rtype,
                "name": name,
                "provider_name": "registry.terraform.io/hashicorp/azurerm",
                "schema_version": 0,
                "values": values,
                "sensitive_values": {},
            }
            (children.setdefault(prefix[:-1], []) if key else root_planned).append(record)
            changes.append(
                {
                    "address": address,
                    "mode": "managed",
                    "type": rtype,
                    "name": name,
                    "provider_name": "registry.terraform.io/hashicorp/azurerm",
                    "change": {
                        "actions": ["create"],
                        "before": None,
                        "after": values,
                        "after_unknown": unknown,
                        "before_sensitive": False,
                        "after_sensitive": {},
                    },
                }
            )
            config = {
                "address": local,
                "mode": "managed",
                "type": rtype,
                "name": name,
                "provider_config_key": "azurerm",
                "expressions": expressions,
                "schema_version": 0,
            }
            if key:
                module_config[local] = config
            else:
                root_config.append(config)
    child_modules = [
        {"address": address, "resources": records} for address, records in sorted(children.items())
    ]
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "variables": {"location": {"value": "westeurope"}},
        "planned_values": {"root_module": {"resources": root_planned, "child_modules": child_modules}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {
                "azurerm": {"name": "azurerm", "full_name": "registry.terraform.io/hashicorp/azurerm"}
            },
            "root_module": {
                "resources": root_config,
                "module_calls": {
                    "apps": {
                        "source": "./modules/apps",
                        "for_each_expression": _ref("var.teams"),
                        "module": {"resources": list(module_config.values())},
                    }
                },
            },
        },
        "timestamp": "2026-11-27T00:00:00Z",
    }


MODULE_TF = """\
variable "login_server" {}
variable "subnet_id" {}
variable "name" {}

resource "azurerm_container_group" "this" {
  name                = var.name
  location            = "westeurope"
  resource_group_name = "rg"
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = [var.subnet_id]
  container {
    name   = "app"
    image  = "${var.login_server}/app:1.0"
    cpu    = 1
    memory = 1.5
  }
}
"""

ROOT_TF = """\
resource "azurerm_container_registry" "acr" {{
  name                          = "acr{index:05d}"
  location                      = "westeurope"
  resource_group_name           = "rg"
  sku                           = "Premium"
  public_network_access_enabled = {public}
}}

resource "azurerm_subnet" "aci" {{
  name                 = "aci"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}}

module "aci" {{
  source       = "../../modules/aci"
  name         = "cg{index}"
  login_server = azurerm_container_registry.acr.login_server
  subnet_id    = azurerm_subnet.aci.id
}}
"""


def tf_tree(root: Path, roots: int, seed: int = 7) -> None:
    """A monorepo of ``roots`` root modules, each calling one local module, for ``pullpath scan``.

    A stress case for checkov's HCL mode too: two of each root's three resources are ones pullpath
    checks, so per-check costs weigh far more than on a real repository (see :func:`unit_tree`).
    """
    rng = random.Random(seed)
    module = root / "modules" / "aci"
    module.mkdir(parents=True, exist_ok=True)
    (module / "main.tf").write_text(MODULE_TF)
    for index in range(roots):
        folder = root / "stacks" / f"stack{index:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        public = "true" if rng.random() < 0.5 else "false"
        (folder / "main.tf").write_text(ROOT_TF.format(index=index, public=public))


UNIT_ROOT_TF = """\
resource "azurerm_container_registry" "acr" {{
  name                          = "acr{index:05d}"
  location                      = "westeurope"
  resource_group_name           = "rg"
  sku                           = "Premium"
  public_network_access_enabled = {public}
  admin_enabled                 = false
  tags                          = {{ unit = "{index}" }}
}}

resource "azurerm_subnet" "snet" {{
  name                 = "snet{index}"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.{octet}.0.0/24"]
}}

resource "azurerm_private_endpoint" "pe" {{
  name                = "pe{index}"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = azurerm_subnet.snet.id

  private_service_connection {{
    name                           = "psc"
    is_manual_connection           = false
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
  }}
}}

resource "azurerm_user_assigned_identity" "id" {{
  name                = "id{index}"
  location            = "westeurope"
  resource_group_name = "rg"
}}

resource "azurerm_role_assignment" "pull" {{
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.id.principal_id
}}

resource "azurerm_container_group" "cg" {{
  name                = "cg{index}"
  location            = "westeurope"
  resource_group_name = "rg"
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = [azurerm_subnet.snet.id]

  identity {{
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.id.id]
  }}

  image_registry_credential {{
    server                    = azurerm_container_registry.acr.login_server
    user_assigned_identity_id = azurerm_user_assigned_identity.id.id
  }}

  container {{
    name   = "app"
    image  = "${{azurerm_container_registry.acr.login_server}}/app:1.0"
    cpu    = 1
    memory = 1.5

    ports {{
      port     = 80
      protocol = "TCP"
    }}
  }}
}}

resource "azurerm_linux_web_app" "web" {{
  name                      = "web{index}"
  location                  = "westeurope"
  resource_group_name       = "rg"
  service_plan_id           = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  virtual_network_subnet_id = azurerm_subnet.snet.id
  app_settings              = {{ WEBSITE_PULL_IMAGE_OVER_VNET = "true" }}

  site_config {{
    always_on              = true
    vnet_route_all_enabled = false

    application_stack {{
      docker_image_name   = "web{index}:1.0"
      docker_registry_url = "https://${{azurerm_container_registry.acr.login_server}}"
    }}
  }}
}}
"""

FILLER_TF = """\
resource "azurerm_storage_account" "f{index}_{filler}" {{
  name                            = "f{index}x{filler}"
  location                        = "westeurope"
  resource_group_name             = "rg"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  tags                            = {{ owner = "platform", env = "prod", service = "svc-{service}" }}

  network_rules {{
    default_action = "Deny"
    bypass         = ["AzureServices"]
    ip_rules       = ["198.51.100.{service}"]
  }}

  blob_properties {{
    versioning_enabled = true
    delete_retention_policy {{
      days = 7
    }}
  }}
}}

resource "azurerm_key_vault_secret" "f{index}_{filler}" {{
  name         = "f{index}x{filler}"
  value        = "generated"
  key_vault_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  content_type = "text/plain"
}}

resource "azurerm_monitor_diagnostic_setting" "f{index}_{filler}" {{
  name                       = "f{index}x{filler}"
  target_resource_id         = azurerm_storage_account.f{index}_{filler}.id
  log_analytics_workspace_id = "{workspace}"

  enabled_metric {{
    category = "Transaction"
  }}
}}
"""


WORKSPACE = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law"


def unit_tree(root: Path, roots: int, seed: int = 7) -> None:
    """``roots`` root modules shaped like the plan's units, as ``.tf``: the HCL twin of :func:`plan`.

    Each root holds one pull-path unit (registry, subnet, private endpoint, identity, role
    assignment, container group, web app) and the filler types pullpath never reads, about
    ``UNIT`` resources in all; so checkov's share of the work is what it is on a real repository.
    """
    rng = random.Random(seed)
    for index in range(roots):
        folder = root / f"unit{index:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        public = "true" if rng.random() < 0.5 else "false"
        text = UNIT_ROOT_TF.format(index=index, public=public, octet=index % 250)
        for filler in range(2):
            service = (index + filler) % 97
            text += "\n" + FILLER_TF.format(index=index, filler=filler, service=service, workspace=WORKSPACE)
        (folder / "main.tf").write_text(text)


def main() -> None:
    target = Path(sys.argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(plan(int(sys.argv[2])), separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    main()
