"""The public route: a pull from a firewalled registry that no private path carries.

Such a pull reaches the registry's public endpoint from the workload's outbound address, so it is
judged by the registry's IP rules: covered PASS, outside FAIL, not known at plan time WARN.
"""

from __future__ import annotations

import ipaddress

import msgspec

from pullpath.model import (
    Cite,
    Evidence,
    Finding,
    Model,
    Ref,
    Registry,
    Verdict,
    Workload,
    WorkloadKind,
    cited,
)
from pullpath.rules.base import Rule
from pullpath.rules.placement import subnet_addresses
from pullpath.rules.pulls import Pull
from pullpath.rules.service_endpoints import PP105, service_endpoint_only


class RouteVerdict(msgspec.Struct, frozen=True):
    verdict: Verdict
    reason: str
    evidence: tuple[Evidence, ...]
    fix: str | None = None  # None: the rule's own remediation is the fix


def public_route_finding(
    pull: Pull, rule: Rule, via_subnets: tuple[Ref, ...] = (), fix: str | None = None
) -> Finding:
    """The finding for a pull that takes the public route, under ``rule`` (or PP105).

    ``fix`` is the caller's remedy where the route itself suggests none (no IP rule at all, or no
    stable outbound address); else the rule's remediation.
    """
    registry = pull.registry
    if service_endpoint_only(registry):
        return pull.finding(
            PP105,
            Verdict.FAIL,
            f"registry {registry.label} admits networks only through service-endpoint rules, which only AKS "
            "and virtual machines can use",
            cited(registry, Cite.SERVICE_ENDPOINT_RULES),
        )
    route = judge_public_route(pull.model, pull.workload, registry, via_subnets)
    return pull.finding(rule, route.verdict, route.reason, *route.evidence, fix=route.fix or fix)


def judge_public_route(
    model: Model, workload: Workload, registry: Registry, via_subnets: tuple[Ref, ...] = ()
) -> RouteVerdict:
    rules = registry.ip_rules
    base = [cited(registry, Cite.DEFAULT_ACTION, "Deny")]
    if workload.kind is WorkloadKind.APP_SERVICE and not via_subnets:
        customer = customer_only(model, registry)
        if customer:  # App Service's shared outbound addresses are never the customer's NAT IP
            return RouteVerdict(
                Verdict.FAIL,
                f"registry {registry.label} admits only {', '.join(customer)}, and an App Service pull not "
                "routed into the VNet leaves from App Service's shared outbound addresses, never from a "
                "customer NAT gateway or subnet",
                (*base, cited(registry, Cite.IP_RULES, ", ".join(customer))),
            )
    if rules is None:
        return RouteVerdict(
            Verdict.UNKNOWN,
            f"registry {registry.label} is firewalled and its IP rules are known only after apply",
            tuple(base),
            f"Give the IP rules of {registry.label} values the plan can show (literal ranges, or a variable "
            "with a value).",
        )
    base.append(cited(registry, Cite.IP_RULES, ", ".join(rules) or "none"))
    if not rules:
        return RouteVerdict(
            Verdict.FAIL,
            f"registry {registry.label} denies public access by default and has no IP rule, so no public "
            "address is admitted",
            tuple(base),
        )
    addresses, where, evidence = _outbound(model, workload, via_subnets)
    base += evidence
    if addresses is None:
        through_subnet = bool(via_subnets) or workload.kind is WorkloadKind.CONTAINER_GROUP
        fix = (_NAT_OR_PRIVATE if through_subnet else _APP_ADDRESSES_OR_PRIVATE).format(
            registry.label, workload.cite(Cite.OUTBOUND_IPS)
        )
        return RouteVerdict(Verdict.WARN, where, tuple(base), fix)
    if not addresses:
        return RouteVerdict(Verdict.FAIL, where, tuple(base))
    if any(address is None for address in addresses):
        return RouteVerdict(
            Verdict.WARN,
            f"the pull leaves through {where}, whose address is known only after apply",
            tuple(base),
            f"Allow the public address of {where} in an IP rule of {registry.label} (reference it, so the "
            "rule follows the address), or pull over a private endpoint.",
        )
    outside = [a for a in addresses if a is not None and not _covered(a, rules)]
    if not outside:
        return RouteVerdict(
            Verdict.PASS,
            f"the outbound address of {where} is inside an IP rule of {registry.label}",
            tuple(base),
        )
    verdict = Verdict.FAIL if len(outside) == len(addresses) else Verdict.WARN
    shown = ", ".join(a for a in outside if a)
    return RouteVerdict(
        verdict,
        f"the pull leaves through {where} from {shown}, which no IP rule of {registry.label} admits",
        tuple(base),
        f"Add an IP rule for {shown} to {registry.label}, or pull over a private endpoint.",
    )


_NAT_OR_PRIVATE = (
    "Give the workload's subnet a NAT gateway and allow its public IP in an IP rule of {0}, or pull over a "
    "private endpoint."
)
_APP_ADDRESSES_OR_PRIVATE = (
    "Allow the app's outbound addresses ({1}) in the IP rules of {0}, or route the image pull through the "
    "VNet to a private endpoint."
)


def _outbound(
    model: Model, workload: Workload, via_subnets: tuple[Ref, ...]
) -> tuple[list[str | None] | None, str, list[Evidence]]:
    """Known outbound addresses ([] = none stable), or None with the reason they are not known."""
    if via_subnets or workload.kind is WorkloadKind.CONTAINER_GROUP:
        if not via_subnets and not workload.in_vnet:
            return (
                [],
                "a container group outside a VNet has no stable outbound address to allow in the registry "
                "firewall",
                [cited(workload, Cite.SUBNET, "not set")],
            )
        nats = [
            model.subnets[s].nat_gateway for s in subnet_addresses(model, via_subnets or workload.subnets)
        ]
        gateways = [model.nat_gateways[n] for n in nats if n and n in model.nat_gateways]
        if not gateways:
            return (
                None,
                "the workload's subnet has no NAT gateway in this configuration, so its outbound "
                "address is not known at plan time",
                [],
            )
        ips = [ip for gateway in gateways for ip in gateway.public_ips]
        names = ", ".join(gateway.address for gateway in gateways)
        return (
            ips,
            f"NAT gateway {names}",
            [cited(g, Cite.NAT_PUBLIC_IP) for g in gateways],
        )
    if workload.outbound_ips is None:
        return (
            None,
            f"the app's outbound addresses ({workload.cite(Cite.OUTBOUND_IPS)}) are known only after apply",
            [cited(workload, Cite.OUTBOUND_IPS, "(known after apply)")],
        )
    return (
        list(workload.outbound_ips),
        "the app's outbound addresses",
        [cited(workload, Cite.OUTBOUND_IPS, ", ".join(workload.outbound_ips))],
    )


def customer_only(model: Model, registry: Registry) -> list[str] | None:
    """What a registry firewall admits, when all of it is the customer's own network: public IPs of
    NAT gateways in this input, private ranges, or subnets (service-endpoint rules).

    None when it admits anything else, or nothing, or its rules are not known at plan time. An IP
    rule known only after apply counts when its expression references a NAT gateway's public IP.
    """
    known = model.network.registries.get(registry.address)
    if known is not None and known.ip_rules is not None:
        rules = known.ip_rules
    elif registry.ip_rules is not None:
        rules = tuple(Ref(value=rule) for rule in registry.ip_rules)
    else:
        return None
    nat_ips = model.network.nat_ips
    shown: list[str] = []
    for rule in rules:
        nat = next((nat_ips[target] for target in rule.targets if target in nat_ips), None)
        if nat is None and rule.value:
            text = rule.value.strip()
            nat = nat_ips.get(text) or nat_ips.get(text.removesuffix("/32"))
        if nat is not None:
            shown.append(f"{rule.value or 'the public IP'} of NAT gateway {nat}")
        elif rule.value and _private(rule.value):
            shown.append(f"{rule.value} (a private range)")
        else:
            return None
    if registry.service_endpoint_rules:
        shown.append(f"{registry.service_endpoint_rules} subnet (service endpoint) rule(s)")
    return shown or None


#: Address ranges no public egress comes from: a registry IP rule of one admits only the customer's
#: own network (RFC 1918, shared address space, unique local). Documentation ranges are public here.
_CUSTOMER_RANGES = tuple(
    ipaddress.ip_network(network)
    for network in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)


def _private(address: str) -> bool:
    try:
        network = ipaddress.ip_network(address.strip(), strict=False)
    except ValueError:
        return False
    return any(
        network.version == private.version and network.subnet_of(private)  # type: ignore[arg-type]
        for private in _CUSTOMER_RANGES
    )


def _covered(address: str, rules: tuple[str, ...]) -> bool:
    try:
        network = ipaddress.ip_network(address.strip(), strict=False)
    except ValueError:
        return False
    for rule in rules:
        try:
            allowed = ipaddress.ip_network(rule.strip(), strict=False)
        except ValueError:
            continue
        # the equal versions make both IPv4 or both IPv6, which the stubs' union cannot follow
        if network.version == allowed.version and network.subnet_of(allowed):  # type: ignore[arg-type]
            return True
    return False


def outside_rules(addresses: list[str], rules: tuple[str, ...]) -> list[str]:
    """The addresses no IP rule admits, for workloads whose egress their own family works out (AKS)."""
    return [address for address in addresses if not _covered(address, rules)]
