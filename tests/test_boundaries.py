"""A scan reads nothing outside its boundary (the repository, --boundary or the scanned folder), and
limits count the bytes actually read.

`scan` runs on untrusted pull requests: a committed link must not carry a file of the runner into
a report (`x.auto.tfvars.json -> ~/.azure/token`), nor hang the gate (`terraform.tfvars ->
/dev/zero`, a FIFO). Each refusal is one warning naming the path and the boundary it met, never
its content. Limits set
in the environment take the forms people write, and anything else is one line, exit code 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pullpath.cli import run
from pullpath.input_files import read_at_most
from pullpath.settings import byte_limit, count_limit
from scenarios import GALLERY

SECRET = "Tok3n-From-The-Runner"

REGISTRY = """
variable "public" {
  default = false
}
resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = var.public
}
"""

GROUP = """
variable "image" {
  default = "contosoacr.azurecr.io/app:1"
}
resource "azurerm_container_group" "app" {
  name                = "cg-app"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  container {
    name   = "app"
    image  = var.image
    cpu    = 1
    memory = 1
  }
  image_registry_credential {
    server   = azurerm_container_registry.acr.login_server
    username = "pull"
    password = "pull-password"
  }
}
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


def refused(boundary: str, folder: Path, module: bool = False) -> str:
    """The refusal a warning gives for the boundary ``folder`` (its real path is what is enforced)."""
    what = "module folder resolves" if module else "resolves"
    return f"{what} outside {boundary} ({os.path.realpath(folder)}): not read"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the scanned one, holding what a runner keeps: a token cache, a module."""
    folder = tmp_path / "runner"
    (folder / "module").mkdir(parents=True)
    (folder / "token.json").write_text(json.dumps({"image": f"evil.io/{SECRET}:1"}), encoding="utf-8")
    (folder / "module" / "main.tf").write_text(
        f'resource "azurerm_container_group" "x" {{\n  name = "{SECRET}"\n}}\n', encoding="utf-8"
    )
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write(tmp_path / "repo", {"main.tf": REGISTRY + GROUP})


def test_a_tfvars_link_out_of_the_tree_is_refused_with_one_warning(repo, outside, capsys):
    (repo / "x.auto.tfvars.json").symlink_to(outside / "token.json")
    code, out, err = cli(capsys, "scan", str(repo), "--format", "json")
    assert code == 1 and SECRET not in out + err
    assert err == f"pullpath: warning: x.auto.tfvars.json: skipped, {refused('the scanned folder', repo)}\n"
    assert json.loads(out)["findings"][0]["image"] == "contosoacr.azurecr.io/app:1"


def test_a_tf_file_and_a_module_folder_linked_out_of_the_tree_are_not_read(repo, outside, capsys):
    (repo / "linked.tf").symlink_to(outside / "module" / "main.tf")
    (repo / "modules").mkdir()
    (repo / "modules" / "shared").symlink_to(outside / "module", target_is_directory=True)
    (repo / "calls.tf").write_text('module "shared" {\n  source = "./modules/shared"\n}\n', encoding="utf-8")
    code, out, err = cli(capsys, "scan", str(repo), "--format", "json")
    assert SECRET not in out + err and code == 1
    warnings = err.splitlines()
    assert f"pullpath: warning: linked.tf: skipped, {refused('the scanned folder', repo)}" in warnings
    assert (
        f"pullpath: warning: modules/shared: skipped, {refused('the scanned folder', repo, module=True)}"
        in warnings
    )


def test_a_local_module_source_that_climbs_out_of_the_scanned_folder_is_not_read(tmp_path, outside, capsys):
    repo = write(
        tmp_path / "repo", {"main.tf": 'module "m" {\n  source = "../runner/module"\n}\n' + REGISTRY}
    )
    code, out, err = cli(capsys, "scan", str(repo))
    assert SECRET not in out + err and code in (0, 1)
    assert f"runner/module: skipped, {refused('the scanned folder', repo, module=True)}" in err


def test_installed_modules_outside_the_root_are_refused(repo, outside, capsys):
    modules = repo / ".terraform" / "modules"
    modules.mkdir(parents=True)
    (modules / "modules.json").write_text(
        json.dumps({"Modules": [{"Key": "remote", "Source": "x", "Dir": str(outside / "module")}]}),
        encoding="utf-8",
    )
    (repo / "remote.tf").write_text('module "remote" {\n  source = "example/remote"\n}\n', encoding="utf-8")
    code, out, err = cli(capsys, "scan", str(repo))
    assert SECRET not in out + err and code == 1
    assert refused("the scanned folder", repo, module=True) in err


def test_a_modules_json_of_the_wrong_shape_is_one_warning_not_an_internal_error(repo, capsys):
    modules = repo / ".terraform" / "modules"
    modules.mkdir(parents=True)
    (modules / "modules.json").write_text('{"Modules": 5}', encoding="utf-8")
    code, _, err = cli(capsys, "scan", str(repo))
    assert code == 1 and "internal error" not in err
    assert "modules.json: skipped, not the shape terraform init writes" in err


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/stdin", "/dev/null"])
def test_links_to_devices_are_refused_without_hanging(repo, capsys, target):
    (repo / "terraform.tfvars").symlink_to(target)
    (repo / "devices.tf").symlink_to(target)
    started = time.monotonic()
    code, _, err = cli(capsys, "scan", str(repo))
    assert time.monotonic() - started < 5 and code == 1
    assert f"terraform.tfvars: skipped, {refused('the scanned folder', repo)}" in err


def test_a_fifo_and_a_socket_in_the_tree_are_refused_as_not_regular_files(repo, capsys):
    os.mkfifo(repo / "pipe.auto.tfvars")
    os.mkfifo(repo / "pipe.tf")
    started = time.monotonic()
    code, _, err = cli(capsys, "scan", str(repo))
    assert time.monotonic() - started < 5 and code == 1
    assert "pipe.auto.tfvars: skipped, not a regular file (a device, pipe or socket): not read" in err
    assert "pipe.tf: skipped, not a regular file (a device, pipe or socket): not read" in err


def test_a_link_inside_the_tree_is_followed(repo, capsys):
    (repo / "shared").mkdir()
    (repo / "shared" / "open.tfvars").write_text("public = true\n", encoding="utf-8")
    (repo / "open.auto.tfvars").symlink_to(repo / "shared" / "open.tfvars")
    code, out, err = cli(capsys, "scan", str(repo))
    assert (code, err) == (0, "") and "PASS" in out


def test_the_source_dir_of_a_plan_is_a_boundary_too(repo, outside, capsys):
    (repo / "x.auto.tfvars.json").symlink_to(outside / "token.json")
    plan = GALLERY / "acr-open-pass" / "plan.json"
    code, out, err = cli(capsys, "plan", str(plan), "--source-dir", str(repo), "--format", "json")
    assert SECRET not in out + err and code in (0, 1)
    assert f"x.auto.tfvars.json: skipped, {refused('the --source-dir folder', repo)}" in err


def test_an_explicit_var_file_may_live_anywhere(tmp_path, repo, capsys):
    (tmp_path / "open.tfvars").write_text("public = true\n", encoding="utf-8")
    code, out, _ = cli(capsys, "scan", str(repo), "--var-file", str(tmp_path / "open.tfvars"))
    assert code == 0 and "PASS" in out


def test_an_explicit_var_file_from_a_pipe_is_read_once_for_every_root(tmp_path, capsys):
    tree = write(tmp_path / "tree", {"a/main.tf": REGISTRY + GROUP, "b/main.tf": REGISTRY + GROUP})
    pipe = tmp_path / "vars.fifo"
    os.mkfifo(pipe)
    writer = subprocess.Popen(
        [sys.executable, "-c", f"open({str(pipe)!r}, 'w').write('public = true\\n')"],
    )
    try:
        code, out, _ = cli(capsys, "scan", str(tree), "--var-file", str(pipe))
    finally:
        writer.wait(timeout=10)
    assert code == 0 and "0 FAIL, 0 WARN, 2 UNKNOWN, 0 PASS; 4 findings" in out


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_an_explicit_var_file_must_be_a_file_or_a_pipe(repo, capsys, device):
    code, out, err = cli(capsys, "scan", str(repo), "--var-file", device)
    assert (code, out) == (2, "")
    assert (
        err
        == f"pullpath: error: --var-file {device}: not a regular file or a pipe, expected a variables file\n"
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [("broken.tfvars", f'password = "{SECRET}\n'), ("broken.tfvars.json", f'{{"password": "{SECRET}",}}')],
)
def test_an_explicit_var_file_that_does_not_parse_stops_the_run(tmp_path, repo, capsys, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = cli(capsys, "scan", str(repo), "--var-file", str(tmp_path / name))
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert (
        err.startswith(f"pullpath: error: --var-file {tmp_path / name}: not valid HCL") and SECRET not in err
    )


@pytest.mark.parametrize("typed", ["password:" + SECRET, SECRET, "=" + SECRET, "pw " + SECRET])
def test_a_var_without_an_equals_sign_never_echoes_the_value(repo, capsys, typed):
    code, out, err = cli(capsys, "scan", str(repo), "--var", typed)
    assert (code, out) == (2, "") and err.endswith(": expected NAME=VALUE\n")
    if typed != SECRET:  # a bare word may be a name the user forgot to give a value
        assert SECRET not in err


def test_plan_from_a_device_is_refused_at_once(capsys):
    started = time.monotonic()
    code, out, err = cli(capsys, "plan", "/dev/zero")
    assert time.monotonic() - started < 2 and (code, out) == (2, "")
    assert err == "pullpath: error: /dev/zero: not a regular file or a pipe, expected a plan JSON file\n"


def test_plan_from_a_pipe_is_read_up_to_its_limit_only(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PULLPATH_MAX_PLAN_BYTES", "1MiB")
    pipe = tmp_path / "plan.fifo"
    os.mkfifo(pipe)
    endless = subprocess.Popen(  # writes until its reader goes away
        [
            sys.executable,
            "-c",
            f"import sys\nf = open({str(pipe)!r}, 'wb')\nwhile True: f.write(b' ' * 65536)",
        ],
        stderr=subprocess.DEVNULL,
    )
    try:
        started = time.monotonic()
        code, out, err = cli(capsys, "plan", str(pipe))
        assert time.monotonic() - started < 5
    finally:
        endless.kill()
        endless.wait()
    assert (code, out) == (2, "")
    assert (
        err
        == f"pullpath: error: {pipe}: exceeds the plan JSON file size limit of 1048576 bytes (PULLPATH_MAX_PLAN_BYTES)\n"
    )


def test_reading_stops_one_byte_past_the_limit_whatever_the_size_says():
    descriptor = os.open("/dev/zero", os.O_RDONLY)
    try:
        assert len(read_at_most(descriptor, 1000)) == 1001
        assert len(read_at_most(descriptor, 1000, expected=10)) == 1001  # a file that grew
    finally:
        os.close(descriptor)


def test_a_tf_file_over_the_limit_is_skipped_with_the_limit_named(repo, capsys, monkeypatch):
    monkeypatch.setenv("PULLPATH_MAX_TF_BYTES", "1k")
    (repo / "big.tf").write_text("# padding\n" * 200, encoding="utf-8")
    code, _, err = cli(capsys, "scan", str(repo))
    assert code == 1
    assert "big.tf: skipped, larger than the 1024-byte limit for one file (PULLPATH_MAX_TF_BYTES)" in err


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("33554432", 32 * 1024**2),
        ("32MiB", 32 * 1024**2),
        ("32Mi", 32 * 1024**2),
        ("32M", 32 * 1024**2),
        ("32m", 32 * 1024**2),
        ("32MB", 32 * 1000**2),
        ("2GiB", 2 * 1024**3),
        ("512k", 512 * 1024),
        ("512 KiB", 512 * 1024),
        ("1e3", 1000),
        ("1.5k", 1536),
        ("1_000", 1000),
        ("100B", 100),
        (" 7 ", 7),
    ],
)
def test_size_limits_take_what_people_write(monkeypatch, setting, expected):
    monkeypatch.setenv("PULLPATH_MAX_TF_BYTES", setting)
    assert byte_limit("PULLPATH_MAX_TF_BYTES", 1) == expected


@pytest.mark.parametrize(
    "setting", ["32MiBs", "lots", "-1", "0", "0.1", "1e400", "1__0", "32 MiB MiB", "0x10"]
)
def test_a_size_limit_nobody_could_mean_is_one_line_exit_2(repo, capsys, monkeypatch, setting):
    monkeypatch.setenv("PULLPATH_MAX_TF_BYTES", setting)
    code, out, err = cli(capsys, "scan", str(repo))
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert err.startswith(f"pullpath: error: PULLPATH_MAX_TF_BYTES={setting.strip()!r}: expected a size")


@pytest.mark.parametrize(
    ("variable", "command"),
    [
        ("PULLPATH_MAX_TF_BYTES", ["scan", "{repo}"]),
        ("PULLPATH_MAX_HCL_NESTING", ["scan", "{repo}"]),
        ("PULLPATH_MAX_PLAN_BYTES", ["plan", "{plan}"]),
    ],
)
def test_every_limit_setting_is_checked_in_one_line_by_the_installed_command(
    tmp_path, repo, variable, command
):
    """The setting was read at import time: a traceback with exit code 1, which a gate reads as findings."""
    plan = GALLERY / "acr-open-pass" / "plan.json"
    argv = [part.format(repo=repo, plan=plan) for part in command]
    result = subprocess.run(
        [sys.executable, "-m", "pullpath", *argv],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, variable: "32 lots"},
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"pullpath: error: {variable}='32 lots': expected")
    assert result.stderr.count("\n") == 1


def test_nesting_limit_takes_a_count(monkeypatch):
    monkeypatch.setenv("PULLPATH_MAX_HCL_NESTING", "1e3")
    assert count_limit("PULLPATH_MAX_HCL_NESTING", 256) == 1000
    monkeypatch.setenv("PULLPATH_MAX_HCL_NESTING", "1k")
    with pytest.raises(Exception, match="expected a whole number"):
        count_limit("PULLPATH_MAX_HCL_NESTING", 256)


HIDDEN_FAIL = GROUP.replace('"app"', '"hidden"', 1).replace('"image"', '"hidden_image"')


@pytest.mark.parametrize(
    ("skipped", "why"),
    [
        ("big.tf", "larger than the 2048-byte limit"),
        ("broken.tf", "not valid HCL"),
        ("deep.tf", "nested deeper than"),
    ],
)
def test_a_workload_in_a_skipped_file_is_unknown_and_fails_the_gate_at_unknown(
    repo, capsys, monkeypatch, skipped, why
):
    monkeypatch.setenv("PULLPATH_MAX_TF_BYTES", "2KiB")
    text = {
        "big.tf": HIDDEN_FAIL + "# padding\n" * 300,
        "broken.tf": HIDDEN_FAIL + "resource {\n",
        "deep.tf": HIDDEN_FAIL + "locals {\n  x = " + "[" * 300 + "]" * 300 + "\n}\n",
    }[skipped]
    (repo / skipped).write_text(text, encoding="utf-8")
    (repo / "open.auto.tfvars").write_text("public = true\n", encoding="utf-8")  # the visible group passes
    code, out, err = cli(capsys, "scan", str(repo), "--fail-on", "unknown")
    assert code == 1 and f"{skipped}: skipped, {why}" in err
    assert f"not judged, so UNKNOWN: what 1 skipped file(s) declare ({skipped})" in " ".join(out.split())
    assert cli(capsys, "scan", str(repo), "--fail-on", "unknown", "--format", "json")[0] == 1
    code, out, _ = cli(capsys, "scan", str(repo), "--format", "json")
    assert code == 0 and json.loads(out)["skipped_files"] == [skipped]


def test_a_root_none_of_whose_files_parse_is_unknown_beside_a_root_that_does(tmp_path, capsys):
    tree = write(tmp_path / "tree", {"good/main.tf": REGISTRY, "bad/main.tf": HIDDEN_FAIL + "resource {\n"})
    code, out, err = cli(capsys, "scan", str(tree), "--fail-on", "unknown", "--format", "json")
    assert code == 1 and "bad" in err
    assert json.loads(out)["skipped_files"] == ["bad"]


def test_a_tree_that_reads_whole_has_no_skipped_files(repo, capsys):
    code, out, _ = cli(capsys, "scan", str(repo), "--fail-on", "unknown", "--format", "json")
    assert code == 1 and json.loads(out)["skipped_files"] == []  # the PP101 FAIL alone fails it


@pytest.mark.parametrize("option", ["--waivers", "--registry-inventory"])
def test_waivers_and_inventory_from_a_device_are_refused_at_once(repo, capsys, option):
    started = time.monotonic()
    code, out, err = cli(capsys, "scan", str(repo), option, "/dev/zero")
    assert time.monotonic() - started < 5 and (code, out) == (2, "") and err.count("\n") == 1
    assert err.startswith("pullpath: error: /dev/zero: not a regular file or a pipe")


MODULE_CALL = 'module "app" {\n  source = "../../modules/app"\n}\n'
MODULE_GROUP = GROUP.replace('"app"', '"grp"', 1)


def _monorepo(tmp_path: Path, with_git: bool) -> Path:
    """``envs/prod`` calls ``../../modules/app``, as a monorepo lays out its roots and modules."""
    top = write(
        tmp_path / "checkout", {"envs/prod/main.tf": MODULE_CALL, "modules/app/main.tf": REGISTRY + GROUP}
    )
    if with_git:
        (top / ".git").mkdir()
    return top


def test_a_root_reads_modules_anywhere_in_its_git_checkout(tmp_path, capsys):
    top = _monorepo(tmp_path, with_git=True)
    code, out, err = cli(capsys, "scan", str(top / "envs" / "prod"), "--format", "json")
    assert code == 1 and "outside" not in err
    assert "module.app.azurerm_container_group.app" in out


def test_a_link_out_of_the_checkout_is_refused_even_inside_a_repository(tmp_path, outside, capsys):
    top = _monorepo(tmp_path, with_git=True)
    (top / "envs" / "prod" / "x.auto.tfvars.json").symlink_to(outside / "token.json")
    code, out, err = cli(capsys, "scan", str(top / "envs" / "prod"))
    assert code == 1 and SECRET not in out + err
    assert err == f"pullpath: warning: x.auto.tfvars.json: skipped, {refused('the repository', top)}\n"


def test_a_link_out_of_a_boundary_folder_names_that_folder(tmp_path, outside, capsys):
    top = _monorepo(tmp_path, with_git=True)
    (top / "envs" / "prod" / "x.auto.tfvars.json").symlink_to(outside / "token.json")
    code, out, err = cli(capsys, "scan", str(top / "envs"), "--boundary", str(top / "envs"))
    assert SECRET not in out + err
    assert f"prod/x.auto.tfvars.json: skipped, {refused('the --boundary folder', top / 'envs')}" in err
    assert f"modules/app: skipped, {refused('the --boundary folder', top / 'envs', module=True)}" in err


def test_boundary_widens_or_narrows_what_a_scan_may_read(tmp_path, capsys):
    top = _monorepo(tmp_path, with_git=False)
    prod = str(top / "envs" / "prod")
    code, _, err = cli(capsys, "scan", prod)
    assert refused("the scanned folder", top / "envs" / "prod", module=True) in err  # no repository
    code, out, err = cli(capsys, "scan", prod, "--boundary", str(top), "--format", "json")
    assert code == 1 and "module.app.azurerm_container_group.app" in out and "outside" not in err
    code, _, err = cli(capsys, "scan", prod, "--boundary", str(top / "modules"))
    assert code == 2 and err.count("\n") == 1 and "does not contain" in err
