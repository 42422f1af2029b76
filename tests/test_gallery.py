"""Every sample_tf scenario's plan.json gets exactly the verdicts its expected.json names.

The gallery is the product's living specification: each folder holds the .tf a user would write,
the plan Terraform would show for it, and the findings pullpath must produce, one per pull path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pullpath.engine import analyse_plan

GALLERY = Path(__file__).resolve().parent.parent / "sample_tf"
SCENARIOS = sorted(path.parent for path in GALLERY.glob("*/expected.json"))


def expected(scenario: Path) -> set[tuple[str, str, str]]:
    document = json.loads((scenario / "expected.json").read_text(encoding="utf-8"))
    return {(f["workload"], f["rule"], f["verdict"]) for f in document["findings"]}


def test_gallery_is_present():
    assert len(SCENARIOS) >= 16


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_plan_verdicts_match_expected(scenario):
    report = analyse_plan(str(scenario / "plan.json"))
    assert {(f.workload.address, f.rule, f.verdict.name) for f in report.findings} == expected(scenario)
