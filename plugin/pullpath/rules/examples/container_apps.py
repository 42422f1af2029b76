"""Failing and fixed HCL for the Container Apps rule, PP301."""

from __future__ import annotations

from pullpath.rules.examples.parts import (
    ASSIGNED_PULL_IDENTITY,
    PULL_IDENTITY,
    REGISTRY_IMAGE,
    WEB_NETWORK,
    join,
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

_CONTAINER_APP = f"""
resource "azurerm_container_app" "app" {{
  name                         = "ca-app"
  resource_group_name          = "rg-app"
  container_app_environment_id = azurerm_container_app_environment.env.id
  revision_mode                = "Single"
{ASSIGNED_PULL_IDENTITY}
  registry {{
    server   = azurerm_container_registry.acr.login_server
    identity = azurerm_user_assigned_identity.pull.id
  }}

  template {{
    container {{
      name   = "app"
      image  = "{REGISTRY_IMAGE}"
      cpu    = 0.5
      memory = "1Gi"
    }}
  }}
}}
"""


def _environment(network: str) -> str:
    return f"""
resource "azurerm_container_app_environment" "env" {{
  name                = "cae-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
{network}}}
"""


PP301_FAILING = join(WEB_NETWORK, _environment(""), PULL_IDENTITY, _CONTAINER_APP)
PP301_FIXED = join(
    WEB_NETWORK,
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
    PULL_IDENTITY,
    _CONTAINER_APP,
)
