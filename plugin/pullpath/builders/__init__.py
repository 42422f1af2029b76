"""Turn reader output (:class:`Resource` records) into the :class:`Model` the rules read.

Readers only say what is set, what is unknown and what references what; builders know one dialect
each (azurerm attribute names in :mod:`.azurerm`, ARM paths of azapi bodies in :mod:`.azapi`), and
the rules see only the model. Every builder is registered by the kind it reads
(:func:`~pullpath.builders.values.kind_of`) in its dialect's ``BUILDERS`` table, so adding a
resource type or a dialect is one module and its registration here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pullpath.builders import aks, azapi, azurerm, identities, roles
from pullpath.builders.context import Builder, Context, Role
from pullpath.builders.networks import build_network
from pullpath.builders.settings import provider_settings, workspace_unknown
from pullpath.model import Model, NatGateway, Resource, Subnet, Workload
from pullpath.resource_types import AZAPI_TYPES
from pullpath.sensitive import of_resources

BUILDERS: dict[str, Builder] = {
    **azurerm.BUILDERS,
    **azapi.BUILDERS,
    **identities.BUILDERS,
    **roles.BUILDERS,
    **aks.BUILDERS,
}
NETWORKS = (*azurerm.NETWORKS, *azapi.NETWORKS)
#: The roles whose results the model lists.
_LISTED = (
    Role.WORKLOAD,
    Role.REGISTRY,
    Role.PRIVATE_ENDPOINT,
    Role.IDENTITY,
    Role.GRANT,
    Role.ROLE_DEFINITION,
    Role.ML_WORKSPACE,
)


def build_model(resources: Sequence[Resource], source: str = "") -> Model:
    context = Context(resources, BUILDERS)
    built: dict[Role, list[Any]] = {role: [] for role in _LISTED}
    for kind, members in context.of_kind.items():
        builder = BUILDERS.get(kind)
        if builder is None or builder.role not in _LISTED:
            continue
        for resource in members:
            if builder.role in (Role.WORKLOAD, Role.ML_WORKSPACE) and resource.is_data:
                continue  # a data source reads a workload that pulls elsewhere
            built[builder.role].append(context.built(resource))
    workloads: list[Workload] = built[Role.WORKLOAD]
    subnets: dict[str, Subnet] = {}
    nat_gateways: dict[str, NatGateway] = {}
    for network in NETWORKS:
        found_subnets, found_gateways = network(context)
        subnets.update(found_subnets)
        nat_gateways.update(found_gateways)
    return Model(
        registries=tuple(built[Role.REGISTRY]),
        private_endpoints=tuple(built[Role.PRIVATE_ENDPOINT]),
        subnets=subnets,
        nat_gateways=nat_gateways,
        workloads=tuple(sorted(workloads, key=lambda w: w.address)),
        source=source,
        addresses=frozenset(context.index.by_address),
        sensitive=of_resources(resources),
        warnings=tuple(dict.fromkeys(_untyped(context) + aks.warnings(context))),
        identities=tuple(built[Role.IDENTITY]),
        role_assignments=tuple(built[Role.GRANT]),
        role_definitions=tuple(built[Role.ROLE_DEFINITION]),
        ml_workspaces=tuple(built[Role.ML_WORKSPACE]),
        settings=provider_settings(context),
        workspace_unknown=workspace_unknown(resources),
        network=build_network(context, workloads, subnets),
    )


def _untyped(context: Context) -> list[str]:
    """azapi resources whose ``type`` does not tell what they are: one warning each, never silence.

    One of them may be a workload or a registry; its pull paths then go unjudged, and the user
    should know (a type from a variable nobody set, say).
    """
    return [
        f"{resource.address}: its type is known only after apply or not a string, so pullpath cannot "
        "tell what it is; a pull it makes is not judged (set the type as a literal or a known variable)"
        for kind in AZAPI_TYPES
        for resource in context.of_kind.get(kind, ())
        if not resource.is_data
    ]
