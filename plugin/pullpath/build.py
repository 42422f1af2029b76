"""Turn reader output (:class:`Resource` records) into the :class:`Model` the rules read.

This is the only place that knows azurerm attribute names; readers only say what is set, what is
unknown and what references what.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pullpath import resource_types as rt
from pullpath.model import (
    UNKNOWN,
    AttrPath,
    Credential,
    CredentialKind,
    Evidence,
    Image,
    Model,
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
from pullpath.sensitive import of_resources

PULL_OVER_VNET_SETTING = "WEBSITE_PULL_IMAGE_OVER_VNET"
ROUTE_ALL_SETTING = "WEBSITE_VNET_ROUTE_ALL"


def get(values: Any, *path: str | int) -> Any:
    """Walk nested values; None when a step is missing, UNKNOWN when a step is known after apply."""
    current = values
    for step in path:
        if current is UNKNOWN:
            return UNKNOWN
        if isinstance(step, int):
            if not isinstance(current, list) or step >= len(current):
                return None
            current = current[step]
        else:
            if type(current) is not dict and not isinstance(current, Mapping):  # dict first: no ABC check
                return None
            current = current.get(step)
    return current


def text(value: Any) -> str | None:
    """A known, non-empty string value, else None."""
    return value if isinstance(value, str) and value else None


def tristate(value: Any, default: bool | None = None) -> bool | None:
    """Terraform bools, including the strings checkov and app settings use; None when unknown."""
    if value is UNKNOWN:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return default


def blocks(value: Any) -> list[Mapping[str, Any]]:
    """A nested block list (or one block) as a list of mappings."""
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, Mapping)]
    return []


def ref_of(resource: Resource, path: AttrPath) -> Ref:
    value = get(resource.values, *path)
    if value is None and _known_null(resource.values, path):
        return Ref()  # a known null is not set, whatever its expression references (a for_each map's null)
    targets = resource.refs_at(path)
    return Ref(
        value=text(value),
        targets=targets or (),
        configured=targets is not None or value is UNKNOWN or text(value) is not None,
    )


def _known_null(values: Any, path: AttrPath) -> bool:
    """Whether the value at ``path`` is present and null (known), rather than absent."""
    parent = get(values, *path[:-1])
    return isinstance(parent, Mapping) and path[-1] in parent and parent[path[-1]] is None


def _attr(path: AttrPath) -> str:
    """``("container", 0, "image")`` -> ``container[0].image`` for evidence."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _Index:
    """Resources by address and by known id, to follow references and id strings alike."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self.by_address = {resource.address: resource for resource in resources}
        self.by_id: dict[str, Resource] = {}
        for resource in resources:
            identifier = text(get(resource.values, "id"))
            if identifier:
                self.by_id[identifier.lower()] = resource

    def follow(self, ref: Ref, types: Iterable[str]) -> list[Resource]:
        wanted = set(types)
        found = [self.by_address[t] for t in ref.targets if t in self.by_address]
        if ref.value and ref.value.lower() in self.by_id:
            found.append(self.by_id[ref.value.lower()])
        return [resource for resource in dict.fromkeys(found) if resource.type in wanted]


def build_model(resources: Sequence[Resource], source: str = "") -> Model:
    index = _Index(resources)
    of_type: dict[str, list[Resource]] = {}
    for resource in resources:
        of_type.setdefault(resource.type, []).append(resource)

    swift = _swift_integration(of_type, index)
    workloads: list[Workload] = []
    for resource in of_type.get(rt.CONTAINER_GROUP, ()):
        if not resource.is_data:
            workloads.append(_container_group(resource))
    for app_type in rt.APP_SERVICES:
        for resource in of_type.get(app_type, ()):
            if not resource.is_data:
                workloads.append(_app_service(resource, swift.get(resource.address, False), index))
    for resource in of_type.get(rt.CONTAINER_APP, ()):
        if not resource.is_data:
            workloads.append(_container_app(resource, index))

    return Model(
        registries=tuple(_registry(r) for r in of_type.get(rt.REGISTRY, ())),
        private_endpoints=tuple(_private_endpoint(r) for r in of_type.get(rt.PRIVATE_ENDPOINT, ())),
        subnets=_subnets(of_type, index),
        nat_gateways=_nat_gateways(of_type, index),
        workloads=tuple(sorted(workloads, key=lambda w: w.address)),
        source=source,
        addresses=frozenset(index.by_address),
        sensitive=of_resources(resources),
    )


def _registry(resource: Resource) -> Registry:
    values = resource.values
    location = resource.location
    if resource.is_data:
        return Registry.undefined(  # the data source exposes no network settings
            address=resource.address,
            name=text(get(values, "name")),
            login_server=text(get(values, "login_server")),
            sku=text(get(values, "sku")),
            id=text(get(values, "id")),
            location=location,
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
    return Registry(
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
    )


def _configured(resource: Resource, attribute: str) -> bool:
    """Whether the configuration sets an attribute or block (in any of its nested paths)."""
    return any(path and path[0] == attribute for path in resource.refs)


def _allows(rule: Mapping[str, Any]) -> bool:
    action = rule.get("action")
    return action is None or action is UNKNOWN or str(action).lower() == "allow"


def _private_endpoint(resource: Resource) -> PrivateEndpoint:
    connection = ("private_service_connection", 0)
    names = get(resource.values, *connection, "subresource_names")
    return PrivateEndpoint(
        address=resource.address,
        subnet=ref_of(resource, ("subnet_id",)),
        targets=ref_of(resource, (*connection, "private_connection_resource_id")),
        subresources=None if names is UNKNOWN else tuple(str(n) for n in names or () if isinstance(n, str)),
    )


def _subnets(of_type: Mapping[str, list[Resource]], index: _Index) -> dict[str, Subnet]:
    nat_of: dict[str, str] = {}
    for association in of_type.get(rt.SUBNET_NAT, ()):
        subnets = index.follow(ref_of(association, ("subnet_id",)), {rt.SUBNET})
        nats = index.follow(ref_of(association, ("nat_gateway_id",)), {rt.NAT_GATEWAY})
        for subnet in subnets:
            nat_of[subnet.address] = nats[0].address if nats else association.address
    return {
        subnet.address: Subnet(subnet.address, text(get(subnet.values, "id")), nat_of.get(subnet.address))
        for subnet in of_type.get(rt.SUBNET, ())
    }


def _nat_gateways(of_type: Mapping[str, list[Resource]], index: _Index) -> dict[str, NatGateway]:
    addresses: dict[str, list[str | None]] = {nat.address: [] for nat in of_type.get(rt.NAT_GATEWAY, ())}
    pairs = (
        (rt.NAT_PUBLIC_IP, "public_ip_address_id", rt.PUBLIC_IP, "ip_address"),
        (rt.NAT_PUBLIC_IP_PREFIX, "public_ip_prefix_id", rt.PUBLIC_IP_PREFIX, "ip_prefix"),
    )
    for association_type, id_attr, ip_type, ip_attr in pairs:
        for association in of_type.get(association_type, ()):
            nats = index.follow(ref_of(association, ("nat_gateway_id",)), {rt.NAT_GATEWAY})
            ips = index.follow(ref_of(association, (id_attr,)), {ip_type})
            for nat in nats:
                known = [text(get(ip.values, ip_attr)) for ip in ips] or [None]
                addresses.setdefault(nat.address, []).extend(known)
    return {address: NatGateway(address, tuple(ips)) for address, ips in addresses.items()}


def _swift_integration(of_type: Mapping[str, list[Resource]], index: _Index) -> dict[str, bool | None]:
    """Apps that a swift connection resource integrates with a VNet: True, or None when it may.

    An app's connection names the app. A slot's connection names the parent app
    (``app_service_id``) and the slot by name (``slot_name``): it integrates that slot, never the
    parent. When the slot's name or either side's parent is known only after apply, a slot it may
    mean is None, not a guess.
    """
    integrated: dict[str, bool | None] = {}
    for connection in of_type.get(rt.APP_SWIFT_CONNECTION, ()):
        for app in index.follow(ref_of(connection, ("app_service_id",)), rt.APP_SERVICES):
            integrated[app.address] = True
    slots = [
        (slot, {parent.address for parent in _parent_apps(slot, _SLOT_PARENT_ATTRIBUTES, index)})
        for kind in rt.APP_SERVICES
        if kind.endswith("_slot")
        for slot in of_type.get(kind, ())
    ]
    for connection in of_type.get(rt.SLOT_SWIFT_CONNECTION, ()):
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


def _parent_apps(resource: Resource, attributes: tuple[str, ...], index: _Index) -> list[Resource]:
    """The apps ``resource`` names as its parent through any of ``attributes``, in that order."""
    return [
        parent
        for attribute in attributes
        for parent in index.follow(ref_of(resource, (attribute,)), rt.APP_SERVICES)
    ]


def _container_group(resource: Resource) -> Workload:
    values = resource.values
    images = _images(resource, ())
    credentials = tuple(
        _credential(resource, position, block)
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
        in_vnet=bool(subnets) or profile_set or private,
        subnets=tuple(subnets),
    )


def _images(resource: Resource, prefix: AttrPath) -> tuple[Image, ...]:
    """Images of the ``container`` and ``init_container`` blocks under ``prefix``."""
    images: list[Image] = []
    for block, init in (("container", False), ("init_container", True)):
        for position, container in enumerate(blocks(get(resource.values, *prefix, block))):
            path: AttrPath = (*prefix, block, position, "image")
            ref = ref_of(resource, path)
            if ref.configured:
                images.append(Image(ref, _attr(path), text(container.get("name")), init))
    return tuple(images)


def _credential(resource: Resource, position: int, block: Mapping[str, Any]) -> Credential:
    base: AttrPath = ("image_registry_credential", position)
    identity = ref_of(resource, (*base, "user_assigned_identity_id")).is_set
    password = ref_of(resource, (*base, "username")).is_set or block.get("password") not in (None, "")
    if identity:
        kind = CredentialKind.IDENTITY
    elif password:
        kind = CredentialKind.PASSWORD
    else:
        kind = CredentialKind.UNKNOWN
    return Credential(ref_of(resource, (*base, "server")), kind, _attr(base))


def _app_service(resource: Resource, swift: bool | None, index: _Index) -> Workload:
    values = resource.values
    subnet = ref_of(resource, ("virtual_network_subnet_id",))
    integration = _any_state((swift, subnet.is_set))
    attribute = rt.APP_SERVICES.get(resource.type)
    pull_property = tristate(get(values, attribute), default=False) if attribute else None
    settings = get(values, "app_settings")
    pull_setting = None if settings is UNKNOWN else tristate(get(settings, PULL_OVER_VNET_SETTING), False)
    routing, evidence = _pull_routing(resource, pull_property, pull_setting)
    settings = get(values, "app_settings")
    route_all = (
        tristate(get(values, "site_config", 0, "vnet_route_all_enabled")) is True
        or tristate(get(settings, ROUTE_ALL_SETTING)) is True
    )
    return Workload(
        address=resource.address,
        type=resource.type,
        kind=WorkloadKind.APP_SERVICE,
        images=tuple(_app_images(resource)),
        location=resource.location,
        region=text(get(values, "location")),
        vnet_integration=integration,
        integration_subnet=subnet,
        image_pull_routing=routing,
        routing_evidence=tuple(evidence),
        route_all=route_all,
        outbound_ips=_outbound_ips(values),
        pull_property=pull_property,
        pull_setting=pull_setting,
        service_plan=_service_plan(resource, index),
    )


_PLAN_ATTRIBUTES = ("service_plan_id", "app_service_plan_id")
_PARENT_ATTRIBUTES = ("function_app_id", "app_service_id")
#: A slot's parent app: by id, or by name (azurerm_app_service_slot, azurerm_function_app_slot).
_SLOT_PARENT_ATTRIBUTES = (*_PARENT_ATTRIBUTES, "app_service_name", "function_app_name")
_CONSUMPTION_SKUS = frozenset({"y1", "dynamic"})


def _service_plan(resource: Resource, index: _Index) -> ServicePlan | None:
    """The plan an app runs on; a slot that names no plan of its own runs on its parent app's."""
    owners = [resource, *_parent_apps(resource, _PARENT_ATTRIBUTES, index)]
    for owner in owners:
        for attribute in _PLAN_ATTRIBUTES:
            plans = index.follow(ref_of(owner, (attribute,)), rt.SERVICE_PLANS)
            if plans:
                plan = plans[0]
                path = ("sku_name",) if plan.type == rt.SERVICE_PLAN else ("sku", 0, "tier")
                sku = text(get(plan.values, *path))
                return ServicePlan(
                    plan.address, sku, None if sku is None else sku.lower() in _CONSUMPTION_SKUS
                )
    return None


def _pull_routing(
    resource: Resource, pull_property: bool | None, pull_setting: bool | None
) -> tuple[bool | None, list[Evidence]]:
    """Image pull routing: the site property where the type has one, or the app setting."""
    states: list[bool | None] = []
    evidence: list[Evidence] = []
    attribute = rt.APP_SERVICES.get(resource.type)
    if attribute:
        states.append(pull_property)
        if pull_property is not False:
            evidence.append(Evidence(resource.address, attribute, _shown(pull_property)))
    settings = get(resource.values, "app_settings")
    if settings is UNKNOWN:
        states.append(None)
        evidence.append(Evidence(resource.address, "app_settings", "(known after apply)"))
    elif get(settings, PULL_OVER_VNET_SETTING) is not None:
        states.append(pull_setting)
        evidence.append(
            Evidence(resource.address, f"app_settings.{PULL_OVER_VNET_SETTING}", _shown(pull_setting))
        )
    routed = _any_state(states)
    if routed:
        return True, [e for e in evidence if e.value == "true"]
    return routed, evidence


def _any_state(states: Sequence[bool | None]) -> bool | None:
    """True when any state is True; else None when any is known only after apply; else False."""
    return True if True in states else (None if None in states else False)


def _shown(state: bool | None) -> str:
    return "(known after apply)" if state is None else str(state).lower()


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
        images.append(Image(_compose(image, registry, tag), _attr(image_path)))
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


def _container_app(resource: Resource, index: _Index) -> Workload:
    """A container app: its template's images, its registry blocks and its environment's subnet."""
    credentials = tuple(
        _app_registry_credential(resource, position)
        for position, _ in enumerate(blocks(get(resource.values, "registry")))
    )
    environments = index.follow(
        ref_of(resource, ("container_app_environment_id",)), {rt.CONTAINER_APP_ENVIRONMENT}
    )
    in_vnet: bool | None = None
    subnets: tuple[Ref, ...] = ()
    if environments:
        subnet = ref_of(environments[0], ("infrastructure_subnet_id",))
        in_vnet = subnet.is_set
        subnets = (subnet,) if in_vnet else ()
    return Workload(
        address=resource.address,
        type=resource.type,
        kind=WorkloadKind.CONTAINER_APP,
        images=_images(resource, ("template", 0)),
        location=resource.location,
        credentials=credentials,
        in_vnet=in_vnet,
        subnets=subnets,
        environment=environments[0].address if environments else None,
    )


def _app_registry_credential(resource: Resource, position: int) -> Credential:
    """A container app's ``registry`` block: a managed identity, or a username and password secret."""
    base: AttrPath = ("registry", position)
    if ref_of(resource, (*base, "identity")).is_set:
        kind = CredentialKind.IDENTITY
    elif (
        ref_of(resource, (*base, "username")).is_set
        or ref_of(resource, (*base, "password_secret_name")).is_set
    ):
        kind = CredentialKind.PASSWORD
    else:
        kind = CredentialKind.UNKNOWN
    return Credential(ref_of(resource, (*base, "server")), kind, _attr(base))
