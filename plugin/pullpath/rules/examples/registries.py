"""Failing and fixed HCL for the registry rule, PP901."""

from __future__ import annotations

from pullpath.rules.examples.parts import (
    ENDPOINT_SUBNET,
    INTEGRATION_SUBNET,
    VNET_IMAGE_PULL,
    integrated_web_app,
    join,
    private_endpoint,
    registry,
)

_FIREWALL = (
    "network_rule_set {",
    '  default_action = "Deny"',
    "",
    "  ip_rule {",
    '    action   = "Allow"',
    '    ip_range = "198.51.100.0/24"',
    "  }",
    "}",
)


def _with_registry(sku: str) -> str:
    return join(
        INTEGRATION_SUBNET,
        ENDPOINT_SUBNET,
        registry(*_FIREWALL, sku=sku),
        private_endpoint("endpoints"),
        integrated_web_app(VNET_IMAGE_PULL),
    )


PP901_FAILING = _with_registry("Standard")
PP901_FIXED = _with_registry("Premium")
