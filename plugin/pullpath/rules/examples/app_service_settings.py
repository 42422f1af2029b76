"""Failing and fixed HCL for the App Service settings rules, PP203 and PP204."""

from __future__ import annotations

from pullpath.rules.examples.parts import (
    PULL_IDENTITY,
    VNET_IMAGE_PULL,
    WEB_NETWORK,
    function_app,
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


_PULL_OVER_VNET = "  vnet_image_pull_enabled       = true\n"
_INTEGRATED = "  virtual_network_subnet_id     = azurerm_subnet.integration.id\n"


PP204_FAILING = join(
    WEB_NETWORK, service_plan("asp-func", "Y1"), PULL_IDENTITY, function_app(_PULL_OVER_VNET)
)
PP204_FIXED = join(
    WEB_NETWORK, service_plan("asp-func", "EP1"), PULL_IDENTITY, function_app(_PULL_OVER_VNET + _INTEGRATED)
)
