"""The README and docs/ are what a new user follows: every command they show runs, every link holds.

Each fenced shell block (``sh``) is split into commands, and each ``run:`` or ``script:`` of a YAML
block is one script; they run in document order, in a workspace holding the names the docs use
(``plan.json``, ``infra/``, ``waivers.yaml``, ``acr.json``, ``prod.tfvars``) made from the bundled
samples, with this checkout's pullpath. A command that needs what a test cannot have (terraform,
the Azure CLI, the network, the suite itself) is skipped by its program, each with its reason; any
other program fails the test, so a new command in the docs cannot go unrun. checkov's commands run
in checkov's slow lane.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pullpath.cli import run

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DEMO = ROOT / "sample_tf" / "article-2021-private-acr-aci-vnet"
BIN = Path(sys.prefix) / "bin"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
MACROS = {"Build.ArtifactStagingDirectory": "staging"}  # Azure DevOps macros in the docs' scripts
ENVIRONMENT_LINE = re.compile(r"^(export\s+)?(\w+=\S*\s*)+(#.*)?$")

#: Programs a test cannot run, and why. Anything else a command starts with must run.
SKIPPED = {
    "terraform": "needs terraform, its providers and credentials",
    "az": "needs the Azure CLI and a login",
    "pip": "installs from the network",
    "pipx": "installs from the network",
    "python -m pip": "installs from the network (or builds a wheel, which needs setuptools from it)",
    "source": "changes the calling shell; nothing to judge",
    "make": "a make target the suite does not nest (make test is this suite)",
}
RUN_IN_CHECKOUT = {"make demo"}  # the two commands of a fresh clone: make demo runs there, quickly


def blocks(path: Path) -> list[tuple[str, str]]:
    return [(language, body) for language, body in FENCE.findall(path.read_text(encoding="utf-8"))]


def shell_commands(body: str, exports: bool = False) -> list[str]:
    """The commands of a shell block: continuation lines joined, blank and comment lines dropped.

    With ``exports``, an ``export NAME=value`` line is no command of its own: its assignments
    prefix every later command of the block, as the shell would apply them.
    """
    commands, pending, prefix = [], "", ""
    for line in body.splitlines():
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        text = pending.strip()
        pending = ""
        if exports and ENVIRONMENT_LINE.match(text) and text.startswith("export "):
            prefix += " ".join(shlex.split(text, comments=True)[1:]) + " "
        elif text and not text.startswith("#"):
            commands.append(prefix + text)
    return commands


def yaml_scripts(body: str) -> list[str]:
    """Every ``run:``, ``script:`` or ``bash:`` string of a YAML block, in order."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("run", "script", "bash") and isinstance(value, str):
                    found.append(value.strip())
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(body))
    return found


def commands(path: Path) -> list[str]:
    found: list[str] = []
    for language, body in blocks(path):
        if language == "sh":
            found += shell_commands(body, exports=True)
        elif language == "yaml":
            found += yaml_scripts(body)
    return found


def program(command: str) -> str:
    """What a command (or each line of a script) runs, past ``export`` and ``NAME=value`` prefixes."""
    words = [w for w in shlex.split(command, comments=True) if not re.fullmatch(r"\w+=.*", w)]
    words = words[1:] if words[:1] == ["export"] else words
    if words[:3] in (["python", "-m", "pip"], ["python3", "-m", "pip"]):
        return "python -m pip"
    if words[:1] == ["make"] and len(words) > 1 and f"make {words[1]}" in RUN_IN_CHECKOUT:
        return f"make {words[1]}"
    return Path(words[0]).name if words else ""


def programs(script: str) -> set[str]:
    return {program(line) for line in shell_commands(script) if not ENVIRONMENT_LINE.match(line.strip())}


def skipped(script: str) -> str | None:
    reasons = [SKIPPED[name] for name in programs(script) if name in SKIPPED]
    return reasons[0] if reasons else None


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The files the docs name, made from the bundled samples."""
    shutil.copytree(ROOT / "sample_tf", tmp_path / "sample_tf")
    shutil.copy(DEMO / "plan.json", tmp_path / "plan.json")
    shutil.copytree(DEMO, tmp_path / "infra")
    with (tmp_path / "infra" / "main.tf").open("a", encoding="utf-8") as main:
        main.write('\nvariable "environment" {\n  type    = string\n  default = "dev"\n}\n')
    (tmp_path / "prod.tfvars").write_text('environment = "prod"\n', encoding="utf-8")
    waivers = [
        body
        for language, body in blocks(ROOT / "docs" / "waivers-and-inventories.md")
        if "# waivers.yaml" in body
    ]
    (tmp_path / "waivers.yaml").write_text(waivers[0], encoding="utf-8")
    (tmp_path / "acr.json").write_text(
        '[{"name": "sharedacr", "loginServer": "sharedacr.azurecr.io", "sku": {"name": "Premium"},'
        ' "publicNetworkAccess": "Disabled", "networkRuleBypassOptions": "AzureServices",'
        ' "networkRuleSet": {"defaultAction": "Deny", "ipRules": []}}]',
        encoding="utf-8",
    )
    (tmp_path / "role-assignments.json").write_text(  # the identity of identity-data-source-unknown
        '[{"principalId": "c3a91f2e-7d45-4b8a-9e16-2f0d8c4b7a53", "principalType": "ServicePrincipal",'
        ' "roleDefinitionName": "AcrPull", "scope": "/subscriptions/6a1f3c2e-8b4d-4f7a-9e21-3c5d7b9a0f14",'
        ' "name": "0f8e2d4c-6b1a-4c3e-9d57-8a2b4c6d8e10"}]',
        encoding="utf-8",
    )
    return tmp_path


def execute(command: str, workspace: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    """A plain ``pullpath ...`` runs in process; anything with shell syntax runs in bash with this
    checkout's pullpath first on the PATH."""
    for name, value in MACROS.items():
        command = command.replace(f"$({name})", value)
    command = command.replace(".venv/bin/", f"{BIN}/")
    monkeypatch.chdir(workspace)
    if program(command) in RUN_IN_CHECKOUT:
        done = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=300)
        return done.returncode, done.stdout, done.stderr
    words = shlex.split(command, comments=True)
    if Path(words[0]).name == "pullpath" and not re.search(r"[|<>;&$`]", command):
        code = run(words[1:])
        out, err = capsys.readouterr()
        return code, out, err
    environment = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(workspace / "step-summary.md"),
        "BC_SKIP_MAPPING": "TRUE",
        "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    }
    done = subprocess.run(
        ["bash", "-c", command], cwd=workspace, env=environment, capture_output=True, text=True, timeout=600
    )
    return done.returncode, done.stdout, done.stderr


def runnable(path: Path, lane: str) -> list[str]:
    """The commands of ``path`` that run in ``lane`` (``checkov`` or ``pullpath``), in order."""
    chosen = []
    for command in commands(path):
        if skipped(command):
            continue
        uses_checkov = "checkov" in programs(command)
        if (lane == "checkov") == uses_checkov:
            chosen.append(command)
    return chosen


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_command_the_docs_show_runs(path, workspace, capsys, monkeypatch):
    for command in runnable(path, "pullpath"):
        code, out, err = execute(command, workspace, capsys, monkeypatch)
        assert code in (0, 1), (command, err)
        assert "pullpath: error" not in err and "pullpath: warning" not in err, (command, err)


@pytest.mark.checkov
def test_every_checkov_command_the_docs_show_runs(workspace, capsys, monkeypatch):
    ran = 0
    for path in DOCS:
        for command in runnable(path, "checkov"):
            code, out, err = execute(command, workspace, capsys, monkeypatch)
            assert code in (0, 1), (command, err[-2000:])
            assert "PP101" in out, command  # pullpath's checks ran, on the demo's failing group
            ran += 1
    assert ran >= 4


def test_every_command_is_run_or_skipped_for_a_stated_reason():
    shown = [command for path in DOCS for command in commands(path)]
    allowed = {"pullpath", "checkov", "cat", *RUN_IN_CHECKOUT, *SKIPPED}
    assert [c for c in shown if not programs(c) <= allowed] == []
    ran = [c for c in shown if not skipped(c)]
    assert (
        len(ran) >= 25
        and any("--source-dir" in c for c in ran)
        and any(c.startswith("make demo") for c in ran)
    )


def test_the_documented_waiver_is_live_and_sets_the_demo_fail_aside(workspace, capsys, monkeypatch):
    monkeypatch.chdir(workspace)
    assert run(["plan", "plan.json"]) == 1
    assert run(["plan", "plan.json", "--waivers", "waivers.yaml"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "1 WAIVED" in out  # neither expired nor matching nothing


def test_the_readme_holds_what_a_new_user_needs_in_10_kb():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 10 * 1024
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings[:4] == ["Install", "Usage", "Exit codes", "Verdicts"]
    assert (
        "make demo" in text
        and "make test" in text
        and "pipx install" in text
        and ".venv/bin/pullpath" in text
    )


def test_every_relative_link_resolves():
    for path in [*DOCS, ROOT / "CONTRIBUTING.md"]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
            if not re.match(r"\w+://", target):
                assert (path.parent / target).exists(), (path.name, target)


def test_every_project_url_shown_is_the_one_in_pyproject():
    """The project's address is set once; a copy in the docs or the pipeline files must be that one."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    [url] = re.findall(r'^Repository = "(.+)"$', text.split("[project.urls]", 1)[1], re.MULTILINE)
    owner = url.rstrip("/").split("/")[-2]
    files = [
        *DOCS,
        ROOT / "CONTRIBUTING.md",
        ROOT / "action.yml",
        *sorted((ROOT / "pipelines").glob("*.yml")),
    ]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for found in re.findall(rf"https://github\.com/{owner}/[\w.-]+", text):
            assert found == url, (path.name, found)
        for found in re.findall(rf"\buses: ({owner}/[\w.-]+)@", text) + re.findall(
            rf"name: ({owner}/[\w.-]+)$", text, re.M
        ):
            assert url.endswith("/" + found), (path.name, found)
