"""What every rule is: an ID with its prose, the resource kinds it judges, and its findings.

A rule's identity, rationale, remediation and references live once, in its family module; the CLI
row, the checkov check (``policies/``), the SARIF descriptor and ``docs/rules/PPxxx.md`` derive from
it. Walking pull paths is :mod:`pullpath.rules.pulls`.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from pullpath import resource_types as rt
from pullpath.model import Cite, Evidence, Finding, Image, Registry, Verdict, Workload, cited
from pullpath.project import page

#: Remediations past a rule's own fix, shared by the workload families (catalogue order 3 and 4).
MOVE_WORKLOAD = (
    "Move the workload: Azure Container Apps in a VNet environment with a registry private endpoint and a "
    "user-assigned identity, or AKS with the kubelet identity granted AcrPull; both are documented to pull "
    "from a restricted registry."
)
LIFT_RESTRICTION = (
    "Last resort: lift the registry restriction (public network access on, default action Allow), "
    "accepting a registry any network can reach with credentials."
)


class Rule(msgspec.Struct, frozen=True):
    """One rule. ``title`` states the failure; ``topic`` names what is judged without a verdict.

    ``resource_types`` are the kinds the rule's findings can be about (``builders.values.kind_of``: an
    azurerm type, or ``azapi:`` plus an ARM type); checkov registration and the docs derive from them.
    """

    id: str
    slug: str  # a short name beside the ID, for people and file names: "aci-password-pull"
    title: str
    topic: str  # "Container group credential for a restricted registry": a heading for any verdict
    severity: str
    resource_types: tuple[str, ...]
    applies_to: str  # the same in prose, with any condition ("in a VNet")
    rationale: str
    remediation: str
    references: tuple[str, ...]
    failing_example: str = ""  # HCL that the rule fails, for docs and `pullpath explain`
    fixed_example: str = ""  # the same configuration, fixed
    detection: str = ""  # which attributes the rule reads, for the doc's "how pullpath detects it"
    alternatives: tuple[str, ...] = ()  # further remediations after `remediation`, in order of preference
    azapi_failing_example: str = ""  # the failing example with the workload written in azapi
    azapi_fixed_example: str = ""

    @property
    def help_uri(self) -> str:
        return page(f"docs/rules/{self.id}.md")  # under the project URL set once, in pyproject.toml

    def heading(self, verdict: Verdict) -> str:
        """The title for a FAIL; for any other verdict the topic, which asserts no failure."""
        return self.title if verdict is Verdict.FAIL else self.topic

    @property
    def checkov_types(self) -> tuple[str, ...]:
        """The Terraform types checkov must hand this rule's check: azapi kinds become azapi's two types."""
        types = {rt.AZAPI_RESOURCE if kind.startswith("azapi") else kind for kind in self.resource_types}
        if rt.AZAPI_RESOURCE in types:
            types.add(rt.AZAPI_UPDATE)  # a patch can decide the verdict its target gets
        return tuple(sorted(types))

    def finding(
        self,
        verdict: Verdict,
        workload: Workload,
        image: Image | None,
        registry: Registry | str | None,
        reason: str,
        evidence: Iterable[Evidence] = (),
        fix: str | None = None,
    ) -> Finding:
        """A finding on one pull path; ``registry`` may be a bare host no resource can stand for.

        ``fix`` is what this finding needs: for an UNKNOWN, the input that would settle it. Without
        one, a FAIL or WARN gets the rule's remediation.
        """
        return Finding(
            rule=self.id,
            verdict=verdict,
            workload=workload,
            image=image,
            registry=registry.address if isinstance(registry, Registry) else registry,
            reason=reason,
            remediation="" if verdict is Verdict.PASS else fix or self.remediation,
            evidence=tuple(evidence),
        )


def registry_evidence(registry: Registry) -> list[Evidence]:
    """The registry settings that make up its posture, as evidence (never a secret)."""
    if not registry.defined:
        return [Evidence(registry.address, "", "defined outside this configuration")]
    evidence = [cited(registry, Cite.PUBLIC_ACCESS, _shown(registry.public_network_access))]
    if registry.public_network_access is not False:
        evidence.append(cited(registry, Cite.DEFAULT_ACTION, registry.default_action))
    return evidence


def _shown(value: bool | None) -> str:
    return "(known after apply)" if value is None else str(value).lower()
