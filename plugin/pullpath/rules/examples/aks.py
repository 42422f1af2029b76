"""Failing and fixed HCL for the AKS rules: a cluster, the registry, and what attaches them."""

from __future__ import annotations

from pullpath.rules.examples.parts import ENDPOINT_SUBNET, join, private_endpoint, registry

NODE_SUBNET = """
resource "azurerm_subnet" "nodes" {
  name                 = "snet-aks"
  resource_group_name  = "rg-app"
  virtual_network_name = "vnet-app"
  address_prefixes     = ["10.0.8.0/22"]
}
"""


def cluster(name: str = "aks", network: str = "") -> str:
    """A cluster with a system-assigned control-plane identity and a kubelet identity AKS creates,
    its nodes in the node subnet; ``network`` adds lines to its ``network_profile``."""
    return f"""
resource "azurerm_kubernetes_cluster" "{name}" {{
  name                = "{name}-app"
  location            = "westeurope"
  resource_group_name = "rg-app"
  dns_prefix          = "{name}-app"

  default_node_pool {{
    name           = "system"
    vm_size        = "Standard_D4s_v5"
    node_count     = 2
    vnet_subnet_id = azurerm_subnet.nodes.id
  }}

  identity {{
    type = "SystemAssigned"
  }}

  network_profile {{
    network_plugin = "azure"
{network}  }}
}}
"""


def kubelet_grant(principal: str = "kubelet_identity[0].object_id", name: str = "aks") -> str:
    """AcrPull on the registry for the cluster's ``principal`` (its control plane is the classic mistake)."""
    return f"""
resource "azurerm_role_assignment" "{name}_pull" {{
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_kubernetes_cluster.{name}.{principal}
}}
"""


DEPLOYMENT = """
resource "kubernetes_deployment_v1" "app" {
  metadata {
    name = "app"
  }

  spec {
    replicas = 2
    selector {
      match_labels = { app = "app" }
    }
    template {
      metadata {
        labels = { app = "app" }
      }
      spec {
        container {
          name  = "app"
          image = "contosoacr.azurecr.io/app:1.0"
        }
      }
    }
  }
}
"""

KUBERNETES_PROVIDER = """
provider "kubernetes" {
  host                   = azurerm_kubernetes_cluster.aks.kube_config[0].host
  client_certificate     = base64decode(azurerm_kubernetes_cluster.aks.kube_config[0].client_certificate)
  client_key             = base64decode(azurerm_kubernetes_cluster.aks.kube_config[0].client_key)
  cluster_ca_certificate = base64decode(azurerm_kubernetes_cluster.aks.kube_config[0].cluster_ca_certificate)
}
"""

OPEN_REGISTRY = registry("public_network_access_enabled = true")
CLOSED_REGISTRY = registry("public_network_access_enabled = false")


def firewalled_registry(*rules: str) -> str:
    """Public access on, default action Deny, an IP rule for each of ``rules``."""
    ip_rules = [
        line
        for rule in rules
        for line in ("  ip_rule {", '    action   = "Allow"', f'    ip_range = "{rule}"', "  }")
    ]
    return registry("network_rule_set {", '  default_action = "Deny"', *ip_rules, "}")


PP401_FAILING = join(OPEN_REGISTRY, NODE_SUBNET, cluster(), KUBERNETES_PROVIDER, DEPLOYMENT)
PP401_FIXED = join(OPEN_REGISTRY, NODE_SUBNET, cluster(), kubelet_grant(), KUBERNETES_PROVIDER, DEPLOYMENT)

PP402_FAILING = join(OPEN_REGISTRY, NODE_SUBNET, cluster(), kubelet_grant("identity[0].principal_id"))
PP402_FIXED = join(OPEN_REGISTRY, NODE_SUBNET, cluster(), kubelet_grant())

PP403_FAILING = join(CLOSED_REGISTRY, NODE_SUBNET, cluster(), kubelet_grant())
PP403_FIXED = join(
    CLOSED_REGISTRY, NODE_SUBNET, ENDPOINT_SUBNET, private_endpoint("endpoints"), cluster(), kubelet_grant()
)

PP404_FAILING = join(firewalled_registry(), NODE_SUBNET, cluster(), kubelet_grant())
PP404_FIXED = join(
    firewalled_registry(),
    NODE_SUBNET,
    ENDPOINT_SUBNET,
    private_endpoint("endpoints"),
    cluster(),
    kubelet_grant(),
)

PP405_FAILING = join(
    OPEN_REGISTRY,
    NODE_SUBNET,
    cluster("aks"),
    cluster("aks_batch"),
    kubelet_grant(),
    kubelet_grant(name="aks_batch"),
    DEPLOYMENT,
)
PP405_FIXED = join(
    OPEN_REGISTRY,
    NODE_SUBNET,
    cluster("aks"),
    cluster("aks_batch"),
    kubelet_grant(),
    kubelet_grant(name="aks_batch"),
    KUBERNETES_PROVIDER,
    DEPLOYMENT,
)

_AZAPI_CLUSTER = """
resource "azapi_resource" "aks" {
  type      = "Microsoft.ContainerService/managedClusters@2024-09-01"
  name      = "aks-app"
  location  = "westeurope"
  parent_id = var.resource_group_id

  identity {
    type = "SystemAssigned"
  }

  body = {
    properties = {
      dnsPrefix = "aks-app"
      agentPoolProfiles = [{
        name         = "system"
        mode         = "System"
        vmSize       = "Standard_D4s_v5"
        count        = 2
        vnetSubnetID = azurerm_subnet.nodes.id
      }]
      networkProfile = {
        networkPlugin = "azure"
        outboundType  = "loadBalancer"
      }
    }
  }

  response_export_values = ["properties.identityProfile.kubeletidentity.objectId"]
}
"""


_ACR_PULL = "/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d"


def _azapi_grant(principal: str) -> str:
    return f"""
resource "azapi_resource" "aks_pull" {{
  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = "5d1b2c4e-8f3a-4b6d-9e0f-1a2b3c4d5e6f"
  parent_id = azurerm_container_registry.acr.id

  body = {{
    properties = {{
      roleDefinitionId = "{_ACR_PULL}"
      principalId      = {principal}
      principalType    = "ServicePrincipal"
    }}
  }}
}}
"""


PP402_AZAPI_FAILING = join(
    OPEN_REGISTRY, NODE_SUBNET, _AZAPI_CLUSTER, _azapi_grant("azapi_resource.aks.identity[0].principal_id")
)
PP402_AZAPI_FIXED = join(
    OPEN_REGISTRY,
    NODE_SUBNET,
    _AZAPI_CLUSTER,
    _azapi_grant("azapi_resource.aks.output.properties.identityProfile.kubeletidentity.objectId"),
)
