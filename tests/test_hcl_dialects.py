"""Both hcl2 dialects read alike: bc-python-hcl2 (checkov's) and upstream python-hcl2 7 and 8.

The installed parser is read for real; the upstream dialects are also replayed from their captured
output of the same file (tests/data/hcl_dialects), so their normalisation is checked here too. The
real upstream parsers run in their own venvs (`make test-upstream-hcl2`), where the environment
variable PULLPATH_HCL2_DIALECT says which dialect must be found.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from pullpath.model import UNKNOWN
from pullpath.readers.hcl import dialects, read_root

DATA = Path(__file__).resolve().parent / "data" / "hcl_dialects"
ACR = "azurerm_container_registry.acr"


def read(tmp_path: Path) -> dict:
    shutil.copy(DATA / "main.tf", tmp_path / "main.tf")
    return {resource.address: resource for resource in read_root(str(tmp_path)).resources}


@pytest.fixture(params=["installed", "v7", "v8"])
def resources(request, tmp_path, monkeypatch):
    if request.param != "installed":
        captured = json.loads((DATA / f"{request.param}.json").read_text(encoding="utf-8"))
        monkeypatch.setattr(dialects, "dialect", lambda: request.param)
        monkeypatch.setattr(dialects, "_load", lambda text: captured)
    return read(tmp_path)


def test_installed_dialect_is_the_one_this_environment_promises():
    expected = os.environ.get("PULLPATH_HCL2_DIALECT", "bc")
    assert dialects.dialect() == expected


def test_registry_values_and_attribute_syntax_rule_set(resources):
    registry = resources[ACR]
    assert registry.values["name"] == "contosoprod"
    assert registry.values["sku"] == "Premium"
    assert registry.values["public_network_access_enabled"] is False
    assert registry.values["tags"] == {"team": "web", "cost-center": "42", "caf\u00e9": 'owner "ops"'}
    [rule_set] = registry.values["network_rule_set"]
    assert rule_set["default_action"] == "Deny"
    assert [rule["ip_range"] for rule in rule_set["ip_rule"]] == ["203.0.113.0/24", "198.51.100.0/24"]
    assert registry.location.line == 30


def test_group_blocks_strings_and_dynamic_blocks(resources):
    group = resources["azurerm_container_group.app"]
    [container] = group.values["container"]
    assert container["image"] is UNKNOWN
    assert group.refs[("container", 0, "image")] == (ACR,)
    assert container["memory"] == 1.5
    env = container["environment_variables"]
    assert env["GREETING"] == 'say "hi" to prod'
    assert env["ESCAPED"] == "${not_interpolated} %{not_a_directive}"
    assert env["SCRIPT"].strip() == "echo prod"
    assert env["UPPER"] == "203.0.113.0/24,198.51.100.0/24"
    assert env["COUNT"] == "2"
    assert [init["image"] for init in group.values["init_container"]] == [
        "contosoprod.azurecr.io/migrate:1",
        "contosoprod.azurecr.io/seed:1",
    ]
    assert group.location.file == "main.tf" and group.location.line == 42


def test_string_escapes_are_decoded_once_whichever_parser_ran(resources):
    r"""python-hcl2 7 decodes some escapes itself (not \u, and ``\\n`` twice): each dialect's
    strings must reach the same characters, an escaped backslash staying a backslash."""
    env = resources["azurerm_container_group.app"].values["container"][0]["environment_variables"]
    assert env["UNICODE"] == "caf\u00e9 \U0001f680\tshipped"
    assert env["WINDOWS"] == "C:\\new\\u00e9\\"


def test_captured_upstream_output_is_what_that_parser_writes():
    """The replayed captures stay honest: in an upstream lane, the real parser's output equals its capture."""
    kind = dialects.dialect()
    if kind == "bc":
        pytest.skip("bc-python-hcl2 has no capture; its output is read for real by every test here")
    captured = json.loads((DATA / f"{kind}.json").read_text(encoding="utf-8"))
    assert dialects._load((DATA / "main.tf").read_text(encoding="utf-8")) == captured


def test_joined_list_of_strings_in_a_function_argument(resources):
    """bc-python-hcl2 writes the tuple as a Python list; python-hcl2 7 drops its quotes (unknown)."""
    joined = resources["azurerm_container_group.app"].values["container"][0]["environment_variables"][
        "JOINED"
    ]
    assert joined in ("a,b,prod", UNKNOWN)
