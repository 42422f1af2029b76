"""Input mistakes a new user makes: each is one line that says what to do, exit 2, never "internal error"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from pullpath.cli import run
from report_plans import mixed_plan
from scenarios import line_of

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "sample_tf" / "article-2021-private-acr-aci-vnet"
SHOW_TEXT = (
    "\x1b[0m\nTerraform used the selected providers to generate the following execution\nplan. Resource "
    "actions are indicated with the following symbols:\n  \x1b[32m+\x1b[0m create\n\nTerraform will perform "
    "the following actions:\n\n  # azurerm_container_group.app will be created\n  + resource "
    '"azurerm_container_group" "app" {\n      + name = "aci-app"\n    }\n\nPlan: 1 to add, 0 to change, '
    "0 to destroy.\n"
)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("pullpath: error: ") and "internal error" not in err, err
    return err


def binary_plan(path: Path) -> Path:
    """What terraform plan -out writes: a zip archive holding tfplan, the state and the configuration."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("tfplan", b"\x0a\x02\x08\x01" + bytes(range(256)))
        archive.writestr("tfstate", '{"version": 4}')
    return path


@pytest.mark.parametrize(
    ("name", "make", "hint"),
    [
        (
            "plan.out",
            binary_plan,
            "this looks like a binary plan file (terraform plan -out); pullpath reads its JSON: terraform show -json {path} > plan.json",
        ),
        (
            "plan.txt",
            lambda p: p.write_text(SHOW_TEXT) and p,
            "this looks like the text terraform show prints for a person",
        ),
        (
            "main.tf",
            lambda p: p.write_text((DEMO / "main.tf").read_text()) and p,
            "this looks like Terraform source, not a plan: pullpath scan DIR",
        ),
        (
            "network.tf.json",
            lambda p: p.write_text('{"resource": {"azurerm_subnet": {}}}') and p,
            "this looks like Terraform source",
        ),
        (
            "plan.ps1.txt",
            lambda p: p.write_bytes(SHOW_TEXT.encode("utf-16")) and p,
            "this looks like the text terraform show prints",
        ),
    ],
)
def test_what_is_not_a_plan_is_named_with_the_command_that_makes_one(tmp_path, capsys, name, make, hint):
    path = make(tmp_path / name)
    code, out, err = cli(capsys, "plan", str(path))
    assert (code, out) == (2, "")
    assert one_error(err).startswith(f"pullpath: error: {path}: {hint.format(path=path)}")
    assert "aci-app" not in err and "\x1b" not in err  # nothing of the file is echoed


def test_a_folder_given_to_plan_points_at_scan(capsys):
    code, _, err = cli(capsys, "plan", str(DEMO))
    assert code == 2 and f"pullpath scan {DEMO} judges the .tf files of a folder" in one_error(err)


def test_plan_dash_reads_the_plan_from_stdin():
    command = [sys.executable, "-m", "pullpath", "plan", "-", "--format", "json"]
    done = subprocess.run(command, input=(DEMO / "plan.json").read_bytes(), capture_output=True, timeout=120)
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert document["source"] == "-" and [f["rule"] for f in document["findings"]] == ["PP101", "PP501"]
    hinted = subprocess.run(command, input=SHOW_TEXT.encode(), capture_output=True, timeout=120)
    assert hinted.returncode == 2
    assert hinted.stderr.decode().startswith(
        "pullpath: error: stdin: this looks like the text terraform show"
    )


def test_plan_dash_with_its_sources_gives_file_and_line():
    command = [sys.executable, "-m", "pullpath", "plan", "-", "--source-dir", str(DEMO), "--format", "json"]
    done = subprocess.run(command, input=(DEMO / "plan.json").read_bytes(), capture_output=True, timeout=120)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    group = line_of(DEMO / "main.tf", 'resource "azurerm_container_group" "app"')
    assert {(f["file"], f["line"]) for f in findings} == {("main.tf", group)}


def test_pullpath_alone_prints_its_help_readably(capsys):
    code, out, err = cli(capsys)
    assert code in (0, 2)
    text = out + err
    assert text.startswith("Usage: pullpath [OPTIONS] COMMAND [ARGS]...\n")
    assert "pullpath error" not in text and "\n  plan " in text and "\nCommands:\n" in text
    assert "Exit codes: 0" in text


def test_a_usage_mistake_is_one_line_naming_the_help(capsys):
    code, _, err = cli(capsys, "plan")
    assert (
        code == 2
        and one_error(err) == "pullpath: error: Missing argument 'PLAN_JSON'; see 'pullpath plan --help'\n"
    )


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("report.json", lambda text: json.loads(text)["tool"]["name"] == "pullpath"),
        ("report.sarif", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("report.xml", lambda text: text.startswith('<?xml version="1.0"') and "<testsuites" in text),
        ("report.md", lambda text: text.startswith("### pullpath: ")),
        ("report.txt", lambda text: text.startswith("verdict  rules  ")),
    ],
)
def test_without_format_the_output_suffix_picks_the_format(tmp_path, capsys, name, check):
    target = tmp_path / name
    code, out, _ = cli(capsys, "plan", str(mixed_plan(tmp_path)), "-o", str(target))
    assert (code, out) == (1, "") and check(target.read_text(encoding="utf-8"))


def test_help_says_the_suffix_picks_the_format(capsys):
    assert run(["plan", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "Without --format, the suffix picks it: .json, .sarif, .xml (junit), .md (markdown)" in help_text
    assert "--quiet" in help_text


def test_a_var_no_root_declares_is_a_warning(tmp_path, capsys):
    root = tmp_path / "infra"
    root.mkdir()
    (root / "main.tf").write_text(
        (DEMO / "main.tf").read_text() + '\nvariable "environment" {\n  default = "dev"\n}\n'
    )
    code, _, err = cli(capsys, "scan", str(root), "--var", "environment=prod", "--var", "enviroment=prod")
    assert code == 1
    assert (
        err
        == "pullpath: warning: --var enviroment: no root module declares a variable 'enviroment', so it sets nothing\n"
    )


def test_an_output_folder_that_cannot_be_created_is_one_line(tmp_path, capsys, monkeypatch):
    def refused(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(os, "makedirs", refused)
    code, _, err = cli(
        capsys,
        "plan",
        str(mixed_plan(tmp_path)),
        "--format",
        "json",
        "--output-dir",
        str(tmp_path / "reports"),
    )
    assert code == 2 and one_error(err).endswith(
        "reports: cannot create output directory: Permission denied\n"
    )


def test_an_output_folder_that_cannot_be_written_is_one_line(tmp_path, capsys, monkeypatch):
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    target = tmp_path / "report.sarif"
    code, _, err = cli(capsys, "plan", str(mixed_plan(tmp_path)), "-o", str(target))
    assert (
        code == 2 and one_error(err) == f"pullpath: error: {target}: cannot write report: Permission denied\n"
    )


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into any folder")
def test_a_read_only_output_folder_is_one_line(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = cli(
            capsys, "plan", str(mixed_plan(tmp_path)), "--output-dir", str(folder), "--format", "json"
        )
    finally:
        folder.chmod(0o755)
    assert code == 2 and "Permission denied" in one_error(err)


@pytest.mark.parametrize(
    ("expires", "message"),
    [
        ("2027-02-30", "waiver expires 2027-02-30 is no day of the calendar"),
        ("!!timestamp 2027-02-30", "waiver expires 2027-02-30 is no day of the calendar"),
        ("!!int abc", "not valid YAML at line 6: a value tagged int is not one"),
        ("!!bool maybe", "not valid YAML at line 6: a value tagged bool is not one"),
    ],
)
def test_a_waiver_date_that_is_no_day_is_one_line(tmp_path, capsys, expires, message):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        f"# accepted\nwaivers:\n  - rule: PP101\n    workload: '*'\n    reason: tracked\n    expires: {expires}\n",
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "plan", str(mixed_plan(tmp_path)), "--waivers", str(waivers))
    assert (code, out) == (2, "") and message in one_error(err) and "abc" not in err and "maybe" not in err
