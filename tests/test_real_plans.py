"""Real plans from public projects (../shared/real-plans) read cleanly and never FAIL, but where a
FAIL was checked by hand against the plan and is listed here.

They are data kept beside the project, not in it; on a clone without ../shared these tests skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pullpath.engine import analyse_plan
from pullpath.model import Verdict
from pullpath.readers.plan import read_plan

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-plans"
PLANS = sorted(REAL.glob("*.json")) if REAL.is_dir() else []

pytestmark = pytest.mark.skipif(not PLANS, reason=f"no real plans at {REAL} (a clone without ../shared)")


#: FAILs checked by hand: (plan, workload, rule). P14 grants AcrPull to the user-assigned identity in the
#: cluster's identity_ids (its control plane) and has no kubelet_identity block, so the kubelet identity
#: AKS creates holds no pull role.
CHECKED_FAILS = {("P14", "azurerm_kubernetes_cluster.aks", "PP402")}


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name[:3])
def test_real_plan_reads_without_error_and_has_no_fail(path):
    report = analyse_plan(str(path))
    fails = {
        (path.name[:3], f.workload.address, f.rule) for f in report.findings if f.verdict is Verdict.FAIL
    }
    assert fails <= CHECKED_FAILS


def test_aks_with_the_pull_role_on_its_control_plane_identity_fails_naming_the_kubelet():
    report = analyse_plan(str(REAL / "P14-azurerm-acr-basic-aks.json"))
    found = {(f.rule, f.verdict, f.image.attribute if f.image else None) for f in report.findings}
    assert found == {
        ("PP402", Verdict.FAIL, "azurerm_role_assignment.acr_pull.scope"),
        ("PP403", Verdict.PASS, "azurerm_role_assignment.acr_pull.scope"),  # Basic, public: open
    }
    [fail] = [f for f in report.findings if f.rule == "PP402"]
    assert fail.remediation == (
        "Set principal_id in azurerm_role_assignment.acr_pull to "
        "azurerm_kubernetes_cluster.aks.kubelet_identity[0].object_id."
    )


def test_aks_in_modules_granted_through_a_module_output_of_the_kubelet_object_id_passes():
    report = analyse_plan(str(REAL / "P15-azurerm-acr-in-module-aks.json"))
    found = {(f.workload.address, f.rule, f.verdict, f.registry) for f in report.findings}
    cluster, registry = (
        "module.aks_cluster.azurerm_kubernetes_cluster.aks_cluster",
        "module.container_registry.azurerm_container_registry.cr",
    )
    assert found == {(cluster, "PP401", Verdict.PASS, registry), (cluster, "PP403", Verdict.PASS, registry)}
    [grant] = [f for f in report.findings if f.rule == "PP401"]
    assert "module.role_aks_cluster.azurerm_role_assignment.role" in grant.reason


def test_utf16_plan_with_bom_is_read():
    resources = read_plan(str(REAL / "P04-aws-utf16-bom-crlf.json"))
    assert resources == []  # AWS only: read, nothing relevant, and no error


def test_windows_web_apps_in_a_large_plan_are_all_workloads():
    report = analyse_plan(str(REAL / "P17-azurerm-windows-web-apps-private-endpoints.json"))
    assert report.workloads == 11


def test_unknown_subnet_still_places_the_group_in_a_vnet():
    from pullpath.builders import build_model

    [group] = build_model(read_plan(str(REAL / "P12-azurerm-aci-private-unknown-subnet.json"))).workloads
    assert group.in_vnet is True
    assert group.subnets[0].targets == ("azurerm_subnet.sn-aci",)


def test_docker_hub_web_apps_are_workloads_without_acr_findings():
    report = analyse_plan(str(REAL / "P13-azurerm-linux-web-apps-dockerhub.json"))
    assert report.workloads == 2 and report.findings == ()
