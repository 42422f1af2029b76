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
ACR_ANONYMOUS_PULL = "https://learn.microsoft.com/azure/container-registry/anonymous-pull-access"
ACR_AUTHENTICATION = "https://learn.microsoft.com/azure/container-registry/container-registry-authentication"
ACR_ROLES = "https://learn.microsoft.com/azure/container-registry/container-registry-roles"
ACR_ROLES_DIRECTORY = "https://learn.microsoft.com/azure/container-registry/container-registry-rbac-built-in-roles-directory-reference"
ACR_CUSTOM_ROLES = "https://learn.microsoft.com/azure/container-registry/container-registry-rbac-custom-roles"
#: AcrPull, AcrPush and AcrDelete are not honoured, and Owner, Contributor and Reader reach the control
#: plane only, on a registry with ABAC repository permissions.
ACR_ABAC = (
    "https://learn.microsoft.com/azure/container-registry/container-registry-rbac-abac-repository-permissions"
)
ACR_ARM_AUDIENCE = "https://github.com/Azure/AKS/issues/4560"
AZURERM_ROLE_ASSIGNMENT = (
    "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/role_assignment"
)
ACR_CLIENT_ID_GRANT = "https://github.com/Azure/acr/issues/695"
UNATTACHED_IDENTITY = "https://github.com/hashicorp/terraform-provider-azurerm/issues/20675"
CONTAINER_APP_SYSTEM_IDENTITY = "https://github.com/hashicorp/terraform-provider-azurerm/issues/21242"
CONTAINER_APPS_SYSTEM_IDENTITY_ISSUE = "https://github.com/microsoft/azure-container-apps/issues/836"
APP_SERVICE_ROUTING_POLICY = (
    "https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/"
    "App%20Service/WebApp_VnetConfigurationRouting_Audit.json"
)
APP_SERVICE_ENVIRONMENT_NETWORKING = "https://learn.microsoft.com/azure/app-service/environment/networking"
FUNCTIONS_HOSTING = "https://learn.microsoft.com/azure/azure-functions/functions-scale"
AZURERM_4_UPGRADE_GUIDE = (
    "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/guides/4.0-upgrade-guide"
)
AZURERM_ASE_PULL_ISSUE = "https://github.com/hashicorp/terraform-provider-azurerm/issues/27157"
TERRAFORM_VERSION_CONSTRAINTS = (
    "https://developer.hashicorp.com/terraform/language/expressions/version-constraints"
)
TERRAFORM_LOCK_FILE = "https://developer.hashicorp.com/terraform/language/files/dependency-lock"
ML_SECURE_WORKSPACE_VNET = (
    "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet"
    "#enable-azure-container-registry-acr"
)
ML_MANAGED_NETWORK_IMAGE_BUILDS = (
    "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#configure-image-builds"
)
PRIVATE_ENDPOINT_DNS = "https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration"
PRIVATE_ENDPOINT_OVERVIEW = "https://learn.microsoft.com/azure/private-link/private-endpoint-overview"
PRIVATE_ENDPOINT_APPROVAL = "https://learn.microsoft.com/azure/private-link/manage-private-endpoint"
DNS_PRIVATE_RESOLVER = "https://learn.microsoft.com/azure/dns/dns-private-resolver-overview"
FIREWALL_DNS_PROXY = "https://learn.microsoft.com/azure/firewall/dns-details"
VNET_PEERING = "https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview"
ACR_FIREWALL_RULES = (
    "https://learn.microsoft.com/azure/container-registry/container-registry-firewall-access-rules"
)
AKS_ACR_INTEGRATION = "https://learn.microsoft.com/azure/aks/cluster-container-registry-integration"
AKS_CANNOT_PULL = (
    "https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/connectivity/"
    "cannot-pull-image-from-acr-to-aks-cluster"
)
AKS_KUBELET_GRANT_ISSUE = "https://github.com/Azure/AKS/issues/1428"
AZURERM_AKS_ATTACH_ISSUE = "https://github.com/hashicorp/terraform-provider-azurerm/issues/4636"
AKS_MANAGED_IDENTITY = "https://learn.microsoft.com/azure/aks/use-managed-identity"
AKS_OUTBOUND_TYPES = "https://learn.microsoft.com/azure/aks/egress-outboundtype"
AKS_PRIVATE_CLUSTER = "https://learn.microsoft.com/azure/aks/private-clusters"
KUBERNETES_PULL_SECRETS = "https://kubernetes.io/docs/concepts/containers/images/#using-a-private-registry"
KUBERNETES_PROVIDER_AKS = (
    "https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/guides/getting-started"
)
