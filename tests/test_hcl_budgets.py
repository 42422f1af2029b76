"""Hostile expressions in .tf sources: bounded in time and memory, UNKNOWN with the limit named.

``scan`` reads pull requests, so an expression may be written to exhaust the runner. Each test
writes one such expression into a realistic configuration and asserts that the scan finishes,
keeps the workload (a workload left out reads as a pass), makes the affected value UNKNOWN and
says in a warning which limit was reached. Those that hung or ran out of memory before run in a
child process with a time limit, so they fail instead of hanging.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pullpath.engine import analyse_directory, analyse_tree
from pullpath.model import UNKNOWN
from pullpath.readers.hcl import read_root
from pullpath.readers.hcl.evaluate import Scan
from test_hcl_reader import REGISTRY


def group(image: str, extra: str = "", meta: str = "") -> str:
    return f"""
resource "azurerm_container_group" "app" {{
  {meta}
  name                = "cg-app"
  location            = "westeurope"
  resource_group_name = "rg-app"
  os_type             = "Linux"
  {extra}
  container {{
    name   = "app"
    image  = {image}
    cpu    = 1
    memory = 1.5
  }}
}}
"""


def write(root: Path, text: str) -> Path:
    (root / "main.tf").write_text(textwrap.dedent(REGISTRY + text), encoding="utf-8")
    return root


def image_and_warnings(root: Path) -> tuple[dict, list[str]]:
    read = read_root(str(root))
    images = {r.address: r.values["container"][0]["image"] for r in read.resources if "container" in r.values}
    return images, read.not_evaluated


READ_IN_CHILD = """
import json, sys
from pullpath.readers.hcl import read_root
read = read_root(sys.argv[1])
print(json.dumps({
    "addresses": [r.address for r in read.resources],
    "images": [repr(r.values["container"][0]["image"]) for r in read.resources if "container" in r.values],
    "warnings": read.not_evaluated,
}))
"""


def read_in_child(root: Path, seconds: float = 30) -> dict:
    """Read the root in a child process that must finish within ``seconds``."""
    done = subprocess.run(
        [sys.executable, "-c", READ_IN_CHILD, str(root)],
        capture_output=True,
        text=True,
        timeout=seconds,
        check=True,
    )
    return json.loads(done.stdout)


def test_a_format_width_beyond_the_string_budget_is_unknown_and_named(tmp_path):
    write(tmp_path, group('"${azurerm_container_registry.acr.login_server}/app:${format("%2000000s", "1")}"'))
    images, warnings = image_and_warnings(tmp_path)
    assert images == {"azurerm_container_group.app": UNKNOWN}
    assert warnings == [
        "main.tf:10: azurerm_container_group.app: not evaluated in full (a format width or precision "
        "over 1,048,576 characters); what it could not evaluate is UNKNOWN"
    ]


def test_repeated_squaring_through_locals_stops_at_the_string_budget(tmp_path):
    squares = "\n".join(f'  s{n + 1} = "${{local.s{n}}}${{local.s{n}}}"' for n in range(17))
    write(tmp_path, 'locals {\n  s0 = "abcdefghijklmnop"\n' + squares + "\n}\n" + group('"app:${local.s17}"'))
    images, warnings = image_and_warnings(tmp_path)
    assert images == {"azurerm_container_group.app": UNKNOWN}
    assert len(warnings) == 1 and "a string over 1,048,576 characters (1 MiB)" in warnings[0]


def test_try_does_not_turn_a_budget_into_its_fallback(tmp_path):
    """Terraform would evaluate the first argument; a scan that cannot must not claim the fallback."""
    write(tmp_path, group('try(format("%2000000s", "x"), "contosoacr.azurecr.io/app:1")'))
    images, warnings = image_and_warnings(tmp_path)
    assert images == {"azurerm_container_group.app": UNKNOWN}
    assert len(warnings) == 1


@pytest.mark.parametrize("number", ["nan", "1e400", "-inf"])
def test_a_count_that_is_no_finite_number_is_one_unknown_instance(tmp_path, number):
    write(
        tmp_path,
        group('"${azurerm_container_registry.acr.login_server}/app:1"', meta=f'count = tonumber("{number}")'),
    )
    read = read_root(str(tmp_path))
    assert [r.address for r in read.resources if r.type == "azurerm_container_group"] == [
        "azurerm_container_group.app"
    ]


def test_a_value_nested_too_deeply_keeps_its_workload_and_the_rest_of_it(tmp_path):
    deep = 'jsondecode("${join("", [for i in range(950) : "["])}${join("", [for i in range(950) : "]"])}")'
    write(tmp_path, group('"${azurerm_container_registry.acr.login_server}/app:1"', extra=f"tags = {deep}"))
    read = read_root(str(tmp_path))
    (app,) = [r for r in read.resources if r.address == "azurerm_container_group.app"]
    assert app.values["tags"] is UNKNOWN
    assert app.refs[("container", 0, "image")] == ("azurerm_container_registry.acr",)
    assert read.not_evaluated and "nested too deeply" in read.not_evaluated[0]


def test_a_resource_whose_evaluation_fails_is_kept_unknown_not_dropped(tmp_path, monkeypatch):
    write(tmp_path, group('"${azurerm_container_registry.acr.login_server}/app:1"'))
    real = Scan.resource_values

    def failing(self, resource, address, env):
        if resource.type == "azurerm_container_group":
            raise MemoryError
        return real(self, resource, address, env)

    monkeypatch.setattr(Scan, "resource_values", failing)
    read = read_root(str(tmp_path))
    (app,) = [r for r in read.resources if r.address == "azurerm_container_group.app"]
    assert app.values["container"][0]["image"] is UNKNOWN
    assert ("container", 0, "image") in app.refs  # configured: the rules judge it UNKNOWN, not absent
    assert read.not_evaluated == [
        "main.tf:10: azurerm_container_group.app: not evaluated in full (out of memory while evaluating); "
        "what it could not evaluate is UNKNOWN"
    ]


HANGS = {
    "nested-ranges": (
        "locals {\n  cube = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n}\n"
        + group('"app:${length(local.cube)}"'),
        "over 1,000,000 evaluation steps in this root module",
    ),
    "huge-count": (
        group('"app:${count.index}"', meta="count = 10000000"),
        "10,000,000 instances, over 10,000",
    ),
    "huge-format": (group('"app:${format("%900000000s", "")}"'), "a format width or precision over"),
    "regex-backtracking": (
        group('regex("(x+x+)+y", join("", [for i in range(1000) : "xxxx"]))'),
        "a regular expression over 0.5 s (backtracking)",
    ),
    "toset-of-many": (
        'locals {\n  many = flatten([for a in range(400) : [for b in range(250) : "${a}-${b}"]])\n}\n'
        + group('"app:${length(toset(local.many))}"'),
        None,
    ),
}


@pytest.mark.parametrize("case", HANGS, ids=list(HANGS))
def test_hostile_expressions_finish_in_seconds_and_keep_the_workload(tmp_path, case):
    text, limit = HANGS[case]
    write(tmp_path, text)
    start = time.monotonic()
    read = read_in_child(tmp_path)
    assert time.monotonic() - start < 20
    assert "azurerm_container_group.app" in read["addresses"]
    if limit is None:
        assert read["images"] == ["'app:100000'"] and read["warnings"] == []
    else:
        assert read["images"] == ["UNKNOWN"]
        assert len(read["warnings"]) == 1 and limit in read["warnings"][0]


def test_the_classic_regex_bomb_is_answered_at_once(tmp_path):
    """``(a+)+$`` on forty a's and a '!' takes Python's re about 2**40 steps; RE2 and the scan: none."""
    write(tmp_path, group('regex("(a+)+$", "${join("", [for i in range(40) : "a"])}!")'))
    start = time.monotonic()
    read = read_in_child(tmp_path)
    assert time.monotonic() - start < 10
    assert read["images"] == ["UNKNOWN"]  # no match: Terraform stops with an error, the scan cannot tell


def test_patterns_re2_rejects_are_not_run(tmp_path):
    write(tmp_path, group('regex("(a)\\\\1", "aa")'))
    images, warnings = image_and_warnings(tmp_path)
    assert images == {"azurerm_container_group.app": UNKNOWN} and warnings == []


def test_an_image_stopped_by_a_limit_is_an_unknown_finding_naming_it(tmp_path):
    """With no registry in the input an untraced image gets no finding; one a limit stopped must."""
    (tmp_path / "main.tf").write_text(group('"contosoacr.azurecr.io/app:${format("%2000000s", "1")}"'))
    report = analyse_directory(str(tmp_path))
    assert [(f.workload.address, f.rule, f.verdict.name) for f in report.findings] == [
        ("azurerm_container_group.app", "PP101", "UNKNOWN")
    ]
    assert report.findings[0].reason.startswith(
        "container[0].image could not be evaluated (a format width or precision over 1,048,576 characters: "
        "a limit of pullpath's evaluation"
    )


TAG_VARIABLE = 'variable "image_tag" {\n  type      = string\n  sensitive = true\n}\n'
OVER_BUDGET_TAG = 'image_tag = format("%2000000s", "1")\nregion = "westeurope"\n'
FORMAT_LIMIT = "a format width or precision over 1,048,576 characters"


def test_a_tfvars_value_over_a_budget_is_unknown_with_a_warning_naming_file_and_variable(tmp_path):
    write(
        tmp_path,
        TAG_VARIABLE + group('"${azurerm_container_registry.acr.login_server}/app:${var.image_tag}"'),
    )
    (tmp_path / "terraform.tfvars").write_text(OVER_BUDGET_TAG, encoding="utf-8")
    images, warnings = image_and_warnings(tmp_path)
    assert images == {"azurerm_container_group.app": UNKNOWN}
    assert warnings == [
        f"terraform.tfvars: var.image_tag: not evaluated in full ({FORMAT_LIMIT}); "
        "what it could not evaluate is UNKNOWN"
    ]


def test_an_image_a_tfvars_budget_stopped_is_an_unknown_finding_naming_it(tmp_path):
    """Not a variable nobody set, and not an untraced image that gets no finding at all: the limit."""
    (tmp_path / "main.tf").write_text(TAG_VARIABLE + group('"contosoacr.azurecr.io/app:${var.image_tag}"'))
    (tmp_path / "terraform.tfvars").write_text(OVER_BUDGET_TAG, encoding="utf-8")
    report = analyse_directory(str(tmp_path))
    assert [(f.workload.address, f.rule, f.verdict.name) for f in report.findings] == [
        ("azurerm_container_group.app", "PP101", "UNKNOWN")
    ]
    assert report.findings[0].reason.startswith(
        f"container[0].image could not be evaluated ({FORMAT_LIMIT}: "
    )
    assert len(report.warnings) == 1 and report.warnings[0].startswith("terraform.tfvars: var.image_tag: ")
    overridden = analyse_directory(str(tmp_path), variables={"image_tag": "1.0"})
    assert overridden.warnings == ()  # the value in force is the --var one


def test_a_var_file_value_over_a_budget_is_one_scan_warning_without_the_value(tmp_path, monkeypatch):
    """A long literal list of CIDRs, the step budget lowered to meet it; two roots, one warning."""
    monkeypatch.setattr("pullpath.readers.hcl.evaluate.MAX_STEPS", 1_000)
    for name in ("dev", "prod"):
        root = tmp_path / "infra" / name
        root.mkdir(parents=True)
        write(
            root, 'variable "allowed" {\n  type = list(string)\n}\n' + group('"contosoacr.azurecr.io/app:1"')
        )
    cidrs = ", ".join(f'"10.{n // 250}.{n % 250}.7/32"' for n in range(2_000))
    (tmp_path / "prod.tfvars").write_text(f"allowed = [{cidrs}]\n", encoding="utf-8")
    report = analyse_tree(str(tmp_path / "infra"), var_files=[str(tmp_path / "prod.tfvars")])
    assert report.warnings == (
        f"{tmp_path / 'prod.tfvars'}: var.allowed: not evaluated in full (over 1,000 evaluation steps in "
        "this root module); what it could not evaluate is UNKNOWN",
    )
