"""Every sample_tf scenario's plan.json gets exactly the verdicts its expected.json names.

The gallery is the product's living specification: each folder holds the .tf a user would write,
the plan Terraform would show for it, and the findings pullpath must produce, one per pull path.
A plan carries no provider version: a scenario whose verdicts depend on it pins azurerm in its
.terraform.lock.hcl, read as `pullpath plan --source-dir` reads it. Nor does it carry locals: a
scenario whose plan alone cannot tell something its sources do (a subnet a module input reads from
a local) lists what the plan alone gets in `plan_alone`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from msgspec.structs import replace

from pullpath.builders import build_model
from pullpath.engine import analyse_model
from pullpath.provider_version import locked_azurerm_version
from pullpath.readers.plan import read_plan
from scenarios import SCENARIOS


def expected(scenario: Path, plan_alone: bool = False) -> set[tuple[str, str, str]]:
    document = json.loads((scenario / "expected.json").read_text(encoding="utf-8"))
    listed = document.get("plan_alone", document["findings"]) if plan_alone else document["findings"]
    return {(f["workload"], f["rule"], f["verdict"]) for f in listed}


def test_gallery_is_present():
    assert len(SCENARIOS) >= 16


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_plan_verdicts_match_expected(scenario):
    path = str(scenario / "plan.json")
    model = replace(build_model(read_plan(path), path), azurerm_version=locked_azurerm_version(str(scenario)))
    report = analyse_model(model)
    locked = (scenario / ".terraform.lock.hcl").exists()  # judged with the version, as its sources say
    assert {(f.workload.address, f.rule, f.verdict.name) for f in report.findings} == expected(
        scenario, not locked
    )
