"""Model objects for rule tests that feed the rules directly, with no reader or builder in between.

A rule test built on these fails only when the rule is wrong: a reader or builder bug shows up in
the reader and builder tests instead. Defaults describe the common case (a Premium registry closed
to the public, an app integrated with a VNet); each test overrides what it is about.
"""

from __future__ import annotations

from typing import Any

from msgspec.structs import replace

from pullpath.model import (
    Attributes,
    Cite,
    Cluster,
    Credential,
    CredentialKind,
    DnsZone,
    EndpointNetwork,
    Identities,
    Image,
    Model,
    Network,
    NodePool,
    Peering,
    Permission,
    Placement,
    PrivateEndpoint,
    Ref,
    Registry,
    RoleAssignment,
    RoleDefinition,
    UserIdentity,
    VirtualNetwork,
    Workload,
    WorkloadKind,
    ZoneLink,
)

ACR = "azurerm_container_registry.acr"
LOGIN = "contoso.azurecr.io"
PULL = "azurerm_user_assigned_identity.pull"
AKS = "azurerm_kubernetes_cluster.aks"
NODES = "azurerm_subnet.nodes"


def registry(address: str = ACR, **changes: Any) -> Registry:
    """A defined Premium registry with public network access off, unless ``changes`` say otherwise."""
    base = Registry(
        address=address,
        name=address.rsplit(".", 1)[-1],
        login_server=LOGIN if address == ACR else f"{address.rsplit('.', 1)[-1]}.azurecr.io",
        sku="Premium",
        public_network_access=False,
        default_action="Allow",
        ip_rules=(),
        service_endpoint_rules=0,
        bypass="AzureServices",
        id=f"/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/{address}",
    )
    return replace(base, **changes)


def image_from(
    reg: Registry, attribute: str = "site_config[0].application_stack[0].docker_image_name"
) -> Image:
    """An image whose expression references the registry's login server, as most configurations write it."""
    return Image(Ref(value=None, targets=(reg.address,), configured=True), attribute)


def endpoint(reg: Registry, address: str = "azurerm_private_endpoint.acr") -> PrivateEndpoint:
    return PrivateEndpoint(
        address=address,
        subnet=Ref(targets=("azurerm_subnet.endpoints",), configured=True),
        targets=Ref(targets=(reg.address,), configured=True),
        subresources=("registry",),
    )


def identity(address: str = PULL, **changes: Any) -> UserIdentity:
    """A user-assigned identity this input creates: its IDs are known only after apply."""
    return replace(UserIdentity(address, None, None, None), **changes)


def grant(
    principal: str = PULL,
    scope: str = ACR,
    role: str | None = "AcrPull",
    attribute: str = "principal_id",
    definition: str | None = None,
) -> RoleAssignment:
    """``role`` at ``scope`` for ``principal``'s ``attribute``, both referenced as a configuration would;
    ``definition``: the address of the role definition in the input its role expression references."""
    return RoleAssignment(
        address=f"azurerm_role_assignment.{principal.rsplit('.', 1)[-1]}",
        role=role,
        scope=Ref(targets=(scope,), configured=True),
        principal=Ref(targets=(principal,), configured=True),
        principal_attributes=(f"{principal}.{attribute}",),
        definition=definition,
    )


PULLER = "azurerm_role_definition.puller"
PULL_READ = "Microsoft.ContainerRegistry/registries/pull/read"


def role_definition(
    actions: tuple[str, ...] | None = (PULL_READ,),
    not_actions: tuple[str, ...] | None = (),
    data_actions: tuple[str, ...] | None = (),
    address: str = PULLER,
    **changes: Any,
) -> RoleDefinition:
    """A custom role "Registry Puller" this input defines, with one permissions entry (a list None:
    known only after apply)."""
    entry = Permission(actions, not_actions, data_actions)
    return replace(RoleDefinition(address, "Registry Puller", (entry,)), **changes)


def attached(*addresses: str) -> Identities:
    """An identity block attaching the user-assigned identities at ``addresses``."""
    return Identities(system=False, user=Ref(targets=addresses, configured=bool(addresses)))


def app(reg: Registry, address: str = "azurerm_linux_web_app.web", **changes: Any) -> Workload:
    """A Linux web app integrated with a VNet, routing its pull there, pulling from ``reg`` with the
    user-assigned identity :data:`PULL` (client ID), attached."""
    pulls_with = Ref(targets=(PULL,), configured=True)
    base = Workload(
        address=address,
        type="azurerm_linux_web_app",
        kind=WorkloadKind.APP_SERVICE,
        images=(image_from(reg),),
        credentials=(Credential(Ref(), CredentialKind.IDENTITY, "site_config[0]", identity=pulls_with),),
        identities=attached(PULL),
        in_vnet=True,
        vnet_integration=True,
        integration_subnet=Ref(targets=("azurerm_subnet.integration",), configured=True),
        image_pull_routing=True,
        pull_property=True,
    )
    return replace(base, **changes)


def cluster(address: str = AKS, images: tuple[Image, ...] = (), **changes: Any) -> Workload:
    """An AKS cluster with a system-assigned control plane and a kubelet identity AKS creates, its one
    node pool in :data:`NODES`, leaving through load balancer IPs AKS creates; ``changes`` go to its
    :class:`Cluster`, and ``images`` are what it runs (none: only the registries its grants attach)."""
    pool = node_pool(address)
    return Workload(
        address=address,
        type="azurerm_kubernetes_cluster",
        kind=WorkloadKind.AKS,
        images=images,
        identities=Identities(system=True),
        in_vnet=True,
        subnets=(pool.subnet,),
        cluster=replace(Cluster(node_pools=(pool,)), **changes),
        cite=Attributes("azurerm", {Cite.KUBELET_IDENTITY: "kubelet_identity[0].object_id"}),
    )


def node_pool(cluster_address: str = AKS, **changes: Any) -> NodePool:
    """The default node pool of :func:`cluster`, in :data:`NODES`."""
    pool = NodePool(
        cluster_address, "default_node_pool[0].vnet_subnet_id", Ref(targets=(NODES,), configured=True)
    )
    return replace(pool, **changes)


def deployment_image(reg: Registry, owner: str = "kubernetes_deployment_v1.app") -> Image:
    """A Kubernetes deployment's container image, its expression referencing the registry's login server."""
    path = "spec[0].template[0].spec[0].container[0].image"
    return Image(Ref(targets=(reg.address,), configured=True), f"{owner}.{path}", "app", owner=owner)


def cluster_grant(
    cluster_address: str = AKS,
    attribute: str = "kubelet_identity.object_id",
    scope: str = ACR,
    role: str | None = "AcrPull",
    address: str = "azurerm_role_assignment.kubelet",
) -> RoleAssignment:
    """``role`` at ``scope`` for the cluster's ``attribute`` (``identity.principal_id``: the control plane)."""
    return RoleAssignment(
        address=address,
        role=role,
        scope=Ref(targets=(scope,), configured=True),
        principal=Ref(targets=(cluster_address,), configured=True),
        principal_attributes=(
            f"{cluster_address}.{attribute}",
            f"{cluster_address}.{attribute.split('.')[0]}",
        ),
    )


def model(
    *objects: Registry | Workload | PrivateEndpoint | UserIdentity | RoleAssignment | RoleDefinition,
    **changes: Any,
) -> Model:
    """A model of the given registries, workloads, endpoints, identities, grants and role definitions,
    in the order given."""
    base = Model(
        registries=tuple(o for o in objects if isinstance(o, Registry)),
        private_endpoints=tuple(o for o in objects if isinstance(o, PrivateEndpoint)),
        subnets={},
        nat_gateways={},
        workloads=tuple(o for o in objects if isinstance(o, Workload)),
        identities=tuple(o for o in objects if isinstance(o, UserIdentity)),
        role_assignments=tuple(o for o in objects if isinstance(o, RoleAssignment)),
        role_definitions=tuple(o for o in objects if isinstance(o, RoleDefinition)),
    )
    return replace(base, **changes)


# The name and route layers. Keys are addresses, as the builders resolve every reference to one.
APP_VNET = "azurerm_virtual_network.app"
HUB_VNET = "azurerm_virtual_network.hub"
ZONE = "azurerm_private_dns_zone.acr"
ENDPOINT = "azurerm_private_endpoint.acr"


def group(reg: Registry, address: str = "azurerm_container_group.app", **changes: Any) -> Workload:
    """A container group in a VNet subnet pulling ``reg``'s image with a user-assigned identity."""
    base = Workload(
        address=address,
        type="azurerm_container_group",
        kind=WorkloadKind.CONTAINER_GROUP,
        images=(image_from(reg, "container[0].image"),),
        credentials=(
            Credential(
                Ref(targets=(reg.address,), configured=True),
                CredentialKind.IDENTITY,
                "image_registry_credential[0]",
            ),
        ),
        in_vnet=True,
        subnets=(Ref(targets=("azurerm_subnet.aci",), configured=True),),
    )
    return replace(base, **changes)


def container_app(reg: Registry, address: str = "azurerm_container_app.app", **changes: Any) -> Workload:
    """A container app in a VNet environment (``azurerm_container_app_environment.env``)."""
    base = Workload(
        address=address,
        type="azurerm_container_app",
        kind=WorkloadKind.CONTAINER_APP,
        images=(image_from(reg, "template[0].container[0].image"),),
        credentials=(
            Credential(Ref(targets=(reg.address,), configured=True), CredentialKind.IDENTITY, "registry[0]"),
        ),
        in_vnet=True,
        subnets=(Ref(targets=("azurerm_subnet.apps",), configured=True),),
        environment="azurerm_container_app_environment.env",
    )
    return replace(base, **changes)


def vnet(address: str = APP_VNET, **changes: Any) -> VirtualNetwork:
    """A West Europe VNet on Azure-provided DNS."""
    return replace(VirtualNetwork(address, region="westeurope"), **changes)


def peered(first: str, second: str, **changes: Any) -> tuple[Peering, Peering]:
    """A peering in both directions (the first one with ``changes``)."""
    name = lambda a, b: f"azurerm_virtual_network_peering.{a.rsplit('.', 1)[-1]}_to_{b.rsplit('.', 1)[-1]}"  # noqa: E731
    return (
        replace(Peering(name(first, second), first, second), **changes),
        Peering(name(second, first), second, first),
    )


def link(vnet_key: str, zone: str = ZONE, address: str | None = None) -> ZoneLink:
    return ZoneLink(
        address or f"azurerm_private_dns_zone_virtual_network_link.{vnet_key.rsplit('.', 1)[-1]}",
        zone,
        vnet_key,
    )


def network(
    *vnets: VirtualNetwork,
    endpoint_vnet: str | None = APP_VNET,
    zones: tuple[str, ...] | None = (ZONE,),
    manual: bool | None = False,
    placements: dict[str, Placement] | None = None,
    zone_objects: tuple[DnsZone, ...] = (DnsZone(ZONE, "privatelink.azurecr.io"),),
    **changes: Any,
) -> Network:
    """A network where the registry's endpoint (``ENDPOINT``) writes to ``zones`` from ``endpoint_vnet``.

    ``placements`` default to every test workload in ``APP_VNET``.
    """
    everywhere = Placement(("azurerm_subnet.workload",), (APP_VNET,))
    base = Network(
        vnets={v.address: v for v in (vnets or (vnet(),))},
        zones={z.address: z for z in zone_objects},
        endpoints={ENDPOINT: EndpointNetwork(ENDPOINT, endpoint_vnet, zones, manual)},
        placements=placements
        or {
            address: everywhere
            for address in (
                "azurerm_container_group.app",
                "azurerm_container_app.app",
                "azurerm_linux_web_app.web",
            )
        },
    )
    return replace(base, **changes)


def private_model(workload: Workload, reg: Registry, net: Network, *more: Any, **changes: Any) -> Model:
    """A model of one workload pulling over ``reg``'s private endpoint, with the network ``net``."""
    return model(reg, endpoint(reg, ENDPOINT), workload, *more, network=net, **changes)
