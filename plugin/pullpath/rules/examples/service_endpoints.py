"""Failing and fixed HCL for the service-endpoint rule, PP105."""

from __future__ import annotations

from pullpath.rules.examples import container_groups
from pullpath.rules.examples.parts import (
    ACI_SUBNET,
    PASSWORD_CREDENTIAL,
    container_group,
    join,
    registry,
)

PP105_FAILING = join(
    "# azurerm 3.x: service-endpoint rules were removed from the registry in azurerm 4.0",
    ACI_SUBNET,
    registry(
        "admin_enabled = true",
        "",
        "network_rule_set {",
        '  default_action = "Deny"',
        "",
        "  virtual_network {",
        '    action    = "Allow"',
        "    subnet_id = azurerm_subnet.aci.id",
        "  }",
        "}",
    ),
    container_group(PASSWORD_CREDENTIAL, in_vnet=True),
)
PP105_FIXED = container_groups.PP103_FIXED
