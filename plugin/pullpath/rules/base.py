"""What every rule is: an ID with its prose, and the findings it produces over the model.

A rule's identity, rationale, remediation and references live once, here in its family module;
the CLI row, the checkov check, the SARIF descriptor and ``docs/rules/PPxxx.md`` derive from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from pullpath.addresses import split_address
from pullpath.model import (
    NOT_EVALUATED,
    Cite,
    Evidence,
    Finding,
    Image,
    Model,
    Registry,
    Verdict,
    Workload,
    WorkloadKind,
    cited,
)
from pullpath.project import page
from pullpath.resolve import resolve_image

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


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    applies_to: str
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

    def finding(
        self,
        verdict: Verdict,
        workload: Workload,
        image: Image | None,
        registry: Registry | str | None,
        reason: str,
        evidence: Iterable[Evidence] = (),
    ) -> Finding:
        """A finding on one pull path; ``registry`` may be a bare host no resource can stand for."""
        return Finding(
            rule=self.id,
            verdict=verdict,
            workload=workload,
            image=image,
            registry=registry.address if isinstance(registry, Registry) else registry,
            reason=reason,
            remediation="" if verdict is Verdict.PASS else self.remediation,
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


def pull_paths(
    model: Model, workload: Workload, untraced_rule: Rule
) -> Iterator[tuple[Image, Registry | Finding]]:
    """Each (image, registry) pair a workload pulls over, or a finding when the registry is untold.

    An image whose text is known only after apply and whose references reach no registry could
    come from any registry; when the input defines or reads one, that is an UNKNOWN, not a pass.
    """
    for image in workload.images:
        resolution = resolve_image(image, model)
        if not resolution.traced:
            untold = [target for target in image.ref.targets if _untold(target)]
            stopped = [t[len(NOT_EVALUATED) : -1] for t in image.ref.targets if t.startswith(NOT_EVALUATED)]
            if model.registries or untold or stopped:
                reason = (
                    f"{image.attribute} is known only after apply and its expression names no registry "
                    "this input defines; give the image as a registry reference or run pullpath scan "
                    "with the .tf sources"
                )
                if untold:
                    reason = (
                        f"{image.attribute} comes from {', '.join(untold)}, which this input does not tell "
                        "(a variable nobody set, or a module whose source is not on disk: set the variable, "
                        "or run terraform init so .terraform/modules holds it)"
                    )
                if stopped:  # a limit of the scan's evaluation, not of the configuration
                    reason = (
                        f"{image.attribute} could not be evaluated ({stopped[0]}: a limit of pullpath's "
                        "evaluation, see its warning); simplify the expression, or judge the plan with "
                        "pullpath plan"
                    )
                yield (
                    image,
                    untraced_rule.finding(
                        Verdict.UNKNOWN,
                        workload,
                        image,
                        None,
                        reason,
                        [
                            Evidence(
                                workload.address,
                                image.attribute,
                                "(not evaluated)" if stopped else "(known after apply)",
                            )
                        ],
                    ),
                )
            continue
        for registry in resolution.registries:
            yield image, registry


def _untold(target: str) -> bool:
    """A reference kept as text (``var.x``, ``local.x``, ``module.m``): a value the input cannot tell."""
    parts = split_address(target)
    while len(parts) > 2 and parts[0] == "module":
        parts = parts[2:]
    return parts[0] in ("var", "local", "module")


def combine(findings: list[Finding], rule: Rule) -> list[Finding]:
    """One image may come from several registries (a conditional): agree, or say it is unknown."""
    if len({(f.rule, f.verdict) for f in findings}) <= 1:
        return findings
    first = findings[0]
    names = ", ".join(sorted({f.registry or "?" for f in findings}))
    return [
        Finding(
            rule=rule.id,
            verdict=Verdict.UNKNOWN,
            workload=first.workload,
            image=first.image,
            registry=names,
            reason=f"the image may come from any of {names} and their verdicts differ; "
            "the plan does not tell which one is used",
            remediation=rule.remediation,
            evidence=tuple(e for f in findings for e in f.evidence),
        )
    ]


Judge = Callable[[Model, Workload, Image, Registry], Finding]


def evaluate_pulls(model: Model, kind: WorkloadKind, first_rule: Rule, judge: Judge) -> Iterator[Finding]:
    """Run ``judge`` over every pull path of every workload of one kind."""
    for workload in model.workloads:
        if workload.kind is not kind:
            continue
        per_image: dict[str, list[Finding]] = {}
        for image, target in pull_paths(model, workload, first_rule):
            if isinstance(target, Finding):
                yield target
            else:
                per_image.setdefault(image.attribute, []).append(judge(model, workload, image, target))
        for findings in per_image.values():
            yield from combine(findings, first_rule)


def open_or_unknown(
    rule: Rule, workload: Workload, image: Image, registry: Registry, evidence: list[Evidence]
) -> Finding | None:
    """The verdict for a registry that is not restricted or whose posture is untold; else None."""
    posture = registry.posture
    if posture.value == "open":
        return rule.finding(
            Verdict.PASS,
            workload,
            image,
            registry,
            f"registry {registry.label} admits pulls from any network "
            "(public access on, default action Allow)",
            evidence,
        )
    if posture.value != "unknown":
        return None
    if not registry.defined:
        reason = (
            f"registry {registry.label} is not defined in this input (a data source or a login server only), "
            "so its network posture is unknown; include it in the configuration or supply its settings "
            "(az acr show)"
        )
    else:
        reason = f"the network settings of registry {registry.label} are known only after apply"
    return rule.finding(Verdict.UNKNOWN, workload, image, registry, reason, evidence)
