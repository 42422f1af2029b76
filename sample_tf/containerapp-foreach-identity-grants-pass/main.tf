# Two container apps from one for_each, each pulling with its own user-assigned identity. The
# identities are one for_each resource, and one for_each role assignment grants each of them AcrPull
# (for_each = the identities, principal_id = each.value.principal_id), before the apps exist.
# Expected: PP301 PASS and PP503 PASS for both apps.

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

locals {
  apps = {
    orders   = "orders/api:2.4.1"
    payments = "payments/api:1.9.0"
  }
}

resource "azurerm_resource_group" "main" {
  name     = "rg-capps-shop"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "acrshopcapps01"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "Standard"
}

resource "azurerm_user_assigned_identity" "pull" {
  for_each            = local.apps
  name                = "id-${each.key}-acrpull"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_role_assignment" "pull" {
  for_each             = azurerm_user_assigned_identity.pull
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = each.value.principal_id
}

resource "azurerm_container_app_environment" "main" {
  name                = "cae-shop"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_container_app" "app" {
  for_each                     = local.apps
  name                         = "ca-${each.key}"
  container_app_environment_id = azurerm_container_app_environment.main.id
  resource_group_name          = azurerm_resource_group.main.name
  revision_mode                = "Single"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull[each.key].id]
  }

  registry {
    server   = azurerm_container_registry.acr.login_server
    identity = azurerm_user_assigned_identity.pull[each.key].id
  }

  template {
    min_replicas = 1
    max_replicas = 3
    container {
      name   = "api"
      image  = "${azurerm_container_registry.acr.login_server}/${each.value}"
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

  depends_on = [azurerm_role_assignment.pull]
}
