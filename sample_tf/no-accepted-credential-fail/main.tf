# A container group pulls from the team's own registry with no image_registry_credential at all:
# the registry is open to every network, but ACR serves only authenticated clients unless
# anonymous pull is enabled, so the pull is refused with 401 Unauthorized.
# Expected: PP101 PASS (the network admits the pull), PP501 FAIL (no credential the registry accepts).

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
  name                = "acrstatuspage01"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "Standard"
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
