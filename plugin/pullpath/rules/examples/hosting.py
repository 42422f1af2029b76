"""Failing and fixed HCL for the hosting rules, PP205 and PP206."""

from __future__ import annotations

from pullpath.rules.examples.parts import (
    ENDPOINT_SUBNET,
    PULL_IDENTITY,
    VNET_IMAGE_PULL,
    WEB_NETWORK,
    function_app,
    join,
    private_endpoint,
    registry,
    service_plan,
    web_app,
)

_INTEGRATED = (
    "  virtual_network_subnet_id     = azurerm_subnet.integration.id\n"
    "  vnet_image_pull_enabled       = true\n"
)

PP205_FAILING = join(WEB_NETWORK, service_plan("asp-func", "FC1"), PULL_IDENTITY, function_app(""))
PP205_FIXED = join(WEB_NETWORK, service_plan("asp-func", "EP1"), PULL_IDENTITY, function_app(_INTEGRATED))

_ASE = """
resource "azurerm_subnet" "ase" {
  name                 = "snet-ase"
  resource_group_name  = "rg-app"
  virtual_network_name = "vnet-app"
  address_prefixes     = ["10.0.8.0/24"]

  delegation {
    name = "ase"
    service_delegation {
      name    = "Microsoft.Web/hostingEnvironments"
      actions = ["Microsoft.Network/virtualNetworks/subnets/action"]
    }
  }
}

resource "azurerm_app_service_environment_v3" "ase" {
  name                = "ase-app"
  resource_group_name = "rg-app"
  subnet_id           = azurerm_subnet.ase.id
}

resource "azurerm_service_plan" "plan" {
  name                       = "asp-ase"
  resource_group_name        = "rg-app"
  location                   = "westeurope"
  os_type                    = "Linux"
  sku_name                   = "I1v2"
  app_service_environment_id = azurerm_app_service_environment_v3.ase.id
}
"""

_ASE_APP = """\
  name                = "app-web"
  resource_group_name = "rg-app"
  location            = "westeurope"
  service_plan_id     = azurerm_service_plan.plan.id
"""


def _in_ase(routing: str) -> str:
    return join(
        ENDPOINT_SUBNET,
        PULL_IDENTITY,
        registry("public_network_access_enabled = false"),
        private_endpoint("endpoints"),
        _ASE,
        PULL_IDENTITY,
        web_app(_ASE_APP + routing),
    )


PP206_FAILING = _in_ase("  # no vnet_image_pull_enabled: azurerm sends false, which it refuses in an ASE\n")
PP206_FIXED = _in_ase(VNET_IMAGE_PULL)
