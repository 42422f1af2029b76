"""Parity: every gallery scenario gets the same verdicts from its .tf sources as from its plan.

A scan answers before `terraform plan` can run; it is only useful if it says what the plan would.
Each scenario's expected.json is the reference for both front doors, and `plan --source-dir`
(the plan enriched from its sources) must not change a single verdict either.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pullpath.engine import analyse_directory, analyse_plan, analyse_plan_with_sources
from scenarios import GALLERY

#: Rules that need the azurerm version: a plan alone carries none, its sources' lock file does.
VERSION_RULES = {"PP203", "PP206", "PP902"}
SCENARIOS = sorted(
    path.parent for path in GALLERY.glob("*/expected.json") if (path.parent / "plan.json").exists()
)


def triples(report) -> list[tuple[str, str, str]]:
    return sorted((f.workload.address, f.rule, f.verdict.name) for f in report.findings)


def expected(scenario: Path, plan_alone: bool = False) -> list[tuple[str, str, str]]:
    """What every front door gets; with ``plan_alone``, what a plan read without its sources gets
    (a scenario's ``plan_alone``, when its sources tell what the plan cannot: a local)."""
    document = json.loads((scenario / "expected.json").read_text(encoding="utf-8"))
    listed = document.get("plan_alone", document["findings"]) if plan_alone else document["findings"]
    return sorted((f["workload"], f["rule"], f["verdict"]) for f in listed)


def workspace(scenario: Path) -> str | None:
    """The workspace the scenario's plan was made in, which a scan must be told (``--workspace``)."""
    return json.loads((scenario / "expected.json").read_text(encoding="utf-8")).get("workspace")


def test_the_gallery_holds_the_scan_scenarios():
    names = {scenario.name for scenario in SCENARIOS}
    assert {
        "aci-locals-login-server-fail",
        "acr-tfvars-override-open-pass",
        "aci-count-zero-skipped-pass",
        "webapp-foreach-module-mixed",
        "acr-attribute-syntax-firewall-fail",
    } <= names
    assert len(names) >= 20


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda path: path.name)
def test_scan_plan_and_enriched_plan_agree_with_expected(scenario):
    want = expected(scenario)
    scanned = analyse_directory(str(scenario), workspace=workspace(scenario))
    assert triples(scanned) == want, "scan"
    plan_alone = expected(scenario, plan_alone=True)
    if (scenario / ".terraform.lock.hcl").exists():
        plan_alone = [triple for triple in plan_alone if triple[1] not in VERSION_RULES]
    assert triples(analyse_plan(str(scenario / "plan.json"))) == plan_alone, "plan"
    enriched = analyse_plan_with_sources(
        str(scenario / "plan.json"), str(scenario), workspace=workspace(scenario)
    )
    assert triples(enriched) == want, "plan --source-dir"
    assert scanned.warnings == ()
    for finding in scanned.findings:
        location = finding.workload.location
        assert location is not None and location.file.endswith(".tf") and location.line
        assert (scenario / location.file).exists()
