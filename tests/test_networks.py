"""The network builders: VNets, peerings, private DNS, endpoints, routes, firewalls and placements.

Read from `.tf` sources (as `pullpath scan` reads them) and from plans shaped like `terraform show
-json`, in both dialects; every reference resolves to a key (an address, or kind:group/name for a
resource outside the input). The rules over these are tested in test_rules_name_resolution.py and
test_rules_reachability.py.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from planbuilder import PlanBuilder, const, ref
from pullpath.builders import build_model
from pullpath.model import Model, Placement
from pullpath.readers.hcl import read_root
from pullpath.readers.plan import read_plan

RG_ID = "/subscriptions/0/resourceGroups/rg-hub"
HUB_ID = f"{RG_ID}/providers/Microsoft.Network/virtualNetworks/vnet-hub"


def scanned(tmp_path: Path, text: str) -> Model:
    (tmp_path / "main.tf").write_text(textwrap.dedent(text), encoding="utf-8")
    read = read_root(str(tmp_path))
    assert read.problems == []
    return build_model(read.resources, str(tmp_path))


def planned(tmp_path: Path, plan: PlanBuilder) -> Model:
    return build_model(read_plan(str(plan.write(tmp_path))))


SPOKE = """
resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  resource_group_name = "rg-app"
  location            = "West Europe"
  address_space       = ["10.1.0.0/16"]
  dns_servers         = [azurerm_private_dns_resolver_inbound_endpoint.hub.ip_configurations[0].private_ip_address]
}

resource "azurerm_subnet" "apps" {
  name                 = "snet-apps"
  resource_group_name  = "rg-app"
  virtual_network_name = "vnet-spoke"
  address_prefixes     = ["10.1.1.0/24"]
}

resource "azurerm_virtual_network_peering" "spoke_to_hub" {
  name                      = "spoke-to-hub"
  resource_group_name       = "rg-app"
  virtual_network_name      = azurerm_virtual_network.spoke.name
  remote_virtual_network_id = "/subscriptions/0/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub"
  allow_forwarded_traffic   = true
}

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  resource_group_name = "rg-app"
  location            = "North Europe"
  address_space       = ["10.100.0.0/16"]
}

resource "azurerm_subnet" "resolver" {
  name                 = "snet-dns"
  resource_group_name  = "rg-app"
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.100.2.0/28"]
}

resource "azurerm_private_dns_resolver" "hub" {
  name                = "dnspr"
  resource_group_name = "rg-app"
  location            = "North Europe"
  virtual_network_id  = azurerm_virtual_network.hub.id
}

resource "azurerm_private_dns_resolver_inbound_endpoint" "hub" {
  name                    = "inbound"
  private_dns_resolver_id = azurerm_private_dns_resolver.hub.id
  location                = "North Europe"
  ip_configurations {
    private_ip_allocation_method = "Static"
    private_ip_address           = "10.100.2.4"
    subnet_id                    = azurerm_subnet.resolver.id
  }
}

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-app"
}

resource "azurerm_private_dns_zone_virtual_network_link" "hub" {
  name                  = "hub"
  resource_group_name   = "rg-app"
  private_dns_zone_name = "privatelink.azurecr.io"
  virtual_network_id    = azurerm_virtual_network.hub.id
}

resource "azurerm_private_dns_a_record" "data" {
  name                = "contosoacr.westeurope.data"
  zone_name           = azurerm_private_dns_zone.acr.name
  resource_group_name = "rg-app"
  ttl                 = 300
  records             = ["10.1.2.5"]
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = "rg-app"
  subnet_id           = "/subscriptions/0/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/pe"

  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = true
  }

  private_dns_zone_group {
    name                 = "acr"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id, "/subscriptions/0/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/privatelink.westeurope.data.azurecr.io"]
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoacr"
  resource_group_name = "rg-app"
  location            = "West Europe"
  sku                 = "Premium"
  data_endpoint_enabled = true
  georeplications {
    location = "North Europe"
  }
}

resource "azurerm_container_group" "app" {
  name                = "cg"
  resource_group_name = "rg-app"
  location            = "westeurope"
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = [azurerm_subnet.apps.id]
  container {
    name   = "app"
    image  = "${azurerm_container_registry.acr.login_server}/app:1"
    cpu    = 1
    memory = 1
  }
}
"""


def test_azurerm_network_from_sources(tmp_path):
    network = scanned(tmp_path, SPOKE).network
    spoke, hub = network.vnets["azurerm_virtual_network.spoke"], network.vnets["azurerm_virtual_network.hub"]
    assert (spoke.region, hub.region, hub.dns_servers) == ("westeurope", "northeurope", ())
    assert "azurerm_private_dns_resolver_inbound_endpoint.hub" in spoke.dns_targets
    [peering] = network.peerings
    assert (peering.vnet, peering.remote, peering.transit) == (
        "azurerm_virtual_network.spoke",
        "vnet:rg-hub/vnet-hub",
        True,
    )
    [link] = network.links
    assert (link.zone, link.vnet) == ("azurerm_private_dns_zone.acr", "azurerm_virtual_network.hub")
    [record] = network.records
    assert (record.zone, record.name) == ("azurerm_private_dns_zone.acr", "contosoacr.westeurope.data")
    endpoint = network.endpoints["azurerm_private_endpoint.acr"]
    assert endpoint.vnet == "vnet:rg-hub/vnet-hub"  # from the subnet's ID: a VNet outside the input
    assert endpoint.zones == (
        "azurerm_private_dns_zone.acr",
        "zone:rg-hub/privatelink.westeurope.data.azurecr.io",
    )
    assert endpoint.manual is True
    [resolver] = network.resolvers
    assert (resolver.vnet, resolver.ip) == ("azurerm_virtual_network.hub", "10.100.2.4")
    registry = network.registries["azurerm_container_registry.acr"]
    assert (registry.region, registry.replicas, registry.data_endpoints) == (
        "westeurope",
        ("northeurope",),
        True,
    )
    # the subnet names its VNet by literal name and resource group
    assert network.placements["azurerm_container_group.app"] == Placement(
        ("azurerm_subnet.apps",), ("azurerm_virtual_network.spoke",)
    )


def test_a_vnet_without_dns_servers_in_a_plan_uses_azure_dns_though_azurerm_computes_them(tmp_path):
    plan = PlanBuilder()
    plan.resource(
        "azurerm_virtual_network.main",
        {
            "name": "vnet",
            "resource_group_name": "rg",
            "location": "westeurope",
            "address_space": ["10.0.0.0/16"],
        },
        unknown=["id", "dns_servers", "guid", "subnet"],
        expressions={"name": const("vnet")},
    )
    plan.resource(
        "azurerm_virtual_network.custom",
        {"name": "custom", "resource_group_name": "rg", "location": "westeurope"},
        unknown=["id", "dns_servers"],
        expressions={"dns_servers": ref("var.dns")},
    )
    vnets = planned(tmp_path, plan).network.vnets
    assert vnets["azurerm_virtual_network.main"].dns_servers == ()
    assert vnets["azurerm_virtual_network.custom"].dns_servers is None  # configured, known after apply


def test_the_dns_servers_resource_sets_a_vnets_servers(tmp_path):
    network = scanned(
        tmp_path,
        """
        resource "azurerm_virtual_network" "main" {
          name                = "vnet"
          resource_group_name = "rg"
          location            = "westeurope"
          address_space       = ["10.0.0.0/16"]
        }

        resource "azurerm_virtual_network_dns_servers" "main" {
          virtual_network_id = azurerm_virtual_network.main.id
          dns_servers        = ["10.0.0.4"]
        }
        """,
    ).network
    assert network.vnets["azurerm_virtual_network.main"].dns_servers == ("10.0.0.4",)


def test_subnets_find_their_vnet_by_reference_name_or_id_in_a_plan(tmp_path):
    plan = PlanBuilder()
    plan.resource(
        "azurerm_virtual_network.main",
        {"name": "vnet-main", "resource_group_name": "rg", "location": "westeurope"},
        unknown=["id"],
        expressions={},
    )
    plan.resource(
        "azurerm_subnet.by_reference",
        {"name": "a", "resource_group_name": "rg", "virtual_network_name": "vnet-main"},
        unknown=["id"],
        expressions={
            "virtual_network_name": ref("azurerm_virtual_network.main.name", "azurerm_virtual_network.main")
        },
    )
    plan.resource(
        "azurerm_subnet.by_name",
        {"name": "b", "resource_group_name": "RG", "virtual_network_name": "VNET-MAIN"},
        unknown=["id"],
        expressions={},
    )
    for group, subnet in (
        ("by_reference", "azurerm_subnet.by_reference"),
        ("by_name", "azurerm_subnet.by_name"),
    ):
        plan.resource(
            f"azurerm_container_group.{group}",
            {"name": group, "location": "westeurope", "ip_address_type": "Private"},
            unknown=["subnet_ids"],
            expressions={"subnet_ids": ref(f"{subnet}.id", subnet)},
        )
    plan.resource(
        "azurerm_container_group.by_id",
        {
            "name": "g",
            "location": "westeurope",
            "ip_address_type": "Private",
            "subnet_ids": [f"{HUB_ID}/subnets/aci"],
        },
        expressions={},
    )
    placements = planned(tmp_path, plan).network.placements
    assert placements["azurerm_container_group.by_reference"].vnets == ("azurerm_virtual_network.main",)
    assert placements["azurerm_container_group.by_name"].vnets == ("azurerm_virtual_network.main",)
    # a literal ID of a subnet outside the input: its VNet by resource group and name
    assert placements["azurerm_container_group.by_id"] == Placement(
        ("subnet:rg-hub/vnet-hub/aci",), ("vnet:rg-hub/vnet-hub",)
    )


def test_app_service_placement_from_its_subnet_or_its_swift_connection(tmp_path):
    network = scanned(
        tmp_path,
        """
        resource "azurerm_virtual_network" "main" {
          name                = "vnet"
          resource_group_name = "rg"
          location            = "westeurope"
          address_space       = ["10.0.0.0/16"]
        }

        resource "azurerm_subnet" "integration" {
          name                 = "snet"
          resource_group_name  = "rg"
          virtual_network_name = azurerm_virtual_network.main.name
          address_prefixes     = ["10.0.1.0/24"]
        }

        resource "azurerm_linux_web_app" "direct" {
          name                      = "direct"
          resource_group_name       = "rg"
          location                  = "westeurope"
          service_plan_id           = "plan"
          virtual_network_subnet_id = azurerm_subnet.integration.id
          site_config {}
        }

        resource "azurerm_linux_web_app" "swift" {
          name                = "swift"
          resource_group_name = "rg"
          location            = "westeurope"
          service_plan_id     = "plan"
          site_config {}
        }

        resource "azurerm_app_service_virtual_network_swift_connection" "swift" {
          app_service_id = azurerm_linux_web_app.swift.id
          subnet_id      = azurerm_subnet.integration.id
        }
        """,
    ).network
    expected = Placement(("azurerm_subnet.integration",), ("azurerm_virtual_network.main",))
    assert network.placements["azurerm_linux_web_app.direct"] == expected
    assert network.placements["azurerm_linux_web_app.swift"] == expected


EGRESS = """
resource "azurerm_subnet" "aci" {
  name                 = "snet-aci"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_firewall_policy" "base" {
  name                = "base"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_firewall_policy" "hub" {
  name                = "hub"
  resource_group_name = "rg"
  location            = "westeurope"
  base_policy_id      = azurerm_firewall_policy.base.id
  dns {
    proxy_enabled = true
  }
}

resource "azurerm_firewall_policy_rule_collection_group" "acr" {
  name               = "acr"
  firewall_policy_id = azurerm_firewall_policy.hub.id
  priority           = 100

  application_rule_collection {
    name     = "allow"
    priority = 100
    action   = "Allow"
    rule {
      name              = "acr"
      destination_fqdns = ["Contoso.azurecr.io"]
      destination_urls  = ["contoso.westeurope.data.azurecr.io/v2/*"]
      protocols {
        type = "Https"
        port = 443
      }
    }
  }

  application_rule_collection {
    name     = "deny"
    priority = 200
    action   = "Deny"
    rule {
      name              = "all"
      destination_fqdns = ["*"]
      protocols {
        type = "Https"
        port = 443
      }
    }
  }

  network_rule_collection {
    name     = "tags"
    priority = 300
    action   = "Allow"
    rule {
      name                  = "storage"
      protocols             = ["TCP"]
      destination_addresses = ["Storage.WestEurope", "10.9.9.9"]
      destination_ports     = ["443"]
    }
  }
}

resource "azurerm_firewall" "hub" {
  name                = "afw"
  resource_group_name = "rg"
  location            = "westeurope"
  sku_name            = "AZFW_VNet"
  sku_tier            = "Standard"
  firewall_policy_id  = azurerm_firewall_policy.hub.id
  ip_configuration {
    name      = "ip"
    subnet_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/AzureFirewallSubnet"
  }
}

resource "azurerm_route_table" "egress" {
  name                = "rt"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_route" "default" {
  name                   = "default"
  resource_group_name    = "rg"
  route_table_name       = azurerm_route_table.egress.name
  address_prefix         = "0.0.0.0/0"
  next_hop_type          = "VirtualAppliance"
  next_hop_in_ip_address = azurerm_firewall.hub.ip_configuration[0].private_ip_address
}

resource "azurerm_subnet_route_table_association" "aci" {
  subnet_id      = azurerm_subnet.aci.id
  route_table_id = azurerm_route_table.egress.id
}

resource "azurerm_public_ip" "nat" {
  name                = "pip-nat"
  resource_group_name = "rg"
  location            = "westeurope"
  allocation_method   = "Static"
}

resource "azurerm_nat_gateway" "egress" {
  name                = "ng"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_nat_gateway_public_ip_association" "egress" {
  nat_gateway_id       = azurerm_nat_gateway.egress.id
  public_ip_address_id = azurerm_public_ip.nat.id
}

resource "azurerm_container_registry" "acr" {
  name                = "contoso"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
  network_rule_set {
    default_action = "Deny"
    ip_rule {
      action   = "Allow"
      ip_range = azurerm_public_ip.nat.ip_address
    }
  }
}
"""


def test_azurerm_egress_from_sources(tmp_path):
    network = scanned(tmp_path, EGRESS).network
    assert network.subnet_routes == {"azurerm_subnet.aci": "azurerm_route_table.egress"}
    table = network.route_tables["azurerm_route_table.egress"]
    assert (table.address, table.next_hop_type, table.next_hop) == (
        "azurerm_route.default",
        "VirtualAppliance",
        "azurerm_firewall.hub",
    )
    firewall = network.firewalls["azurerm_firewall.hub"]
    assert (firewall.policy, firewall.policy_set) == ("azurerm_firewall_policy.hub", True)
    assert network.policies == {
        "azurerm_firewall_policy.base": None,
        "azurerm_firewall_policy.hub": "azurerm_firewall_policy.base",
    }
    [rules] = network.rules
    assert rules.owner == "azurerm_firewall_policy.hub"
    # allowing collections only; FQDNs lower-cased, a URL's host, service tags, addresses kept apart
    assert rules.destinations == (
        "contoso.azurecr.io",
        "contoso.westeurope.data.azurecr.io",
        "tag:Storage.WestEurope",
        "address:10.9.9.9",
    )
    [proxy] = network.resolvers
    assert (proxy.address, proxy.vnet, proxy.proxy) == ("azurerm_firewall.hub", "vnet:rg/vnet-hub", True)
    assert network.nat_ips == {"azurerm_public_ip.nat": "azurerm_nat_gateway.egress"}
    [ip_rule] = network.registries["azurerm_container_registry.acr"].ip_rules or ()
    assert ip_rule.targets == ("azurerm_public_ip.nat",)


def test_routes_known_only_after_apply_are_not_taken_for_none(tmp_path):
    plan = PlanBuilder()
    plan.resource(
        "azurerm_route_table.egress",
        {"name": "rt", "resource_group_name": "rg", "location": "westeurope"},
        unknown=["id", "route", "subnets"],
        expressions={"route": ref("var.routes")},
    )
    plan.resource(
        "azurerm_route_table.computed",
        {"name": "rt2", "resource_group_name": "rg", "location": "westeurope"},
        unknown=["id", "route", "subnets"],
        expressions={"name": const("rt2")},
    )
    tables = planned(tmp_path, plan).network.route_tables
    assert tables["azurerm_route_table.egress"].known is False
    assert tables["azurerm_route_table.computed"].known is True  # unset, computed: no route
    assert tables["azurerm_route_table.computed"].next_hop_type is None


AZAPI = f"""
resource "azapi_resource" "vnet" {{
  type      = "Microsoft.Network/virtualNetworks@2024-05-01"
  name      = "vnet-app"
  parent_id = "/subscriptions/0/resourceGroups/rg-app"
  location  = "westeurope"
  body = {{
    properties = {{
      addressSpace = {{ addressPrefixes = ["10.0.0.0/16"] }}
      dhcpOptions  = {{ dnsServers = ["10.100.2.4"] }}
    }}
  }}
}}

resource "azapi_resource" "apps" {{
  type      = "Microsoft.Network/virtualNetworks/subnets@2024-05-01"
  name      = "snet-apps"
  parent_id = azapi_resource.vnet.id
  body = {{
    properties = {{
      addressPrefix = "10.0.4.0/23"
      routeTable    = {{ id = azurerm_route_table.egress.id }}
    }}
  }}
}}

resource "azurerm_route_table" "egress" {{
  name                = "rt"
  resource_group_name = "rg-app"
  location            = "westeurope"
  route {{
    name                   = "default"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = "10.100.0.4"
  }}
}}

resource "azapi_resource" "to_hub" {{
  type      = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2024-05-01"
  name      = "to-hub"
  parent_id = azapi_resource.vnet.id
  body = {{
    properties = {{
      remoteVirtualNetwork      = {{ id = "{HUB_ID}" }}
      allowVirtualNetworkAccess = false
    }}
  }}
}}

resource "azapi_resource" "zone" {{
  type      = "Microsoft.Network/privateDnsZones@2024-06-01"
  name      = "privatelink.azurecr.io"
  parent_id = "/subscriptions/0/resourceGroups/rg-app"
  location  = "global"
}}

resource "azapi_resource" "link" {{
  type      = "Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01"
  name      = "app"
  parent_id = azapi_resource.zone.id
  location  = "global"
  body = {{
    properties = {{
      registrationEnabled = false
      virtualNetwork      = {{ id = azapi_resource.vnet.id }}
    }}
  }}
}}

resource "azapi_resource" "login" {{
  type      = "Microsoft.Network/privateDnsZones/A@2024-06-01"
  name      = "ContosoAcr"
  parent_id = azapi_resource.zone.id
  body = {{
    properties = {{ ttl = 300, aRecords = [{{ ipv4Address = "10.0.2.5" }}] }}
  }}
}}

resource "azapi_resource" "endpoint" {{
  type      = "Microsoft.Network/privateEndpoints@2024-05-01"
  name      = "pe-acr"
  parent_id = "/subscriptions/0/resourceGroups/rg-app"
  location  = "westeurope"
  body = {{
    properties = {{
      subnet = {{ id = azapi_resource.apps.id }}
      manualPrivateLinkServiceConnections = [{{
        name       = "acr"
        properties = {{ privateLinkServiceId = azapi_resource.acr.id, groupIds = ["registry"] }}
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
      privateDnsZoneConfigs = [{{ name = "acr", properties = {{ privateDnsZoneId = azapi_resource.zone.id }} }}]
    }}
  }}
}}

resource "azapi_resource" "acr" {{
  type      = "Microsoft.ContainerRegistry/registries@2023-07-01"
  name      = "contosoacr"
  parent_id = "/subscriptions/0/resourceGroups/rg-app"
  location  = "westeurope"
  body = {{
    sku        = {{ name = "Premium" }}
    properties = {{ publicNetworkAccess = "Disabled", dataEndpointEnabled = true }}
  }}
}}

resource "azapi_resource" "replica" {{
  type      = "Microsoft.ContainerRegistry/registries/replications@2023-07-01"
  name      = "northeurope"
  parent_id = azapi_resource.acr.id
  location  = "North Europe"
  body      = {{ properties = {{}} }}
}}

resource "azapi_resource" "env" {{
  type      = "Microsoft.App/managedEnvironments@2024-03-01"
  name      = "cae"
  parent_id = "/subscriptions/0/resourceGroups/rg-app"
  location  = "westeurope"
  body = {{
    properties = {{
      vnetConfiguration = {{ infrastructureSubnetId = azapi_resource.apps.id }}
    }}
  }}
}}

resource "azapi_resource" "app" {{
  type      = "Microsoft.App/containerApps@2024-03-01"
  name      = "ca"
  parent_id = "/subscriptions/0/resourceGroups/rg-app"
  location  = "westeurope"
  body = {{
    properties = {{
      managedEnvironmentId = azapi_resource.env.id
      template = {{ containers = [{{ name = "app", image = "contosoacr.azurecr.io/app:1" }}] }}
    }}
  }}
}}
"""


def test_azapi_network_from_sources(tmp_path):
    network = scanned(tmp_path, AZAPI).network
    vnet = network.vnets["azapi_resource.vnet"]
    assert (vnet.region, vnet.dns_servers) == ("westeurope", ("10.100.2.4",))
    [peering] = network.peerings
    assert (peering.vnet, peering.remote, peering.allow_access) == (
        "azapi_resource.vnet",
        "vnet:rg-hub/vnet-hub",
        False,
    )
    assert network.zones["azapi_resource.zone"].name == "privatelink.azurecr.io"
    [link] = network.links
    assert (link.zone, link.vnet) == ("azapi_resource.zone", "azapi_resource.vnet")
    [record] = network.records
    assert (record.zone, record.name) == ("azapi_resource.zone", "contosoacr")
    endpoint = network.endpoints["azapi_resource.endpoint"]
    assert (endpoint.vnet, endpoint.zones, endpoint.manual) == (
        "azapi_resource.vnet",
        ("azapi_resource.zone",),
        True,
    )
    registry = network.registries["azapi_resource.acr"]
    assert (registry.replicas, registry.data_endpoints) == (("northeurope",), True)
    assert network.workload_profiles == {"azapi_resource.env": False}  # Consumption-only
    assert network.subnet_routes == {"azapi_resource.apps": "azurerm_route_table.egress"}
    assert network.route_tables["azurerm_route_table.egress"].next_hop == "10.100.0.4"
    assert network.placements["azapi_resource.app"] == Placement(
        ("azapi_resource.apps",), ("azapi_resource.vnet",)
    )


def test_azapi_bodies_in_a_plan_resolve_through_their_references(tmp_path):
    """One expression for the whole body in ``configuration``: the link's VNet is traced through it."""
    plan = PlanBuilder()
    plan.resource(
        "azapi_resource.vnet",
        {
            "type": "Microsoft.Network/virtualNetworks@2024-05-01",
            "name": "vnet",
            "location": "westeurope",
            "body": {"properties": {}},
        },
        unknown=["id"],
        expressions={
            "type": const("Microsoft.Network/virtualNetworks@2024-05-01"),
            "body": const({"properties": {}}),
        },
    )
    plan.resource(
        "azapi_resource.zone",
        {
            "type": "Microsoft.Network/privateDnsZones@2024-06-01",
            "name": "privatelink.azurecr.io",
            "body": None,
        },
        unknown=["id"],
        expressions={},
    )
    plan.resource(
        "azapi_resource.link",
        {
            "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01",
            "name": "app",
            "body": {"properties": {"registrationEnabled": False, "virtualNetwork": {}}},
        },
        unknown=["id", "parent_id", "body.properties.virtualNetwork.id"],
        expressions={
            "parent_id": ref("azapi_resource.zone.id", "azapi_resource.zone"),
            "body": ref("azapi_resource.vnet.id", "azapi_resource.vnet"),
        },
    )
    [link] = planned(tmp_path, plan).network.links
    assert (link.zone, link.vnet) == ("azapi_resource.zone", "azapi_resource.vnet")


def test_a_container_app_environment_with_workload_profiles_is_not_consumption_only(tmp_path):
    network = scanned(
        tmp_path,
        """
        resource "azurerm_container_app_environment" "profiles" {
          name                = "cae"
          resource_group_name = "rg"
          location            = "westeurope"
          workload_profile {
            name                  = "Consumption"
            workload_profile_type = "Consumption"
          }
        }

        resource "azurerm_container_app_environment" "consumption" {
          name                = "cae2"
          resource_group_name = "rg"
          location            = "westeurope"
        }
        """,
    ).network
    assert network.workload_profiles == {
        "azurerm_container_app_environment.profiles": True,
        "azurerm_container_app_environment.consumption": False,
    }


def test_an_azapi_vnet_whose_body_cannot_be_read_has_unknown_dns_servers(tmp_path):
    plan = PlanBuilder()
    for name, body in (("readable", {"properties": {}}), ("unreadable", "not a JSON object")):
        plan.resource(
            f"azapi_resource.{name}",
            {
                "type": "Microsoft.Network/virtualNetworks@2024-05-01",
                "name": name,
                "location": "westeurope",
                "body": body,
            },
            unknown=["id"],
            expressions={},
        )
    vnets = planned(tmp_path, plan).network.vnets
    assert vnets["azapi_resource.readable"].dns_servers == ()  # no dhcpOptions: Azure-provided DNS
    assert vnets["azapi_resource.unreadable"].dns_servers is None


def test_a_region_shown_for_a_sensitive_location_is_hidden_with_it(tmp_path):
    """``"Zq9 West Europe"`` is shown as the region ``zq9westeurope`` in data endpoint names:
    redaction ignores case but not removed spaces, so the region is hidden as the location is."""
    from pullpath.engine import analyse_directory
    from pullpath.report import RENDERERS, render

    source = Path(__file__).resolve().parent.parent / "sample_tf" / "aci-private-dns-hand-made-records-fail"
    text = (source / "main.tf").read_text(encoding="utf-8")
    (tmp_path / "main.tf").write_text(
        text.replace('location = "West Europe"', 'location = sensitive("Zq9 West Europe")'), encoding="utf-8"
    )
    report = analyse_directory(str(tmp_path))
    assert any("zq9westeurope" in finding.reason for finding in report.findings)  # judged on the real value
    for fmt in RENDERERS:
        assert "zq9" not in render(report, fmt).lower(), fmt
