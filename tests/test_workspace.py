"""terraform.workspace in .tf sources is unknown until a workspace is named (--workspace, TF_WORKSPACE).

A plan carries the values of the workspace it was made in; a scan that guessed the default workspace
would hide a FAIL that only production has. Without a workspace, what depends on it is UNKNOWN and
says that --workspace settles it.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from layers import rows_without_layers, without_layers
from pullpath.checkov import judgements
from pullpath.cli import run
from pullpath.engine import analyse_directory, analyse_plan_with_sources
from pullpath.model import Verdict
from pullpath.readers.hcl import read_root
from scenarios import GALLERY

PROD = GALLERY / "containerapp-registry-closed-in-prod-workspace-fail"
DEV = GALLERY / "containerapp-registry-closed-in-prod-workspace-dev-pass"
APP = "azurerm_container_app.orders"


def verdicts(report) -> set[tuple[str, str, str]]:
    return {(f.workload.address, f.rule, f.verdict.name) for f in without_layers(report.findings)}


def test_without_a_workspace_a_workspace_dependent_registry_is_unknown_and_names_the_option():
    (finding,) = without_layers(analyse_directory(str(PROD)).findings)
    assert (finding.rule, finding.verdict) == ("PP301", Verdict.UNKNOWN)
    assert "unknown until a workspace is named" in finding.reason
    assert "known only after apply" not in finding.reason
    assert finding.remediation.startswith("Pass --workspace NAME")


@pytest.mark.parametrize(("workspace", "verdict"), [("prod", "FAIL"), ("dev", "PASS"), ("default", "PASS")])
def test_a_named_workspace_is_judged_as_its_plan_would_be(workspace, verdict):
    assert verdicts(analyse_directory(str(PROD), workspace=workspace)) == {(APP, "PP301", verdict)}


def test_the_evaluator_records_an_unknown_workspace_and_uses_a_named_one(tmp_path):
    (tmp_path / "main.tf").write_text(
        textwrap.dedent(
            """
            resource "azurerm_container_registry" "acr" {
              name                = "acr${terraform.workspace}"
              resource_group_name = "rg"
              location            = "westeurope"
              sku                 = "Premium"
            }
            """
        ),
        encoding="utf-8",
    )
    (unnamed,) = read_root(str(tmp_path)).resources
    assert unnamed.refs[("name",)] == ("terraform.workspace",)
    (named,) = read_root(str(tmp_path), workspace="prod").resources
    assert named.values["name"] == "acrprod" and named.refs[("name",)] == ()


_IMAGE_BY_WORKSPACE = """
locals {
  registry = terraform.workspace == "prod" ? azurerm_container_registry.prod : azurerm_container_registry.dev
}

resource "azurerm_container_registry" "prod" {
  name                          = "contosoprod"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_container_registry" "dev" {
  name                = "contosodev"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_group" "app" {
  name                = "cg-app"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  ip_address_type     = "Public"

  container {
    name   = "app"
    image  = "${local.registry.login_server}/app:1.0"
    cpu    = 1
    memory = 1.5
  }
}
"""


def test_an_image_whose_registry_the_workspace_picks_is_unknown_until_it_is_named(tmp_path):
    (tmp_path / "main.tf").write_text(_IMAGE_BY_WORKSPACE, encoding="utf-8")
    (finding,) = without_layers(analyse_directory(str(tmp_path)).findings)
    assert finding.verdict is Verdict.UNKNOWN
    assert finding.remediation.startswith("Pass --workspace NAME")
    group = "azurerm_container_group.app"
    assert verdicts(analyse_directory(str(tmp_path), workspace="prod")) == {(group, "PP101", "FAIL")}
    assert verdicts(analyse_directory(str(tmp_path), workspace="dev")) == {(group, "PP101", "PASS")}


_ENDPOINT_IN_PROD = """
resource "azurerm_subnet" "aci" {
  name                 = "snet-aci"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.2.0/24"]
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "acr" {
  count               = terraform.workspace == "prod" ? 1 : 0
  name                = "pe-acr"
  resource_group_name = "rg"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}

resource "azurerm_user_assigned_identity" "pull" {
  name                = "id-pull"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_container_group" "app" {
  name                = "cg-app"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = [azurerm_subnet.aci.id]

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }

  image_registry_credential {
    server                    = azurerm_container_registry.acr.login_server
    user_assigned_identity_id = azurerm_user_assigned_identity.pull.id
  }

  container {
    name   = "app"
    image  = "${azurerm_container_registry.acr.login_server}/app:1.0"
    cpu    = 1
    memory = 1.5
  }
}
"""


def test_a_finding_resting_on_a_resource_only_some_workspaces_have_is_unknown(tmp_path):
    (tmp_path / "main.tf").write_text(_ENDPOINT_IN_PROD, encoding="utf-8")
    group = "azurerm_container_group.app"
    (finding,) = without_layers(analyse_directory(str(tmp_path)).findings)
    assert (finding.rule, finding.verdict) == ("PP103", Verdict.UNKNOWN)
    assert finding.reason.startswith("PASS if azurerm_private_endpoint.acr exists")
    assert finding.remediation.startswith("Pass --workspace NAME")
    assert verdicts(analyse_directory(str(tmp_path), workspace="prod")) == {(group, "PP103", "PASS")}
    assert verdicts(analyse_directory(str(tmp_path), workspace="dev")) == {(group, "PP104", "UNKNOWN")}


def test_a_plan_keeps_its_own_values_and_instances_whatever_its_sources_say():
    for scenario, verdict in ((PROD, "FAIL"), (DEV, "PASS")):
        for workspace in (None, "prod", "dev"):
            report = analyse_plan_with_sources(
                str(scenario / "plan.json"), str(scenario), workspace=workspace
            )
            assert verdicts(report) == {(APP, "PP301", verdict)}


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_the_cli_takes_workspace_from_the_option_or_tf_workspace(capsys, monkeypatch):
    monkeypatch.delenv("TF_WORKSPACE", raising=False)
    assert run(["scan", str(PROD), "--format", "json", "--fail-on", "unknown"]) == 1
    assert [f["verdict"] for f in rows_without_layers(_json(capsys)["findings"])] == ["UNKNOWN"]
    assert run(["scan", str(PROD), "--workspace", "dev", "--format", "json"]) == 0
    assert [f["verdict"] for f in rows_without_layers(_json(capsys)["findings"])] == ["PASS"]
    monkeypatch.setenv("TF_WORKSPACE", "prod")
    assert run(["scan", str(PROD), "--format", "json"]) == 1
    assert [f["verdict"] for f in rows_without_layers(_json(capsys)["findings"])] == ["FAIL"]
    assert run(["plan", str(PROD / "plan.json"), "--format", "json"]) == 1  # TF_WORKSPACE is no error here


def test_workspace_on_a_plan_without_its_sources_is_one_line_and_exit_2(capsys):
    assert run(["plan", str(PROD / "plan.json"), "--workspace", "prod"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--source-dir" in err


def test_inside_checkov_the_workspace_comes_from_tf_workspace(monkeypatch):
    monkeypatch.delenv("TF_WORKSPACE", raising=False)
    assert judgements.workspace() is None
    monkeypatch.setenv("TF_WORKSPACE", "")
    assert judgements.workspace() is None
    monkeypatch.setenv("TF_WORKSPACE", "prod")
    assert judgements.workspace() == "prod"
