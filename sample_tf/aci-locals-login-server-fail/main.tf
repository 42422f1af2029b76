# The login server is built from variable defaults and locals, not referenced from the registry:
# the plan knows the image text, and only the .tf sources show how it was made.
# Expected: PP101 FAIL (admin-password pull from a closed registry).
# Credential layer: PP501 PASS (the username is the registry's name: its admin user, enabled).

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

variable "environment" {
  description = "Deployment environment, part of every name."
  type        = string
  default     = "prod"
}

variable "registry_prefix" {
  description = "Prefix of the registry name."
  type        = string
  default     = "contoso"
}

variable "registry_password" {
  description = "Password of the registry admin user."
  type        = string
  sensitive   = true
  default     = "not-a-real-password"
}

locals {
  registry_name = lower("${var.registry_prefix}${var.environment}acr")
  login_server  = "${local.registry_name}.azurecr.io"
  image         = format("%s/%s:%s", local.login_server, "orders-api", "2.4.1")
}

resource "azurerm_resource_group" "main" {
  name     = "rg-orders-${var.environment}"
  location = "West Europe"
}

resource "azurerm_container_registry" "acr" {
  name                          = local.registry_name
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  sku                           = "Premium"
  admin_enabled                 = true
  public_network_access_enabled = false
}

resource "azurerm_container_group" "orders" {
  name                = "aci-orders-${var.environment}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Public"

  container {
    name   = "orders-api"
    image  = local.image
    cpu    = 1
    memory = 1.5
    ports {
      port     = 8080
      protocol = "TCP"
    }
  }

  image_registry_credential {
    server   = local.login_server
    username = local.registry_name
    password = var.registry_password
  }
}
