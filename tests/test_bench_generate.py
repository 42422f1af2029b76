"""The benchmark's plan generator: its knobs make the shapes they say, and pullpath reads them whole.

Functional checks only; performance is measured by ``make bench``, never here.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from pullpath.readers.plan import read_plan

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate

LAYERS = {
    "azurerm_private_dns_zone",
    "azurerm_private_dns_zone_virtual_network_link",
    "azurerm_private_dns_a_record",
    "azurerm_virtual_network_peering",
    "azurerm_role_assignment",
    "azurerm_user_assigned_identity",
}


def _write(tmp_path: Path, document: dict) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _addresses(document: dict) -> list[str]:
    return [change["address"] for change in document["resource_changes"]]


@pytest.mark.parametrize("share", [0.0, 0.3, 0.9])
def test_module_share_is_the_share_of_resources_in_module_instances(share):
    addresses = _addresses(generate.plan(4_000, module_share=share))
    in_modules = sum(address.startswith("module.") for address in addresses) / len(addresses)
    assert abs(in_modules - share) < 0.02
    assert abs(len(addresses) - 4_000) < generate.UNIT


def test_per_call_instances_and_depth_shape_the_module_addresses():
    addresses = _addresses(generate.plan(4_000, module_share=0.5, per_call=25, depth=3))
    groups = [address for address in addresses if address.endswith("azurerm_container_group.cg")]
    assert all(".module.layer1.module.layer2.azurerm_container_group.cg" in address for address in groups)
    calls = Counter(address.split("[")[0] for address in groups)
    assert set(calls.values()) <= {25} | {len(groups) % 25}
    assert len(calls) == -(-len(groups) // 25)


def test_every_layer_is_in_the_plan_and_azapi_bodies_are_objects():
    document = generate.plan(2_000)
    types = Counter(change["type"] for change in document["resource_changes"])
    assert LAYERS <= set(types)
    apps = [
        change["change"]["after"]
        for change in document["resource_changes"]
        if change["type"] == "azapi_resource"
        and change["change"]["after"]["type"].startswith("Microsoft.App/containerApps")
    ]
    assert apps and all(isinstance(app["body"], dict) for app in apps)


def test_pullpath_traces_every_module_workload_through_each_level_to_the_hub_registry(tmp_path):
    document = generate.plan(2_000, module_share=0.5, per_call=10, depth=3)
    resources = read_plan(str(_write(tmp_path, document)))
    images = {
        ("container", 0, "image"),
        ("site_config", 0, "application_stack", 0, "docker_registry_url"),
        ("body",),
    }
    workloads = [r for r in resources if r.address.startswith("module.") and set(r.refs) & images]
    assert len(workloads) == 3 * len({r.address.rsplit(".", 2)[0] for r in workloads})
    for workload in workloads:
        [path] = set(workload.refs) & images
        assert "azurerm_container_registry.platform" in workload.refs[path], workload.address


def test_root_units_reach_their_own_subnet_and_the_registry_they_share(tmp_path):
    resources = {r.address: r for r in read_plan(str(_write(tmp_path, generate.plan(500, module_share=0))))}
    group = resources["azurerm_container_group.cg5"]
    assert group.refs[("subnet_ids",)] == ("azurerm_subnet.snet5",)
    assert group.refs[("container", 0, "image")] == ("azurerm_container_registry.acr4",)
