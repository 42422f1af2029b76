"""Where an App Service plan puts its apps: an App Service Environment runs them in its own subnet.

An app on a plan created in an App Service Environment (v3) has no ``virtual_network_subnet_id``
of its own: it runs inside the environment's VNet, and its image pull goes through that VNet
(azurerm refuses ``vnet_image_pull_enabled = false`` there). So such an app is judged as integrated
with the environment's subnet and routing its pull there, whichever dialect wrote the app, the plan
or the environment; the evidence names the plan's environment and the environment's subnet.
"""

from __future__ import annotations

from msgspec.structs import replace

from pullpath.builders.context import Context, Role
from pullpath.model import Attributes, Cite, HostingEnvironment, Ref, Workload, cited


def hosting_environment(context: Context, ref: Ref) -> HostingEnvironment | None:
    """The App Service Environment a plan's reference names, when this input defines it."""
    found = context.follow(ref, Role.HOSTING_ENVIRONMENT)
    if not found:
        return None
    environment: HostingEnvironment = context.built(found[0])
    return environment


def hosted(workload: Workload) -> Workload:
    """The app as its plan places it: in an App Service Environment's subnet, or as it is.

    A plan whose environment is configured but neither known nor traced may place the app in one,
    so an app without integration of its own is then of unknown integration, never "none".
    """
    plan = workload.service_plan
    state = plan.environment.is_set if plan else False
    if plan is None or state is False:
        return workload
    if state is None:
        return workload if workload.vnet_integration else replace(workload, vnet_integration=None)
    hosting = plan.hosting
    if hosting is not None:
        owner, path, subnet = hosting.address, hosting.cite(Cite.SUBNET), hosting.subnet
    else:  # an environment this input does not define: in a VNet, its subnet unknown here
        owner, path = plan.address, plan.cite(Cite.HOSTING_ENVIRONMENT)
        subnet = Ref(configured=True)
    cite = Attributes(
        workload.cite.dialect,
        {**workload.cite.paths, Cite.SUBNET: path},
        {**workload.cite.owners, Cite.SUBNET: owner},
    )
    shown = hosting.address if hosting else (plan.environment.value or "(known after apply)")
    return replace(
        workload,
        vnet_integration=True,
        integration_subnet=subnet,
        image_pull_routing=True,
        routing_evidence=(cited(plan, Cite.HOSTING_ENVIRONMENT, shown),),
        cite=cite,
    )


def in_environment(workload: Workload) -> bool:
    """Whether the app's plan is known to be in an App Service Environment."""
    plan = workload.service_plan
    return plan is not None and plan.environment.is_set is True
