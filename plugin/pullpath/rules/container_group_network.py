"""Container groups in a VNet and what ACI does not support there: PP106 and PP107.

ACI documents two unsupported pulls for a group in a VNet whatever the registry's firewall says:
from a non-ACR registry without a public address (PP106), and with a managed identity in Azure
Government regions (PP107). Both fail at deployment; neither has a PASS of its own, since a group
that avoids them is judged by the other container-group rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from pullpath import resource_types as rt
from pullpath.hosts import without_public_address
from pullpath.model import (
    Cite,
    CredentialKind,
    Evidence,
    Finding,
    Model,
    Verdict,
    Workload,
    WorkloadKind,
    cited,
)
from pullpath.resolve import acr_name, credential_kind, image_host
from pullpath.rules import sources
from pullpath.rules.base import Rule
from pullpath.rules.examples import container_group_network as examples
from pullpath.rules.pulls import pull_paths

_GOVERNMENT_PREFIXES = ("usgov", "usdod")

PP106 = Rule(
    id="PP106",
    slug="aci-vnet-private-host",
    title="Container group in a VNet pulls from a registry host without a public address",
    topic="Container group in a VNet pulling from a host without a public address",
    severity="HIGH",
    resource_types=rt.CONTAINER_GROUP_KINDS,
    applies_to="azurerm_container_group in a VNet",
    rationale=(
        "ACI does not support pulling images from private registries other than Azure Container Registry: "
        "a registry without a public IP is unsupported even when the VNet can reach it (a self-hosted "
        "registry on a private address, a single-label or internal DNS name). The 2021 advice to run such a "
        "registry beside the group no longer holds; the pull fails at deployment."
    ),
    remediation=(
        "Push the image to an Azure Container Registry and pull it with a user-assigned identity "
        "(AcrPull) over a registry private endpoint in another subnet of the VNet, with the "
        "privatelink.azurecr.io zone linked to the VNet; name the registry by its login server "
        "(<name>.azurecr.io), never by its privatelink name."
    ),
    references=(
        sources.ACI_VNET_CONCEPTS,
        sources.ACI_MANAGED_IDENTITY_PULL,
        sources.ACR_PRIVATE_LINK,
    ),
    failing_example=examples.PP106_FAILING,
    fixed_example=examples.PP106_FIXED,
    detection=(
        'For a container group with subnet_ids, network_profile_id or ip_address_type = "Private", the host '
        "of every known container[*].image and init_container[*].image that is not an ACR login server: a "
        "private, loopback or link-local IP, a single-label name (myregistry:5000), or a name under .local, "
        ".localhost, .home.arpa, .internal, .corp, .home, .lan, .localdomain or with a privatelink label. "
        "Public hosts (Docker Hub, mcr.microsoft.com, ghcr.io, any other public-looking name) get no finding."
    ),
    alternatives=(
        "Give the self-hosted registry a public address (behind its own firewall) and pull over the "
        "group's NAT gateway.",
        "Move the workload to AKS, whose nodes pull from any registry their VNet reaches.",
    ),
)

PP107 = Rule(
    id="PP107",
    slug="aci-gov-identity-pull",
    title="Container group in a VNet pulls with a managed identity in an Azure Government region",
    topic="Container group identity pull in an Azure Government region",
    severity="HIGH",
    resource_types=rt.CONTAINER_GROUP_KINDS,
    applies_to="azurerm_container_group in a VNet with an identity pull",
    rationale=(
        "ACI lists managed identity with virtual networking as unsupported in Azure Government regions. A "
        "group in a VNet whose image_registry_credential pulls with user_assigned_identity_id cannot "
        "authenticate there, so the documented private-registry path (identity plus private endpoint) is not "
        "available in usgov* and usdod* regions."
    ),
    remediation=(
        "In Azure Government, keep the managed identity out of the VNet: deploy the group outside the "
        "VNet and pull with the user-assigned identity through the trusted-services bypass, or move the "
        "workload to Azure Container Apps in a VNet environment (user-assigned identity and a registry "
        "private endpoint) or to AKS."
    ),
    references=(
        sources.ACI_VNET_CONCEPTS,
        sources.ACI_MANAGED_IDENTITY_PULL,
    ),
    failing_example=examples.PP107_FAILING,
    fixed_example=examples.PP107_FIXED,
    detection=(
        'For a container group with subnet_ids, network_profile_id or ip_address_type = "Private" and an '
        "image_registry_credential with user_assigned_identity_id for the image's registry: location, "
        'normalised ("US Gov Virginia" -> usgovvirginia) and matched against usgov* and usdod*. A location '
        "known only after apply gives UNKNOWN."
    ),
    alternatives=(
        "Pull with a registry token (scope map) from a firewalled registry's public endpoint, through "
        "the group's NAT gateway whose public IP an IP rule allows.",
    ),
)

RULES = (PP106, PP107)


def evaluate(model: Model) -> Iterator[Finding]:
    for workload in model.workloads:
        if workload.kind is WorkloadKind.CONTAINER_GROUP and workload.in_vnet:
            yield from _private_hosts(workload)
            yield from _government_identity_pulls(model, workload)


def _private_hosts(workload: Workload) -> Iterator[Finding]:
    for image in workload.images:
        host = image_host(image.ref.value or "")
        if host is None or acr_name(host) is not None:
            continue  # Docker Hub or an ACR: the other rules judge it
        why = without_public_address(host)
        if why:
            yield PP106.finding(
                Verdict.FAIL,
                workload,
                image,
                host,
                f"{why}; ACI in a VNet does not pull from a registry other than ACR without a public address",
                [Evidence(workload.address, image.attribute, image.text)],
            )


def _government_identity_pulls(model: Model, workload: Workload) -> Iterator[Finding]:
    region = "".join((workload.region or "").split()).lower()
    for image, registry in pull_paths(model, workload, PP107):
        if isinstance(registry, Finding):
            continue  # an untraced image: the container-group rules already say so
        kind, attribute = credential_kind(workload.credentials, registry, model)
        if kind is not CredentialKind.IDENTITY:
            continue
        evidence = [Evidence(workload.address, attribute, "identity")]
        if not region:
            yield PP107.finding(
                Verdict.UNKNOWN,
                workload,
                image,
                registry,
                "the group is in a VNet and pulls with a managed identity, but its location is known only "
                "after apply; managed identity in a VNet is unsupported in Azure Government regions",
                [*evidence, cited(workload, Cite.LOCATION, "(known after apply)")],
                fix="Give the group's location a value the plan can show.",
            )
        elif region.startswith(_GOVERNMENT_PREFIXES):
            yield PP107.finding(
                Verdict.FAIL,
                workload,
                image,
                registry,
                f"the group is in a VNet in Azure Government region {region} and pulls from {registry.label} "
                "with a managed identity, which ACI does not support there",
                [*evidence, cited(workload, Cite.LOCATION, region)],
            )
