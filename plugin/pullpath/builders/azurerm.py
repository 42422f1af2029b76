"""The azurerm dialect: azurerm resource types and their attribute names, built into the model.

Each builder reads one azurerm type (or a family of them) and says, through its ``Attributes``,
which azurerm attribute a finding cites for what it built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msgspec.structs import replace

from pullpath import resource_types as rt
from pullpath.builders.arm import abac_mode
from pullpath.builders.context import Builder, Context, Network, Role
from pullpath.builders.credentials import app_service_credential, identity_credential, password_credential
from pullpath.builders.hosting import hosted, hosting_environment
from pullpath.builders.identities import attached
from pullpath.builders.links import consumption, environment_fields, service_plan
from pullpath.builders.patches import patch_routing, patched_credentials, patched_registry
from pullpath.builders.routing import (
    PULL_OVER_VNET_SETTING,
    ROUTE_ALL_SETTING,
    Source,
    any_state,
    pull_routing,
    shown,
)
from pullpath.builders.values import Index, attr, blocks, get, ref_of, text, tristate
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
from pullpath.resolve import image_host

REGISTRY_ATTRIBUTES = Attributes(
    "azurerm",
    {
        Cite.PUBLIC_ACCESS: "public_network_access_enabled",
        Cite.RULE_SET: "network_rule_set",
        Cite.DEFAULT_ACTION: "network_rule_set[0].default_action",
        Cite.IP_RULES: "network_rule_set[0].ip_rule",
        Cite.SERVICE_ENDPOINT_RULES: "network_rule_set[0].virtual_network",
        Cite.BYPASS: "network_rule_bypass_option",
        Cite.SKU: "sku",
        Cite.ADMIN_ENABLED: "admin_enabled",
        Cite.ANONYMOUS_PULL: "anonymous_pull_enabled",
        Cite.ROLE_ASSIGNMENT_MODE: "role_assignment_mode",
        Cite.ARM_AUDIENCE: "azuread_authentication_as_arm_policy_enabled",
    },
)
#: azurerm 4.81 and later: off refuses the ARM-audience tokens App Service and Container Apps pull with.
_ARM_AUDIENCE_ENABLED = "azuread_authentication_as_arm_policy_enabled"
ENDPOINT_ATTRIBUTES = Attributes(
    "azurerm",
    {
        Cite.ENDPOINT_SUBNET: "subnet_id",
        Cite.ENDPOINT_CONNECTION: "private_service_connection",
        Cite.ENDPOINT_TARGET: "private_service_connection[0].private_connection_resource_id",
    },
)
NAT_ATTRIBUTES = Attributes("azurerm", {Cite.NAT_PUBLIC_IP: "public_ip"})
CONTAINER_GROUP_ATTRIBUTES = Attributes(
    "azurerm",
    {
        Cite.SUBNET: "subnet_ids",
        Cite.LOCATION: "location",
        Cite.REGISTRY_CREDENTIALS: "image_registry_credential",
    },
)
CONTAINER_APP_ATTRIBUTES = Attributes(
    "azurerm", {Cite.REGISTRY_CREDENTIALS: "registry", Cite.ENVIRONMENT: "container_app_environment_id"}
)
ENVIRONMENT_ATTRIBUTES = Attributes(
    "azurerm",
    {Cite.ENVIRONMENT_SUBNET: "infrastructure_subnet_id", Cite.WORKLOAD_PROFILES: "workload_profile"},
)
SERVICE_PLAN_ATTRIBUTES = {
    rt.SERVICE_PLAN: Attributes(
        "azurerm", {Cite.SKU: "sku_name", Cite.HOSTING_ENVIRONMENT: "app_service_environment_id"}
    ),
    rt.LEGACY_SERVICE_PLAN: Attributes(
        "azurerm", {Cite.SKU: "sku[0].tier", Cite.HOSTING_ENVIRONMENT: "app_service_environment_id"}
    ),
}
HOSTING_ENVIRONMENT_ATTRIBUTES = Attributes("azurerm", {Cite.SUBNET: "subnet_id"})
ML_WORKSPACE_ATTRIBUTES = Attributes(
    "azurerm",
    {Cite.REGISTRY_ID: "container_registry_id", Cite.IMAGE_BUILD_COMPUTE: "image_build_compute_name"},
)


def _app_attributes(pull_property: str | None) -> Attributes:
    paths = {
        Cite.SUBNET: "virtual_network_subnet_id",
        Cite.ROUTE_ALL: "site_config[0].vnet_route_all_enabled",
        Cite.PULL_SETTING: f"app_settings.{PULL_OVER_VNET_SETTING}",
        Cite.OUTBOUND_IPS: "possible_outbound_ip_address_list",
        Cite.LOCATION: "location",
    }
    if pull_property:
        paths[Cite.PULL_PROPERTY] = pull_property
    return Attributes("azurerm", paths)


#: One per App Service flavour's routing attribute (the two names, or none on legacy types).
APP_ATTRIBUTES = {name: _app_attributes(name) for name in {*rt.APP_SERVICES.values()}}


def _registry(resource: Resource, context: Context) -> Registry:
    values = resource.values
    location = resource.location
    if resource.is_data:
        registry = Registry.undefined(  # the data source exposes no network settings
            address=resource.address,
            name=text(get(values, "name")),
            login_server=text(get(values, "login_server")),
            sku=text(get(values, "sku")),
            id=text(get(values, "id")),
            location=location,
        )
        return replace(
            registry, admin_enabled=tristate(get(values, "admin_enabled")), cite=REGISTRY_ATTRIBUTES
        )
    rule_set = get(values, "network_rule_set")
    if rule_set is UNKNOWN and not _configured(resource, "network_rule_set"):
        rule_set = None  # azurerm 3.x computes an unset rule set; a new registry's default is Allow
    default_action: str | None
    ip_rules: tuple[str, ...] | None
    service_endpoints: int | None
    if rule_set is UNKNOWN:
        default_action, ip_rules, service_endpoints = None, None, None
    elif not blocks(rule_set):
        default_action, ip_rules, service_endpoints = "Allow", (), 0
    else:
        first = blocks(rule_set)[0]
        action = first.get("default_action")
        default_action = "Allow" if action is None else text(action)
        ip_rule = first.get("ip_rule")
        ip_rules = (
            None
            if ip_rule is UNKNOWN
            else tuple(text(rule.get("ip_range")) or "" for rule in blocks(ip_rule) if _allows(rule))
        )
        if ip_rules is not None and "" in ip_rules:
            ip_rules = None  # an IP rule whose range is known only after apply
        networks = first.get("virtual_network")
        service_endpoints = None if networks is UNKNOWN else len(blocks(networks))
    bypass = get(values, "network_rule_bypass_option")
    registry = Registry(
        address=resource.address,
        name=text(get(values, "name")),
        login_server=text(get(values, "login_server")),
        sku=text(get(values, "sku")),
        public_network_access=tristate(get(values, "public_network_access_enabled"), default=True),
        default_action=default_action,
        ip_rules=ip_rules,
        service_endpoint_rules=service_endpoints,
        bypass=None if bypass is UNKNOWN else (text(bypass) or "AzureServices"),
        id=text(get(values, "id")),
        location=location,
        rule_set=None if rule_set is UNKNOWN else bool(blocks(rule_set)),
        cite=REGISTRY_ATTRIBUTES,
        admin_enabled=tristate(get(values, "admin_enabled"), default=False),
        anonymous_pull=tristate(get(values, "anonymous_pull_enabled"), default=False),
        abac=abac_mode(get(values, "role_assignment_mode")),
        arm_audience_tokens=tristate(get(values, _ARM_AUDIENCE_ENABLED), default=True),
        resource_group=ref_of(resource, ("resource_group_name",)),
    )
    return patched_registry(context, resource, registry)


def _configured(resource: Resource, attribute: str) -> bool:
    """Whether the configuration sets an attribute or block (in any of its nested paths)."""
    return any(path and path[0] == attribute for path in resource.refs)


def _allows(rule: Mapping[str, Any]) -> bool:
    action = rule.get("action")
    return action is None or action is UNKNOWN or str(action).lower() == "allow"


def _private_endpoint(resource: Resource, context: Context) -> PrivateEndpoint:
    connection = ("private_service_connection", 0)
    names = get(resource.values, *connection, "subresource_names")
    return PrivateEndpoint(
        address=resource.address,
        subnet=ref_of(resource, ("subnet_id",)),
        targets=ref_of(resource, (*connection, "private_connection_resource_id")),
        subresources=None if names is UNKNOWN else tuple(str(n) for n in names or () if isinstance(n, str)),
        cite=ENDPOINT_ATTRIBUTES,
    )


def _network(context: Context) -> tuple[dict[str, Subnet], dict[str, NatGateway]]:
    return _subnets(context), _nat_gateways(context)


def _subnets(context: Context) -> dict[str, Subnet]:
    index = context.index
    nat_of: dict[str, str] = {}
    for association in context.kinds(rt.SUBNET_NAT):
        subnets = index.follow(ref_of(association, ("subnet_id",)), {rt.SUBNET})
        nats = index.follow(ref_of(association, ("nat_gateway_id",)), rt.NAT_GATEWAYS)
        for subnet in subnets:
            nat_of[subnet.address] = nats[0].address if nats else association.address
    return {
        subnet.address: Subnet(subnet.address, text(get(subnet.values, "id")), nat_of.get(subnet.address))
        for subnet in context.kinds(rt.SUBNET)
    }


def _nat_gateways(context: Context) -> dict[str, NatGateway]:
    index = context.index
    addresses: dict[str, list[str | None]] = {nat.address: [] for nat in context.kinds(rt.NAT_GATEWAY)}
    pairs = (
        (rt.NAT_PUBLIC_IP, "public_ip_address_id", rt.PUBLIC_IP, "ip_address"),
        (rt.NAT_PUBLIC_IP_PREFIX, "public_ip_prefix_id", rt.PUBLIC_IP_PREFIX, "ip_prefix"),
    )
    for association_type, id_attr, ip_type, ip_attr in pairs:
        for association in context.kinds(association_type):
            nats = index.follow(ref_of(association, ("nat_gateway_id",)), {rt.NAT_GATEWAY})
            ips = index.follow(ref_of(association, (id_attr,)), {ip_type})
            for nat in nats:
                known = [text(get(ip.values, ip_attr)) for ip in ips] or [None]
                addresses.setdefault(nat.address, []).extend(known)
    return {address: NatGateway(address, tuple(ips), NAT_ATTRIBUTES) for address, ips in addresses.items()}


def _swift_integration(context: Context) -> dict[str, bool | None]:
    """Apps that a swift connection resource integrates with a VNet: True, or None when it may.

    An app's connection names the app. A slot's connection names the parent app
    (``app_service_id``) and the slot by name (``slot_name``): it integrates that slot, never the
    parent. When the slot's name or either side's parent is known only after apply, a slot it may
    mean is None, not a guess.
    """
    index = context.index
    integrated: dict[str, bool | None] = {}
    for connection in context.kinds(rt.APP_SWIFT_CONNECTION):
        for app in index.follow(ref_of(connection, ("app_service_id",)), rt.APP_SERVICES):
            integrated[app.address] = True
    slots = [
        (slot, {parent.address for parent in _parent_apps(slot, _SLOT_PARENT_ATTRIBUTES, index)})
        for kind in rt.APP_SERVICES
        if kind.endswith("_slot")
        for slot in context.kinds(kind)
    ]
    for connection in context.kinds(rt.SLOT_SWIFT_CONNECTION):
        parents = {parent.address for parent in _parent_apps(connection, ("app_service_id",), index)}
        named = set(connection.refs_at(("slot_name",)) or ())
        wanted = get(connection.values, "slot_name")
        for slot, own in slots:
            if parents and own and parents.isdisjoint(own):
                continue  # a slot of another app
            name = get(slot.values, "name")
            same = isinstance(wanted, str) and isinstance(name, str) and wanted.lower() == name.lower()
            if slot.address in named or same:
                integrated[slot.address] = True if parents and own else integrated.get(slot.address)
            elif wanted is UNKNOWN or name is UNKNOWN or (wanted is None and not named):
                integrated.setdefault(slot.address, None)
    return integrated


def _parent_apps(resource: Resource, attributes: tuple[str, ...], index: Index) -> list[Resource]:
    """The apps ``resource`` names as its parent through any of ``attributes``, in that order."""
    return [
        parent
        for attribute in attributes
        for parent in index.follow(ref_of(resource, (attribute,)), rt.APP_SERVICES)
    ]


def _container_group(resource: Resource, context: Context) -> Workload:
    values = resource.values
    images = _images(resource, ())
    credentials = tuple(
        _credential(resource, position, block, context)
        for position, block in enumerate(blocks(get(values, "image_registry_credential")))
    )
    subnet_ids = get(values, "subnet_ids")
    subnets: list[Ref] = []
    subnet_targets = resource.refs_at(("subnet_ids",)) or ()
    if isinstance(subnet_ids, list) and subnet_ids:
        subnets = [Ref(value=text(s), targets=subnet_targets, configured=True) for s in subnet_ids]
    elif subnet_ids is UNKNOWN or subnet_targets:
        subnets = [Ref(targets=subnet_targets, configured=True)]
    profile = ref_of(resource, ("network_profile_id",))
    profile_set = profile.value is not None or bool(resource.refs_at(("network_profile_id",)))
    private = str(get(values, "ip_address_type") or "").lower() == "private"
    return Workload(
        address=resource.address,
        type=resource.type,
        kind=WorkloadKind.CONTAINER_GROUP,
        images=tuple(images),
        location=resource.location,
        region=text(get(values, "location")),
        credentials=credentials,
        identities=attached(resource),
        in_vnet=bool(subnets) or profile_set or private,
        subnets=tuple(subnets),
        cite=CONTAINER_GROUP_ATTRIBUTES,
    )


def _images(resource: Resource, prefix: AttrPath) -> tuple[Image, ...]:
    """Images of the ``container`` and ``init_container`` blocks under ``prefix``."""
    images: list[Image] = []
    for block, init in (("container", False), ("init_container", True)):
        listed = get(resource.values, *prefix, block)
        if listed is UNKNOWN:  # blocks known only after apply (a dynamic block): one unknown image for them
            images.append(Image(ref_of(resource, (*prefix, block)), attr((*prefix, block)), init=init))
            continue
        for position, container in enumerate(blocks(listed)):
            path: AttrPath = (*prefix, block, position, "image")
            ref = ref_of(resource, path)
            if ref.configured:
                images.append(Image(ref, attr(path), text(container.get("name")), init))
    return tuple(images)


def _credential(resource: Resource, position: int, block: Mapping[str, Any], context: Context) -> Credential:
    base: AttrPath = ("image_registry_credential", position)
    server = ref_of(resource, (*base, "server"))
    identity = ref_of(resource, (*base, "user_assigned_identity_id"))
    username, password = ref_of(resource, (*base, "username")), ref_of(resource, (*base, "password"))
    if identity.is_set:
        return identity_credential(server, attr(base), identity)
    if username.is_set or block.get("password") not in (None, ""):
        return password_credential(server, attr(base), context, (username, password))
    return Credential(server, CredentialKind.UNKNOWN, attr(base))


def _app_service(resource: Resource, context: Context) -> Workload:
    values = resource.values
    swift = context.once(_swift_integration).get(resource.address, False)
    subnet = ref_of(resource, ("virtual_network_subnet_id",))
    integration = any_state((swift, subnet.is_set))
    attribute = rt.APP_SERVICES.get(resource.type)
    pull_property = tristate(get(values, attribute), default=False) if attribute else None
    settings = get(values, "app_settings")
    pull_setting = None if settings is UNKNOWN else tristate(get(settings, PULL_OVER_VNET_SETTING), False)
    sources = _routing_sources(resource, pull_property, pull_setting) + patch_routing(context, resource)
    routing, evidence = pull_routing(sources)
    route_all = (
        tristate(get(values, "site_config", 0, "vnet_route_all_enabled")) is True
        or tristate(get(settings, ROUTE_ALL_SETTING)) is True
    )
    app = Workload(
        address=resource.address,
        type=resource.type,
        kind=WorkloadKind.APP_SERVICE,
        images=tuple(_app_images(resource)),
        location=resource.location,
        region=text(get(values, "location")),
        credentials=_app_credentials(resource, context),
        identities=attached(resource),
        vnet_integration=integration,
        integration_subnet=subnet,
        image_pull_routing=routing,
        routing_evidence=tuple(evidence),
        route_all=route_all,
        outbound_ips=_outbound_ips(values),
        pull_property=pull_property,
        pull_setting=pull_setting,
        service_plan=_service_plan(resource, context),
        cite=APP_ATTRIBUTES[attribute],
    )
    return hosted(app)


#: Where each App Service flavour says it pulls by managed identity, and which user-assigned one.
_IDENTITY_PULL = (
    ("container_registry_use_managed_identity", "container_registry_managed_identity_client_id"),
    ("acr_use_managed_identity_credentials", "acr_user_managed_identity_client_id"),  # azurerm_app_service
)
_STACK: AttrPath = ("site_config", 0, "application_stack", 0)


def _app_credentials(resource: Resource, context: Context) -> tuple[Credential, ...]:
    """The credential an app presents: managed identity, registry username and password, or none."""
    values = resource.values
    use_identity: bool | None = False
    client_id, attribute = Ref(), "site_config[0]"
    for flag, client in _IDENTITY_PULL:
        state = tristate(get(values, "site_config", 0, flag), default=False)
        if state is not False:
            use_identity, attribute = state, f"site_config[0].{flag}"
            client_id = ref_of(resource, ("site_config", 0, client))
            break
    username_path: AttrPath = (*_STACK, "docker_registry_username")
    password_path: AttrPath = (*_STACK, "docker_registry_password")
    if ref_of(resource, username_path).is_set is False:
        username_path = ("app_settings", "DOCKER_REGISTRY_SERVER_USERNAME")
        password_path = ("app_settings", "DOCKER_REGISTRY_SERVER_PASSWORD")
    username, password = ref_of(resource, username_path), ref_of(resource, password_path)
    if not use_identity and username.is_set is not False:
        attribute = attr(username_path)
    found = app_service_credential(attribute, use_identity, client_id, username, password, context)
    return (found,) if found else ()


_PLAN_ATTRIBUTES = ("service_plan_id", "app_service_plan_id")
_PARENT_ATTRIBUTES = ("function_app_id", "app_service_id")
#: A slot's parent app: by id, or by name (azurerm_app_service_slot, azurerm_function_app_slot).
_SLOT_PARENT_ATTRIBUTES = (*_PARENT_ATTRIBUTES, "app_service_name", "function_app_name")


def _service_plan(resource: Resource, context: Context) -> ServicePlan | None:
    """The plan an app runs on; a slot that names no plan of its own runs on its parent app's."""
    owners = [resource, *_parent_apps(resource, _PARENT_ATTRIBUTES, context.index)]
    return service_plan(
        context, [ref_of(owner, (attribute,)) for owner in owners for attribute in _PLAN_ATTRIBUTES]
    )


def _plan(resource: Resource, context: Context) -> ServicePlan:
    path = ("sku_name",) if resource.type == rt.SERVICE_PLAN else ("sku", 0, "tier")
    sku = text(get(resource.values, *path))
    environment = ref_of(resource, ("app_service_environment_id",))
    return ServicePlan(
        resource.address,
        sku,
        consumption(sku),
        SERVICE_PLAN_ATTRIBUTES[resource.type],
        environment,
        hosting_environment(context, environment),
    )


def _hosting_environment(resource: Resource, context: Context) -> HostingEnvironment:
    return HostingEnvironment(
        resource.address, ref_of(resource, ("subnet_id",)), HOSTING_ENVIRONMENT_ATTRIBUTES
    )


def _ml_workspace(resource: Resource, context: Context) -> MlWorkspace:
    return MlWorkspace(
        address=resource.address,
        type=resource.type,
        registry=ref_of(resource, ("container_registry_id",)),
        image_build_compute=ref_of(resource, ("image_build_compute_name",)),
        location=resource.location,
        cite=ML_WORKSPACE_ATTRIBUTES,
    )


def _environment(resource: Resource, context: Context) -> Environment:
    return Environment(
        resource.address, ref_of(resource, ("infrastructure_subnet_id",)), ENVIRONMENT_ATTRIBUTES
    )


def _routing_sources(
    resource: Resource, pull_property: bool | None, pull_setting: bool | None
) -> list[Source]:
    """Image pull routing: the site property where the type has one, or the app setting."""
    sources: list[Source] = []
    attribute = rt.APP_SERVICES.get(resource.type)
    if attribute:
        evidence = Evidence(resource.address, attribute, shown(pull_property))
        sources.append(Source(pull_property, evidence, shown=pull_property is not False))
    settings = get(resource.values, "app_settings")
    if settings is UNKNOWN:
        sources.append(Source(None, Evidence(resource.address, "app_settings", "(known after apply)")))
    elif get(settings, PULL_OVER_VNET_SETTING) is not None:
        path = f"app_settings.{PULL_OVER_VNET_SETTING}"
        sources.append(Source(pull_setting, Evidence(resource.address, path, shown(pull_setting))))
    return sources


def _outbound_ips(values: Mapping[str, Any]) -> tuple[str, ...] | None:
    for attribute in ("possible_outbound_ip_address_list", "outbound_ip_address_list"):
        found = get(values, attribute)
        if isinstance(found, list) and found and all(isinstance(ip, str) for ip in found):
            return tuple(found)
    return None


def _app_images(resource: Resource) -> list[Image]:
    """Container images of an App Service flavour, across azurerm 2.x to 4.x attribute shapes."""
    images: list[Image] = []
    stack: AttrPath = ("site_config", 0, "application_stack", 0)
    settings_registry: AttrPath = ("app_settings", "DOCKER_REGISTRY_SERVER_URL")
    shapes: list[tuple[AttrPath, AttrPath | None, AttrPath | None]] = [
        ((*stack, "docker_image_name"), (*stack, "docker_registry_url"), None),
        ((*stack, "docker_image"), settings_registry, (*stack, "docker_image_tag")),
        (
            (*stack, "docker_container_name"),
            (*stack, "docker_container_registry"),
            (*stack, "docker_container_tag"),
        ),
        (
            (*stack, "docker", 0, "image_name"),
            (*stack, "docker", 0, "registry_url"),
            (*stack, "docker", 0, "image_tag"),
        ),
        (("site_config", 0, "linux_fx_version"), settings_registry, None),
        (("site_config", 0, "windows_fx_version"), settings_registry, None),
    ]
    for image_path, registry_path, tag_path in shapes:
        image = ref_of(resource, image_path)
        legacy = str(image_path[-1]).endswith("fx_version")
        if not image.configured or (legacy and images):
            continue  # azurerm 3+ computes linux_fx_version from application_stack: not a second image
        if image.value is not None and legacy:
            kind, _, rest = image.value.partition("|")
            if kind.upper() != "DOCKER" or not rest:
                continue
            image = Ref(rest, image.targets, True)
        registry = ref_of(resource, registry_path) if registry_path else Ref()
        tag = ref_of(resource, tag_path) if tag_path else Ref()
        images.append(Image(_compose(image, registry, tag), attr(image_path)))
    return images


def _compose(image: Ref, registry: Ref, tag: Ref) -> Ref:
    """Join a registry URL, an image name and a tag into one reference, as App Service does."""
    targets = tuple(dict.fromkeys(image.targets + registry.targets + tag.targets))
    value = image.value
    unknown_part = (registry.configured and registry.value is None) or (tag.configured and tag.value is None)
    if value is not None:
        name = value
        if tag.value and ":" not in name.rsplit("/", 1)[-1]:
            name = f"{name}:{tag.value}"
        host = (registry.value or "").split("://", 1)[-1].strip("/")
        has_host = image_host(name) is not None
        if host and not has_host:
            name = f"{host}/{name}"
        elif not has_host and unknown_part:
            name = ""
        value = name or None
    return Ref(value=value, targets=targets, configured=True)


def _container_app(resource: Resource, context: Context) -> Workload:
    """A container app or job: its template's images, its registry blocks and its environment's subnet."""
    credentials = tuple(
        _app_registry_credential(resource, position, block, context)
        for block in ("registry", "registries")  # a job's block was "registries" before azurerm 3.106
        for position, _ in enumerate(blocks(get(resource.values, block)))
    )
    return Workload(
        address=resource.address,
        type=resource.type,
        kind=WorkloadKind.CONTAINER_APP,
        images=_images(resource, ("template", 0)),
        location=resource.location,
        credentials=patched_credentials(context, resource) or credentials,
        identities=attached(resource),
        cite=CONTAINER_APP_ATTRIBUTES,
        **environment_fields(context, ref_of(resource, ("container_app_environment_id",))),
    )


def _app_registry_credential(resource: Resource, position: int, block: str, context: Context) -> Credential:
    """A container app's ``registry`` block: a managed identity, or a username and password secret."""
    base: AttrPath = (block, position)
    server = ref_of(resource, (*base, "server"))
    identity = ref_of(resource, (*base, "identity"))
    username = ref_of(resource, (*base, "username"))
    if identity.is_set:
        return identity_credential(server, attr(base), identity)
    if username.is_set or ref_of(resource, (*base, "password_secret_name")).is_set:
        return password_credential(server, attr(base), context, (username,))
    return Credential(server, CredentialKind.UNKNOWN, attr(base))


BUILDERS: dict[str, Builder] = {
    rt.REGISTRY: Builder(Role.REGISTRY, _registry),
    rt.PRIVATE_ENDPOINT: Builder(Role.PRIVATE_ENDPOINT, _private_endpoint),
    rt.CONTAINER_GROUP: Builder(Role.WORKLOAD, _container_group),
    rt.CONTAINER_APP: Builder(Role.WORKLOAD, _container_app),
    rt.CONTAINER_APP_JOB: Builder(Role.WORKLOAD, _container_app),
    rt.CONTAINER_APP_ENVIRONMENT: Builder(Role.ENVIRONMENT, _environment),
    rt.APP_SERVICE_ENVIRONMENT: Builder(Role.HOSTING_ENVIRONMENT, _hosting_environment),
    rt.ML_WORKSPACE: Builder(Role.ML_WORKSPACE, _ml_workspace),
    **{plan_type: Builder(Role.SERVICE_PLAN, _plan) for plan_type in rt.SERVICE_PLANS},
    **{app_type: Builder(Role.WORKLOAD, _app_service) for app_type in rt.APP_SERVICES},
}
NETWORKS: tuple[Network, ...] = (_network,)
