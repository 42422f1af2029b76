"""docs/rules/PPxxx.md cannot drift from the rules: generated from their metadata, checked here.

When a test here fails after a rule changed, run `make docs` and commit docs/rules/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from msgspec.structs import replace

from pullpath import docs
from pullpath.builders import build_model
from pullpath.cli import run
from pullpath.engine import analyse_model
from pullpath.model import Verdict
from pullpath.readers.hcl import read_root
from pullpath.rules import ALL_RULES

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"
RULES = sorted(ALL_RULES)


def test_every_rule_doc_is_generated_and_current():
    problems = docs.sync(DOCS, check=True)
    assert problems == [], "run `make docs`:\n" + "\n".join(problems)


def test_sync_reports_a_stale_a_missing_and_an_orphan_page(tmp_path):
    assert docs.sync(tmp_path) != []  # first run writes every page
    assert docs.sync(tmp_path, check=True) == []
    (tmp_path / "PP101.md").write_text("# PP101\nhand-edited\n", encoding="utf-8")
    (tmp_path / "PP102.md").unlink()
    (tmp_path / "PP999.md").write_text("# PP999: a rule that was removed\n", encoding="utf-8")
    problems = docs.sync(tmp_path, check=True)
    assert f"{tmp_path / 'PP101.md'}: stale" in problems
    assert f"{tmp_path / 'PP102.md'}: missing" in problems
    assert f"{tmp_path / 'PP999.md'}: documents a rule that does not exist" in problems
    docs.sync(tmp_path)
    assert docs.sync(tmp_path, check=True) == [] and not (tmp_path / "PP999.md").exists()


def test_docs_name_only_rules_that_exist():
    for page in DOCS.glob("*.md"):
        named = set(re.findall(r"\bPP\d{3}\b", page.read_text(encoding="utf-8")))
        assert named <= set(ALL_RULES), f"{page.name} names {sorted(named - set(ALL_RULES))}"


@pytest.mark.parametrize("rule_id", RULES)
def test_rule_has_what_its_doc_needs(rule_id):
    rule = ALL_RULES[rule_id]
    assert rule.failing_example.strip() and rule.fixed_example.strip(), "failing_example and fixed_example"
    assert rule.failing_example != rule.fixed_example
    assert rule.rationale and rule.remediation and rule.references
    assert all(reference.startswith("https://") for reference in rule.references)
    page = docs.render_rule(rule)
    headings = re.findall(r"^## (.+)$", page, re.MULTILINE)
    azapi = ["Failing example (azapi)", "Fixed example (azapi)"] if rule.azapi_failing_example else []
    assert bool(rule.azapi_failing_example) == bool(rule.azapi_fixed_example)
    assert headings == [
        "Summary",
        "Why the deployment breaks",
        "How pullpath detects it",
        "Failing example",
        "Fixed example",
        *azapi,
        "Remediation, in order of preference",
        "References",
    ]


EXAMPLES_AZURERM = (4, 52, 0)  # examples are written for a current provider; PP203 depends on it
#: Examples written for an older provider, as their first line says (PP902 judges what a version lacks).
EXAMPLES_AZURERM_OF = {"PP105": (3, 117, 0)}  # registry service-endpoint rules: removed in azurerm 4.0


def test_the_workload_rules_azapi_users_meet_first_show_azapi():
    assert {rule.id for rule in ALL_RULES.values() if rule.azapi_failing_example} >= {"PP202", "PP301"}


@pytest.mark.parametrize(
    ("rule_id", "dialect"),
    [(rule_id, "azurerm") for rule_id in RULES]
    + [(rule.id, "azapi") for rule in ALL_RULES.values() if rule.azapi_failing_example],
)
def test_examples_do_what_the_doc_says(tmp_path, rule_id, dialect):
    """The failing example trips the rule; the fixed one leaves nothing but PASS (read as `scan` would)."""
    rule = ALL_RULES[rule_id]
    pair = (
        (rule.failing_example, rule.fixed_example)
        if dialect == "azurerm"
        else (rule.azapi_failing_example, rule.azapi_fixed_example)
    )
    verdicts = {}
    for kind, text in zip(("failing", "fixed"), pair, strict=True):
        folder = tmp_path / kind
        folder.mkdir()
        (folder / "main.tf").write_text(text, encoding="utf-8")
        read = read_root(str(folder))
        assert read.problems == []
        version = EXAMPLES_AZURERM_OF.get(rule_id, EXAMPLES_AZURERM)
        model = replace(build_model(read.resources, str(folder)), azurerm_version=version)
        report = analyse_model(model)
        verdicts[kind] = {(f.rule, f.verdict) for f in report.findings}
    assert any(found == rule_id and verdict is not Verdict.PASS for found, verdict in verdicts["failing"])
    assert verdicts["fixed"] and all(verdict is Verdict.PASS for _, verdict in verdicts["fixed"])


def test_rules_command_lists_every_rule(capsys):
    assert run(["rules"]) == 0
    out = capsys.readouterr().out
    for rule in ALL_RULES.values():
        assert re.search(rf"^{rule.id}\s+{rule.severity}\s+{re.escape(rule.title)}$", out, re.MULTILINE)


def test_explain_prints_the_rule_doc_raw_with_raw(capsys):
    assert run(["explain", "pp101", "--raw"]) == 0
    out = capsys.readouterr().out
    assert out == (DOCS / "PP101.md").read_text(encoding="utf-8")
    assert "password = azurerm_container_registry.acr.admin_password" in out  # the failing snippet
    assert "user_assigned_identity_id = azurerm_user_assigned_identity.pull.id" in out  # the fix


def test_explain_renders_the_rule_doc_for_a_terminal(capsys):
    assert run(["explain", "pp101"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"PP101: {ALL_RULES['PP101'].title}" and set(lines[1]) == {"="}
    assert {"Why the deployment breaks", "Remediation, in order of preference", "References"} <= set(lines)
    assert not [mark for mark in ("<!--", "Generated by", "**", "```", "\n#") if mark in out]
    assert any(
        line.startswith("    ") and "password = azurerm_container_registry.acr.admin_password" in line
        for line in lines
    )
    prose = [line for line in lines if not line.startswith("    ") and len(line.lstrip("- ").split()) > 1]
    assert (
        max(len(line) for line in prose) <= 100
    )  # wrapped, a long link aside; code is indented, not wrapped
    assert any(line.startswith("1. ") for line in lines) and "Severity: HIGH" in out


def test_explain_unknown_rule_is_one_line_exit_2(capsys):
    assert run(["explain", "PP999"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PP999" in err and "pullpath rules" in err


def test_the_index_lists_every_rule_with_its_code_tests_and_scenarios():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    rows = {line.split("]")[0].lstrip("| ["): line for line in index.splitlines() if line.startswith("| [PP")}
    assert set(rows) == set(ALL_RULES)
    assert "`plugin/pullpath/rules/app_service.py`" in rows["PP202"]
    assert "`tests/test_rules_app_service.py`" in rows["PP202"]
    assert "`sample_tf/azapi-patch-webapp-pull-routing-pass`" in rows["PP202"]
