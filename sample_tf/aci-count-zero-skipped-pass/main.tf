# A legacy container group that would fail is switched off with count = 0; the group that remains
# pulls by user-assigned identity through the trusted-services bypass.
# Expected: PP102 PASS for azurerm_container_group.app, and no finding for the legacy group.
# Credential layer: PP503 PASS (a user-assigned identity, attached and granted AcrPull).

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.116"
    }
  }
}

provider "azurerm" {
  features {}
}

variable "legacy_enabled" {
  description = "Keep the legacy password-pull container group."
  type        = bool
  default     = false
}

resource "azurerm_resource_group" "main" {
  name     = "rg-aci-count"
  location = "West Europe"
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosocountacr"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  sku                           = "Premium"
  admin_enabled                 = true
  public_network_access_enabled = false
}

resource "azurerm_user_assigned_identity" "pull" {
  name                = "id-acr-pull"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_role_assignment" "pull" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.pull.principal_id
}

resource "azurerm_container_group" "legacy" {
  count               = var.legacy_enabled ? 1 : 0
  name                = "aci-legacy"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Public"

  container {
    name   = "legacy"
    image  = "${azurerm_container_registry.acr.login_server}/legacy:0.9"
    cpu    = 0.5
    memory = 1
    ports {
      port     = 80
      protocol = "TCP"
    }
  }

  image_registry_credential {
    server   = azurerm_container_registry.acr.login_server
    username = azurerm_container_registry.acr.admin_username
    password = azurerm_container_registry.acr.admin_password
  }
}

resource "azurerm_container_group" "app" {
  name                = "aci-app"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Public"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }

  container {
    name   = "app"
    image  = "${azurerm_container_registry.acr.login_server}/app:1.0"
    cpu    = 0.5
    memory = 1
    ports {
      port     = 80
      protocol = "TCP"
    }
  }

  image_registry_credential {
    server                    = azurerm_container_registry.acr.login_server
    user_assigned_identity_id = azurerm_user_assigned_identity.pull.id
  }

  depends_on = [azurerm_role_assignment.pull]
}
