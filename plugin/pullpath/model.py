"""The small model every reader builds and every rule reads.

Readers (plan JSON, .tf sources, checkov's graph) differ in how they find values; once they have
produced :class:`Resource` records, :mod:`pullpath.builders` turns those into this model, so the rules
never know which front door the input came through.

Three-valued facts use ``None`` for "the configuration cannot tell" (known only after apply, defined
elsewhere, not evaluable). Rules must turn ``None`` into UNKNOWN, never into PASS or FAIL.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from functools import cached_property
from typing import Any, Final, NamedTuple

import msgspec


class Unknown(enum.Enum):
    """Sentinel for a value known only after apply (plan ``after_unknown``) or not evaluable (HCL).

    A one-member enum rather than a plain object, so a type checker narrows ``value is UNKNOWN``:
    after the check, ``str | Unknown`` is ``str``. Pickling and copying keep the one instance.
    """

    UNKNOWN = "UNKNOWN"

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __str__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown.UNKNOWN

AttrPath = tuple[str | int, ...]

#: How the .tf reader records, among an attribute's references, that a limit stopped its evaluation:
#: ``(not evaluated: a string over 1,048,576 characters (1 MiB))``. Like an unset variable's text it
#: says why the value is unknown, so the rules judge UNKNOWN and name the limit.
NOT_EVALUATED = "(not evaluated: "


class SourceLocation(msgspec.Struct, frozen=True):
    """Where a resource was declared, for findings that point at a file and line."""

    file: str
    line: int | None = None


class Resource(msgspec.Struct, frozen=True, eq=False):
    """One resource instance as a reader saw it, before any interpretation.

    ``values`` hold known values with :data:`UNKNOWN` where the value is known only after apply.
    ``refs`` map an attribute path (``("container", 0, "image")``) to the addresses of the
    resources its expression references, traced through variables, module calls and outputs.
    A path present in ``refs`` was set in the configuration, even when it references nothing.
    Unresolvable references (``local.x`` in a plan) are kept as their text.
    """

    address: str
    type: str
    mode: str = "managed"
    values: Mapping[str, Any] = {}
    refs: Mapping[AttrPath, tuple[str, ...]] = {}
    location: SourceLocation | None = None
    sensitive: frozenset[str] = frozenset()  # strings its input marks sensitive (see pullpath.sensitive)
    #: Per attribute path, the references that name an attribute whose name matters
    #: (``addresses.NAMED_ATTRIBUTES``) as ``<address>.<attribute>``, e.g. ``<identity address>.client_id``.
    ref_attributes: Mapping[AttrPath, tuple[str, ...]] = {}
    #: Whether applying the input creates it: True when a plan creates (or replaces) it, False when a
    #: plan keeps or updates what exists; None when the input cannot tell (a scan of .tf sources).
    created: bool | None = None

    @property
    def is_data(self) -> bool:
        return self.mode == "data"

    def refs_at(self, path: AttrPath) -> tuple[str, ...] | None:
        """References of one attribute; None when the configuration does not set it.

        A dynamic block or a block list is configured once but expands to several values, so an
        index that the configuration does not have falls back to the first configured block.
        """
        if path in self.refs:
            return self.refs[path]
        first = tuple(0 if isinstance(part, int) else part for part in path)
        return self.refs.get(first)


class Verdict(enum.IntEnum):
    """Ordered so that ``max`` picks the verdict that matters most to a gate."""

    PASS = 0
    UNKNOWN = 1
    WARN = 2
    FAIL = 3


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4


class Posture(enum.Enum):
    """A registry's network posture as far as the configuration tells it."""

    OPEN = "open"  # public access on, default action Allow: anyone with credentials can pull
    CLOSED = "closed"  # public access off: private endpoints and trusted services only
    FIREWALLED = "firewalled"  # public access on, default action Deny: IP rules admit
    UNKNOWN = "unknown"  # defined elsewhere or known only after apply


class Ref(msgspec.Struct, frozen=True):
    """A value that points somewhere: its known text, the resources its expression names, or both."""

    value: str | None = None
    targets: tuple[str, ...] = ()
    configured: bool = False

    @property
    def keys(self) -> set[str]:
        """What an index finds it by: the addresses it names and its known text, lower-case."""
        return {*self.targets, self.value.lower()} if self.value else set(self.targets)

    @property
    def is_set(self) -> bool | None:
        """True when set, False when absent, None when configured but neither known nor traced."""
        if self.value or self.targets:
            return True
        return None if self.configured else False


class Cite(enum.Enum):
    """What a finding can cite about a resource, named apart from any dialect.

    Rules cite through these keys and each builder says which attribute path its dialect writes
    for them (an azurerm attribute, or the ARM path inside an azapi ``body``), so a finding names
    what the user wrote and no rule knows a provider's attribute names.
    """

    PUBLIC_ACCESS = "public_access"
    RULE_SET = "rule_set"
    DEFAULT_ACTION = "default_action"
    IP_RULES = "ip_rules"
    SERVICE_ENDPOINT_RULES = "service_endpoint_rules"
    BYPASS = "bypass"
    SKU = "sku"
    ENDPOINT_SUBNET = "endpoint_subnet"
    ENDPOINT_CONNECTION = "endpoint_connection"
    ENDPOINT_TARGET = "endpoint_target"
    NAT_PUBLIC_IP = "nat_public_ip"
    LOCATION = "location"
    SUBNET = "subnet"  # a container group's subnets, an app's integration subnet
    ROUTE_ALL = "route_all"
    PULL_PROPERTY = "pull_property"
    PULL_SETTING = "pull_setting"
    OUTBOUND_IPS = "outbound_ips"
    REGISTRY_CREDENTIALS = "registry_credentials"
    IDENTITY = "identity"  # a workload's attached identities
    ADMIN_ENABLED = "admin_enabled"
    ANONYMOUS_PULL = "anonymous_pull"
    ARM_AUDIENCE = "arm_audience_tokens"
    ROLE_ASSIGNMENT_MODE = "role_assignment_mode"  # ABAC repository permissions: which roles pull
    ROLE = "role"
    PERMISSIONS = "permissions"  # a role definition's actions
    SCOPE = "scope"
    PRINCIPAL = "principal"
    ENVIRONMENT = "environment"
    ENVIRONMENT_SUBNET = "environment_subnet"
    HOSTING_ENVIRONMENT = "hosting_environment"  # a plan's App Service Environment
    REGISTRY_ID = "registry_id"  # the registry a machine learning workspace builds its images in
    IMAGE_BUILD_COMPUTE = "image_build_compute"
    # The name and route layers (PP6xx, PP7xx)
    DNS_SERVERS = "dns_servers"
    REGION = "region"
    PEERING_REMOTE = "peering_remote"
    PEERING_ACCESS = "peering_access"
    LINK_VNET = "link_vnet"
    LINK_ZONE = "link_zone"
    ZONE_NAME = "zone_name"
    ZONE_GROUP = "zone_group"
    RECORD_NAME = "record_name"
    MANUAL_CONNECTION = "manual_connection"
    NEXT_HOP = "next_hop"
    FIREWALL_POLICY = "firewall_policy"
    RULE_DESTINATIONS = "rule_destinations"
    DNS_PROXY = "dns_proxy"
    RESOLVER_ADDRESS = "resolver_address"
    DATA_ENDPOINTS = "data_endpoints"
    REPLICAS = "replicas"
    WORKLOAD_PROFILES = "workload_profiles"
    KUBELET_IDENTITY = "kubelet_identity"  # the identity an AKS cluster's nodes pull with (its object ID)
    CONTROL_PLANE_IDENTITY = "control_plane_identity"  # an AKS cluster's own identity (its principal ID)
    OUTBOUND_TYPE = "outbound_type"
    LOAD_BALANCER_OUTBOUND = "load_balancer_outbound"  # the outbound IPs or prefixes a load balancer names


class Attributes(msgspec.Struct, frozen=True, eq=False):
    """The attribute paths one dialect writes for what findings cite, for one kind of resource.

    Builders define one instance per dialect and kind, as a module constant, so model objects that
    carry it still compare and hash cheaply (by identity). A key the dialect does not name is cited
    by its neutral name rather than a guessed path.
    """

    dialect: str
    paths: Mapping[Cite, str] = {}
    owners: Mapping[Cite, str] = {}  # another block set it (an azapi patch)

    def __call__(self, key: Cite) -> str:
        return self.paths.get(key, key.value)


def cited(subject: Any, key: Cite, value: str | None = None) -> Evidence:
    """Evidence for what ``subject`` (a registry, workload, endpoint...) says under ``key``.

    It names the block that set it: the subject itself, or the patch its builder recorded.
    """
    attributes: Attributes = subject.cite
    return Evidence(attributes.owners.get(key, subject.address), attributes(key), value)


NEUTRAL = Attributes("neutral")


class Evidence(msgspec.Struct, frozen=True):
    """An attribute that decided a verdict. ``value`` is only ever a non-secret setting."""

    address: str
    attribute: str
    value: str | None = None

    def __str__(self) -> str:
        text = f"{self.address}.{self.attribute}" if self.attribute else self.address
        return f"{text} = {self.value}" if self.value is not None else text


class Registry(msgspec.Struct, frozen=True):
    address: str
    name: str | None
    login_server: str | None
    sku: str | None
    public_network_access: bool | None
    default_action: str | None
    ip_rules: tuple[str, ...] | None
    service_endpoint_rules: int | None
    bypass: str | None
    defined: bool = True  # False: a data source or a login server no resource in the input defines
    id: str | None = None
    location: SourceLocation | None = None
    rule_set: bool | None = False  # a network_rule_set block is present; None: known only after apply
    cite: Attributes = NEUTRAL
    admin_enabled: bool | None = False  # the admin user; None: known only after apply, or not told
    anonymous_pull: bool | None = False
    arm_audience_tokens: bool | None = True  # azureADAuthenticationAsArmPolicy; azapi alone can turn it off
    #: Role assignment mode "RBAC Registry + ABAC Repository Permissions": only the repository roles
    #: pull. False is the default legacy mode, assumed for a registry the input does not configure.
    abac: bool | None = False
    resource_group: Ref = Ref()  # its resource group's name, and the resource group it references

    @classmethod
    def undefined(
        cls,
        address: str,
        name: str | None,
        login_server: str | None,
        sku: str | None = None,
        id: str | None = None,  # shadows the builtin: it is the attribute's Azure name
        location: SourceLocation | None = None,
    ) -> Registry:
        """A registry this input names but does not configure: its network posture is unknown."""
        return cls(
            address=address,
            name=name,
            login_server=login_server,
            sku=sku,
            public_network_access=None,
            default_action=None,
            ip_rules=None,
            service_endpoint_rules=None,
            bypass=None,
            defined=False,
            id=id,
            location=location,
            admin_enabled=None,
            anonymous_pull=None,
            arm_audience_tokens=None,
        )

    @property
    def posture(self) -> Posture:
        if not self.defined:
            return Posture.UNKNOWN
        if self.public_network_access is False:
            return Posture.CLOSED
        if self.public_network_access is None:
            return Posture.UNKNOWN
        if self.default_action is None:
            return Posture.UNKNOWN
        return Posture.FIREWALLED if self.default_action.lower() == "deny" else Posture.OPEN

    @property
    def label(self) -> str:
        """What a report shows: the login server when known, else the name or address."""
        return self.login_server or self.name or self.address


class PrivateEndpoint(msgspec.Struct, frozen=True):
    address: str
    subnet: Ref
    targets: Ref  # the private_connection_resource_id
    subresources: tuple[str, ...] | None
    cite: Attributes = NEUTRAL


class Subnet(msgspec.Struct, frozen=True):
    address: str
    id: str | None
    nat_gateway: str | None  # address of the associated NAT gateway, if the configuration has one


class Environment(msgspec.Struct, frozen=True):
    """A Container Apps environment: the subnet its apps run in, when it has one."""

    address: str
    subnet: Ref
    cite: Attributes = NEUTRAL


class NatGateway(msgspec.Struct, frozen=True):
    address: str
    public_ips: tuple[str | None, ...]  # None: an address known only after apply
    cite: Attributes = NEUTRAL


class Image(msgspec.Struct, frozen=True):
    """One image reference of a workload: known text, traced targets, or both.

    ``owner`` is the resource that names the image when it is not the workload itself (a Kubernetes
    deployment or Helm release running on a cluster, or the grant that attaches a registry to one);
    ``attribute`` then starts with that address, so that it is unique within the workload.
    """

    ref: Ref
    attribute: str  # evidence path, e.g. "container[0].image"
    container: str | None = None
    init: bool = False
    owner: str | None = None
    shown: str | None = None  # what a report shows when no image text is named ("any image of ...")

    @property
    def text(self) -> str:
        return self.ref.value or self.shown or "(known after apply)"

    def cited(self, workload: str, value: str | None = None) -> Evidence:
        """Evidence for the attribute that names the image, on the resource that holds it."""
        if self.owner and self.attribute.startswith(self.owner + "."):
            return Evidence(self.owner, self.attribute[len(self.owner) + 1 :], value)
        return Evidence(workload, self.attribute, value)


class CredentialKind(enum.Enum):
    IDENTITY = "identity"
    PASSWORD = "password"
    UNKNOWN = "unknown"


class Credential(msgspec.Struct, frozen=True):
    """What a workload presents to the registry at ``server`` (an empty Ref: any registry it pulls from).

    An identity credential names a user-assigned identity in ``identity`` (its resource ID, or for
    App Service its client ID) or uses the workload's own system-assigned identity (``system``).
    ``admin`` marks a password taken from the registry's admin user.
    """

    server: Ref
    kind: CredentialKind
    attribute: str
    identity: Ref | None = None
    system: bool = False
    admin: bool = False
    username: str | None = None  # a password's username, when known: the admin user's is the registry name


class Identities(msgspec.Struct, frozen=True):
    """The managed identities attached to a workload: its ``identity`` block (or ARM ``identity``)."""

    system: bool | None = False  # system-assigned on; None: the identity type is known only after apply
    user: Ref = Ref()  # the user-assigned identity IDs: known values (joined) and the identities referenced
    user_ids: tuple[str, ...] = ()  # the known IDs, lower-case
    attribute: str = "identity"
    #: The system-assigned identity's object ID: known once the workload exists (a plan that keeps it
    #: shows it), so ``--role-assignments`` entries can be matched to it.
    system_principal_id: str | None = None


class UserIdentity(msgspec.Struct, frozen=True):
    """A user-assigned managed identity: created here, or read through a data source (``defined`` False)."""

    address: str
    id: str | None
    principal_id: str | None
    client_id: str | None
    defined: bool = True
    created: bool | None = None  # as Resource.created: False when a plan keeps an identity that exists


class RoleAssignment(msgspec.Struct, frozen=True):
    """A role granted to a principal at a scope: in the input, or from ``--role-assignments``.

    ``principal_attributes`` are the references of ``principal_id`` that name an attribute
    (``<identity address>.client_id``): which attribute of an identity the grant was given to.
    """

    address: str
    role: str | None  # the role's name, or its definition ID; None: known only after apply
    scope: Ref
    principal: Ref
    principal_attributes: tuple[str, ...] = ()
    cite: Attributes = NEUTRAL
    definition: str | None = None  # the role definition in this input its role references, by address


class Permission(msgspec.Struct, frozen=True):
    """One entry of a role definition's permissions; a list known only after apply is None."""

    actions: tuple[str, ...] | None = ()
    not_actions: tuple[str, ...] | None = ()
    data_actions: tuple[str, ...] | None = ()
    not_data_actions: tuple[str, ...] | None = ()


class RoleDefinition(msgspec.Struct, frozen=True):
    """A role definition this input creates (a custom role) or reads through a data source.

    ``permissions`` is None when the input does not tell them: known only after apply, or held by
    Azure for a data source that .tf sources only name. ``ids``: its definition GUIDs, lower-case.
    """

    address: str
    name: str | None
    permissions: tuple[Permission, ...] | None
    ids: tuple[str, ...] = ()
    defined: bool = True
    cite: Attributes = NEUTRAL


class WorkloadKind(enum.Enum):
    CONTAINER_GROUP = "container_group"
    APP_SERVICE = "app_service"
    CONTAINER_APP = "container_app"
    AKS = "aks"  # an AKS cluster: its nodes pull, with the kubelet identity (Workload.cluster)
    REGISTRY = "registry"  # the subject of a registry-level finding (PP901); never in Model.workloads
    ML_WORKSPACE = "ml_workspace"  # the subject of an image-build finding (PP903); never in Model.workloads
    RESOURCE = "resource"  # any other resource a finding is about (PP902); never in Model.workloads


class HostingEnvironment(msgspec.Struct, frozen=True):
    """An App Service Environment (v3): the subnet its apps run in."""

    address: str
    subnet: Ref
    cite: Attributes = NEUTRAL


class ServicePlan(msgspec.Struct, frozen=True):
    """The App Service plan an app runs on; ``consumption`` None when its SKU is known only after apply."""

    address: str
    sku: str | None
    consumption: bool | None
    cite: Attributes = NEUTRAL
    environment: Ref = Ref()  # the App Service Environment it is created in; not set: multi-tenant
    hosting: HostingEnvironment | None = None  # that environment, when this input defines it


class NodePool(msgspec.Struct, frozen=True):
    """A node pool of an AKS cluster: the subnet its nodes pull from (not set: a VNet AKS creates)."""

    address: str  # the cluster (its default pool) or the node pool resource
    attribute: str  # the subnet attribute, for evidence
    subnet: Ref
    public_ips: bool | None = False  # nodes with their own public IP leave from it; None: unknown


class Cluster(msgspec.Struct, frozen=True):
    """What an AKS cluster's nodes pull with and leave from, and how the images it runs were tied to it.

    ``kubelet`` names a user-assigned kubelet identity; not set, AKS creates one with the cluster
    (system-managed, its object ID known after apply). ``outbound_type`` is None when known only after
    apply. ``load_balancer_ips`` are the outbound IPs and prefixes the load balancer profile names
    (each None when known only after apply); None when AKS creates them.
    """

    kubelet: Ref = Ref()
    #: The object ID of the kubelet identity AKS made: known once the cluster exists (a plan that
    #: keeps it shows it), so ``--role-assignments`` entries (``az aks update --attach-acr``) match it.
    kubelet_object_id: str | None = None
    service_principal: bool = False  # a cluster with a service principal: its nodes pull as it
    node_pools: tuple[NodePool, ...] = ()
    outbound_type: str | None = "loadBalancer"
    load_balancer_ips: tuple[str | None, ...] | None = None
    private_cluster: bool | None = False  # the API server only: never evidence about pulls
    pull_secrets: frozenset[str] = frozenset()  # image owners whose pod spec or values name pull secrets
    guessed: frozenset[str] = frozenset()  # image owners tied here as the only cluster in the input
    untold: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (image owner, the clusters it may run on)

    def may_run_on(self, owner: str | None) -> tuple[str, ...]:
        """The clusters an image owner may run on when its provider names none; () when it is told."""
        return next((clusters for found, clusters in self.untold if found == owner), ())


class Workload(msgspec.Struct, frozen=True):
    """A resource that pulls images. App Service specifics stay ``None`` on other kinds."""

    address: str
    type: str
    kind: WorkloadKind
    images: tuple[Image, ...]
    location: SourceLocation | None = None
    region: str | None = None
    credentials: tuple[Credential, ...] = ()
    identities: Identities = Identities()
    created: bool | None = None  # as Resource.created: False when a plan keeps or updates what exists
    in_vnet: bool | None = False
    subnets: tuple[Ref, ...] = ()
    # App Service
    vnet_integration: bool | None = None
    integration_subnet: Ref | None = None
    image_pull_routing: bool | None = None
    routing_evidence: tuple[Evidence, ...] = ()
    route_all: bool = False
    outbound_ips: tuple[str, ...] | None = None
    pull_property: bool | None = None  # vnet_image_pull_enabled & co; None: no such attribute, or unknown
    pull_setting: bool | None = None  # app setting WEBSITE_PULL_IMAGE_OVER_VNET; None: app_settings unknown
    service_plan: ServicePlan | None = None  # None: the plan is not defined in this input
    # Container App
    environment: str | None = None  # address of its environment; None: not defined in this input
    cite: Attributes = NEUTRAL
    environment_cite: Attributes = NEUTRAL  # the environment's own dialect, which may differ from the app's
    cluster: Cluster | None = None  # AKS


class MlWorkspace(msgspec.Struct, frozen=True):
    """An Azure Machine Learning workspace: the registry it builds environment images in, and with what."""

    address: str
    type: str
    registry: Ref  # not set: the workspace creates an open registry of its own on first use
    image_build_compute: Ref  # not set: images are built on serverless compute
    location: SourceLocation | None = None
    cite: Attributes = NEUTRAL


class Setting(msgspec.Struct, frozen=True):
    """A provider attribute (or, with ``attribute`` empty, a resource type) the configuration uses.

    ``attribute`` is dotted through blocks (``image_registry_credential.user_assigned_identity_id``);
    the provider-version rule checks each against the azurerm versions the configuration may run.
    """

    address: str
    type: str
    attribute: str
    location: SourceLocation | None = None


class Model(msgspec.Struct, frozen=True, dict=True):
    registries: tuple[Registry, ...]
    private_endpoints: tuple[PrivateEndpoint, ...]
    subnets: Mapping[str, Subnet]
    nat_gateways: Mapping[str, NatGateway]
    workloads: tuple[Workload, ...]
    source: str = ""
    addresses: frozenset[str] = frozenset()
    azurerm_version: tuple[int, int, int] | None = None  # from .terraform.lock.hcl; None when unknown
    sensitive: frozenset[str] = frozenset()  # strings the input marks sensitive: judged with, never shown
    warnings: tuple[str, ...] = ()  # what the builders could not tell (an azapi resource of unknown type)
    identities: tuple[UserIdentity, ...] = ()
    role_assignments: tuple[RoleAssignment, ...] = ()
    role_definitions: tuple[RoleDefinition, ...] = ()
    ml_workspaces: tuple[MlWorkspace, ...] = ()
    settings: tuple[Setting, ...] = ()  # azurerm attributes and types used, for the provider-version rule
    azurerm_constraint: str | None = None  # required_providers version constraint of azurerm, if any
    # address -> attribute paths (as evidence writes them) whose value is unknown because
    # terraform.workspace is; "" for a resource whose count or for_each depends on it
    workspace_unknown: Mapping[str, frozenset[str]] = {}
    # the name and route layers (PP6xx, PP7xx), made by a lambda because Network is defined below
    network: Network = msgspec.field(default_factory=lambda: Network())
    role_assignments_file: str | None = None  # --role-assignments: its grants are in role_assignments

    @cached_property
    def index(self) -> ModelIndex:
        """Lookups built once, so rules stay linear on plans of tens of thousands of resources."""
        return ModelIndex(self)


class ModelIndex:
    """Registries by address, login server and name; endpoints by target; subnets by id; identities
    by address, ID, client ID and principal ID; role assignments by the principal they name."""

    def __init__(self, model: Model) -> None:
        self.registries: dict[str, Registry] = {}
        self.by_login_server: dict[str, list[Registry]] = {}
        self.by_name: dict[str, list[Registry]] = {}
        for registry in model.registries:
            self.registries[registry.address] = registry
            if registry.login_server:
                self.by_login_server.setdefault(registry.login_server.lower(), []).append(registry)
            if registry.name:
                self.by_name.setdefault(registry.name.lower(), []).append(registry)
        self.endpoints: dict[str, list[PrivateEndpoint]] = {}
        for endpoint in model.private_endpoints:
            for key in endpoint.targets.keys:
                self.endpoints.setdefault(key, []).append(endpoint)
        self.subnet_by_id = {s.id.lower(): s.address for s in model.subnets.values() if s.id}
        self.identities: dict[str, UserIdentity] = {}
        for identity in model.identities:
            self.identities.setdefault(identity.address, identity)
            for known in (identity.id, identity.client_id, identity.principal_id):
                if known:
                    self.identities.setdefault(known.lower(), identity)
        self.grants_by_principal: dict[str, list[RoleAssignment]] = {}
        for grant in model.role_assignments:
            for key in grant.principal.keys:
                self.grants_by_principal.setdefault(key, []).append(grant)
        #: What rules work out once per model and reuse for many pull paths (a layer's step per place).
        self.memo: dict[tuple[Any, ...], Any] = {}


class Finding(msgspec.Struct, frozen=True):
    """One verdict on one pull path (workload, image, registry) under one rule."""

    rule: str
    verdict: Verdict
    workload: Workload
    image: Image | None
    registry: str | None
    reason: str
    remediation: str = ""
    evidence: tuple[Evidence, ...] = ()

    @property
    def sort_key(self) -> tuple[str, str, str, str, str]:
        image = self.image.attribute if self.image else ""
        return (self.workload.address, image, self.registry or "", self.rule, self.verdict.name)


# The name and route layers of a pull (PP6xx, PP7xx). Builders resolve every reference to a *key*:
# the address of the resource in this input, or ``<kind>:<resource group>/<name>`` (lower-case) for
# one outside it (a hub's VNet named by ARM ID), or None when the input cannot tell. Rules then look
# keys up, never scan.


def shown_key(key: str) -> str:
    """A key as a finding shows it: an address as is, an outside resource by name and group."""
    kind, colon, rest = key.partition(":")
    if not colon or "/" not in rest or not kind.isalpha():
        return key
    group, _, name = rest.partition("/")
    return f"{name} (resource group {group}, not in this input)"


class VirtualNetwork(msgspec.Struct, frozen=True):
    """A VNet: the DNS servers its workloads resolve with, and the region peering compares."""

    address: str
    region: str | None = None  # normalised ("westeurope"); None: known only after apply
    dns_servers: tuple[str, ...] | None = ()  # (): Azure-provided DNS; None: known only after apply
    dns_targets: tuple[str, ...] = ()  # what the dns_servers expression references (a resolver's IP)
    cite: Attributes = NEUTRAL


class Peering(msgspec.Struct, frozen=True):
    """One direction of a VNet peering; traffic flows only when both directions exist."""

    address: str
    vnet: str | None  # key of the local VNet
    remote: str | None  # key of the remote VNet
    allow_access: bool | None = True  # allow_virtual_network_access; None: known only after apply
    transit: bool = False  # forwarded traffic or gateway transit: a hub may carry traffic further
    cite: Attributes = NEUTRAL


class DnsZone(msgspec.Struct, frozen=True):
    address: str
    name: str | None  # "privatelink.azurecr.io"; None: known only after apply
    cite: Attributes = NEUTRAL


class ZoneLink(msgspec.Struct, frozen=True):
    """A private DNS zone's link to a VNet: Azure-provided DNS there answers from the zone."""

    address: str
    zone: str | None  # zone key
    vnet: str | None  # VNet key
    cite: Attributes = NEUTRAL


class DnsRecord(msgspec.Struct, frozen=True):
    """A hand-made A record in a private DNS zone (``contosoacr``, ``contosoacr.westeurope.data``)."""

    address: str
    zone: str | None  # zone key
    name: str | None  # relative to the zone, lower-case; None: known only after apply
    cite: Attributes = NEUTRAL


class EndpointNetwork(msgspec.Struct, frozen=True):
    """What a private endpoint adds to the name and route layers, by the endpoint's address."""

    address: str
    vnet: str | None  # key of the VNet its subnet is in
    zones: tuple[str, ...] | None = ()  # zone keys its DNS zone group writes to; None: not known at plan time
    manual: bool | None = False  # is_manual_connection: pending until someone approves it
    cite: Attributes = NEUTRAL


class DnsResolver(msgspec.Struct, frozen=True):
    """A DNS Private Resolver inbound endpoint or an Azure Firewall DNS proxy a VNet may name as its DNS."""

    address: str
    vnet: str | None  # key of the VNet it resolves from
    ip: str | None = None  # its private IP, when known at plan time
    proxy: bool | None = True  # for a firewall: whether its DNS proxy is on
    cite: Attributes = NEUTRAL


class RouteTable(msgspec.Struct, frozen=True):
    """A route table's default route (``0.0.0.0/0``): where a subnet's internet-bound traffic goes."""

    address: str
    next_hop_type: str | None = None  # of the 0.0.0.0/0 route; None: no default route
    next_hop: str | None = None  # the appliance: a firewall's key, or its IP as written
    known: bool = True  # False: routes known only after apply
    cite: Attributes = NEUTRAL


class Firewall(msgspec.Struct, frozen=True):
    address: str
    policy: str | None = None  # key of its firewall policy; None: none
    policy_set: bool | None = False  # a policy is configured (its key may still be outside the input)
    ip: str | None = None  # its private IP, when known at plan time
    cite: Attributes = NEUTRAL


class FirewallRules(msgspec.Struct, frozen=True):
    """Destinations one rule collection group (or classic collection) admits, by its owner.

    ``destinations`` holds FQDNs as written (``*.azurecr.io``), service tags as ``tag:Name`` and
    ``*`` for any address; None when they are known only after apply.
    """

    address: str
    owner: str | None  # key of the firewall policy (or, for a classic collection, the firewall)
    destinations: tuple[str, ...] | None = ()
    cite: Attributes = NEUTRAL


class RegistryNetwork(msgspec.Struct, frozen=True):
    """A registry's regions and data endpoints, which DNS records and firewall rules must cover."""

    address: str
    region: str | None = None  # home region, normalised
    replicas: tuple[str, ...] | None = ()  # geo-replica regions; None: known only after apply
    data_endpoints: bool | None = False  # dedicated data endpoints (<name>.<region>.data.azurecr.io)
    ip_rules: tuple[Ref, ...] | None = ()  # each allowing IP rule, its text and what it references
    cite: Attributes = NEUTRAL


class Placement(NamedTuple):
    """Where a workload sits: the subnets its pull leaves from and the VNets it resolves names in.

    A tuple of strings, so the garbage collector stops tracking it: a large plan has one per workload.
    """

    subnets: tuple[str, ...] = ()  # subnet keys
    vnets: tuple[str, ...] = ()  # VNet keys, one per subnet whose VNet the input tells
    untold: tuple[str, ...] = ()  # subnets (as written) whose VNet the input cannot tell


class Network(msgspec.Struct, frozen=True, dict=True):
    """Everything the name and route layers judge, keyed as described above."""

    vnets: Mapping[str, VirtualNetwork] = {}
    peerings: tuple[Peering, ...] = ()
    hub_vnets: frozenset[str] = frozenset()  # VNets connected to a Virtual WAN hub
    zones: Mapping[str, DnsZone] = {}
    links: tuple[ZoneLink, ...] = ()
    records: tuple[DnsRecord, ...] = ()
    endpoints: Mapping[str, EndpointNetwork] = {}
    resolvers: tuple[DnsResolver, ...] = ()
    route_tables: Mapping[str, RouteTable] = {}
    subnet_routes: Mapping[str, str] = {}  # subnet key -> route table address
    firewalls: Mapping[str, Firewall] = {}
    rules: tuple[FirewallRules, ...] = ()
    policies: Mapping[str, str | None] = {}  # policy address -> its base policy key
    registries: Mapping[str, RegistryNetwork] = {}
    placements: Mapping[str, Placement] = {}  # workload address -> placement
    workload_profiles: Mapping[str, bool | None] = {}  # environment -> has some
    nat_ips: Mapping[str, str] = {}  # public IP (address or text) -> NAT gateway
    regions: Mapping[str, str] = {}  # location as written -> region shown

    @cached_property
    def index(self) -> NetworkIndex:
        return NetworkIndex(self)

    def hidden(self, sensitive: frozenset[str]) -> frozenset[str]:
        """The regions shown for sensitive locations: redaction ignores case, not removed spaces."""
        return frozenset(shown for written, shown in self.regions.items() if written in sensitive)


class NetworkIndex:
    """The lookups the name and route rules make, built once per model."""

    def __init__(self, network: Network) -> None:
        self.peerings: dict[tuple[str | None, str | None], list[Peering]] = {}
        self.peers: dict[str, list[Peering]] = {}
        for peering in network.peerings:
            self.peerings.setdefault((peering.vnet, peering.remote), []).append(peering)
            for side in (peering.vnet, peering.remote):
                if side:
                    self.peers.setdefault(side, []).append(peering)
        self.links: dict[str, list[ZoneLink]] = {}
        self.unplaced_links: list[ZoneLink] = []  # a zone or VNet the input cannot tell
        for link in network.links:
            if link.zone and link.vnet:
                self.links.setdefault(link.zone, []).append(link)
            else:
                self.unplaced_links.append(link)
        self.zones_by_name: dict[str, list[DnsZone]] = {}
        self.unnamed_zones: list[DnsZone] = []
        for zone in network.zones.values():
            if zone.name:
                self.zones_by_name.setdefault(zone.name.lower().rstrip("."), []).append(zone)
            else:
                self.unnamed_zones.append(zone)
        self.records: dict[
            str, list[DnsRecord]
        ] = {}  # by the registry they name: "contosoacr.westeurope.data"
        for record in network.records:
            if record.name:
                self.records.setdefault(record.name.split(".", 1)[0], []).append(record)
        self.resolvers_by_address = {resolver.address: resolver for resolver in network.resolvers}
        self.resolvers_by_ip = {resolver.ip: resolver for resolver in network.resolvers if resolver.ip}
        self.rules: dict[str | None, list[FirewallRules]] = {}
        for rules in network.rules:
            self.rules.setdefault(rules.owner, []).append(rules)
        self.firewalls_by_ip = {fw.ip: fw for fw in network.firewalls.values() if fw.ip}
