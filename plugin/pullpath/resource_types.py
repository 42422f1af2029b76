"""The azurerm resource types pullpath reads; everything else in an input is skipped early."""

CONTAINER_GROUP = "azurerm_container_group"
REGISTRY = "azurerm_container_registry"
PRIVATE_ENDPOINT = "azurerm_private_endpoint"
SUBNET = "azurerm_subnet"
SUBNET_NAT = "azurerm_subnet_nat_gateway_association"
NAT_GATEWAY = "azurerm_nat_gateway"
NAT_PUBLIC_IP = "azurerm_nat_gateway_public_ip_association"
NAT_PUBLIC_IP_PREFIX = "azurerm_nat_gateway_public_ip_prefix_association"
PUBLIC_IP = "azurerm_public_ip"
PUBLIC_IP_PREFIX = "azurerm_public_ip_prefix"
CONTAINER_APP = "azurerm_container_app"
CONTAINER_APP_ENVIRONMENT = "azurerm_container_app_environment"
CONTAINER_APP_JOB = (
    "azurerm_container_app_job"  # pulls like a container app: same registry block, environment
)
APP_SERVICE_ENVIRONMENT = "azurerm_app_service_environment_v3"  # its apps run in its subnet
ML_WORKSPACE = "azurerm_machine_learning_workspace"  # builds environment images in its registry
SERVICE_PLAN = "azurerm_service_plan"
LEGACY_SERVICE_PLAN = "azurerm_app_service_plan"
SERVICE_PLANS = frozenset({SERVICE_PLAN, LEGACY_SERVICE_PLAN})
APP_SWIFT_CONNECTION = "azurerm_app_service_virtual_network_swift_connection"
SLOT_SWIFT_CONNECTION = "azurerm_app_service_slot_virtual_network_swift_connection"
SWIFT_CONNECTIONS = frozenset({APP_SWIFT_CONNECTION, SLOT_SWIFT_CONNECTION})
USER_IDENTITY = "azurerm_user_assigned_identity"
ROLE_ASSIGNMENT = "azurerm_role_assignment"
ROLE_DEFINITION = "azurerm_role_definition"  # a custom role, or a role looked up by name (data source)

#: The name and route layers of a pull: VNets, peerings, private DNS, routes and egress firewalls.
VIRTUAL_NETWORK = "azurerm_virtual_network"
VNET_DNS_SERVERS = "azurerm_virtual_network_dns_servers"
PEERING = "azurerm_virtual_network_peering"
HUB_CONNECTION = "azurerm_virtual_hub_connection"
DNS_ZONE = "azurerm_private_dns_zone"
ZONE_LINK = "azurerm_private_dns_zone_virtual_network_link"
A_RECORD = "azurerm_private_dns_a_record"
DNS_RESOLVER = "azurerm_private_dns_resolver"
RESOLVER_INBOUND = "azurerm_private_dns_resolver_inbound_endpoint"
ROUTE_TABLE = "azurerm_route_table"
ROUTE = "azurerm_route"
SUBNET_ROUTE_TABLE = "azurerm_subnet_route_table_association"
FIREWALL = "azurerm_firewall"
FIREWALL_POLICY = "azurerm_firewall_policy"
FIREWALL_RULE_GROUP = "azurerm_firewall_policy_rule_collection_group"
FIREWALL_APPLICATION_RULES = "azurerm_firewall_application_rule_collection"
FIREWALL_NETWORK_RULES = "azurerm_firewall_network_rule_collection"
NETWORK_LAYERS = frozenset(
    {
        VIRTUAL_NETWORK,
        VNET_DNS_SERVERS,
        PEERING,
        HUB_CONNECTION,
        DNS_ZONE,
        ZONE_LINK,
        A_RECORD,
        DNS_RESOLVER,
        RESOLVER_INBOUND,
        ROUTE_TABLE,
        ROUTE,
        SUBNET_ROUTE_TABLE,
        FIREWALL,
        FIREWALL_POLICY,
        FIREWALL_RULE_GROUP,
        FIREWALL_APPLICATION_RULES,
        FIREWALL_NETWORK_RULES,
    }
)

#: AKS: the cluster (a workload whose nodes pull), its extra node pools, and what runs on it: the
#: Kubernetes provider's workloads (with the path to their pod spec) and Helm releases.
KUBERNETES_CLUSTER = "azurerm_kubernetes_cluster"
KUBERNETES_NODE_POOL = "azurerm_kubernetes_cluster_node_pool"
_TEMPLATE = ("spec", 0, "template", 0, "spec", 0)
KUBERNETES_WORKLOADS: dict[str, tuple[str | int, ...]] = {
    **{name: _TEMPLATE for name in ("kubernetes_deployment", "kubernetes_deployment_v1")},
    **{name: _TEMPLATE for name in ("kubernetes_stateful_set", "kubernetes_stateful_set_v1")},
    **{name: _TEMPLATE for name in ("kubernetes_daemonset", "kubernetes_daemon_set_v1")},
    **{name: _TEMPLATE for name in ("kubernetes_job", "kubernetes_job_v1")},
    **{
        name: ("spec", 0, "job_template", 0, "spec", 0, *_TEMPLATE)
        for name in ("kubernetes_cron_job", "kubernetes_cron_job_v1")
    },
    **{name: ("spec", 0) for name in ("kubernetes_pod", "kubernetes_pod_v1")},
}
HELM_RELEASE = "helm_release"
#: Resources whose provider configuration says which cluster they run on (the readers record its
#: references under the ``("provider",)`` path).
ON_A_CLUSTER = frozenset({*KUBERNETES_WORKLOADS, HELM_RELEASE})

#: App Service flavours that can run a container image, with the attribute that routes the pull.
APP_SERVICES: dict[str, str | None] = {
    "azurerm_linux_web_app": "vnet_image_pull_enabled",
    "azurerm_linux_web_app_slot": "vnet_image_pull_enabled",
    "azurerm_windows_web_app": "virtual_network_image_pull_enabled",
    "azurerm_windows_web_app_slot": "virtual_network_image_pull_enabled",
    "azurerm_linux_function_app": "vnet_image_pull_enabled",
    "azurerm_linux_function_app_slot": "vnet_image_pull_enabled",
    "azurerm_windows_function_app": "vnet_image_pull_enabled",
    "azurerm_windows_function_app_slot": "vnet_image_pull_enabled",
    "azurerm_app_service": None,
    "azurerm_app_service_slot": None,
    "azurerm_function_app": None,
    "azurerm_function_app_slot": None,
    "azurerm_logic_app_standard": None,
}

#: Function apps, whose vnet_image_pull_enabled the provider refuses on a Consumption plan (PP204).
FUNCTION_APPS = frozenset(
    {
        "azurerm_linux_function_app",
        "azurerm_linux_function_app_slot",
        "azurerm_windows_function_app",
        "azurerm_windows_function_app_slot",
    }
)

#: The azapi provider's generic resources: the ARM type in ``type`` says what each one is.
AZAPI_RESOURCE = "azapi_resource"
AZAPI_UPDATE = "azapi_update_resource"


AZAPI_TYPES = frozenset({AZAPI_RESOURCE, AZAPI_UPDATE})


def arm_type_of(type_string: str) -> str:
    """``Microsoft.Web/sites@2024-04-01`` -> ``microsoft.web/sites``: any API version, any case."""
    return type_string.split("@", 1)[0].strip().lower()


def azapi_kind(type_string: str, resource_type: str = AZAPI_RESOURCE) -> str:
    """The builder kind of an azapi resource or patch: ``azapi:`` or ``azapi_update:`` + ARM type."""
    prefix = "azapi_update:" if resource_type == AZAPI_UPDATE else "azapi:"
    return prefix + arm_type_of(type_string)


#: ARM types pullpath reads from azapi resources (and patches), lower-case, before ``@``.
ARM_REGISTRY = "microsoft.containerregistry/registries"
ARM_PRIVATE_ENDPOINT = "microsoft.network/privateendpoints"
ARM_CONTAINER_GROUP = "microsoft.containerinstance/containergroups"
ARM_SITE = "microsoft.web/sites"
ARM_SLOT = "microsoft.web/sites/slots"
ARM_SITE_CONFIG = "microsoft.web/sites/config"
ARM_SLOT_CONFIG = "microsoft.web/sites/slots/config"
ARM_SERVER_FARM = "microsoft.web/serverfarms"
ARM_CONTAINER_APP = "microsoft.app/containerapps"
ARM_JOB = "microsoft.app/jobs"
ARM_ENVIRONMENT = "microsoft.app/managedenvironments"
ARM_SUBNET = "microsoft.network/virtualnetworks/subnets"
ARM_NAT_GATEWAY = "microsoft.network/natgateways"
ARM_PUBLIC_IP = "microsoft.network/publicipaddresses"
ARM_USER_IDENTITY = "microsoft.managedidentity/userassignedidentities"
ARM_ROLE_ASSIGNMENT = "microsoft.authorization/roleassignments"
ARM_ROLE_DEFINITION = "microsoft.authorization/roledefinitions"
ARM_HOSTING_ENVIRONMENT = "microsoft.web/hostingenvironments"
ARM_ML_WORKSPACE = "microsoft.machinelearningservices/workspaces"
ARM_VIRTUAL_NETWORK = "microsoft.network/virtualnetworks"
ARM_PEERING = "microsoft.network/virtualnetworks/virtualnetworkpeerings"
ARM_DNS_ZONE = "microsoft.network/privatednszones"
ARM_ZONE_LINK = "microsoft.network/privatednszones/virtualnetworklinks"
ARM_A_RECORD = "microsoft.network/privatednszones/a"
ARM_ZONE_GROUP = "microsoft.network/privateendpoints/privatednszonegroups"
ARM_REPLICATION = "microsoft.containerregistry/registries/replications"
ARM_MANAGED_CLUSTER = "microsoft.containerservice/managedclusters"
ARM_AGENT_POOL = "microsoft.containerservice/managedclusters/agentpools"
ARM_PUBLIC_IP_PREFIX = "microsoft.network/publicipprefixes"

#: NAT gateways and public IPs in either dialect, for subnets and associations of either dialect.
NAT_GATEWAYS = frozenset({NAT_GATEWAY, azapi_kind(ARM_NAT_GATEWAY)})
PUBLIC_IPS = frozenset({PUBLIC_IP, azapi_kind(ARM_PUBLIC_IP)})
PUBLIC_IP_PREFIXES = frozenset({PUBLIC_IP_PREFIX, azapi_kind(ARM_PUBLIC_IP_PREFIX)})

#: The azurerm types an ARM type stands for, so an azapi patch finds an azurerm target by name.
AZURERM_OF_ARM: dict[str, frozenset[str]] = {
    ARM_REGISTRY: frozenset({REGISTRY}),
    ARM_SITE: frozenset(app for app in APP_SERVICES if not app.endswith("_slot")),
    ARM_SLOT: frozenset(app for app in APP_SERVICES if app.endswith("_slot")),
    ARM_CONTAINER_APP: frozenset({CONTAINER_APP}),
    ARM_JOB: frozenset({CONTAINER_APP_JOB}),
    ARM_ENVIRONMENT: frozenset({CONTAINER_APP_ENVIRONMENT}),
}

WORKLOADS = frozenset({CONTAINER_GROUP, CONTAINER_APP, CONTAINER_APP_JOB, *APP_SERVICES})

#: What rules judge, per subject, in both dialects (``Rule.resource_types``; checkov derives from them).
CONTAINER_GROUP_KINDS = (CONTAINER_GROUP, azapi_kind(ARM_CONTAINER_GROUP))
APP_SERVICE_KINDS = (*APP_SERVICES, azapi_kind(ARM_SITE), azapi_kind(ARM_SLOT))
CONTAINER_APP_KINDS = (CONTAINER_APP, CONTAINER_APP_JOB, azapi_kind(ARM_CONTAINER_APP), azapi_kind(ARM_JOB))
REGISTRY_KINDS = (REGISTRY, azapi_kind(ARM_REGISTRY))
ML_WORKSPACE_KINDS = (ML_WORKSPACE, azapi_kind(ARM_ML_WORKSPACE))
AKS_KINDS = (KUBERNETES_CLUSTER, azapi_kind(ARM_MANAGED_CLUSTER))
NODE_POOL_KINDS = (KUBERNETES_NODE_POOL, azapi_kind(ARM_AGENT_POOL))
WORKLOAD_KINDS = (*CONTAINER_GROUP_KINDS, *APP_SERVICE_KINDS, *CONTAINER_APP_KINDS)
#: Every kind that pulls over a network the name and route layers judge, AKS node pools included.
PULLING_KINDS = (*WORKLOAD_KINDS, *AKS_KINDS)

RELEVANT = frozenset(
    {
        CONTAINER_GROUP,
        REGISTRY,
        PRIVATE_ENDPOINT,
        SUBNET,
        SUBNET_NAT,
        NAT_GATEWAY,
        NAT_PUBLIC_IP,
        NAT_PUBLIC_IP_PREFIX,
        PUBLIC_IP,
        PUBLIC_IP_PREFIX,
        CONTAINER_APP,
        CONTAINER_APP_ENVIRONMENT,
        CONTAINER_APP_JOB,
        APP_SERVICE_ENVIRONMENT,
        ML_WORKSPACE,
        *SERVICE_PLANS,
        *SWIFT_CONNECTIONS,
        *APP_SERVICES,
        USER_IDENTITY,
        ROLE_ASSIGNMENT,
        *NETWORK_LAYERS,
        ROLE_DEFINITION,
        KUBERNETES_CLUSTER,
        KUBERNETES_NODE_POOL,
        *ON_A_CLUSTER,
        AZAPI_RESOURCE,
        AZAPI_UPDATE,
    }
)

#: Types whose references must say which attribute they name (``Resource.ref_attributes``): a grant's
#: ``principal_id`` is an identity's object ID or, wrongly, its client ID. The plan reader traces them
#: for these types only, as few resources in a large plan are grants.
NAMED_REFERENCES = frozenset({ROLE_ASSIGNMENT, AZAPI_RESOURCE})
