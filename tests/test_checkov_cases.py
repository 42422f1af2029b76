"""Cases the gallery does not hold, judged by real checkov in one run over a small tree of roots.

checkov's own rendering is not enough for them: a skip comment, ``!var.x`` set by terraform.tfvars
or by checkov's ``--var-file``, module instance keys with spaces, a module outside the scanned
folder, and a ``for_each`` that checkov cannot expand while pullpath can.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checkov_harness import GALLERY, checkov, pullpath_json, rows
from layers import rows_without_layers

REGISTRY = """
resource "azurerm_container_registry" "acr" {{
  name                          = "acr{name}"
  location                      = "westeurope"
  resource_group_name           = "rg-pullpath"
  sku                           = "Premium"
  admin_enabled                 = true
  public_network_access_enabled = {access}
}}
"""

GROUP = """
resource "azurerm_container_group" "{name}" {{
  {meta}
  name                = "aci-{name}"
  location            = "westeurope"
  resource_group_name = "rg-pullpath"
  os_type             = "Linux"

  container {{
    name   = "app"
    image  = "${{azurerm_container_registry.acr.login_server}}/app:1.0"
    cpu    = 1
    memory = 1.5
  }}

  image_registry_credential {{
    server   = azurerm_container_registry.acr.login_server
    username = azurerm_container_registry.acr.admin_username
    password = azurerm_container_registry.acr.admin_password
  }}
}}
"""

MODULE = """
variable "location" {
  type = string
}

variable "login_server" {
  type = string
}

variable "admin_username" {
  type = string
}

variable "admin_password" {
  type      = string
  sensitive = true
}

resource "azurerm_container_group" "this" {
  name                = "aci-${replace(lower(var.location), " ", "-")}"
  location            = var.location
  resource_group_name = "rg-pullpath"
  os_type             = "Linux"

  container {
    name   = "app"
    image  = "${var.login_server}/app:1.0"
    cpu    = 1
    memory = 1.5
  }

  image_registry_credential {
    server   = var.login_server
    username = var.admin_username
    password = var.admin_password
  }
}
"""

CALL = """
module "{name}" {{
  source         = "{source}"
  for_each       = toset(["North Europe", "West Europe"])
  location       = each.key
  login_server   = azurerm_container_registry.acr.login_server
  admin_username = azurerm_container_registry.acr.admin_username
  admin_password = azurerm_container_registry.acr.admin_password
}}
"""

CLOSED = "false"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    top = tmp_path_factory.mktemp("checkov-cases")
    live = top / "live"
    skip_comment = "#checkov:skip=PP101:pulls through a registry cache the platform team runs"
    write(
        live / "skip" / "main.tf",
        REGISTRY.format(name="skip", access=CLOSED)
        + GROUP.format(name="app", meta=skip_comment)
        + GROUP.format(name="batch", meta=""),
    )
    write(
        live / "tfvars" / "variables.tf",
        'variable "private_registry" {\n  type    = bool\n  default = false\n}\n',
    )
    write(live / "tfvars" / "terraform.tfvars", "private_registry = true\n")
    write(
        live / "tfvars" / "main.tf",
        REGISTRY.format(name="tfvars", access="!var.private_registry") + GROUP.format(name="tools", meta=""),
    )
    write(
        live / "varfile" / "variables.tf",
        'variable "private_registry" {\n  type    = bool\n  default = false\n}\n',
    )
    write(
        live / "varfile" / "main.tf",
        REGISTRY.format(name="varfile", access="!var.private_registry") + GROUP.format(name="tools", meta=""),
    )
    write(top / "prod.tfvars", "private_registry = true\n")
    write(live / "regions" / "modules" / "aci" / "main.tf", MODULE)
    write(
        live / "regions" / "main.tf",
        REGISTRY.format(name="regions", access=CLOSED) + CALL.format(name="server", source="./modules/aci"),
    )
    write(top / "shared" / "aci" / "main.tf", MODULE)
    write(
        live / "prod" / "main.tf",
        REGISTRY.format(name="prod", access=CLOSED) + CALL.format(name="aci", source="../../shared/aci"),
    )
    fan_out = 'for_each = { for team in ["billing", "orders"] : team => upper(team) }'
    write(live / "fanmod" / "modules" / "aci" / "main.tf", MODULE)
    write(
        live / "fanmod" / "main.tf",
        REGISTRY.format(name="fanmod", access=CLOSED)
        + CALL.format(name="fleet", source="./modules/aci").replace(
            'toset(["North Europe", "West Europe"])',
            '{ for region in ["North Europe", "West Europe"] : region => 1 }',
        ),
    )
    write(
        live / "fanout" / "main.tf",
        REGISTRY.format(name="fanout", access=CLOSED) + GROUP.format(name="worker", meta=fan_out),
    )
    return live


@pytest.fixture(scope="module")
def results(tree):
    var_file = str(tree.parent / "prod.tfvars")
    done = checkov("-d", str(tree), "--var-file", var_file, "--framework", "terraform", "-o", "json")
    assert done.returncode == 1, done.stderr[-2000:]
    return {(row.file, row.resource, row.check_id): row for row in rows(done.stdout)}


def test_skip_comment_inside_the_resource_skips_only_that_resource(results):
    skipped = results[("/skip/main.tf", "azurerm_container_group.app", "PP101")]
    assert skipped.result == "SKIPPED"
    assert skipped.suppress_comment == "pulls through a registry cache the platform team runs"
    assert results[("/skip/main.tf", "azurerm_container_group.batch", "PP101")].result == "FAILED"


def test_tfvars_decide_a_negated_variable_checkov_leaves_unevaluated(results, tree):
    row = results[("/tfvars/main.tf", "azurerm_container_group.tools", "PP101")]
    assert (row.result, row.verdict) == ("FAILED", "FAIL")
    assert "public_network_access_enabled = false" in row.details[-1]
    scan = pullpath_json("scan", str(tree / "tfvars"))
    assert [(f["workload"], f["rule"], f["verdict"]) for f in rows_without_layers(scan["findings"])] == [
        ("azurerm_container_group.tools", "PP101", "FAIL")
    ]


def test_var_file_given_to_checkov_is_read_for_the_roots_it_set(results, tree):
    row = results[("/varfile/main.tf", "azurerm_container_group.tools", "PP101")]
    assert (row.result, row.verdict) == ("FAILED", "FAIL")
    without = pullpath_json("scan", str(tree / "varfile"))
    route = rows_without_layers(without["findings"])
    assert [f["verdict"] for f in route] == ["PASS"]  # the default leaves the registry open


def test_module_instances_with_spaces_in_their_keys(results):
    for region in ("North Europe", "West Europe"):
        address = f'module.server["{region}"].azurerm_container_group.this'
        assert results[("/regions/modules/aci/main.tf", address, "PP101")].verdict == "FAIL"


def test_module_outside_the_scanned_folder_is_judged_with_its_caller(results):
    for region in ("North Europe", "West Europe"):
        address = f'module.aci["{region}"].azurerm_container_group.this'
        assert results[("/../shared/aci/main.tf", address, "PP101")].verdict == "FAIL"


def test_for_each_checkov_cannot_expand_shows_every_instance_in_one_row(results):
    row = results[("/fanout/main.tf", "azurerm_container_group.worker", "PP101")]
    assert row.result == "FAILED"
    assert (
        sum(line.startswith('FAIL azurerm_container_group.worker["billing"]: ') for line in row.details) == 1
    )
    assert (
        sum(line.startswith('FAIL azurerm_container_group.worker["orders"]: ') for line in row.details) == 1
    )


def test_module_for_each_checkov_cannot_expand_shows_every_instance_in_one_row(results):
    row = results[("/fanmod/modules/aci/main.tf", "module.fleet.azurerm_container_group.this", "PP101")]
    assert row.result == "FAILED"
    for region in ("North Europe", "West Europe"):
        instance = f'module.fleet["{region}"].azurerm_container_group.this'
        assert sum(line.startswith(f"FAIL {instance}: ") for line in row.details) == 1


def test_rows_match_pullpath_scan_of_the_same_tree(results, tree):
    scan = pullpath_json("scan", str(tree), "--var-file", str(tree.parent / "prod.tfvars"))
    judged = {(f["workload"], f["rule"], f["verdict"]) for f in rows_without_layers(scan["findings"])}
    skipped = {("azurerm_container_group.app", "PP101", "FAIL")}
    expanded_by_pullpath_only = {
        ('azurerm_container_group.worker["billing"]', "PP101", "FAIL"),
        ('azurerm_container_group.worker["orders"]', "PP101", "FAIL"),
        ('module.fleet["North Europe"].azurerm_container_group.this', "PP101", "FAIL"),
        ('module.fleet["West Europe"].azurerm_container_group.this', "PP101", "FAIL"),
    }
    # scan reads nothing outside the folder it is given; checkov reads ../shared itself, and so judges it
    outside_the_scan = {
        ('module.aci["North Europe"].azurerm_container_group.this', "PP101", "FAIL"),
        ('module.aci["West Europe"].azurerm_container_group.this', "PP101", "FAIL"),
    }
    shown = {
        (resource, check, row.verdict)
        for (_, resource, check), row in results.items()
        if row.verdict and not check.startswith("PP5")  # the credential layer: tests/test_checkov_parity.py
    }
    assert shown == (judged - skipped - expanded_by_pullpath_only) | outside_the_scan | {
        ("azurerm_container_group.worker", "PP101", "FAIL"),
        ("module.fleet.azurerm_container_group.this", "PP101", "FAIL"),
    }
    assert not judged & outside_the_scan


TF_JSON = {
    "resource": {
        "azurerm_container_registry": {
            "acr": {
                "name": "acrcdktf",
                "location": "westeurope",
                "resource_group_name": "rg-pullpath",
                "sku": "Premium",
                "public_network_access_enabled": False,
            }
        },
        "azurerm_container_group": {
            "app": {
                "name": "aci-app",
                "location": "westeurope",
                "resource_group_name": "rg-pullpath",
                "os_type": "Linux",
                "container": [
                    {
                        "name": "app",
                        "image": "${azurerm_container_registry.acr.login_server}/app:1",
                        "cpu": 1,
                        "memory": 1.5,
                    }
                ],
            }
        },
    }
}


def test_plans_sharing_addresses_without_line_tracking_and_tf_json_without_rows(tmp_path):
    # Two plans both holding azurerm_container_group.app, loaded the large-plan way (no __file__ in
    # conf): the scanned file tells them apart. checkov's terraform_json framework gives a check no
    # address and no file, so pullpath shows nothing there rather than a misleading row.
    for folder, scenario in (("closed", "article-2021-private-acr-aci-vnet"), ("open", "acr-open-pass")):
        (tmp_path / folder).mkdir()
        shutil.copy(GALLERY / scenario / "plan.json", tmp_path / folder / "plan.json")
    write(tmp_path / "cdktf" / "cdk.tf.json", json.dumps(TF_JSON))
    done = checkov(
        "-d", str(tmp_path), "--framework", "terraform_plan", "terraform_json", "-o", "json",
        env={"CHECKOV_MAX_IAC_FILE_SIZE": "1"},
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]
    found = {(row.check_type, row.file, row.check_id): (row.result, row.verdict) for row in rows(done.stdout)}
    assert found[("terraform_plan", "/closed/plan.json", "PP101")] == ("FAILED", "FAIL")
    assert found[("terraform_plan", "/open/plan.json", "PP101")] == ("PASSED", "PASS")
    assert not [key for key in found if key[0] == "terraform_json"]
