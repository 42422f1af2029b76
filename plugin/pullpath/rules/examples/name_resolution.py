"""Failing and fixed HCL for the name-resolution rules, PP601 to PP604.

Each pair is a web app in ``vnet-app`` routing its image pull into the VNet to a closed registry's
private endpoint; only where the name resolves differs.
"""

from __future__ import annotations

from pullpath.rules.examples.network_parts import (
    PEERED,
    SUBSCRIPTION_GROUP,
    ZONE,
    app_vnet,
    hub_vnet,
    link,
)
from pullpath.rules.examples.parts import (
    CLOSED_REGISTRY,
    ENDPOINT_SUBNET,
    INTEGRATION_SUBNET,
    VNET_IMAGE_PULL,
    endpoint_resource,
    integrated_web_app,
    join,
)

_APP = (INTEGRATION_SUBNET, ENDPOINT_SUBNET, CLOSED_REGISTRY, integrated_web_app(VNET_IMAGE_PULL))

# PP601: the zone is linked to the hub only; links do not follow peering.
PP601_FAILING = join(app_vnet(), hub_vnet(), PEERED, ZONE, link("hub"), endpoint_resource("endpoints"), *_APP)
PP601_FIXED = join(
    app_vnet(), hub_vnet(), PEERED, ZONE, link("hub"), link("app"), endpoint_resource("endpoints"), *_APP
)

# PP602: a private endpoint, and no privatelink zone anywhere in the configuration.
PP602_FAILING = join(app_vnet(), endpoint_resource("endpoints", zone_group=False), *_APP)
PP602_FIXED = join(app_vnet(), ZONE, link("app"), endpoint_resource("endpoints"), *_APP)

_RESOLVER = """
resource "azurerm_subnet" "resolver" {
  name                 = "snet-dns-inbound"
  resource_group_name  = "rg-app"
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.100.2.0/28"]

  delegation {
    name = "dns-resolver"
    service_delegation {
      name    = "Microsoft.Network/dnsResolvers"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_private_dns_resolver" "hub" {
  name                = "dnspr-hub"
  resource_group_name = "rg-app"
  location            = "westeurope"
  virtual_network_id  = azurerm_virtual_network.hub.id
}

resource "azurerm_private_dns_resolver_inbound_endpoint" "hub" {
  name                    = "inbound"
  private_dns_resolver_id = azurerm_private_dns_resolver.hub.id
  location                = "westeurope"

  ip_configurations {
    private_ip_allocation_method = "Static"
    private_ip_address           = "10.100.2.4"
    subnet_id                    = azurerm_subnet.resolver.id
  }
}
"""

# PP603: custom DNS servers the configuration cannot show forward the privatelink zone.
PP603_FAILING = join(
    app_vnet('["10.50.0.4", "10.50.0.5"]'), ZONE, link("app"), endpoint_resource("endpoints"), *_APP
)
PP603_FIXED = join(
    app_vnet("[azurerm_private_dns_resolver_inbound_endpoint.hub.ip_configurations[0].private_ip_address]"),
    hub_vnet(),
    PEERED,
    _RESOLVER,
    ZONE,
    link("hub"),
    endpoint_resource("endpoints"),
    *_APP,
)


def _record(name: str, label: str, ip: str) -> str:
    return f"""
resource "azurerm_private_dns_a_record" "{name}" {{
  name                = "{label}"
  resource_group_name = "rg-app"
  zone_name           = azurerm_private_dns_zone.acr.name
  ttl                 = 3600
  records             = ["{ip}"]
}}
"""


_LOGIN_RECORD = _record("login", "contosoacr", "10.0.2.5")
_DATA_RECORD = _record("data", "contosoacr.westeurope.data", "10.0.2.6")

# PP604: hand-made records for the login server only; layers come from the data endpoint.
PP604_FAILING = join(
    app_vnet(), ZONE, link("app"), endpoint_resource("endpoints", zone_group=False), _LOGIN_RECORD, *_APP
)
PP604_FIXED = join(
    app_vnet(),
    ZONE,
    link("app"),
    endpoint_resource("endpoints", zone_group=False),
    _LOGIN_RECORD,
    _DATA_RECORD,
    *_APP,
)


def _azapi_network(linked: str) -> str:
    """The VNet, zone and links as Azure Verified Modules write them: azapi resources."""
    return f"""
resource "azapi_resource" "vnet" {{
  type      = "Microsoft.Network/virtualNetworks@2024-05-01"
  name      = "vnet-app"
  parent_id = "{SUBSCRIPTION_GROUP}"
  location  = "westeurope"

  body = {{
    properties = {{
      addressSpace = {{ addressPrefixes = ["10.0.0.0/16"] }}
    }}
  }}
}}

resource "azapi_resource" "integration" {{
  type      = "Microsoft.Network/virtualNetworks/subnets@2024-05-01"
  name      = "snet-app"
  parent_id = azapi_resource.vnet.id

  body = {{
    properties = {{
      addressPrefix = "10.0.3.0/24"
      delegations   = [{{ name = "web", properties = {{ serviceName = "Microsoft.Web/serverFarms" }} }}]
    }}
  }}
}}

resource "azapi_resource" "endpoints" {{
  type      = "Microsoft.Network/virtualNetworks/subnets@2024-05-01"
  name      = "snet-endpoints"
  parent_id = azapi_resource.vnet.id

  body = {{
    properties = {{ addressPrefix = "10.0.2.0/24" }}
  }}
}}

resource "azapi_resource" "zone" {{
  type      = "Microsoft.Network/privateDnsZones@2024-06-01"
  name      = "privatelink.azurecr.io"
  parent_id = "{SUBSCRIPTION_GROUP}"
  location  = "global"
}}

resource "azapi_resource" "link" {{
  type      = "Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01"
  name      = "acr"
  parent_id = azapi_resource.zone.id
  location  = "global"

  body = {{
    properties = {{
      registrationEnabled = false
      virtualNetwork      = {{ id = {linked} }}
    }}
  }}
}}

resource "azapi_resource" "endpoint" {{
  type      = "Microsoft.Network/privateEndpoints@2024-05-01"
  name      = "pe-acr"
  parent_id = "{SUBSCRIPTION_GROUP}"
  location  = "westeurope"

  body = {{
    properties = {{
      subnet = {{ id = azapi_resource.endpoints.id }}
      privateLinkServiceConnections = [{{
        name = "acr"
        properties = {{
          privateLinkServiceId = azurerm_container_registry.acr.id
          groupIds             = ["registry"]
        }}
      }}]
    }}
  }}
}}

resource "azapi_resource" "endpoint_dns" {{
  type      = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01"
  name      = "default"
  parent_id = azapi_resource.endpoint.id

  body = {{
    properties = {{
      privateDnsZoneConfigs = [{{
        name       = "acr"
        properties = {{ privateDnsZoneId = azapi_resource.zone.id }}
      }}]
    }}
  }}
}}
"""


_HUB_BY_ID = (
    '"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub'
    '/providers/Microsoft.Network/virtualNetworks/vnet-hub"'
)
_AZAPI_APP = integrated_web_app(VNET_IMAGE_PULL).replace(
    "azurerm_subnet.integration.id", "azapi_resource.integration.id"
)

PP601_AZAPI_FAILING = join(_azapi_network(_HUB_BY_ID), CLOSED_REGISTRY, _AZAPI_APP)
PP601_AZAPI_FIXED = join(_azapi_network("azapi_resource.vnet.id"), CLOSED_REGISTRY, _AZAPI_APP)
