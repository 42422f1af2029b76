# Firewalled registry (Deny + IP rule), public container group, literal image reference.
# Expected: PP101 FAIL.
# Credential layer: PP501 UNKNOWN (a registry token's password: what the token may pull is set
# outside this input).

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

variable "acr_pull_token_password" {
  description = "Password of the contosoprod repository-scoped token aci-pull-token."
  type        = string
  sensitive   = true
}

resource "azurerm_resource_group" "main" {
  name     = "rg-contoso-prod"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

# Public endpoint on, firewall admits only the office range.
resource "azurerm_container_registry" "acr" {
  name                = "contosoprod"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "Premium"
  admin_enabled       = false

  network_rule_set {
    default_action = "Deny"
    ip_rule {
      action   = "Allow"
      ip_range = "203.0.113.0/24"
    }
  }
}

# Public container group; image and credential name the registry by its literal login server.
resource "azurerm_container_group" "api" {
  name                = "aci-contoso-api"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Public"
  dns_name_label      = "contoso-api-prod"

  container {
    name   = "api"
    image  = "contosoprod.azurecr.io/api:2.3"
    cpu    = 1
    memory = 2
    ports {
      port     = 443
      protocol = "TCP"
    }
  }

  image_registry_credential {
    server   = "contosoprod.azurecr.io"
    username = "aci-pull-token"
    password = var.acr_pull_token_password
  }
}

output "api_fqdn" {
  value = azurerm_container_group.api.fqdn
}
