# The registry firewall is written in attribute syntax (network_rule_set = [{...}]), as many
# modules do; a public container group has no stable outbound address to allow in it.
# Expected: PP101 FAIL.
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
  name     = "rg-acr-attr"
  location = "West Europe"
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoattrfw"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "Premium"
  admin_enabled       = true

  network_rule_set = [{
    default_action = "Deny"
    ip_rule = [{
      action   = "Allow"
      ip_range = "203.0.113.0/24"
    }]
    virtual_network = []
  }]
}

resource "azurerm_container_group" "web" {
  name                = "aci-web"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Public"

  container {
    name   = "web"
    image  = "${azurerm_container_registry.acr.login_server}/web:5.0"
    cpu    = 0.5
    memory = 1
    ports {
      port     = 443
      protocol = "TCP"
    }
  }

  image_registry_credential {
    server   = azurerm_container_registry.acr.login_server
    username = azurerm_container_registry.acr.admin_username
    password = azurerm_container_registry.acr.admin_password
  }
}
