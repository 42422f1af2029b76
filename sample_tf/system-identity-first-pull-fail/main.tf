# A container app pulls with its system-assigned identity (registry.identity = "System"), granted
# AcrPull by a role assignment on the app's own identity[0].principal_id. That identity exists only
# once the app does, so the grant comes after the first pull: creating the app fails
# (hashicorp/terraform-provider-azurerm#21242, microsoft/azure-container-apps#836).
# Expected: PP301 PASS (open registry), PP505 FAIL (system identity used for the first pull).

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
  name     = "rg-capps-invoices"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "acrinvoicescapps01"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "Standard"
}

resource "azurerm_container_app_environment" "main" {
  name                = "cae-invoices"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_container_app" "invoices" {
  name                         = "ca-invoices-api"
  container_app_environment_id = azurerm_container_app_environment.main.id
  resource_group_name          = azurerm_resource_group.main.name
  revision_mode                = "Single"

  identity {
    type = "SystemAssigned"
  }

  registry {
    server   = azurerm_container_registry.acr.login_server
    identity = "System"
  }

  template {
    min_replicas = 1
    max_replicas = 3
    container {
      name   = "api"
      image  = "${azurerm_container_registry.acr.login_server}/invoices/api:1.8.0"
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
}

resource "azurerm_role_assignment" "acr_pull" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_container_app.invoices.identity[0].principal_id
}
