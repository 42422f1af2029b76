"""Failing and fixed HCL for the App Service settings rules, PP203 and PP204."""

from __future__ import annotations

from pullpath.rules.examples.parts import (
    PULL_IDENTITY,
    VNET_IMAGE_PULL,
    WEB_NETWORK,
    integrated_web_app,
    join,
    service_plan,
)

PP203_FAILING = join(
    "# azurerm 4.41 in .terraform.lock.hcl: the provider sends vnetImagePullEnabled for every Linux web app",
    WEB_NETWORK,
    integrated_web_app(
        """
  app_settings = {
    WEBSITE_PULL_IMAGE_OVER_VNET = "true" # vnet_image_pull_enabled stays unset: sent as false
  }
"""
    ),
)
PP203_FIXED = join(WEB_NETWORK, integrated_web_app(VNET_IMAGE_PULL))


def _function_app(in_vnet: bool) -> str:
    network = "  virtual_network_subnet_id     = azurerm_subnet.integration.id\n" if in_vnet else ""
    return f"""
resource "azurerm_linux_function_app" "fn" {{
  name                          = "func-app"
  resource_group_name           = "rg-app"
  location                      = "westeurope"
  service_plan_id               = azurerm_service_plan.plan.id
  storage_account_name          = "stfuncapp"
  storage_uses_managed_identity = true
  vnet_image_pull_enabled       = true
{network}
  site_config {{
    container_registry_use_managed_identity       = true
    container_registry_managed_identity_client_id = azurerm_user_assigned_identity.pull.client_id

    application_stack {{
      docker {{
        registry_url = azurerm_container_registry.acr.login_server
        image_name   = "fn"
        image_tag    = "1.0"
      }}
    }}
  }}

  identity {{
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }}
}}
"""


PP204_FAILING = join(WEB_NETWORK, service_plan("asp-func", "Y1"), PULL_IDENTITY, _function_app(in_vnet=False))
PP204_FIXED = join(WEB_NETWORK, service_plan("asp-func", "EP1"), PULL_IDENTITY, _function_app(in_vnet=True))
