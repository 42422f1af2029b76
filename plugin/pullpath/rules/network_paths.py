"""Which way a pull path crosses the network, for the name (PP6xx) and route (PP7xx) layers.

A pull goes over a registry private endpoint when the workload pulls from inside a VNet and the
registry has a private endpoint in the input; then where its name resolves and whether the
endpoint is reachable decide the pull. A pull that leaves a VNet subnet for the public endpoint
resolves the public name and takes the subnet's default route, which may lead through an egress
firewall. Everything else is judged by the workload families alone.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator

from pullpath.model import (
    CredentialKind,
    Finding,
    Model,
    Placement,
    Posture,
    PrivateEndpoint,
    Registry,
    Workload,
    WorkloadKind,
)
from pullpath.resolve import ACR_SUFFIXES, acr_name, credential_kind
from pullpath.rules.base import Rule
from pullpath.rules.placement import registry_endpoints
from pullpath.rules.pulls import Pull, combine, pull_paths

RESTRICTED = (Posture.CLOSED, Posture.FIREWALLED)


class Way(enum.Enum):
    PRIVATE = "private"  # from the workload's VNet to a registry private endpoint
    EGRESS = "egress"  # from a VNet subnet to the public endpoint, along the subnet's routes
    OTHER = "other"  # outside a VNet, or not routed through it: the families judge it


def way_of(model: Model, workload: Workload, registry: Registry) -> Way:
    """How ``workload`` reaches ``registry``.

    A container group pulls over a private endpoint only with an identity (a service principal
    cannot pull from a registry behind one); App Service only with the pull routed into its VNet;
    a container app from a VNet environment. Consumption-only Container Apps environments take
    no user-defined routes, so their egress is nobody's firewall.
    """
    if workload.kind is WorkloadKind.CONTAINER_GROUP:
        in_vnet = workload.in_vnet is True
        identity = credential_kind(workload.credentials, registry, model)[0] is CredentialKind.IDENTITY
        private = in_vnet and identity
    elif workload.kind is WorkloadKind.APP_SERVICE:
        in_vnet = private = workload.vnet_integration is True and workload.image_pull_routing is True
    elif workload.kind is WorkloadKind.CONTAINER_APP:
        in_vnet = private = workload.in_vnet is True
        if not registry_endpoints(model, registry):
            profiles = model.network.workload_profiles.get(workload.environment or "")
            in_vnet = in_vnet and profiles is not False
    else:
        return Way.OTHER
    if private and registry_endpoints(model, registry):
        return Way.PRIVATE
    return Way.EGRESS if in_vnet else Way.OTHER


Judge = Callable[[Pull, Way, list[PrivateEndpoint]], Finding | None]


def layer_findings(model: Model, rule: Rule, judge: Judge) -> Iterator[Finding]:
    """At most one finding per pull path from ``judge``, which says None where its layer has nothing.

    An image that may come from several registries gets one finding, UNKNOWN when they differ.
    """
    for workload in model.workloads:
        per_image: dict[str, list[Finding]] = {}
        for image, target in pull_paths(model, workload, rule):
            if isinstance(target, Finding):
                continue  # the workload families say the image's registry is untold
            pull = Pull(model, workload, image, target, [])
            finding = judge(pull, way_of(model, workload, target), registry_endpoints(model, target))
            if finding is not None:
                per_image.setdefault(image.attribute, []).append(finding)
        for findings in per_image.values():
            yield from combine(findings, rule)


def placement(pull: Pull) -> Placement:
    return pull.model.network.placements.get(pull.workload.address, Placement())


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
