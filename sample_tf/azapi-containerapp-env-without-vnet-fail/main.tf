# azapi 2.x (object bodies, as Azure Verified Modules write them): a container app pulls by
# user-assigned identity from a closed registry, in an environment without a VNet
# configuration. Container Apps is not a trusted service.
# Expected: PP301 FAIL.
# Credential layer: PP503 PASS (a user-assigned identity, attached and granted AcrPull).

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
    azapi = {
      source  = "Azure/azapi"
      version = "~> 2.0"
    }
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "main" {
  name     = "rg-capps-orders"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-capps-orders"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  address_space       = ["10.46.0.0/16"]
}

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.46.2.0/24"]
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrorderscapps01"
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

resource "azurerm_user_assigned_identity" "acr_pull" {
  name                = "id-ca-acrpull"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_role_assignment" "acr_pull" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.acr_pull.principal_id
}

resource "azapi_resource" "environment" {
  type      = "Microsoft.App/managedEnvironments@2024-03-01"
  name      = "cae-orders"
  parent_id = azurerm_resource_group.main.id
  location  = "westeurope"
  body      = {
    properties = {}
  }
}

resource "azapi_resource" "orders" {
  type      = "Microsoft.App/containerApps@2024-03-01"
  name      = "ca-orders-api"
  parent_id = azurerm_resource_group.main.id
  location  = "westeurope"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.acr_pull.id]
  }

  body = {
    properties = {
      managedEnvironmentId = azapi_resource.environment.id
      configuration = {
        activeRevisionsMode = "Single"
        registries = [{
          server   = azurerm_container_registry.acr.login_server
          identity = azurerm_user_assigned_identity.acr_pull.id
        }]
      }
      template = {
        containers = [{
          name      = "api"
          image     = "${azurerm_container_registry.acr.login_server}/orders/api:2.4.1"
          resources = { cpu = 0.5, memory = "1Gi" }
        }]
        scale = { minReplicas = 1, maxReplicas = 3 }
      }
    }
  }

  depends_on = [azurerm_role_assignment.acr_pull]
}
