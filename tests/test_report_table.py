"""The terminal table: fits its width, never splits an address, one row per pull path, colour only on a terminal."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import click
import pytest

from pullpath.cli import run
from pullpath.engine import analyse_plan, analyse_tree
from pullpath.report import render
from report_plans import API, GROUP, WEB, WORKER, mixed_plan
from scenarios import line_of

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "sample_tf"
USGOV = GALLERY / "aci-usgov-vnet-identity-fail"  # PP103 PASS and PP107 FAIL on one pull path
ROW = re.compile(r"^(FAIL|WARN|UNKNOWN|WAIVED|PASS) +(PP\d{3}(?: PP\d{3})*)  ", re.M)  # a row, not a finding


class Terminal(io.StringIO):
    """stdout as a terminal: what ``pullpath`` draws for a person."""

    def isatty(self) -> bool:
        return True


def overflowing(text: str, width: int) -> list[str]:
    """Lines wider than ``width`` that hold more than one unbreakable piece (a label and a long link
    or attribute path may overflow: splitting them would be worse)."""
    return [line for line in text.splitlines() if len(line) > width and len(line.split()) > 2]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def on_terminal(monkeypatch, *args: str, columns: int = 100, **environment: str) -> tuple[int, str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    code = run(list(args))
    return code, terminal.getvalue()


@pytest.fixture(scope="module")
def gallery_scan():
    return analyse_tree(str(GALLERY))


@pytest.mark.parametrize("width", [100, 72, 60])
def test_every_line_fits_the_width_and_every_address_stays_whole(gallery_scan, width):
    text = render(gallery_scan, "table", width=width)
    lines = text.splitlines()
    assert overflowing(text, width) == []
    addresses = {f.workload.address for f in gallery_scan.findings} | {
        f.registry for f in gallery_scan.findings if f.registry
    }
    for address in addresses:  # whole on one line: an address cut in two cannot be searched for
        assert any(address in line for line in lines), address


def test_a_scan_has_a_location_column_and_a_plan_alone_has_none(gallery_scan, tmp_path):
    scanned = render(gallery_scan, "table").splitlines()
    assert scanned[0].split()[-1] == "location"
    wide = render(gallery_scan, "table", width=200).splitlines()
    [row] = [line for line in wide if "aci-usgov-vnet-identity-fail" in line and line.startswith("FAIL ")]
    group = line_of(USGOV / "main.tf", 'resource "azurerm_container_group" "orders"')
    assert row.split() == [
        "FAIL",
        "PP107",
        "azurerm_container_group.orders",
        "(known",
        "after",
        "apply)",
        "azurerm_container_registry.acr",
        f"sample_tf/aci-usgov-vnet-identity-fail/main.tf:{group}",
    ]
    planned = render(analyse_plan(str(mixed_plan(tmp_path))), "table").splitlines()
    assert "location" not in planned[0] and ":" not in planned[2].split()[-1]


def test_one_row_per_pull_path_with_its_worst_verdict_and_the_rules_behind_it(capsys):
    code, out, _ = cli(capsys, "plan", str(USGOV / "plan.json"))
    assert code == 1
    assert ROW.findall(out) == [("FAIL", "PP107")]  # the PP103 PASS on the same path is no row of its own
    assert "1 pull path in 1 workload: 1 FAIL, 0 WARN, 0 UNKNOWN, 0 PASS; 5 findings under 5 rules" in out
    document = json.loads(cli(capsys, "plan", str(USGOV / "plan.json"), "--format", "json")[1])
    assert [(f["rule"], f["verdict"]) for f in document["findings"]] == [
        ("PP103", "PASS"),
        ("PP107", "FAIL"),
        ("PP503", "PASS"),
        ("PP601", "PASS"),
        ("PP701", "PASS"),
    ]
    assert (document["summary"]["findings"], document["summary"]["pull_paths"]) == (5, 1)


def test_rows_come_worst_first_and_fixes_wrap_under_their_label(tmp_path, capsys):
    code, out, _ = cli(capsys, "plan", str(mixed_plan(tmp_path)))
    assert code == 1
    assert [verdict for verdict, _ in ROW.findall(out)] == ["FAIL", "WARN", "UNKNOWN", "PASS"]
    lines = out.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("  fix: "):
            rest = lines[
                index + 1 : index + 1 + next(i for i, x in enumerate(lines[index + 1 :]) if x[:7].strip())
            ]
            assert all(continued.startswith(" " * 7) for continued in rest)
    assert max(len(line) for line in lines) <= 100
    for address in (GROUP, WORKER, API, WEB):
        assert any(address in line for line in lines)
    assert (
        lines[-2]
        == "4 pull paths in 4 workloads: 1 FAIL, 1 WARN, 1 UNKNOWN, 1 PASS; 8 findings under 6 rules"
    )
    assert lines[-1] == "FAIL 1 of 4 pull paths fails the gate (at or above FAIL)"


def test_each_finding_shows_its_own_remediation(tmp_path, capsys, monkeypatch):
    from msgspec.structs import replace

    import pullpath.engine as engine

    original = engine.analyse_model

    def own_fix(model):
        report = original(model)
        fixed = tuple(
            replace(f, remediation=f"fix of {f.workload.address} under {f.rule}") if f.remediation else f
            for f in report.findings
        )
        return replace(report, findings=fixed)

    monkeypatch.setattr(engine, "analyse_model", own_fix)
    report = engine.analyse_plan(str(mixed_plan(tmp_path)))
    for fmt in ("table", "markdown", "github", "junit", "json", "sarif"):
        text = " ".join(render(report, fmt).split()).replace('\\"', '"').replace("&quot;", '"')
        text = text.replace("\\_", "_").replace("\\[", "[").replace("\\]", "]")  # Markdown's escapes
        assert f"fix of {GROUP} under PP101" in text and f"fix of {API} under PP201" in text, fmt
        rule_text = "Create a user-assigned identity with AcrPull"
        assert rule_text not in text or fmt == "sarif", fmt  # SARIF's rule descriptors carry the rule's fixes


def test_on_a_terminal_the_table_fits_columns_and_is_coloured(tmp_path, monkeypatch):
    plan = str(mixed_plan(tmp_path))
    code, out = on_terminal(monkeypatch, "plan", plan, columns=72)
    assert code == 1 and "\x1b[31m" in out and "\x1b[32m" in out  # FAIL red, PASS green
    plain = click.unstyle(out)
    assert overflowing(plain, 72) == []
    assert plain == render(analyse_plan(plan), "table", width=72)  # colour changes no layout
    assert click.unstyle(plain.splitlines()[-1]).startswith("FAIL 1 of 4 pull paths fails the gate")


@pytest.mark.parametrize("environment", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_colour_when_asked_on_a_terminal(tmp_path, monkeypatch, environment):
    code, out = on_terminal(monkeypatch, "plan", str(mixed_plan(tmp_path)), **environment)
    assert code == 1 and "\x1b[" not in out and "FAIL" in out


def test_no_colour_and_100_columns_off_a_terminal_whatever_columns_says(gallery_scan, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    code, out, _ = cli(capsys, "scan", str(GALLERY))
    assert code == 1 and "\x1b[" not in out
    assert overflowing(out, 100) == []


def test_quiet_prints_only_what_fails(tmp_path, capsys):
    plan = str(mixed_plan(tmp_path))
    code, out, _ = cli(capsys, "plan", plan, "--quiet")
    assert code == 1 and ROW.findall(out) == [("FAIL", "PP101")]
    assert not re.search(r"^(WARN|UNKNOWN|PASS)\b", out, re.M) and "4 pull paths in 4 workloads" not in out
    assert out.splitlines()[-1] == "FAIL 1 of 4 pull paths fails the gate (at or above FAIL)"
    code, out, _ = cli(capsys, "plan", plan, "-q", "--fail-on", "warn")
    assert code == 1 and [v for v, _ in ROW.findall(out)] == ["FAIL", "WARN"]
    open_plan = GALLERY / "acr-open-pass" / "plan.json"
    assert cli(capsys, "plan", str(open_plan), "--quiet") == (0, "", "")


def test_no_pull_path_says_so(tmp_path, capsys):
    (tmp_path / "main.tf").write_text('resource "azurerm_resource_group" "rg" {\n  name = "rg"\n}\n')
    code, out, _ = cli(capsys, "scan", str(tmp_path))
    assert code == 0
    assert out.startswith("No pull path from an Azure Container Registry found in this input.")
    assert out.splitlines()[-1] == "PASS no pull path from an Azure Container Registry in this input"


@pytest.mark.parametrize("fmt", ["table", "json", "sarif", "junit", "markdown", "github"])
def test_every_format_titles_a_finding_through_one_helper(tmp_path, monkeypatch, fmt):
    """The title of a WARN or UNKNOWN must not assert a failure; the rules will say one per verdict,
    and pullpath.report.titles.title is the one place every format asks."""
    from pullpath.report import titles

    monkeypatch.setattr(titles, "title", lambda finding: f"headline-{finding.verdict.name}-{finding.rule}")
    text = render(analyse_plan(str(mixed_plan(tmp_path))), fmt)
    needed = {"headline-FAIL-PP101", "headline-WARN-PP201"}
    if fmt != "junit":  # JUnit details only what fails or passes with a note, never an UNKNOWN's title
        needed.add("headline-UNKNOWN-PP201")
    assert {name for name in needed if name in text} == needed
