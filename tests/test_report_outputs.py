"""Several reports from one run: --format and --output pair in order, --output-dir writes one file each."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from pullpath.cli import run
from pullpath.engine import analyse_plan
from pullpath.report import render
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
    assert out.startswith("verdict  rules  ") and "  fix: " in out
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
    assert json.loads((reports / "pullpath.json").read_text(encoding="utf-8"))["summary"]["FAIL"] >= 1
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
    assert code == 1 and out.startswith("verdict  rules  ")
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
        (("--format", "json", "-o", "{tmp}/a.json", "-o", "{tmp}/b.json"), "2 --output for 1 --format"),
        (
            ("--format", "table", "-o", "{tmp}/report.json"),
            "is paired with --format table, but its name says json",
        ),
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
    summary = " ".join(out.split())
    assert (
        "1 registry · 1 finding" if fmt == "markdown" else "1 registry: 1 FAIL; 1 finding under 1 rule"
    ) in summary
    assert "0 pull paths" not in summary  # nothing to count there
    assert "WAIVED" not in out  # nothing waived: no zero count for it either


def test_summaries_count_pull_paths_alone_when_no_registry_is_judged(tmp_path, capsys):
    code, out, _ = cli(capsys, "plan", str(mixed_plan(tmp_path)), "--format", "github")
    assert code == 1
    assert out.splitlines()[-1] == (
        "pullpath: 4 pull paths in 4 workloads: 1 FAIL, 1 WARN, 1 UNKNOWN, 1 PASS; 8 findings under 6 rules"
    )
    assert "registry finding" not in out and "WAIVED" not in out.splitlines()[-1]


SCANNED = """
resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = var.public
}
variable "public" {
  default = true
}
"""


def scanned_tree(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "main.tf").write_text(SCANNED, encoding="utf-8")
    (folder / "terraform.tfvars").write_text("public = true\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("victim", ["src/main.tf", "src/terraform.tfvars", "open.tfvars"])
def test_no_report_is_written_over_a_file_the_scan_read(tmp_path, capsys, victim):
    scanned_tree(tmp_path)
    (tmp_path / "open.tfvars").write_text("public = true\n", encoding="utf-8")
    before = (tmp_path / victim).read_bytes()
    code, out, err = cli(
        capsys,
        "scan",
        str(tmp_path / "src"),
        "--var-file",
        str(tmp_path / "open.tfvars"),
        "-o",
        str(tmp_path / victim),
    )
    assert (code, out) == (2, "") and err.count("\n") == 1 and "over its own input" in err
    assert (tmp_path / victim).read_bytes() == before


def test_no_report_is_written_over_a_source_dir_file_or_a_hard_link_to_the_plan(tmp_path, capsys):
    plan = mixed_plan(tmp_path)
    sources = scanned_tree(tmp_path)
    os.link(plan, tmp_path / "same-plan.json")
    for target in (sources / "main.tf", tmp_path / "same-plan.json"):
        before = target.read_bytes()
        code, _, err = cli(capsys, "plan", str(plan), "--source-dir", str(sources), "-o", str(target))
        assert code == 2 and "over its own input" in err and target.read_bytes() == before


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", "--output '': an empty file name"),
        ("{tmp}/reports", "is a directory"),
        ("{tmp}/reports/", "is a directory"),
        ("{tmp}/missing/", "names a folder"),
        ("{tmp}/missing/report.txt", "does not exist"),
    ],
)
def test_an_output_that_names_no_file_is_one_line_exit_2(tmp_path, capsys, target, message):
    plan = mixed_plan(tmp_path)
    (tmp_path / "reports").mkdir()
    code, out, err = cli(capsys, "plan", str(plan), "-o", target.format(tmp=tmp_path))
    assert (code, out) == (2, "") and err.count("\n") == 1 and message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "reports"]
    assert list((tmp_path / "reports").iterdir()) == []


def test_a_failure_on_any_target_leaves_every_old_report_as_it_was(tmp_path, capsys):
    plan = mixed_plan(tmp_path)
    first = tmp_path / "first.json"
    first.write_text("old report\n", encoding="utf-8")
    code, _, err = cli(
        capsys,
        "plan",
        str(plan),
        "--format",
        "json",
        "-o",
        str(first),
        "--format",
        "sarif",
        "-o",
        str(tmp_path / "gone" / "second.sarif"),
    )
    assert code == 2 and "does not exist" in err
    assert first.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.json", "plan.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder")
def test_an_unwritable_folder_for_the_second_report_leaves_the_first_as_it_was(tmp_path, capsys):
    plan = mixed_plan(tmp_path)
    first = tmp_path / "first.json"
    first.write_text("old report\n", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        code, _, err = cli(
            capsys, "plan", str(plan), "--format", "json", "-o", str(first),
            "--format", "sarif", "-o", str(locked / "second.sarif"),
        )  # fmt: skip
    finally:
        locked.chmod(0o700)
    assert code == 2 and "cannot write report" in err
    assert first.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.json", "locked", "plan.json"]


def test_a_fifo_output_is_written_through_never_replaced(tmp_path, capsys):
    plan = mixed_plan(tmp_path)
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def drain() -> None:
        with open(fifo, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=drain)
    reader.start()
    code = run(["plan", str(plan), "--format", "json", "-o", str(fifo)])
    reader.join(timeout=10)
    capsys.readouterr()
    assert code == 1 and stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["summary"]["FAIL"] >= 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "report.fifo"]


def test_a_character_device_output_stays_a_device(tmp_path, capsys):
    """As root (most CI containers), renaming over /dev/null replaced the device with the report."""
    plan = mixed_plan(tmp_path)
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    except (PermissionError, AttributeError):
        pytest.skip("making a device needs root (CAP_MKNOD)")
    assert run(["plan", str(plan), "--format", "json", "-o", str(null)]) == 1
    assert stat.S_ISCHR(null.stat().st_mode)
    assert run(["plan", str(plan), "--format", "json", "-o", "/dev/null"]) == 1
    assert os.path.exists("/dev/null") and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    capsys.readouterr()


SLOW_WRITER = """
import os, sys, time
from pullpath import outputs
os.replace = lambda source, target: time.sleep(60)  # hold the run between writing and renaming
print("ready", flush=True)
outputs.write_reports([(sys.argv[1], "new report"), (sys.argv[2], "another")])
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_no_temporary_file_survives_a_signal(tmp_path, signum):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("old\n", encoding="utf-8")
    writer = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(first), str(second)], stdout=subprocess.PIPE
    )
    assert writer.stdout is not None and writer.stdout.readline() == b"ready\n"
    deadline = time.monotonic() + 10
    while len(list(tmp_path.glob(".pullpath-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(list(tmp_path.glob(".pullpath-*"))) == 2  # both staged, none renamed yet
    writer.send_signal(signum)
    assert writer.wait(timeout=10) == -signum
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"] and first.read_text() == "old\n"


def test_a_report_is_never_written_through_a_link_to_a_file(tmp_path, capsys):
    """A committed ``pullpath.json -> ../runner/file`` must not let the report replace the runner's file."""
    runner = tmp_path / "runner.txt"
    runner.write_text("the runner's own file\n", encoding="utf-8")
    link = tmp_path / "pullpath.json"
    link.symlink_to(runner)
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere" / "file")
    plan = Path(__file__).resolve().parent.parent / "sample_tf" / "acr-open-pass" / "plan.json"
    for target in (link, dangling):
        code = run(["plan", str(plan), "--format", "json", "-o", str(target)])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and "symbolic link" in err
    assert runner.read_text(encoding="utf-8") == "the runner's own file\n" and link.is_symlink()
    assert not (tmp_path / "nowhere").exists()
    assert run(["plan", str(plan), "--format", "json", "-o", "/dev/stdout"]) == 0  # a link to a stream


def test_a_report_is_never_written_through_a_linked_folder_of_the_checkout(tmp_path, capsys, monkeypatch):
    """A committed ``reports -> /elsewhere`` folder link is refused like a file link; ``..`` after it
    too, since the link decides where it leads. A link outside the working directory is followed."""
    checkout, elsewhere = tmp_path / "checkout", tmp_path / "elsewhere"
    (elsewhere / "deeper").mkdir(parents=True)
    checkout.mkdir()
    (checkout / "reports").symlink_to(elsewhere / "deeper")
    monkeypatch.chdir(checkout)
    plan = Path(__file__).resolve().parent.parent / "sample_tf" / "acr-open-pass" / "plan.json"
    for target in ("reports/out.json", "reports/../out.json", str(checkout / "reports" / "out.json")):
        code = run(["plan", str(plan), "--format", "json", "-o", target])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and "folder" in err and "symbolic link" in err, target
    assert sorted(p.name for p in elsewhere.rglob("*")) == ["deeper"]
    (tmp_path / "shared").symlink_to(elsewhere)  # the machine's own link, outside the checkout
    assert run(["plan", str(plan), "--format", "json", "-o", "../shared/out.json"]) == 0
    assert (elsewhere / "out.json").is_file()
