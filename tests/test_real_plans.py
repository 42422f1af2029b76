"""Real plans from public projects (../shared/real-plans) read cleanly and never FAIL.

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


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name[:3])
def test_real_plan_reads_without_error_and_has_no_fail(path):
    report = analyse_plan(str(path))
    assert all(finding.verdict is not Verdict.FAIL for finding in report.findings)


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
