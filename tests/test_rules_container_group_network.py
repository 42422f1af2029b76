"""PP106/PP107 over container-group plans: private registry hosts and identity pulls in Azure Government."""

from __future__ import annotations

from typing import Any

import pytest

import azure_values as azure
from layers import without_layers
from planbuilder import PlanBuilder, const, ref
from pullpath.engine import analyse_plan
from pullpath.report import render

ACR = "azurerm_container_registry.acr"
CG = "azurerm_container_group.app"
LOGIN = f"{ACR}.login_server"
SECRET = "fixture-only-registry-password-9Kd"


def report(tmp_path, plan: PlanBuilder):
    return analyse_plan(str(plan.write(tmp_path)))


def verdicts(tmp_path, plan: PlanBuilder) -> set[tuple[str, str, str]]:
    return {
        (f.workload.address, f.rule, f.verdict.name) for f in without_layers(report(tmp_path, plan).findings)
    }


def vnet_group(
    plan: PlanBuilder, image: str, in_vnet: bool = True, init_image: str | None = None
) -> PlanBuilder:
    """A group pulling a literal image with a password for its host, the way a self-hosted registry is used."""
    host = image.split("/", 1)[0]
    values = azure.container_group(
        image=image,
        init_image=init_image,
        credential={"server": host, "username": "puller", "password": SECRET},
        subnet_ids=[azure.subnet_id("aci")] if in_vnet else None,
        ip_address_type="Private" if in_vnet else "Public",
    )
    expressions: dict[str, Any] = {
        "container": [{"image": const(image)}],
        "image_registry_credential": [
            {"server": const(host), "username": const("puller"), "password": ref("var.registry_password")}
        ],
    }
    if init_image:
        expressions["init_container"] = [{"image": const(init_image)}]
    if in_vnet:
        expressions["subnet_ids"] = const([azure.subnet_id("aci")])
    return plan.resource(CG, values, unknown=["id", "ip_address", "fqdn"], expressions=expressions)


@pytest.mark.parametrize(
    "image",
    [
        "10.20.3.4:5000/orders:1.4",
        "192.168.10.5/team/app:2",
        "[fd00::10]:5000/app:1",
        "myregistry:5000/app:1",
        "localhost:5000/app:1",
        "harbor.internal/team/app:2",
        "registry.svc.cluster.local:5000/app:1",
        "nexus.corp/app:3",
        "registry.home.arpa/app:1",
        "contosoacr.privatelink.azurecr.io/app:1",
    ],
)
def test_vnet_group_pulling_from_a_host_without_public_address_fails(tmp_path, image):
    findings = without_layers(report(tmp_path, vnet_group(PlanBuilder(), image)).findings)
    assert {(f.workload.address, f.rule, f.verdict.name) for f in findings} == {(CG, "PP106", "FAIL")}
    [finding] = findings
    assert finding.registry == image.split("/", 1)[0]
    assert finding.image is not None and finding.image.attribute == "container[0].image"


@pytest.mark.parametrize(
    "image",
    [
        "nginx:1.27",
        "registry/app:1",  # a Docker Hub namespace, not a host
        "docker.io/library/nginx:1.27",
        "mcr.microsoft.com/azuredocs/aci-helloworld:latest",
        "ghcr.io/contoso/app:1",
        "registry.contoso.com/app:1",  # may resolve to a public address: not judged
        "52.174.0.10:5000/app:1",
    ],
)
def test_vnet_group_pulling_a_public_non_acr_image_gets_no_finding(tmp_path, image):
    assert verdicts(tmp_path, vnet_group(PlanBuilder(), image)) == set()


def test_group_outside_a_vnet_may_pull_from_a_private_host(tmp_path):
    """The unsupported case is the VNet one; a public group's pull of 10.x simply has no route (not PP106)."""
    assert verdicts(tmp_path, vnet_group(PlanBuilder(), "10.20.3.4:5000/app:1", in_vnet=False)) == set()


def test_private_init_container_fails_beside_a_public_main_image(tmp_path):
    plan = vnet_group(
        PlanBuilder(), "mcr.microsoft.com/dotnet/aspnet:8.0", init_image="10.1.2.3:5000/migrate:7"
    )
    [finding] = without_layers(report(tmp_path, plan).findings)
    assert finding.image is not None
    assert (finding.rule, finding.verdict.name, finding.image.attribute, finding.registry) == (
        "PP106",
        "FAIL",
        "init_container[0].image",
        "10.1.2.3:5000",
    )


def test_no_output_echoes_the_registry_password(tmp_path):
    result = report(tmp_path, vnet_group(PlanBuilder(), "10.20.3.4:5000/orders:1.4"))
    for fmt in ("table", "json"):
        assert SECRET not in render(result, fmt)


def identity_group(plan: PlanBuilder, location: str | None, in_vnet: bool = True) -> PlanBuilder:
    values = azure.container_group(
        credential={"server": None, "user_assigned_identity_id": None},
        ip_address_type="Private" if in_vnet else "Public",
    )
    unknown = [
        "container.0.image",
        "image_registry_credential.0.server",
        "image_registry_credential.0.user_assigned_identity_id",
        "identity.0.identity_ids",
    ]
    if location is None:
        del values["location"]
        unknown.append("location")
    else:
        values["location"] = location
    expressions: dict = {
        "container": [{"image": ref(LOGIN, ACR)}],
        "image_registry_credential": [
            {
                "server": ref(LOGIN, ACR),
                "user_assigned_identity_id": ref(
                    "azurerm_user_assigned_identity.pull.id", "azurerm_user_assigned_identity.pull"
                ),
            }
        ],
        "location": ref("azurerm_resource_group.main.location", "azurerm_resource_group.main"),
    }
    if in_vnet:
        unknown.append("subnet_ids")
        expressions["subnet_ids"] = ref("azurerm_subnet.aci.id", "azurerm_subnet.aci")
    return plan.resource(CG, values, unknown=unknown, expressions=expressions)


def closed_registry_with_endpoint() -> PlanBuilder:
    plan = PlanBuilder().resource(
        ACR, azure.registry(public=False), unknown=azure.REGISTRY_UNKNOWN, expressions={}
    )
    for name in ("aci", "endpoints"):
        plan.resource(f"azurerm_subnet.{name}", azure.subnet(name), unknown=["id"], expressions={})
    return azure.add_registry_endpoint(plan)


@pytest.mark.parametrize("location", ["usgovvirginia", "US Gov Virginia", "USGov Arizona", "usdodeast"])
def test_vnet_identity_pull_in_azure_government_fails(tmp_path, location):
    plan = identity_group(closed_registry_with_endpoint(), location)
    assert verdicts(tmp_path, plan) == {(CG, "PP103", "PASS"), (CG, "PP107", "FAIL")}


def test_identity_pull_outside_a_vnet_in_azure_government_is_not_pp107(tmp_path):
    plan = identity_group(closed_registry_with_endpoint(), "usgovvirginia", in_vnet=False)
    assert verdicts(tmp_path, plan) == {(CG, "PP102", "PASS")}


def test_vnet_identity_pull_in_a_commercial_region_is_not_pp107(tmp_path):
    plan = identity_group(closed_registry_with_endpoint(), "eastus")
    assert verdicts(tmp_path, plan) == {(CG, "PP103", "PASS")}


def test_vnet_password_pull_in_azure_government_is_not_pp107(tmp_path):
    plan = PlanBuilder().resource(ACR, azure.registry(), unknown=azure.REGISTRY_UNKNOWN, expressions={})
    values = azure.container_group(credential={"server": None}, subnet_ids=[azure.subnet_id("aci")])
    values["location"] = "usgovtexas"
    plan.resource(
        CG,
        values,
        unknown=[
            "container.0.image",
            "image_registry_credential.0.server",
            "image_registry_credential.0.password",
        ],
        expressions={
            "container": [{"image": ref(LOGIN, ACR)}],
            "image_registry_credential": [
                {
                    "server": ref(LOGIN, ACR),
                    "username": ref(f"{ACR}.admin_username", ACR),
                    "password": ref(f"{ACR}.admin_password", ACR),
                }
            ],
            "subnet_ids": const([azure.subnet_id("aci")]),
        },
    )
    assert verdicts(tmp_path, plan) == {(CG, "PP101", "PASS")}


def test_unknown_location_of_a_vnet_identity_pull_is_unknown(tmp_path):
    plan = identity_group(closed_registry_with_endpoint(), None)
    assert verdicts(tmp_path, plan) == {(CG, "PP103", "PASS"), (CG, "PP107", "UNKNOWN")}
