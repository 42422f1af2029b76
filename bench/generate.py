"""Deterministic synthetic azurerm plans and .tf trees for the benchmark.

The shape follows real ``terraform show -json`` output on one line. A plan is made of units of
:data:`UNIT` resources, each every layer of a pull path: a spoke VNet and subnet, its link to the
``privatelink.azurecr.io`` zone, peerings both ways with the hub, a user-assigned identity with an
AcrPull role assignment, a container group, a web app and an azapi container app (its body an
object, unknowns inside it), and filler pullpath never reads (storage, secrets, diagnostics). Root
units hold a private endpoint and A records beside them, and one unit in four the registry and its
zone. ``module_share`` of the units are ``for_each`` instances of module calls, ``per_call`` to a
call, ``depth`` calls deep, reaching the hub's registry through input variables at every level.
Ids and login servers are known only after apply; configuration references tie each image to its
registry.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

FILLER_TYPES = (
    "azurerm_storage_account",
    "azurerm_key_vault_secret",
    "azurerm_monitor_diagnostic_setting",
    "azurerm_log_analytics_workspace",
)
UNIT = 20  # resources per pull-path unit: its layers (below) topped up with filler pullpath never reads
#: The root expressions a unit inside a module reaches through its module's input variables.
SHARED = (
    "rg_name",
    "registry_id",
    "login_server",
    "zone_name",
    "zone_id",
    "hub_id",
    "hub_name",
    "environment_id",
)

Expressions = dict[str, Any]
Row = tuple[str, dict[str, Any], dict[str, Any], Expressions]  # local address, values, after_unknown, config


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


def _attr(address: str, attribute: str) -> dict[str, Any]:
    """The expression ``address.attribute``, as Terraform lists its references."""
    return _ref(f"{address}.{attribute}", address)


class _Scope:
    """How one unit names its own resources and reaches the shared ones.

    In the root, each unit's resources carry its index and it references the shared registry (one per
    four units) and the platform directly. Inside a module every instance has the same local names, as
    Terraform's ``for_each`` gives them, and reaches the shared resources through input variables.
    ``owner`` names the registry of a root scope that is no unit (the platform's), its names unnumbered.
    """

    def __init__(self, index: int, label: str, in_module: bool, owner: str | None = None) -> None:
        self.suffix = "" if in_module or owner else str(index)
        self.label = label
        self.in_module = in_module
        owner = owner if owner is not None else "platform" if in_module else f"acr{index - index % 4}"
        self.registry_name = "acrplatform" if owner == "platform" else f"acr{index - index % 4:05d}"
        self.registry = f"azurerm_container_registry.{owner}"
        self.zone = f"azurerm_private_dns_zone.{owner}"
        self.owns_registry = not in_module and index % 4 == 0

    def own(self, rtype: str, name: str) -> str:
        return f"{rtype}.{name}{self.suffix}"

    def shared(self, name: str) -> dict[str, Any]:
        """The expression for one of :data:`SHARED`: a variable in a module, the resource in the root."""
        if self.in_module:
            return _ref(f"var.{name}")
        return _root_shared(self.registry, self.zone)[name]


def _root_shared(registry: str, zone: str) -> dict[str, dict[str, Any]]:
    return {
        "rg_name": _attr("azurerm_resource_group.main", "name"),
        "registry_id": _attr(registry, "id"),
        "login_server": _attr(registry, "login_server"),
        "zone_name": _attr(zone, "name"),
        "zone_id": _attr(zone, "id"),
        "hub_id": _attr("azurerm_virtual_network.hub", "id"),
        "hub_name": _attr("azurerm_virtual_network.hub", "name"),
        "environment_id": _attr("azapi_resource.environment", "id"),
    }


def _registry_rows(scope: _Scope, closed: bool) -> list[Row]:
    """A registry and its ``privatelink.azurecr.io`` zone."""
    return [
        (
            scope.registry,
            {
                "name": scope.registry_name,
                "sku": "Premium",
                "location": "westeurope",
                "resource_group_name": "rg",
                "public_network_access_enabled": not closed,
                "network_rule_bypass_option": "AzureServices",
                "admin_enabled": False,
                "data_endpoint_enabled": True,
                "georeplications": [],
                "network_rule_set": [],
                "tags": {"unit": scope.label},
            },
            {"id": True, "login_server": True, "admin_password": True, "admin_username": True},
            {"resource_group_name": _attr("azurerm_resource_group.main", "name")},
        ),
        (
            scope.zone,
            {"name": "privatelink.azurecr.io", "resource_group_name": "rg", "tags": {}},
            {"id": True, "number_of_record_sets": True, "soa_record": True},
            {"resource_group_name": _attr("azurerm_resource_group.main", "name")},
        ),
    ]


def _unit(index: int, label: str, in_module: bool, rng: random.Random) -> list[Row]:
    """One pull-path unit: network, name, credential and workload layers, and filler, ``UNIT`` rows."""
    scope = _Scope(index, label, in_module)
    rows = _registry_rows(scope, rng.random() < 0.5) if scope.owns_registry else []
    vnet = scope.own("azurerm_virtual_network", "vnet")
    subnet = scope.own("azurerm_subnet", "snet")
    identity = scope.own("azurerm_user_assigned_identity", "id")
    octet = index % 250
    rows += [
        (
            vnet,
            {"name": f"vnet-{label}", "location": "westeurope", "address_space": [f"10.{octet}.0.0/16"]},
            {"id": True, "guid": True, "subnet": True},
            {"resource_group_name": scope.shared("rg_name")},
        ),
        (
            subnet,
            {
                "name": f"snet-{label}",
                "resource_group_name": "rg",
                "virtual_network_name": f"vnet-{label}",
                "address_prefixes": [f"10.{octet}.1.0/24"],
                "delegation": [],
            },
            {"id": True},
            {"virtual_network_name": _attr(vnet, "name"), "resource_group_name": scope.shared("rg_name")},
        ),
        (
            scope.own("azurerm_private_dns_zone_virtual_network_link", "link"),
            {"name": f"link-{label}", "resource_group_name": "rg", "registration_enabled": False},
            {"id": True, "virtual_network_id": True, "private_dns_zone_name": True},
            {"private_dns_zone_name": scope.shared("zone_name"), "virtual_network_id": _attr(vnet, "id")},
        ),
    ]
    if not in_module:  # a module instance reaches the registry through the hub's endpoint, over peering
        rows += _endpoint_rows(scope, subnet)
    for peering, remote, local_name in (("to_hub", "hub_id", _attr(vnet, "name")), ("from_hub", None, None)):
        rows.append(
            (
                scope.own("azurerm_virtual_network_peering", peering),
                {
                    "name": f"{peering}-{label}",
                    "resource_group_name": "rg",
                    "allow_virtual_network_access": True,
                    "allow_forwarded_traffic": False,
                    "allow_gateway_transit": False,
                    "use_remote_gateways": False,
                },
                {"id": True, "virtual_network_name": True, "remote_virtual_network_id": True},
                {
                    "virtual_network_name": local_name or scope.shared("hub_name"),
                    "remote_virtual_network_id": scope.shared(remote) if remote else _attr(vnet, "id"),
                },
            )
        )
    rows += [
        (
            identity,
            {"name": f"id-{label}", "location": "westeurope", "resource_group_name": "rg"},
            {"id": True, "principal_id": True, "client_id": True, "tenant_id": True},
            {"resource_group_name": scope.shared("rg_name")},
        ),
        (
            scope.own("azurerm_role_assignment", "pull"),
            {
                "role_definition_name": "AcrPull",
                "principal_type": "ServicePrincipal",
                "skip_service_principal_aad_check": False,
                "condition": None,
            },
            {"id": True, "name": True, "scope": True, "principal_id": True, "role_definition_id": True},
            {"scope": scope.shared("registry_id"), "principal_id": _attr(identity, "principal_id")},
        ),
        *_workloads(scope, subnet, identity),
    ]
    for filler in range(UNIT - len(rows)):
        rtype = FILLER_TYPES[filler % len(FILLER_TYPES)]
        values = {"name": f"f{label}x{filler}", "location": "westeurope", "resource_group_name": "rg"}
        values.update(_padding(rng, index))
        unknown = {"id": True, "primary_access_key": True, "primary_blob_endpoint": True}
        expressions = {
            "name": {"constant_value": f"f{label}x{filler}"},
            "resource_group_name": scope.shared("rg_name"),
        }
        rows.append((scope.own(rtype, f"f{filler}_"), values, unknown, expressions))
    return rows


def _endpoint_rows(scope: _Scope, subnet: str) -> list[Row]:
    """A private endpoint of the registry in ``subnet`` and the zone's A records for its two hosts."""
    label = scope.label
    endpoint = scope.own("azurerm_private_endpoint", "pe")
    rows: list[Row] = [
        (
            endpoint,
            {
                "name": f"pe-{label}",
                "location": "westeurope",
                "resource_group_name": "rg",
                "private_service_connection": [
                    {"name": "psc", "is_manual_connection": False, "subresource_names": ["registry"]}
                ],
                "private_dns_zone_group": [{"name": "acr"}],
            },
            {
                "id": True,
                "subnet_id": True,
                "network_interface": True,
                "custom_dns_configs": True,
                "private_dns_zone_configs": True,
                "private_service_connection": [
                    {"private_connection_resource_id": True, "private_ip_address": True}
                ],
                "private_dns_zone_group": [{"id": True, "private_dns_zone_ids": True}],
            },
            {
                "subnet_id": _attr(subnet, "id"),
                "private_service_connection": [
                    {"private_connection_resource_id": scope.shared("registry_id")}
                ],
                "private_dns_zone_group": [{"private_dns_zone_ids": scope.shared("zone_id")}],
            },
        ),
    ]
    host = scope.registry_name
    for record, name in (("login", host), ("data", f"{host}.westeurope.data")):
        rows.append(
            (
                scope.own("azurerm_private_dns_a_record", record),
                {"name": name, "resource_group_name": "rg", "ttl": 300},
                {"id": True, "fqdn": True, "records": True, "zone_name": True},
                {
                    "zone_name": scope.shared("zone_name"),
                    "records": _ref(
                        f"{endpoint}.private_service_connection[0].private_ip_address",
                        f"{endpoint}.private_service_connection[0]",
                        f"{endpoint}.private_service_connection",
                        endpoint,
                    ),
                },
            )
        )
    return rows


def _workloads(scope: _Scope, subnet: str, identity: str) -> list[Row]:
    """A container group, a web app and an azapi container app, each pulling from the registry."""
    label = scope.label
    login_server = scope.shared("login_server")
    return [
        (
            scope.own("azurerm_container_group", "cg"),
            {
                "name": f"cg-{label}",
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
                "identity": [{"identity_ids": True, "principal_id": True}],
            },
            {
                "container": [{"image": login_server}],
                "subnet_ids": _attr(subnet, "id"),
                "identity": [{"identity_ids": _attr(identity, "id")}],
                "image_registry_credential": [
                    {"server": login_server, "user_assigned_identity_id": _attr(identity, "id")}
                ],
            },
        ),
        (
            scope.own("azurerm_linux_web_app", "web"),
            {
                "name": f"web-{label}",
                "location": "westeurope",
                "app_settings": {"WEBSITE_PULL_IMAGE_OVER_VNET": "true"},
                "site_config": [
                    {
                        "always_on": True,
                        "vnet_route_all_enabled": False,
                        "application_stack": [{"docker_image_name": f"web{label}:1.0"}],
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
                "virtual_network_subnet_id": _attr(subnet, "id"),
                "site_config": [{"application_stack": [{"docker_registry_url": login_server}]}],
            },
        ),
        (
            scope.own("azapi_resource", "app"),
            {
                "type": "Microsoft.App/containerApps@2024-03-01",
                "name": f"ca-{label}",
                "location": "westeurope",
                "identity": [
                    {"identity_ids": None, "principal_id": None, "tenant_id": None, "type": "UserAssigned"}
                ],
                "schema_validation_enabled": True,
                "ignore_missing_property": True,
                "response_export_values": None,
                "body": {
                    "properties": {
                        "configuration": {"activeRevisionsMode": "Single", "registries": [{}]},
                        "template": {
                            "containers": [{"name": "api", "resources": {"cpu": 0.5, "memory": "1Gi"}}],
                            "scale": {"maxReplicas": 3, "minReplicas": 1},
                        },
                    }
                },
            },
            {
                "id": True,
                "output": True,
                "parent_id": True,
                "identity": [{"identity_ids": True, "principal_id": True, "tenant_id": True}],
                "body": {
                    "properties": {
                        "managedEnvironmentId": True,
                        "configuration": {"registries": [{"identity": True, "server": True}]},
                        "template": {"containers": [{"image": True, "resources": {}}], "scale": {}},
                    }
                },
            },
            {
                "type": {"constant_value": "Microsoft.App/containerApps@2024-03-01"},
                "parent_id": _ref("azurerm_resource_group.main.id", "azurerm_resource_group.main")
                if not scope.in_module
                else _ref("var.rg_name"),
                "identity": [
                    {"type": {"constant_value": "UserAssigned"}, "identity_ids": _attr(identity, "id")}
                ],
                "body": _ref(
                    *scope.shared("environment_id")["references"],
                    *login_server["references"],
                    *_attr(identity, "id")["references"],
                ),
            },
        ),
    ]


def _platform() -> list[Row]:
    """The root's shared resources: the hub network, the Container Apps environment in it, and the
    registry the module instances pull from, with its private endpoint in the hub and its zone."""
    scope = _Scope(0, "platform", in_module=False, owner="platform")
    hub = "azurerm_virtual_network.hub"
    return [
        ("azurerm_resource_group.main", {"name": "rg", "location": "westeurope"}, {"id": True}, {}),
        (
            hub,
            {"name": "vnet-hub", "location": "westeurope", "address_space": ["10.255.0.0/16"]},
            {"id": True, "guid": True, "subnet": True},
            {"resource_group_name": _attr("azurerm_resource_group.main", "name")},
        ),
        (
            "azurerm_subnet.hub",
            {
                "name": "snet-hub",
                "resource_group_name": "rg",
                "virtual_network_name": "vnet-hub",
                "address_prefixes": ["10.255.0.0/23"],
                "delegation": [],
            },
            {"id": True},
            {"virtual_network_name": _attr(hub, "name")},
        ),
        (
            "azapi_resource.environment",
            {
                "type": "Microsoft.App/managedEnvironments@2024-03-01",
                "name": "cae-platform",
                "location": "westeurope",
                "identity": [],
                "body": {"properties": {"vnetConfiguration": {"internal": True}, "workloadProfiles": []}},
            },
            {
                "id": True,
                "output": True,
                "parent_id": True,
                "identity": [],
                "body": {"properties": {"vnetConfiguration": {"infrastructureSubnetId": True}}},
            },
            {
                "type": {"constant_value": "Microsoft.App/managedEnvironments@2024-03-01"},
                "parent_id": _attr("azurerm_resource_group.main", "id"),
                "body": _attr("azurerm_subnet.hub", "id"),
            },
        ),
        *_registry_rows(scope, closed=True),
        *_endpoint_rows(scope, "azurerm_subnet.hub"),
        (
            "azurerm_private_dns_zone_virtual_network_link.hub",
            {"name": "link-hub", "resource_group_name": "rg", "registration_enabled": False},
            {"id": True, "virtual_network_id": True, "private_dns_zone_name": True},
            {"private_dns_zone_name": scope.shared("zone_name"), "virtual_network_id": _attr(hub, "id")},
        ),
    ]


def _provider(rtype: str) -> str:
    return (
        "registry.terraform.io/azure/azapi"
        if rtype.startswith("azapi_")
        else "registry.terraform.io/hashicorp/azurerm"
    )


def _records(rows: list[Row], prefix: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``planned_values`` resources and ``resource_changes`` of ``rows`` in module instance ``prefix``."""
    planned, changes = [], []
    for local, values, unknown, _ in rows:
        rtype, name = local.split(".")
        address = f"{prefix}.{local}" if prefix else local
        common = {"address": address, "mode": "managed", "type": rtype, "name": name}
        planned.append(
            {
                **common,
                "provider_name": _provider(rtype),
                "schema_version": 0,
                "values": values,
                "sensitive_values": {},
            }
        )
        change = {
            "actions": ["create"],
            "before": None,
            "after": values,
            "after_unknown": unknown,
            "before_sensitive": False,
            "after_sensitive": {},
        }
        extra = {"module_address": prefix} if prefix else {}
        changes.append({**common, **extra, "provider_name": _provider(rtype), "change": change})
    return planned, changes


def _config(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            "address": local,
            "mode": "managed",
            "type": local.split(".")[0],
            "name": local.split(".")[1],
            "provider_config_key": "azapi" if local.startswith("azapi_") else "azurerm",
            "expressions": expressions,
            "schema_version": 0,
        }
        for local, _, _, expressions in rows
    ]


def _module(rows: list[Row], depth: int) -> dict[str, Any]:
    """The configuration of a module call ``depth`` levels deep whose innermost module holds ``rows``.

    Each level declares the shared inputs and passes them down to the next as ``var.<name>``.
    """
    variables: dict[str, dict[str, Any]] = {name: {} for name in SHARED}
    module: dict[str, Any] = {"resources": _config(rows), "variables": variables}
    for level in range(depth - 1, 0, -1):
        call = {
            "source": f"./modules/layer{level}",
            "expressions": {name: _ref(f"var.{name}") for name in SHARED},
            "module": module,
        }
        module = {"module_calls": {f"layer{level}": call}, "variables": variables}
    return module


def plan(
    resources: int, seed: int = 7, module_share: float = 0.3, per_call: int = 7, depth: int = 1
) -> dict[str, Any]:
    """A plan of about ``resources`` resources.

    ``module_share`` of the units live in module instances, one unit per instance: ``per_call``
    ``for_each`` instances per module call (so each module resource has ``per_call`` instances), the
    unit ``depth`` module calls deep (``module.appsN["key"].module.layer1...``). The rest are root units.
    """
    if not 0 <= module_share <= 1 or per_call < 1 or depth < 1:
        raise ValueError("module_share is a fraction, per_call and depth at least 1")
    rng = random.Random(seed)
    root_rows = _platform()
    units = max((resources - len(root_rows)) // UNIT, 1)
    in_module = round(units * module_share)
    for index in range(units - in_module):
        root_rows += _unit(index, f"{index:05d}", False, rng)
    root_planned, changes = _records(root_rows, "")
    calls: dict[str, dict[str, Any]] = {}
    child_modules: list[dict[str, Any]] = []
    module_config: dict[str, Any] | None = None
    for index in range(in_module):
        call, key = f"apps{index // per_call}", f"app-{index:05d}"
        rows = _unit(index, key, True, rng)
        module_config = module_config or _module(rows, depth)
        calls.setdefault(
            call,
            {
                "source": "./modules/app",
                "for_each_expression": _ref("var.apps"),
                "expressions": _root_shared(
                    "azurerm_container_registry.platform", "azurerm_private_dns_zone.platform"
                ),
                "module": module_config,
            },
        )
        outer = f'module.{call}["{key}"]'
        addresses = [outer] + [
            f"{outer}." + ".".join(f"module.layer{n}" for n in range(1, level + 1))
            for level in range(1, depth)
        ]
        planned, unit_changes = _records(rows, addresses[-1])
        changes += unit_changes
        node: dict[str, Any] = {"address": addresses[-1], "resources": planned}
        for address in reversed(addresses[:-1]):
            node = {"address": address, "resources": [], "child_modules": [node]}
        child_modules.append(node)
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "variables": {"location": {"value": "westeurope"}},
        "planned_values": {"root_module": {"resources": root_planned, "child_modules": child_modules}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {
                "azurerm": {"name": "azurerm", "full_name": "registry.terraform.io/hashicorp/azurerm"},
                "azapi": {"name": "azapi", "full_name": "registry.terraform.io/azure/azapi"},
            },
            "root_module": {"resources": _config(root_rows), "module_calls": calls},
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
    """``roots`` root modules of about 13 resources each, as ``.tf``: the input of checkov's HCL-mode
    overhead measure (``make bench-instructions``), kept as it was when that measure was accepted.

    Each root holds the pull-path core of a unit (registry, subnet, private endpoint, identity, role
    assignment, container group, web app) and the filler types pullpath never reads; so checkov's
    share of the work is what it is on a real repository.
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
    parser = argparse.ArgumentParser(description="Write a synthetic plan JSON for the benchmark.")
    parser.add_argument("target", type=Path)
    parser.add_argument("resources", type=int)
    parser.add_argument("--module-share", type=float, default=0.3, help="share of units in modules")
    parser.add_argument("--per-call", type=int, default=7, help="for_each instances per module call")
    parser.add_argument("--depth", type=int, default=1, help="module calls from the root to a unit")
    options = parser.parse_args()
    document = plan(
        options.resources, module_share=options.module_share, per_call=options.per_call, depth=options.depth
    )
    options.target.parent.mkdir(parents=True, exist_ok=True)
    options.target.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    main()
