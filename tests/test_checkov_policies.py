"""``policies/`` registers exactly one checkov check per pullpath rule, and holds no logic of its own."""

from __future__ import annotations

import ast
import importlib.util
import re

from checkov_harness import POLICIES
from pullpath.rules import ALL_RULES


def load_checks():
    """Import every policy file the way ``--external-checks-dir`` does: by file, as a top-level module."""
    checks = []
    for path in sorted(POLICIES.glob("*.py")):
        if path.name.startswith("__"):
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        checks.extend(module.checks)
    return checks


def test_every_rule_is_one_check_with_its_severity_and_doc():
    checks = load_checks()
    assert sorted(check.id for check in checks) == sorted(ALL_RULES)
    for check in checks:
        rule = ALL_RULES[check.id]
        assert check.name == rule.title
        assert check.severity is not None and check.severity.name == rule.severity
        assert check.guideline == rule.help_uri
        assert check.supported_resources


def test_checks_cover_the_workloads_their_rules_judge():
    types = {check.id: set(check.supported_resources) for check in load_checks()}
    assert "azurerm_container_group" in types["PP101"] and "azurerm_linux_web_app" not in types["PP101"]
    assert {"azurerm_container_group", "azurerm_linux_web_app", "azurerm_container_app"} <= types["PP105"]
    assert "azurerm_windows_web_app_slot" in types["PP202"]
    assert types["PP204"] >= {"azurerm_linux_function_app"} and "azurerm_linux_web_app" not in types["PP204"]
    assert types["PP301"] == {
        "azurerm_container_app",
        "azurerm_container_app_job",
        "azapi_resource",
        "azapi_update_resource",
    }
    assert {"azurerm_linux_web_app", "azurerm_container_group", "azurerm_container_app_job"} <= types["PP902"]
    assert types["PP903"] == {"azurerm_machine_learning_workspace", "azapi_resource", "azapi_update_resource"}
    assert types["PP901"] == {"azurerm_container_registry", "azapi_resource", "azapi_update_resource"}
    for azurerm_only in ("PP203", "PP204"):  # provider versions and azurerm function app types
        assert "azapi_resource" not in types[azurerm_only]


def test_policy_files_are_prefixed_and_hold_only_imports_and_one_registration():
    for path in sorted(POLICIES.glob("*.py")):
        if path.name == "__init__.py":
            assert path.read_text(encoding="utf-8").strip() == ""
            continue
        assert path.name.startswith("pullpath_"), f"{path.name} could shadow another module on sys.path"
        body = ast.parse(path.read_text(encoding="utf-8")).body
        statements = [node for node in body if not isinstance(node, ast.Import | ast.ImportFrom)]
        docstring, registration = statements
        assert isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)
        assert isinstance(registration, ast.Assign) and [ast.unparse(t) for t in registration.targets] == [
            "checks"
        ]


def test_the_docs_check_list_for_checkov_names_every_rule():
    page = (POLICIES.parent / "docs" / "checkov.md").read_text(encoding="utf-8")
    (listed,) = re.findall(r"--check (PP\d{3}(?:,PP\d{3})*)", page)
    assert listed.split(",") == sorted(ALL_RULES)
