"""`pullpath scan DIR` and `pullpath plan --source-dir`: the same contract as `plan`, from sources.

Exit codes, the JSON schema, file and line on findings, one warning line per file that does not
parse, exit 2 for a folder with nothing to judge, monorepo roots, and a generated tree of a few
hundred roots with modules that must scan cleanly and quickly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import azure_values as azure
from layers import rows_without_layers
from planbuilder import PlanBuilder, ref
from pullpath.cli import run
from pullpath.readers.hcl import find_roots
from scenarios import GALLERY

SECRET = "Sup3r-Secret-Pa55"

CLOSED_ACR = """
resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = var.public
}
"""

OPEN_ACR = CLOSED_ACR.replace("var.public", "true")

PASSWORD_GROUP = f"""
resource "azurerm_container_group" "app" {{
  name                = "cg-app"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  container {{
    name   = "app"
    image  = "${{azurerm_container_registry.acr.login_server}}/app:1.0"
    cpu    = 1
    memory = 1
  }}
  image_registry_credential {{
    server   = azurerm_container_registry.acr.login_server
    username = "pull"
    password = "{SECRET}"
  }}
}}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def failing_root(root: Path) -> Path:
    return write(
        root, {"main.tf": 'variable "public" {\n  default = false\n}\n' + CLOSED_ACR + PASSWORD_GROUP}
    )


def test_failing_sources_exit_1_with_file_and_line_in_json(tmp_path, capsys):
    failing_root(tmp_path)
    code, out, err = cli(capsys, "scan", str(tmp_path), "--format", "json")
    assert code == 1 and err == ""
    document = json.loads(out)
    [finding] = rows_without_layers(document["findings"])
    assert (finding["rule"], finding["verdict"], finding["workload"]) == (
        "PP101",
        "FAIL",
        "azurerm_container_group.app",
    )
    assert (finding["file"], finding["line"]) == ("main.tf", 13)
    assert finding["registry"] == "azurerm_container_registry.acr"
    assert document["source"] == str(tmp_path)
    assert document["summary"]["FAIL"] == 1 and document["summary"]["workloads"] == 1


def test_scan_and_plan_json_share_one_schema(capsys):
    scenario = GALLERY / "article-2021-private-acr-aci-vnet"
    scanned = json.loads(cli(capsys, "scan", str(scenario), "--format", "json")[1])
    planned = json.loads(cli(capsys, "plan", str(scenario / "plan.json"), "--format", "json")[1])
    assert set(scanned) == set(planned)
    assert set(scanned["summary"]) == set(planned["summary"])
    assert [set(f) for f in scanned["findings"]] == [set(f) for f in planned["findings"]]


@pytest.mark.parametrize(
    ("args", "expected"), [((), 1), (("--var", "public=true"), 0), (("--soft-fail",), 0)]
)
def test_var_and_gate_options(tmp_path, capsys, args, expected):
    failing_root(tmp_path)
    assert cli(capsys, "scan", str(tmp_path), *args)[0] == expected


def test_var_file_overrides_the_default(tmp_path, capsys):
    failing_root(tmp_path / "src")
    write(tmp_path, {"open.tfvars": "public = true\n"})
    code, out, _ = cli(capsys, "scan", str(tmp_path / "src"), "--var-file", str(tmp_path / "open.tfvars"))
    assert code == 0 and "PASS" in out


def test_no_secret_from_the_sources_in_any_output(tmp_path, capsys):
    failing_root(tmp_path)
    for fmt in ("table", "json"):
        code, out, err = cli(capsys, "scan", str(tmp_path), "--format", fmt)
        assert SECRET not in out and SECRET not in err


@pytest.mark.parametrize(
    "broken",
    [f'token = "{SECRET}" "extra"\n', f'token = "{SECRET}\n', f"token = {SECRET}!!\n"],
    ids=["unexpected-token", "unclosed-quote", "bad-character"],
)
def test_a_syntax_warning_never_echoes_the_file(tmp_path, capsys, broken):
    failing_root(tmp_path)
    write(tmp_path, {"secrets.tf": broken})
    code, _, err = cli(capsys, "scan", str(tmp_path))
    assert code == 1 and err.startswith("pullpath: warning: secrets.tf") and SECRET not in err


def test_malformed_file_is_one_warning_and_the_rest_is_judged(tmp_path, capsys):
    failing_root(tmp_path)
    write(tmp_path, {"broken.tf": 'resource "azurerm_container_group" "half" {\n  name = "x"\n'})
    code, out, err = cli(capsys, "scan", str(tmp_path))
    assert code == 1 and "PP101" in out
    assert err.count("\n") == 1 and err.startswith("pullpath: warning: broken.tf")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "files",
    [{}, {"README.md": "# not terraform\n"}, {"broken.tf": "resource {{{\n"}],
    ids=["empty", "no-tf", "nothing-parses"],
)
def test_nothing_to_judge_is_exit_2_in_one_line(tmp_path, capsys, files):
    write(tmp_path, files)
    code, out, err = cli(capsys, "scan", str(tmp_path))
    assert code == 2 and out == "" and err.startswith("pullpath: error: ") and err.endswith("\n")
    assert "Traceback" not in err


@pytest.mark.parametrize("target", ["missing", "file.tf"])
def test_missing_directory_or_a_file_is_exit_2(tmp_path, capsys, target):
    write(tmp_path, {"file.tf": CLOSED_ACR})
    code, _, err = cli(capsys, "scan", str(tmp_path / target))
    assert code == 2 and err.count("\n") == 1


def test_missing_var_file_and_bad_var_are_exit_2(tmp_path, capsys):
    failing_root(tmp_path)
    assert cli(capsys, "scan", str(tmp_path), "--var-file", str(tmp_path / "none.tfvars"))[0] == 2
    code, _, err = cli(capsys, "scan", str(tmp_path), "--var", "novalue")
    assert code == 2 and "NAME=VALUE" in err


def test_monorepo_roots_exclude_folders_used_as_local_modules(tmp_path):
    write(
        tmp_path,
        {
            "envs/prod/main.tf": 'module "app" {\n  source = "../../modules/app"\n}\n',
            "envs/dev/main.tf": 'module "app" {\n  source = "../../modules/app"\n}\n',
            "modules/app/main.tf": 'module "inner" {\n  source = "../inner"\n}\n',
            "modules/inner/main.tf": "locals {}\n",
            "standalone/main.tf": "locals {}\n",
            ".terraform/modules/x/main.tf": "locals {}\n",
        },
    )
    found = [Path(root).relative_to(tmp_path).as_posix() for root in find_roots(str(tmp_path))]
    assert found == ["envs/dev", "envs/prod", "standalone"]


def test_finding_roots_lists_each_folder_once(tmp_path, monkeypatch):
    write(
        tmp_path,
        {
            "envs/prod/main.tf": 'module "app" {\n  source = "../../modules/app"\n}\n',
            "envs/dev/main.tf": 'module "app" {\n  source = "../../modules/app"\n}\n',
            "modules/app/main.tf": "locals {}\n",
        },
    )
    listed: list[str] = []
    real_listdir = os.listdir

    def listdir(path):
        listed.append(os.path.normpath(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", listdir)
    assert len(find_roots(str(tmp_path))) == 2
    assert len(listed) == len(set(listed)) == 6  # the walk's listing serves the parse of each folder


def test_a_tree_whose_only_tf_files_are_in_hidden_folders_has_nothing_to_scan(tmp_path, capsys):
    write(tmp_path, {".terraform/modules/x/main.tf": OPEN_ACR, "docs/README.md": "# infra\n"})
    code, out, err = cli(capsys, "scan", str(tmp_path))
    assert code == 2 and out == ""
    assert err.strip().endswith("no .tf or .tf.json file in this directory or below it")


def test_a_root_is_found_below_folders_without_tf_files(tmp_path, capsys):
    write(tmp_path, {"live/eu/prod/main.tf": OPEN_ACR})
    code, out, _ = cli(capsys, "scan", str(tmp_path), "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["registries"] == 1


def test_findings_of_every_root_with_paths_relative_to_the_scanned_folder(tmp_path, capsys):
    for name in ("a", "b"):
        shutil.copytree(
            GALLERY / "aci-foreach-module-fail", tmp_path / name, ignore=shutil.ignore_patterns("*.json")
        )
    document = json.loads(cli(capsys, "scan", str(tmp_path), "--format", "json")[1])
    files = sorted({finding["file"] for finding in document["findings"]})
    assert files == ["a/modules/aci/main.tf", "b/modules/aci/main.tf"]
    assert document["summary"]["FAIL"] == 4 and document["summary"]["workloads"] == 4


def test_plan_with_source_dir_resolves_a_local_the_plan_keeps_as_text(tmp_path, capsys):
    """A plan serialises `image = local.image` as the bare text `local.image`; the sources trace it."""
    acr = "azurerm_container_registry.acr"
    write(
        tmp_path,
        {
            "main.tf": 'variable "public" {\n  default = false\n}\n'
            + 'locals {\n  image = "${azurerm_container_registry.acr.login_server}/app:1.0"\n}\n'
            + CLOSED_ACR
            + PASSWORD_GROUP.replace(
                '"${azurerm_container_registry.acr.login_server}/app:1.0"', "local.image"
            ),
        },
    )
    plan = PlanBuilder().resource(
        acr, azure.registry(public=False), unknown=azure.REGISTRY_UNKNOWN, expressions={}
    )
    plan.resource(
        "azurerm_container_group.app",
        azure.container_group(credential={"username": "pull", "password": SECRET}),
        unknown=["container.0.image", "image_registry_credential.0.server"],
        expressions={
            "container": [{"image": ref("local.image")}],
            "image_registry_credential": [{"server": ref(f"{acr}.login_server", acr)}],
        },
    )
    (tmp_path / "out").mkdir()
    path = plan.write(tmp_path / "out")
    alone = json.loads(cli(capsys, "plan", str(path), "--format", "json")[1])
    assert [f["verdict"] for f in rows_without_layers(alone["findings"])] == ["UNKNOWN"]
    code, out, err = cli(capsys, "plan", str(path), "--source-dir", str(tmp_path), "--format", "json")
    [finding] = rows_without_layers(json.loads(out)["findings"])
    assert code == 1 and err == ""
    assert (finding["rule"], finding["verdict"], finding["file"], finding["line"]) == (
        "PP101",
        "FAIL",
        "main.tf",
        16,
    )
    assert SECRET not in out


def test_plan_with_source_dir_never_contradicts_a_known_value(capsys):
    """The plan knows the image text; sources that say otherwise (a stale checkout) change nothing."""
    scenario = GALLERY / "aci-public-firewalled-literal-fail"
    alone = json.loads(cli(capsys, "plan", str(scenario / "plan.json"), "--format", "json")[1])
    other = GALLERY / "acr-open-pass"
    enriched = json.loads(
        cli(capsys, "plan", str(scenario / "plan.json"), "--source-dir", str(other), "--format", "json")[1]
    )
    assert [(f["rule"], f["verdict"]) for f in enriched["findings"]] == [
        (f["rule"], f["verdict"]) for f in alone["findings"]
    ]


def test_plan_source_dir_that_does_not_exist_is_exit_2(capsys):
    code, _, err = cli(
        capsys, "plan", str(GALLERY / "acr-open-pass" / "plan.json"), "--source-dir", "/nonexistent"
    )
    assert code == 2 and err.count("\n") == 1


def generated_tree(root: Path, roots: int) -> None:
    """A monorepo: shared registry and workload modules, roots calling them with for_each and count."""
    write(
        root,
        {
            "modules/registry/main.tf": 'variable "name" {}\nvariable "closed" {\n  default = true\n}\n'
            'resource "azurerm_container_registry" "this" {\n  name = var.name\n  sku = "Premium"\n'
            "  public_network_access_enabled = !var.closed\n}\n"
            'output "login_server" {\n  value = azurerm_container_registry.this.login_server\n}\n',
            "modules/app/main.tf": 'variable "server" {}\nvariable "apps" {}\n'
            'module "group" {\n  source   = "../group"\n  for_each = var.apps\n  name = each.key\n'
            '  image = "${var.server}/${each.value}:1"\n}\n',
            "modules/group/main.tf": 'variable "name" {}\nvariable "image" {}\n'
            'resource "azurerm_container_group" "this" {\n  name = "cg-${var.name}"\n  os_type = "Linux"\n'
            "  container {\n    name = var.name\n    image = var.image\n    cpu = 1\n    memory = 1\n  }\n}\n",
        },
    )
    for index in range(roots):
        write(
            root,
            {
                f"stacks/team{index:03d}/main.tf": f'locals {{\n  env = "t{index}"\n}}\n'
                'module "acr" {\n  source = "../../modules/registry"\n  name = "acr${local.env}"\n'
                f"  closed = {'true' if index % 2 else 'false'}\n}}\n"
                'module "app" {\n  source = "../../modules/app"\n  server = module.acr.login_server\n'
                '  apps = { api = "api", web = "web" }\n}\n'
                'resource "azurerm_container_group" "solo" {\n  count = 0\n  name = "off"\n  os_type = "Linux"\n}\n',
            },
        )


def test_generated_tree_of_hundreds_of_roots_scans_cleanly(tmp_path):
    generated_tree(tmp_path, 300)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pullpath", "scan", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert result.stderr == "" and "Traceback" not in result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["workloads"] == 600
    route = [f["verdict"] for f in rows_without_layers(document["findings"])]
    assert route.count("FAIL") == 300 and route.count("PASS") == 300
    assert elapsed < 20


def test_a_large_tree_shows_a_progress_bar_on_a_terminal_only_on_stderr(tmp_path, capsys, monkeypatch):
    import pullpath.cli as cli_module

    (tmp_path / "main.tf").write_text(
        'resource "azurerm_container_registry" "acr" {\n  name = "a"\n  sku = "Premium"\n}\n',
        encoding="utf-8",
    )
    plain = (run(["scan", str(tmp_path), "--format", "json"]), capsys.readouterr().out)
    monkeypatch.setattr(cli_module, "_stderr_is_terminal", lambda: True)
    monkeypatch.setattr(cli_module, "PROGRESS_FILES", 0)
    code = run(["scan", str(tmp_path), "--format", "json"])
    out, err = capsys.readouterr()
    assert (code, out) == plain
    assert "reading sources" in err


def test_a_var_without_a_value_is_a_one_line_usage_error(capsys):
    folder = GALLERY / "acr-open-pass"
    assert run(["scan", str(folder), "--var", "novalue"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == "pullpath: error: --var 'novalue': expected NAME=VALUE\n"


@pytest.mark.parametrize("fmt", ["table", "json", "sarif", "junit", "markdown", "github"])
def test_a_lone_surrogate_in_an_image_gives_the_same_exit_in_every_format(tmp_path, capsys, fmt):
    """``"\\ud800"`` in an HCL string is no character; Terraform reads it as U+FFFD, and so does a scan."""
    image = '"contosoacr.azurecr.io/app\\ud800:1.0"'
    write(
        tmp_path,
        {
            "main.tf": CLOSED_ACR.replace("var.public", "false")
            + PASSWORD_GROUP.replace('"${azurerm_container_registry.acr.login_server}/app:1.0"', image)
        },
    )
    code, out, err = cli(capsys, "scan", str(tmp_path), "--format", fmt)
    assert (code, err) == (1, "")
    # python-hcl2 7 leaves a \u escape undecoded: the text then shows as written, never a crash
    shown = "\ufffd" in out or (os.environ.get("PULLPATH_HCL2_DIALECT") == "v7" and "\\ud800" in out)
    assert shown or fmt in ("sarif", "junit", "github")  # these name the workload, not the image
    for_each = '  for_each = toset(["a\\ud800"])\n  name'
    write(
        tmp_path,
        {
            "main.tf": CLOSED_ACR.replace("var.public", "false")
            + PASSWORD_GROUP.replace("  name ", for_each, 1)
        },
    )
    code, out, err = cli(capsys, "scan", str(tmp_path), "--format", fmt)
    assert (code, err) == (1, "")


def test_a_module_calling_itself_is_reported_as_a_cycle_not_as_missing(tmp_path, capsys):
    write(
        tmp_path,
        {
            "main.tf": 'module "app" {\n  source = "./modules/app"\n}\n',
            "modules/app/main.tf": 'module "again" {\n  source = "../app"\n}\n'
            + CLOSED_ACR.replace("var.public", "false")
            + PASSWORD_GROUP,
        },
    )
    code, out, err = cli(capsys, "scan", str(tmp_path))
    assert code == 1 and "module.app.azurerm_container_group.app" in out
    assert err == (
        "pullpath: warning: module.app.module.again: the module calls itself (a module cycle, which "
        "Terraform rejects); it is not read again\n"
    )
