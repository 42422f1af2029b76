"""Which way a pull path crosses the network, for the name (PP6xx) and route (PP7xx) layers.

A pull goes over a registry private endpoint when the workload pulls from inside a VNet and the
registry has a private endpoint in the input; then where its name resolves and whether the
endpoint is reachable decide the pull. A pull that leaves a VNet subnet for the public endpoint
resolves the public name and takes the subnet's default route, which may lead through an egress
firewall. Everything else is judged by the workload families alone.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import NamedTuple

import msgspec

from pullpath.model import (
    CredentialKind,
    Evidence,
    Finding,
    Model,
    Placement,
    Posture,
    PrivateEndpoint,
    Registry,
    Verdict,
    Workload,
    WorkloadKind,
)
from pullpath.resolve import ACR_SUFFIXES, acr_name, credential_kind
from pullpath.rules.base import Rule
from pullpath.rules.placement import registry_endpoints
from pullpath.rules.pulls import Pull, combine, pull_paths

RESTRICTED = (Posture.CLOSED, Posture.FIREWALLED)


_NOWHERE = Placement()


class Way(enum.Enum):
    PRIVATE = "private"  # from the workload's VNet to a registry private endpoint
    EGRESS = "egress"  # from a VNet subnet to the public endpoint, along the subnet's routes
    OTHER = "other"  # outside a VNet, or not routed through it: the families judge it


def way_of(model: Model, workload: Workload, registry: Registry, endpoints: list[PrivateEndpoint]) -> Way:
    """How ``workload`` reaches ``registry``.

    A container group pulls over a private endpoint only with an identity (a service principal
    cannot pull from a registry behind one); App Service only with the pull routed into its VNet;
    a container app from a VNet environment; an AKS cluster from node pools in a VNet.
    Consumption-only Container Apps environments take no user-defined routes, so their egress is
    nobody's firewall.
    """
    if workload.kind is WorkloadKind.CONTAINER_GROUP:
        in_vnet = workload.in_vnet is True
        identity = credential_kind(workload.credentials, registry, model)[0] is CredentialKind.IDENTITY
        private = in_vnet and identity
    elif workload.kind is WorkloadKind.APP_SERVICE:
        in_vnet = private = workload.vnet_integration is True and workload.image_pull_routing is True
    elif workload.kind is WorkloadKind.CONTAINER_APP:
        in_vnet = private = workload.in_vnet is True
        if not endpoints:
            profiles = model.network.workload_profiles.get(workload.environment or "")
            in_vnet = in_vnet and profiles is not False
    elif workload.kind is WorkloadKind.AKS:
        in_vnet = private = bool(workload.subnets)  # node pools with vnet_subnet_id resolve and route there
    else:
        return Way.OTHER
    if private and endpoints:
        return Way.PRIVATE
    return Way.EGRESS if in_vnet else Way.OTHER


class Step(msgspec.Struct, frozen=True):
    """A layer's judgement of a pull path, before it becomes a finding on one workload.

    It depends on the registry and where the workload sits, not on the workload itself, so pull
    paths that share both (the layer's ``key``) share one step and its strings.
    """

    rule: Rule
    verdict: Verdict
    reason: str
    evidence: tuple[Evidence, ...] = ()
    fix: str | None = None


def step(rule: Rule, verdict: Verdict, reason: str, *evidence: Evidence, fix: str | None = None) -> Step:
    return Step(rule, verdict, reason, evidence, fix)


class Where(NamedTuple):
    """What a layer's key may depend on: the pull's way, the workload's place and kind.

    A tuple rather than a frozen dataclass: one is made per pull path, and a tuple is cheaper.
    """

    way: Way
    place: Placement
    kind: WorkloadKind
    endpoints: list[PrivateEndpoint]


class Layer(msgspec.Struct, frozen=True):
    """One layer: ``key`` says which pull paths share a step (None: nothing to say about this one),
    ``judge`` works the step out once per key and model."""

    rule: Rule  # the layer's first rule, under which differing registries of one image combine
    key: Callable[[Registry, Where], tuple[Hashable, ...] | None]
    judge: Callable[[Pull, Where, tuple[Hashable, ...]], Step | None]


def layer_findings(model: Model, layers: Sequence[Layer]) -> Iterator[Finding]:
    """Each layer's finding (at most one) on every pull path, in one walk over the pull paths.

    An image that may come from several registries gets one finding per layer, UNKNOWN when
    they differ. Steps are kept per model (``model.index.memo``): an inventory makes a new model.
    """
    memo = model.index.memo
    endpoints_of: dict[str, list[PrivateEndpoint]] = {}
    placements = model.network.placements
    for workload in model.workloads:
        per_image: dict[tuple[str, Rule], list[Finding]] | None = None
        place = placements.get(workload.address, _NOWHERE)
        for image, target in pull_paths(model, workload, layers[0].rule):
            if isinstance(target, Finding):
                continue  # the workload families say the image's registry is untold
            endpoints = endpoints_of.get(target.address)
            if endpoints is None:
                endpoints = endpoints_of[target.address] = registry_endpoints(model, target)
            way = way_of(model, workload, target, endpoints)
            if way is Way.OTHER:
                continue  # neither layer has anything to say: the families judge it
            where = Where(way, place, workload.kind, endpoints)
            for layer in layers:
                key = layer.key(target, where)
                if key is None:
                    continue
                if key in memo:
                    found: Step | None = memo[key]
                else:
                    found = memo[key] = layer.judge(Pull(model, workload, image, target, []), where, key)
                if found is None:
                    continue
                finding = found.rule.finding(  # the step's strings and evidence shared by its findings
                    found.verdict, workload, image, target, found.reason, found.evidence, fix=found.fix
                )
                per_image = {} if per_image is None else per_image
                per_image.setdefault((image.attribute, layer.rule), []).append(finding)
        for (_, rule), findings in (per_image or {}).items():
            if len(findings) == 1:
                yield findings[0]
            else:
                yield from combine(findings, rule)


def placement(pull: Pull) -> Placement:
    """Where the workload sits; no placement when it names no subnet."""
    return pull.model.network.placements.get(pull.workload.address, _NOWHERE)


def untold(place: Placement) -> str:
    """Why the workload's VNet is not told, for a reason: the subnet as written, or none named."""
    return f"subnet {', '.join(place.untold)}" if place.untold else "it names no subnet this input has"


def nearest(pull: Pull, endpoints: list[PrivateEndpoint]) -> list[PrivateEndpoint]:
    """The endpoints in the workload's own VNets, which findings name; all of them when none is."""
    network = pull.model.network
    vnets = placement(pull).vnets
    own = [
        e for e in endpoints if e.address in network.endpoints and network.endpoints[e.address].vnet in vnets
    ]
    return own or endpoints


def zone_name(registry: Registry) -> str:
    """The private DNS zone of the registry's cloud: ``privatelink.azurecr.io`` (or ``.cn``, ``.us``)."""
    login = (registry.login_server or "").lower()
    suffix = next((suffix for suffix in ACR_SUFFIXES if login.endswith(suffix)), ACR_SUFFIXES[0])
    return "privatelink" + suffix


def registry_name(registry: Registry) -> str | None:
    return (registry.name or acr_name(registry.login_server) or "").lower() or None


def login_fqdn(registry: Registry) -> str | None:
    name = registry_name(registry)
    if registry.login_server:
        return registry.login_server.lower()
    return f"{name}{ACR_SUFFIXES[0]}" if name else None
