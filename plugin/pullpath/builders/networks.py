"""The name and route layers of a pull: VNets, peerings, private DNS, endpoints and placements.

Both dialects are read here (azurerm types, and azapi ``Microsoft.Network/...`` bodies), and every
reference is resolved to a key (:mod:`.keys`) once, at build time, so the rules look things up by
key instead of searching. Egress (route tables, firewalls, registries' data endpoints) is
:mod:`.egress`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pullpath import resource_types as rt
from pullpath.builders import egress
from pullpath.builders.context import Context
from pullpath.builders.keys import Keys, vnet_key_of_subnet_id
from pullpath.builders.values import blocks, decoded_body, get, nearest_refs, ref_of, text, tristate
from pullpath.model import (
    UNKNOWN,
    Attributes,
    Cite,
    DnsRecord,
    DnsResolver,
    DnsZone,
    EndpointNetwork,
    Network,
    Peering,
    Placement,
    Ref,
    Resource,
    Subnet,
    VirtualNetwork,
    Workload,
    WorkloadKind,
    ZoneLink,
)

VNET_ATTRIBUTES = {
    "azurerm": Attributes("azurerm", {Cite.DNS_SERVERS: "dns_servers", Cite.REGION: "location"}),
    "azapi": Attributes(
        "azapi", {Cite.DNS_SERVERS: "body.properties.dhcpOptions.dnsServers", Cite.REGION: "location"}
    ),
}
PEERING_ATTRIBUTES = {
    "azurerm": Attributes(
        "azurerm",
        {
            Cite.PEERING_REMOTE: "remote_virtual_network_id",
            Cite.PEERING_ACCESS: "allow_virtual_network_access",
        },
    ),
    "azapi": Attributes(
        "azapi",
        {
            Cite.PEERING_REMOTE: "body.properties.remoteVirtualNetwork.id",
            Cite.PEERING_ACCESS: "body.properties.allowVirtualNetworkAccess",
        },
    ),
}
ZONE_ATTRIBUTES = {"azurerm": Attributes("azurerm", {Cite.ZONE_NAME: "name"}), "azapi": Attributes("azapi")}
LINK_ATTRIBUTES = {
    "azurerm": Attributes(
        "azurerm", {Cite.LINK_VNET: "virtual_network_id", Cite.LINK_ZONE: "private_dns_zone_name"}
    ),
    "azapi": Attributes(
        "azapi", {Cite.LINK_VNET: "body.properties.virtualNetwork.id", Cite.LINK_ZONE: "parent_id"}
    ),
}
RECORD_ATTRIBUTES = {
    "azurerm": Attributes("azurerm", {Cite.RECORD_NAME: "name", Cite.LINK_ZONE: "zone_name"}),
    "azapi": Attributes("azapi", {Cite.RECORD_NAME: "name", Cite.LINK_ZONE: "parent_id"}),
}
ENDPOINT_ATTRIBUTES = {
    "azurerm": Attributes(
        "azurerm",
        {
            Cite.ZONE_GROUP: "private_dns_zone_group",
            Cite.MANUAL_CONNECTION: "private_service_connection[0].is_manual_connection",
        },
    ),
    "azapi": Attributes(
        "azapi",
        {
            Cite.ZONE_GROUP: "privateDnsZoneGroups",
            Cite.MANUAL_CONNECTION: "body.properties.manualPrivateLinkServiceConnections",
        },
    ),
}
RESOLVER_ATTRIBUTES = Attributes(
    "azurerm", {Cite.RESOLVER_ADDRESS: "ip_configurations[0].private_ip_address"}
)

_VNETS = frozenset({rt.VIRTUAL_NETWORK, rt.azapi_kind(rt.ARM_VIRTUAL_NETWORK)})
_SUBNETS = frozenset({rt.SUBNET, rt.azapi_kind(rt.ARM_SUBNET)})
_ZONES = frozenset({rt.DNS_ZONE, rt.azapi_kind(rt.ARM_DNS_ZONE)})


def region(value: Any) -> str | None:
    """``"West Europe"`` -> ``westeurope``: how ARM names a region, whatever the spelling."""
    return "".join(value.lower().split()) if isinstance(value, str) and value.strip() else None


def _body(resource: Resource) -> Any:
    return decoded_body(get(resource.values, "body"))


def _body_ref(resource: Resource, *path: str | int) -> Ref:
    """A value inside an azapi body, traced through the body's (or its nearest parent's) references."""
    body = _body(resource)
    value = UNKNOWN if body is UNKNOWN else get(body, *path)
    if value is None:
        return Ref()
    return Ref(value=text(value), targets=nearest_refs(resource.refs, ("body", *path)), configured=True)


def build_network(context: Context, workloads: Sequence[Workload], subnets: Mapping[str, Subnet]) -> Network:
    """The :class:`Network` of the whole input, every reference resolved to a key."""
    vnet_keys = Keys("vnet", context.kinds(*_VNETS), parent_group=True)
    subnet_keys = Keys("subnet", context.kinds(*_SUBNETS), parent_group=False)
    zone_keys = Keys("zone", context.kinds(*_ZONES), parent_group=True)
    subnet_vnets = _subnet_vnets(context, vnet_keys)
    placed = _Placer(subnet_keys, vnet_keys, subnet_vnets)
    firewalls, rules, policies, firewall_resolvers = egress.firewalls(context, placed)
    return Network(
        vnets=_vnets(context, vnet_keys),
        peerings=tuple(_peerings(context, vnet_keys)),
        hub_vnets=frozenset(
            key
            for hub in context.kinds(rt.HUB_CONNECTION)
            if (key := vnet_keys.key(ref_of(hub, ("remote_virtual_network_id",))))
        ),
        zones=_zones(context),
        links=tuple(_links(context, zone_keys, vnet_keys)),
        records=tuple(_records(context, zone_keys)),
        endpoints=_endpoints(context, zone_keys, placed),
        resolvers=(*_inbound_endpoints(context, vnet_keys, placed), *firewall_resolvers),
        route_tables=egress.route_tables(context, firewalls),
        subnet_routes=egress.subnet_routes(context, placed),
        firewalls=firewalls,
        rules=rules,
        policies=policies,
        registries=egress.registries(context),
        placements={
            workload.address: found
            for workload in workloads
            if (found := placed.workload(workload, context)) is not None
        },
        workload_profiles=_workload_profiles(context),
        nat_ips=egress.nat_ips(context),
        regions=_regions(context),
    )


_LOCATED = (
    *_VNETS,
    rt.REGISTRY,
    rt.azapi_kind(rt.ARM_REGISTRY),
    rt.azapi_kind(rt.ARM_REPLICATION),
)


def _regions(context: Context) -> dict[str, str]:
    """Each location as written -> the region name pullpath shows (``West Europe`` -> ``westeurope``)."""
    found: dict[str, str] = {}
    for resource in context.kinds(*_LOCATED):
        locations = [get(resource.values, "location")]
        locations += [replica.get("location") for replica in blocks(get(resource.values, "georeplications"))]
        for location in locations:
            if isinstance(location, str) and (normalised := region(location)) and normalised != location:
                found[location] = normalised
    return found


def _subnet_vnets(context: Context, vnets: Keys) -> dict[str, str | None]:
    """Each subnet resource's VNet key: by reference, by resource group and name, or by its ID."""
    found: dict[str, str | None] = {}
    for subnet in context.kinds(rt.SUBNET):
        key = vnets.key(Ref(targets=subnet.refs_at(("virtual_network_name",)) or ()))
        if key is None:
            key = vnets.named(
                text(get(subnet.values, "resource_group_name")),
                text(get(subnet.values, "virtual_network_name")),
            )
        found[subnet.address] = key or _from_id(subnet, vnets)
    for subnet in context.kinds(rt.azapi_kind(rt.ARM_SUBNET)):
        found[subnet.address] = vnets.key(ref_of(subnet, ("parent_id",))) or _from_id(subnet, vnets)
    return found


def _from_id(subnet: Resource, vnets: Keys) -> str | None:
    identifier = text(get(subnet.values, "id"))
    key = vnet_key_of_subnet_id(identifier) if identifier else None
    return None if key is None else vnets.by_name.get(key, key)


class _Placer:
    """Subnet references to subnet keys and the VNets they sit in."""

    def __init__(self, subnets: Keys, vnets: Keys, subnet_vnets: Mapping[str, str | None]) -> None:
        self.subnets = subnets
        self.vnets = vnets
        self.subnet_vnets = subnet_vnets
        self.placements: dict[Placement, Placement] = {}

    def place(self, ref: Ref) -> tuple[str | None, str | None]:
        """(subnet key, VNet key) of a subnet reference; one to a VNet's inline subnet names the VNet."""
        subnet = self.subnets.key(ref)
        if subnet is not None and subnet in self.subnet_vnets:
            return subnet, self.subnet_vnets[subnet]
        inline = next((target for target in ref.targets if target in self.vnets.addresses), None)
        if inline:
            return None, inline
        vnet = vnet_key_of_subnet_id(ref.value) if ref.value else None
        return subnet, None if vnet is None else self.vnets.by_name.get(vnet, vnet)

    def vnet(self, ref: Ref) -> str | None:
        return self.place(ref)[1]

    def workload(self, workload: Workload, context: Context) -> Placement | None:
        """The subnets and VNets of a workload's subnet references; None when it names no subnet."""
        refs: Sequence[Ref] = workload.subnets
        if workload.kind is WorkloadKind.APP_SERVICE:
            subnet = workload.integration_subnet
            swift = context.once(_swift_subnets).get(workload.address)
            refs = [subnet] if subnet is not None and subnet.is_set else ([swift] if swift else [])
        if not refs:
            return None
        subnets: list[str] = []
        vnets: list[str] = []
        untold: list[str] = []
        for ref in refs:
            subnet_key, vnet = self.place(ref)
            if subnet_key and subnet_key not in subnets:
                subnets.append(subnet_key)
            if not vnet:
                untold.append(ref.value or ", ".join(ref.targets) or "(known after apply)")
            elif vnet not in vnets:
                vnets.append(vnet)
        # Workloads in the same subnets share one placement: a large plan has one per workload.
        found = Placement(tuple(subnets), tuple(vnets), tuple(untold))
        return self.placements.setdefault(found, found)


def _swift_subnets(context: Context) -> dict[str, Ref]:
    """The subnet each swift connection integrates an app (or a named slot of it) with."""
    index = context.index
    found: dict[str, Ref] = {}
    for connection in context.kinds(rt.APP_SWIFT_CONNECTION):
        for app in index.follow(ref_of(connection, ("app_service_id",)), rt.APP_SERVICES):
            found[app.address] = ref_of(connection, ("subnet_id",))
    slots = [slot for kind in rt.APP_SERVICES if kind.endswith("_slot") for slot in context.kinds(kind)]
    for connection in context.kinds(rt.SLOT_SWIFT_CONNECTION):
        parents = {
            app.address for app in index.follow(ref_of(connection, ("app_service_id",)), rt.APP_SERVICES)
        }
        wanted = text(get(connection.values, "slot_name"))
        named = set(connection.refs_at(("slot_name",)) or ())
        for slot in slots:
            own = {
                app.address
                for attribute in ("app_service_id", "function_app_id")
                for app in index.follow(ref_of(slot, (attribute,)), rt.APP_SERVICES)
            }
            name = text(get(slot.values, "name"))
            if own & parents and (
                slot.address in named or (wanted and name and wanted.lower() == name.lower())
            ):
                found[slot.address] = ref_of(connection, ("subnet_id",))
    return found


def _vnets(context: Context, keys: Keys) -> dict[str, VirtualNetwork]:
    found: dict[str, VirtualNetwork] = {}
    for vnet in context.kinds(rt.VIRTUAL_NETWORK):
        servers = get(vnet.values, "dns_servers")
        configured = vnet.refs_at(("dns_servers",))
        if servers is UNKNOWN and configured is None and not vnet.is_data:
            servers = []  # azurerm computes an unset dns_servers: Azure-provided DNS
        found[vnet.address] = VirtualNetwork(
            vnet.address,
            region(get(vnet.values, "location")),
            _servers(servers),
            configured or (),
            VNET_ATTRIBUTES["azurerm"],
        )
    for vnet in context.kinds(rt.azapi_kind(rt.ARM_VIRTUAL_NETWORK)):
        body = _body(vnet)
        unreadable = body is None and get(vnet.values, "body") is not None  # a string that is no JSON object
        servers = (
            UNKNOWN if body is UNKNOWN or unreadable else get(body, "properties", "dhcpOptions", "dnsServers")
        )
        found[vnet.address] = VirtualNetwork(
            vnet.address,
            region(get(vnet.values, "location")),
            _servers(servers),
            _body_ref(vnet, "properties", "dhcpOptions", "dnsServers").targets,
            VNET_ATTRIBUTES["azapi"],
        )
    for setting in context.kinds(rt.VNET_DNS_SERVERS):  # azurerm_virtual_network_dns_servers
        key = keys.key(ref_of(setting, ("virtual_network_id",)))
        if key in found:
            known = found[key]
            found[key] = VirtualNetwork(
                known.address,
                known.region,
                _servers(get(setting.values, "dns_servers")),
                setting.refs_at(("dns_servers",)) or (),
                Attributes(
                    "azurerm", {Cite.DNS_SERVERS: f"{setting.address}.dns_servers", Cite.REGION: "location"}
                ),
            )
    return found


def _servers(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if value is UNKNOWN or not isinstance(value, list):
        return None
    if any(server is UNKNOWN for server in value):
        return None
    return tuple(str(server) for server in value if isinstance(server, str) and server)


def _peerings(context: Context, vnets: Keys) -> list[Peering]:
    found: list[Peering] = []
    for peering in context.kinds(rt.PEERING):
        values = peering.values
        local = vnets.key(Ref(targets=peering.refs_at(("virtual_network_name",)) or ()))
        local = local or vnets.named(
            text(get(values, "resource_group_name")), text(get(values, "virtual_network_name"))
        )
        flags = ("allow_forwarded_traffic", "allow_gateway_transit", "use_remote_gateways")
        found.append(
            Peering(
                peering.address,
                local,
                vnets.key(ref_of(peering, ("remote_virtual_network_id",))),
                tristate(get(values, "allow_virtual_network_access"), default=True),
                any(tristate(get(values, flag), default=False) is not False for flag in flags),
                PEERING_ATTRIBUTES["azurerm"],
            )
        )
    for peering in context.kinds(rt.azapi_kind(rt.ARM_PEERING)):
        body = _body(peering)
        flags = ("allowForwardedTraffic", "allowGatewayTransit", "useRemoteGateways")
        found.append(
            Peering(
                peering.address,
                vnets.key(ref_of(peering, ("parent_id",))),
                vnets.key(_body_ref(peering, "properties", "remoteVirtualNetwork", "id")),
                None
                if body is UNKNOWN
                else tristate(get(body, "properties", "allowVirtualNetworkAccess"), True),
                body is UNKNOWN or any(tristate(get(body, "properties", flag)) is True for flag in flags),
                PEERING_ATTRIBUTES["azapi"],
            )
        )
    return found


def _zones(context: Context) -> dict[str, DnsZone]:
    found = {
        zone.address: DnsZone(zone.address, text(get(zone.values, "name")), ZONE_ATTRIBUTES["azurerm"])
        for zone in context.kinds(rt.DNS_ZONE)
    }
    for zone in context.kinds(rt.azapi_kind(rt.ARM_DNS_ZONE)):
        found[zone.address] = DnsZone(zone.address, text(get(zone.values, "name")), ZONE_ATTRIBUTES["azapi"])
    return found


def _zone_of(resource: Resource, attribute: str, zones: Keys) -> str | None:
    """An azurerm record's or link's zone: by reference, else by resource group and zone name."""
    key = zones.key(Ref(targets=resource.refs_at((attribute,)) or ()))
    return key or zones.named(
        text(get(resource.values, "resource_group_name")), text(get(resource.values, attribute))
    )


def _links(context: Context, zones: Keys, vnets: Keys) -> list[ZoneLink]:
    found = [
        ZoneLink(
            link.address,
            _zone_of(link, "private_dns_zone_name", zones),
            vnets.key(ref_of(link, ("virtual_network_id",))),
            LINK_ATTRIBUTES["azurerm"],
        )
        for link in context.kinds(rt.ZONE_LINK)
    ]
    found += [
        ZoneLink(
            link.address,
            zones.key(ref_of(link, ("parent_id",))),
            vnets.key(_body_ref(link, "properties", "virtualNetwork", "id")),
            LINK_ATTRIBUTES["azapi"],
        )
        for link in context.kinds(rt.azapi_kind(rt.ARM_ZONE_LINK))
    ]
    return found


def _records(context: Context, zones: Keys) -> list[DnsRecord]:
    found = [
        DnsRecord(
            record.address,
            _zone_of(record, "zone_name", zones),
            _lower(get(record.values, "name")),
            RECORD_ATTRIBUTES["azurerm"],
        )
        for record in context.kinds(rt.A_RECORD)
    ]
    found += [
        DnsRecord(
            record.address,
            zones.key(ref_of(record, ("parent_id",))),
            _lower(get(record.values, "name")),
            RECORD_ATTRIBUTES["azapi"],
        )
        for record in context.kinds(rt.azapi_kind(rt.ARM_A_RECORD))
    ]
    return found


def _lower(value: Any) -> str | None:
    return value.lower().rstrip(".") if isinstance(value, str) and value else None


def _endpoints(context: Context, zones: Keys, placed: _Placer) -> dict[str, EndpointNetwork]:
    found: dict[str, EndpointNetwork] = {}
    for endpoint in context.kinds(rt.PRIVATE_ENDPOINT):
        group = get(endpoint.values, "private_dns_zone_group")
        path = ("private_dns_zone_group", 0, "private_dns_zone_ids")
        zone_keys: tuple[str, ...] | None = ()
        if group is UNKNOWN:
            zone_keys = None
        elif blocks(group):
            zone_keys = _zone_keys(get(endpoint.values, *path), endpoint.refs_at(path), zones)
        manual = tristate(
            get(endpoint.values, "private_service_connection", 0, "is_manual_connection"), False
        )
        found[endpoint.address] = EndpointNetwork(
            endpoint.address,
            placed.vnet(ref_of(endpoint, ("subnet_id",))),
            zone_keys,
            manual,
            ENDPOINT_ATTRIBUTES["azurerm"],
        )
    groups = _azapi_zone_groups(context, zones)
    for endpoint in context.kinds(rt.azapi_kind(rt.ARM_PRIVATE_ENDPOINT)):
        body = _body(endpoint)
        manual_list = (
            UNKNOWN if body is UNKNOWN else get(body, "properties", "manualPrivateLinkServiceConnections")
        )
        found[endpoint.address] = EndpointNetwork(
            endpoint.address,
            placed.vnet(_body_ref(endpoint, "properties", "subnet", "id")),
            groups.get(endpoint.address, ()),
            None if manual_list is UNKNOWN else bool(blocks(manual_list)),
            ENDPOINT_ATTRIBUTES["azapi"],
        )
    return found


def _zone_keys(value: Any, targets: tuple[str, ...] | None, zones: Keys) -> tuple[str, ...] | None:
    """Zone keys of a list of zone IDs, an ID known only after apply standing for the zones the
    expression references; None when some zone is neither known nor traced."""
    referenced = tuple(target for target in targets or () if target in zones.addresses)
    if not isinstance(value, list):
        return referenced or None
    keys: list[str] = []
    for item in value:
        if isinstance(item, str):
            keys.append(zones.key(Ref(value=item)) or item)
        elif referenced:
            keys += referenced
        else:
            return None
    return tuple(dict.fromkeys(keys))


def _azapi_zone_groups(context: Context, zones: Keys) -> dict[str, tuple[str, ...] | None]:
    """``privateEndpoints/privateDnsZoneGroups`` children, by the endpoint they belong to."""
    endpoints = Keys("endpoint", context.kinds(rt.PRIVATE_ENDPOINT, rt.azapi_kind(rt.ARM_PRIVATE_ENDPOINT)))
    found: dict[str, tuple[str, ...] | None] = {}
    for group in context.kinds(rt.azapi_kind(rt.ARM_ZONE_GROUP)):
        endpoint = endpoints.key(ref_of(group, ("parent_id",)))
        if endpoint is None:
            continue
        body = _body(group)
        configs = UNKNOWN if body is UNKNOWN else get(body, "properties", "privateDnsZoneConfigs")
        keys: tuple[str, ...] | None = None
        if configs is not UNKNOWN:
            found_keys = [
                zones.key(
                    _body_ref(
                        group, "properties", "privateDnsZoneConfigs", n, "properties", "privateDnsZoneId"
                    )
                )
                for n, _ in enumerate(blocks(configs))
            ]
            keys = None if None in found_keys else tuple(key for key in found_keys if key)
        previous = found.get(endpoint, ())
        found[endpoint] = None if keys is None or previous is None else (*previous, *keys)
    return found


def _inbound_endpoints(context: Context, vnets: Keys, placed: _Placer) -> list[DnsResolver]:
    """DNS Private Resolver inbound endpoints: the VNet of their resolver, and their IP when static."""
    resolvers = {
        resolver.address: vnets.key(ref_of(resolver, ("virtual_network_id",)))
        for resolver in context.kinds(rt.DNS_RESOLVER)
    }
    found: list[DnsResolver] = []
    for inbound in context.kinds(rt.RESOLVER_INBOUND):
        parent = ref_of(inbound, ("private_dns_resolver_id",))
        vnet = next((resolvers[target] for target in parent.targets if target in resolvers), None)
        vnet = vnet or placed.vnet(ref_of(inbound, ("ip_configurations", 0, "subnet_id")))
        ip = text(get(inbound.values, "ip_configurations", 0, "private_ip_address"))
        found.append(DnsResolver(inbound.address, vnet, ip, True, RESOLVER_ATTRIBUTES))
    return found


def _workload_profiles(context: Context) -> dict[str, bool | None]:
    """Whether each Container Apps environment has workload profiles (else it is Consumption-only)."""
    found: dict[str, bool | None] = {}
    for environment in context.kinds(rt.CONTAINER_APP_ENVIRONMENT):
        profiles = get(environment.values, "workload_profile")
        found[environment.address] = None if profiles is UNKNOWN else bool(blocks(profiles))
    for environment in context.kinds(rt.azapi_kind(rt.ARM_ENVIRONMENT)):
        body = _body(environment)
        profiles = UNKNOWN if body is UNKNOWN else get(body, "properties", "workloadProfiles")
        found[environment.address] = None if profiles is UNKNOWN else bool(blocks(profiles))
    return found
