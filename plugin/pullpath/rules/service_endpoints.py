"""PP105: a registry that admits networks only through service-endpoint rules.

Only AKS and virtual machines may use ACR service endpoints; container groups, App Service and
Container Apps never arrive through one, and the trusted-services bypass does not stand in for it.
"""

from __future__ import annotations

from pullpath import resource_types as rt
from pullpath.model import Registry
from pullpath.rules import sources
from pullpath.rules.base import LIFT_RESTRICTION, Rule
from pullpath.rules.examples import service_endpoints as examples

PP105 = Rule(
    id="PP105",
    slug="service-endpoint-only-registry",
    title="Registry admits networks only through service-endpoint rules",
    topic="Registry admission through service-endpoint rules",
    severity="HIGH",
    resource_types=rt.WORKLOAD_KINDS,
    applies_to="azurerm_container_group, App Service apps, azurerm_container_app",
    rationale=(
        "The registry denies public access by default and admits networks only through "
        "network_rule_set.virtual_network (service-endpoint) rules. Only AKS and virtual machines can use "
        "ACR service endpoints; a container group, an App Service app or a container app in the listed "
        "subnet still arrives from an address the firewall rejects, and the image pull fails."
    ),
    remediation=(
        "Replace the service-endpoint rule with a private endpoint for the registry (sub-resource "
        '"registry") in a subnet other than the workload\'s, with the privatelink.azurecr.io zone linked to '
        "the VNet, and pull with a user-assigned identity; service-endpoint rules were removed from "
        "azurerm 4.0 in any case."
    ),
    references=(
        sources.ACR_SERVICE_ENDPOINTS,
        sources.ACR_PRIVATE_LINK,
    ),
    failing_example=examples.PP105_FAILING,
    fixed_example=examples.PP105_FIXED,
    detection=(
        "Reads `network_rule_set[0].virtual_network` and `ip_rule` of a firewalled registry (azurerm < 4.0) "
        "and reports when service-endpoint rules, and no IP rule, admit networks, for a pull that takes the "
        "public route: a password pull, an identity pull with the bypass off, or an App Service pull not "
        "routed to a private endpoint."
    ),
    alternatives=(
        "Move the workload to AKS or a virtual machine, the only compute that can use ACR service endpoints.",
        LIFT_RESTRICTION,
    ),
)

RULES = (PP105,)


def service_endpoint_only(registry: Registry) -> bool:
    """Firewalled, with service-endpoint rules and not a single IP rule."""
    return bool(registry.service_endpoint_rules) and registry.ip_rules == ()
