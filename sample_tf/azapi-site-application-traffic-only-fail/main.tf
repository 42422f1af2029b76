# An azapi web app (Microsoft.Web/sites) integrated with a VNet routes application traffic
# (outboundVnetRouting.applicationTraffic) but not the image pull (imagePullTraffic); the pull
# goes to the closed registry's public endpoint.
# Expected: PP202 FAIL.
# Credential layer: PP503 FAIL (the app pulls with its system-assigned identity, and nothing grants
# it pull on the registry).

terraform {
  required_providers {
    azapi = {
      source  = "Azure/azapi"
      version = "~> 2.0"
    }
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.116"
    }
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "main" {
  name     = "rg-webapp-private-acr"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-webapp"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  address_space       = ["10.30.0.0/16"]
}

resource "azurerm_subnet" "integration" {
  name                 = "snet-app-integration"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.30.1.0/24"]

  delegation {
    name = "webapp-delegation"
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
  address_prefixes     = ["10.30.2.0/24"]
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrpullpathweb06"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  sku                           = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "acr" {
  name                  = "acr-dns-link"
  resource_group_name   = azurerm_resource_group.main.name
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.main.id
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

  private_dns_zone_group {
    name                 = "acr-dns"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}

resource "azurerm_service_plan" "main" {
  name                = "asp-pullpath-linux"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  sku_name            = "P1v3"
}

resource "azapi_resource" "app" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "app-pullpath-azapi"
  parent_id = azurerm_resource_group.main.id
  location  = "westeurope"

  identity {
    type = "SystemAssigned"
  }

  body = {
    kind = "app,linux,container"
    properties = {
      serverFarmId           = azurerm_service_plan.main.id
      virtualNetworkSubnetId = azurerm_subnet.integration.id
      httpsOnly              = true
      outboundVnetRouting = {
        applicationTraffic = true # routes application traffic; the image pull still goes public
      }
      siteConfig = {
        alwaysOn                   = true
        acrUseManagedIdentityCreds = true
        linuxFxVersion             = "DOCKER|${azurerm_container_registry.acr.login_server}/app:1.0"
      }
    }
  }
}
