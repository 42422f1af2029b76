# The PP504 fix: the grant names the identity's principal_id (its object ID). The role is given by
# its definition ID, looked up by name (AcrPull, 7f951dda-4ed3-4680-a7ca-43fe172d538d), at the
# resource group that holds the registry, as a landing zone granting pull per resource group does.
# Expected: PP301 PASS, PP503 PASS (granted AcrPull by definition ID at resource group scope).

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
  name                = "acrledgerjobs01"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "Standard"
}

resource "azurerm_user_assigned_identity" "acr_pull" {
  name                = "id-ledger-acrpull"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

data "azurerm_role_definition" "acr_pull" {
  name = "AcrPull"
}

resource "azurerm_role_assignment" "acr_pull" {
  scope              = azurerm_resource_group.main.id
  role_definition_id = data.azurerm_role_definition.acr_pull.id
  principal_id       = azurerm_user_assigned_identity.acr_pull.principal_id
}

resource "azurerm_container_app_environment" "main" {
  name                = "cae-ledger"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_container_app_job" "reconcile" {
  name                         = "caj-ledger-reconcile"
  location                     = azurerm_resource_group.main.location
  resource_group_name          = azurerm_resource_group.main.name
  container_app_environment_id = azurerm_container_app_environment.main.id
  replica_timeout_in_seconds   = 1800
  replica_retry_limit          = 1

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.acr_pull.id]
  }

  registry {
    server   = azurerm_container_registry.acr.login_server
    identity = azurerm_user_assigned_identity.acr_pull.id
  }

  schedule_trigger_config {
    cron_expression          = "0 2 * * *"
    parallelism              = 1
    replica_completion_count = 1
  }

  template {
    container {
      name   = "reconcile"
      image  = "${azurerm_container_registry.acr.login_server}/ledger/reconcile:4.0.2"
      cpu    = 0.5
      memory = "1Gi"
    }
  }

  depends_on = [azurerm_role_assignment.acr_pull]
}
