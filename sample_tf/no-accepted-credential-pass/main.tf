# The PP501 fix for images that may be public: the registry allows anonymous pull (Standard or
# Premium), so the container group needs no credential. Private images call for a user-assigned
# identity granted AcrPull instead (see no-pull-grant-pass).
# Expected: PP101 PASS, PP501 PASS (no credential, and anonymous pull is on).

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
  name     = "rg-aci-status-page"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_container_registry" "acr" {
  name                   = "acrstatuspage01"
  location               = azurerm_resource_group.main.location
  resource_group_name    = azurerm_resource_group.main.name
  sku                    = "Standard"
  anonymous_pull_enabled = true
}

resource "azurerm_container_group" "status" {
  name                = "aci-status-page"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Public"
  dns_name_label      = "status-page-contoso"

  container {
    name   = "status"
    image  = "${azurerm_container_registry.acr.login_server}/status-page:3.2.0"
    cpu    = 0.5
    memory = 1
    ports {
      port     = 80
      protocol = "TCP"
    }
  }
}
