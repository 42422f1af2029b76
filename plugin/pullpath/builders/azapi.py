"""The azapi dialect: ``azapi_resource`` bodies read by their ARM property paths.

Azure Verified Modules create web apps, container apps, environments and AKS with azapi only. A
body is an object (azapi 2.x) or a JSON string (``jsonencode``, azapi 1.x); either way a finding
cites the ARM path the user wrote (``body.properties.vnetImagePullEnabled``). A plan keeps one
expression for the whole ``body``, so a value inside it is traced through the references of the
nearest traced parent. A body known only after apply (a ``jsonencode`` with any unknown inside)
yields one image and one credential at ``body``, both unknown but still tied to what the body
references, so the verdict is UNKNOWN or follows the registry it names, never a silent pass.
"""

from __future__ import annotations

import functools
from typing import Any

from pullpath import resource_types as rt
from pullpath.builders.arm import REGISTRY_DEFAULTS, REGISTRY_PATHS, registry_settings
from pullpath.builders.context import Builder, Context, Network, Role
from pullpath.builders.credentials import (
    app_service_credential,
    arm_registry_credential,
)
from pullpath.builders.hosting import hosted, hosting_environment
from pullpath.builders.identities import attached
from pullpath.builders.links import consumption, environment_fields, service_plan
from pullpath.builders.patches import build_patch, merged_body, patch_routing, patched_registry
from pullpath.builders.routing import (
    PULL_OVER_VNET_SETTING,
    ROUTE_ALL_SETTING,
    SITE_ROUTING_PATHS,
    Source,
    pull_routing,
    shown,
)
from pullpath.builders.values import attr, blocks, decoded_body, get, nearest_refs, text, tristate
from pullpath.model import (
    UNKNOWN,
    Attributes,
    AttrPath,
    Cite,
    Credential,
    CredentialKind,
    Environment,
    Evidence,
    HostingEnvironment,
    Image,
    MlWorkspace,
    NatGateway,
    PrivateEndpoint,
    Ref,
    Registry,
    Resource,
    ServicePlan,
    Subnet,
    Workload,
    WorkloadKind,
)

BODY = "body"
SENSITIVE_BODY = "sensitive_body"
_PROPERTIES = (BODY, "properties")

REGISTRY_ATTRIBUTES = Attributes("azapi", REGISTRY_PATHS)
ENDPOINT_ATTRIBUTES = Attributes(
    "azapi",
    {
        Cite.ENDPOINT_SUBNET: "body.properties.subnet.id",
        Cite.ENDPOINT_CONNECTION: "body.properties.privateLinkServiceConnections",
        Cite.ENDPOINT_TARGET: (
            "body.properties.privateLinkServiceConnections[0].properties.privateLinkServiceId"
        ),
    },
)
CONTAINER_GROUP_ATTRIBUTES = Attributes(
    "azapi",
    {
        Cite.SUBNET: "body.properties.subnetIds",
        Cite.LOCATION: "location",
        Cite.REGISTRY_CREDENTIALS: "body.properties.imageRegistryCredentials",
    },
)
_ROUTE_ALL_PATHS = (("siteConfig", "vnetRouteAllEnabled"), ("outboundVnetRouting", "applicationTraffic"))
#: One per place a site routes application traffic, so a finding cites the one the user wrote.
SITE_ATTRIBUTES = {
    route_all: Attributes(
        "azapi",
        {
            Cite.SUBNET: "body.properties.virtualNetworkSubnetId",
            Cite.ROUTE_ALL: "body.properties." + ".".join(route_all),
            Cite.PULL_PROPERTY: "body.properties.vnetImagePullEnabled",
            Cite.PULL_SETTING: f"body.properties.siteConfig.appSettings.{PULL_OVER_VNET_SETTING}",
            Cite.OUTBOUND_IPS: "output.properties.possibleOutboundIpAddresses",
            Cite.LOCATION: "location",
        },
    )
    for route_all in _ROUTE_ALL_PATHS
}
CONTAINER_APP_ATTRIBUTES = Attributes(
    "azapi",
    {
        Cite.REGISTRY_CREDENTIALS: "body.properties.configuration.registries",
        Cite.ENVIRONMENT: "body.properties.managedEnvironmentId",
    },
)
JOB_ATTRIBUTES = Attributes(
    "azapi",
    {
        Cite.REGISTRY_CREDENTIALS: "body.properties.configuration.registries",
        Cite.ENVIRONMENT: "body.properties.environmentId",
    },
)
ENVIRONMENT_ATTRIBUTES = Attributes(
    "azapi",
    {
        Cite.ENVIRONMENT_SUBNET: "body.properties.vnetConfiguration.infrastructureSubnetId",
        Cite.WORKLOAD_PROFILES: "body.properties.workloadProfiles",
    },
)
SERVER_FARM_ATTRIBUTES = Attributes(
    "azapi",
    {Cite.SKU: "body.sku.name", Cite.HOSTING_ENVIRONMENT: "body.properties.hostingEnvironmentProfile.id"},
)
HOSTING_ENVIRONMENT_ATTRIBUTES = Attributes("azapi", {Cite.SUBNET: "body.properties.virtualNetwork.id"})
ML_WORKSPACE_ATTRIBUTES = Attributes(
    "azapi",
    {
        Cite.REGISTRY_ID: "body.properties.containerRegistry",
        Cite.IMAGE_BUILD_COMPUTE: "body.properties.imageBuildCompute",
    },
)
NAT_ATTRIBUTES = Attributes("azapi", {Cite.NAT_PUBLIC_IP: "body.properties.publicIpAddresses"})


class _Body:
    """A resource's decoded body (patches merged on) and references traced into it."""

    def __init__(self, resource: Resource, context: Context | None = None, patched: bool = True) -> None:
        self.resource = resource
        body = decoded_body(get(resource.values, BODY))
        self.readable = body is not None
        self.unknown = body is UNKNOWN
        self.value = merged_body(context, resource, body) if context and patched else body

    def get(self, path: AttrPath) -> Any:
        """The value at ``path`` (which starts with ``body``); UNKNOWN inside an unknown body."""
        if path[0] != BODY:
            return get(self.resource.values, *path)
        return UNKNOWN if self.unknown else get(self.value, *path[1:])

    def ref(self, path: AttrPath) -> Ref:
        """A value inside the body with the references of its nearest traced parent."""
        value = self.get(path)
        if value is None:
            return Ref()
        targets = nearest_refs(self.resource.refs, path)
        return Ref(value=text(value) if self.readable else None, targets=targets, configured=True)


def _registry(resource: Resource, context: Context) -> Registry:
    body = _Body(resource, patched=False)  # patches are applied after, so evidence cites them
    name = text(get(resource.values, "name"))
    login_server = text(get(resource.values, "output", "properties", "loginServer"))
    if resource.is_data or not body.readable:
        return Registry.undefined(resource.address, name, login_server, id=text(get(resource.values, "id")))
    fields = {
        **REGISTRY_DEFAULTS,
        **{field: value for field, (value, _) in registry_settings(body.value).items()},
    }
    registry = Registry(
        address=resource.address,
        name=name,
        login_server=login_server,
        id=text(get(resource.values, "id")),
        location=resource.location,
        cite=REGISTRY_ATTRIBUTES,
        **fields,
    )
    return patched_registry(context, resource, registry)


def _private_endpoint(resource: Resource, context: Context) -> PrivateEndpoint:
    body = _Body(resource, context)
    connections = (*_PROPERTIES, "privateLinkServiceConnections")
    if not blocks(body.get(connections)):
        connections = (*_PROPERTIES, "manualPrivateLinkServiceConnections")
    first = (*connections, 0, "properties")
    names = body.get((*first, "groupIds"))
    return PrivateEndpoint(
        address=resource.address,
        subnet=body.ref((*_PROPERTIES, "subnet", "id")),
        targets=body.ref((*first, "privateLinkServiceId")),
        subresources=None if names is UNKNOWN else tuple(str(n) for n in names or () if isinstance(n, str)),
        cite=ENDPOINT_ATTRIBUTES,
    )


def _images(
    body: _Body, base: AttrPath, blocks_of: tuple[tuple[str, bool], ...], image: AttrPath
) -> list[Image]:
    """Container images under ``base``; one unknown image at ``body`` when the body is unknown."""
    if body.unknown or not body.readable:
        return [Image(body.ref((BODY,)), BODY)]
    images: list[Image] = []
    for block, init in blocks_of:
        listed = body.get((*base, block))
        if listed is UNKNOWN:  # which containers, known only after apply: one unknown image stands for them
            images.append(Image(body.ref((*base, block)), attr((*base, block)), init=init))
            continue
        for position, container in enumerate(blocks(listed)):
            path: AttrPath = (*base, block, position, *image)
            ref = body.ref(path)
            if ref.configured:
                images.append(Image(ref, attr(path), text(container.get("name")), init))
    return images


def _write_only(resource: Resource) -> list[Credential]:
    """A credential in ``sensitive_body``: write-only, never in a plan, so present but unreadable.

    It may be the one for any registry, so the rules judge its kind UNKNOWN rather than "none".
    """
    configured = get(resource.values, SENSITIVE_BODY) is not None or (SENSITIVE_BODY,) in resource.refs
    if not configured:
        return []
    server = Ref(targets=resource.refs.get((SENSITIVE_BODY,), ()), configured=True)
    return [Credential(server, CredentialKind.UNKNOWN, SENSITIVE_BODY)]


def _credentials(
    resource: Resource, body: _Body, listed: AttrPath, secret: str, context: Context
) -> list[Credential]:
    """The registry credentials a container group or app presents, one per entry of ``listed``.

    Each entry names its ``server`` and pulls with an ``identity``, or with a ``username`` and
    ``secret`` (a password, or a reference to one). A body or a list known only after apply, or a
    ``sensitive_body`` beside a body that lists none, is one credential of unknown kind: it may be
    the one for any registry.
    """
    entries = body.get(listed)
    # sensitive_body may hold the credentials, or only the secrets the body's credentials name
    credentials = [] if blocks(entries) else _write_only(resource)
    if body.unknown or entries is UNKNOWN:
        where: AttrPath = (BODY,) if body.unknown else listed
        credentials.append(Credential(body.ref(where), CredentialKind.UNKNOWN, attr(where)))
    for position, entry in enumerate(blocks(entries)):
        path: AttrPath = (*listed, position)
        # the admin user only when the username or secret itself references the registry: a
        # parent's references (a plan's whole body) name the server's registry as well
        secrets = [Ref(targets=resource.refs.get((*path, key), ())) for key in ("username", secret)]
        read = functools.partial(_entry_ref, body, path)
        credentials.append(arm_registry_credential(entry, secret, read, attr(path), context, secrets))
    return credentials


def _entry_ref(body: _Body, path: AttrPath, key: str) -> Ref:
    return body.ref((*path, key))


def _container_group(resource: Resource, context: Context) -> Workload:
    body = _Body(resource, context)
    containers = (("containers", False), ("initContainers", True))
    credentials = _credentials(
        resource, body, (*_PROPERTIES, "imageRegistryCredentials"), "password", context
    )
    subnet_ids = body.get((*_PROPERTIES, "subnetIds"))
    subnets = [body.ref((*_PROPERTIES, "subnetIds", n, "id")) for n, _ in enumerate(blocks(subnet_ids))]
    if subnet_ids is UNKNOWN:
        subnets = [body.ref((*_PROPERTIES, "subnetIds"))]
    address_type = body.get((*_PROPERTIES, "ipAddress", "type"))
    private = isinstance(address_type, str) and address_type.lower() == "private"
    return Workload(
        address=resource.address,
        type=resource.type,
        kind=WorkloadKind.CONTAINER_GROUP,
        images=tuple(_images(body, _PROPERTIES, containers, ("properties", "image"))),
        location=resource.location,
        region=text(get(resource.values, "location")),
        credentials=tuple(credentials),
        identities=attached(resource),
        in_vnet=None if body.unknown else (bool(subnets) or private),
        subnets=tuple(subnets),
        cite=CONTAINER_GROUP_ATTRIBUTES,
    )


def _site(resource: Resource, context: Context) -> Workload:
    body = _Body(resource, context)
    own = _Body(resource, patched=False)  # routing from patches is cited on the patch itself
    config = (*_PROPERTIES, "siteConfig")
    subnet = body.ref((*_PROPERTIES, "virtualNetworkSubnetId"))
    settings = _app_settings(body.get((*config, "appSettings")))
    pull_setting = None if settings is UNKNOWN else tristate(get(settings, PULL_OVER_VNET_SETTING), False)
    sources = _routing_sources(resource, own, settings, pull_setting) + patch_routing(context, resource)
    routing, evidence = pull_routing(sources)
    routes_all = [path for path in _ROUTE_ALL_PATHS if tristate(body.get((*_PROPERTIES, *path))) is True]
    route_all = bool(routes_all) or tristate(get(settings, ROUTE_ALL_SETTING)) is True
    site = Workload(
        address=resource.address,
        type=resource.type,
        kind=WorkloadKind.APP_SERVICE,
        images=tuple(_site_images(body, settings)),
        location=resource.location,
        region=text(get(resource.values, "location")),
        credentials=_site_credentials(body, settings, context),
        identities=attached(resource),
        vnet_integration=None if body.unknown else subnet.is_set,
        integration_subnet=subnet,
        image_pull_routing=routing,
        routing_evidence=tuple(evidence),
        route_all=route_all,
        pull_setting=pull_setting,
        service_plan=service_plan(context, [body.ref((*_PROPERTIES, "serverFarmId"))]),
        cite=SITE_ATTRIBUTES[routes_all[0] if routes_all else _ROUTE_ALL_PATHS[0]],
    )
    return hosted(site)


def _site_credentials(body: _Body, settings: Any, context: Context) -> tuple[Credential, ...]:
    """``acrUseManagedIdentityCreds`` (with ``acrUserManagedIdentityID``), else registry app settings."""
    config: AttrPath = (*_PROPERTIES, "siteConfig")
    if body.unknown:
        return (Credential(Ref(), CredentialKind.UNKNOWN, BODY),)
    flag = body.get((*config, "acrUseManagedIdentityCreds"))
    use_identity = None if flag is UNKNOWN else tristate(flag, default=False)
    attribute = attr((*config, "acrUseManagedIdentityCreds"))
    username = password = Ref()
    if settings is UNKNOWN:
        username, attribute = Ref(configured=True), "body.properties.siteConfig.appSettings"
    elif get(settings, "DOCKER_REGISTRY_SERVER_USERNAME") is not None:
        traced = body.ref((*config, "appSettings")).targets  # a plan traces the body as a whole
        username = Ref("DOCKER_REGISTRY_SERVER_USERNAME", traced, configured=True)  # present: set
        password = Ref(None, traced, configured=True)
        attribute = attribute if use_identity else "body.properties.siteConfig.appSettings"
    client_id = body.ref((*config, "acrUserManagedIdentityID"))
    found = app_service_credential(attribute, use_identity, client_id, username, password, context)
    return (found,) if found else ()


def _app_settings(value: Any) -> Any:
    """``siteConfig.appSettings`` (a list of name/value pairs) as a mapping; UNKNOWN stays UNKNOWN."""
    if value is UNKNOWN:
        return UNKNOWN
    settings: dict[str, Any] = {}
    for pair in blocks(value):
        name = pair.get("name")
        if name is UNKNOWN:
            return UNKNOWN  # any setting may be the one that routes the pull
        if isinstance(name, str):
            settings[name] = pair.get("value")
    return settings


def _routing_sources(
    resource: Resource, own: _Body, settings: Any, pull_setting: bool | None
) -> list[Source]:
    if own.unknown:
        return [Source(None, Evidence(resource.address, BODY, "(known after apply)"))]
    sources: list[Source] = []
    for path in SITE_ROUTING_PATHS:
        value = own.get((BODY, *path))
        state = None if value is UNKNOWN else tristate(value, default=False)
        cited = Evidence(resource.address, "body." + ".".join(path), shown(state))
        sources.append(Source(state, cited, shown=value is not None and state is not False))
    if settings is UNKNOWN:
        where = "body.properties.siteConfig.appSettings"
        sources.append(Source(None, Evidence(resource.address, where, "(known after apply)")))
    elif get(settings, PULL_OVER_VNET_SETTING) is not None:
        where = f"body.properties.siteConfig.appSettings.{PULL_OVER_VNET_SETTING}"
        sources.append(Source(pull_setting, Evidence(resource.address, where, shown(pull_setting))))
    return sources


def _site_images(body: _Body, settings: Any) -> list[Image]:
    """``linuxFxVersion`` / ``windowsFxVersion`` ``DOCKER|host/repo:tag``, host from the registry setting."""
    if body.unknown or not body.readable:
        return [Image(body.ref((BODY,)), BODY)]
    images: list[Image] = []
    for field in ("linuxFxVersion", "windowsFxVersion"):
        path: AttrPath = (*_PROPERTIES, "siteConfig", field)
        ref = body.ref(path)
        if not ref.configured:
            continue
        if ref.value is not None:
            kind, _, rest = ref.value.partition("|")
            if kind.upper() != "DOCKER" or not rest:
                continue
            registry = text(get(settings, "DOCKER_REGISTRY_SERVER_URL")) if settings is not UNKNOWN else None
            host = (registry or "").split("://", 1)[-1].strip("/")
            first = rest.split("/", 1)[0]
            missing_host = "/" not in rest or not ("." in first or ":" in first)
            ref = Ref(f"{host}/{rest}" if host and missing_host else rest, ref.targets, True)
        images.append(Image(ref, attr(path)))
    return images


def _container_app(resource: Resource, context: Context) -> Workload:
    """A container app or job: template images, registries, and the environment it runs in."""
    body = _Body(resource, context)
    is_job = rt.arm_type_of(str(get(resource.values, "type"))) == rt.ARM_JOB
    registries = (*_PROPERTIES, "configuration", "registries")
    credentials = _credentials(resource, body, registries, "passwordSecretRef", context)
    environment = (*_PROPERTIES, "environmentId" if is_job else "managedEnvironmentId")
    if not is_job and body.get(environment) is None:
        environment = (*_PROPERTIES, "environmentId")  # older API versions of container apps
    containers = (("containers", False), ("initContainers", True))
    return Workload(
        address=resource.address,
        type=resource.type,
        kind=WorkloadKind.CONTAINER_APP,
        images=tuple(_images(body, (*_PROPERTIES, "template"), containers, ("image",))),
        location=resource.location,
        region=text(get(resource.values, "location")),
        credentials=tuple(credentials),
        identities=attached(resource),
        cite=JOB_ATTRIBUTES if is_job else CONTAINER_APP_ATTRIBUTES,
        **environment_fields(context, body.ref(environment)),
    )


def _environment(resource: Resource, context: Context) -> Environment:
    body = _Body(resource, context)
    subnet = body.ref((*_PROPERTIES, "vnetConfiguration", "infrastructureSubnetId"))
    return Environment(resource.address, subnet, ENVIRONMENT_ATTRIBUTES)


def _network(context: Context) -> tuple[dict[str, Subnet], dict[str, NatGateway]]:
    """Subnets (``virtualNetworks/subnets``) with their NAT gateway, and NAT gateways with their IPs.

    A public IP's address is in azapi's ``output``, known only after apply unless a plan was made
    against existing resources; an azurerm public IP gives its ``ip_address``.
    """
    subnets: dict[str, Subnet] = {}
    for subnet in context.kinds(rt.azapi_kind(rt.ARM_SUBNET)):
        nat_ref = _Body(subnet, context).ref((*_PROPERTIES, "natGateway", "id"))
        nats = context.index.follow(nat_ref, rt.NAT_GATEWAYS)
        subnets[subnet.address] = Subnet(
            subnet.address, text(get(subnet.values, "id")), nats[0].address if nats else None
        )
    gateways: dict[str, NatGateway] = {}
    for nat in context.kinds(rt.azapi_kind(rt.ARM_NAT_GATEWAY)):
        ips = context.index.follow(
            _Body(nat, context).ref((*_PROPERTIES, "publicIpAddresses")), rt.PUBLIC_IPS
        )
        known = [
            text(get(ip.values, "ip_address")) or text(get(ip.values, "output", "properties", "ipAddress"))
            for ip in ips
        ]
        gateways[nat.address] = NatGateway(nat.address, tuple(known or [None]), NAT_ATTRIBUTES)
    return subnets, gateways


def _server_farm(resource: Resource, context: Context) -> ServicePlan:
    body = _Body(resource, context)
    sku = text(body.get((BODY, "sku", "name")))
    environment = body.ref((*_PROPERTIES, "hostingEnvironmentProfile", "id"))
    hosting = hosting_environment(context, environment)
    return ServicePlan(resource.address, sku, consumption(sku), SERVER_FARM_ATTRIBUTES, environment, hosting)


def _hosting_environment(resource: Resource, context: Context) -> HostingEnvironment:
    subnet = _Body(resource, context).ref((*_PROPERTIES, "virtualNetwork", "id"))
    return HostingEnvironment(resource.address, subnet, HOSTING_ENVIRONMENT_ATTRIBUTES)


def _ml_workspace(resource: Resource, context: Context) -> MlWorkspace:
    body = _Body(resource, context)
    return MlWorkspace(
        address=resource.address,
        type=resource.type,
        registry=body.ref((*_PROPERTIES, "containerRegistry")),
        image_build_compute=body.ref((*_PROPERTIES, "imageBuildCompute")),
        location=resource.location,
        cite=ML_WORKSPACE_ATTRIBUTES,
    )


_BUILT: dict[str, tuple[Role, Any]] = {
    rt.ARM_REGISTRY: (Role.REGISTRY, _registry),
    rt.ARM_PRIVATE_ENDPOINT: (Role.PRIVATE_ENDPOINT, _private_endpoint),
    rt.ARM_CONTAINER_GROUP: (Role.WORKLOAD, _container_group),
    rt.ARM_SITE: (Role.WORKLOAD, _site),
    rt.ARM_SLOT: (Role.WORKLOAD, _site),
    rt.ARM_CONTAINER_APP: (Role.WORKLOAD, _container_app),
    rt.ARM_JOB: (Role.WORKLOAD, _container_app),
    rt.ARM_ENVIRONMENT: (Role.ENVIRONMENT, _environment),
    rt.ARM_SERVER_FARM: (Role.SERVICE_PLAN, _server_farm),
    rt.ARM_HOSTING_ENVIRONMENT: (Role.HOSTING_ENVIRONMENT, _hosting_environment),
    rt.ARM_ML_WORKSPACE: (Role.ML_WORKSPACE, _ml_workspace),
}

NETWORKS: tuple[Network, ...] = (_network,)

#: Every ARM type above as an azapi_resource, and any azapi_update_resource as a patch.
BUILDERS: dict[str, Builder] = {
    **{rt.azapi_kind(arm): Builder(role, build) for arm, (role, build) in _BUILT.items()},
    **{
        rt.azapi_kind(arm, rt.AZAPI_UPDATE): Builder(Role.PATCH, build_patch)
        for arm in (*_BUILT, rt.ARM_SITE_CONFIG, rt.ARM_SLOT_CONFIG)
    },
}
