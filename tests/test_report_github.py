"""GitHub Actions annotations: well-formed workflow commands, one per finding that needs attention."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from msgspec.structs import replace

import azure_values as azure
from layers import route_only
from planbuilder import PlanBuilder
from pullpath.cli import run
from pullpath.engine import analyse_plan, analyse_resources, review
from pullpath.model import SourceLocation
from pullpath.readers.plan import read_plan
from pullpath.report import render
from pullpath.waivers import load_waivers
from report_plans import API, GROUP, WEB, mixed_plan, mixed_report
from scenarios import SCENARIOS

ROOT = Path(__file__).resolve().parent.parent
# ::kind key=value,key=value::message, with the toolkit's escapes: no raw newline, comma or colon in values
COMMAND = re.compile(
    r"^::(error|warning|notice) ((?:file|line|title)=[^,:\r\n]*(?:,(?:file|line|title)=[^,:\r\n]*)*)::([^\r\n]*)$"
)


def unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse_annotations(text: str) -> list[tuple[str, dict[str, str], str]]:
    lines = text.splitlines()
    assert lines[-1].startswith("pullpath: ") and not lines[-1].startswith("::")
    found = []
    for line in lines[:-1]:
        match = COMMAND.match(line)
        assert match, line
        properties = dict(unescape(pair).split("=", 1) for pair in match.group(2).split(","))
        found.append((match.group(1), properties, unescape(match.group(3))))
    return found


def test_one_annotation_per_finding_that_needs_attention(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mixed_plan(tmp_path)
    found = parse_annotations(render(route_only(analyse_plan("plan.json")), "github"))
    by_kind = {(kind, props["title"]) for kind, props, _ in found}
    assert by_kind == {
        ("error", f"FAIL PP101 {GROUP}"),
        ("warning", f"WARN PP201 {API}"),
        ("notice", f"UNKNOWN PP201 {WEB}"),
    }
    assert all(props["file"] == "plan.json" and "line" not in props for _, props, _ in found)
    [(_, _, message)] = [a for a in found if a[0] == "error"]
    assert "\nFix: Create a user-assigned identity" in message
    assert message.endswith("\nhttps://github.com/pullpath/pullpath/blob/main/docs/rules/PP101.md")


def test_scan_annotations_carry_file_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    located = [
        replace(r, location=SourceLocation("infra/aci.tf", 17)) if r.address == GROUP else r
        for r in read_plan(str(mixed_plan(tmp_path)))
    ]
    [error] = [
        a
        for a in parse_annotations(render(route_only(analyse_resources(located, "infra")), "github"))
        if a[0] == "error"
    ]
    assert error[1]["file"] == "infra/aci.tf" and error[1]["line"] == "17"


def test_commas_colons_and_newlines_in_values_are_escaped(tmp_path):
    address = 'azurerm_container_group.g["a,b: c%0Ad%"]'
    plan = PlanBuilder().resource(
        "azurerm_container_registry.acr", azure.registry(public=False, known_login=True), expressions={}
    )
    plan.resource(address, azure.container_group(image="contosoacr.azurecr.io/app:1"), expressions={})
    [(kind, props, _)] = parse_annotations(
        render(route_only(analyse_plan(str(plan.write(tmp_path)))), "github")
    )
    assert kind == "error" and props["title"] == f"FAIL PP101 {address}"


def test_waived_findings_and_waiver_problems_are_annotated(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "waivers:\n"
        f"  - {{rule: PP101, workload: '{GROUP}', reason: tracked in OPS-1, expires: 2099-01-01}}\n"
        "  - {rule: PP202, workload: '*', reason: nothing, expires: 2020-01-01}\n",
        encoding="utf-8",
    )
    found = parse_annotations(
        render(review(mixed_report(tmp_path), waivers=load_waivers(str(path))), "github")
    )
    assert ("notice", f"WAIVED PP101 {GROUP}") in {(kind, props["title"]) for kind, props, _ in found}
    [notice] = [a for a in found if a[1]["title"] == "pullpath waiver"]
    assert notice[0] == "warning" and notice[1]["file"].endswith("waivers.yaml") and notice[1]["line"] == "3"
    assert "expired on 2020-01-01" in notice[2]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_every_gallery_scenario_is_well_formed(scenario):
    report = analyse_plan(str(scenario / "plan.json"))
    found = parse_annotations(render(report, "github"))
    assert len(found) == sum(f.verdict.name != "PASS" for f in report.findings)


def test_plan_with_source_dir_points_annotations_at_the_tf_file_under_that_dir(capsys, monkeypatch):
    """Source paths are relative to --source-dir; annotations must name them from the checkout root."""
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    scenario = "sample_tf/article-2021-private-acr-aci-vnet"
    run(["plan", f"{scenario}/plan.json", "--source-dir", scenario, "--format", "github"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"::error file={scenario}/main.tf,line=")
