"""Failing and fixed HCL for the credential rules, PP501 to PP507."""

from __future__ import annotations

from pullpath.rules.examples.parts import (
    ACI_IDENTITY_CREDENTIAL,
    ACI_IDENTITY_PULL,
    ENDPOINT_SUBNET,
    PULL_IDENTITY,
    SERVICE_PLAN,
    USER_IDENTITY,
    container_group,
    join,
    private_endpoint,
    pull_grant,
    registry,
    web_app,
)

_OPEN_REGISTRY = registry("# public network access on, no network rule set: any network may pull")
_IDENTITY_GROUP = container_group(ACI_IDENTITY_PULL, in_vnet=False)
_GRANTED = join(_OPEN_REGISTRY, PULL_IDENTITY, _IDENTITY_GROUP)

PP501_FAILING = join(_OPEN_REGISTRY, container_group("", in_vnet=False))
PP501_FIXED = _GRANTED

PP502_FAILING = join(_OPEN_REGISTRY, PULL_IDENTITY, container_group(ACI_IDENTITY_CREDENTIAL, in_vnet=False))
PP502_FIXED = _GRANTED

PP503_FAILING = join(_OPEN_REGISTRY, USER_IDENTITY, _IDENTITY_GROUP)
PP503_FIXED = _GRANTED

PP504_FAILING = join(_OPEN_REGISTRY, USER_IDENTITY, pull_grant("client_id"), _IDENTITY_GROUP)
PP504_FIXED = _GRANTED

_APP = """\
  name                = "app-web"
  resource_group_name = "rg-app"
  location            = "westeurope"
  service_plan_id     = azurerm_service_plan.plan.id
"""
_SYSTEM_WEB_APP = """
resource "azurerm_linux_web_app" "web" {
  name                = "app-web"
  resource_group_name = "rg-app"
  location            = "westeurope"
  service_plan_id     = azurerm_service_plan.plan.id

  site_config {
    container_registry_use_managed_identity = true # the system-assigned identity: granted after the app
    application_stack {
      docker_image_name   = "app:1.0"
      docker_registry_url = "https://${azurerm_container_registry.acr.login_server}"
    }
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_role_assignment" "web" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_linux_web_app.web.identity[0].principal_id
}
"""
PP505_FAILING = join(_OPEN_REGISTRY, SERVICE_PLAN, _SYSTEM_WEB_APP)
PP505_FIXED = join(_OPEN_REGISTRY, SERVICE_PLAN, PULL_IDENTITY, web_app(_APP))

_SERVICE_PRINCIPAL = """
  image_registry_credential {
    server   = azurerm_container_registry.acr.login_server
    username = var.service_principal_app_id
    password = var.service_principal_password
  }
"""
_WITH_ENDPOINT = (_OPEN_REGISTRY, ENDPOINT_SUBNET, private_endpoint("endpoints", with_dns=False))
PP506_FAILING = join(
    """
variable "service_principal_app_id" {
  type = string
}

variable "service_principal_password" {
  type      = string
  sensitive = true
}
""",
    *_WITH_ENDPOINT,
    container_group(_SERVICE_PRINCIPAL, in_vnet=False),
)
PP506_FIXED = join(*_WITH_ENDPOINT, PULL_IDENTITY, _IDENTITY_GROUP)


def _azapi_registry(status: str) -> str:
    return f"""
resource "azapi_resource" "acr" {{
  type      = "Microsoft.ContainerRegistry/registries@2025-04-01"
  name      = "contosoacr"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app"
  location  = "westeurope"
  body = {{
    sku = {{ name = "Premium" }}
    properties = {{
      policies = {{
        azureADAuthenticationAsArmPolicy = {{ status = "{status}" }}
      }}
    }}
  }}
  response_export_values = ["properties.loginServer"]
}}
"""


def _arm_audience(status: str) -> str:
    azapi_login_server = "azapi_resource.acr.output.properties.loginServer"
    app = web_app(_APP).replace("azurerm_container_registry.acr.login_server", azapi_login_server)
    grant = pull_grant().replace("azurerm_container_registry.acr.id", "azapi_resource.acr.id")
    return join(_azapi_registry(status), SERVICE_PLAN, USER_IDENTITY, grant, app)


PP507_FAILING = _arm_audience("disabled")
PP507_FIXED = _arm_audience("enabled")
