"""A deliberately hostile repository and plan, as an untrusted pull request would bring them.

The repository links a runner file from outside the checkout into its tfvars, links ``/dev/zero``
and a FIFO where pullpath looks for variables, sets sensitive values and credentials in image
references, and hides evaluation bombs (a huge ``format`` width, ten million instances, a
backtracking regex) in the workloads. The plan carries sensitive marks and a deposed object.

Whatever pullpath is asked, every front door must: print no secret in any format or on stderr,
overwrite nothing it read, answer within seconds, and exit 2 or judge every workload (with
UNKNOWN where it cannot tell); it never exits 0 while a workload goes unjudged.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checkov_harness import checkov, rows
from pullpath.report import RENDERERS
from scenarios import GALLERY

PULLPATH = Path(sys.executable).parent / "pullpath"
SECONDS = 30  # "within seconds": far above a sound run (under one second), far below a hang

OUTSIDE_TOKEN = "runner-token-Outs1de-4d2c"
SENSITIVE_TAG = "sensitive-tag-Secr3t-91ab"
URL_PASSWORD = "url-userinfo-Pa55-77e1"
PLAN_SECRET = "plan-marked-Secr3t-c0de"
SECRETS = (OUTSIDE_TOKEN, SENSITIVE_TAG, URL_PASSWORD, PLAN_SECRET)

MAIN_TF = f"""
variable "tag" {{
  type    = string
  default = "1.0"
}}

variable "release" {{
  type      = string
  sensitive = true
  default   = "{SENSITIVE_TAG}"
}}

resource "azurerm_container_registry" "acr" {{
  name                          = "contosohostile"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}}

resource "azurerm_container_group" "tagged" {{
  name                = "cg-tagged"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  container {{
    name   = "app"
    image  = "${{azurerm_container_registry.acr.login_server}}/app:${{var.tag}}"
    cpu    = 1
    memory = 1
  }}
}}

resource "azurerm_container_group" "sensitive" {{
  name                = "cg-sensitive"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  container {{
    name   = "app"
    image  = "contosohostile.azurecr.io/app:${{var.release}}"
    cpu    = 1
    memory = 1
  }}
}}

resource "azurerm_container_group" "userinfo" {{
  name                = "cg-userinfo"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  container {{
    name   = "app"
    image  = "https://puller:{URL_PASSWORD}@contosohostile.azurecr.io/app:1.0"
    cpu    = 1
    memory = 1
  }}
}}

"""

# Evaluation bombs: pullpath judges these with UNKNOWN in seconds. checkov evaluates the same
# expressions itself and runs out of memory, so its test leaves them out.
BOMBS_TF = """
locals {
  huge  = format("%900000000s", "x")
  redos = regex("(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")
}

resource "azurerm_container_group" "huge" {
  name                = "cg-huge"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  container {
    name   = "app"
    image  = "contosohostile.azurecr.io/${local.huge}:1.0"
    cpu    = 1
    memory = 1
  }
}

resource "azurerm_container_group" "redos" {
  name                = "cg-redos"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  container {
    name   = "app"
    image  = "contosohostile.azurecr.io/${local.redos}:1.0"
    cpu    = 1
    memory = 1
  }
}

resource "azurerm_container_group" "many" {
  count               = 10000000
  name                = "cg-many-${count.index}"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  container {
    name   = "app"
    image  = "contosohostile.azurecr.io/app:1.0"
    cpu    = 1
    memory = 1
  }
}
"""

WORKLOADS = ("tagged", "sensitive", "userinfo", "huge", "redos", "many")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """``checkout/repo`` is what the pull request controls; ``runner/`` is the runner's own disk."""
    base = tmp_path_factory.mktemp("hostile")
    runner = base / "runner"
    runner.mkdir()
    (runner / "token.json").write_text(json.dumps({"tag": OUTSIDE_TOKEN}), encoding="utf-8")
    repo = base / "checkout" / "repo"
    repo.mkdir(parents=True)
    (repo / "main.tf").write_text(MAIN_TF, encoding="utf-8")
    (repo / "bombs.tf").write_text(BOMBS_TF, encoding="utf-8")
    (repo / "leak.auto.tfvars.json").symlink_to(runner / "token.json")
    (repo / "terraform.tfvars").symlink_to("/dev/zero")
    os.mkfifo(repo / "pipe.auto.tfvars")  # opening it for reading blocks until a writer comes
    return repo


@pytest.fixture(scope="module")
def hostile_plan(tmp_path_factory) -> Path:
    """The demo plan with a sensitive image tag, a credential in a URL and a deposed old group."""
    plan = json.loads((GALLERY / "article-2021-private-acr-aci-vnet" / "plan.json").read_text())
    change = next(c for c in plan["resource_changes"] if c["address"] == "azurerm_container_group.app")
    planned = next(
        r for r in plan["planned_values"]["root_module"]["resources"] if r["address"] == change["address"]
    )
    for values in (change["change"]["after"], planned["values"]):
        values["container"][0]["image"] = f"myprivateacr.azurecr.io/app:{PLAN_SECRET}"
        values["image_registry_credential"] = [
            {"server": f"https://u:{URL_PASSWORD}@myprivateacr.azurecr.io", "username": "u", "password": ""}
        ]
    change["change"]["after_sensitive"]["container"] = [{"image": True}]
    planned["sensitive_values"]["container"] = [{"image": True}]
    deposed = json.loads(json.dumps(change))
    deposed["deposed"] = "00000001"
    deposed["change"]["actions"] = ["delete"]
    deposed["change"]["before"], deposed["change"]["after"] = deposed["change"]["after"], None
    plan["resource_changes"].append(deposed)
    path = tmp_path_factory.mktemp("hostile-plan") / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    return path


def _pullpath(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        [str(PULLPATH), *args], capture_output=True, text=True, timeout=SECONDS, stdin=subprocess.DEVNULL
    )
    return done, time.monotonic() - started


def _leaked(*texts: str) -> list[str]:
    return [secret for secret in SECRETS if any(secret in text for text in texts)]


def _fingerprint(folder: Path) -> dict[str, str]:
    """What each regular file holds and what each link points at: inputs pullpath must not change."""
    prints = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            prints[str(path)] = "-> " + os.readlink(path)
        elif stat.S_ISREG(mode):
            prints[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            prints[str(path)] = stat.filemode(mode)
    return prints


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_scan_of_a_hostile_repository_leaks_nothing_and_hides_no_workload(hostile, tmp_path, fmt):
    before = _fingerprint(hostile.parent.parent)
    report = tmp_path / f"report.{fmt}"
    done, took = _pullpath("scan", str(hostile), "--format", fmt, "-o", str(report))
    written = report.read_text(encoding="utf-8") if report.exists() else ""
    assert took < SECONDS
    assert _leaked(done.stdout, done.stderr, written) == []
    assert "Traceback" not in done.stderr
    assert done.returncode in (1, 2), done.stderr
    if done.returncode == 1:
        for workload in WORKLOADS:
            assert f"azurerm_container_group.{workload}" in written, (workload, done.stderr)
    assert _fingerprint(hostile.parent.parent) == before


def test_scan_judges_every_hostile_workload_and_names_the_refusals(hostile):
    done, _ = _pullpath("scan", str(hostile), "--format", "json")
    assert done.returncode == 1, done.stderr
    verdicts: dict[str, set[str]] = {}
    for finding in json.loads(done.stdout)["findings"]:
        verdicts.setdefault(finding["workload"].split("[")[0], set()).add(finding["verdict"])
    assert set(verdicts) >= {f"azurerm_container_group.{name}" for name in WORKLOADS}
    for name in ("huge", "redos", "many"):  # bombs are judged as UNKNOWN, never as a pass
        assert "PASS" not in verdicts[f"azurerm_container_group.{name}"], name
    for refused in ("leak.auto.tfvars.json", "terraform.tfvars", "pipe.auto.tfvars"):
        assert refused in done.stderr  # each refusal is one warning naming the path


def test_plan_with_sensitive_marks_and_a_deposed_object_leaks_nothing_and_keeps_the_workload(hostile_plan):
    for fmt in sorted(RENDERERS):
        done, took = _pullpath("plan", str(hostile_plan), "--format", fmt)
        assert took < SECONDS
        assert _leaked(done.stdout, done.stderr) == [], fmt
        assert done.returncode == 1, (fmt, done.stderr)  # the live group still fails PP101
        assert "azurerm_container_group.app" in done.stdout, fmt


@pytest.mark.parametrize(
    "target", ["main.tf", "bombs.tf", "leak.auto.tfvars.json"], ids=["scanned-tf", "bombs", "linked-tfvars"]
)
def test_no_report_overwrites_what_the_scan_read(hostile, target):
    before = _fingerprint(hostile.parent.parent)
    done, _ = _pullpath("scan", str(hostile), "--format", "json", "-o", str(hostile / target))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) >= 1
    assert _fingerprint(hostile.parent.parent) == before


def test_a_device_output_stays_a_device(hostile):
    done, _ = _pullpath("scan", str(hostile), "-o", os.devnull)
    assert done.returncode in (1, 2)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.fixture(scope="module")
def hostile_for_checkov(tmp_path_factory) -> Path:
    """The repository without the bombs and the device and FIFO links, which checkov itself chokes on."""
    base = tmp_path_factory.mktemp("hostile-checkov")
    (base / "runner").mkdir()
    (base / "runner" / "token.json").write_text(json.dumps({"tag": OUTSIDE_TOKEN}), encoding="utf-8")
    repo = base / "repo"
    repo.mkdir()
    (repo / "main.tf").write_text(MAIN_TF, encoding="utf-8")
    (repo / "leak.auto.tfvars.json").symlink_to(base / "runner" / "token.json")
    return repo


def test_checkov_shows_a_row_for_every_hostile_workload_and_no_secret(hostile_for_checkov):
    done = checkov("-d", str(hostile_for_checkov), "-o", "json", "--framework", "terraform", "--quiet")
    shown = rows(done.stdout)
    details = "\n".join(str(row) for row in shown)
    assert _leaked(details) == []
    addresses = {row.resource.split("[")[0] for row in shown}
    for workload in ("tagged", "sensitive", "userinfo"):
        assert f"azurerm_container_group.{workload}" in addresses, workload
