"""The GitHub Action and the Azure DevOps template: well-formed, documented, and their steps work on the demo.

A runner cannot be had offline, so each step that runs a shell script is run here the way the runner
would: its ``env`` resolved from the inputs (or parameters) and earlier steps' outputs, the runner's
files (``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``) in a temporary folder, this checkout's pullpath on
the PATH. The install step needs the network and is only checked for syntax; the steps that use
another action or task are checked for what they are given.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any, TypedDict

import pytest
import yaml

from scenarios import line_of

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
TEMPLATE = ROOT / "pipelines" / "azure-pipelines-template.yml"
DEMO = ROOT / "sample_tf" / "article-2021-private-acr-aci-vnet"
BIN = Path(sys.prefix) / "bin"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def bash(script: str, cwd: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """As a runner runs ``shell: bash``: errexit and pipefail on."""
    command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script]
    path = f"{BIN}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **environment, "PATH": path},
        capture_output=True,
        text=True,
        timeout=300,
    )


def outputs(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


class ActionRun(TypedDict):
    printed: dict[str, subprocess.CompletedProcess[str]]  # by step id (or name)
    outputs: dict[str, dict[str, str]]  # GITHUB_OUTPUT, by step id
    used: dict[str, dict[str, str]]  # the `with` of each step that uses an action, by action
    summary: Path  # GITHUB_STEP_SUMMARY


def run_action(workspace: Path, given: dict[str, str]) -> ActionRun:
    """Run the action's shell steps in order; return what each step printed and the runner's files."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()} | given
    steps_outputs: dict[str, dict[str, str]] = {}
    summary = workspace / "step-summary.md"
    printed: dict[str, subprocess.CompletedProcess[str]] = {}
    used: dict[str, dict[str, str]] = {}

    def resolve(text: str) -> str:
        def value(found: re.Match[str]) -> str:
            parts = found.group(1).split(".")
            if parts[0] == "inputs":
                return inputs[parts[1]]
            if parts[0] == "steps" and parts[2] == "outputs":
                return steps_outputs.get(parts[1], {}).get(parts[3], "")
            raise AssertionError(f"an expression the test cannot resolve: {found.group(0)}")

        return EXPRESSION.sub(value, text)

    for number, step in enumerate(action["runs"]["steps"]):
        name = step.get("id") or step.get("name") or str(number)
        if "uses" in step:
            used[step["uses"].split("@")[0]] = {
                key: resolve(str(v)) for key, v in step.get("with", {}).items()
            }
            continue
        assert step["shell"] == "bash" and "${{" not in step["run"], name  # inputs reach scripts as env only
        syntax = subprocess.run(["bash", "-n", "-c", step["run"]], capture_output=True, text=True)
        assert syntax.returncode == 0, (name, syntax.stderr)
        if (
            step.get("id") == "install"
        ):  # pip install "$GITHUB_ACTION_PATH": the network; this checkout's pullpath stands in
            continue
        output = workspace / f"output-{number}"
        environment = {key: resolve(str(v)) for key, v in step.get("env", {}).items()} | {
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_ACTION_PATH": str(ROOT),
            "RUNNER_TEMP": str(workspace / "runner-temp"),
        }
        printed[name] = bash(step["run"], workspace, environment)
        steps_outputs[name] = outputs(output)
    return {"printed": printed, "outputs": steps_outputs, "used": used, "summary": summary}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    infra = tmp_path / "infra"
    infra.mkdir()
    for name in ("main.tf", "plan.json"):
        (infra / name).write_bytes((DEMO / name).read_bytes())
    return tmp_path


def test_the_action_annotates_the_tf_lines_uploads_sarif_summarises_and_fails_the_step(workspace):
    done = run_action(workspace, {"target": "infra/plan.json", "source-dir": "infra"})
    judged = done["printed"]["judge"]
    assert judged.returncode == 0, judged.stderr  # the verdict waits for the uploads
    group = line_of(DEMO / "main.tf", 'resource "azurerm_container_group" "app"')
    assert re.search(
        rf"^::error file=infra/main\.tf,line={group},title=FAIL PP101 azurerm_container_group\.app::",
        judged.stdout,
        re.M,
    )
    assert done["outputs"]["judge"]["exit-code"] == "1"
    sarif = workspace / done["outputs"]["judge"]["sarif"]
    assert done["used"]["github/codeql-action/upload-sarif"] == {
        "sarif_file": str(sarif.relative_to(workspace)),
        "category": "pullpath",
    }
    assert '"uri": "infra/main.tf"' in sarif.read_text(encoding="utf-8")
    assert (
        done["summary"]
        .read_text(encoding="utf-8")
        .startswith("### pullpath: ❌ 1 of 1 pull path fails the gate")
    )
    assert done["printed"]["gate"].returncode == 1


def test_the_action_scans_sources_and_passes_when_nothing_fails(workspace):
    (workspace / "infra" / "main.tf").write_bytes(
        (ROOT / "sample_tf" / "acr-open-pass" / "main.tf").read_bytes()
    )
    done = run_action(workspace, {"command": "scan", "target": "infra", "fail-on": "warn"})
    assert done["outputs"]["judge"]["exit-code"] == "0" and done["printed"]["gate"].returncode == 0
    assert "::error" not in done["printed"]["judge"].stdout


def test_an_input_error_fails_the_action_in_one_line_and_uploads_nothing(workspace):
    done = run_action(workspace, {"target": "infra/missing.json"})
    assert done["outputs"]["judge"]["exit-code"] == "2"
    assert "pullpath: error: infra/missing.json: no such file" in done["printed"]["judge"].stderr
    assert not done["summary"].exists() and done["printed"]["gate"].returncode == 2
    condition = next(
        s["if"]
        for s in yaml.safe_load(ACTION.read_text())["runs"]["steps"]
        if "upload-sarif" in s.get("uses", "")
    )
    assert "steps.judge.outputs.exit-code != '2'" in condition


def test_the_action_installs_pullpath_from_itself():
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    [install] = [step for step in action["runs"]["steps"] if step.get("id") == "install"]
    assert '-m pip install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH"' in install["run"]
    assert action["runs"]["using"] == "composite" and action["inputs"]["target"]["required"] is True


def template_steps(parameters: dict[str, str]) -> list[dict[str, Any]]:
    """The template's steps, parameters filled in (decoded YAML: each value as the template wrote it)."""
    template = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    values = {spec["name"]: str(spec.get("default", "")) for spec in template["parameters"]} | parameters

    def resolve(node: Any) -> Any:
        if isinstance(node, str):
            return EXPRESSION.sub(lambda found: values[found.group(1).removeprefix("parameters.")], node)
        if isinstance(node, dict):
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(template["steps"])


def macros(text: str, staging: Path, temp: Path, variables: dict[str, str]) -> str:
    known = {"Build.ArtifactStagingDirectory": str(staging), "Agent.TempDirectory": str(temp), **variables}
    return re.sub(r"\$\(([\w.]+)\)", lambda found: known[found.group(1)], text)


def test_the_azure_template_publishes_junit_and_sarif_and_gates(workspace):
    staging, temp = workspace / "staging", workspace / "agent-temp"
    steps = template_steps({"target": "infra/plan.json", "sourceDir": "infra"})
    tasks = {step["task"]: step for step in steps if "task" in step}
    published = tasks["PublishTestResults@2"]["inputs"]
    assert (
        published["testResultsFormat"] == "JUnit"
        and tasks["PublishTestResults@2"]["condition"] == "succeededOrFailed()"
    )
    artifact = tasks["PublishBuildArtifacts@1"]["inputs"]
    assert (
        artifact["ArtifactName"] == "CodeAnalysisLogs"
        and tasks["PublishBuildArtifacts@1"]["condition"] == "succeededOrFailed()"
    )
    scripts = [step for step in steps if "bash" in step]
    install, judge, gate = scripts
    assert subprocess.run(["bash", "-n", "-c", install["bash"]]).returncode == 0
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", macros(judge["bash"], staging, temp, {})],
        cwd=workspace,
        env={**os.environ, **judge["env"], "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        | {key: macros(value, staging, temp, {}) for key, value in judge["env"].items()},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "##vso[task.setvariable variable=PULLPATH_EXIT_CODE]1" in done.stdout
    assert f"##vso[task.uploadsummary]{staging}/pullpath/pullpath.md" in done.stdout
    junit = Path(macros(published["testResultsFiles"], staging, temp, {}))
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    case = suite.find("testcase")
    assert case is not None and case.get("file") == "infra/main.tf"  # the .tf file, thanks to sourceDir
    assert (Path(macros(artifact["PathtoPublish"], staging, temp, {})) / "pullpath.sarif").is_file()
    failed = subprocess.run(["bash", "-c", macros(gate["bash"], staging, temp, {"PULLPATH_EXIT_CODE": "1"})])
    assert failed.returncode == 1


def documented_yaml(page: str) -> list[Any]:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    return [yaml.safe_load(body) for body in re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S)]


def walk(node: Any) -> list[dict[str, Any]]:
    """Every mapping in a decoded YAML document, at any depth."""
    if isinstance(node, dict):
        return [node, *(found for value in node.values() for found in walk(value))]
    if isinstance(node, list):
        return [found for item in node for found in walk(item)]
    return []


def test_the_documented_uses_give_inputs_the_action_and_template_have():
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    template = {
        spec["name"]: spec for spec in yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))["parameters"]
    }
    nodes = [node for block in documented_yaml("ci.md") for node in walk(block)]
    uses = [node["with"] for node in nodes if str(node.get("uses", "")).startswith("pullpath/pullpath@")]
    assert uses and all(set(given) <= set(action["inputs"]) and "target" in given for given in uses)
    assert any(given.get("source-dir") for given in uses)
    templates = [
        node["parameters"] for node in nodes if str(node.get("template", "")).startswith("pipelines/")
    ]
    required = {name for name, spec in template.items() if "default" not in spec}
    assert templates and all(required <= set(given) <= set(template) for given in templates)
    assert any(given.get("sourceDir") for given in templates)
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([\w-]+)` \|", ci, re.M))
    assert set(action["inputs"]) | set(template) <= documented
