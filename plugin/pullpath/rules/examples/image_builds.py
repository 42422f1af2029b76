"""Failing and fixed HCL for the machine learning image build rule, PP903."""

from __future__ import annotations

from pullpath.rules.examples.parts import CLOSED_REGISTRY, ENDPOINT_SUBNET, join, private_endpoint

_CLUSTER = """
resource "azurerm_machine_learning_compute_cluster" "build" {
  name                          = "cpu-build"
  location                      = "westeurope"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ml.id
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS3_V2"
  subnet_resource_id            = azurerm_subnet.endpoints.id

  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 2
    scale_down_nodes_after_idle_duration = "PT15M"
  }

  identity {
    type = "SystemAssigned"
  }
}
"""


def _workspace(build: str) -> str:
    return f"""
resource "azurerm_machine_learning_workspace" "ml" {{
  name                          = "mlw-app"
  location                      = "westeurope"
  resource_group_name           = "rg-app"
  application_insights_id       = var.application_insights_id
  key_vault_id                  = var.key_vault_id
  storage_account_id            = var.storage_account_id
  container_registry_id         = azurerm_container_registry.acr.id
  public_network_access_enabled = false
{build}
  identity {{
    type = "SystemAssigned"
  }}
}}
"""


_NETWORK = join(ENDPOINT_SUBNET, CLOSED_REGISTRY, private_endpoint("endpoints", with_dns=False))
PP903_FAILING = join(_NETWORK, _workspace(""))
PP903_FIXED = join(_NETWORK, _workspace('  image_build_compute_name      = "cpu-build"\n'), _CLUSTER)
