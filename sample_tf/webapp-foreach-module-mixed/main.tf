# Two Linux web apps from one for_each module over a map of objects: "api" is VNet-integrated and
# routes its image pull over the VNet to the registry's private endpoint; "admin" has no VNet.
# Expected: PP202 PASS for api, PP201 FAIL for admin.
# Credential layer: PP503 FAIL for both (each pulls with its system-assigned identity; the module
# outputs its principal ID, but nothing grants it pull on the registry).
# No privatelink.azurecr.io zone is in the configuration: PP602 UNKNOWN for api; PP701 PASS for api
# (its endpoint is in its VNet), UNKNOWN from the plan alone, which cannot tell the subnet a local names.

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.36"
    }
  }
}

provider "azurerm" {
  features {}
}

locals {
  apps = {
    api = {
      image          = "orders-api:3.1"
      subnet_id      = azurerm_subnet.integration.id
      pull_over_vnet = true
    }
    admin = {
      image          = "orders-admin:1.2"
      subnet_id      = null
      pull_over_vnet = false
    }
  }
}

resource "azurerm_resource_group" "main" {
  name     = "rg-web-fleet"
  location = "West Europe"
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-web-fleet"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  address_space       = ["10.50.0.0/16"]
}

resource "azurerm_subnet" "integration" {
  name                 = "snet-integration"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.50.1.0/24"]

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
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.50.2.0/24"]
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosowebfleet"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  sku                           = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "psc-acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}

resource "azurerm_service_plan" "main" {
  name                = "asp-web-fleet"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  sku_name            = "P1v3"
}

module "webapp" {
  source   = "./modules/webapp"
  for_each = local.apps

  name                = "app-${each.key}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  service_plan_id     = azurerm_service_plan.main.id
  registry_url        = "https://${azurerm_container_registry.acr.login_server}"
  image               = each.value.image
  subnet_id           = each.value.subnet_id
  pull_over_vnet      = each.value.pull_over_vnet
}
