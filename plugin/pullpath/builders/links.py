"""What a workload finds by following one of its references, whichever dialect wrote the target.

An azurerm container app may run in an azapi environment and an azapi web app on an azurerm plan;
the workload's builder follows the reference by role and lets the target's own builder read it.
"""

from __future__ import annotations

from typing import Any

from pullpath.builders.context import Context, Role
from pullpath.model import Environment, Ref, ServicePlan

CONSUMPTION_SKUS = frozenset({"y1", "dynamic"})


def environment_fields(context: Context, ref: Ref) -> dict[str, Any]:
    """A container app's placement from its environment: in a VNet, which subnet, cited how.

    No environment in the input leaves ``in_vnet`` None (unknown), never False.
    """
    environments = context.follow(ref, Role.ENVIRONMENT)
    if not environments:
        return {"in_vnet": None}
    environment: Environment = context.built(environments[0])
    in_vnet = environment.subnet.is_set
    return {
        "in_vnet": in_vnet,
        "subnets": (environment.subnet,) if in_vnet else (),
        "environment": environment.address,
        "environment_cite": environment.cite,
    }


def service_plan(context: Context, refs: list[Ref]) -> ServicePlan | None:
    """The first plan any of ``refs`` names, in order (an app's own plan before its parent's)."""
    for ref in refs:
        plans = context.follow(ref, Role.SERVICE_PLAN)
        if plans:
            plan: ServicePlan = context.built(plans[0])
            return plan
    return None


def consumption(sku: str | None) -> bool | None:
    return None if sku is None else sku.lower() in CONSUMPTION_SKUS
