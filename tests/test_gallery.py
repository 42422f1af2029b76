"""Every sample_tf scenario's plan.json gets exactly the verdicts its expected.json names.

The gallery is the product's living specification: each folder holds the .tf a user would write,
the plan Terraform would show for it, and the findings pullpath must produce, one per pull path.
A plan carries no provider version: a scenario whose verdicts depend on it pins azurerm in its
.terraform.lock.hcl, read as `pullpath plan --source-dir` reads it. Nor does it carry locals: a
scenario whose plan alone cannot tell something its sources do (a subnet a module input reads from
a local) lists what the plan alone gets in `plan_alone`.

What a scenario says of itself must agree with expected.json too: a folder named `-pass` expects
PASS only, and the comment on top of main.tf names every finding, layer by layer.
"""

from __future__ import annotations

import json
import re
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


def _findings(scenario: Path) -> list[dict[str, str]]:
    """Every finding expected.json names: with the sources, and from the plan alone."""
    document = json.loads((scenario / "expected.json").read_text(encoding="utf-8"))
    return [*document["findings"], *document.get("plan_alone", ())]


def _leading_comment(scenario: Path) -> str:
    """The comment main.tf opens with, which says what the scenario shows and expects."""
    lines = (scenario / "main.tf").read_text(encoding="utf-8").splitlines()
    block = []
    for line in lines:
        if not line.startswith("#"):
            break
        block.append(line.lstrip("# "))
    return " ".join(block)


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.name.endswith("-pass")], ids=lambda p: p.name)
def test_a_pass_scenario_expects_only_pass(scenario):
    """A folder named ``-pass`` is a configuration that works: every layer of every pull path passes."""
    findings = _findings(scenario)
    assert findings, "a -pass scenario expects at least one finding"
    assert [f for f in findings if f["verdict"] != "PASS"] == []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_main_tf_comment_names_every_expected_rule(scenario):
    """The comment on top of main.tf names every rule expected.json expects, the later layers too."""
    comment = _leading_comment(scenario)
    assert comment, "main.tf opens with a comment saying what the scenario expects"
    missing = sorted({f["rule"] for f in _findings(scenario)} - set(re.findall(r"\bPP\d{3}\b", comment)))
    assert missing == []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_main_tf_comment_gives_each_expected_verdict(scenario):
    """Each finding expected with the sources is in the comment as ``PPnnn VERDICT``."""
    document = json.loads((scenario / "expected.json").read_text(encoding="utf-8"))
    comment = _leading_comment(scenario)
    said = set(re.findall(r"\b(PP\d{3}) (PASS|WARN|UNKNOWN|FAIL)\b", comment))
    assert sorted({(f["rule"], f["verdict"]) for f in document["findings"]} - said) == []
