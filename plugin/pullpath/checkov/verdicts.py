"""How pullpath's four verdicts show in checkov, which only knows PASSED, FAILED and SKIPPED.

checkov drops ``CheckResult.UNKNOWN`` from every report, and an UNKNOWN pull path must not read as
a pass, so the mapping keeps it a visible failure at the lowest severity:

========  ======================================================
FAIL      FAILED at the rule's severity
WARN      FAILED at LOW
UNKNOWN   FAILED at INFO, details start ``pullpath verdict: UNKNOWN``
PASS      PASSED at the rule's severity
(none)    no row: pullpath reports nothing under this rule for the resource
========  ======================================================

A workload with several pull paths under one rule gets one result, the worst verdict, with a
details line per pull path. Details hold only what pullpath's own reports print (verdicts, image
text, registry addresses, reasons, remediations, non-secret settings), never a credential.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import msgspec

from pullpath.model import Finding, Verdict
from pullpath.rules.base import Rule

_SEVERITY_OF_VERDICT = {Verdict.WARN: "LOW", Verdict.UNKNOWN: "INFO"}


class Outcome(msgspec.Struct, frozen=True):
    """One checkov result: PASSED or FAILED, a severity name checkov knows, and the details lines."""

    passed: bool
    severity: str
    details: tuple[str, ...]


class Shown(NamedTuple):
    """One finding as a checkov row shows it, and nothing more: a verdict number and strings.

    A judgement lives until checkov exits. Kept as :class:`~pullpath.model.Finding` objects, each
    root's workloads, images and evidence (about 60 objects a root) would stay for the cyclic
    collector to walk in every later full collection of checkov's heap; a row is one object whose
    contents (numbers, strings, a tuple of strings) the collector does not follow.
    """

    verdict: int
    workload: str  # the finding's workload address
    subject: str  # ``container[0].image = acr.azurecr.io/api:1 from azurerm_container_registry.acr``
    reason: str
    remediation: str
    evidence: tuple[str, ...]


def shown(finding: Finding) -> Shown:
    """The row of one finding, its lines' wording fixed now (only the workload prefix waits)."""
    subject = []
    if finding.image is not None:
        subject.append(f"{finding.image.attribute} = {finding.image.text}")
    if finding.registry:
        subject.append(f"from {finding.registry}" if finding.image else f"registry {finding.registry}")
    return Shown(
        verdict=int(finding.verdict),
        workload=finding.workload.address,
        subject=" ".join(subject),
        reason=finding.reason,
        remediation=finding.remediation,
        evidence=tuple(str(item) for item in finding.evidence),
    )


def outcome(rule: Rule, address: str, findings: Sequence[Shown]) -> Outcome | None:
    """The result for the resource at ``address`` under one rule; None when there is nothing to show.

    ``findings`` may belong to instances of the resource (``address[0]``, ``module.m["k"]...``) when
    checkov could not expand a ``count`` or ``for_each``; their lines then name the instance.
    """
    if not findings:
        return None
    worst = Verdict(max(finding.verdict for finding in findings))
    headline = f"pullpath verdict: {worst.name}"
    if worst is Verdict.UNKNOWN:
        headline += " (the configuration does not say enough; shown as FAILED at INFO to stay visible)"
    lines = [headline, *(_pull_path(finding, address) for finding in findings)]
    lines += [f"fix: {text}" for text in dict.fromkeys(f.remediation for f in findings) if text]
    evidence = dict.fromkeys(item for finding in findings for item in finding.evidence)
    if evidence:
        lines.append("evidence: " + "; ".join(evidence))
    return Outcome(
        passed=worst is Verdict.PASS,
        severity=_SEVERITY_OF_VERDICT.get(worst, rule.severity),
        details=tuple(lines),
    )


def unjudged(rule: Rule, message: str) -> Outcome:
    """A visible failure for a resource pullpath could not judge (unreadable input, internal error)."""
    return Outcome(passed=False, severity=rule.severity, details=(message,))


def internal_error(error: BaseException) -> str:
    """The message for an unexpected error: its type only, since its text may quote the input."""
    return f"pullpath internal error: {type(error).__name__}; please report it with the input shape"


def _pull_path(finding: Shown, address: str) -> str:
    """``FAIL container[0].image = acr.azurecr.io/api:1 from azurerm_container_registry.acr: why``."""
    words = [Verdict(finding.verdict).name]
    if finding.workload != address:
        words.append(f"{finding.workload}:")
    if finding.subject:
        words.append(finding.subject)
    return " ".join(words) + f": {finding.reason}"
