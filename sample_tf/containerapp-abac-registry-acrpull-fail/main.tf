# A container app pulls with a user-assigned identity, attached and named in its registry block,
# from a registry whose role_assignment_mode is AbacRepositoryPermissions ("RBAC Registry + ABAC
# Repository Permissions", azurerm 4.81 and later), and the identity is granted AcrPull on it. A
# registry in that mode does not honour AcrPull (nor AcrPush, Owner, Contributor or Reader): only the
# Container Registry Repository roles pull, so the first pull is refused.
# Expected: PP301 PASS (open registry), PP503 FAIL (the identity is created here and nothing grants
# it a role that pulls on an ABAC registry; the fix is Container Registry Repository Reader).

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.81"
    }
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "main" {
  name     = "rg-capps-catalog"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_container_registry" "acr" {
  name                 = "acrcatalogabac01"
  location             = azurerm_resource_group.main.location
  resource_group_name  = azurerm_resource_group.main.name
  sku                  = "Standard"
  role_assignment_mode = "AbacRepositoryPermissions"
}

resource "azurerm_user_assigned_identity" "acr_pull" {
  name                = "id-catalog-acrpull"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_role_assignment" "acr_pull" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.acr_pull.principal_id
}

resource "azurerm_container_app_environment" "main" {
  name                = "cae-catalog"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_container_app" "catalog" {
  name                         = "ca-catalog-api"
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
      image  = "${azurerm_container_registry.acr.login_server}/catalog/api:1.8.0"
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
