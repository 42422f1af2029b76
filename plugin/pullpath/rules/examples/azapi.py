"""The same failing and fixed configurations written with azapi, as Azure Verified Modules write them.

Only the workload changes dialect; the registry, its private endpoint and the network are the
azurerm pieces the azurerm examples use, so a reader compares the two pages line by line.
"""

from __future__ import annotations

from pullpath.rules.examples.parts import (
    CLOSED_REGISTRY,
    ENDPOINT_SUBNET,
    INTEGRATION_SUBNET,
    PULL_IDENTITY,
    REGISTRY_IMAGE,
    SERVICE_PLAN,
    WEB_NETWORK,
    join,
    private_endpoint,
)


def _site(routing: str) -> str:
    return f"""
resource "azapi_resource" "web" {{
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "app-web"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app"
  location  = "westeurope"

  identity {{
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }}

  body = {{
    kind = "app,linux,container"
    properties = {{
      serverFarmId           = azurerm_service_plan.plan.id
      virtualNetworkSubnetId = azurerm_subnet.integration.id
      outboundVnetRouting = {{
{routing}      }}
      siteConfig = {{
        acrUseManagedIdentityCreds = true
        acrUserManagedIdentityID   = azurerm_user_assigned_identity.pull.client_id
        linuxFxVersion             = "DOCKER|{REGISTRY_IMAGE}"
      }}
    }}
  }}
}}
"""


_WEB_PARTS = (
    INTEGRATION_SUBNET,
    ENDPOINT_SUBNET,
    CLOSED_REGISTRY,
    private_endpoint("endpoints"),
    SERVICE_PLAN,
    PULL_IDENTITY,
)

PP202_AZAPI_FAILING = join(
    *_WEB_PARTS, _site("        applicationTraffic = true # app traffic only, not the pull\n")
)
PP202_AZAPI_FIXED = join(*_WEB_PARTS, _site("        imagePullTraffic = true\n"))


def _environment(vnet: str) -> str:
    return f"""
resource "azapi_resource" "env" {{
  type      = "Microsoft.App/managedEnvironments@2024-03-01"
  name      = "cae-app"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app"
  location  = "westeurope"
  body = {{
    properties = {{{vnet}}}
  }}
}}
"""


_CONTAINER_APP = f"""
resource "azapi_resource" "app" {{
  type      = "Microsoft.App/containerApps@2024-03-01"
  name      = "ca-app"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app"
  location  = "westeurope"

  identity {{
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }}

  body = {{
    properties = {{
      managedEnvironmentId = azapi_resource.env.id
      configuration = {{
        registries = [{{
          server   = azurerm_container_registry.acr.login_server
          identity = azurerm_user_assigned_identity.pull.id
        }}]
      }}
      template = {{
        containers = [{{ name = "app", image = "{REGISTRY_IMAGE}" }}]
      }}
    }}
  }}
}}
"""

_APPS_SUBNET_ID = """
      vnetConfiguration = {
        infrastructureSubnetId = azurerm_subnet.integration.id
      }
    """

PP301_AZAPI_FAILING = join(WEB_NETWORK, _environment(""), PULL_IDENTITY, _CONTAINER_APP)
PP301_AZAPI_FIXED = join(WEB_NETWORK, _environment(_APPS_SUBNET_ID), PULL_IDENTITY, _CONTAINER_APP)
