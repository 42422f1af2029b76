"""PP903: a machine learning workspace cannot build its environment images in a restricted registry
on serverless compute; it needs an image build compute in the registry's network."""

from __future__ import annotations

import textwrap

import pytest

import models
from layers import without_layers
from pullpath.engine import analyse_directory
from pullpath.model import MlWorkspace, Ref, Registry, Verdict
from pullpath.report.pull_paths import tally
from pullpath.rules import evaluate

ML = "azurerm_machine_learning_workspace.ml"


def workspace(registry: Ref, compute: Ref | None = None) -> MlWorkspace:
    return MlWorkspace(ML, "azurerm_machine_learning_workspace", registry, compute or Ref())


def judged(*objects, ml: MlWorkspace):
    return [(f.rule, f.verdict, f) for f in evaluate(models.model(*objects, ml_workspaces=(ml,)))]


def to(acr: Registry) -> Ref:
    return Ref(targets=(acr.address,), configured=True)


@pytest.mark.parametrize(
    "acr",
    [models.registry(), models.registry(public_network_access=True, default_action="Deny", ip_rules=())],
    ids=["closed", "firewalled"],
)
def test_a_restricted_registry_without_an_image_build_compute_fails(acr):
    ((rule, verdict, finding),) = judged(acr, ml=workspace(to(acr)))
    assert (rule, verdict) == ("PP903", Verdict.FAIL)
    assert "serverless" in finding.reason and "image_build_compute_name" in finding.remediation


def test_an_image_build_compute_passes_and_an_open_registry_needs_none():
    acr = models.registry()
    ((rule, verdict, _),) = judged(acr, ml=workspace(to(acr), Ref("cpu-build", configured=True)))
    assert (rule, verdict) == ("PP903", Verdict.PASS)
    open_acr = models.registry(public_network_access=True, default_action="Allow")
    assert judged(open_acr, ml=workspace(to(open_acr))) == []


def test_a_registry_found_by_its_id_counts_too():
    acr = models.registry()
    assert acr.id is not None
    ((rule, verdict, _),) = judged(acr, ml=workspace(Ref(acr.id.upper(), configured=True)))
    assert (rule, verdict) == ("PP903", Verdict.FAIL)


def test_a_registry_the_input_does_not_tell_is_unknown_and_says_what_settles_it():
    undefined = Registry.undefined("data.azurerm_container_registry.acr", "contoso", "contoso.azurecr.io")
    ((rule, verdict, finding),) = judged(undefined, ml=workspace(to(undefined)))
    assert (rule, verdict) == ("PP903", Verdict.UNKNOWN)
    assert "--registry-inventory" in finding.remediation
    elsewhere = workspace(
        Ref("/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/x")
    )
    ((rule, verdict, finding),) = judged(ml=elsewhere)
    assert (rule, verdict) == ("PP903", Verdict.UNKNOWN)
    unknown = models.registry(public_network_access=None)
    ((rule, verdict, finding),) = judged(unknown, ml=workspace(to(unknown)))
    assert (rule, verdict) == ("PP903", Verdict.UNKNOWN) and "value" in finding.remediation


def test_a_workspace_without_a_registry_of_its_own_choosing_has_no_finding():
    assert judged(models.registry(), ml=workspace(Ref())) == []


_REGISTRY = """
resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}
"""


@pytest.mark.parametrize("compute", ["", 'image_build_compute_name = "cpu-build"'])
def test_both_dialects_read_the_registry_and_the_image_build_compute(tmp_path, compute):
    azapi_compute = 'imageBuildCompute = "cpu-build"' if compute else ""
    text = (
        _REGISTRY
        + f"""
resource "azurerm_machine_learning_workspace" "ml" {{
  name                    = "mlw"
  location                = "westeurope"
  resource_group_name     = "rg"
  application_insights_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Insights/components/appi"
  key_vault_id            = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id      = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"
  container_registry_id   = azurerm_container_registry.acr.id
  {compute}

  identity {{
    type = "SystemAssigned"
  }}
}}

resource "azapi_resource" "ml" {{
  type      = "Microsoft.MachineLearningServices/workspaces@2024-10-01"
  name      = "mlw-azapi"
  parent_id = "/subscriptions/0/resourceGroups/rg"
  location  = "westeurope"
  body = {{
    properties = {{
      containerRegistry = azurerm_container_registry.acr.id
      {azapi_compute}
    }}
  }}
}}
"""
    )
    (tmp_path / "main.tf").write_text(textwrap.dedent(text), encoding="utf-8")
    verdict = "PASS" if compute else "FAIL"
    report = analyse_directory(str(tmp_path))
    found = {(f.workload.address, f.rule, f.verdict.name) for f in without_layers(report.findings)}
    assert found == {(ML, "PP903", verdict), ("azapi_resource.ml", "PP903", verdict)}
    assert tally(report)[0] == f"2 resource findings: 2 {verdict}"  # counted apart from pull paths
