"""SARIF 2.1.0: valid against the OASIS schema (read in place from ../shared), one descriptor per rule,
results at the plan file or the .tf file and line, waived findings as suppressions."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import validators
from msgspec.structs import replace

from layers import route_only
from pullpath.engine import analyse_plan, analyse_resources, analyse_tree, review
from pullpath.model import SourceLocation
from pullpath.readers.plan import read_plan
from pullpath.report import render
from pullpath.rules import ALL_RULES
from pullpath.waivers import load_waivers
from report_plans import API, GROUP, WEB, WORKER, mixed_plan, mixed_report
from scenarios import SCENARIOS

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    if not SCHEMA.is_file():
        pytest.skip(f"SARIF schema not at {SCHEMA} (a clone without ../shared)")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def sarif(report) -> dict:
    return json.loads(render(report, "sarif"))


def errors(validator, document) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_mixed_plan_is_schema_valid(tmp_path, validator):
    assert errors(validator, sarif(mixed_report(tmp_path))) == []


def test_the_schema_check_catches_a_broken_document(tmp_path, validator):
    document = sarif(mixed_report(tmp_path))
    broken = copy.deepcopy(document)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["tool"]["driver"]["name"]
    assert len(errors(validator, broken)) == 2


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_every_gallery_scenario_is_schema_valid(scenario, validator):
    report = analyse_plan(str(scenario / "plan.json"))
    document = sarif(report)
    assert errors(validator, document) == []
    problems = {(f.workload.address, f.rule) for f in report.findings if f.verdict.name != "PASS"}
    results = document["runs"][0]["results"]
    assert {(r["properties"]["workload"], r["ruleId"]) for r in results} == problems


def test_one_descriptor_per_rule_with_help_and_security_severity(tmp_path):
    driver = sarif(mixed_report(tmp_path))["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == list(ALL_RULES)
    for descriptor in driver["rules"]:
        rule = ALL_RULES[descriptor["id"]]
        assert descriptor["helpUri"] == rule.help_uri and descriptor["helpUri"].endswith(
            f"/docs/rules/{rule.id}.md"
        )
        assert descriptor["shortDescription"]["text"] == rule.title
        assert rule.remediation in descriptor["help"]["text"]
        assert "## Failing example" in descriptor["help"]["markdown"]
        score = float(descriptor["properties"]["security-severity"])
        assert (
            score >= 7.0
            if rule.severity == "HIGH"
            else 4.0 <= score < 7.0
            if rule.severity == "MEDIUM"
            else score < 4.0
        )


def test_levels_follow_verdicts_and_pass_is_left_out(tmp_path):
    run = sarif(mixed_report(tmp_path))["runs"][0]
    levels = {
        result["properties"]["workload"]: (result["ruleId"], result["level"]) for result in run["results"]
    }
    assert levels == {GROUP: ("PP101", "error"), API: ("PP201", "warning"), WEB: ("PP201", "note")}
    assert WORKER not in levels
    assert run["properties"]["summary"]["PASS"] == 1
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_plan_results_point_at_the_plan_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mixed_plan(tmp_path)
    report = analyse_plan("plan.json")
    [result] = [r for r in sarif(report)["runs"][0]["results"] if r["ruleId"] == "PP101"]
    [location] = result["locations"]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "plan.json", "uriBaseId": "%SRCROOT%"}
    assert location["physicalLocation"]["region"] == {"startLine": 1}
    assert location["logicalLocations"] == [{"fullyQualifiedName": GROUP, "kind": "resource"}]


def test_scan_results_point_at_the_tf_file_and_line(tmp_path, monkeypatch):
    """A .tf reader gives each workload its file and line; SARIF carries them, repository-relative."""
    monkeypatch.chdir(tmp_path)
    resources = read_plan(str(mixed_plan(tmp_path)))
    located = [
        replace(r, location=SourceLocation("infra/app stack/main.tf", 42)) if r.address == GROUP else r
        for r in resources
    ]
    report = analyse_resources(located, "infra")
    [result] = [r for r in sarif(report)["runs"][0]["results"] if r["ruleId"] == "PP101"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "infra/app%20stack/main.tf"
    assert physical["region"] == {"startLine": 42}


def test_scan_of_a_subfolder_points_at_the_file_from_the_repository_root(tmp_path, monkeypatch):
    infra = tmp_path / "infra" / "prod"
    infra.mkdir(parents=True)
    (infra / "aci.tf").write_text(ALL_RULES["PP101"].failing_example, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    [result] = sarif(analyse_tree("infra/prod"))["runs"][0]["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "infra/prod/aci.tf", "uriBaseId": "%SRCROOT%"}
    line = physical["region"]["startLine"]
    assert (
        (infra / "aci.tf")
        .read_text(encoding="utf-8")
        .splitlines()[line - 1]
        .startswith('resource "azurerm_container_group"')
    )


def test_a_path_outside_the_working_directory_is_a_file_uri(tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    report = analyse_plan(str(mixed_plan(tmp_path)))
    uri = sarif(report)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": (tmp_path / "plan.json").as_uri()}


def test_waived_findings_are_suppressions_and_waiver_problems_are_notifications(tmp_path, validator):
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "waivers:\n"
        f"  - {{rule: PP101, workload: '{GROUP}', reason: tracked in OPS-1, expires: 2099-01-01}}\n"
        "  - {rule: PP202, workload: '*', reason: nothing, expires: 2099-01-01}\n",
        encoding="utf-8",
    )
    document = sarif(review(mixed_report(tmp_path), waivers=load_waivers(str(path))))
    assert errors(validator, document) == []
    run = document["runs"][0]
    [waived] = [r for r in run["results"] if r["ruleId"] == "PP101"]
    [suppression] = waived["suppressions"]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"
    assert suppression["justification"] == "tracked in OPS-1"
    assert suppression["properties"]["expires"] == "2099-01-01"
    assert all("suppressions" not in r for r in run["results"] if r is not waived)
    [notification] = run["invocations"][0]["toolConfigurationNotifications"]
    assert "matches no FAIL, WARN or UNKNOWN finding" in notification["message"]["text"]
    assert notification["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}


def test_fingerprints_are_stable_and_distinct(tmp_path):
    first = sarif(mixed_report(tmp_path))["runs"][0]["results"]
    again = sarif(route_only(analyse_plan(str(mixed_plan(tmp_path, "again.json")))))["runs"][0]["results"]
    prints = [r["partialFingerprints"]["pullpathPullPath/v1"] for r in first]
    assert prints == [r["partialFingerprints"]["pullpathPullPath/v1"] for r in again]
    assert len(set(prints)) == len(prints)
