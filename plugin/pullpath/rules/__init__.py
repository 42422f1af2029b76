"""The rule catalogue: every family module, in one list, so nothing registers a rule twice."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pullpath.model import Finding, Model
from pullpath.rules import (
    aks,
    app_service,
    app_service_settings,
    container_apps,
    container_group_network,
    container_groups,
    credentials,
    hosting,
    image_builds,
    layers,
    name_resolution,
    provider_versions,
    reachability,
    registries,
    service_endpoints,
    workspace,
)
from pullpath.rules.base import Rule

_FAMILIES: tuple[tuple[tuple[Rule, ...], Callable[[Model], Iterable[Finding]] | None], ...] = (
    (container_groups.RULES, container_groups.evaluate),
    (service_endpoints.RULES, None),  # judged inside the workload families' public route
    (container_group_network.RULES, container_group_network.evaluate),
    (app_service.RULES, app_service.evaluate),
    (app_service_settings.RULES, app_service_settings.evaluate),
    (hosting.RULES, hosting.evaluate),
    (container_apps.RULES, container_apps.evaluate),
    (credentials.RULES, credentials.evaluate),
    (name_resolution.RULES, layers.evaluate),  # both layers, one walk over the pull paths
    (reachability.RULES, None),  # judged in that walk
    (aks.RULES, aks.evaluate),
    (registries.RULES, registries.evaluate),
    (provider_versions.RULES, provider_versions.evaluate),
    (image_builds.RULES, image_builds.evaluate),
)

ALL_RULES: dict[str, Rule] = {rule.id: rule for rules, _ in _FAMILIES for rule in rules}


def evaluate(model: Model) -> list[Finding]:
    """All findings over the model, in a stable order (workload, image, registry, rule).

    Findings resting on a resource terraform plan rejects give way to that rejection (PP902), and
    those that depend on an unknown workspace say that ``--workspace`` settles them.
    """
    findings = [finding for _, run in _FAMILIES if run for finding in run(model)]
    findings = workspace.settle(model, provider_versions.supersede(findings))
    return sorted(findings, key=lambda finding: finding.sort_key)
