"""The `pullpath plan` gate: exit codes, the JSON schema, outputs, and one-line errors on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import azure_values as azure
from planbuilder import PlanBuilder, ref
from pullpath.cli import run

ACR = "azurerm_container_registry.acr"


def plan_file(tmp_path, public: bool = False, default_action: str | None = None, name: str = "plan.json"):
    plan = PlanBuilder().resource(
        ACR,
        azure.registry(public=public, default_action=default_action, ip_ranges=("203.0.113.0/24",)),
        unknown=azure.REGISTRY_UNKNOWN,
        expressions={},
    )
    plan.resource(
        "azurerm_container_group.app",
        azure.container_group(credential={"username": "admin", "password": "Sup3r-Secret-Pa55"}),
        unknown=["container.0.image", "image_registry_credential.0.server"],
        expressions={
            "container": [{"image": ref(f"{ACR}.login_server", ACR)}],
            "image_registry_credential": [{"server": ref(f"{ACR}.login_server", ACR)}],
        },
    )
    return plan.write(tmp_path, name)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_failing_plan_exits_1_and_prints_row_and_remediation(tmp_path, capsys):
    code, out, err = cli(capsys, "plan", str(plan_file(tmp_path)))
    assert code == 1 and err == ""
    assert "FAIL" in out and "PP101" in out and "azurerm_container_group.app" in out
    assert "  fix: Create a user-assigned identity" in out and "user_assigned_identity_id" in out
    assert "\x1b[" not in out  # no colour when stdout is not a terminal


def test_passing_plan_exits_0(tmp_path, capsys):
    code, out, _ = cli(capsys, "plan", str(plan_file(tmp_path, public=True)))
    assert code == 0 and "PASS" in out


def test_json_follows_the_documented_schema(tmp_path, capsys):
    code, out, _ = cli(capsys, "plan", str(plan_file(tmp_path)), "--format", "json")
    document = json.loads(out)
    assert code == 1
    assert document["tool"]["name"] == "pullpath" and document["tool"]["version"]
    [finding] = [f for f in document["findings"] if f["rule"] == "PP101"]
    assert {
        "rule",
        "verdict",
        "severity",
        "workload",
        "workload_type",
        "image",
        "registry",
        "reason",
        "remediation",
        "evidence",
    } <= set(finding)
    assert (finding["rule"], finding["verdict"], finding["workload_type"]) == (
        "PP101",
        "FAIL",
        "azurerm_container_group",
    )
    assert finding["image"] == "(known after apply)" and finding["registry"] == ACR
    assert all(set(e) == {"address", "attribute", "value"} for e in finding["evidence"])
    assert document["summary"]["FAIL"] == 1 and document["summary"]["pull_paths"] == 1
    assert document["summary"]["findings"] == len(document["findings"]) == 2  # PP101 and the credential layer


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), 0),
        (("--fail-on", "warn"), 1),
        (("--fail-on", "unknown"), 1),
        (("--soft-fail", "--fail-on", "warn"), 0),
    ],
)
def test_fail_on_levels_with_a_warn_plan(tmp_path, capsys, args, expected):
    plan = PlanBuilder().resource(
        ACR,
        azure.registry(public=True, default_action="Deny", ip_ranges=("203.0.113.0/24",)),
        unknown=azure.REGISTRY_UNKNOWN,
        expressions={},
    )
    plan.resource(
        "azurerm_linux_web_app.web",
        azure.linux_web_app(image_name="contosoacr.azurecr.io/app:1"),
        unknown=["outbound_ip_address_list", "possible_outbound_ip_address_list"],
        expressions={},
    )
    azure.grant_pull(plan, "azurerm_linux_web_app.web", ACR, attribute="identity[0].principal_id")
    code, out, _ = cli(capsys, "plan", str(plan.write(tmp_path)), *args)
    assert "WARN" in out and code == expected


def test_soft_fail_exits_0_on_fail(tmp_path, capsys):
    assert cli(capsys, "plan", str(plan_file(tmp_path)), "--soft-fail")[0] == 0


def test_output_file_is_written_and_stdout_stays_empty(tmp_path, capsys):
    target = tmp_path / "dir with spaces, ü" / "report.json"
    target.parent.mkdir()
    code, out, _ = cli(capsys, "plan", str(plan_file(tmp_path)), "--format", "json", "--output", str(target))
    assert code == 1 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["FAIL"] == 1


def test_refuses_to_write_over_its_input(tmp_path, capsys):
    path = plan_file(tmp_path)
    before = path.read_bytes()
    code, _, err = cli(capsys, "plan", str(path), "--output", str(path))
    assert code == 2 and "over its own input" in err and path.read_bytes() == before


def test_no_secret_in_any_output(tmp_path, capsys):
    for fmt in ("table", "json"):
        out = cli(capsys, "plan", str(plan_file(tmp_path)), "--format", fmt)[1]
        assert "Sup3r-Secret-Pa55" not in out


BAD_INPUTS = {
    "not-json": b"this is not json",
    "truncated": json.dumps({"format_version": "1.2", "planned_values": {"root_module": {}}}).encode()[:-5],
    "empty": b"",
    "array": b"[]",
    "state-file": json.dumps({"version": 4, "serial": 3, "lineage": "x", "resources": []}).encode(),
    "state-show": json.dumps({"format_version": "1.0", "values": {"root_module": {}}}).encode(),
    "binary": bytes(range(256)),
    "wrong-version": json.dumps({"format_version": "9.0", "planned_values": {}}).encode(),
    "bad-shape": json.dumps({"format_version": "1.2", "planned_values": [], "resource_changes": []}).encode(),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_malformed_input_is_one_line_exit_2(tmp_path, capsys, name):
    path = tmp_path / f"{name}.json"
    path.write_bytes(BAD_INPUTS[name])
    code, out, err = cli(capsys, "plan", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("pullpath: error: ")


@pytest.mark.parametrize("target", ["missing.json", "."])
def test_missing_path_and_directory_exit_2(tmp_path, capsys, target):
    code, _, err = cli(capsys, "plan", str(tmp_path / target))
    assert code == 2 and err.count("\n") == 1


def test_usage_error_is_one_line_exit_2(capsys):
    code, _, err = cli(capsys, "plan", "--format", "yaml", "x.json")
    assert code == 2 and err.count("\n") == 1 and "yaml" in err


def test_installed_console_script_never_prints_a_traceback(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        '{"planned_values": {"root_module": {"resources": [{"address": 1}]}}, "resource_changes": 5}'
    )
    result = subprocess.run(
        [sys.executable, "-m", "pullpath", "plan", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_large_plan_shows_a_progress_bar_on_a_terminal_and_nothing_extra_on_stdout(
    tmp_path, capsys, monkeypatch
):
    import pullpath.cli as cli_module

    path = plan_file(tmp_path)
    plain = cli(capsys, "plan", str(path), "--format", "json")[1]
    monkeypatch.setattr(cli_module, "_stderr_is_terminal", lambda: True)
    monkeypatch.setattr(cli_module, "PROGRESS_BYTES", 0)
    code, out, err = cli(capsys, "plan", str(path), "--format", "json")
    assert code == 1 and out == plain
    assert "reading plan" in err


def test_plan_over_the_size_limit_is_refused_with_the_limit_named(tmp_path, capsys, monkeypatch):
    path = plan_file(tmp_path)
    monkeypatch.setenv("PULLPATH_MAX_PLAN_BYTES", "1000")
    code, out, err = cli(capsys, "plan", str(path))
    assert code == 2 and out == ""
    assert "exceeds the plan JSON file size limit of 1000 bytes (PULLPATH_MAX_PLAN_BYTES)" in err
    monkeypatch.setenv("PULLPATH_MAX_PLAN_BYTES", str(path.stat().st_size))
    assert cli(capsys, "plan", str(path))[0] == 1


def test_a_failed_write_leaves_the_previous_report_whole_and_no_temporary_file(tmp_path, capsys, monkeypatch):
    import os

    target = tmp_path / "report.json"
    target.write_text("previous report\n")

    def broken_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    code, _, err = cli(capsys, "plan", str(plan_file(tmp_path)), "--format", "json", "--output", str(target))
    assert code == 2 and "No space left on device" in err
    assert target.read_text() == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "report.json"]


_IMPORTED = """
import json, sys
from pullpath.cli import run
run(sys.argv[1:])
print(json.dumps(sorted(sys.modules)))
"""


def _imported_by(*args: str) -> tuple[str, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTED, *args], capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    return "\n".join(lines[:-1]), set(json.loads(lines[-1]))


def test_version_is_printed_without_importing_the_engine():
    from importlib.metadata import version

    out, imported = _imported_by("--version")
    assert out == f"pullpath, version {version('pullpath')}"
    assert not imported & {
        "pullpath.engine",
        "pullpath.rules",
        "pullpath.docs",
        "tabulate",
        "importlib.metadata",
    }


def test_a_plan_imports_neither_the_tf_reader_nor_other_formats_nor_waivers(tmp_path):
    out, imported = _imported_by("plan", str(plan_file(tmp_path)), "--format", "json")
    assert json.loads(out)["findings"]
    assert "pullpath.report.json_doc" in imported
    unneeded = {"pullpath.readers.hcl", "pullpath.report.sarif", "pullpath.report.table", "pullpath.docs"}
    unneeded |= {"pullpath.outputs", "tempfile", "pullpath.readers.not_a_plan"}  # no -o, no error
    assert not imported & (unneeded | {"pullpath.waivers", "yaml", "tabulate", "importlib.metadata"})
