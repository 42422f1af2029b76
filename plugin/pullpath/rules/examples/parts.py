"""The HCL pieces more than one family's examples are built from, each defined once.

A piece is a resource (or a block inside one) as text; :func:`join` lays pieces out as one
configuration, so an example reads as the list of what it deploys and a fix as a difference.
"""

from __future__ import annotations


def join(*parts: str) -> str:
    """One configuration of ``parts``, a blank line between them, whatever newlines they carry."""
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


ACI_SUBNET = """
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

ENDPOINT_SUBNET = """
resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = "rg-app"
  virtual_network_name = "vnet-app"
  address_prefixes     = ["10.0.2.0/24"]
}
"""

INTEGRATION_SUBNET = """
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


def registry(*settings: str, sku: str = "Premium") -> str:
    """The registry with ``settings``, one line each (an empty one is a blank line), after its SKU."""
    lines = "\n".join(f"  {line}" if line else "" for line in settings)
    return f"""
resource "azurerm_container_registry" "acr" {{
  name                = "contosoacr"
  resource_group_name = "rg-app"
  location            = "westeurope"
  sku                 = "{sku}"

{lines}
}}
"""


CLOSED_REGISTRY = registry(
    "public_network_access_enabled = false", 'network_rule_bypass_option    = "AzureServices"'
)

ASSIGNED_PULL_IDENTITY = """
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }
"""

USER_IDENTITY = """
resource "azurerm_user_assigned_identity" "pull" {
  name                = "id-acr-pull"
  resource_group_name = "rg-app"
  location            = "westeurope"
}
"""


def pull_grant(principal: str = "principal_id") -> str:
    """AcrPull on the registry for the identity's ``principal`` (``client_id`` is the classic mistake)."""
    return f"""
resource "azurerm_role_assignment" "pull" {{
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.pull.{principal}
}}
"""


PULL_IDENTITY = join(USER_IDENTITY, pull_grant())

ACI_IDENTITY_CREDENTIAL = """
  image_registry_credential {
    server                    = azurerm_container_registry.acr.login_server
    user_assigned_identity_id = azurerm_user_assigned_identity.pull.id
  }
"""
ACI_IDENTITY_PULL = ASSIGNED_PULL_IDENTITY + ACI_IDENTITY_CREDENTIAL

APP_VNET = """
resource "azurerm_virtual_network" "app" {
  name                = "vnet-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]
}
"""

PRIVATELINK_ZONE = """
resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-app"
}
"""

_PRIVATE_DNS = (
    APP_VNET
    + PRIVATELINK_ZONE
    + """
resource "azurerm_private_dns_zone_virtual_network_link" "acr" {
  name                  = "acr"
  resource_group_name   = "rg-app"
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.app.id
}
"""
)

_DNS_ZONE_GROUP = """
  private_dns_zone_group {
    name                 = "acr"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
"""


def private_endpoint(subnet: str, with_dns: bool = True) -> str:
    """The registry's private endpoint in ``subnet``, with its privatelink DNS zone unless told not.

    The zone comes with the VNet the examples' subnets are in (``vnet-app``), linked to it.
    """
    endpoint = endpoint_resource(subnet, zone_group=with_dns)
    return join(_PRIVATE_DNS, endpoint) if with_dns else endpoint


def endpoint_resource(subnet: str, zone_group: bool = True, manual: bool = False) -> str:
    """The registry's private endpoint resource alone, in ``azurerm_subnet.<subnet>``: in the zone
    group of ``azurerm_private_dns_zone.acr`` unless told not, its connection approved by hand when
    ``manual``."""
    group = _DNS_ZONE_GROUP if zone_group else ""
    request = '\n    request_message                = "Pull images for app-web"' if manual else ""
    return f"""
resource "azurerm_private_endpoint" "acr" {{
  name                = "pe-acr"
  resource_group_name = "rg-app"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.{subnet}.id

  private_service_connection {{
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = {str(manual).lower()}{request}
  }}
{group}}}
"""


PASSWORD_CREDENTIAL = """
  image_registry_credential {
    server   = azurerm_container_registry.acr.login_server
    username = azurerm_container_registry.acr.admin_username
    password = azurerm_container_registry.acr.admin_password
  }
"""

REGISTRY_IMAGE = "${azurerm_container_registry.acr.login_server}/app:1.0"


def container_group(credential: str, in_vnet: bool, image: str = REGISTRY_IMAGE) -> str:
    """A container group running ``image``, pulling with ``credential`` (a block, or nothing)."""
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
    image  = "{image}"
    cpu    = 1
    memory = 1.5

    ports {{
      port     = 80
      protocol = "TCP"
    }}
  }}
{credential}}}
"""


def service_plan(name: str, sku: str) -> str:
    return f"""
resource "azurerm_service_plan" "plan" {{
  name                = "{name}"
  resource_group_name = "rg-app"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "{sku}"
}}
"""


SERVICE_PLAN = service_plan("asp-app", "P1v3")


def web_app(attributes: str, site: str = "") -> str:
    """A Linux web app with ``attributes`` (whole lines) that pulls with the user-assigned identity
    of :data:`PULL_IDENTITY`, which its configuration must hold too."""
    return f"""
resource "azurerm_linux_web_app" "web" {{
{attributes}
  site_config {{
    container_registry_use_managed_identity       = true
    container_registry_managed_identity_client_id = azurerm_user_assigned_identity.pull.client_id
{site}
    application_stack {{
      docker_image_name   = "app:1.0"
      docker_registry_url = "https://${{azurerm_container_registry.acr.login_server}}"
    }}
  }}
{ASSIGNED_PULL_IDENTITY}}}
"""


_INTEGRATED_WEB_APP = """\
  name                      = "app-web"
  resource_group_name       = "rg-app"
  location                  = "westeurope"
  service_plan_id           = azurerm_service_plan.plan.id
  virtual_network_subnet_id = azurerm_subnet.integration.id
"""


def function_app(lines: str = "") -> str:
    """A Linux function app with ``lines`` (whole attribute lines) that pulls its Docker image with the
    user-assigned identity of :data:`PULL_IDENTITY`, which its configuration must hold too."""
    return f"""
resource "azurerm_linux_function_app" "fn" {{
  name                          = "func-app"
  resource_group_name           = "rg-app"
  location                      = "westeurope"
  service_plan_id               = azurerm_service_plan.plan.id
  storage_account_name          = "stfuncapp"
  storage_uses_managed_identity = true
{lines}
  site_config {{
    container_registry_use_managed_identity       = true
    container_registry_managed_identity_client_id = azurerm_user_assigned_identity.pull.client_id

    application_stack {{
      docker {{
        registry_url = azurerm_container_registry.acr.login_server
        image_name   = "fn"
        image_tag    = "1.0"
      }}
    }}
  }}

  identity {{
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }}
}}
"""


def integrated_web_app(routing: str) -> str:
    """The plan and a web app integrated into the integration subnet, ``routing`` its pull."""
    return join(SERVICE_PLAN, PULL_IDENTITY, web_app(_INTEGRATED_WEB_APP + routing))


VNET_IMAGE_PULL = "  vnet_image_pull_enabled   = true\n"

WEB_NETWORK = join(
    INTEGRATION_SUBNET,
    ENDPOINT_SUBNET,
    registry("public_network_access_enabled = false"),
    private_endpoint("endpoints"),
)
