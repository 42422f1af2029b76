"""No secret from the input reaches any output or log line: plan, scan, plan --source-dir, checkov.

The configuration below carries clear-text secrets the way real repositories do: a registry
password literal, a tfvars value, a variable default, an app setting, and a file that does not
parse (its warning must not quote it). Every format of every front door is checked, stdout and
stderr alike, and the checks' own fields in checkov's report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkov_harness import checkov, rows
from pullpath.cli import run
from pullpath.report import RENDERERS
from scenarios import GALLERY

SECRETS = (
    "tf-literal-Secr3t-9f8e",
    "tfvars-Secr3t-55bb",
    "default-Secr3t-31cc",
    "app-setting-Secr3t-77aa",
    "broken-file-Secr3t-0d0d",
)
GALLERY_SECRET = "fixture-only-not-a-real-secret-7Qx2"  # in sample_tf/aci-public-firewalled-literal-fail

MAIN_TF = """
variable "registry_password" {
  type      = string
  sensitive = true
}

variable "app_password" {
  type    = string
  default = "default-Secr3t-31cc"
}

resource "azurerm_container_registry" "acr" {
  name                          = "contososecrets"
  resource_group_name           = "rg-app"
  location                      = "westeurope"
  sku                           = "Premium"
  admin_enabled                 = true
  public_network_access_enabled = false
}

resource "azurerm_container_group" "literal" {
  name                = "cg-literal"
  location            = "westeurope"
  resource_group_name = "rg-app"
  os_type             = "Linux"

  container {
    name   = "app"
    image  = "contososecrets.azurecr.io/app:1.0"
    cpu    = 1
    memory = 1.5
    secure_environment_variables = {
      TOKEN = "tf-literal-Secr3t-9f8e"
    }
  }

  image_registry_credential {
    server   = "contososecrets.azurecr.io"
    username = "contososecrets"
    password = "tf-literal-Secr3t-9f8e"
  }
}

resource "azurerm_container_group" "tfvars" {
  name                = "cg-tfvars"
  location            = "westeurope"
  resource_group_name = "rg-app"
  os_type             = "Linux"

  container {
    name   = "app"
    image  = "${azurerm_container_registry.acr.login_server}/app:1.0"
    cpu    = 1
    memory = 1.5
  }

  image_registry_credential {
    server   = azurerm_container_registry.acr.login_server
    username = azurerm_container_registry.acr.admin_username
    password = var.registry_password
  }
}

resource "azurerm_linux_web_app" "web" {
  name                = "app-web"
  location            = "westeurope"
  resource_group_name = "rg-app"
  service_plan_id     = "/subscriptions/0/resourceGroups/rg-app/providers/Microsoft.Web/serverFarms/plan"

  app_settings = {
    DOCKER_REGISTRY_SERVER_PASSWORD = "app-setting-Secr3t-77aa"
    OTHER_PASSWORD                  = var.app_password
  }

  site_config {
    application_stack {
      docker_image_name   = "app:1.0"
      docker_registry_url = "https://contososecrets.azurecr.io"
    }
  }
}
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("secrets") / "infra"
    folder.mkdir()
    (folder / "main.tf").write_text(MAIN_TF, encoding="utf-8")
    (folder / "terraform.tfvars").write_text('registry_password = "tfvars-Secr3t-55bb"\n', encoding="utf-8")
    (folder / "broken.tf").write_text(
        'locals {\n  leaked = "broken-file-Secr3t-0d0d"\n  = = =\n', encoding="utf-8"
    )
    return folder


def leaked(text: str, secrets=SECRETS) -> list[str]:
    return [secret for secret in secrets if secret in text]


def test_the_inputs_really_hold_the_secrets(root):
    text = "".join(path.read_text(encoding="utf-8") for path in root.iterdir())
    assert leaked(text) == list(SECRETS)


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_scan_prints_no_secret_in_any_format_or_warning(root, capsys, fmt):
    code = run(["scan", str(root), "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 1 and "broken.tf" in err  # judged, and the broken file was reported
    assert leaked(out) == [] and leaked(err) == []


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_plan_and_plan_with_sources_print_no_secret(capsys, fmt):
    scenario = GALLERY / "aci-public-firewalled-literal-fail"
    assert GALLERY_SECRET in (scenario / "plan.json").read_text(encoding="utf-8")
    for extra in ([], ["--source-dir", str(scenario)]):
        run(["plan", str(scenario / "plan.json"), "--format", fmt, *extra])
        out, err = capsys.readouterr()
        assert GALLERY_SECRET not in out and GALLERY_SECRET not in err


def test_checkov_rows_of_pullpath_carry_no_secret(root):
    """checkov itself prints each resource's source lines (code_block); pullpath's fields must not."""
    result = checkov("-d", str(root), "--framework", "terraform", "-o", "json")
    ours = rows(result.stdout)
    assert {row.check_id for row in ours} >= {"PP101", "PP201"}
    report = json.loads(result.stdout)
    for check in report if isinstance(report, list) else [report]:
        for entry in check.get("results", {}).get("failed_checks", []) + check.get("results", {}).get(
            "passed_checks", []
        ):
            if str(entry.get("check_id", "")).startswith("PP"):
                fields = {key: value for key, value in entry.items() if key != "code_block"}
                assert leaked(json.dumps(fields)) == []
    assert leaked(result.stderr) == []
