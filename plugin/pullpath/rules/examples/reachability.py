"""Failing and fixed HCL for the reachability rules, PP701 to PP704."""

from __future__ import annotations

from pullpath.rules.examples.network_parts import (
    ACI_IDENTITY_PULL,
    PEERED,
    ZONE,
    app_vnet,
    egress_firewall,
    hub_vnet,
    link,
)
from pullpath.rules.examples.parts import (
    ACI_SUBNET,
    CLOSED_REGISTRY,
    ENDPOINT_SUBNET,
    INTEGRATION_SUBNET,
    PASSWORD_CREDENTIAL,
    PULL_IDENTITY,
    VNET_IMAGE_PULL,
    container_group,
    endpoint_resource,
    integrated_web_app,
    join,
    registry,
)

_WEB = (INTEGRATION_SUBNET, CLOSED_REGISTRY, integrated_web_app(VNET_IMAGE_PULL))
_DNS = (ZONE, link("app"), link("hub"))

# PP701: the endpoint is in the hub, and the app's VNet is not peered with it.
PP701_FAILING = join(app_vnet(), hub_vnet(), *_DNS, endpoint_resource("hub_endpoints"), *_WEB)
PP701_FIXED = join(app_vnet(), hub_vnet(), PEERED, *_DNS, endpoint_resource("hub_endpoints"), *_WEB)


def _azapi_peering(local: str, remote: str) -> str:
    return f"""
resource "azapi_resource" "{local}_to_{remote}" {{
  type      = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2024-05-01"
  name      = "{local}-to-{remote}"
  parent_id = azurerm_virtual_network.{local}.id

  body = {{
    properties = {{
      remoteVirtualNetwork      = {{ id = azurerm_virtual_network.{remote}.id }}
      allowVirtualNetworkAccess = true
    }}
  }}
}}
"""


# The same with the peerings written in azapi: one direction is not a connection.
PP701_AZAPI_FAILING = join(
    app_vnet(), hub_vnet(), _azapi_peering("app", "hub"), *_DNS, endpoint_resource("hub_endpoints"), *_WEB
)
PP701_AZAPI_FIXED = join(
    app_vnet(),
    hub_vnet(),
    _azapi_peering("app", "hub"),
    _azapi_peering("hub", "app"),
    *_DNS,
    endpoint_resource("hub_endpoints"),
    *_WEB,
)

_GROUP = (ACI_SUBNET, CLOSED_REGISTRY, PULL_IDENTITY, container_group(ACI_IDENTITY_PULL, in_vnet=True))

# PP702: the container group reaches the endpoint over peering with a VNet in another region.
PP702_FAILING = join(
    app_vnet(), hub_vnet("northeurope"), PEERED, *_DNS, endpoint_resource("hub_endpoints"), *_GROUP
)
PP702_FIXED = join(app_vnet(), hub_vnet(), PEERED, *_DNS, endpoint_resource("hub_endpoints"), *_GROUP)

# PP703: the group's default route leads to a firewall that admits the login server only.
_OPEN_REGISTRY = registry("admin_enabled = true", sku="Standard")
_EGRESS = (app_vnet(), hub_vnet(), PEERED, ACI_SUBNET, _OPEN_REGISTRY)
_PASSWORD_GROUP = container_group(PASSWORD_CREDENTIAL, in_vnet=True)
PP703_FAILING = join(*_EGRESS, egress_firewall("contosoacr.azurecr.io"), _PASSWORD_GROUP)
PP703_FIXED = join(
    *_EGRESS, egress_firewall("contosoacr.azurecr.io", "*.blob.core.windows.net"), _PASSWORD_GROUP
)

# PP704: the endpoint asks the registry's owner for approval.
_PRIVATE_WEB = (app_vnet(), ZONE, link("app"), ENDPOINT_SUBNET, *_WEB)
PP704_FAILING = join(*_PRIVATE_WEB, endpoint_resource("endpoints", manual=True))
PP704_FIXED = join(*_PRIVATE_WEB, endpoint_resource("endpoints"))
