"""The .tf reader: what `terraform plan` would know, evaluated from sources, and UNKNOWN for the rest.

Each test writes a small realistic configuration and asserts the records (values, traced references,
addresses, locations) or the verdicts the rules give on them. They run under whichever hcl2 dialect
is installed (bc-python-hcl2 here, python-hcl2 7/8 in the upstream run of `make test`).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from layers import without_layers
from pullpath.engine import analyse_directory
from pullpath.model import UNKNOWN
from pullpath.readers.hcl import read_root

ACR = "azurerm_container_registry.acr"

REGISTRY = """
resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg-app"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}
"""

GROUP = """
resource "azurerm_container_group" "app" {
  name                = "cg-app"
  location            = "westeurope"
  resource_group_name = "rg-app"
  os_type             = "Linux"
  container {
    name   = "app"
    image  = IMAGE
    cpu    = 1
    memory = 1.5
  }
}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def records(root: Path, **options) -> dict:
    return {resource.address: resource for resource in read_root(str(root), **options).resources}


def verdicts(root: Path, **options) -> list[tuple[str, str, str]]:
    report = analyse_directory(str(root), **options)
    return [(f.workload.address, f.rule, f.verdict.name) for f in without_layers(report.findings)]


def test_image_from_a_registry_in_the_same_config_is_unknown_and_traced(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": REGISTRY
            + GROUP.replace("IMAGE", '"${azurerm_container_registry.acr.login_server}/app:1.0"')
        },
    )
    group = records(tmp_path)["azurerm_container_group.app"]
    assert group.values["container"][0]["image"] is UNKNOWN
    assert group.refs[("container", 0, "image")] == (ACR,)
    assert group.values["container"][0]["memory"] == 1.5
    assert group.location.file == "main.tf" and group.location.line == 10
    assert verdicts(tmp_path) == [("azurerm_container_group.app", "PP101", "FAIL")]


def test_locals_and_variable_defaults_build_a_login_server(tmp_path):
    write(
        tmp_path,
        {
            "variables.tf": 'variable "env" {\n  default = "prod"\n}\nvariable "registry" {\n  default = "contoso"\n}\n',
            "main.tf": REGISTRY.replace('"contosoacr"', '"${var.registry}${var.env}"')
            + 'locals {\n  server = lower("${var.registry}${upper(var.env)}.azurecr.io")\n  image = format("%s/%s:%s", local.server, "api", "1.0")\n}\n'
            + GROUP.replace("IMAGE", "local.image"),
        },
    )
    group = records(tmp_path)["azurerm_container_group.app"]
    assert group.values["container"][0]["image"] == "contosoprod.azurecr.io/api:1.0"
    assert verdicts(tmp_path) == [("azurerm_container_group.app", "PP101", "FAIL")]


def test_tfvars_auto_tfvars_var_file_and_var_in_terraform_order(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": 'variable "a" {\n  default = "default"\n}\nvariable "b" {\n  default = "default"\n}\n'
            'variable "c" {\n  default = "default"\n}\nvariable "d" {\n  default = "default"\n}\n'
            'resource "azurerm_container_registry" "acr" {\n  name = "${var.a}-${var.b}-${var.c}-${var.d}"\n  sku = "Premium"\n}\n',
            "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\nd = "tfvars"\n',
            "z.auto.tfvars": 'b = "auto"\nc = "auto"\nd = "auto"\n',
            "extra.tfvars": 'c = "file"\nd = "file"\n',
        },
    )
    registry = records(tmp_path, var_files=[str(tmp_path / "extra.tfvars")], variables={"d": "cli"})[ACR]
    assert registry.values["name"] == "tfvars-auto-file-cli"


def test_unset_variable_is_unknown_and_kept_as_text(tmp_path):
    write(tmp_path, {"main.tf": 'variable "image" {}\n' + REGISTRY + GROUP.replace("IMAGE", "var.image")})
    group = records(tmp_path)["azurerm_container_group.app"]
    assert group.values["container"][0]["image"] is UNKNOWN
    assert group.refs[("container", 0, "image")] == ("var.image",)
    assert verdicts(tmp_path) == [("azurerm_container_group.app", "PP101", "UNKNOWN")]


def test_count_zero_is_no_resource_and_count_n_gives_indexed_addresses(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": REGISTRY
            + 'variable "enabled" {\n  default = false\n}\n'
            + GROUP.replace('"app" {', '"app" {\n  count = var.enabled ? 1 : 0').replace(
                "IMAGE", '"contosoacr.azurecr.io/a:1"'
            )
            + GROUP.replace('"app" {', '"many" {\n  count = 2').replace(
                "IMAGE", '"contosoacr.azurecr.io/b:${count.index}"'
            ),
        },
    )
    found = records(tmp_path)
    assert "azurerm_container_group.app" not in found and "azurerm_container_group.app[0]" not in found
    assert (
        found["azurerm_container_group.many[1]"].values["container"][0]["image"]
        == "contosoacr.azurecr.io/b:1"
    )
    assert sorted(a for a in found if "many" in a) == [
        "azurerm_container_group.many[0]",
        "azurerm_container_group.many[1]",
    ]


def test_unknown_count_is_one_instance_without_a_key(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": 'variable "n" {}\n'
            + GROUP.replace('"app" {', '"app" {\n  count = var.n').replace(
                "IMAGE", '"x.azurecr.io/a:${count.index}"'
            )
        },
    )
    group = records(tmp_path)["azurerm_container_group.app"]
    assert group.values["container"][0]["image"] is UNKNOWN


def test_for_each_module_instances_trace_inputs_and_outputs(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": 'module "registry" {\n  source = "./modules/registry"\n}\n'
            'module "aci" {\n  source   = "./modules/aci"\n  for_each = toset(["api", "worker"])\n'
            "  name     = each.key\n  server   = module.registry.login_server\n}\n",
            "modules/registry/main.tf": REGISTRY
            + 'output "login_server" {\n  value = azurerm_container_registry.acr.login_server\n}\n',
            "modules/aci/main.tf": 'variable "name" {}\nvariable "server" {}\n'
            + GROUP.replace("IMAGE", '"${var.server}/${var.name}:1.0"').replace(
                '"cg-app"', '"cg-${var.name}"'
            ),
        },
    )
    found = records(tmp_path)
    api = found['module.aci["api"].azurerm_container_group.app']
    assert api.values["name"] == "cg-api"
    assert api.refs[("container", 0, "image")] == ("module.registry.azurerm_container_registry.acr",)
    assert api.location.file == "modules/aci/main.tf"
    assert verdicts(tmp_path) == [
        ('module.aci["api"].azurerm_container_group.app', "PP101", "FAIL"),
        ('module.aci["worker"].azurerm_container_group.app', "PP101", "FAIL"),
    ]


def test_nested_local_modules_and_resource_for_each_keys(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": 'module "outer" {\n  source = "./outer"\n}\n',
            "outer/main.tf": 'module "inner" {\n  source = "../inner"\n  apps = { "North Europe" = "a", west = "b" }\n}\n',
            "inner/main.tf": 'variable "apps" {}\n'
            + GROUP.replace('"app" {', '"app" {\n  for_each = var.apps').replace(
                "IMAGE", '"mcr.microsoft.com/${each.value}:1"'
            ),
        },
    )
    assert sorted(records(tmp_path)) == [
        'module.outer.module.inner.azurerm_container_group.app["North Europe"]',
        'module.outer.module.inner.azurerm_container_group.app["west"]',
    ]


def test_dynamic_blocks_expand_and_attribute_syntax_blocks_count_as_configured(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": 'locals {\n  ranges = ["203.0.113.0/24", "198.51.100.0/24"]\n}\n'
            'resource "azurerm_container_registry" "dyn" {\n  name = "dyn"\n  sku = "Premium"\n'
            '  network_rule_set {\n    default_action = "Deny"\n    dynamic "ip_rule" {\n      for_each = local.ranges\n'
            '      content {\n        action   = "Allow"\n        ip_range = ip_rule.value\n      }\n    }\n  }\n}\n'
            'resource "azurerm_container_registry" "attr" {\n  name = "attr"\n  sku = "Premium"\n'
            '  network_rule_set = [{\n    default_action = "Deny"\n    ip_rule = [{ action = "Allow", ip_range = "203.0.113.7/32" }]\n    virtual_network = []\n  }]\n}\n',
        },
    )
    found = records(tmp_path)
    rules = found["azurerm_container_registry.dyn"].values["network_rule_set"][0]["ip_rule"]
    assert [rule["ip_range"] for rule in rules] == ["203.0.113.0/24", "198.51.100.0/24"]
    attr = found["azurerm_container_registry.attr"]
    assert attr.values["network_rule_set"][0]["default_action"] == "Deny"
    assert ("network_rule_set",) in attr.refs


def test_functions_conditionals_and_try_on_known_values(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": 'variable "private" {\n  default = true\n}\nvariable "tags" {\n  default = { team = "web" }\n}\n'
            "locals {\n"
            '  merged  = merge(var.tags, { env = "prod" })\n'
            '  joined  = join("-", concat(["a"], [lookup(local.merged, "env", "x")]))\n'
            '  first   = coalesce("", tostring(null), "fallback")\n'
            '  safe    = try(var.tags.missing, "default")\n'
            '  secret  = nonsensitive(sensitive("s"))\n'
            "}\n"
            'resource "azurerm_container_registry" "acr" {\n  name = "${local.joined}-${local.first}-${local.safe}-${local.secret}"\n'
            '  sku  = "Premium"\n  public_network_access_enabled = var.private ? false : true\n  tags = local.merged\n}\n',
        },
    )
    registry = records(tmp_path)[ACR]
    assert registry.values["name"] == "a-prod-fallback-default-s"
    assert registry.values["public_network_access_enabled"] is False
    assert registry.values["tags"] == {"team": "web", "env": "prod"}


def test_conditional_on_an_unknown_condition_is_unknown_but_keeps_both_references(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": 'variable "blue" {}\n'
            + REGISTRY
            + REGISTRY.replace('"acr"', '"other"').replace("contosoacr", "otheracr")
            + GROUP.replace(
                "IMAGE",
                'var.blue ? "${azurerm_container_registry.acr.login_server}/a" : "${azurerm_container_registry.other.login_server}/a"',
            ),
        },
    )
    group = records(tmp_path)["azurerm_container_group.app"]
    assert group.values["container"][0]["image"] is UNKNOWN
    assert set(group.refs[("container", 0, "image")]) == {ACR, "azurerm_container_registry.other", "var.blue"}


def test_remote_module_without_install_is_unknown_and_with_modules_json_is_read(tmp_path):
    files = {
        "main.tf": 'module "acr" {\n  source  = "Azure/avm-res-containerregistry-registry/azurerm"\n  version = "0.4.0"\n}\n'
        + GROUP.replace("IMAGE", '"${module.acr.login_server}/app:1"'),
    }
    write(tmp_path, files)
    group = records(tmp_path)["azurerm_container_group.app"]
    assert group.values["container"][0]["image"] is UNKNOWN
    assert group.refs[("container", 0, "image")] == ("module.acr",)
    report = analyse_directory(str(tmp_path))
    [finding] = without_layers(report.findings)  # seen, and said to be unknown
    assert (finding.rule, finding.verdict.name) == ("PP101", "UNKNOWN") and "module.acr" in finding.reason
    assert report.warnings == (
        "module.acr: module source not on disk (run terraform init); what it defines is unknown",
    )
    write(
        tmp_path,
        {
            ".terraform/modules/modules.json": '{"Modules":[{"Key":"","Source":"","Dir":"."},'
            '{"Key":"acr","Source":"registry.terraform.io/Azure/avm-res-containerregistry-registry/azurerm",'
            '"Version":"0.4.0","Dir":".terraform/modules/acr"}]}',
            ".terraform/modules/acr/main.tf": REGISTRY
            + 'output "login_server" {\n  value = azurerm_container_registry.acr.login_server\n}\n',
        },
    )
    assert verdicts(tmp_path) == [("azurerm_container_group.app", "PP101", "FAIL")]


def test_override_files_merge_into_the_resource(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": REGISTRY.replace("= false", "= true"),
            "main_override.tf": 'resource "azurerm_container_registry" "acr" {\n  public_network_access_enabled = false\n}\n',
        },
    )
    values = records(tmp_path)[ACR].values
    assert values["public_network_access_enabled"] is False and values["sku"] == "Premium"


def test_tf_json_files_are_read(tmp_path):
    write(
        tmp_path,
        {
            "main.tf.json": '{"resource": {"azurerm_container_registry": {"acr": {"name": "jsonacr", "sku": "Premium",'
            ' "public_network_access_enabled": false}}, "azurerm_container_group": {"app": {"name": "cg", "os_type": "Linux",'
            ' "container": [{"name": "app", "image": "${azurerm_container_registry.acr.login_server}/app:1", "cpu": 1, "memory": 1}]}}}}',
        },
    )
    group = records(tmp_path)["azurerm_container_group.app"]
    assert group.refs[("container", 0, "image")] == (ACR,)
    assert verdicts(tmp_path) == [("azurerm_container_group.app", "PP101", "FAIL")]


@pytest.mark.parametrize(
    "expression",
    [
        'file("${path.module}/image.txt")',
        'templatefile("x.tpl", { a = 1 })',
        "provider::azurerm::normalise_resource_id(var.x)",
        '[for s in var.list : upper(s) if s != ""][0]',
        "{ for k, v in var.map : k => v... }",
        "var.objects[*].image",
        '"%{ if true }x%{ endif }"',
        "local.does_not_exist",
        'jsondecode("{")',
        "1 / 0",
        "element([], 0)",
        "azurerm_nothing.here.id",
        "module.missing.out",
        "each.key",
        "self.name",
        "(((((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))))",
    ],
)
def test_expressions_a_scan_cannot_evaluate_are_unknown_never_a_crash(tmp_path, expression):
    write(
        tmp_path,
        {
            "main.tf": 'variable "list" {}\nvariable "map" {}\nvariable "objects" {}\nvariable "x" {}\n'
            + GROUP.replace("IMAGE", expression)
        },
    )
    group = records(tmp_path)["azurerm_container_group.app"]
    assert group.values["container"][0]["image"] in (UNKNOWN, 1, "x") or isinstance(
        group.values["container"][0]["image"], list
    )


def test_shapes_real_repositories_mix(tmp_path):
    """Comments after braces, provider aliases, lifecycle, number keys, null-guarded dynamic blocks,
    for over range(), jsondecode(jsonencode()), format() with each.key: all read, nothing guessed."""
    write(
        tmp_path,
        {
            "variables.tf": 'variable "cidrs" {\n  type = map(any)\n  default = {\n    1   = "10.0.1.0/27"\n'
            '    aci = "10.0.1.64/27"\n  }\n}\nvariable "username" {\n  default = null\n}\nvariable "count_of" {\n'
            '  default = 2\n}\n# variable "old" {\n#   default = local.x\n# }\n',
            "main.tf": 'resource "azurerm_subnet" "aci" { // the delegated subnet\n  name = "snet"\n'
            '  address_prefixes = [lookup(var.cidrs, "aci")]\n  provider = azurerm.spoke\n'
            "  lifecycle {\n    ignore_changes = [delegation]\n  }\n}\n"
            'locals {\n  envs = tolist(jsondecode(jsonencode([{ name = "AGENT", value = "agent-%s" }])))\n'
            "  instances = { for i in range(1, var.count_of + 1) : i => { zone = [i % 3] } }\n}\n"
            'resource "azurerm_container_group" "agent" {\n  for_each = local.instances\n  name = "ci-${each.key}"\n'
            '  os_type = "Linux"\n  zones = each.value.zone\n  subnet_ids = [azurerm_subnet.aci.id]\n'
            '  container {\n    name = "agent"\n    image = "contosoacr.azurecr.io/agent:1"\n'
            "    environment_variables = { for e in local.envs : e.name => format(e.value, each.key) }\n  }\n"
            '  dynamic "image_registry_credential" {\n    for_each = var.username == null ? [1] : []\n'
            '    content {\n      server = "contosoacr.azurecr.io"\n      user_assigned_identity_id = "/id"\n    }\n  }\n}\n',
        },
    )
    found = records(tmp_path)
    agent = found['azurerm_container_group.agent["2"]']
    assert agent.values["zones"] == [2]
    assert agent.values["container"][0]["environment_variables"] == {"AGENT": "agent-2"}
    assert agent.values["image_registry_credential"][0]["user_assigned_identity_id"] == "/id"
    assert found["azurerm_subnet.aci"].values["address_prefixes"] == ["10.0.1.64/27"]
