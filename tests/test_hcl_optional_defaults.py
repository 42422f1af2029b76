"""`optional(type, default)` in variable types: filled in as Terraform fills them, before judging.

Azure Verified Modules type every input this way (the registry module's
``network_rule_set = optional(object({ default_action = optional(string, "Deny") }))``); without the
defaults, `pullpath scan` of such a module stays UNKNOWN where Terraform knows the answer.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from layers import without_layers
from pullpath.engine import analyse_directory

MODULE = """
variable "registry" {
  type = object({
    name   = string
    public = optional(bool, false)
    sku    = optional(string, "Premium")
    rules = optional(object({
      default_action = optional(string, "Deny")
      ip_ranges      = optional(list(string), [])
    }))
  })
}

resource "azurerm_container_registry" "acr" {
  name                          = var.registry.name
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = var.registry.sku
  public_network_access_enabled = var.registry.public

  dynamic "network_rule_set" {
    for_each = var.registry.rules == null ? [] : [var.registry.rules]
    content {
      default_action = network_rule_set.value.default_action
    }
  }
}

resource "azurerm_container_group" "app" {
  name                = "cg-app"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  container {
    name   = "app"
    image  = "${var.registry.name}.azurecr.io/app:1.0"
    cpu    = 1
    memory = 1
  }
  image_registry_credential {
    server   = "${var.registry.name}.azurecr.io"
    username = "pull"
    password = "not-a-real-password"
  }
}
"""


def verdicts(tmp_path: Path, call: str) -> dict[str, str]:
    (tmp_path / "module").mkdir()
    (tmp_path / "module" / "main.tf").write_text(textwrap.dedent(MODULE), encoding="utf-8")
    (tmp_path / "main.tf").write_text(
        f'module "acr" {{\n  source = "./module"\n{call}\n}}\n', encoding="utf-8"
    )
    report = analyse_directory(str(tmp_path))
    return {f.rule: f.verdict.name for f in without_layers(report.findings)}


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ('  registry = { name = "contosoacr" }', {"PP101": "FAIL"}),  # public defaults to false: closed
        ('  registry = { name = "contosoacr", public = true }', {"PP101": "PASS"}),
        (
            '  registry = { name = "contosoacr", public = true, rules = {} }',
            {"PP101": "FAIL"},
        ),  # Deny, no rule
        (
            '  registry = { name = "contosoacr", public = true, sku = "Basic", rules = {} }',
            {"PP101": "FAIL", "PP901": "FAIL"},
        ),
    ],
    ids=["optional-bool", "given-wins", "nested-optional-object", "nested-and-sku"],
)
def test_optional_defaults_are_filled_in_as_terraform_does(tmp_path, call, expected):
    assert verdicts(tmp_path, call) == expected
