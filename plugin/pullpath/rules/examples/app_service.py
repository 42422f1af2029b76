"""Failing and fixed HCL for the App Service rules, PP201 and PP202."""

from __future__ import annotations

from pullpath.rules.examples.parts import (
    CLOSED_REGISTRY,
    ENDPOINT_SUBNET,
    INTEGRATION_SUBNET,
    PULL_IDENTITY,
    SERVICE_PLAN,
    join,
    private_endpoint,
    web_app,
)

_ATTRIBUTES = """\
  name                = "app-web"
  resource_group_name = "rg-app"
  location            = "westeurope"
  service_plan_id     = azurerm_service_plan.plan.id
"""


def _web_app(network: str, site: str = "") -> str:
    return join(web_app(_ATTRIBUTES + network, site), PULL_IDENTITY)


_INTEGRATED = "\n  virtual_network_subnet_id = azurerm_subnet.integration.id\n"
_ROUTED = (
    "\n  virtual_network_subnet_id = azurerm_subnet.integration.id\n"
    "  vnet_image_pull_enabled   = true # azurerm >= 4.36; older: WEBSITE_PULL_IMAGE_OVER_VNET\n"
)
_WEB_FIXED_PARTS = (
    INTEGRATION_SUBNET,
    ENDPOINT_SUBNET,
    CLOSED_REGISTRY,
    private_endpoint("endpoints"),
    SERVICE_PLAN,
)

PP201_FAILING = join(CLOSED_REGISTRY, SERVICE_PLAN, _web_app(""))
PP201_FIXED = join(*_WEB_FIXED_PARTS, _web_app(_ROUTED))

PP202_FAILING = join(
    *_WEB_FIXED_PARTS,
    _web_app(
        _INTEGRATED, "    vnet_route_all_enabled                  = true # app traffic only, not the pull\n"
    ),
)
PP202_FIXED = PP201_FIXED
