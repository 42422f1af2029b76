"""Failing and fixed HCL for the container-group network rules, PP106 and PP107."""

from __future__ import annotations

from pullpath.rules.examples import container_groups
from pullpath.rules.examples.parts import ACI_SUBNET, container_group, join


def _in_region(example: str, region: str) -> str:
    """The same configuration deployed to another region."""
    return example.replace('location            = "westeurope"', f'location            = "{region}"')


PP106_FAILING = join(
    ACI_SUBNET,
    # the comment stands on the line above the group's resource (the group text opens with a newline)
    "# The 2021 advice: a self-hosted registry on a VM in the same VNet. ACI does not pull from it."
    + container_group("", in_vnet=True, image="10.0.9.4:5000/app:1.0"),
)
PP106_FIXED = container_groups.PP103_FIXED

PP107_FAILING = _in_region(container_groups.PP103_FIXED, "usgovvirginia")
PP107_FIXED = _in_region(container_groups.PP101_FIXED, "usgovvirginia")
