# Hand-made private DNS records that cover the login server only: the manifest resolves to the
# private endpoint, but layer downloads go to acrrecordsdemo01.westeurope.data.azurecr.io, which has
# no record in the zone, so they resolve to the closed public endpoint.
# Expected: PP103 PASS, PP604 FAIL (the data endpoint record is missing), PP701 PASS.
# Credential layer: PP503 PASS (a user-assigned identity, attached and granted AcrPull).

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
  name     = "rg-aci-dns-records"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-aci-records"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  address_space       = ["10.80.0.0/16"]
}

resource "azurerm_subnet" "aci" {
  name                 = "snet-aci"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.80.1.0/24"]

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
  address_prefixes     = ["10.80.2.0/24"]
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrrecordsdemo01"
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

resource "azurerm_private_dns_zone_virtual_network_link" "main" {
  name                  = "acr-main"
  resource_group_name   = azurerm_resource_group.main.name
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.main.id
}

# No private_dns_zone_group: static IPs, and the records are written by hand below.
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

  ip_configuration {
    name               = "registry"
    private_ip_address = "10.80.2.10"
    subresource_name   = "registry"
    member_name        = "registry"
  }

  ip_configuration {
    name               = "registry-data-westeurope"
    private_ip_address = "10.80.2.11"
    subresource_name   = "registry"
    member_name        = "registry_data_westeurope"
  }
}

resource "azurerm_private_dns_a_record" "login" {
  name                = "acrrecordsdemo01"
  zone_name           = azurerm_private_dns_zone.acr.name
  resource_group_name = azurerm_resource_group.main.name
  ttl                 = 3600
  records             = ["10.80.2.10"]
}

resource "azurerm_container_group" "app" {
  name                = "aci-app"
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
    name   = "app"
    image  = "${azurerm_container_registry.acr.login_server}/app:1.0"
    cpu    = 1
    memory = 1.5
    ports {
      port     = 80
      protocol = "TCP"
    }
  }

  image_registry_credential {
    server                    = azurerm_container_registry.acr.login_server
    user_assigned_identity_id = azurerm_user_assigned_identity.acr_pull.id
  }

  depends_on = [azurerm_role_assignment.acr_pull]
}
