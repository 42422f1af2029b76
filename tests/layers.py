"""The workload and registry families' findings alone, so each family's tests check their own rules.

Every pull path from an Azure registry also gets a credential-layer finding (PP5xx, tested in
tests/test_rules_credentials.py) and, over a private endpoint, name and route findings (PP6xx,
PP7xx, tested in tests/test_rules_name_resolution.py and test_rules_reachability.py); the family
tests and the tests of other things (readers, renderers, the CLI) leave them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from msgspec.structs import replace

from pullpath.engine import Report
from pullpath.model import Finding, Model
from pullpath.rules import evaluate


def without_layers(findings: Iterable[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.rule[:3] not in LAYERS]


LAYERS = ("PP5", "PP6", "PP7")


def rows_without_layers(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same for a JSON report's findings (decoded JSON: each value is whatever the report wrote)."""
    return [row for row in rows if row["rule"][:3] not in LAYERS]


def route_only(report: Report) -> Report:
    """A report without its layers' findings, for renderer tests built on the families' verdicts."""
    return replace(report, findings=tuple(without_layers(report.findings)))


def evaluate_without_layers(model: Model) -> list[Finding]:
    """The rules over ``model``, without the layers."""
    return without_layers(evaluate(model))
