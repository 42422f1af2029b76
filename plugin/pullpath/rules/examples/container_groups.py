"""Failing and fixed HCL for the container-group rules, PP101 to PP104."""

from __future__ import annotations

from pullpath.rules.examples.parts import (
    ACI_IDENTITY_PULL,
    ACI_SUBNET,
    CLOSED_REGISTRY,
    ENDPOINT_SUBNET,
    PASSWORD_CREDENTIAL,
    PULL_IDENTITY,
    container_group,
    join,
    private_endpoint,
    registry,
)

_CLOSED_NO_BYPASS = registry(
    "public_network_access_enabled = false", 'network_rule_bypass_option    = "None"'
)
_CLOSED_ADMIN = registry("admin_enabled                 = true", "public_network_access_enabled = false")

_IDENTITY_PULL = ACI_IDENTITY_PULL

PP101_FAILING = join(_CLOSED_ADMIN, container_group(PASSWORD_CREDENTIAL, in_vnet=False))
PP101_FIXED = join(CLOSED_REGISTRY, PULL_IDENTITY, container_group(_IDENTITY_PULL, in_vnet=False))

PP102_FAILING = join(_CLOSED_NO_BYPASS, PULL_IDENTITY, container_group(_IDENTITY_PULL, in_vnet=False))
PP102_FIXED = PP101_FIXED

_VNET_GROUP = container_group(_IDENTITY_PULL, in_vnet=True)
_SUBNETS = (ACI_SUBNET, ENDPOINT_SUBNET)
PP103_FAILING = join(*_SUBNETS, CLOSED_REGISTRY, PULL_IDENTITY, private_endpoint("aci"), _VNET_GROUP)
PP103_FIXED = join(*_SUBNETS, CLOSED_REGISTRY, PULL_IDENTITY, private_endpoint("endpoints"), _VNET_GROUP)

PP104_FAILING = join(*_SUBNETS, CLOSED_REGISTRY, PULL_IDENTITY, _VNET_GROUP)
PP104_FIXED = PP103_FIXED
