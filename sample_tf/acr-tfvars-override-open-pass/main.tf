# The registry is closed by default, but terraform.tfvars opens it for this environment.
# Expected: PP101 PASS (the tfvars value wins over the default, as in terraform plan).
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

variable "registry_public" {
  description = "Whether the registry accepts pulls over its public endpoint."
  type        = bool
  default     = false
}

resource "azurerm_resource_group" "main" {
  name     = "rg-dev-tools"
  location = "West Europe"
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosodevtools"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  sku                           = "Premium"
  admin_enabled                 = true
  public_network_access_enabled = var.registry_public
}

resource "azurerm_container_group" "tools" {
  name                = "aci-dev-tools"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Public"

  container {
    name   = "tools"
    image  = "${azurerm_container_registry.acr.login_server}/tools:1.0"
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
