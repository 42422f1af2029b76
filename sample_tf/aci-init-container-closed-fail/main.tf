# Init container pulled from a closed registry with the admin password.
# Expected: one PP101 FAIL (the Docker Hub main container gets no finding).
# Credential layer: PP501 PASS (the registry's admin user and password, with admin_enabled = true).

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

resource "azurerm_resource_group" "main" {
  name     = "rg-aci-init-container"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrinitclosed"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  sku                           = "Premium"
  admin_enabled                 = true
  public_network_access_enabled = false
}

# Main container from Docker Hub; the init container comes from the closed registry.
resource "azurerm_container_group" "app" {
  name                = "aci-web"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Public"

  init_container {
    name     = "db-migrate"
    image    = "${azurerm_container_registry.acr.login_server}/db-migrate:3.1"
    commands = ["/app/migrate", "--up"]
  }

  container {
    name   = "web"
    image  = "nginx:1.27"
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
