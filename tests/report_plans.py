"""Plans for the output-format tests: every verdict at once, and clear-text secrets in the values.

``mixed_plan`` gives one pull path per verdict, with a module instance key holding a space and
quotes, a workload in a subnet, a registry the plan defines and one it only names:

    FAIL    PP101  module.aci["North Europe"].azurerm_container_group.this  password pull, closed registry
    PASS    PP102  azurerm_container_group.worker                          identity pull, trusted services
    WARN    PP201  azurerm_linux_web_app.api                               firewalled, outbound unknown
    UNKNOWN PP201  azurerm_linux_web_app.web                               registry not in the plan
"""

from __future__ import annotations

from pathlib import Path

from msgspec.structs import replace

import azure_values as azure
from layers import without_layers
from planbuilder import PlanBuilder
from pullpath.engine import Report, analyse_plan

ACR = "azurerm_container_registry.acr"
FIREWALLED = "azurerm_container_registry.fw"
GROUP = 'module.aci["North Europe"].azurerm_container_group.this'
WORKER = "azurerm_container_group.worker"
API = "azurerm_linux_web_app.api"
WEB = "azurerm_linux_web_app.web"
IDENTITY = f"{azure.SUB}/Microsoft.ManagedIdentity/userAssignedIdentities/id-pull"

EXPECTED = {
    (GROUP, "PP101", "FAIL"),
    (WORKER, "PP102", "PASS"),
    (API, "PP201", "WARN"),
    (WEB, "PP201", "UNKNOWN"),
}

#: Secrets the plan holds in clear text; no output may contain any of them.
SECRETS = (
    "Sup3r-Secret-Pa55",  # the container group's image_registry_credential password
    "Adm1n-Pa55w0rd-acr",  # the registry's admin_password
    "D0cker-Registry-T0ken-9f2c",  # DOCKER_REGISTRY_SERVER_PASSWORD app setting
    "AccountKey=c3VwZXJzZWNyZXRrZXk=",  # a storage connection string in app settings
)


def mixed_plan(directory: Path, name: str = "plan.json") -> Path:
    plan = PlanBuilder()
    acr = azure.registry(public=False, known_login=True)
    acr["admin_password"] = SECRETS[1]
    plan.resource(ACR, acr, expressions={})
    plan.resource(
        FIREWALLED,
        azure.registry(name="fwacr", default_action="Deny", ip_ranges=("203.0.113.0/24",), known_login=True),
        expressions={},
    )
    plan.resource("azurerm_subnet.aci", azure.subnet("snet-aci", known_id=True), expressions={})
    group = azure.container_group(
        image="contosoacr.azurecr.io/app:1.0",
        credential={"server": "contosoacr.azurecr.io", "username": "contosoacr", "password": SECRETS[0]},
        subnet_ids=[azure.subnet_id("snet-aci")],
        ip_address_type="Private",
    )
    plan.resource(GROUP, group, expressions={})
    worker = azure.container_group(
        image="contosoacr.azurecr.io/worker:2.1",
        credential={"server": "contosoacr.azurecr.io", "user_assigned_identity_id": IDENTITY},
        identity_ids=[IDENTITY],
    )
    plan.resource(WORKER, worker, expressions={})
    plan.resource(
        API,
        azure.linux_web_app(image_name="fwacr.azurecr.io/api:3"),
        unknown=["outbound_ip_address_list", "possible_outbound_ip_address_list"],
        expressions={},
    )
    settings = {
        "DOCKER_REGISTRY_SERVER_URL": "https://sharedacr.azurecr.io",
        "DOCKER_REGISTRY_SERVER_USERNAME": "sharedacr",
        "DOCKER_REGISTRY_SERVER_PASSWORD": SECRETS[2],
        "STORAGE": f"DefaultEndpointsProtocol=https;AccountName=stapp;{SECRETS[3]}",
    }
    plan.resource(
        WEB,
        azure.linux_web_app(image_name="sharedacr.azurecr.io/web:1", app_settings=settings),
        expressions={},
    )
    # The worker's identity is created here and granted pull; the apps pull with their
    # system-assigned identities, granted as their owners would.
    plan.resource(
        "azurerm_user_assigned_identity.pull",
        {"name": "id-pull", "location": "westeurope", "resource_group_name": "rg-app", "id": IDENTITY},
        unknown=["principal_id", "client_id", "tenant_id"],
        expressions={},
    )
    azure.grant_pull(plan, "azurerm_user_assigned_identity.pull", ACR, name="worker")
    azure.grant_pull(plan, API, FIREWALLED, name="api", attribute="identity[0].principal_id")
    subscription = "/subscriptions/00000000-0000-0000-0000-000000000000"
    plan.resource(
        "azurerm_role_assignment.web",
        {**azure.role_assignment(), "scope": subscription},
        unknown=[u for u in azure.ROLE_ASSIGNMENT_UNKNOWN if u != "scope"],
        expressions={
            "role_definition_name": {"constant_value": "AcrPull"},
            "scope": {"constant_value": subscription},
            "principal_id": {"references": [f"{WEB}.identity[0].principal_id", WEB]},
        },
    )
    return plan.write(directory, name)


def mixed_report(directory: Path) -> Report:
    """The mixed plan's route verdicts: renderers are tested on them, the credential layer elsewhere."""
    report = analyse_plan(str(mixed_plan(directory)))
    return replace(report, findings=tuple(without_layers(report.findings)))


def verdicts(report: Report) -> set[tuple[str, str, str]]:
    return {(f.workload.address, f.rule, report.shown(f)) for f in without_layers(report.findings)}
