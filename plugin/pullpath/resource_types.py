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
SERVICE_PLAN = "azurerm_service_plan"
LEGACY_SERVICE_PLAN = "azurerm_app_service_plan"
SERVICE_PLANS = frozenset({SERVICE_PLAN, LEGACY_SERVICE_PLAN})
APP_SWIFT_CONNECTION = "azurerm_app_service_virtual_network_swift_connection"
SLOT_SWIFT_CONNECTION = "azurerm_app_service_slot_virtual_network_swift_connection"
SWIFT_CONNECTIONS = frozenset({APP_SWIFT_CONNECTION, SLOT_SWIFT_CONNECTION})

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


def azapi_kind(arm_type: str) -> str:
    """The builder kind of an azapi resource: its ARM type before ``@``, lower-cased."""
    return "azapi:" + arm_type.split("@", 1)[0].strip().lower()

WORKLOADS = frozenset({CONTAINER_GROUP, CONTAINER_APP, *APP_SERVICES})

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
        *SERVICE_PLANS,
        *SWIFT_CONNECTIONS,
        *APP_SERVICES,
        AZAPI_RESOURCE,
        AZAPI_UPDATE,
    }
)
