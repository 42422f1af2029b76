variable "name" {
  type = string
}

variable "location" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "service_plan_id" {
  type = string
}

variable "registry_url" {
  type = string
}

variable "image" {
  type = string
}

variable "pull_over_vnet" {
  description = "Route the image pull through the VNet (azurerm 4.36 and later)."
  type        = bool
  default     = false
}

variable "subnet_id" {
  description = "Integration subnet; null for an app without VNet integration."
  type        = string
  default     = null
}

resource "azurerm_linux_web_app" "this" {
  name                      = var.name
  location                  = var.location
  resource_group_name       = var.resource_group_name
  service_plan_id           = var.service_plan_id
  virtual_network_subnet_id = var.subnet_id
  vnet_image_pull_enabled   = var.pull_over_vnet

  identity {
    type = "SystemAssigned"
  }

  site_config {
    container_registry_use_managed_identity = true
    application_stack {
      docker_image_name   = var.image
      docker_registry_url = var.registry_url
    }
  }
}

output "principal_id" {
  value = azurerm_linux_web_app.this.identity[0].principal_id
}
