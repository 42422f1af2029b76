"""A map or list with one unknown element keeps its known elements, as Terraform's values do.

A web app's ``app_settings`` commonly hold an instrumentation key known only after apply next to
``WEBSITE_PULL_IMAGE_OVER_VNET = "true"``; through ``merge``, ``for``, indexing and ``lookup`` the
known setting must still route the pull, or a scan calls a sound pull path UNKNOWN.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from layers import without_layers
from pullpath.engine import analyse_directory

NETWORK = """
variable "instrumentation_key" {
  type = string
}

locals {
  settings = merge(
    { APPINSIGHTS_INSTRUMENTATIONKEY = var.instrumentation_key },
    { WEBSITE_PULL_IMAGE_OVER_VNET = "true" },
  )
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe"
  private_service_connection {
    name                           = "acr"
    is_manual_connection           = false
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
  }
}
"""


def web_app(settings: str, pull_property: str = "") -> str:
    return f"""
resource "azurerm_linux_web_app" "web" {{
  name                      = "web"
  location                  = "westeurope"
  resource_group_name       = "rg"
  service_plan_id           = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  virtual_network_subnet_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app"
  app_settings              = {settings}
{pull_property}
  site_config {{
    application_stack {{
      docker_image_name   = "app:1.0"
      docker_registry_url = "https://${{azurerm_container_registry.acr.login_server}}"
    }}
  }}
}}
"""


@pytest.mark.parametrize(
    ("settings", "pull_property"),
    [
        ("local.settings", ""),
        ("{ for name, value in local.settings : name => value }", ""),
        ('{ WEBSITE_PULL_IMAGE_OVER_VNET = local.settings["WEBSITE_PULL_IMAGE_OVER_VNET"] }', ""),
        (
            "{}",
            '  vnet_image_pull_enabled = lookup(local.settings, "WEBSITE_PULL_IMAGE_OVER_VNET", "false") == "true"',
        ),
    ],
    ids=["merge", "for", "index", "lookup"],
)
def test_a_known_setting_beside_an_unknown_one_still_routes_the_pull(tmp_path: Path, settings, pull_property):
    (tmp_path / "main.tf").write_text(
        textwrap.dedent(NETWORK + web_app(settings, pull_property)), encoding="utf-8"
    )
    findings = {f.rule: f.verdict.name for f in without_layers(analyse_directory(str(tmp_path)).findings)}
    assert findings == {"PP202": "PASS"}
