"""Failing and fixed HCL for PP106 to PP901, in the form of :mod:`pullpath.rules.examples`.

Each example is a complete configuration fragment (the resource group and the VNet are taken as
existing); where a fix is the documented path an earlier rule already shows, it is that example.
"""

from __future__ import annotations

from pullpath.rules import examples


def _join(*parts: str) -> str:
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


def _in_region(example: str, region: str) -> str:
    """The same configuration deployed to another region."""
    return example.replace('location            = "westeurope"', f'location            = "{region}"')


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

PP106_FAILING = _join(
    _ACI_SUBNET,
    """
# The 2021 advice: a self-hosted registry on a VM in the same VNet. ACI does not pull from it.
resource "azurerm_container_group" "app" {
  name                = "cg-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = [azurerm_subnet.aci.id]

  container {
    name   = "app"
    image  = "10.0.9.4:5000/app:1.0"
    cpu    = 1
    memory = 1.5

    ports {
      port     = 80
      protocol = "TCP"
    }
  }
}
""",
)
PP106_FIXED = examples.PP103_FIXED

PP107_FAILING = _in_region(examples.PP103_FIXED, "usgovvirginia")
PP107_FIXED = _in_region(examples.PP101_FIXED, "usgovvirginia")

_WEB_SUBNETS = """
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

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = "rg-app"
  virtual_network_name = "vnet-app"
  address_prefixes     = ["10.0.2.0/24"]
}
"""

_ENDPOINT = """
resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  resource_group_name = "rg-app"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}
"""


def _registry(sku: str, restriction: str) -> str:
    return f"""
resource "azurerm_container_registry" "acr" {{
  name                = "contosoacr"
  resource_group_name = "rg-app"
  location            = "westeurope"
  sku                 = "{sku}"
{restriction}}}
"""


_CLOSED = "\n  public_network_access_enabled = false\n"
_FIREWALL = """
  network_rule_set {
    default_action = "Deny"

    ip_rule {
      action   = "Allow"
      ip_range = "198.51.100.0/24"
    }
  }
"""
_WEB_NETWORK = _join(_WEB_SUBNETS, _registry("Premium", _CLOSED), _ENDPOINT)


def _web_app(routing: str) -> str:
    return f"""
resource "azurerm_service_plan" "plan" {{
  name                = "asp-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "P1v3"
}}

resource "azurerm_linux_web_app" "web" {{
  name                      = "app-web"
  resource_group_name       = "rg-app"
  location                  = "westeurope"
  service_plan_id           = azurerm_service_plan.plan.id
  virtual_network_subnet_id = azurerm_subnet.integration.id
{routing}
  site_config {{
    container_registry_use_managed_identity = true

    application_stack {{
      docker_image_name   = "app:1.0"
      docker_registry_url = "https://${{azurerm_container_registry.acr.login_server}}"
    }}
  }}

  identity {{
    type = "SystemAssigned"
  }}
}}
"""


_ROUTED = "  vnet_image_pull_enabled   = true\n"

PP203_FAILING = _join(
    "# azurerm 4.41 in .terraform.lock.hcl: the provider sends vnetImagePullEnabled for every Linux web app",
    _WEB_NETWORK,
    _web_app(
        """
  app_settings = {
    WEBSITE_PULL_IMAGE_OVER_VNET = "true" # vnet_image_pull_enabled stays unset: sent as false
  }
"""
    ),
)
PP203_FIXED = _join(_WEB_NETWORK, _web_app(_ROUTED))


def _function_app(sku: str, network: str) -> str:
    return f"""
resource "azurerm_service_plan" "plan" {{
  name                = "asp-func"
  resource_group_name = "rg-app"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "{sku}"
}}

resource "azurerm_linux_function_app" "fn" {{
  name                          = "func-app"
  resource_group_name           = "rg-app"
  location                      = "westeurope"
  service_plan_id               = azurerm_service_plan.plan.id
  storage_account_name          = "stfuncapp"
  storage_uses_managed_identity = true
  vnet_image_pull_enabled       = true
{network}
  site_config {{
    container_registry_use_managed_identity = true

    application_stack {{
      docker {{
        registry_url = azurerm_container_registry.acr.login_server
        image_name   = "fn"
        image_tag    = "1.0"
      }}
    }}
  }}

  identity {{
    type = "SystemAssigned"
  }}
}}
"""


PP204_FAILING = _join(_WEB_NETWORK, _function_app("Y1", ""))
PP204_FIXED = _join(
    _WEB_NETWORK, _function_app("EP1", "  virtual_network_subnet_id     = azurerm_subnet.integration.id\n")
)

_APPS_SUBNET = """
resource "azurerm_subnet" "apps" {
  name                 = "snet-container-apps"
  resource_group_name  = "rg-app"
  virtual_network_name = "vnet-app"
  address_prefixes     = ["10.0.4.0/23"]

  delegation {
    name = "aca"
    service_delegation {
      name    = "Microsoft.App/environments"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}
"""

_CONTAINER_APP = """
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

resource "azurerm_container_app" "app" {
  name                         = "ca-app"
  resource_group_name          = "rg-app"
  container_app_environment_id = azurerm_container_app_environment.env.id
  revision_mode                = "Single"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }

  registry {
    server   = azurerm_container_registry.acr.login_server
    identity = azurerm_user_assigned_identity.pull.id
  }

  template {
    container {
      name   = "app"
      image  = "${azurerm_container_registry.acr.login_server}/app:1.0"
      cpu    = 0.5
      memory = "1Gi"
    }
  }
}
"""


def _environment(network: str) -> str:
    return f"""
resource "azurerm_container_app_environment" "env" {{
  name                = "cae-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
{network}}}
"""


PP301_FAILING = _join(_WEB_NETWORK, _environment(""), _CONTAINER_APP)
PP301_FIXED = _join(
    _WEB_NETWORK,
    _APPS_SUBNET,
    _environment(
        """
  infrastructure_subnet_id = azurerm_subnet.apps.id

  workload_profile {
    name                  = "Consumption"
    workload_profile_type = "Consumption"
  }
"""
    ),
    _CONTAINER_APP,
)


PP901_FAILING = _join(_WEB_SUBNETS, _registry("Standard", _FIREWALL), _ENDPOINT, _web_app(_ROUTED))
PP901_FIXED = _join(_WEB_SUBNETS, _registry("Premium", _FIREWALL), _ENDPOINT, _web_app(_ROUTED))
