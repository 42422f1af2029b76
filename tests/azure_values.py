"""Realistic azurerm planned values for rule tests, one factory per resource shape."""

from __future__ import annotations

from typing import Any

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers"


def subnet_id(name: str) -> str:
    return f"{SUB}/Microsoft.Network/virtualNetworks/vnet-app/subnets/{name}"


def registry(
    name: str = "contosoacr",
    public: bool = True,
    default_action: str | None = None,
    ip_ranges: tuple[str, ...] = (),
    service_endpoints: tuple[str, ...] = (),
    bypass: str = "AzureServices",
    sku: str = "Premium",
    known_login: bool = False,
) -> dict[str, Any]:
    rule_set: list[dict[str, Any]] = []
    if default_action is not None:
        rule_set = [
            {
                "default_action": default_action,
                "ip_rule": [{"action": "Allow", "ip_range": r} for r in ip_ranges],
                "virtual_network": [{"action": "Allow", "subnet_id": s} for s in service_endpoints],
            }
        ]
    values: dict[str, Any] = {
        "name": name,
        "location": "westeurope",
        "resource_group_name": "rg-app",
        "sku": sku,
        "admin_enabled": True,
        "public_network_access_enabled": public,
        "network_rule_bypass_option": bypass,
        "network_rule_set": rule_set,
        "anonymous_pull_enabled": False,
        "georeplications": [],
        "tags": None,
    }
    if known_login:
        values["login_server"] = f"{name}.azurecr.io"
        values["id"] = f"{SUB}/Microsoft.ContainerRegistry/registries/{name}"
    return values


REGISTRY_UNKNOWN = ["id", "login_server", "admin_username", "admin_password", "identity"]


def container_group(
    image: str | None = None,
    init_image: str | None = None,
    credential: dict[str, Any] | None = None,
    subnet_ids: list[str] | None = None,
    ip_address_type: str = "Public",
    identity_ids: list[str] | None = None,
) -> dict[str, Any]:
    container: dict[str, Any] = {
        "name": "app",
        "cpu": 1,
        "memory": 1.5,
        "ports": [{"port": 80, "protocol": "TCP"}],
    }
    if image is not None:
        container["image"] = image
    values: dict[str, Any] = {
        "name": "cg-app",
        "location": "westeurope",
        "resource_group_name": "rg-app",
        "os_type": "Linux",
        "ip_address_type": ip_address_type,
        "restart_policy": "Always",
        "sku": "Standard",
        "container": [container],
        "init_container": [],
        "image_registry_credential": [credential] if credential else [],
        "identity": [{"type": "UserAssigned", "identity_ids": identity_ids}] if identity_ids else [],
        "subnet_ids": subnet_ids or [],
        "diagnostics": [],
        "dns_config": [],
        "exposed_port": [],
        "tags": None,
    }
    if init_image is not None:
        values["init_container"] = [{"name": "init", "image": init_image}]
    return values


def private_endpoint(subnet: str | None = None, target: str | None = None) -> dict[str, Any]:
    connection: dict[str, Any] = {
        "name": "psc-acr",
        "is_manual_connection": False,
        "subresource_names": ["registry"],
        "request_message": None,
    }
    if target:
        connection["private_connection_resource_id"] = target
    values: dict[str, Any] = {
        "name": "pe-acr",
        "location": "westeurope",
        "resource_group_name": "rg-app",
        "private_service_connection": [connection],
        "private_dns_zone_group": [],
        "ip_configuration": [],
    }
    if subnet:
        values["subnet_id"] = subnet
    return values


def subnet(name: str, known_id: bool = False) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": name,
        "resource_group_name": "rg-app",
        "virtual_network_name": "vnet-app",
        "address_prefixes": ["10.0.1.0/24"],
        "delegation": [],
        "service_endpoints": None,
    }
    if known_id:
        values["id"] = subnet_id(name)
    return values


def linux_web_app(
    image_name: str | None = "app:1.0",
    registry_url: str | None = None,
    app_settings: dict[str, Any] | None = None,
    subnet: str | None = None,
    route_all: bool = False,
    vnet_image_pull: bool | None = None,
    outbound: list[str] | None = None,
) -> dict[str, Any]:
    stack: dict[str, Any] = {"docker_image_name": image_name}
    if registry_url is not None:
        stack["docker_registry_url"] = registry_url
    values: dict[str, Any] = {
        "name": "app-web",
        "location": "westeurope",
        "resource_group_name": "rg-app",
        "app_settings": app_settings if app_settings is not None else {},
        "site_config": [
            {
                "always_on": True,
                "container_registry_use_managed_identity": True,
                "vnet_route_all_enabled": route_all,
                "application_stack": [stack],
            }
        ],
        "identity": [{"type": "SystemAssigned", "identity_ids": None}],
        "https_only": True,
    }
    if subnet is not None:
        values["virtual_network_subnet_id"] = subnet
    if vnet_image_pull is not None:
        values["vnet_image_pull_enabled"] = vnet_image_pull
    if outbound is not None:
        values["outbound_ip_address_list"] = outbound
        values["possible_outbound_ip_address_list"] = outbound
    return values


def service_plan(sku_name: str = "P1v3", os_type: str = "Linux") -> dict[str, Any]:
    return {
        "name": "asp-app",
        "location": "westeurope",
        "resource_group_name": "rg-app",
        "os_type": os_type,
        "sku_name": sku_name,
        "app_service_environment_id": None,
        "per_site_scaling_enabled": False,
        "zone_balancing_enabled": False,
        "tags": None,
    }


def function_app(
    image_name: str = "fn",
    registry_url: str | None = None,
    vnet_image_pull: bool = False,
    subnet: str | None = None,
    app_settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A Linux or Windows function app (azurerm 4.x) running a container image."""
    docker: dict[str, Any] = {"image_name": image_name, "image_tag": "1.0"}
    if registry_url is not None:
        docker["registry_url"] = registry_url
    values: dict[str, Any] = {
        "name": "func-app",
        "location": "westeurope",
        "resource_group_name": "rg-app",
        "storage_account_name": "stfuncapp",
        "storage_uses_managed_identity": True,
        "functions_extension_version": "~4",
        "app_settings": app_settings if app_settings is not None else {},
        "site_config": [
            {
                "always_on": False,
                "container_registry_use_managed_identity": True,
                "vnet_route_all_enabled": False,
                "application_stack": [{"docker": [docker]}],
            }
        ],
        "identity": [{"type": "SystemAssigned", "identity_ids": None}],
        "vnet_image_pull_enabled": vnet_image_pull,
        "https_only": True,
    }
    if subnet is not None:
        values["virtual_network_subnet_id"] = subnet
    return values


def container_app_environment(subnet: str | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "cae-app",
        "location": "westeurope",
        "resource_group_name": "rg-app",
        "internal_load_balancer_enabled": False,
        "zone_redundancy_enabled": False,
        "workload_profile": [],
        "tags": None,
    }
    if subnet is not None:
        values["infrastructure_subnet_id"] = subnet
    return values


def container_app(
    image: str | None = None, init_image: str | None = None, registry: dict[str, Any] | None = None
) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "app", "cpu": 0.5, "memory": "1Gi", "env": []}
    if image is not None:
        container["image"] = image
    template: dict[str, Any] = {"container": [container], "init_container": [], "min_replicas": 1}
    if init_image is not None:
        template["init_container"] = [
            {"name": "migrate", "image": init_image, "cpu": 0.25, "memory": "0.5Gi"}
        ]
    return {
        "name": "ca-app",
        "resource_group_name": "rg-app",
        "revision_mode": "Single",
        "template": [template],
        "registry": [registry] if registry is not None else [],
        "identity": [],
        "ingress": [],
        "secret": [],
        "tags": None,
    }


def add_registry_endpoint(
    plan: Any, subnet: str = "endpoints", registry: str = "azurerm_container_registry.acr"
) -> Any:
    """Add a private endpoint (sub-resource ``registry``) for ``registry`` in ``azurerm_subnet.<subnet>``.

    Both references are known only after apply, as when the endpoint, its subnet and the registry are
    created together; ``plan`` is a :class:`planbuilder.PlanBuilder`.
    """
    return plan.resource(
        "azurerm_private_endpoint.acr",
        private_endpoint(),
        unknown=["subnet_id", "private_service_connection.0.private_connection_resource_id", "id"],
        expressions={
            "subnet_id": {"references": [f"azurerm_subnet.{subnet}.id", f"azurerm_subnet.{subnet}"]},
            "private_service_connection": [
                {
                    "private_connection_resource_id": {"references": [f"{registry}.id", registry]},
                    "subresource_names": {"constant_value": ["registry"]},
                }
            ],
        },
    )


def role_assignment(role: str = "AcrPull") -> dict[str, Any]:
    """A role assignment's planned values: principal and scope are known only after apply."""
    return {
        "role_definition_name": role,
        "condition": None,
        "condition_version": None,
        "delegated_managed_identity_resource_id": None,
        "description": None,
        "skip_service_principal_aad_check": None,
        "timeouts": None,
    }


ROLE_ASSIGNMENT_UNKNOWN = ["id", "name", "principal_id", "principal_type", "role_definition_id", "scope"]


def grant_pull(
    plan: Any, principal: str, registry: str, name: str = "pull", attribute: str = "principal_id"
) -> Any:
    """Grant AcrPull on ``registry`` to ``principal``'s ``attribute`` (``identity[0].principal_id`` for a
    workload's system-assigned identity), as ``azurerm_role_assignment.<name>``."""
    return plan.resource(
        f"azurerm_role_assignment.{name}",
        role_assignment(),
        unknown=ROLE_ASSIGNMENT_UNKNOWN,
        expressions={
            "role_definition_name": {"constant_value": "AcrPull"},
            "scope": {"references": [f"{registry}.id", registry]},
            "principal_id": {"references": [f"{principal}.{attribute}", principal]},
        },
    )
