# Firewalled registry, container group egressing through a NAT gateway with a new public IP.
# Expected: PP101 WARN (outbound address unknown at plan time).
# Credential layer: PP501 PASS (the registry's admin user and password, with admin_enabled = true).

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
  name     = "rg-aci-nat"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-aci-nat"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  address_space       = ["10.60.0.0/16"]
}

resource "azurerm_subnet" "aci" {
  name                 = "snet-aci"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.60.1.0/24"]

  delegation {
    name = "aci-delegation"
    service_delegation {
      name    = "Microsoft.ContainerInstance/containerGroups"
      actions = ["Microsoft.Network/virtualNetworks/subnets/action"]
    }
  }
}

resource "azurerm_public_ip" "nat" {
  name                = "pip-ng-aci"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_nat_gateway" "aci" {
  name                    = "ng-aci"
  location                = azurerm_resource_group.main.location
  resource_group_name     = azurerm_resource_group.main.name
  sku_name                = "Standard"
  idle_timeout_in_minutes = 10
}

resource "azurerm_nat_gateway_public_ip_association" "aci" {
  nat_gateway_id       = azurerm_nat_gateway.aci.id
  public_ip_address_id = azurerm_public_ip.nat.id
}

resource "azurerm_subnet_nat_gateway_association" "aci" {
  subnet_id      = azurerm_subnet.aci.id
  nat_gateway_id = azurerm_nat_gateway.aci.id
}

# Firewalled registry: only the fixed range 198.51.100.0/28 is allowed.
resource "azurerm_container_registry" "acr" {
  name                = "acrnatfirewalled"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "Premium"
  admin_enabled       = true

  network_rule_set {
    default_action = "Deny"
    ip_rule {
      action   = "Allow"
      ip_range = "198.51.100.0/28"
    }
  }
}

# Egress of snet-aci goes through the NAT gateway's public IP.
resource "azurerm_container_group" "worker" {
  name                = "aci-worker"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = [azurerm_subnet.aci.id]

  container {
    name   = "worker"
    image  = "${azurerm_container_registry.acr.login_server}/worker:1.4"
    cpu    = 1
    memory = 1.5
    ports {
      port     = 8080
      protocol = "TCP"
    }
  }

  image_registry_credential {
    server   = azurerm_container_registry.acr.login_server
    username = azurerm_container_registry.acr.admin_username
    password = azurerm_container_registry.acr.admin_password
  }

  depends_on = [azurerm_subnet_nat_gateway_association.aci]
}

output "nat_public_ip" {
  description = "Outbound address of the container group subnet."
  value       = azurerm_public_ip.nat.ip_address
}
