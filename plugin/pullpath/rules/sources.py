"""The public documentation the rules cite, named once (the catalogue's "Sources").

Rules list these in their references; docs/rules pages and SARIF help carry them to users.
"""

ACR_TRUSTED_SERVICES = "https://learn.microsoft.com/azure/container-registry/allow-access-trusted-services"
ACR_PRIVATE_LINK = "https://learn.microsoft.com/azure/container-registry/container-registry-private-link"
ACR_SERVICE_ENDPOINTS = "https://learn.microsoft.com/azure/container-registry/container-registry-vnet"
ACR_SELECTED_NETWORKS = (
    "https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks"
)
ACR_SKUS = "https://learn.microsoft.com/azure/container-registry/container-registry-skus"
ACI_MANAGED_IDENTITY_PULL = (
    "https://learn.microsoft.com/azure/container-instances/using-azure-container-registry-mi"
)
ACI_SERVICE_PRINCIPAL_PULL = (
    "https://learn.microsoft.com/azure/container-instances/container-instances-using-azure-container-registry"
)
ACI_VNET_CONCEPTS = (
    "https://learn.microsoft.com/azure/container-instances/container-instances-virtual-network-concepts"
)
APP_SERVICE_CUSTOM_CONTAINER = "https://learn.microsoft.com/azure/app-service/configure-custom-container"
APP_SERVICE_VNET_ROUTING = "https://learn.microsoft.com/azure/app-service/configure-vnet-integration-routing"
FUNCTIONS_NETWORKING = "https://learn.microsoft.com/azure/azure-functions/functions-networking-options"
CONTAINER_APPS_NETWORKING = "https://learn.microsoft.com/azure/container-apps/networking"
CONTAINER_APPS_IDENTITY_PULL = "https://learn.microsoft.com/azure/container-apps/managed-identity-image-pull"
AZURERM_CHANGELOG = "https://github.com/hashicorp/terraform-provider-azurerm/blob/main/CHANGELOG.md"
PRIVATE_ENDPOINT_DNS = "https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration"
PRIVATE_ENDPOINT_OVERVIEW = "https://learn.microsoft.com/azure/private-link/private-endpoint-overview"
PRIVATE_ENDPOINT_APPROVAL = "https://learn.microsoft.com/azure/private-link/manage-private-endpoint"
DNS_PRIVATE_RESOLVER = "https://learn.microsoft.com/azure/dns/dns-private-resolver-overview"
FIREWALL_DNS_PROXY = "https://learn.microsoft.com/azure/firewall/dns-details"
VNET_PEERING = "https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview"
ACR_FIREWALL_RULES = (
    "https://learn.microsoft.com/azure/container-registry/container-registry-firewall-access-rules"
)
