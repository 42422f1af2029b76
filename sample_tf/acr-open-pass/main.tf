# Open registry (no network restriction).
# Expected: PP101 PASS.
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
  name     = "rg-aci-open-acr"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

# Standard SKU with defaults: public access on, no network rules.
resource "azurerm_container_registry" "acr" {
  name                = "acropenpassdemo"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "Standard"
  admin_enabled       = true
}

resource "azurerm_container_group" "app" {
  name                = "aci-hello"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Public"
  dns_name_label      = "aci-hello-pullpath"

  container {
    name   = "hello"
    image  = "${azurerm_container_registry.acr.login_server}/hello:1.0"
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
