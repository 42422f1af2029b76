"""Egress for the route layer: default routes, the firewall they lead to, what it admits, NAT IPs.

A subnet whose route table sends ``0.0.0.0/0`` to a virtual appliance pulls from a public
registry endpoint through that appliance; an Azure Firewall there admits only the FQDNs (or
service tags) its rules allow. A registry says which names must be admitted (its login server and
data endpoints, by region) and which addresses its own firewall admits. Everything is keyed as
:mod:`.keys` describes, so the rules look it up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pullpath import resource_types as rt
from pullpath.builders.context import Context
from pullpath.builders.keys import Keys
from pullpath.builders.values import blocks, decoded_body, get, ref_of, text, tristate
from pullpath.model import (
    UNKNOWN,
    Attributes,
    Cite,
    DnsResolver,
    Firewall,
    FirewallRules,
    Ref,
    RegistryNetwork,
    Resource,
    RouteTable,
)

if TYPE_CHECKING:
    from pullpath.builders.networks import _Placer

DEFAULT_ROUTE = "0.0.0.0/0"
ROUTE_ATTRIBUTES = Attributes("azurerm", {Cite.NEXT_HOP: "route"})
SEPARATE_ROUTE_ATTRIBUTES = Attributes("azurerm", {Cite.NEXT_HOP: "next_hop_in_ip_address"})
FIREWALL_ATTRIBUTES = Attributes(
    "azurerm", {Cite.FIREWALL_POLICY: "firewall_policy_id", Cite.DNS_PROXY: "dns_proxy_enabled"}
)
PROXY_ATTRIBUTES = Attributes("azurerm", {Cite.RESOLVER_ADDRESS: "ip_configuration[0].private_ip_address"})
GROUP_ATTRIBUTES = Attributes(
    "azurerm", {Cite.RULE_DESTINATIONS: "application_rule_collection[*].rule[*].destination_fqdns"}
)
CLASSIC_ATTRIBUTES = Attributes("azurerm", {Cite.RULE_DESTINATIONS: "rule[*].target_fqdns"})
REGISTRY_ATTRIBUTES = {
    "azurerm": Attributes(
        "azurerm",
        {
            Cite.REGION: "location",
            Cite.REPLICAS: "georeplications",
            Cite.DATA_ENDPOINTS: "data_endpoint_enabled",
        },
    ),
    "azapi": Attributes(
        "azapi",
        {
            Cite.REGION: "location",
            Cite.REPLICAS: "Microsoft.ContainerRegistry/registries/replications",
            Cite.DATA_ENDPOINTS: "body.properties.dataEndpointEnabled",
        },
    ),
}

#: Rule fields that name destinations, with the prefix a destination of that field gets.
_APPLICATION_FIELDS = (("destination_fqdns", ""), ("destination_fqdn_tags", "tag:"), ("destination_urls", ""))
_NETWORK_FIELDS = (("destination_fqdns", ""), ("destination_addresses", "address:"))
_CLASSIC_APPLICATION_FIELDS = (("target_fqdns", ""), ("fqdn_tags", "tag:"))


def _region(value: Any) -> str | None:
    return "".join(value.lower().split()) if isinstance(value, str) and value.strip() else None


def route_tables(context: Context, firewalls: Mapping[str, Firewall]) -> dict[str, RouteTable]:
    """Each route table's default route: its next hop type and, for an appliance, which one."""
    by_ip = {firewall.ip: address for address, firewall in firewalls.items() if firewall.ip}
    tables = Keys("routes", context.kinds(rt.ROUTE_TABLE))
    separate: dict[str, list[Resource]] = {}
    for route in context.kinds(rt.ROUTE):
        key = tables.key(Ref(targets=route.refs_at(("route_table_name",)) or ()))
        key = key or tables.named(
            text(get(route.values, "resource_group_name")), text(get(route.values, "route_table_name"))
        )
        if key:
            separate.setdefault(key, []).append(route)
    found: dict[str, RouteTable] = {}
    for table in context.kinds(rt.ROUTE_TABLE):
        routes = get(table.values, "route")
        configured = any(path and path[0] == "route" for path in table.refs)
        if routes is UNKNOWN and configured:
            found[table.address] = RouteTable(table.address, known=False, cite=ROUTE_ATTRIBUTES)
            continue
        found[table.address] = RouteTable(table.address, cite=ROUTE_ATTRIBUTES)
        for position, entry in enumerate(blocks(routes)):
            if _is_default(entry.get("address_prefix")):
                hop = _hop(ref_of(table, ("route", position, "next_hop_in_ip_address")), firewalls, by_ip)
                found[table.address] = RouteTable(
                    table.address, _hop_type(entry.get("next_hop_type")), hop, True, ROUTE_ATTRIBUTES
                )
        for route in separate.get(table.address, ()):
            if _is_default(get(route.values, "address_prefix")):
                hop = _hop(ref_of(route, ("next_hop_in_ip_address",)), firewalls, by_ip)
                kind = _hop_type(get(route.values, "next_hop_type"))
                found[table.address] = RouteTable(route.address, kind, hop, True, SEPARATE_ROUTE_ATTRIBUTES)
    return found


def _is_default(prefix: Any) -> bool:
    return isinstance(prefix, str) and prefix.strip() == DEFAULT_ROUTE


def _hop_type(value: Any) -> str | None:
    return "(known after apply)" if value is UNKNOWN else text(value)


def _hop(ref: Ref, firewalls: Mapping[str, Firewall], by_ip: Mapping[str, str]) -> str | None:
    """The appliance a next-hop IP names: a firewall of the input by reference or IP, else the IP."""
    for target in ref.targets:
        if target in firewalls:
            return target
    if ref.value:
        return by_ip.get(ref.value, ref.value)
    return None


def subnet_routes(context: Context, placed: _Placer) -> dict[str, str]:
    """Subnet key -> the route table associated with it (association resource or azapi subnet body)."""
    tables = Keys("routes", context.kinds(rt.ROUTE_TABLE))
    found: dict[str, str] = {}
    for association in context.kinds(rt.SUBNET_ROUTE_TABLE):
        subnet_key = placed.subnets.key(ref_of(association, ("subnet_id",)))
        table_key = tables.key(ref_of(association, ("route_table_id",)))
        if subnet_key and table_key:
            found[subnet_key] = table_key
    for subnet in context.kinds(rt.azapi_kind(rt.ARM_SUBNET)):
        body = decoded_body(get(subnet.values, "body"))
        route_id = None if body is UNKNOWN else get(body, "properties", "routeTable", "id")
        if route_id is None:
            continue
        table_key = tables.key(Ref(value=text(route_id), targets=subnet.refs.get(("body",), ())))
        if table_key:
            found[subnet.address] = table_key
    return found


def firewalls(
    context: Context, placed: _Placer
) -> tuple[dict[str, Firewall], tuple[FirewallRules, ...], dict[str, str | None], list[DnsResolver]]:
    """Azure Firewalls with their policy, the rules each policy (or classic firewall) admits, the
    policies of the input with their base policy, and each firewall as the DNS proxy a VNet may name."""
    policies = Keys("policy", context.kinds(rt.FIREWALL_POLICY))
    walls = Keys("firewall", context.kinds(rt.FIREWALL))
    proxies: dict[str, bool | None] = {}
    bases: dict[str, str | None] = {}
    for policy in context.kinds(rt.FIREWALL_POLICY):
        dns = get(policy.values, "dns")
        proxies[policy.address] = None if dns is UNKNOWN else tristate(get(dns, 0, "proxy_enabled"), False)
        bases[policy.address] = policies.key(ref_of(policy, ("base_policy_id",)))
    found: dict[str, Firewall] = {}
    resolvers: list[DnsResolver] = []
    for firewall in context.kinds(rt.FIREWALL):
        policy_ref = ref_of(firewall, ("firewall_policy_id",))
        policy_key = policies.key(policy_ref)
        ip = text(get(firewall.values, "ip_configuration", 0, "private_ip_address"))
        found[firewall.address] = Firewall(
            firewall.address, policy_key, policy_ref.is_set, ip, FIREWALL_ATTRIBUTES
        )
        if policy_key is None:
            proxy = tristate(get(firewall.values, "dns_proxy_enabled"), False)
        else:
            proxy = proxies.get(policy_key)  # None: a policy outside the input
        vnet = placed.vnet(ref_of(firewall, ("ip_configuration", 0, "subnet_id")))
        resolvers.append(DnsResolver(firewall.address, vnet, ip, proxy, PROXY_ATTRIBUTES))
    rules: list[FirewallRules] = []
    for group in context.kinds(rt.FIREWALL_RULE_GROUP):
        owner = policies.key(ref_of(group, ("firewall_policy_id",)))
        application = _destinations(get(group.values, "application_rule_collection"), _APPLICATION_FIELDS)
        network = _destinations(get(group.values, "network_rule_collection"), _NETWORK_FIELDS)
        both = None if application is None or network is None else (*application, *network)
        rules.append(FirewallRules(group.address, owner, both, GROUP_ATTRIBUTES))
    for kind, fields in (
        (rt.FIREWALL_APPLICATION_RULES, _CLASSIC_APPLICATION_FIELDS),
        (rt.FIREWALL_NETWORK_RULES, _NETWORK_FIELDS),
    ):
        for collection in context.kinds(kind):
            owner = walls.key(Ref(targets=collection.refs_at(("azure_firewall_name",)) or ()))
            owner = owner or walls.named(
                text(get(collection.values, "resource_group_name")),
                text(get(collection.values, "azure_firewall_name")),
            )
            listed = _destinations([collection.values], fields)
            rules.append(FirewallRules(collection.address, owner, listed, CLASSIC_ATTRIBUTES))
    return found, tuple(rules), bases, resolvers


def _destinations(collections: Any, fields: tuple[tuple[str, str], ...]) -> tuple[str, ...] | None:
    """What the allowing collections' rules admit; None when any of it is known only after apply."""
    if collections is UNKNOWN:
        return None
    admitted: list[str] = []
    for collection in blocks(collections):
        action = collection.get("action")
        if action is UNKNOWN:
            return None
        if str(action).lower() != "allow":
            continue
        listed = collection.get("rule")
        if listed is UNKNOWN:
            return None
        for rule in blocks(listed):
            for field, prefix in fields:
                values = rule.get(field)
                if values is UNKNOWN or (isinstance(values, list) and UNKNOWN in values):
                    return None
                admitted += [_destination(prefix, value) for value in values or () if isinstance(value, str)]
    return tuple(admitted)


def _destination(prefix: str, value: str) -> str:
    """One destination as the rules compare it: an FQDN, ``tag:<Tag>``, ``*``, or ``address:<IP>``."""
    value = value.strip()
    if prefix == "tag:":
        return prefix + value
    if prefix == "address:":
        if value == "*":
            return "*"
        return f"address:{value}" if value[:1].isdigit() or ":" in value else f"tag:{value}"
    return value.split("://", 1)[-1].split("/", 1)[0].lower()  # an FQDN, or a URL's host


def registries(context: Context) -> dict[str, RegistryNetwork]:
    """Home region, geo-replicas, dedicated data endpoints and allowing IP rules of each registry."""
    found: dict[str, RegistryNetwork] = {}
    for registry in context.kinds(rt.REGISTRY):
        if registry.is_data:
            continue
        values = registry.values
        replicas = get(values, "georeplications")
        found[registry.address] = RegistryNetwork(
            registry.address,
            _region(get(values, "location")),
            None if replicas is UNKNOWN else _regions(blocks(replicas)),
            tristate(get(values, "data_endpoint_enabled"), False),
            _ip_rules(registry),
            REGISTRY_ATTRIBUTES["azurerm"],
        )
    arm_registries = context.kinds(rt.azapi_kind(rt.ARM_REGISTRY))
    keys = Keys("registry", arm_registries)
    replications: dict[str, list[str | None]] = {}
    for replication in context.kinds(rt.azapi_kind(rt.ARM_REPLICATION)):
        owner = keys.key(ref_of(replication, ("parent_id",)))
        if owner:
            replications.setdefault(owner, []).append(_region(get(replication.values, "location")))
    for registry in arm_registries:
        if registry.is_data:
            continue
        body = decoded_body(get(registry.values, "body"))
        listed = replications.get(registry.address, [])
        found[registry.address] = RegistryNetwork(
            registry.address,
            _region(get(registry.values, "location")),
            None if None in listed else tuple(region for region in listed if region),
            None if body is UNKNOWN else tristate(get(body, "properties", "dataEndpointEnabled"), False),
            _arm_ip_rules(registry, body),
            REGISTRY_ATTRIBUTES["azapi"],
        )
    return found


def _regions(replicas: list[Mapping[str, Any]]) -> tuple[str, ...] | None:
    regions = [_region(replica.get("location")) for replica in replicas]
    return None if None in regions else tuple(region for region in regions if region)


def _ip_rules(registry: Resource) -> tuple[Ref, ...] | None:
    rule_set = get(registry.values, "network_rule_set")
    if rule_set is UNKNOWN and not any(path and path[0] == "network_rule_set" for path in registry.refs):
        return ()  # azurerm 3.x computes an unset rule set: a new registry has none
    if rule_set is UNKNOWN:
        return None
    rules = get(rule_set, 0, "ip_rule")
    if rules is UNKNOWN:
        return None
    return tuple(
        ref_of(registry, ("network_rule_set", 0, "ip_rule", position, "ip_range"))
        for position, rule in enumerate(blocks(rules))
        if str(rule.get("action") or "Allow").lower() == "allow"
    )


def _arm_ip_rules(registry: Resource, body: Any) -> tuple[Ref, ...] | None:
    rules = UNKNOWN if body is UNKNOWN else get(body, "properties", "networkRuleSet", "ipRules")
    if rules is UNKNOWN:
        return None
    targets = registry.refs.get(("body",), ())
    return tuple(
        Ref(value=text(rule.get("value")), targets=targets, configured=True)
        for rule in blocks(rules)
        if str(rule.get("action") or "Allow").lower() == "allow"
    )


def nat_ips(context: Context) -> dict[str, str]:
    """Public IPs (by address, and by address text when known) that are a NAT gateway's egress."""
    index = context.index
    found: dict[str, str] = {}
    pairs = (
        (rt.NAT_PUBLIC_IP, "public_ip_address_id", rt.PUBLIC_IPS, "ip_address"),
        (rt.NAT_PUBLIC_IP_PREFIX, "public_ip_prefix_id", frozenset({rt.PUBLIC_IP_PREFIX}), "ip_prefix"),
    )
    for association_type, id_attribute, ip_kinds, ip_attribute in pairs:
        for association in context.kinds(association_type):
            nats = index.follow(ref_of(association, ("nat_gateway_id",)), rt.NAT_GATEWAYS)
            if not nats:
                continue
            for ip in index.follow(ref_of(association, (id_attribute,)), ip_kinds):
                found[ip.address] = nats[0].address
                known = text(get(ip.values, ip_attribute))
                if known:
                    found[known] = nats[0].address
    for nat in context.kinds(rt.azapi_kind(rt.ARM_NAT_GATEWAY)):
        body = decoded_body(get(nat.values, "body"))
        listed = get(body, "properties", "publicIpAddresses") if body is not UNKNOWN else None
        ids = [text(get(item, "id")) for item in blocks(listed)]
        refs = Ref(targets=nat.refs.get(("body",), ()))
        ips = index.follow(refs, rt.PUBLIC_IPS) + [
            ip
            for identifier in ids
            if identifier
            for ip in index.follow(Ref(value=identifier), rt.PUBLIC_IPS)
        ]
        for ip in ips:
            found[ip.address] = nat.address
            known = text(get(ip.values, "ip_address")) or text(
                get(ip.values, "output", "properties", "ipAddress")
            )
            if known:
                found[known] = nat.address
    return found
