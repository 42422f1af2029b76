"""PP902: an attribute the azurerm version a configuration runs does not have makes terraform plan fail.

The finding replaces what the rules would say of that resource as if the attribute worked, and the
remediation (here and in PP202's routing fix) comes from the same table of versions.
"""

from __future__ import annotations

import textwrap

import pytest

import models
from layers import evaluate_without_layers as evaluate
from layers import route_only
from pullpath import azurerm_attributes as table
from pullpath import resource_types as rt
from pullpath.engine import analyse_directory
from pullpath.model import Setting
from pullpath.provider_version import azurerm_versions, constraint_range
from pullpath.readers.hcl.config import Loader
from pullpath.readers.hcl.tree import azurerm_constraint
from scenarios import GALLERY

WEB = "azurerm_linux_web_app.web"
PULL = Setting(WEB, "azurerm_linux_web_app", "vnet_image_pull_enabled")


def findings(version=None, constraint=None, *settings: Setting):
    acr = models.registry()
    model = models.model(
        acr,
        models.endpoint(acr),
        models.app(acr),
        azurerm_version=version,
        azurerm_constraint=constraint,
        settings=settings,
    )
    return {(f.workload.address, f.rule, f.verdict.name): f for f in evaluate(model)}


def test_the_spec_versions_are_in_the_table():
    assert table.since("azurerm_linux_web_app", "vnet_image_pull_enabled") == (4, 36, 0)
    assert table.since("azurerm_linux_web_app_slot", "vnet_image_pull_enabled") == (4, 36, 0)
    assert table.since("azurerm_windows_web_app", "virtual_network_image_pull_enabled") == (4, 52, 0)
    assert table.since(rt.CONTAINER_GROUP, "subnet_ids") == (3, 29, 0)
    assert table.since(rt.CONTAINER_APP_JOB, table.TYPE) == (3, 103, 0)
    for function_app in rt.FUNCTION_APPS:
        assert table.since(function_app, "vnet_image_pull_enabled") == (4, 0, 0)


def test_every_versioned_entry_cites_where_it_comes_from():
    for resource_type, entries in table.TABLE.items():
        for attribute, span in entries.items():
            if span.since or span.until:
                assert span.reference, (resource_type, attribute)
                assert "CHANGELOG" in span.reference or "guide" in span.reference or "#" in span.reference


def test_every_routing_property_pullpath_reads_is_in_the_table():
    for app_type, attribute in rt.APP_SERVICES.items():
        assert table.span(app_type, table.TYPE) is not None, app_type
        if attribute:
            assert table.since(app_type, attribute) is not None, app_type


def test_a_locked_version_without_the_attribute_fails_and_replaces_the_pull_judgement():
    found = findings((4, 30, 0), None, PULL)
    assert set(found) == {(WEB, "PP902", "FAIL")}  # not PP202 PASS: terraform plan rejects the argument
    failed = found[(WEB, "PP902", "FAIL")]
    assert "terraform plan rejects" in failed.reason and "4.36.0" in failed.reason
    assert "#29452" in failed.reason
    assert '"~> 4.36"' in failed.remediation and "WEBSITE_PULL_IMAGE_OVER_VNET" in failed.remediation


@pytest.mark.parametrize(
    ("version", "constraint"),
    [((4, 36, 0), None), ((4, 52, 0), None), (None, "~> 4.41"), (None, "~> 4.0"), (None, None)],
)
def test_a_version_that_may_have_it_is_judged_as_before(version, constraint):
    assert set(findings(version, constraint, PULL)) == {(WEB, "PP202", "PASS")}


def test_a_constraint_whose_every_version_lacks_it_fails_without_a_lock():
    failed = findings(None, "~> 3.116", PULL)[(WEB, "PP902", "FAIL")]
    assert (
        'constraint "~> 3.116" (no .terraform.lock.hcl) does not have vnet_image_pull_enabled'
        in failed.reason
    )
    assert ("provider.azurerm", "version", ">= 3.116.0, < 4.0.0") in [
        (e.address, e.attribute, e.value) for e in failed.evidence
    ]


def test_a_removed_attribute_fails_from_the_version_that_removed_it():
    group = Setting("azurerm_container_group.app", rt.CONTAINER_GROUP, "network_profile_id")
    assert ("azurerm_container_group.app", "PP902", "FAIL") in findings((4, 0, 0), None, group)
    assert not [key for key in findings((3, 117, 1), None, group) if key[1] == "PP902"]


def test_a_type_before_its_first_version_fails_and_a_beta_one_is_unknown():
    job = Setting("azurerm_container_app_job.sync", rt.CONTAINER_APP_JOB, table.TYPE)
    assert ("azurerm_container_app_job.sync", "PP902", "FAIL") in findings((3, 90, 0), None, job)
    web = Setting(WEB, "azurerm_linux_web_app", table.TYPE)
    beta = findings((2, 99, 0), None, web)
    assert set(beta) == {(WEB, "PP902", "UNKNOWN"), (WEB, "PP202", "PASS")}  # an UNKNOWN replaces nothing
    assert "ARM_THREEPOINTZERO_BETA_RESOURCES" in beta[(WEB, "PP902", "UNKNOWN")].remediation


def test_a_rejected_registry_takes_the_findings_that_rest_on_it():
    rejected = Setting(models.ACR, rt.REGISTRY, "network_rule_bypass_option")
    found = findings((2, 80, 0), None, rejected)
    assert set(found) == {(models.ACR, "PP902", "FAIL")}
    assert found[(models.ACR, "PP902", "FAIL")].workload.kind.value == "registry"


@pytest.mark.parametrize(
    ("constraint", "low", "high"),
    [
        ("~> 4.41", (4, 41, 0), (5, 0, 0)),
        ("~> 4.41.0", (4, 41, 0), (4, 42, 0)),
        (">= 3.0, < 4.0", (3, 0, 0), (4, 0, 0)),
        ("4.30.0", (4, 30, 0), (4, 30, 1)),
        ("= 4.30.0", (4, 30, 0), (4, 30, 1)),
        (">= 4.1, != 4.2.0", (4, 1, 0), None),
        ("> 4.1.0, <= 4.9.9", (4, 1, 1), (4, 9, 10)),
    ],
)
def test_version_constraints_narrow_to_a_range(constraint, low, high):
    assert constraint_range(constraint) == (low, high)


def test_a_constraint_that_is_not_terraform_syntax_narrows_nothing():
    assert constraint_range("latest") is None
    assert not azurerm_versions(None, "latest").known


def _constraint(tmp_path, text: str) -> str | None:
    (tmp_path / "main.tf").write_text(textwrap.dedent(text), encoding="utf-8")
    return azurerm_constraint(Loader().module(str(tmp_path)).required_providers)


def test_required_providers_gives_the_azurerm_constraint_in_every_form(tmp_path):
    assert (
        _constraint(tmp_path, 'terraform {\n  required_providers {\n    azurerm = "~> 3.116"\n  }\n}\n')
        == "~> 3.116"
    )
    renamed = """
    terraform {
      required_providers {
        azapi = { source = "Azure/azapi", version = "~> 2.0" }
        arm   = { source = "hashicorp/azurerm", version = ">= 4.41, < 5.0" }
      }
    }
    """
    assert _constraint(tmp_path, renamed) == ">= 4.41, < 5.0"
    assert _constraint(tmp_path, 'terraform {\n  required_version = ">= 1.5"\n}\n') is None


def test_a_scan_reads_the_constraint_without_a_lock_file(tmp_path):
    (tmp_path / "main.tf").write_text(
        textwrap.dedent(
            """
            terraform {
              required_providers {
                azurerm = { source = "hashicorp/azurerm", version = "~> 3.116" }
              }
            }

            resource "azurerm_container_app_job" "sync" {
              name                         = "caj-sync"
              location                     = "westeurope"
              resource_group_name          = "rg"
              container_app_environment_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/cae"
              replica_timeout_in_seconds   = 600

              registries {
                server   = "contosoacr.azurecr.io"
                identity = "System"
              }

              manual_trigger_config {
                parallelism              = 1
                replica_completion_count = 1
              }

              template {
                container {
                  name   = "sync"
                  image  = "contosoacr.azurecr.io/sync:1.0"
                  cpu    = 0.5
                  memory = "1Gi"
                }
              }
            }
            """
        ),
        encoding="utf-8",
    )
    report = route_only(analyse_directory(str(tmp_path)))
    (model,) = report.models
    assert model.azurerm_constraint == "~> 3.116"
    assert {s.attribute for s in model.settings} == {table.TYPE, "registries"}  # both exist in 3.116
    assert not [f for f in report.findings if f.rule == "PP902"]
    (job,) = model.workloads
    assert [c.attribute for c in job.credentials] == ["registries[0]"]  # a 3.x job's registry block


@pytest.mark.parametrize(("locked", "refused"), [("4.80.0", True), ("4.81.0", False)])
def test_a_registry_role_assignment_mode_before_azurerm_4_81_fails(tmp_path, locked, refused):
    """role_assignment_mode came in 4.81.0 (CHANGELOG-v4.md #31667): an older lock refuses the registry."""
    scenario = GALLERY / "containerapp-abac-registry-acrpull-fail"
    (tmp_path / "main.tf").write_text((scenario / "main.tf").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".terraform.lock.hcl").write_text(
        f'provider "registry.terraform.io/hashicorp/azurerm" {{\n  version     = "{locked}"\n'
        '  constraints = "~> 4.80"\n}\n',
        encoding="utf-8",
    )
    report = analyse_directory(str(tmp_path))
    found = {(f.workload.address, f.rule, f.verdict.name): f for f in report.findings}
    failed = found.get(("azurerm_container_registry.acr", "PP902", "FAIL"))
    if not refused:
        assert failed is None
        assert ("azurerm_container_app.catalog", "PP503", "FAIL") in found
        return
    assert failed is not None
    assert "role_assignment_mode" in failed.reason and "4.81.0" in failed.reason and "#31667" in failed.reason
    assert ("azurerm_container_app.catalog", "PP503", "FAIL") not in found  # it rests on the refused registry
