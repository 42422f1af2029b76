# The fix for a self-hosted registry on a private address: the image is pushed to ACR and pulled
# with a user-assigned identity over a private endpoint in another subnet. The Envoy sidecar
# comes from Docker Hub, a public registry, which is no PP106 finding.
# Expected: PP103 PASS.
# Credential layer: PP503 PASS (a user-assigned identity, attached and granted AcrPull).
# Name and route layers: PP601 PASS (the privatelink zone is linked to the VNet) and PP701 PASS
# (the endpoint is in the workload's VNet).

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
  name     = "rg-aci-acr-migrated"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-aci-acr-migrated"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  address_space       = ["10.41.0.0/16"]
}

resource "azurerm_subnet" "aci" {
  name                 = "snet-aci"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.41.1.0/24"]

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
  address_prefixes     = ["10.41.2.0/24"]
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrordersmigrated01"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  sku                           = "Premium"
  public_network_access_enabled = false
  network_rule_bypass_option    = "AzureServices"
}

resource "azurerm_user_assigned_identity" "acr_pull" {
  name                = "id-aci-acrpull"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_role_assignment" "acr_pull" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.acr_pull.principal_id
}

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "acr" {
  name                  = "acr-dns-link"
  resource_group_name   = azurerm_resource_group.main.name
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.main.id
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "psc-acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "acr-dns"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}

resource "azurerm_container_group" "orders" {
  name                = "aci-orders"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = [azurerm_subnet.aci.id]

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.acr_pull.id]
  }

  container {
    name   = "api"
    image  = "${azurerm_container_registry.acr.login_server}/orders/api:1.4.2"
    cpu    = 1
    memory = 1.5
    ports {
      port     = 8080
      protocol = "TCP"
    }
  }

  container {
    name   = "proxy"
    image  = "envoyproxy/envoy:v1.31.2"
    cpu    = 0.5
    memory = 0.5
    ports {
      port     = 9901
      protocol = "TCP"
    }
  }

  image_registry_credential {
    server                    = azurerm_container_registry.acr.login_server
    user_assigned_identity_id = azurerm_user_assigned_identity.acr_pull.id
  }

  depends_on = [azurerm_role_assignment.acr_pull]
}
