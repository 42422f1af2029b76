# Registry defined elsewhere (data source only).
# Expected: PP101 UNKNOWN.
# Credential layer: PP503 PASS (a user-assigned identity, attached and granted AcrPull on the
# registry's ID the data source reads).

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

data "azurerm_container_registry" "shared" {
  name                = "sharedacr"
  resource_group_name = "rg-platform-shared"
}

resource "azurerm_resource_group" "main" {
  name     = "rg-aci-shared-acr"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_user_assigned_identity" "acr_pull" {
  name                = "id-aci-acrpull"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_role_assignment" "acr_pull" {
  scope                = data.azurerm_container_registry.shared.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.acr_pull.principal_id
}

# The registry belongs to another team; only its login server is known here.
resource "azurerm_container_group" "app" {
  name                = "aci-app"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Public"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.acr_pull.id]
  }

  container {
    name   = "app"
    image  = "${data.azurerm_container_registry.shared.login_server}/app:1.0"
    cpu    = 1
    memory = 1.5
    ports {
      port     = 80
      protocol = "TCP"
    }
  }

  image_registry_credential {
    server                    = data.azurerm_container_registry.shared.login_server
    user_assigned_identity_id = azurerm_user_assigned_identity.acr_pull.id
  }

  depends_on = [azurerm_role_assignment.acr_pull]
}

output "registry_login_server" {
  value = data.azurerm_container_registry.shared.login_server
}
