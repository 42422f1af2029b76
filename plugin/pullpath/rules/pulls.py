"""Walking pull paths: every (workload, image, registry) a family judges, with the shared first steps.

A workload family's decision function sees one :class:`Pull` at a time. What every family does
first (resolve the image to its registries, gather the registry's posture as evidence, settle open
and untold registries) happens here once, so a decision function starts where its family differs.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator

import msgspec

from pullpath.addresses import split_address
from pullpath.model import (
    NOT_EVALUATED,
    Evidence,
    Finding,
    Image,
    Model,
    Posture,
    Registry,
    Verdict,
    Workload,
    WorkloadKind,
)
from pullpath.resolve import resolve_image
from pullpath.rules.base import Rule, registry_evidence
from pullpath.rules.kubelet import attached_images


class Pull(msgspec.Struct):
    """One pull path under judgement, and the evidence gathered for it so far.

    ``evidence`` starts with the registry's posture; a decision function appends what it reads, and
    every finding it makes through :meth:`finding` carries all of it.
    """

    model: Model
    workload: Workload
    image: Image
    registry: Registry
    evidence: list[Evidence]

    def finding(
        self, rule: Rule, verdict: Verdict, reason: str, *more: Evidence, fix: str | None = None
    ) -> Finding:
        """A finding on this pull path under ``rule``, with the evidence so far plus ``more``."""
        return rule.finding(
            verdict, self.workload, self.image, self.registry, reason, [*self.evidence, *more], fix=fix
        )


Judge = Callable[[Pull], Finding]


def evaluate_pulls(model: Model, kind: WorkloadKind, first_rule: Rule, judge: Judge) -> Iterator[Finding]:
    """Run ``judge`` over every pull path of every workload of one kind whose registry is restricted.

    An open registry is a PASS and an untold one UNKNOWN under ``first_rule`` before ``judge`` runs.
    """
    for workload in model.workloads:
        if workload.kind is not kind:
            continue
        per_image: dict[str, list[Finding]] = {}
        for image, target in pull_paths(model, workload, first_rule):
            if isinstance(target, Finding):
                yield target
                continue
            pull = Pull(model, workload, image, target, registry_evidence(target))
            finding = open_or_unknown(pull, first_rule) or judge(pull)
            per_image.setdefault(image.attribute, []).append(finding)
        for findings in per_image.values():
            yield from combine(findings, first_rule)


def judge_layer(
    model: Model, first_rule: Rule, judge: Judge, kinds: Container[WorkloadKind] | None = None
) -> Iterator[Finding]:
    """Run a layer's ``judge`` over every pull path of every workload (of ``kinds``, when given),
    whatever the registry's posture.

    A layer (credential, name, route) is judged on open registries too; an image whose registry is
    untold is already UNKNOWN under its workload family, so it is not said twice.
    """
    for workload in model.workloads:
        if kinds is not None and workload.kind not in kinds:
            continue
        per_image: dict[str, list[Finding]] = {}
        for image, target in pull_paths(model, workload, first_rule):
            if isinstance(target, Registry):
                finding = judge(Pull(model, workload, image, target, []))
                per_image.setdefault(image.attribute, []).append(finding)
        for findings in per_image.values():
            yield from combine(findings, first_rule)


def pull_paths(
    model: Model, workload: Workload, untraced_rule: Rule
) -> Iterator[tuple[Image, Registry | Finding]]:
    """Each (image, registry) pair a workload pulls over, or a finding when the registry is untold.

    An image whose text is known only after apply and whose references reach no registry could
    come from any registry; when the input defines or reads one, that is an UNKNOWN, not a pass.
    """
    for image in (*workload.images, *attached_images(model, workload)):
        resolution = resolve_image(image, model)
        if resolution.traced:
            for registry in resolution.registries:
                yield image, registry
            continue
        untold = [target for target in image.ref.targets if _untold(target)]
        stopped = [t[len(NOT_EVALUATED) : -1] for t in image.ref.targets if t.startswith(NOT_EVALUATED)]
        if not (model.registries or untold or stopped):
            continue
        reason = (
            f"{image.attribute} is known only after apply and its expression names no registry this input "
            "defines"
        )
        fix = (
            "Give the image as a reference to its registry's login_server, or run pullpath scan on the "
            "sources."
        )
        if untold:
            reason = f"{image.attribute} comes from {', '.join(untold)}, which this input does not tell"
            fix = (
                "Set the variable (tfvars or --var), or run terraform init so .terraform/modules holds the "
                "module's source."
            )
        if stopped:  # a limit of the scan's evaluation, not of the configuration
            reason = (
                f"{image.attribute} could not be evaluated ({stopped[0]}: a limit of pullpath's evaluation, "
                "see its warning)"
            )
            fix = "Simplify the expression, or judge the plan with pullpath plan."
        shown = "(not evaluated)" if stopped else "(known after apply)"
        yield (
            image,
            untraced_rule.finding(
                Verdict.UNKNOWN,
                workload,
                image,
                None,
                reason,
                [image.cited(workload.address, shown)],
                fix=fix,
            ),
        )


def _untold(target: str) -> bool:
    """A reference kept as text (``var.x``, ``local.x``, ``module.m``, an unknown ``terraform.workspace``):
    a value the input cannot tell."""
    parts = split_address(target)
    while len(parts) > 2 and parts[0] == "module":
        parts = parts[2:]
    return parts[0] in ("var", "local", "module", "terraform")


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
            "the input does not tell which one is used",
            remediation="Settle the condition that picks the registry (a variable in tfvars or --var), or "
            "make every registry it may pick admit the pull.",
            evidence=tuple(e for f in findings for e in f.evidence),
        )
    ]


def open_or_unknown(pull: Pull, rule: Rule) -> Finding | None:
    """The verdict for a registry that is not restricted or whose posture is untold; else None."""
    registry = pull.registry
    posture = registry.posture
    if posture is Posture.OPEN:
        reason = (
            f"registry {registry.label} admits pulls from any network (public access on, default action "
            "Allow)"
        )
        return pull.finding(rule, Verdict.PASS, reason)
    if posture is not Posture.UNKNOWN:
        return None
    if not registry.defined:
        return pull.finding(
            rule,
            Verdict.UNKNOWN,
            f"registry {registry.label} is not defined in this input (a data source or a login server only), "
            "so its network posture is unknown",
            fix="Include the registry in the configuration, or pass its settings (az acr show) with "
            "--registry-inventory.",
        )
    return pull.finding(
        rule,
        Verdict.UNKNOWN,
        f"the network settings of registry {registry.label} are known only after apply",
        fix="Give the registry's public network access and network rule set values the plan can show (a "
        "literal, or a variable with a value in tfvars or --var).",
    )
