"""Model objects for rule tests that feed the rules directly, with no reader or builder in between.

A rule test built on these fails only when the rule is wrong: a reader or builder bug shows up in
the reader and builder tests instead. Defaults describe the common case (a Premium registry closed
to the public, an app integrated with a VNet); each test overrides what it is about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from pullpath.model import (
    Credential,
    CredentialKind,
    Finding,
    Image,
    Model,
    PrivateEndpoint,
    Ref,
    Registry,
    Workload,
    WorkloadKind,
)

ACR = "azurerm_container_registry.acr"
LOGIN = "contoso.azurecr.io"


def registry(address: str = ACR, **changes: Any) -> Registry:
    """A defined Premium registry with public network access off, unless ``changes`` say otherwise."""
    base = Registry(
        address=address,
        name=address.rsplit(".", 1)[-1],
        login_server=LOGIN if address == ACR else f"{address.rsplit('.', 1)[-1]}.azurecr.io",
        sku="Premium",
        public_network_access=False,
        default_action="Allow",
        ip_rules=(),
        service_endpoint_rules=0,
        bypass="AzureServices",
        id=f"/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/{address}",
    )
    return replace(base, **changes)


def image_from(
    reg: Registry, attribute: str = "site_config[0].application_stack[0].docker_image_name"
) -> Image:
    """An image whose expression references the registry's login server, as most configurations write it."""
    return Image(Ref(value=None, targets=(reg.address,), configured=True), attribute)


def endpoint(reg: Registry, address: str = "azurerm_private_endpoint.acr") -> PrivateEndpoint:
    return PrivateEndpoint(
        address=address,
        subnet=Ref(targets=("azurerm_subnet.endpoints",), configured=True),
        targets=Ref(targets=(reg.address,), configured=True),
        subresources=("registry",),
    )


def app(reg: Registry, address: str = "azurerm_linux_web_app.web", **changes: Any) -> Workload:
    """A Linux web app integrated with a VNet, routing its pull there, pulling by identity from ``reg``."""
    base = Workload(
        address=address,
        type="azurerm_linux_web_app",
        kind=WorkloadKind.APP_SERVICE,
        images=(image_from(reg),),
        credentials=(Credential(Ref(value=reg.login_server), CredentialKind.IDENTITY, "site_config[0]"),),
        in_vnet=True,
        vnet_integration=True,
        integration_subnet=Ref(targets=("azurerm_subnet.integration",), configured=True),
        image_pull_routing=True,
        pull_property=True,
    )
    return replace(base, **changes)


def model(*objects: Registry | Workload | PrivateEndpoint, **changes: Any) -> Model:
    """A model of the given registries, workloads and endpoints, in the order given."""
    base = Model(
        registries=tuple(o for o in objects if isinstance(o, Registry)),
        private_endpoints=tuple(o for o in objects if isinstance(o, PrivateEndpoint)),
        subnets={},
        nat_gateways={},
        workloads=tuple(o for o in objects if isinstance(o, Workload)),
    )
    return replace(base, **changes)


def of_families(findings: Iterable[Finding]) -> list[Finding]:
    """The workload and registry families' findings: the name and route layers (PP6xx, PP7xx), which
    every pull over a private endpoint also gets, have their own rule tests."""
    return [finding for finding in findings if finding.rule[:3] not in ("PP6", "PP7")]
