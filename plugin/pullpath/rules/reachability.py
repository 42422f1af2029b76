"""The route layer (PP701-PP704): whether packets from the workload reach the registry endpoint.

A pull over a private endpoint needs the endpoint's VNet to be the workload's or peered with it
in both directions (global peering is unsupported for container groups) and the connection to be
approved. A pull from a VNet subnet to the public endpoint takes the subnet's default route, and an
egress firewall there must admit the login server and the data endpoints. Each such pull path gets
one finding here; other public pulls are judged by the workload families.
"""

from __future__ import annotations

from collections.abc import Hashable

import msgspec

from pullpath import resource_types as rt
from pullpath.model import (
    Cite,
    EndpointNetwork,
    Evidence,
    Firewall,
    FirewallRules,
    Network,
    Posture,
    PrivateEndpoint,
    Registry,
    Verdict,
    WorkloadKind,
    cited,
    shown_key,
)
from pullpath.rules import sources
from pullpath.rules.base import Rule
from pullpath.rules.examples import reachability as examples
from pullpath.rules.network_paths import (
    RESTRICTED,
    Layer,
    Step,
    Way,
    Where,
    login_fqdn,
    placement,
    registry_name,
    step,
    untold,
)
from pullpath.rules.pulls import Pull

_PRIVATE = "container groups, App Service apps and container apps that pull over a registry private endpoint"

PP701 = Rule(
    id="PP701",
    slug="endpoint-vnet-not-connected",
    title="The registry's private endpoint is in a VNet the workload's VNet is not connected to",
    topic="Network path from the workload's VNet to the registry's private endpoint",
    severity="HIGH",
    resource_types=rt.PULLING_KINDS,
    applies_to=_PRIVATE,
    rationale=(
        "A private endpoint's IP is reachable from its own VNet and from VNets peered with it in both "
        "directions with virtual network access allowed. Peering is not transitive: a spoke reaches an "
        "endpoint in another spoke only through a route the configuration would have to show (a hub "
        "appliance, a gateway, Virtual WAN). From an unconnected VNet the name may resolve to the endpoint "
        "but no packet arrives."
    ),
    remediation=(
        "Put the registry's private endpoint in the workload's VNet, or peer the two VNets in both "
        "directions (azurerm_virtual_network_peering on each side, allow_virtual_network_access left true)."
    ),
    references=(sources.PRIVATE_ENDPOINT_OVERVIEW, sources.VNET_PEERING),
    failing_example=examples.PP701_FAILING,
    fixed_example=examples.PP701_FIXED,
    azapi_failing_example=examples.PP701_AZAPI_FAILING,
    azapi_fixed_example=examples.PP701_AZAPI_FIXED,
    detection=(
        "For a pull over a registry private endpoint it compares the VNet of the endpoint's subnet with "
        "the VNet of the workload's subnet, and looks up azurerm_virtual_network_peering (or azapi "
        "virtualNetworks/virtualNetworkPeerings) both ways by VNet. A peering whose other side is outside "
        "the input, or a hub with forwarded traffic, gateway transit or Virtual WAN between them, gives "
        "UNKNOWN."
    ),
)

PP702 = Rule(
    id="PP702",
    slug="aci-global-peering-endpoint",
    title="Container group reaches the registry's private endpoint only over global VNet peering",
    topic="Container group path over VNet peering to the registry's private endpoint",
    severity="HIGH",
    resource_types=rt.CONTAINER_GROUP_KINDS,
    applies_to="azurerm_container_group in a VNet pulling over a registry private endpoint in a peered VNet",
    rationale=(
        "Azure Container Instances does not support global VNet peering (peered VNets in different "
        "regions) among its virtual network scenarios: a container group whose registry private endpoint "
        "is reachable only through a VNet in another region cannot pull over it."
    ),
    remediation=(
        "Give the registry a private endpoint in the container group's region: in the group's VNet, or in "
        "a VNet of the same region peered with it."
    ),
    references=(sources.ACI_VNET_CONCEPTS, sources.VNET_PEERING),
    failing_example=examples.PP702_FAILING,
    fixed_example=examples.PP702_FIXED,
    detection=(
        "As PP701, for a container group: when the endpoint's VNet is peered with the group's VNet and the "
        "two VNets' locations differ. A location known only after apply gives UNKNOWN."
    ),
)

PP703 = Rule(
    id="PP703",
    slug="egress-firewall-blocks-data-endpoints",
    title="The egress firewall does not admit the registry's login server and data endpoints",
    topic="Egress firewall rules for the registry's public endpoints",
    severity="HIGH",
    resource_types=rt.PULLING_KINDS,
    applies_to=(
        "container groups, VNet-routed App Service pulls and container apps in workload-profiles "
        "environments whose subnet routes 0.0.0.0/0 to a virtual appliance"
    ),
    rationale=(
        "A pull from a subnet whose route table sends 0.0.0.0/0 to a virtual appliance leaves through that "
        "appliance. An Azure Firewall admits only what its rules allow: the registry's login server "
        "(<registry>.azurecr.io) for the manifest, and the data endpoints for the layers "
        "(<registry>.<region>.data.azurecr.io with dedicated data endpoints, which a registry with a "
        "private endpoint always has; else *.blob.core.windows.net). A rule set that admits only the login "
        "server lets the manifest through and breaks every layer download."
    ),
    remediation=(
        "Allow the login server and the data endpoints in an application rule of the firewall policy: "
        "<registry>.azurecr.io and <registry>.<region>.data.azurecr.io for every region (or *.azurecr.io), "
        "or *.blob.core.windows.net when dedicated data endpoints are off; or a network rule to the "
        "AzureContainerRegistry (and Storage) service tags."
    ),
    references=(sources.ACR_FIREWALL_RULES,),
    failing_example=examples.PP703_FAILING,
    fixed_example=examples.PP703_FIXED,
    detection=(
        "For a pull from a VNet subnet to a registry's public endpoint: the subnet's "
        "azurerm_subnet_route_table_association, the route table's 0.0.0.0/0 route with next_hop_type "
        "VirtualAppliance, the azurerm_firewall its next hop names (by reference or IP), its "
        "firewall_policy_id and the application and network rule collections of the policy's "
        "azurerm_firewall_policy_rule_collection_group resources (base policy included), or classic "
        "azurerm_firewall_application_rule_collection resources. A policy outside the input gives UNKNOWN."
    ),
)

PP704 = Rule(
    id="PP704",
    slug="endpoint-pending-approval",
    title="The registry's private endpoint waits for manual approval",
    topic="Approval of the registry's private endpoint connection",
    severity="MEDIUM",
    resource_types=rt.PULLING_KINDS,
    applies_to=_PRIVATE,
    rationale=(
        "A private endpoint created with is_manual_connection = true stays Pending until the registry's "
        "owner approves the connection; until then no traffic flows and the pull fails. Terraform cannot "
        "show the approval, so the pull works only after a step outside this configuration."
    ),
    remediation=(
        "Have the registry's owner approve the connection (az acr private-endpoint-connection approve), or "
        "create the endpoint with is_manual_connection = false where you have rights on the registry."
    ),
    references=(sources.PRIVATE_ENDPOINT_APPROVAL, sources.ACR_PRIVATE_LINK),
    failing_example=examples.PP704_FAILING,
    fixed_example=examples.PP704_FIXED,
    detection=(
        "For a pull over a registry private endpoint that PP701 finds reachable: "
        "private_service_connection[0].is_manual_connection (azapi: manualPrivateLinkServiceConnections)."
    ),
)

RULES = (PP701, PP702, PP703, PP704)

#: Registries whose public endpoint a pull may reach: a closed one refuses it whatever the route.
_PUBLIC = (Posture.OPEN, Posture.FIREWALLED, Posture.UNKNOWN)
_NO_ENDPOINT = EndpointNetwork("", None)


def _key(registry: Registry, where: Where) -> tuple[Hashable, ...] | None:
    """Over a private endpoint of a restricted registry: the route to it, the same for every workload
    in the same VNets (and, for global peering, of the same kind); from a VNet subnet to a public
    endpoint: the egress route of those subnets."""
    place = where.place
    if where.way is Way.PRIVATE and registry.posture in RESTRICTED:
        group = where.kind is WorkloadKind.CONTAINER_GROUP
        return ("route", registry.address, place.vnets, place.untold, group)
    if where.way is Way.EGRESS and registry.posture in _PUBLIC:
        return ("egress", registry.address, place.subnets, bool(where.endpoints))
    return None


def _judge(pull: Pull, where: Where, key: tuple[Hashable, ...]) -> Step | None:
    if key[0] == "route":
        return judge_route(pull, where.endpoints)
    return judge_egress(pull, bool(where.endpoints))


LAYER = Layer(PP701, _key, _judge)


class _Connection(msgspec.Struct, frozen=True):
    """How one endpoint's VNet is connected to the workload's."""

    verdict: Verdict  # PASS connected, FAIL not, UNKNOWN the input cannot tell
    reason: str
    endpoint: EndpointNetwork
    evidence: tuple[Evidence, ...] = ()
    fix: str | None = None
    global_peering: bool | None = False


def judge_route(pull: Pull, endpoints: list[PrivateEndpoint]) -> Step:
    network = pull.model.network
    place = placement(pull)
    if place.untold or not place.vnets:
        return step(
            PP701,
            Verdict.UNKNOWN,
            f"the workload's VNet is not told by this input ({untold(place)}), so whether it reaches the "
            f"private endpoint of {pull.registry.label} is unknown",
            fix="Reference the workload's subnet and its VNet as resources or data sources of this input, "
            "or give the subnet's ID as a literal.",
        )
    nets = [network.endpoints.get(endpoint.address) or _named(endpoint) for endpoint in endpoints]
    local = [(vnet, net) for net in nets for vnet in place.vnets if net.vnet == vnet]
    pairs = local[:1] or [(vnet, net) for net in nets for vnet in place.vnets]  # the same VNet settles it
    connections = [_connection(network, vnet, net) for vnet, net in pairs]
    connected = [c for c in connections if c.verdict is Verdict.PASS]
    if connected:
        connected.sort(key=lambda c: (c.global_peering is not False, c.global_peering is None))
        best = connected[0]
        if pull.workload.kind is WorkloadKind.CONTAINER_GROUP and best.global_peering is not False:
            verdict = Verdict.FAIL if best.global_peering else Verdict.UNKNOWN
            reason = (
                f"{best.reason}, a global peering (the VNets are in different regions), which container "
                "groups do not support"
                if best.global_peering
                else f"{best.reason}, and whether the two VNets are in one region is known only after apply"
            )
            fix = None if best.global_peering else "Give both VNets a location the plan can show."
            return step(PP702, verdict, reason, *best.evidence, fix=fix)
        endpoint = best.endpoint
        if endpoint.manual is not False:
            pending = endpoint.manual is True
            return step(
                PP704,
                Verdict.WARN if pending else Verdict.UNKNOWN,
                f"{best.reason}, but the connection of {endpoint.address} "
                + (
                    "is manual: it stays Pending until the registry's owner approves it"
                    if pending
                    else "may be manual: is_manual_connection is known only after apply"
                ),
                *best.evidence,
                cited(endpoint, Cite.MANUAL_CONNECTION, "true" if pending else "(known after apply)"),
                fix=None
                if pending
                else f"Give is_manual_connection of {endpoint.address} a value the plan can show.",
            )
        return step(PP701, Verdict.PASS, best.reason, *best.evidence)
    for verdict in (Verdict.UNKNOWN, Verdict.FAIL):
        for connection in connections:
            if connection.verdict is verdict:
                return step(PP701, verdict, connection.reason, *connection.evidence, fix=connection.fix)
    raise AssertionError("a pull over a private endpoint has at least one endpoint")  # pragma: no cover


def _named(endpoint: PrivateEndpoint) -> EndpointNetwork:
    """An endpoint the network layer did not build (a model made without it): its VNet is untold."""
    return EndpointNetwork(endpoint.address, None, cite=endpoint.cite)


def _connection(network: Network, vnet: str, endpoint: EndpointNetwork) -> _Connection:
    """Whether ``endpoint`` is reachable from VNet ``vnet``: same VNet, peered both ways, or not."""
    shown = shown_key(vnet)
    if endpoint.vnet is None:
        return _Connection(
            Verdict.UNKNOWN,
            f"the VNet of private endpoint {endpoint.address} is not told by this input",
            endpoint,
            fix=f"Reference the subnet of {endpoint.address} as a resource or data source, or give its ID "
            "as a literal.",
        )
    other = shown_key(endpoint.vnet)
    if endpoint.vnet == vnet:
        return _Connection(
            Verdict.PASS, f"private endpoint {endpoint.address} is in the workload's VNet {shown}", endpoint
        )
    index = network.index
    there = index.peerings.get((vnet, endpoint.vnet), [])
    back = index.peerings.get((endpoint.vnet, vnet), [])
    evidence = tuple(cited(p, Cite.PEERING_REMOTE) for p in (*there, *back))
    if there and back:
        closed = [p for p in (*there, *back) if p.allow_access is False]
        if closed:
            return _Connection(
                Verdict.FAIL,
                f"peering {closed[0].address} between {shown} and {other} disallows virtual network access",
                endpoint,
                (*evidence, cited(closed[0], Cite.PEERING_ACCESS, "false")),
                f"Set allow_virtual_network_access = true on {closed[0].address}.",
            )
        if any(p.allow_access is None for p in (*there, *back)):
            return _Connection(
                Verdict.UNKNOWN,
                f"whether the peering between {shown} and {other} allows virtual network access is known "
                "only after apply",
                endpoint,
                evidence,
                "Give allow_virtual_network_access of both peerings a value the plan can show.",
            )
        regions = [network.vnets[v].region if v in network.vnets else None for v in (vnet, endpoint.vnet)]
        global_peering = None if None in regions else regions[0] != regions[1]
        return _Connection(
            Verdict.PASS,
            f"private endpoint {endpoint.address} is in VNet {other}, peered both ways with the workload's "
            f"VNet {shown} ({there[0].address}, {back[0].address})",
            endpoint,
            evidence,
            global_peering=global_peering,
        )
    both_here = vnet in network.vnets and endpoint.vnet in network.vnets
    if there or back:
        present = (there or back)[0]
        missing = f"from {other} to {shown}" if there else f"from {shown} to {other}"
        verdict = Verdict.FAIL if both_here else Verdict.UNKNOWN
        reason = (
            f"the peering between {shown} and {other} has one direction only ({present.address}); the one "
            f"{missing} "
        )
        reason += "is missing, so no traffic flows" if both_here else "is not in this input"
        return _Connection(
            verdict,
            reason,
            endpoint,
            evidence,
            f"Add the azurerm_virtual_network_peering {missing}."
            if both_here
            else f"Confirm the peering {missing} exists (it lives with the other VNet's configuration).",
        )
    transit = _transit(network, vnet, endpoint.vnet)
    if transit or not both_here:
        why = (
            f"traffic may pass through {transit}, which this input does not show the route of"
            if transit
            else "one of them is outside this input"
        )
        return _Connection(
            Verdict.UNKNOWN,
            f"private endpoint {endpoint.address} is in VNet {other}, not peered directly with the "
            f"workload's VNet {shown}; {why}",
            endpoint,
            fix=f"Peer {shown} and {other} directly (both directions), or confirm the route between them.",
        )
    return _Connection(
        Verdict.FAIL,
        f"private endpoint {endpoint.address} is in VNet {other}, which is neither the workload's VNet "
        f"{shown} nor peered with it",
        endpoint,
        fix=f"Peer {shown} and {other} in both directions, or give the registry a private endpoint in "
        f"{shown}.",
    )


def _transit(network: Network, first: str, second: str) -> str | None:
    """A hub that may carry traffic between two VNets the input does not peer directly."""
    if first in network.hub_vnets and second in network.hub_vnets:
        return "a Virtual WAN hub"
    peers = network.index.peers
    for peering in (*peers.get(first, ()), *peers.get(second, ())):
        if peering.transit:
            return f"a hub ({peering.address} allows forwarded traffic or gateway transit)"
    return None


# --- egress firewall (PP703) ---

_BLOB_PROBE = "registrystorage.blob.core.windows.net"  # any account: ACR's storage account is not told


def judge_egress(pull: Pull, has_endpoint: bool) -> Step | None:
    """A public pull through a subnet whose default route leads to a virtual appliance; else None."""
    network = pull.model.network
    tables = [
        network.route_tables[network.subnet_routes[subnet]]
        for subnet in placement(pull).subnets
        if network.subnet_routes.get(subnet) in network.route_tables
    ]
    table = next(
        (t for t in tables if not t.known or (t.next_hop_type or "").lower() == "virtualappliance"), None
    )
    if table is None:
        return None
    hop = cited(table, Cite.NEXT_HOP, table.next_hop or "(known after apply)")
    if not table.known:
        return step(
            PP703,
            Verdict.UNKNOWN,
            f"the routes of {table.address} are known only after apply, so whether the pull leaves through "
            "an egress firewall is unknown",
            hop,
            fix=f"Give the routes of {table.address} values the plan can show.",
        )
    needed = _needed(pull, has_endpoint)
    firewall = network.firewalls.get(table.next_hop or "")
    if firewall is None:
        return step(
            PP703,
            Verdict.UNKNOWN,
            f"the subnet's default route ({table.address}) leads to {table.next_hop or 'an appliance'}, "
            f"which is no Azure Firewall of this input, so whether it admits {needed.shown} is unknown",
            hop,
            fix="Judge the configuration that defines the appliance together with this one, or confirm it "
            f"admits {needed.shown}, then waive this finding.",
        )
    rule_sets, missing_policy = _rule_sets(network, firewall)
    evidence = [
        hop,
        cited(firewall, Cite.FIREWALL_POLICY, shown_key(firewall.policy) if firewall.policy else None),
    ]
    if missing_policy or not rule_sets:
        where = (
            f"its policy {shown_key(missing_policy)} is not in this input"
            if missing_policy
            else "no rule collection for it is in this input"
        )
        return step(
            PP703,
            Verdict.UNKNOWN,
            f"the pull leaves through firewall {firewall.address}, and {where}, so whether it admits "
            f"{needed.shown} is unknown",
            *evidence,
            fix="Judge the configuration that holds the firewall's rules together with this one, or "
            f"confirm they admit {needed.shown}, then waive this finding.",
        )
    unknown = [rules for rules in rule_sets if rules.destinations is None]
    evidence += [cited(rules, Cite.RULE_DESTINATIONS) for rules in rule_sets]
    if unknown:
        return step(
            PP703,
            Verdict.UNKNOWN,
            f"the destinations of {unknown[0].address} are known only after apply",
            *evidence,
            fix=f"Give the rules of {unknown[0].address} destinations the plan can show.",
        )
    admitted = [d for rules in rule_sets for d in rules.destinations or ()]
    return _egress_verdict(pull, firewall, needed, admitted, evidence)


class _Needed(msgspec.Struct, frozen=True):
    login: str | None
    data: tuple[str, ...] | None  # the data endpoint FQDNs; None: regions untold
    dedicated: bool | None  # dedicated data endpoints; None: untold

    @property
    def shown(self) -> str:
        data = (
            ", ".join(self.data or ("<registry>.<region>.data.azurecr.io",))
            if self.dedicated
            else ("*.blob.core.windows.net" if self.dedicated is False else "its data endpoints")
        )
        return f"{self.login or 'the login server'} and {data}"


def _needed(pull: Pull, has_endpoint: bool) -> _Needed:
    registry = pull.registry
    network = pull.model.network.registries.get(registry.address)
    dedicated = True if has_endpoint else (network.data_endpoints if network else None)
    name = registry_name(registry)
    data: tuple[str, ...] | None = None
    if name and network and network.region and network.replicas is not None:
        regions = dict.fromkeys((network.region, *network.replicas))
        data = tuple(f"{name}.{region}.data.azurecr.io" for region in regions)
    return _Needed(login_fqdn(registry), data, dedicated)


def _rule_sets(network: Network, firewall: Firewall) -> tuple[list[FirewallRules], str | None]:
    """The rule sets a firewall applies (its policy's and base policies', or its classic collections),
    and a policy key outside the input when the chain reaches one."""
    index = network.index
    if not firewall.policy_set:
        return list(index.rules.get(firewall.address, ())), None
    found: list[FirewallRules] = []
    policy, seen = firewall.policy, set()
    while policy and policy not in seen:
        if policy not in network.policies:
            return found, policy
        seen.add(policy)
        found += index.rules.get(policy, ())
        policy = network.policies[policy]
    return found, None if firewall.policy else "(known after apply)"


def _admits(admitted: list[str], fqdn: str, tags: tuple[str, ...]) -> bool:
    for destination in admitted:
        if destination == "*" or destination == fqdn:
            return True
        if destination.startswith("tag:") and destination[4:].split(".")[0].lower() in tags:
            return True
        if destination.startswith("*") and fqdn.endswith(destination[1:].lstrip("*")):
            return True
    return False


_ACR_TAGS = ("azurecontainerregistry",)
_STORAGE_TAGS = ("storage",)


def _egress_verdict(
    pull: Pull, firewall: Firewall, needed: _Needed, admitted: list[str], evidence: list[Evidence]
) -> Step:
    where = f"firewall {firewall.address}"
    login = needed.login
    if login and not _admits(admitted, login, _ACR_TAGS):
        return step(
            PP703,
            Verdict.FAIL,
            f"the pull leaves through {where}, whose rules do not admit the login server {login}",
            *evidence,
            fix=f"Allow {needed.shown} in an application rule of {_rules_owner(firewall)}.",
        )
    any_data = f"{registry_name(pull.registry) or 'registry'}.anyregion.data.azurecr.io"
    data_ok = (
        all(_admits(admitted, fqdn, _ACR_TAGS) for fqdn in needed.data)
        if needed.data is not None
        else (_admits(admitted, any_data, _ACR_TAGS) or None)
    )
    blob_ok = _admits(admitted, _BLOB_PROBE, _STORAGE_TAGS) or (
        None if any(d.endswith(".blob.core.windows.net") for d in admitted) else False
    )
    ok = data_ok if needed.dedicated else blob_ok if needed.dedicated is False else _either(data_ok, blob_ok)
    if ok is True:
        return step(
            PP703,
            Verdict.PASS,
            f"the pull leaves through {where}, whose rules admit {needed.shown}",
            *evidence,
        )
    if ok is None:
        return step(
            PP703,
            Verdict.UNKNOWN,
            f"the pull leaves through {where}; whether its rules admit {needed.shown} is not told by this "
            "input",
            *evidence,
            fix=f"Allow {needed.shown} by name (or *.azurecr.io, *.blob.core.windows.net) in the firewall "
            "policy, so the plan shows it.",
        )
    missing = (
        ", ".join(f for f in needed.data or () if not _admits(admitted, f, _ACR_TAGS))
        or "<registry>.<region>.data.azurecr.io"
        if needed.dedicated
        else "*.blob.core.windows.net"
    )
    return step(
        PP703,
        Verdict.FAIL,
        f"the pull leaves through {where}, whose rules admit the login server {login} but not {missing}: "
        "the manifest downloads and the layers do not",
        *evidence,
        fix=f"Allow {missing} in an application rule of {_rules_owner(firewall)} (or *.azurecr.io, or a "
        "network rule to the AzureContainerRegistry and Storage service tags).",
    )


def _rules_owner(firewall: Firewall) -> str:
    return (
        f"firewall policy {shown_key(firewall.policy)}" if firewall.policy else f"firewall {firewall.address}"
    )


def _either(first: bool | None, second: bool | None) -> bool | None:
    """Data endpoints untold: the firewall passes when it admits both kinds, fails when neither."""
    if first is True and second is True:
        return True
    if first is False and second is False:
        return False
    return None
