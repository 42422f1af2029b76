"""Several reports from one run: --format and --output pair in order, --output-dir writes one file each."""

from __future__ import annotations

import json
import re
import shlex
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from pullpath.cli import run
from pullpath.engine import analyse_plan
from pullpath.report import render
from pullpath.rules import ALL_RULES
from report_plans import mixed_plan


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_no_options_still_prints_the_table_on_stdout(tmp_path, capsys):
    plan = mixed_plan(tmp_path)
    code, out, err = cli(capsys, "plan", str(plan))
    assert code == 1 and err == ""
    assert out == render(analyse_plan(str(plan)), "table")


def test_table_on_stdout_and_sarif_to_a_file_in_one_run(tmp_path, capsys):
    plan = mixed_plan(tmp_path)
    target = tmp_path / "pullpath.sarif"
    code, out, _ = cli(
        capsys, "plan", str(plan), "--format", "sarif", "--output", str(target), "--format", "table"
    )
    assert code == 1
    assert out.startswith("verdict    rule") and "Remediation:" in out
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_output_dir_writes_one_file_per_format(tmp_path, capsys):
    plan = mixed_plan(tmp_path)
    reports = tmp_path / "reports"
    formats = ["table", "json", "sarif", "junit", "markdown", "github"]
    args = ["plan", str(plan), "--output-dir", str(reports)] + [
        arg for fmt in formats for arg in ("--format", fmt)
    ]
    code, out, _ = cli(capsys, *args)
    assert code == 1 and out == ""
    written = sorted(path.name for path in reports.iterdir())
    assert written == sorted(
        [
            "pullpath.txt",
            "pullpath.json",
            "pullpath.sarif",
            "pullpath.junit.xml",
            "pullpath.md",
            "pullpath.github.txt",
        ]
    )
    assert json.loads((reports / "pullpath.json").read_text(encoding="utf-8"))["summary"]["FAIL"] == 1
    ElementTree.parse(reports / "pullpath.junit.xml")
    assert "```mermaid" in (reports / "pullpath.md").read_text(encoding="utf-8")


def test_output_dir_with_one_format_kept_on_stdout(tmp_path, capsys):
    plan = mixed_plan(tmp_path)
    code, out, _ = cli(
        capsys,
        "plan",
        str(plan),
        "--output-dir",
        str(tmp_path / "out"),
        "--format",
        "table",
        "-o",
        "-",
        "--format",
        "junit",
    )
    assert code == 1 and out.startswith("verdict    rule")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["pullpath.junit.xml"]


def test_exit_code_does_not_depend_on_the_formats(tmp_path, capsys):
    plan = mixed_plan(tmp_path)
    assert cli(capsys, "plan", str(plan), "--format", "markdown", "--soft-fail")[0] == 0
    assert (
        cli(
            capsys,
            "plan",
            str(plan),
            "--format",
            "github",
            "--format",
            "json",
            "-o",
            "-",
            "-o",
            str(tmp_path / "r.json"),
        )[0]
        == 1
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "table", "--format", "json"), "would all go to stdout"),
        (("--format", "table", "--format", "sarif", "-o", "{tmp}/a.sarif"), "is paired with --format table"),
        (("-o", "{tmp}/a.txt", "-o", "{tmp}/b.txt"), "2 --output for 1 --format"),
        (
            ("--format", "json", "-o", "{tmp}/r.json", "--format", "sarif", "-o", "{tmp}/r.json"),
            "same --output file",
        ),
        (
            (
                "--format",
                "pdf",
            ),
            "pdf",
        ),
    ],
)
def test_ambiguous_outputs_are_usage_errors(tmp_path, capsys, args, message):
    plan = mixed_plan(tmp_path)
    code, out, err = cli(capsys, "plan", str(plan), *(arg.format(tmp=tmp_path) for arg in args))
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]  # nothing half-written


def test_no_output_may_overwrite_an_input(tmp_path, capsys):
    plan = mixed_plan(tmp_path)
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers: []\n", encoding="utf-8")
    before = waivers.read_bytes()
    code, _, err = cli(
        capsys, "plan", str(plan), "--waivers", str(waivers), "--format", "json", "-o", str(waivers)
    )
    assert code == 2 and "over its own input" in err and waivers.read_bytes() == before


def readme_invocations() -> list[list[str]]:
    """Every `pullpath plan ...` the README shows, one-liners and the CI examples' folded commands."""
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"^\s*pullpath plan (\S+\.json)((?:[^\n#]*)(?:\n\s+--[^\n]*)*)", text, re.MULTILINE)
    return [shlex.split(rest.replace("$(Build.ArtifactStagingDirectory)", "staging")) for _, rest in found]


def test_every_readme_invocation_runs(tmp_path, capsys, monkeypatch):
    invocations = readme_invocations()
    assert len(invocations) >= 8 and any("--output-dir" in args for args in invocations)
    monkeypatch.chdir(tmp_path)
    plan = mixed_plan(tmp_path)
    (tmp_path / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    (tmp_path / "acr.json").write_text("[]", encoding="utf-8")
    for args in invocations:
        for option, value in zip(args, args[1:], strict=False):
            if option == "--source-dir":  # the plan's sources: any folder of .tf files serves
                (tmp_path / value).mkdir(parents=True, exist_ok=True)
                (tmp_path / value / "main.tf").write_text(ALL_RULES["PP101"].fixed_example, encoding="utf-8")
        code, _, err = cli(capsys, "plan", str(plan), *args)
        assert code in (0, 1), (args, err)


REGISTRY_ONLY = """
resource "azurerm_container_registry" "acr" {
  name                          = "acrregonly"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Standard"
  public_network_access_enabled = false
}
"""


@pytest.mark.parametrize("fmt", ["table", "github", "markdown"])
def test_summaries_count_a_registry_finding_apart_from_pull_paths(tmp_path, capsys, fmt):
    (tmp_path / "main.tf").write_text(REGISTRY_ONLY, encoding="utf-8")
    code, out, _ = cli(capsys, "scan", str(tmp_path), "--format", fmt)
    assert code == 1
    assert "0 pull path(s) in 0 workload(s), 1 registry finding(s)" in out
    assert "WAIVED" not in out  # nothing waived: no zero count for it either


def test_summaries_count_pull_paths_alone_when_no_registry_is_judged(tmp_path, capsys):
    code, out, _ = cli(capsys, "plan", str(mixed_plan(tmp_path)), "--format", "github")
    assert code == 1
    assert re.search(r"^pullpath: \d+ pull path\(s\) in \d+ workload\(s\): \d+ FAIL, ", out, re.M)
    assert "registry finding" not in out and "WAIVED" not in out.splitlines()[-1]
