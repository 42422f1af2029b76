# A container app pulls with a user-assigned identity granted a custom role, not AcrPull: the
# workload's own "ACR Image Puller (ledger)" holds only Microsoft.ContainerRegistry/registries/pull/read,
# is assignable in the workload's resource group, and is granted on the registry by reference to its
# definition (role_definition_resource_id), before the app is created (depends_on).
# Expected: PP301 PASS (open registry), PP503 PASS (attached, and granted a role whose actions hold pull).

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
  name     = "rg-capps-ledger"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "acrledgercapps01"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "Standard"
}

resource "azurerm_user_assigned_identity" "acr_pull" {
  name                = "id-ledger-acrpull"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_role_definition" "acr_image_puller" {
  name        = "ACR Image Puller (ledger)"
  scope       = azurerm_resource_group.main.id
  description = "Pulls images from the ledger workload's registries, and nothing else."

  permissions {
    actions = ["Microsoft.ContainerRegistry/registries/pull/read"]
  }

  assignable_scopes = [azurerm_resource_group.main.id]
}

resource "azurerm_role_assignment" "acr_pull" {
  scope              = azurerm_container_registry.acr.id
  role_definition_id = azurerm_role_definition.acr_image_puller.role_definition_resource_id
  principal_id       = azurerm_user_assigned_identity.acr_pull.principal_id
}

resource "azurerm_container_app_environment" "main" {
  name                = "cae-ledger"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_container_app" "ledger" {
  name                         = "ca-ledger-api"
  container_app_environment_id = azurerm_container_app_environment.main.id
  resource_group_name          = azurerm_resource_group.main.name
  revision_mode                = "Single"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.acr_pull.id]
  }

  registry {
    server   = azurerm_container_registry.acr.login_server
    identity = azurerm_user_assigned_identity.acr_pull.id
  }

  template {
    min_replicas = 1
    max_replicas = 3
    container {
      name   = "api"
      image  = "${azurerm_container_registry.acr.login_server}/ledger/api:2.3.1"
      cpu    = 0.5
      memory = "1Gi"
    }
  }

  ingress {
    external_enabled = true
    target_port      = 8080
    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }

  depends_on = [azurerm_role_assignment.acr_pull]
}
