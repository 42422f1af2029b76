"""The name layer (PP601-PP604): where a pull over a registry private endpoint resolves the registry.

With a private endpoint, ``<registry>.azurecr.io`` is a CNAME to ``<registry>.privatelink.azurecr.io``.
Azure-provided DNS answers from the private zone only in VNets linked to it (links do not follow
peering); custom DNS servers answer from it only when they forward from a linked VNet. The zone
must hold the login server's record and one per data endpoint (home and geo-replica regions).
Each pull over a private endpoint gets one finding here: the first FAIL, else the first UNKNOWN,
else the PASS that names the zone, the link and where the records come from.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from pullpath import resource_types as rt
from pullpath.model import (
    Cite,
    DnsRecord,
    EndpointNetwork,
    PrivateEndpoint,
    Registry,
    Verdict,
    VirtualNetwork,
    cited,
    shown_key,
)
from pullpath.rules import sources
from pullpath.rules.base import Rule
from pullpath.rules.examples import name_resolution as examples
from pullpath.rules.network_paths import (
    RESTRICTED,
    Layer,
    Step,
    Way,
    Where,
    nearest,
    placement,
    registry_name,
    untold,
    zone_name,
)
from pullpath.rules.pulls import Pull

_APPLIES = "container groups, App Service apps and container apps that pull over a registry private endpoint"

PP601 = Rule(
    id="PP601",
    slug="private-dns-zone-not-linked",
    title="The workload's VNet is not linked to the registry's private DNS zone",
    topic="Private DNS resolution of the registry from the workload's VNet",
    severity="HIGH",
    resource_types=rt.PULLING_KINDS,
    applies_to=_APPLIES,
    rationale=(
        "With a private endpoint, <registry>.azurecr.io is a CNAME to <registry>.privatelink.azurecr.io. "
        "Azure-provided DNS (a VNet without dns_servers) answers from the privatelink.azurecr.io private "
        "DNS zone only in VNets linked to the zone, and links do not follow peering. From an unlinked VNet "
        "the name resolves to the registry's public endpoint, which a closed registry refuses: the pull "
        "fails although the private endpoint exists."
    ),
    remediation=(
        "Link the privatelink.azurecr.io zone to the VNet the workload resolves names in "
        "(azurerm_private_dns_zone_virtual_network_link with virtual_network_id = that VNet), or point the "
        "VNet's dns_servers at a DNS Private Resolver inbound endpoint in a VNet linked to the zone."
    ),
    references=(sources.PRIVATE_ENDPOINT_DNS, sources.ACR_PRIVATE_LINK),
    failing_example=examples.PP601_FAILING,
    fixed_example=examples.PP601_FIXED,
    azapi_failing_example=examples.PP601_AZAPI_FAILING,
    azapi_fixed_example=examples.PP601_AZAPI_FIXED,
    detection=(
        "For a pull over a registry private endpoint (a container group in a VNet pulling by identity, an "
        "App Service app routing its pull into its VNet, a container app in a VNet environment) it finds "
        "the VNet the workload resolves names in (its subnet's, the integration subnet's, the environment "
        "subnet's), the zone holding the registry's records (the endpoint's private_dns_zone_group, "
        "hand-made A records, or any privatelink.azurecr.io zone), and the "
        "azurerm_private_dns_zone_virtual_network_link (or azapi privateDnsZones/virtualNetworkLinks) "
        "between them. VNets, zones and links are matched by reference, ARM ID or resource group and name."
    ),
)

PP602 = Rule(
    id="PP602",
    slug="private-dns-zone-not-in-input",
    title="No private DNS zone for the registry's private endpoint is in the input",
    topic="Private DNS zone for the registry's private endpoint",
    severity="MEDIUM",
    resource_types=rt.PULLING_KINDS,
    applies_to=_APPLIES,
    rationale=(
        "A pull over a private endpoint works only when the workload's VNet resolves the registry from the "
        "privatelink.azurecr.io zone. Landing zones often create the zone, its links and the endpoint's "
        "zone group by Azure Policy (DeployIfNotExists) outside Terraform, so a configuration without the "
        "zone is not wrong, but it cannot show that the name resolves: the verdict is UNKNOWN, naming the "
        "zone and the link that would settle it."
    ),
    remediation=(
        "Add the privatelink.azurecr.io private DNS zone, a private_dns_zone_group on the registry's "
        "private endpoint and a virtual network link to the workload's VNet to the configuration, or "
        "confirm that Azure Policy creates them."
    ),
    references=(sources.PRIVATE_ENDPOINT_DNS, sources.ACR_PRIVATE_LINK),
    failing_example=examples.PP602_FAILING,
    fixed_example=examples.PP602_FIXED,
    detection=(
        "As PP601: when no privatelink.azurecr.io zone is in the input (or the endpoint's zone group names "
        "one outside it, and no link in the input ties it to the workload's VNet), the verdict is UNKNOWN."
    ),
)

PP603 = Rule(
    id="PP603",
    slug="custom-dns-not-private-resolver",
    title="The workload's VNet uses custom DNS servers not shown to resolve the private zone",
    topic="Custom DNS servers of the workload's VNet for the registry's private zone",
    severity="MEDIUM",
    resource_types=rt.PULLING_KINDS,
    applies_to=_APPLIES,
    rationale=(
        "A VNet with dns_servers sends every query to those servers. They answer from the "
        "privatelink.azurecr.io zone only when they forward to Azure DNS from a VNet linked to the zone: a "
        "DNS Private Resolver inbound endpoint, or an Azure Firewall with DNS proxy on, in a linked VNet. "
        "Other servers (on-premises DNS, a VM) may forward correctly, which the configuration cannot show."
    ),
    remediation=(
        "Point the VNet's dns_servers at a DNS Private Resolver inbound endpoint (or an Azure Firewall DNS "
        "proxy) in a VNet linked to the privatelink.azurecr.io zone, and include it in the configuration."
    ),
    references=(sources.PRIVATE_ENDPOINT_DNS, sources.DNS_PRIVATE_RESOLVER, sources.FIREWALL_DNS_PROXY),
    failing_example=examples.PP603_FAILING,
    fixed_example=examples.PP603_FIXED,
    detection=(
        "For a pull over a private endpoint from a VNet whose dns_servers are set: each server, by known "
        "IP or by the resource its expression references, must be an "
        "azurerm_private_dns_resolver_inbound_endpoint or an azurerm_firewall whose policy has dns "
        "{ proxy_enabled = true }, in a VNet linked to the zone."
    ),
)

PP604 = Rule(
    id="PP604",
    slug="private-dns-records-incomplete",
    title="Hand-made private DNS records miss the registry's data endpoints",
    topic="Private DNS records of the registry's login server and data endpoints",
    severity="HIGH",
    resource_types=rt.PULLING_KINDS,
    applies_to=_APPLIES,
    rationale=(
        "A registry with a private endpoint always uses dedicated data endpoints: the client fetches the "
        "manifest from <registry>.azurecr.io and the layers from <registry>.<region>.data.azurecr.io, one "
        "per home and geo-replica region. The endpoint's private_dns_zone_group writes every record; "
        "hand-written azurerm_private_dns_a_record resources must too, or manifests resolve and layer "
        "downloads do not "
        '("If you don\'t configure all records, the registry might be unreachable").'
    ),
    remediation=(
        "Let the private endpoint write the records (private_dns_zone_group with the zone's ID), or add an "
        "A record for <registry>.<region>.data for the home region and every geo-replica region beside the "
        "login server's."
    ),
    references=(sources.ACR_PRIVATE_LINK, sources.PRIVATE_ENDPOINT_DNS),
    failing_example=examples.PP604_FAILING,
    fixed_example=examples.PP604_FIXED,
    detection=(
        "For a pull over a private endpoint without a zone group: the azurerm_private_dns_a_record (or "
        "azapi privateDnsZones/A) resources named <registry> or <registry>.* in the privatelink.azurecr.io "
        "zone, against the registry's location and georeplications."
    ),
)

RULES = (PP601, PP602, PP603, PP604)
_NONE = EndpointNetwork("", None)


def _key(registry: Registry, where: Where) -> tuple[Hashable, ...] | None:
    """A pull over a private endpoint of a restricted registry; a public pull resolves the public name.

    The step depends on the registry and the VNets the workload resolves in only.
    """
    if where.way is not Way.PRIVATE or registry.posture not in RESTRICTED:
        return None
    return ("name", registry.address, where.place.vnets, where.place.untold)


LAYER = Layer(PP601, _key, lambda pull, where, key: judge_name(pull, where.endpoints))


def judge_name(pull: Pull, endpoints: list[PrivateEndpoint]) -> Step:
    """The worst of the records step and the resolution step, or the PASS naming both."""
    network = pull.model.network
    zone = zone_name(pull.registry)
    groups = [network.endpoints[e.address] for e in endpoints if e.address in network.endpoints]
    grouped = list(
        dict.fromkeys(key for group in groups for key in group.zones or () if _is_zone(pull, key, zone))
    )
    records = _registry_records(pull, zone)
    if grouped:
        zones = grouped
    elif records:
        zones = list(dict.fromkeys(record.zone for record in records if record.zone))
    else:
        index = network.index
        zones = [z.address for z in (*index.zones_by_name.get(zone, ()), *index.unnamed_zones)]
    unknown_groups = [group for group in groups if group.zones is None]
    if not zones:
        return _no_zone(pull, nearest(pull, endpoints), zone, unknown_groups)
    steps = [_records_step(pull, endpoints, bool(grouped), records, zones, zone, unknown_groups)]
    steps += _resolution_steps(pull, zones, zone)
    for verdict in (Verdict.FAIL, Verdict.UNKNOWN):
        for found in steps:
            if found.verdict is verdict:
                return found
    resolution = steps[1]
    reason = f"{resolution.reason}; {steps[0].reason}"
    return Step(resolution.rule, Verdict.PASS, reason, (*resolution.evidence, *steps[0].evidence))


def _is_zone(pull: Pull, key: str, zone: str) -> bool:
    """Whether a zone key is the registry's privatelink zone (a zone of unknown name may be)."""
    found = pull.model.network.zones.get(key)
    if found is not None:
        return found.name is None or found.name.lower().rstrip(".") == zone
    return key.endswith("/" + zone) or "/" not in key


def _registry_records(pull: Pull, zone: str) -> list[DnsRecord]:
    """Hand-made records for the registry (``<name>``, ``<name>.<region>.data``) in its privatelink zones."""
    name = registry_name(pull.registry)
    found = pull.model.network.index.records.get(name or "", ())
    return [record for record in found if record.zone and _is_zone(pull, record.zone, zone)]


def _no_zone(pull: Pull, endpoints: list[PrivateEndpoint], zone: str, unknown_groups: list[Any]) -> Step:
    shown = ", ".join(e.address for e in endpoints)
    if unknown_groups:
        return Step(
            PP602,
            Verdict.UNKNOWN,
            f"the DNS zone group of {unknown_groups[0].address} names its zones only after apply, and no "
            f"{zone} zone is in this input",
            (cited(unknown_groups[0], Cite.ZONE_GROUP, "(known after apply)"),),
            f"Reference the {zone} zone in the zone group (private_dns_zone_ids = [<zone>.id]) or give its "
            "ID as a literal, so the plan shows which zone holds the records.",
        )
    vnets = ", ".join(shown_key(v) for v in placement(pull).vnets) or "the workload's VNet"
    return Step(
        PP602,
        Verdict.UNKNOWN,
        f"{pull.registry.label} has a private endpoint ({shown}) but no {zone} private DNS zone is in this "
        "input, so where the workload resolves the registry is unknown (Azure Policy may create the zone "
        "outside Terraform)",
        (cited(endpoints[0], Cite.ENDPOINT_CONNECTION),),  # one endpoint shows the pull is private
        f"Add the {zone} zone with a private_dns_zone_group on {shown} and a virtual network link to "
        f"{vnets}, or confirm the zone, the zone group and that link exist (Azure Policy), then waive this "
        "finding.",
    )


def _records_step(
    pull: Pull,
    endpoints: list[PrivateEndpoint],
    grouped: bool,
    records: list[DnsRecord],
    zones: list[str],
    zone: str,
    unknown_groups: list[Any],
) -> Step:
    network = pull.model.network
    label = pull.registry.label
    if grouped:
        with_zones = [
            network.endpoints[e.address] for e in endpoints if network.endpoints.get(e.address, _NONE).zones
        ]
        return Step(
            PP604,
            Verdict.PASS,
            f"the DNS zone group of {with_zones[0].address} writes the records of the login server and data "
            "endpoints",
            (cited(with_zones[0], Cite.ZONE_GROUP),),
        )
    shown_zones = ", ".join(shown_key(z) for z in zones)
    if not records:
        if unknown_groups:
            group = unknown_groups[0]
            return Step(
                PP604,
                Verdict.UNKNOWN,
                f"the DNS zone group of {group.address} names its zones only after apply",
                (cited(group, Cite.ZONE_GROUP, "(known after apply)"),),
                f"Reference the {zone} zone in the zone group, or give its ID as a literal.",
            )
        shown = ", ".join(e.address for e in endpoints)
        return Step(
            PP604,
            Verdict.UNKNOWN,
            f"{shown} has no DNS zone group and {shown_zones} holds no A record for {label} in this input, "
            "so whether the registry's names resolve to the endpoint is unknown (Azure Policy may write "
            "the zone group outside Terraform)",
            tuple(
                cited(network.endpoints[e.address], Cite.ZONE_GROUP, "not set")
                for e in endpoints
                if e.address in network.endpoints
            ),
            f"Add private_dns_zone_group {{ private_dns_zone_ids = [<{zone} zone>.id] }} to {shown}, or "
            "confirm the zone group Azure Policy writes, then waive this finding.",
        )
    needed = _needed(pull)
    evidence = tuple(cited(record, Cite.RECORD_NAME, record.name) for record in records)
    if needed is None:
        return Step(
            PP604,
            Verdict.UNKNOWN,
            f"the records in {shown_zones} are hand-made, and the regions of {label} (home and "
            "geo-replicas) are known only after apply, so which data endpoint records it needs is unknown",
            evidence,
            f"Give the location and georeplications of {label} values the plan can show, or use a "
            "private_dns_zone_group, which writes every record.",
        )
    present = {record.name for record in records if record.name}
    missing = [name for name in needed if name not in present]
    if missing:
        listed = ", ".join(f"{name}.{zone}" for name in missing)
        return Step(
            PP604,
            Verdict.FAIL,
            f"the hand-made A records in {shown_zones} cover {', '.join(sorted(present))} but not {listed}: "
            "the manifest resolves to the private endpoint and the layer downloads from the data endpoint "
            "do not",
            evidence,
            f"Add an A record for {', '.join(missing)} in {shown_zones} with the private endpoint's IP for "
            "that data endpoint, or replace the hand-made records by a private_dns_zone_group on "
            f"{', '.join(e.address for e in endpoints)}, which writes them all.",
        )
    return Step(
        PP604,
        Verdict.PASS,
        f"the hand-made A records in {shown_zones} cover the login server and every data endpoint "
        f"({', '.join(needed)})",
        evidence,
    )


def _needed(pull: Pull) -> list[str] | None:
    """The record names the registry needs: its own and one data endpoint per region; None if untold."""
    name = registry_name(pull.registry)
    regions = pull.model.network.registries.get(pull.registry.address)
    if not name or regions is None or regions.region is None or regions.replicas is None:
        return None
    ordered = dict.fromkeys((regions.region, *regions.replicas))
    return [name, *(f"{name}.{region}.data" for region in ordered)]


def _resolution_steps(pull: Pull, zones: list[str], zone: str) -> list[Step]:
    """How each VNet the workload resolves in answers for the zone; one step, the worst, first."""
    place = placement(pull)
    if place.untold or not place.vnets:
        return [
            Step(
                PP601,
                Verdict.UNKNOWN,
                f"the VNet the workload resolves names in is not told by this input ({untold(place)})",
                (),
                "Reference the workload's subnet and its VNet as resources or data sources of this input, "
                "or give the subnet's ID as a literal.",
            )
        ]
    steps = [_resolved_in(pull, key, zones, zone) for key in place.vnets]
    steps.sort(key=lambda step: -step.verdict)
    return steps[:1]


def _resolved_in(pull: Pull, key: str, zones: list[str], zone: str) -> Step:
    vnet = pull.model.network.vnets.get(key)
    if vnet is None:
        return Step(
            PP601,
            Verdict.UNKNOWN,
            f"the workload resolves names in VNet {shown_key(key)}, which is not in this input, so whether "
            "it uses Azure-provided DNS is unknown",
            (),
            f"Add VNet {shown_key(key)} to the input (a data.azurerm_virtual_network suffices), or judge "
            "the configuration that defines it together with this one.",
        )
    if vnet.dns_servers is None and not vnet.dns_targets:
        return Step(
            PP603,
            Verdict.UNKNOWN,
            f"the DNS servers of VNet {vnet.address} are known only after apply",
            (cited(vnet, Cite.DNS_SERVERS, "(known after apply)"),),
            f"Give {vnet.address}.{vnet.cite(Cite.DNS_SERVERS)} values (or references) the plan can show.",
        )
    if vnet.dns_servers or vnet.dns_targets:
        return _custom_dns(pull, vnet, zones, zone)
    links = [link for z in zones for link in pull.model.network.index.links.get(z, ()) if link.vnet == key]
    dns = cited(vnet, Cite.DNS_SERVERS, "Azure-provided")
    if links:
        return Step(
            PP601,
            Verdict.PASS,
            f"VNet {vnet.address} uses Azure-provided DNS and is linked to {shown_key(links[0].zone or '')} "
            f"by {links[0].address}",
            (dns, cited(links[0], Cite.LINK_VNET)),
        )
    pending = [
        link
        for link in pull.model.network.index.unplaced_links
        if link.zone in (None, *zones) and link.vnet in (None, key)
    ]
    if pending:
        return Step(
            PP601,
            Verdict.UNKNOWN,
            f"the zone or VNet of link {pending[0].address} is known only after apply, so whether "
            f"{vnet.address} is linked to {zone} is unknown",
            (dns, cited(pending[0], Cite.LINK_VNET, "(known after apply)")),
            f"Reference the zone and the VNet in {pending[0].address} (or give their names and IDs as "
            "literals).",
        )
    in_input = [z for z in zones if z in pull.model.network.zones]
    if not in_input:
        outside = ", ".join(shown_key(z) for z in zones)
        return Step(
            PP602,
            Verdict.UNKNOWN,
            f"the registry's records are in zone {outside}, and whether that zone is linked to VNet "
            f"{vnet.address} is not in this input",
            (dns,),
            f"Confirm that {outside} has a virtual network link to {vnet.address}, or add an "
            "azurerm_private_dns_zone_virtual_network_link for it to this configuration.",
        )
    others = sorted(
        {shown_key(link.vnet or "") for z in in_input for link in pull.model.network.index.links.get(z, ())}
    )
    linked = f"is linked only to {', '.join(others)}" if others else "is linked to no VNet"
    login = pull.registry.login_server or f"{registry_name(pull.registry) or pull.registry.label}.azurecr.io"
    return Step(
        PP601,
        Verdict.FAIL,
        f"zone {', '.join(in_input)} {linked}; VNet {vnet.address} uses Azure-provided DNS, so {login} "
        "resolves to the registry's public endpoint, not to its private endpoint (links do not follow "
        "peering)",
        (dns,),
        f"Add an azurerm_private_dns_zone_virtual_network_link from {in_input[0]} to {vnet.address} "
        "(virtual_network_id = its ID), or point its dns_servers at a DNS Private Resolver in a linked "
        "VNet.",
    )


def _custom_dns(pull: Pull, vnet: VirtualNetwork, zones: list[str], zone: str) -> Step:
    """Custom DNS servers pass only as a resolver inbound endpoint or firewall DNS proxy in a linked VNet."""
    index = pull.model.network.index
    by_target = [index.resolvers_by_address[t] for t in vnet.dns_targets if t in index.resolvers_by_address]
    other_targets = [t for t in vnet.dns_targets if t not in index.resolvers_by_address]
    resolvers = list(by_target)
    unmatched: list[str] = []
    for server in vnet.dns_servers or ():
        resolver = index.resolvers_by_ip.get(server)
        if resolver is not None:
            resolvers.append(resolver)
        elif not by_target or other_targets:
            unmatched.append(server)
    unmatched += other_targets
    dns = cited(vnet, Cite.DNS_SERVERS, ", ".join(vnet.dns_servers or ()) or "(known after apply)")
    settle = (
        f"Point {vnet.address}'s DNS servers at a DNS Private Resolver inbound endpoint (or an Azure "
        f"Firewall DNS proxy) in a VNet linked to {zone}, and include it in the configuration; or confirm "
        f"the servers forward {zone} to Azure DNS (168.63.129.16) from a linked VNet, then waive this "
        "finding."
    )
    if unmatched or not resolvers:
        return Step(
            PP603,
            Verdict.UNKNOWN,
            f"VNet {vnet.address} uses custom DNS servers ({', '.join(unmatched) or 'known after apply'}) "
            "that are no DNS Private Resolver inbound endpoint or Azure Firewall DNS proxy of this input, "
            f"so whether they resolve {zone} is unknown",
            (dns,),
            settle,
        )
    for resolver in dict.fromkeys(resolvers):
        if resolver.proxy is not True:
            return Step(
                PP603,
                Verdict.UNKNOWN,
                f"VNet {vnet.address} uses firewall {resolver.address} as its DNS server, and its DNS proxy "
                f"is {'off' if resolver.proxy is False else 'known only after apply'}",
                (dns, cited(resolver, Cite.DNS_PROXY, str(resolver.proxy).lower())),
                f"Turn on DNS proxy in the policy of {resolver.address} (dns {{ proxy_enabled = true }}).",
            )
        links = [
            link
            for z in zones
            for link in index.links.get(z, ())
            if resolver.vnet and link.vnet == resolver.vnet
        ]
        if not links:
            where = shown_key(resolver.vnet) if resolver.vnet else "a VNet this input does not tell"
            return Step(
                PP603,
                Verdict.UNKNOWN,
                f"VNet {vnet.address} resolves through {resolver.address} in {where}, which no link in this "
                f"input ties to {zone}",
                (dns,),
                f"Link {zone} to {where} (azurerm_private_dns_zone_virtual_network_link), or confirm the "
                "link another configuration owns.",
            )
    first = resolvers[0]
    link = next(link for z in zones for link in index.links.get(z, ()) if link.vnet == first.vnet)
    return Step(
        PP603,
        Verdict.PASS,
        f"VNet {vnet.address} resolves through {first.address} in {shown_key(first.vnet or '')}, which is "
        f"linked to {shown_key(link.zone or '')} by {link.address}",
        (dns, cited(link, Cite.LINK_VNET)),
    )
