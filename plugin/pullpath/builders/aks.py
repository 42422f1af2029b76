"""AKS in both dialects: a cluster is a workload whose nodes pull, with its kubelet identity.

An ``azurerm_kubernetes_cluster`` (with its ``azurerm_kubernetes_cluster_node_pool`` resources) or an
azapi ``Microsoft.ContainerService/managedClusters`` (with its ``agentPools``) becomes one
:class:`~pullpath.model.Workload` of kind AKS. Its :class:`~pullpath.model.Cluster` says what the nodes
pull with (a user-assigned kubelet identity, or one AKS creates), where they sit (each node pool's
subnet) and where they leave from (the outbound type and the load balancer's named outbound IPs).

Its images are the ones the Kubernetes workloads and Helm releases of the input name, tied to the
cluster their provider configuration references (the readers record those references under the
``("provider",)`` path). An image whose provider names no cluster is tied to the only cluster of the
input, saying so; with several clusters it may run on any of them, which the rules call UNKNOWN.
Registries a pull-role grant attaches to the kubelet are pull paths too; the rules add them
(:mod:`pullpath.rules.kubelet`), as grant matching is theirs.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from msgspec.structs import replace

from pullpath import resource_types as rt
from pullpath.addresses import config_address, split_address
from pullpath.builders.context import Builder, Context, Role
from pullpath.builders.identities import attached
from pullpath.builders.values import (
    attr,
    blocks,
    decoded_body,
    get,
    kind_of,
    nearest_refs,
    ref_of,
    text,
    tristate,
)
from pullpath.model import (
    UNKNOWN,
    Attributes,
    AttrPath,
    Cite,
    Cluster,
    Image,
    NodePool,
    Ref,
    Resource,
    Workload,
    WorkloadKind,
)
from pullpath.resolve import acr_name, image_host

CLUSTER_ATTRIBUTES = Attributes(
    "azurerm",
    {
        Cite.KUBELET_IDENTITY: "kubelet_identity[0].object_id",
        Cite.CONTROL_PLANE_IDENTITY: "identity[0].principal_id",
        Cite.IDENTITY: "identity",
        Cite.OUTBOUND_TYPE: "network_profile[0].outbound_type",
        Cite.LOAD_BALANCER_OUTBOUND: "network_profile[0].load_balancer_profile[0]",
        Cite.LOCATION: "location",
    },
)
AZAPI_CLUSTER_ATTRIBUTES = Attributes(
    "azapi",
    {
        Cite.KUBELET_IDENTITY: "output.properties.identityProfile.kubeletidentity.objectId",
        Cite.CONTROL_PLANE_IDENTITY: "identity[0].principal_id",
        Cite.IDENTITY: "identity",
        Cite.OUTBOUND_TYPE: "body.properties.networkProfile.outboundType",
        Cite.LOAD_BALANCER_OUTBOUND: "body.properties.networkProfile.loadBalancerProfile",
        Cite.LOCATION: "location",
    },
)

_BODY: AttrPath = ("body", "properties")
_NODE_PUBLIC_IP = ("node_public_ip_enabled", "enable_node_public_ip")  # azurerm 4.x, 3.x
_NETWORK: AttrPath = ("network_profile", 0)
_BALANCER: AttrPath = (*_NETWORK, "load_balancer_profile", 0)


def _configured(resource: Resource, path: AttrPath) -> Ref:
    """``ref_of``, except that a value a plan computes (unknown) where the configuration sets nothing is
    not set: a kubelet identity AKS creates, a subnet AKS creates, the default outbound type."""
    ref = ref_of(resource, path)
    if ref.value is None and not ref.targets and resource.refs and resource.refs_at(path) is None:
        return Ref()
    return ref


def _cluster(resource: Resource, context: Context) -> Workload:
    values = resource.values
    outbound = _configured(resource, (*_NETWORK, "outbound_type"))
    pools = (
        _pool(resource, ("default_node_pool", 0), "default_node_pool[0].vnet_subnet_id"),
        *context.once(_node_pools).get(resource.address, ()),
    )
    balancer_ips = _named_ips(
        context,
        [
            _Named(get(values, *path), resource.refs_at(path) or ())
            for path in ((*_BALANCER, "outbound_ip_address_ids"), (*_BALANCER, "outbound_ip_prefix_ids"))
            if _configured(resource, path).is_set is not False
        ],
    )
    cluster = Cluster(
        kubelet=_configured(resource, ("kubelet_identity", 0, "user_assigned_identity_id")),
        kubelet_object_id=text(get(values, "kubelet_identity", 0, "object_id")),
        service_principal=bool(blocks(get(values, "service_principal"))),
        node_pools=pools,
        outbound_type=outbound.value or ("loadBalancer" if outbound.is_set is False else None),
        load_balancer_ips=balancer_ips,
        private_cluster=tristate(get(values, "private_cluster_enabled"), default=False),
    )
    return _workload(resource, context, cluster, CLUSTER_ATTRIBUTES)


def _pool(resource: Resource, base: AttrPath, attribute: str) -> NodePool:
    """One azurerm node pool (the cluster's default one, or a node pool resource) at ``base``."""
    public = [tristate(get(resource.values, *base, key)) for key in _NODE_PUBLIC_IP]
    return NodePool(
        address=resource.address,
        attribute=attribute,
        subnet=_configured(resource, (*base, "vnet_subnet_id")),
        public_ips=True if True in public else (None if get(resource.values, *base) is UNKNOWN else False),
    )


def _node_pools(context: Context) -> dict[str, tuple[NodePool, ...]]:
    """Node pool resources of either dialect by the cluster they belong to, in input order."""
    found: dict[str, list[NodePool]] = {}
    for resource in context.kinds(rt.KUBERNETES_NODE_POOL):
        if resource.is_data:
            continue  # reads a pool another configuration defines, of a cluster it defines too
        pool = _pool(resource, (), "vnet_subnet_id")
        for cluster in context.index.follow(ref_of(resource, ("kubernetes_cluster_id",)), rt.AKS_KINDS):
            found.setdefault(cluster.address, []).append(pool)
    for resource in context.kinds(rt.azapi_kind(rt.ARM_AGENT_POOL)):
        body = _Body(resource)
        pool = NodePool(
            address=resource.address,
            attribute="body.properties.vnetSubnetID" if not body.unknown else "body",
            subnet=_subnet_only(
                context, body.ref((*_BODY, "vnetSubnetID") if not body.unknown else ("body",))
            ),
            public_ips=None if body.unknown else tristate(body.get((*_BODY, "enableNodePublicIP")), False),
        )
        for cluster in context.index.follow(ref_of(resource, ("parent_id",)), rt.AKS_KINDS):
            found.setdefault(cluster.address, []).append(pool)
    return {address: tuple(pools) for address, pools in found.items()}


def _azapi_cluster(resource: Resource, context: Context) -> Workload:
    body = _Body(resource)
    network = (*_BODY, "networkProfile")
    balancer = (*network, "loadBalancerProfile")
    if body.unknown:  # which pools, identity and egress: all known only after apply
        cluster = Cluster(
            kubelet=Ref(configured=True),
            node_pools=(
                NodePool(resource.address, "body", _subnet_only(context, body.ref(("body",))), None),
            ),
            outbound_type=None,
        )
        return _workload(resource, context, cluster, AZAPI_CLUSTER_ATTRIBUTES)
    profiles = body.get((*_BODY, "agentPoolProfiles"))
    pools = [
        NodePool(
            address=resource.address,
            attribute=attr((*_BODY, "agentPoolProfiles", position, "vnetSubnetID")),
            subnet=_subnet_only(context, body.ref((*_BODY, "agentPoolProfiles", position, "vnetSubnetID"))),
            public_ips=tristate(profile.get("enableNodePublicIP"), default=False),
        )
        for position, profile in enumerate(blocks(profiles))
    ]
    if profiles is UNKNOWN:
        where = attr((*_BODY, "agentPoolProfiles"))
        pools = [NodePool(resource.address, where, _subnet_only(context, body.ref(_BODY)), None)]
    outbound = body.get((*network, "outboundType"))
    principal = text(body.get((*_BODY, "servicePrincipalProfile", "clientId")))
    cluster = Cluster(
        kubelet=_identity_only(
            context, body.ref((*_BODY, "identityProfile", "kubeletidentity", "resourceId"))
        ),
        kubelet_object_id=text(
            get(resource.values, "output", "properties", "identityProfile", "kubeletidentity", "objectId")
        ),
        service_principal=principal is not None and principal.lower() != "msi",
        node_pools=(*pools, *context.once(_node_pools).get(resource.address, ())),
        outbound_type=None if outbound is UNKNOWN else text(outbound) or "loadBalancer",
        load_balancer_ips=_named_ips(
            context,
            [
                _ids(body, (*balancer, "outboundIPs", "publicIPs")),
                _ids(body, (*balancer, "outboundIPPrefixes", "publicIPPrefixes")),
            ],
        ),
        private_cluster=tristate(body.get((*_BODY, "apiServerAccessProfile", "enablePrivateCluster")), False),
    )
    return _workload(resource, context, cluster, AZAPI_CLUSTER_ATTRIBUTES)


def _subnet_only(context: Context, ref: Ref) -> Ref:
    """A node pool's subnet traced through a whole body's references: only the subnets among them."""
    if ref.value or not ref.targets:
        return ref
    return Ref(
        targets=_only(context, ref.targets, {rt.SUBNET, rt.azapi_kind(rt.ARM_SUBNET)}), configured=True
    )


def _only(context: Context, targets: tuple[str, ...], kinds: set[str]) -> tuple[str, ...]:
    """The targets that are of ``kinds``: resources of the input by their kind, others by their address."""
    found = []
    for target in targets:
        resource = context.index.by_address.get(target)
        kind = kind_of(resource) if resource else split_address(config_address(target))[-2:][0]
        if kind in kinds:
            found.append(target)
    return tuple(found)


def _ids(body: _Body, path: AttrPath) -> _Named:
    """An ARM list of ``{id}`` objects as the IDs it names, with the references traced for it."""
    listed = body.get(path)
    ids = listed if listed is UNKNOWN else [entry.get("id") for entry in blocks(listed)]
    return _Named(ids, body.ref(path).targets if listed is not None else ())


def _identity_only(context: Context, ref: Ref) -> Ref:
    """A kubelet identity traced through a whole body's references: only the identities among them.

    A plan traces an azapi body as a whole; one identity among its references is the kubelet's, and
    several cannot be told apart (nor can none, when the ID is known only after apply).
    """
    if ref.value or not ref.targets:
        return ref
    identities = _only(context, ref.targets, {rt.USER_IDENTITY, rt.azapi_kind(rt.ARM_USER_IDENTITY)})
    return Ref(targets=identities if len(identities) == 1 else (), configured=True)


class _Named(msgspec.Struct, frozen=True):
    """A list of resource IDs as configured: its value (UNKNOWN when known only after apply, None when
    not set) and the resources its expression references."""

    value: Any
    targets: tuple[str, ...]


def _named_ips(context: Context, lists: list[_Named]) -> tuple[str | None, ...] | None:
    """The outbound IPs and prefixes a load balancer profile names; None when it names none.

    A public IP or prefix of the input gives its address (None when known only after apply); an ID
    the input does not define gives None, as does a list known only after apply that references no
    public IP: its addresses cannot be told.
    """
    kinds = rt.PUBLIC_IPS | rt.PUBLIC_IP_PREFIXES
    found: list[str | None] = []
    for named in lists:
        ids = named.value if isinstance(named.value, list) else []
        listed = [context.index.follow(Ref(targets=named.targets), kinds)]
        listed += [context.index.follow(Ref(text(i)), kinds) for i in ids if text(i)]
        resources = list(dict.fromkeys(resource for group in listed for resource in group))
        addresses = [_address_of(resource) for resource in resources]
        unresolved = max(len(ids) - len(resources), 1 if named.value is UNKNOWN and not resources else 0)
        found += addresses + [None] * unresolved
    return tuple(found) if found else None


def _address_of(resource: Resource) -> str | None:
    values = resource.values
    for path in (("ip_address",), ("ip_prefix",), ("output", "properties", "ipAddress")):
        known = text(get(values, *path))
        if known:
            return known
    return text(get(values, "output", "properties", "ipPrefix"))


def _workload(resource: Resource, context: Context, cluster: Cluster, cite: Attributes) -> Workload:
    tied = context.once(_tied)
    images = tied.images.get(resource.address, ())
    owners = {image.owner for image in images}
    cluster = replace(
        cluster,
        pull_secrets=frozenset(owner for owner in tied.pull_secrets if owner in owners),
        guessed=frozenset(owner for owner in tied.guessed if owner in owners),
        untold=tuple((owner, clusters) for owner, clusters in tied.untold.items() if owner in owners),
    )
    return Workload(
        address=resource.address,
        type=resource.type,
        kind=WorkloadKind.AKS,
        images=images,
        location=resource.location,
        region=text(get(resource.values, "location")),
        identities=attached(resource),
        in_vnet=None if any(pool.subnet.is_set is None for pool in cluster.node_pools) else True,
        subnets=tuple(pool.subnet for pool in cluster.node_pools if pool.subnet.is_set is not False),
        cite=cite,
        cluster=cluster,
    )


class _Body:
    """An azapi resource's decoded body, and the references of the nearest traced parent of a path."""

    def __init__(self, resource: Resource) -> None:
        self.resource = resource
        self.value = decoded_body(get(resource.values, "body"))
        self.unknown = self.value is UNKNOWN or self.value is None

    def get(self, path: AttrPath) -> Any:
        return get(self.value, *path[1:]) if path[0] == "body" else get(self.resource.values, *path)

    def ref(self, path: AttrPath) -> Ref:
        value = UNKNOWN if self.unknown else self.get(path)
        if value is None:
            return Ref()
        return Ref(value=text(value), targets=nearest_refs(self.resource.refs, path), configured=True)


# -- what runs on a cluster ---------------------------------------------------------------------------

#: An ACR login server (and any repository and tag after it) inside a Helm value or values document.
_ACR = re.compile(r"\b[a-z0-9]{5,50}\.azurecr\.(?:io|cn|us)(?:/[^\s\"',}\]]*)?", re.IGNORECASE)
_PULL_SECRETS = re.compile(r"pull_?secrets?", re.IGNORECASE)


class _Tied(msgspec.Struct):
    """Every image the input runs on a cluster, by the cluster it runs on (several when untold)."""

    images: dict[str, tuple[Image, ...]] = {}
    pull_secrets: set[str] = set()
    guessed: set[str] = set()
    untold: dict[str, tuple[str, ...]] = {}
    warnings: list[str] = []


def _tied(context: Context) -> _Tied:
    clusters = [resource.address for resource in context.kinds(*rt.AKS_KINDS) if not resource.is_data]
    tied = _Tied()
    found: dict[str, list[Image]] = {}
    for resource in context.kinds(*rt.ON_A_CLUSTER):
        if resource.is_data:
            continue
        images, secrets = _helm(resource, context) if resource.type == rt.HELM_RELEASE else _pod(resource)
        if not any(_from_acr(image) for image in images):
            continue  # Docker Hub and other registries: no pull path pullpath judges
        if secrets:
            tied.pull_secrets.add(resource.address)
        targets, outside = _clusters_of(resource, context)
        if not targets and outside:
            tied.warnings.append(
                f"{resource.address} runs on {outside}, which this input does not define: its image pulls "
                "are not judged (judge the configuration that defines the cluster)"
            )
            continue
        if not targets:
            if not clusters:
                tied.warnings.append(
                    f"{resource.address} runs on a Kubernetes cluster that this input does not define: its "
                    "image pulls are not judged (judge the configuration that defines the cluster)"
                )
                continue
            targets = clusters
            if len(clusters) == 1:
                tied.guessed.add(resource.address)
            else:
                tied.untold[resource.address] = tuple(clusters)
        for cluster in targets:
            found.setdefault(cluster, []).extend(images)
    tied.images = {cluster: tuple(images) for cluster, images in found.items()}
    return tied


def _clusters_of(resource: Resource, context: Context) -> tuple[list[str], str]:
    """The clusters of the input the resource's provider configuration references, and the first
    cluster data source that names no cluster of the input (a cluster defined elsewhere)."""
    provider = Ref(targets=resource.refs.get(("provider",), ()), configured=True)
    clusters: list[str] = []
    outside = ""
    for target in context.index.follow(provider, rt.AKS_KINDS):
        if not target.is_data:
            clusters.append(target.address)
            continue
        named = [
            found.address
            for found in context.index.follow(ref_of(target, ("name",)), rt.AKS_KINDS)
            if not found.is_data
        ]
        clusters += named
        outside = outside or ("" if named else target.address)
    return list(dict.fromkeys(clusters)), outside


def _pod(resource: Resource) -> tuple[list[Image], bool]:
    """The container and init container images of a Kubernetes workload's pod spec, and whether the
    pod spec names image pull secrets (a dynamic block known only after apply may)."""
    spec = rt.KUBERNETES_WORKLOADS[resource.type]
    images: list[Image] = []
    for block, init in (("container", False), ("init_container", True)):
        listed = get(resource.values, *spec, block)
        if listed is UNKNOWN:
            path: AttrPath = (*spec, block)
            images.append(_image(resource, path, ref_of(resource, path), None, init))
            continue
        for position, container in enumerate(blocks(listed)):
            path = (*spec, block, position, "image")
            ref = ref_of(resource, path)
            if ref.configured:
                images.append(_image(resource, path, ref, text(container.get("name")), init))
    secrets = get(resource.values, *spec, "image_pull_secrets")
    return images, secrets is UNKNOWN or bool(blocks(secrets))


def _from_acr(image: Image) -> bool:
    """Whether an image may come from an Azure registry: an ACR host, or a value not known yet."""
    return image.ref.value is None or acr_name(image_host(image.ref.value)) is not None


def _image(resource: Resource, path: AttrPath, ref: Ref, container: str | None, init: bool) -> Image:
    return Image(ref, f"{resource.address}.{attr(path)}", container, init, owner=resource.address)


def _helm(resource: Resource, context: Context) -> tuple[list[Image], bool]:
    """Registry hosts a Helm release's ``set`` values and ``values`` documents name, and whether they
    name image pull secrets. A value known only after apply counts when it references a registry."""
    images: list[Image] = []
    secrets = False
    for block in ("set", "set_sensitive"):
        for position, entry in enumerate(blocks(get(resource.values, block))):
            name = entry.get("name")
            secrets = secrets or (isinstance(name, str) and bool(_PULL_SECRETS.search(name)))
            path: AttrPath = (block, position, "value")
            images += _named_hosts(resource, context, path, entry.get("value"))
    documents = get(resource.values, "values")
    for position, document in enumerate(documents if isinstance(documents, list) else []):
        secrets = secrets or (isinstance(document, str) and bool(_PULL_SECRETS.search(document)))
        images += _named_hosts(resource, context, ("values", position), document)
    return images, secrets


def _named_hosts(resource: Resource, context: Context, path: AttrPath, value: Any) -> list[Image]:
    """One image per registry a Helm value names: by ACR host in its text, or by its references."""
    targets = resource.refs_at(path) or ()
    if isinstance(value, str):
        hosts = list(dict.fromkeys(match.group(0) for match in _ACR.finditer(value)))
        where = f"{resource.address}.{attr(path)}"
        return [
            Image(
                Ref(host if "/" in host else f"{host}/*", targets, True),
                where if index == 0 else f"{where} ({host})",
                owner=resource.address,
            )
            for index, host in enumerate(hosts)
        ]
    if value is UNKNOWN and context.follow(Ref(targets=targets), Role.REGISTRY):
        return [_image(resource, path, Ref(None, targets, True), None, False)]
    return []


def warnings(context: Context) -> list[str]:
    """What the builders could not tie: images that run on a cluster this input does not define."""
    return context.once(_tied).warnings


BUILDERS: dict[str, Builder] = {
    rt.KUBERNETES_CLUSTER: Builder(Role.WORKLOAD, _cluster),
    rt.azapi_kind(rt.ARM_MANAGED_CLUSTER): Builder(Role.WORKLOAD, _azapi_cluster),
}
