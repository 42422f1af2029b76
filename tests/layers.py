"""The findings of one layer, so each family's tests check their own rules.

Every pull path from an Azure registry also gets a credential-layer finding (PP5xx), judged and
tested in tests/test_rules_credentials.py; the route and workload families' tests leave it out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pullpath.engine import Report
from pullpath.model import Finding, Model
from pullpath.rules import evaluate


def without_credentials(findings: Iterable[Finding]) -> list[Finding]:
    return [finding for finding in findings if not finding.rule.startswith("PP5")]


def rows_without_credentials(rows: Iterable[dict[str, object]]) -> list[dict[str, object]]:
    """The same for a JSON report's findings."""
    return [row for row in rows if not str(row["rule"]).startswith("PP5")]


def route_only(report: Report) -> Report:
    """A report without its credential-layer findings, for renderer tests built on route verdicts."""
    return replace(report, findings=tuple(without_credentials(report.findings)))


def evaluate_without_credentials(model: Model) -> list[Finding]:
    """The rules over ``model``, without the credential layer."""
    return without_credentials(evaluate(model))
