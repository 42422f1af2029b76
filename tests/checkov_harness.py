"""Real checkov, offline, with pullpath's checks from ``policies/``, and its reports read back.

Every run goes through :func:`checkov` (a subprocess with ``--skip-download``, ``BC_SKIP_MAPPING``
and ``CKV_SKIP_PACKAGE_UPDATE_CHECK``, so no socket is opened). Runs cost seconds each: the
gallery runs are cached for the test session, and the expected side comes from pullpath's own CLI
on the same input.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pullpath.cli import run

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "sample_tf"
POLICIES = ROOT / "policies"
CHECKOV = Path(sys.executable).parent / "checkov"
OFFLINE = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true"}
PLANS = tuple(sorted(GALLERY.glob("*/plan.json")))

#: The documented mapping of a pullpath verdict to checkov's result and severity (None: the rule's).
SHOWN = {
    "FAIL": ("FAILED", None),
    "WARN": ("FAILED", "LOW"),
    "UNKNOWN": ("FAILED", "INFO"),
    "PASS": ("PASSED", None),
}
_ORDER = ("PASS", "UNKNOWN", "WARN", "FAIL")


def checkov(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, checks: Path = POLICIES
) -> subprocess.CompletedProcess[str]:
    command = [str(CHECKOV), *args, "--external-checks-dir", str(checks), "--skip-download"]
    environment = {**os.environ, **OFFLINE, **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=cwd, timeout=600)


def checkov_with(
    prelude: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """checkov's own ``main`` in a Python that first runs ``prelude`` (to inject a fault)."""
    script = f"{prelude}\nimport sys\nfrom checkov.main import Checkov\nsys.exit(Checkov().run())"
    command = [sys.executable, "-c", script, *args, "--external-checks-dir", str(POLICIES), "--skip-download"]
    environment = {**os.environ, **OFFLINE, **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=600)


@dataclass(frozen=True)
class Row:
    """One result of a pullpath check in checkov's JSON report."""

    check_type: str
    file: str  # checkov's file_path: relative to the -d folder, with a leading slash
    abs_file: str
    resource: str
    check_id: str
    result: str
    severity: str | None
    details: tuple[str, ...]
    guideline: str | None
    suppress_comment: str | None

    @property
    def verdict(self) -> str | None:
        """The verdict the details' first line names (``pullpath verdict: FAIL``)."""
        head = self.details[0] if self.details else ""
        return head.split()[2] if head.startswith("pullpath verdict: ") else None


def rows(stdout: str) -> list[Row]:
    """pullpath's rows (check IDs ``PP...``) of checkov's ``-o json`` output, every framework.

    checkov prints one JSON document per ``-d`` folder, each a report or a list of reports.
    """
    reports, decoder, position = [], json.JSONDecoder(), 0
    while stdout[position:].strip():
        document, end = decoder.raw_decode(
            stdout, position + len(stdout[position:]) - len(stdout[position:].lstrip())
        )
        reports.extend(document if isinstance(document, list) else [document])
        position = end
    found = []
    for report in reports:
        for kind in ("passed_checks", "failed_checks", "skipped_checks"):
            for record in report.get("results", {}).get(kind, []):
                if record["check_id"].startswith("PP"):
                    found.append(
                        Row(
                            check_type=report["check_type"],
                            file=record["file_path"],
                            abs_file=record["file_abs_path"],
                            resource=record["resource"],
                            check_id=record["check_id"],
                            result=record["check_result"]["result"],
                            severity=record.get("severity"),
                            details=tuple(record.get("details") or ()),
                            guideline=record.get("guideline"),
                            suppress_comment=record["check_result"].get("suppress_comment"),
                        )
                    )
    return found


def shown(rows_: list[Row]) -> dict[tuple[str, str, str], tuple[str, str | None, str | None]]:
    """(file, resource, check) -> (result, verdict, severity), the shape the parity tests compare."""
    table = {}
    for row in rows_:
        key = (row.file if row.check_type == "terraform" else row.abs_file, row.resource, row.check_id)
        assert key not in table, f"two rows for {key}"
        table[key] = (row.result, row.verdict, row.severity)
    return table


def pullpath_json(*args: str) -> dict:
    """pullpath's own JSON report on the same input, through its CLI."""
    with tempfile.TemporaryDirectory() as folder:
        output = os.path.join(folder, "pullpath.json")
        code = run([*args, "--format", "json", "-o", output, "--soft-fail"])
        assert code == 0, f"pullpath {' '.join(args)} exited {code}"
        with open(output, encoding="utf-8") as handle:
            return json.load(handle)


def expected(document: dict, file_of) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    """pullpath's findings as checkov must show them: the worst verdict per (file, workload, rule)."""
    worst: dict[tuple[str, str, str], dict] = {}
    for finding in document["findings"]:
        key = (file_of(finding), finding["workload"], finding["rule"])
        if key not in worst or _ORDER.index(finding["verdict"]) > _ORDER.index(worst[key]["verdict"]):
            worst[key] = finding
    table = {}
    for key, finding in worst.items():
        result, severity = SHOWN[finding["verdict"]]
        table[key] = (result, finding["verdict"], severity or finding["severity"])
    return table


@functools.cache
def plan_rows(*, untracked: bool = False) -> tuple[Row, ...]:
    """One checkov run over every gallery plan (``-f`` each), plan framework only; ``untracked``
    loads them the way checkov loads large plans (plain ``json.loads``, no ``__file__`` in conf)."""
    files = [argument for plan in PLANS for argument in ("-f", str(plan))]
    env = {"CHECKOV_MAX_IAC_FILE_SIZE": "1"} if untracked else {}
    done = checkov(*files, "--framework", "terraform_plan", "-o", "json", env=env)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return tuple(rows(done.stdout))


@functools.cache
def gallery_rows(*, graph: str = "RUSTWORKX", threads: bool = False) -> tuple[Row, ...]:
    """One ``checkov -d sample_tf`` run: the HCL framework alone, or with ``threads`` every framework
    in one invocation with runners in threads (the macOS and Windows default)."""
    env = {"CHECKOV_GRAPH_FRAMEWORK": graph}
    frameworks: tuple[str, ...] = ("--framework", "terraform")
    if threads:
        env["CHECKOV_PARALLELIZATION_TYPE"] = "thread"
        frameworks = ("--framework", "terraform", "terraform_plan")
    done = checkov("-d", str(GALLERY), *frameworks, "-o", "json", env=env)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return tuple(rows(done.stdout))


@functools.cache
def expected_plans() -> dict[tuple[str, str, str], tuple[str, str, str]]:
    table = {}
    for plan in PLANS:
        table.update(expected(pullpath_json("plan", str(plan)), lambda _finding, plan=plan: str(plan)))
    return table


@functools.cache
def expected_scan() -> dict[tuple[str, str, str], tuple[str, str, str]]:
    return expected(pullpath_json("scan", str(GALLERY)), lambda finding: "/" + finding["file"])
