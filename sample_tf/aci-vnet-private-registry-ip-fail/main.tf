# Container group in a VNet pulling from a self-hosted registry on a private IP address.
# ACI documents image pulls from non-ACR registries without a public IP as unsupported.
# Expected: PP106 FAIL.

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

variable "registry_password" {
  description = "Password of the aci-puller account on the self-hosted registry."
  type        = string
  sensitive   = true
}

resource "azurerm_resource_group" "main" {
  name     = "rg-aci-private-registry"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-aci-private-registry"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  address_space       = ["10.40.0.0/16"]
}

resource "azurerm_subnet" "aci" {
  name                 = "snet-aci"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.40.1.0/24"]

  delegation {
    name = "aci-delegation"
    service_delegation {
      name    = "Microsoft.ContainerInstance/containerGroups"
      actions = ["Microsoft.Network/virtualNetworks/subnets/action"]
    }
  }
}

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.40.2.0/24"]
}

# A self-hosted registry on a VM in the same VNet (the 2021 advice): ACI does not pull from it.
resource "azurerm_container_group" "orders" {
  name                = "aci-orders"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = [azurerm_subnet.aci.id]

  container {
    name   = "api"
    image  = "10.40.9.4:5000/orders/api:1.4.2"
    cpu    = 1
    memory = 1.5
    ports {
      port     = 8080
      protocol = "TCP"
    }
  }

  image_registry_credential {
    server   = "10.40.9.4:5000"
    username = "aci-puller"
    password = var.registry_password
  }
}
