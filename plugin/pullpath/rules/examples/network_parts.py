"""The network pieces the name (PP6xx) and route (PP7xx) examples are built from, each defined once.

The workload side comes from :mod:`.parts` (``vnet-app`` with its subnets, the registry, a web app
routing its pull into the VNet); this module adds a hub VNet, peerings, the privatelink zone's
links, the registry's private endpoint in either VNet, and an egress firewall.
"""

from __future__ import annotations

from pullpath.rules.examples.parts import ASSIGNED_PULL_IDENTITY

SUBSCRIPTION_GROUP = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app"


def app_vnet(dns_servers: str = "", location: str = "westeurope") -> str:
    """``vnet-app``, where the examples' workloads run, with ``dns_servers`` (an expression) if given."""
    dns = f"  dns_servers         = {dns_servers}\n" if dns_servers else ""
    return f"""
resource "azurerm_virtual_network" "app" {{
  name                = "vnet-app"
  resource_group_name = "rg-app"
  location            = "{location}"
  address_space       = ["10.0.0.0/16"]
{dns}}}
"""


def hub_vnet(location: str = "westeurope") -> str:
    return f"""
resource "azurerm_virtual_network" "hub" {{
  name                = "vnet-hub"
  resource_group_name = "rg-app"
  location            = "{location}"
  address_space       = ["10.100.0.0/16"]
}}

resource "azurerm_subnet" "hub_endpoints" {{
  name                 = "snet-endpoints"
  resource_group_name  = "rg-app"
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.100.1.0/24"]
}}
"""


def peering(local: str, remote: str) -> str:
    """One direction of a peering; traffic flows only when the other direction exists too."""
    return f"""
resource "azurerm_virtual_network_peering" "{local}_to_{remote}" {{
  name                      = "{local}-to-{remote}"
  resource_group_name       = "rg-app"
  virtual_network_name      = azurerm_virtual_network.{local}.name
  remote_virtual_network_id = azurerm_virtual_network.{remote}.id
}}
"""


PEERED = peering("app", "hub") + peering("hub", "app")

ZONE = """
resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-app"
}
"""


def link(vnet: str) -> str:
    """A link from the privatelink zone to ``azurerm_virtual_network.<vnet>``."""
    return f"""
resource "azurerm_private_dns_zone_virtual_network_link" "{vnet}" {{
  name                  = "acr-{vnet}"
  resource_group_name   = "rg-app"
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.{vnet}.id
}}
"""


ACI_IDENTITY_PULL = (
    ASSIGNED_PULL_IDENTITY
    + """
  image_registry_credential {
    server                    = azurerm_container_registry.acr.login_server
    user_assigned_identity_id = azurerm_user_assigned_identity.pull.id
  }
"""
)


def egress_firewall(*fqdns: str) -> str:
    """A hub firewall whose policy admits ``fqdns`` over HTTPS, and the ACI subnet's default route to it."""
    listed = ", ".join(f'"{fqdn}"' for fqdn in fqdns)
    return f"""
resource "azurerm_subnet" "firewall" {{
  name                 = "AzureFirewallSubnet"
  resource_group_name  = "rg-app"
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.100.0.0/26"]
}}

resource "azurerm_public_ip" "firewall" {{
  name                = "pip-firewall"
  resource_group_name = "rg-app"
  location            = "westeurope"
  allocation_method   = "Static"
  sku                 = "Standard"
}}

resource "azurerm_firewall_policy" "hub" {{
  name                = "afwp-hub"
  resource_group_name = "rg-app"
  location            = "westeurope"
}}

resource "azurerm_firewall_policy_rule_collection_group" "registry" {{
  name               = "registry"
  firewall_policy_id = azurerm_firewall_policy.hub.id
  priority           = 200

  application_rule_collection {{
    name     = "container-registry"
    priority = 200
    action   = "Allow"

    rule {{
      name              = "acr"
      source_addresses  = ["10.0.0.0/16"]
      destination_fqdns = [{listed}]

      protocols {{
        type = "Https"
        port = 443
      }}
    }}
  }}
}}

resource "azurerm_firewall" "hub" {{
  name                = "afw-hub"
  resource_group_name = "rg-app"
  location            = "westeurope"
  sku_name            = "AZFW_VNet"
  sku_tier            = "Standard"
  firewall_policy_id  = azurerm_firewall_policy.hub.id

  ip_configuration {{
    name                 = "ipconfig"
    subnet_id            = azurerm_subnet.firewall.id
    public_ip_address_id = azurerm_public_ip.firewall.id
  }}
}}

resource "azurerm_route_table" "egress" {{
  name                = "rt-egress"
  resource_group_name = "rg-app"
  location            = "westeurope"

  route {{
    name                   = "default"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = azurerm_firewall.hub.ip_configuration[0].private_ip_address
  }}
}}

resource "azurerm_subnet_route_table_association" "aci" {{
  subnet_id      = azurerm_subnet.aci.id
  route_table_id = azurerm_route_table.egress.id
}}
"""
