"""JUnit XML: one test case per pull path, in the classic shape Azure DevOps and GitLab read."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

import azure_values as azure
from layers import route_only
from planbuilder import PlanBuilder
from pullpath.engine import analyse_plan, review
from pullpath.model import Verdict
from pullpath.report import render
from pullpath.waivers import load_waivers
from report_plans import API, GROUP, WEB, WORKER, mixed_report
from scenarios import SCENARIOS

ROOT = Path(__file__).resolve().parent.parent


def parse(report) -> ElementTree.Element:
    text = render(report, "junit")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ElementTree.fromstring(text.encode("utf-8"))


def child(element: ElementTree.Element, path: str) -> ElementTree.Element:
    """The element at ``path``: one that is missing fails here, named, rather than as an AttributeError."""
    found = element.find(path)
    assert found is not None, f"<{element.tag}> has no {path}"
    return found


def text(element: ElementTree.Element, path: str) -> str:
    """The text of the element at ``path``, which must have some."""
    found = child(element, path)
    assert found.text is not None, f"<{element.tag}>'s {path} has no text"
    return found.text


def outcome(case: ElementTree.Element) -> str:
    children = {child.tag for child in case} - {"system-out", "system-err"}
    assert len(children) <= 1
    return children.pop() if children else "passed"


def check_classic_shape(root: ElementTree.Element) -> list[ElementTree.Element]:
    """What both CI parsers need: testsuites > testsuite > testcase, counts that add up."""
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    for case in cases:
        assert case.get("name") and case.get("classname") and case.get("time") == "0"
        for failure in case.findall("failure"):
            assert failure.get("message") and failure.get("type") and failure.text
    tally = {"tests": len(cases), "errors": 0}
    tally["failures"] = sum(outcome(case) == "failure" for case in cases)
    tally["skipped"] = sum(outcome(case) == "skipped" for case in cases)
    for element in (root, suite):
        assert {key: int(element.get(key, -1)) for key in tally} == tally
    return cases


def by_workload(cases) -> dict[str, ElementTree.Element]:
    return {case.get("classname"): case for case in cases}


def test_one_case_per_pull_path_with_the_gate_deciding_failures(tmp_path):
    cases = by_workload(check_classic_shape(parse(mixed_report(tmp_path))))
    assert set(cases) == {GROUP, WORKER, API, WEB}
    assert {name: outcome(case) for name, case in cases.items()} == {
        GROUP: "failure",
        WORKER: "passed",
        API: "passed",  # WARN is below the default --fail-on fail
        WEB: "skipped",  # UNKNOWN: not judged
    }
    failure = child(cases[GROUP], "failure")
    assert failure.get("type") == "FAIL PP101"
    assert "public network access disabled" in failure.get("message", "")
    details = text(cases[GROUP], "failure")
    assert "remediation: Create a user-assigned identity with AcrPull" in details
    assert "docs: https://github.com/pullpath/pullpath/blob/main/docs/rules/PP101.md" in details
    assert cases[GROUP].get("name") == "PP101 container[0].image from azurerm_container_registry.acr"
    assert text(cases[API], "system-out").startswith("WARN PP201")
    skipped = child(cases[WEB], "skipped").get("message", "")
    assert skipped.startswith("UNKNOWN: registry sharedacr.azurecr.io")


def test_fail_on_warn_makes_the_warn_a_failure(tmp_path):
    report = review(mixed_report(tmp_path), fail_on=Verdict.WARN)
    cases = by_workload(check_classic_shape(parse(report)))
    assert outcome(cases[API]) == "failure" and outcome(cases[WEB]) == "skipped"


def test_waived_is_skipped_and_waiver_notices_go_to_system_err(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "waivers:\n"
        f"  - {{rule: PP101, workload: '{GROUP}', reason: tracked in OPS-1, expires: 2099-01-01}}\n"
        "  - {rule: PP101, workload: old.*, reason: gone, expires: 2020-01-01}\n",
        encoding="utf-8",
    )
    root = parse(review(mixed_report(tmp_path), waivers=load_waivers(str(path))))
    cases = by_workload(check_classic_shape(root))
    skipped = child(cases[GROUP], "skipped").get("message", "")
    assert skipped.startswith("WAIVED: waived until 2099-01-01: tracked in OPS-1 (was FAIL:")
    assert "expired on 2020-01-01" in text(root, "testsuite/system-err")


def test_control_characters_from_the_input_cannot_break_the_xml(tmp_path):
    plan = PlanBuilder().resource(
        "azurerm_container_registry.acr", azure.registry(public=False, known_login=True), expressions={}
    )
    plan.resource(
        "azurerm_container_group.g",
        azure.container_group(image="contosoacr.azurecr.io/app:1\x07\x1b[31m"),
        expressions={},
    )
    [case] = check_classic_shape(parse(route_only(analyse_plan(str(plan.write(tmp_path))))))
    assert "image: contosoacr.azurecr.io/app:1\ufffd\ufffd[31m" in text(case, "failure")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_every_gallery_scenario_parses(scenario):
    report = analyse_plan(str(scenario / "plan.json"))
    cases = check_classic_shape(parse(report))
    assert sorted(case.get("classname", "") for case in cases) == sorted(
        f.workload.address for f in report.findings
    )
    failures = {case.get("classname") for case in cases if outcome(case) == "failure"}
    assert failures == {f.workload.address for f in report.findings if f.verdict is Verdict.FAIL}
