"""Failing and fixed HCL for each rule: data the rule docs and ``pullpath explain`` print.

Kept apart from the rule logic so a family module stays readable; each rule names its pair in its
own ``Rule(...)``. Every example is a complete configuration fragment (the resource group and the
VNet are taken as existing) built from the shared pieces below, so a fix reads as a difference.
"""

from __future__ import annotations

_ACI_SUBNET = """
resource "azurerm_subnet" "aci" {
  name                 = "snet-aci"
  resource_group_name  = "rg-app"
  virtual_network_name = "vnet-app"
  address_prefixes     = ["10.0.1.0/24"]

  delegation {
    name = "aci"
    service_delegation {
      name    = "Microsoft.ContainerInstance/containerGroups"
      actions = ["Microsoft.Network/virtualNetworks/subnets/action"]
    }
  }
}
"""

_ENDPOINT_SUBNET = """
resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = "rg-app"
  virtual_network_name = "vnet-app"
  address_prefixes     = ["10.0.2.0/24"]
}
"""


def _registry(*settings: str) -> str:
    lines = "\n".join(f"  {line}" if line else "" for line in settings)
    return f"""
resource "azurerm_container_registry" "acr" {{
  name                = "contosoacr"
  resource_group_name = "rg-app"
  location            = "westeurope"
  sku                 = "Premium"

{lines}
}}
"""


_CLOSED = _registry(
    "public_network_access_enabled = false", 'network_rule_bypass_option    = "AzureServices"'
)
_CLOSED_NO_BYPASS = _registry(
    "public_network_access_enabled = false", 'network_rule_bypass_option    = "None"'
)
_CLOSED_ADMIN = _registry("admin_enabled                 = true", "public_network_access_enabled = false")

_IDENTITY = """
resource "azurerm_user_assigned_identity" "pull" {
  name                = "id-acr-pull"
  resource_group_name = "rg-app"
  location            = "westeurope"
}

resource "azurerm_role_assignment" "pull" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.pull.principal_id
}
"""


def _endpoint(subnet: str) -> str:
    return f"""
resource "azurerm_private_dns_zone" "acr" {{
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-app"
}}

resource "azurerm_private_dns_zone_virtual_network_link" "acr" {{
  name                  = "acr"
  resource_group_name   = "rg-app"
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = var.vnet_id
}}

resource "azurerm_private_endpoint" "acr" {{
  name                = "pe-acr"
  resource_group_name = "rg-app"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.{subnet}.id

  private_service_connection {{
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }}

  private_dns_zone_group {{
    name                 = "acr"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }}
}}
"""


_PASSWORD = """
  image_registry_credential {
    server   = azurerm_container_registry.acr.login_server
    username = azurerm_container_registry.acr.admin_username
    password = azurerm_container_registry.acr.admin_password
  }"""

_IDENTITY_PULL = """
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }

  image_registry_credential {
    server                    = azurerm_container_registry.acr.login_server
    user_assigned_identity_id = azurerm_user_assigned_identity.pull.id
  }"""


def _group(credential: str, in_vnet: bool) -> str:
    network = (
        '  ip_address_type     = "Private"\n  subnet_ids          = [azurerm_subnet.aci.id]\n'
        if in_vnet
        else '  ip_address_type     = "Public"\n'
    )
    return f"""
resource "azurerm_container_group" "app" {{
  name                = "cg-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  os_type             = "Linux"
{network}
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
{credential}
}}
"""


def _join(*parts: str) -> str:
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


PP101_FAILING = _join(_CLOSED_ADMIN, _group(_PASSWORD, in_vnet=False))
PP101_FIXED = _join(_CLOSED, _IDENTITY, _group(_IDENTITY_PULL, in_vnet=False))

PP102_FAILING = _join(_CLOSED_NO_BYPASS, _IDENTITY, _group(_IDENTITY_PULL, in_vnet=False))
PP102_FIXED = PP101_FIXED

_VNET_GROUP = _group(_IDENTITY_PULL, in_vnet=True)
PP103_FAILING = _join(_ACI_SUBNET, _ENDPOINT_SUBNET, _CLOSED, _IDENTITY, _endpoint("aci"), _VNET_GROUP)
PP103_FIXED = _join(_ACI_SUBNET, _ENDPOINT_SUBNET, _CLOSED, _IDENTITY, _endpoint("endpoints"), _VNET_GROUP)

PP104_FAILING = _join(_ACI_SUBNET, _ENDPOINT_SUBNET, _CLOSED, _IDENTITY, _VNET_GROUP)
PP104_FIXED = PP103_FIXED

PP105_FAILING = _join(
    "# azurerm 3.x: service-endpoint rules were removed from the registry in azurerm 4.0",
    _ACI_SUBNET,
    _registry(
        "admin_enabled = true",
        "",
        "network_rule_set {",
        '  default_action = "Deny"',
        "",
        "  virtual_network {",
        '    action    = "Allow"',
        "    subnet_id = azurerm_subnet.aci.id",
        "  }",
        "}",
    ),
    _group(_PASSWORD, in_vnet=True),
)
PP105_FIXED = PP103_FIXED

_PLAN = """
resource "azurerm_service_plan" "plan" {
  name                = "asp-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "P1v3"
}
"""

_INTEGRATION_SUBNET = """
resource "azurerm_subnet" "integration" {
  name                 = "snet-app"
  resource_group_name  = "rg-app"
  virtual_network_name = "vnet-app"
  address_prefixes     = ["10.0.3.0/24"]

  delegation {
    name = "web"
    service_delegation {
      name    = "Microsoft.Web/serverFarms"
      actions = ["Microsoft.Network/virtualNetworks/subnets/action"]
    }
  }
}
"""


def _web_app(network: str, site: str = "") -> str:
    return f"""
resource "azurerm_linux_web_app" "web" {{
  name                = "app-web"
  resource_group_name = "rg-app"
  location            = "westeurope"
  service_plan_id     = azurerm_service_plan.plan.id
{network}
  site_config {{
    container_registry_use_managed_identity = true
{site}
    application_stack {{
      docker_image_name   = "app:1.0"
      docker_registry_url = "https://${{azurerm_container_registry.acr.login_server}}"
    }}
  }}

  identity {{
    type = "SystemAssigned"
  }}
}}

resource "azurerm_role_assignment" "pull" {{
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_linux_web_app.web.identity[0].principal_id
}}
"""


_INTEGRATED = "\n  virtual_network_subnet_id = azurerm_subnet.integration.id\n"
_ROUTED = (
    "\n  virtual_network_subnet_id = azurerm_subnet.integration.id\n"
    "  vnet_image_pull_enabled   = true # azurerm >= 4.36; older: WEBSITE_PULL_IMAGE_OVER_VNET\n"
)
_WEB_FIXED_PARTS = (_INTEGRATION_SUBNET, _ENDPOINT_SUBNET, _CLOSED, _endpoint("endpoints"), _PLAN)

PP201_FAILING = _join(_CLOSED, _PLAN, _web_app(""))
PP201_FIXED = _join(*_WEB_FIXED_PARTS, _web_app(_ROUTED))

PP202_FAILING = _join(
    *_WEB_FIXED_PARTS,
    _web_app(
        _INTEGRATED, "    vnet_route_all_enabled                  = true # app traffic only, not the pull\n"
    ),
)
PP202_FIXED = PP201_FIXED
