"""The azurerm version from .terraform.lock.hcl tailors the App Service routing remediation.

`vnet_image_pull_enabled` exists on Linux web apps only from azurerm 4.36: advice must name what the
user's provider offers, and name both ways when no lock file tells the version.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from layers import without_layers
from pullpath.engine import analyse_directory, analyse_plan, analyse_plan_with_sources
from pullpath.provider_version import azurerm_version_in, locked_azurerm_version
from scenarios import GALLERY

SCENARIO = GALLERY / "webapp-vnet-no-pull-routing-fail"

LOCK = """# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/azuread" {{
  version = "2.53.1"
  hashes = [
    "h1:3Tq0Z0kRdA5Yb0MGBtwG6vNv8DXIfN6uX0RE/cRZaI0=",
  ]
}}

provider "registry.terraform.io/hashicorp/azurerm" {{
  version     = "{version}"
  constraints = ">= 3.0.0, < 5.0.0"
  hashes = [
    "h1:Cj6VzG/GvADb9wQCLmRNGvY7JZrSiMqYBlz4wXbmcOM=",
    "zh:0a5e1a0e6fe0f6cd3e4ab4a3a4b0a2b3c3e2e1f0d9c8b7a6f5e4d3c2b1a09f8e",
  ]
}}
"""


@pytest.mark.parametrize(
    ("version", "expected"),
    [("4.36.0", (4, 36, 0)), ("3.116.0", (3, 116, 0)), ("4.52.0-beta1", (4, 52, 0))],
)
def test_lock_file_version(version, expected):
    assert azurerm_version_in(LOCK.format(version=version)) == expected


def test_no_lock_file_or_no_azurerm_is_none(tmp_path):
    assert locked_azurerm_version(str(tmp_path)) is None
    (tmp_path / ".terraform.lock.hcl").write_text(
        'provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.0.0"\n}\n'
    )
    assert locked_azurerm_version(str(tmp_path)) is None


def remediation(root: Path) -> str:
    [finding] = without_layers(analyse_directory(str(root)).findings)
    assert (finding.rule, finding.verdict.name) == ("PP202", "FAIL")
    return finding.remediation


def copy(tmp_path: Path, version: str | None) -> Path:
    root = tmp_path / "src"
    shutil.copytree(SCENARIO, root)
    if version:
        (root / ".terraform.lock.hcl").write_text(LOCK.format(version=version), encoding="utf-8")
    return root


def test_provider_with_the_property_is_told_to_set_it(tmp_path):
    text = remediation(copy(tmp_path, "4.41.0"))
    assert "vnet_image_pull_enabled = true (azurerm 4.41.0" in text
    assert "WEBSITE_PULL_IMAGE_OVER_VNET" not in text


def test_older_provider_is_told_to_use_the_app_setting(tmp_path):
    text = remediation(copy(tmp_path, "4.20.0"))
    assert 'WEBSITE_PULL_IMAGE_OVER_VNET = "true" (azurerm 4.20.0 has no vnet_image_pull_enabled' in text


def test_without_a_lock_file_the_version_constraint_narrows_it(tmp_path):
    root = copy(tmp_path, None)  # required_providers: azurerm "~> 3.116", so below 4.0
    text = remediation(root)
    assert (
        'WEBSITE_PULL_IMAGE_OVER_VNET = "true" (azurerm >= 3.116.0, < 4.0.0 has no vnet_image_pull_enabled'
        in text
    )
    main = root / "main.tf"
    main.write_text(main.read_text(encoding="utf-8").replace('"~> 3.116"', '"~> 4.41"'), encoding="utf-8")
    assert "vnet_image_pull_enabled = true (azurerm >= 4.41.0, < 5.0.0 has it" in remediation(root)


def test_without_a_lock_file_or_a_constraint_both_ways_are_named(tmp_path):
    root = copy(tmp_path, None)
    main = root / "main.tf"
    main.write_text(main.read_text(encoding="utf-8").replace('version = "~> 3.116"', ""), encoding="utf-8")
    text = remediation(root)
    assert "vnet_image_pull_enabled = true with azurerm 4.36.0 or later" in text
    assert "WEBSITE_PULL_IMAGE_OVER_VNET" in text


def test_plan_reads_the_version_from_its_source_dir(tmp_path):
    root = copy(tmp_path, "4.41.0")
    [alone] = without_layers(analyse_plan(str(root / "plan.json")).findings)
    [enriched] = without_layers(analyse_plan_with_sources(str(root / "plan.json"), str(root)).findings)
    assert "WEBSITE_PULL_IMAGE_OVER_VNET" in alone.remediation
    assert "WEBSITE_PULL_IMAGE_OVER_VNET" not in enriched.remediation
    assert enriched.workload.location is not None
    assert enriched.workload.location.file == "main.tf"
