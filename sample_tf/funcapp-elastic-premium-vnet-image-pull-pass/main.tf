# The PP204 fix: an Elastic Premium plan (EP1) with VNet integration, vnet_image_pull_enabled
# and a registry private endpoint.
# Expected: PP202 PASS.
# Credential layer: PP503 PASS (a user-assigned identity named by its client ID, attached beside the
# system-assigned one the storage account uses, and granted AcrPull before the app is created).
# Name and route layers: PP601 PASS (the privatelink zone is linked to the VNet) and PP701 PASS
# (the endpoint is in the workload's VNet).

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "main" {
  name     = "rg-func-orders"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-func-orders"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  address_space       = ["10.45.0.0/16"]
}

resource "azurerm_subnet" "integration" {
  name                 = "snet-app-integration"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.45.1.0/24"]

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
  address_prefixes     = ["10.45.2.0/24"]
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrordersfunc01"
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
  name                = "id-func-orders-acrpull"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_role_assignment" "func_acr_pull" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.acr_pull.principal_id
}

resource "azurerm_service_plan" "main" {
  name                = "asp-orders-func"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  sku_name            = "EP1"
}

resource "azurerm_storage_account" "functions" {
  name                            = "stordersfunc01"
  location                        = azurerm_resource_group.main.location
  resource_group_name             = azurerm_resource_group.main.name
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
}

resource "azurerm_linux_function_app" "orders" {
  name                          = "func-orders"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  service_plan_id               = azurerm_service_plan.main.id
  storage_account_name          = azurerm_storage_account.functions.name
  storage_uses_managed_identity = true
  https_only                    = true
  vnet_image_pull_enabled       = true
  virtual_network_subnet_id     = azurerm_subnet.integration.id
  app_settings = {
    "WEBSITES_ENABLE_APP_SERVICE_STORAGE" = "false"
  }

  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.acr_pull.id]
  }

  site_config {
    always_on                                     = true
    container_registry_use_managed_identity       = true
    container_registry_managed_identity_client_id = azurerm_user_assigned_identity.acr_pull.client_id
    application_stack {
      docker {
        registry_url = azurerm_container_registry.acr.login_server
        image_name   = "orders-func"
        image_tag    = "1.8.0"
      }
    }
  }

  depends_on = [azurerm_role_assignment.func_acr_pull]
}
