"""Azure Verified Modules examples (../shared/real-tf) read without error, and a pull is judged.

Each example calls its module as ``source = "../.."``: the module folder is the boundary, as a
checkout would be. They are data kept beside the project; on a clone without ../shared these
tests skip.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pullpath.cli import run

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-tf"
EXAMPLES = sorted(path for path in REAL.glob("*/examples/*") if path.is_dir())

pytestmark = pytest.mark.skipif(not EXAMPLES, reason=f"no real sources at {REAL} (a clone without ../shared)")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: f"{path.parts[-3]}/{path.name}")
def test_every_example_reads_without_error(example, capsys):
    code = run(["scan", str(example), "--boundary", str(example.parents[1]), "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert "internal error" not in err and "not valid HCL" not in err
    json.loads(out)


def test_the_container_app_pulling_from_a_private_registry_is_judged(capsys):
    example = REAL / "avm-res-app-containerapp" / "examples" / "acr"
    code = run(["scan", str(example), "--boundary", str(example.parents[1]), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    judged = [f for f in findings if f["workload"] == "module.container_apps.azapi_resource.container_app"]
    assert code in (0, 1) and judged
    assert {f["registry"] for f in judged} == {"azurerm_container_registry.acr"}


@pytest.mark.parametrize("name", ["default", "private"])
def test_the_avm_aks_examples_read_their_cluster_and_node_pools(name):
    from pullpath.engine import analyse_directory

    example = REAL / "avm-res-containerservice-managedcluster" / "examples" / name
    report = analyse_directory(str(example), boundary=str(example.parents[1]))
    [cluster] = [w for model in report.models for w in model.workloads]
    assert cluster.address == f"module.{name}.azapi_resource.this" and cluster.cluster is not None
    assert report.findings == ()  # no registry: nothing pulls from ACR
    if name == "private":
        subnets = {target for pool in cluster.cluster.node_pools for target in pool.subnet.targets}
        assert {"azurerm_subnet.subnet", "azurerm_subnet.unp1_subnet"} <= subnets
        assert cluster.identities.user.targets == ("azurerm_user_assigned_identity.identity",)
