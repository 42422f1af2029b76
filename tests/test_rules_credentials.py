"""The credential rules (PP501 to PP507) over models built directly (tests/models.py): no reader in between.

Every pull path from an Azure registry gets exactly one credential finding: the rule that decided it,
with PASS only when a credential the registry accepts is held by a principal allowed to pull.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from msgspec.structs import replace

import azure_values as azure
import models
from planbuilder import PlanBuilder
from pullpath.builders import build_model
from pullpath.engine import analyse_plan, review
from pullpath.model import (
    Credential,
    CredentialKind,
    Identities,
    Ref,
    Registry,
    Verdict,
    Workload,
    WorkloadKind,
)
from pullpath.readers.plan import read_plan
from pullpath.role_assignments import load_role_assignments
from pullpath.rules import evaluate

WEB = "azurerm_linux_web_app.web"
GROUP = "azurerm_container_group.app"
APP = "azurerm_container_app.app"


def credential_findings(*objects):
    return [f for f in evaluate(models.model(*objects)) if f.rule.startswith("PP5")]


def judged(*objects) -> list[tuple[str, str, Verdict]]:
    return [(f.workload.address, f.rule, f.verdict) for f in credential_findings(*objects)]


def group(acr: Registry, credential: Credential | None, **changes) -> Workload:
    """A container group outside any VNet pulling from ``acr`` with ``credential`` (None: no block)."""
    base = Workload(
        address=GROUP,
        type="azurerm_container_group",
        kind=WorkloadKind.CONTAINER_GROUP,
        images=(models.image_from(acr, "container[0].image"),),
        credentials=(credential,) if credential else (),
    )
    return replace(base, **changes)


def server(acr: Registry) -> Ref:
    return Ref(targets=(acr.address,), configured=True)


def identity_credential(acr: Registry, identity: str = models.PULL) -> Credential:
    pulls_with = Ref(targets=(identity,), configured=True)
    return Credential(
        server(acr), CredentialKind.IDENTITY, "image_registry_credential[0]", identity=pulls_with
    )


OPEN: dict[str, Any] = {"public_network_access": True, "default_action": "Allow"}


def test_a_granted_attached_identity_passes_and_says_which_grant():
    acr = models.registry(**OPEN)
    (finding,) = credential_findings(acr, models.identity(), models.grant(), models.app(acr))
    assert (finding.rule, finding.verdict) == ("PP503", Verdict.PASS)
    assert models.PULL in finding.reason and "azurerm_role_assignment.pull" in finding.reason
    assert finding.remediation == ""


@pytest.mark.parametrize("anonymous", [False, None, True])
def test_no_credential_fails_unless_anonymous_pull_is_on(anonymous):
    acr = models.registry(anonymous_pull=anonymous, **OPEN)
    (finding,) = credential_findings(acr, group(acr, None))
    expected = {False: Verdict.FAIL, None: Verdict.UNKNOWN, True: Verdict.PASS}[anonymous]
    assert (finding.rule, finding.verdict) == ("PP501", expected)
    if anonymous is None:
        assert "--registry-inventory" in finding.remediation


@pytest.mark.parametrize(
    ("admin", "expected"), [(True, Verdict.PASS), (False, Verdict.FAIL), (None, Verdict.UNKNOWN)]
)
def test_admin_user_credentials_need_the_admin_user_enabled(admin, expected):
    acr = models.registry(admin_enabled=admin, **OPEN)
    admin_password = Credential(
        server(acr), CredentialKind.PASSWORD, "image_registry_credential[0]", admin=True
    )
    assert judged(acr, group(acr, admin_password)) == [(GROUP, "PP501", expected)]


def test_a_service_principal_password_is_unknown_and_says_how_to_settle_it():
    """A role assignments file lists principals by object ID; a password names an app ID or a token."""
    acr = models.registry(**OPEN)
    password = Credential(server(acr), CredentialKind.PASSWORD, "image_registry_credential[0]")
    (finding,) = credential_findings(acr, group(acr, password))
    assert (finding.rule, finding.verdict) == ("PP501", Verdict.UNKNOWN)
    assert "managed identity granted AcrPull" in finding.remediation
    assert "--role-assignments" not in finding.remediation


def test_a_service_principal_password_from_a_registry_with_a_private_endpoint_fails_for_aci():
    acr = models.registry(**OPEN)
    password = Credential(server(acr), CredentialKind.PASSWORD, "image_registry_credential[0]")
    assert judged(acr, models.endpoint(acr), group(acr, password)) == [(GROUP, "PP506", Verdict.FAIL)]


def test_an_identity_named_but_not_attached_fails():
    acr = models.registry(**OPEN)
    loose = group(acr, identity_credential(acr), identities=Identities())
    found = credential_findings(acr, models.identity(), models.grant(), loose)
    assert [(f.rule, f.verdict) for f in found] == [("PP502", Verdict.FAIL)]
    assert models.PULL in found[0].remediation


def test_an_identity_attached_through_an_untold_variable_is_unknown_not_a_failure():
    acr = models.registry(**OPEN)
    untold = Identities(user=Ref(targets=("var.identity_ids",), configured=True))
    pulling = group(acr, identity_credential(acr), identities=untold)
    assert judged(acr, models.identity(), models.grant(), pulling) == [(GROUP, "PP502", Verdict.UNKNOWN)]


def test_an_identity_created_here_without_a_grant_fails():
    acr = models.registry(**OPEN)
    pulling = group(acr, identity_credential(acr), identities=models.attached(models.PULL))
    assert judged(acr, models.identity(), pulling) == [(GROUP, "PP503", Verdict.FAIL)]


def test_an_identity_read_through_a_data_source_without_a_grant_is_unknown():
    acr = models.registry(**OPEN)
    outside = "data.azurerm_user_assigned_identity.pull"
    pulling = group(acr, identity_credential(acr, outside), identities=models.attached(outside))
    (finding,) = credential_findings(acr, models.identity(outside, defined=False), pulling)
    assert (finding.rule, finding.verdict) == ("PP503", Verdict.UNKNOWN)
    assert "--role-assignments" in finding.remediation


def test_a_grant_on_another_registry_does_not_count():
    acr, other = models.registry(**OPEN), models.registry("azurerm_container_registry.other", **OPEN)
    pulling = group(acr, identity_credential(acr), identities=models.attached(models.PULL))
    found = credential_findings(acr, other, models.identity(), models.grant(scope=other.address), pulling)
    assert [(f.rule, f.verdict) for f in found] == [("PP503", Verdict.FAIL)]
    assert "grants pull elsewhere" in found[0].reason


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("AcrPull", Verdict.PASS),
        ("acrpush", Verdict.PASS),
        ("Owner", Verdict.PASS),
        (
            "/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d",
            Verdict.PASS,
        ),
        ("Reader", Verdict.PASS),  # */read: pulls from registries with RBAC registry permissions
        ("AcrDelete", Verdict.FAIL),
        ("acrquarantinereader", Verdict.FAIL),  # quarantined images only
        (
            "/providers/Microsoft.Authorization/roleDefinitions/cdda3590-29a3-44f6-95f2-9f980659eb04",
            Verdict.FAIL,
        ),
        (
            "/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-3333-4444-555555555555",
            Verdict.UNKNOWN,
        ),
        ("Storage Blob Data Reader", Verdict.FAIL),  # another service's built-in role
        ("Registry Puller", Verdict.UNKNOWN),  # a custom role's name the input does not define
        (None, Verdict.UNKNOWN),
    ],
    ids=[
        "name",
        "case",
        "owner",
        "definition-id",
        "reader",
        "no-pull",
        "no-pull-case",
        "no-pull-definition-id",
        "other-service",
        "custom-role",
        "custom-role-name",
        "unknown",
    ],
)
def test_the_role_must_hold_pull(role, expected):
    acr = models.registry(**OPEN)
    pulling = group(acr, identity_credential(acr), identities=models.attached(models.PULL))
    assert judged(acr, models.identity(), models.grant(role=role), pulling) == [(GROUP, "PP503", expected)]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (Ref("/subscriptions/0/resourceGroups/rg", configured=True), Verdict.PASS),
        (Ref("/subscriptions/0", configured=True), Verdict.PASS),
        (Ref("/subscriptions/0/resourceGroups/other", configured=True), Verdict.FAIL),
        (Ref(targets=("data.azurerm_subscription.current",), configured=True), Verdict.PASS),
        (Ref(targets=("azurerm_resource_group.app",), configured=True), Verdict.PASS),
    ],
    ids=[
        "resource-group-id",
        "subscription-id",
        "other-group",
        "subscription-data-source",
        "group-reference",
    ],
)
def test_a_scope_containing_the_registry_counts(scope, expected):
    acr = models.registry(resource_group=Ref("rg", ("azurerm_resource_group.app",), True), **OPEN)
    pulling = group(acr, identity_credential(acr), identities=models.attached(models.PULL))
    wide = replace(models.grant(), scope=scope)
    assert judged(acr, models.identity(), wide, pulling) == [(GROUP, "PP503", expected)]


def test_a_grant_to_the_client_id_fails_and_names_the_attribute_to_use():
    acr = models.registry(**OPEN)
    pulling = group(acr, identity_credential(acr), identities=models.attached(models.PULL))
    found = credential_findings(acr, models.identity(), models.grant(attribute="client_id"), pulling)
    assert [(f.rule, f.verdict) for f in found] == [("PP504", Verdict.FAIL)]
    assert f"{models.PULL}.principal_id" in found[0].remediation


def test_a_grant_matched_by_a_known_principal_id_counts():
    acr = models.registry(**OPEN)
    outside = models.identity("data.azurerm_user_assigned_identity.pull", principal_id="AB-12", defined=False)
    supplied = replace(models.grant(), principal=Ref("ab-12", configured=True), principal_attributes=())
    pulling = group(
        acr, identity_credential(acr, outside.address), identities=models.attached(outside.address)
    )
    assert judged(acr, outside, supplied, pulling) == [(GROUP, "PP503", Verdict.PASS)]


def system_pull(kind: WorkloadKind, address: str, acr: Registry) -> Workload:
    system = Credential(Ref(), CredentialKind.IDENTITY, "registry[0]", system=True)
    return Workload(
        address=address,
        type="azurerm_container_app" if kind is WorkloadKind.CONTAINER_APP else "azurerm_linux_web_app",
        kind=kind,
        images=(models.image_from(acr),),
        credentials=(system,),
        identities=Identities(system=True),
    )


@pytest.mark.parametrize(
    ("kind", "address", "expected"),
    [(WorkloadKind.CONTAINER_APP, APP, Verdict.FAIL), (WorkloadKind.APP_SERVICE, WEB, Verdict.WARN)],
)
def test_a_granted_system_identity_still_misses_the_first_pull(kind, address, expected):
    acr = models.registry(**OPEN)
    workload = system_pull(kind, address, acr)
    own_grant = models.grant(principal=address, attribute="identity.principal_id")
    (finding,) = credential_findings(acr, own_grant, workload)
    assert (finding.rule, finding.verdict) == ("PP505", expected)
    assert "user-assigned identity" in finding.remediation and "depends_on" in finding.remediation


@pytest.mark.parametrize(
    ("kind", "address"), [(WorkloadKind.CONTAINER_APP, APP), (WorkloadKind.APP_SERVICE, WEB)]
)
def test_a_workload_a_plan_keeps_has_its_system_identity_and_grant_already(kind, address):
    """No first pull waits for the grant of an app that exists: its identity and grant do too."""
    acr = models.registry(**OPEN)
    existing = replace(system_pull(kind, address, acr), created=False)
    own_grant = models.grant(principal=address, attribute="identity.principal_id")
    assert judged(acr, own_grant, existing) == [(address, "PP503", Verdict.PASS)]
    (ungranted,) = credential_findings(acr, existing)
    assert (ungranted.rule, ungranted.verdict) == ("PP503", Verdict.UNKNOWN)
    assert "exists already" in ungranted.reason and "--role-assignments" in ungranted.remediation


def test_role_assignments_settle_the_system_identity_of_a_workload_a_plan_keeps():
    """A plan shows an existing app's system identity's object ID: az role assignment list matches it."""
    acr = models.registry(**OPEN)
    existing = replace(
        system_pull(WorkloadKind.CONTAINER_APP, APP, acr),
        created=False,
        identities=Identities(system=True, system_principal_id="AB-12"),
    )
    listed = replace(models.grant(), principal=Ref("ab-12", configured=True), principal_attributes=())
    informed = {"role_assignments_file": "grants.json"}
    found = [(f.rule, f.verdict) for f in evaluate(models.model(acr, existing, listed, **informed))]
    assert ("PP503", Verdict.PASS) in found
    (unlisted,) = [f for f in evaluate(models.model(acr, existing, **informed)) if f.rule == "PP503"]
    assert unlisted.verdict is Verdict.UNKNOWN and "neither this input nor grants.json" in unlisted.reason


def test_an_identity_a_plan_keeps_may_hold_grants_made_elsewhere():
    acr = models.registry(**OPEN)
    pulling = group(acr, identity_credential(acr), identities=models.attached(models.PULL))
    new, kept = models.identity(), models.identity(created=False, principal_id="ab-12")
    assert judged(acr, new, pulling) == [(GROUP, "PP503", Verdict.FAIL)]
    assert judged(acr, kept, pulling) == [(GROUP, "PP503", Verdict.UNKNOWN)]


def test_an_ungranted_system_identity_fails_for_its_grant_first():
    acr = models.registry(**OPEN)
    assert judged(acr, system_pull(WorkloadKind.APP_SERVICE, WEB, acr)) == [(WEB, "PP503", Verdict.FAIL)]


def test_a_container_group_cannot_pull_with_its_system_identity():
    acr = models.registry(**OPEN)
    system = Credential(server(acr), CredentialKind.IDENTITY, "image_registry_credential[0]", system=True)
    assert judged(acr, group(acr, system)) == [(GROUP, "PP505", Verdict.FAIL)]


@pytest.mark.parametrize(("accepted", "expected"), [(False, "PP507"), (True, "PP503"), (None, "PP503")])
def test_a_registry_refusing_arm_audience_tokens_fails_app_service_identity_pulls(accepted, expected):
    acr = models.registry(arm_audience_tokens=accepted, **OPEN)
    (finding,) = credential_findings(acr, models.identity(), models.grant(), models.app(acr))
    assert finding.rule == expected
    assert finding.verdict is (Verdict.FAIL if expected == "PP507" else Verdict.PASS)


def test_container_groups_are_not_refused_for_the_arm_audience():
    acr = models.registry(arm_audience_tokens=False, **OPEN)
    pulling = group(acr, identity_credential(acr), identities=models.attached(models.PULL))
    assert judged(acr, models.identity(), models.grant(), pulling) == [(GROUP, "PP503", Verdict.PASS)]


def test_every_pull_path_gets_exactly_one_credential_finding():
    acr, other = models.registry(**OPEN), models.registry("azurerm_container_registry.other", **OPEN)
    second = models.image_from(other, "site_config[0].linux_fx_version")
    web = models.app(acr, images=(models.image_from(acr), second))
    found = credential_findings(acr, other, models.identity(), models.grant(), web)
    assert sorted((f.registry, f.rule, f.verdict) for f in found) == [
        (acr.address, "PP503", Verdict.PASS),
        (other.address, "PP503", Verdict.FAIL),
    ]


def test_a_grant_of_an_untold_role_on_another_registry_is_not_a_reason_for_unknown():
    acr, other = models.registry(**OPEN), models.registry("azurerm_container_registry.other", **OPEN)
    pulling = group(acr, identity_credential(acr), identities=models.attached(models.PULL))
    untold = models.grant(scope=other.address, role=None)
    assert judged(acr, other, models.identity(), untold, pulling) == [(GROUP, "PP503", Verdict.FAIL)]


@pytest.mark.parametrize(
    ("scope", "defined", "expected"),
    [
        ("/providers/Microsoft.Management/managementGroups/mg-platform", True, Verdict.PASS),
        ("/providers/Microsoft.Management/managementGroups/mg-platform", False, Verdict.UNKNOWN),
        ("/", False, Verdict.PASS),
        ("/subscriptions/0/resourceGroups/rg-other", False, Verdict.UNKNOWN),  # file had none
    ],
    ids=["management-group", "management-group-registry-elsewhere", "root", "other-group"],
)
def test_scopes_above_a_registry_whose_id_is_known(scope, defined, expected):
    """A registry with a known ID (a data source's, or one that exists) under a management group: the
    hierarchy above its subscription is not in view, so only a registry this input defines counts."""
    acr = models.registry(defined=defined, **OPEN)
    outside = models.identity("data.azurerm_user_assigned_identity.pull", principal_id="AB-12", defined=False)
    supplied = replace(
        models.grant(), scope=Ref(scope, configured=True), principal=Ref("ab-12", configured=True)
    )
    pulling = group(
        acr, identity_credential(acr, outside.address), identities=models.attached(outside.address)
    )
    found = evaluate(models.model(acr, outside, supplied, pulling, role_assignments_file="ra.json"))
    assert [(f.rule, f.verdict) for f in found if f.rule.startswith("PP5")] == [("PP503", expected)]


def test_a_custom_role_covering_the_registry_is_unknown_and_says_why():
    acr = models.registry(**OPEN)
    pulling = group(acr, identity_credential(acr), identities=models.attached(models.PULL))
    custom = models.grant(
        role="/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-3333-4444-555555555555"
    )
    (finding,) = credential_findings(acr, models.identity(), custom, pulling)
    assert (finding.rule, finding.verdict) == ("PP503", Verdict.UNKNOWN)
    assert "not a built-in role" in finding.reason and "known only after apply" not in finding.reason


def test_a_grant_that_does_not_say_which_attribute_of_the_identity_it_names_is_unknown():
    """A plan's references stop at a dynamic index: ``pull[each.key].client_id`` lists only ``pull``."""
    acr = models.registry(**OPEN)
    pulling = group(acr, identity_credential(acr), identities=models.attached(models.PULL))
    unnamed = replace(models.grant(), principal_attributes=())
    (finding,) = credential_findings(acr, models.identity(), unnamed, pulling)
    assert (finding.rule, finding.verdict) == ("PP503", Verdict.UNKNOWN)
    assert "client_id" in finding.reason and "--source-dir" in finding.remediation


@pytest.mark.parametrize(
    ("principal_id", "said"),
    [(None, "matched by principal ID"), ("ab-12", "neither this input nor ra.json")],
    ids=["principal-id-untold", "principal-id-known"],
)
def test_an_outside_identity_the_role_assignments_file_does_not_grant_stays_unknown(principal_id, said):
    acr = models.registry(**OPEN)
    outside = models.identity(
        "data.azurerm_user_assigned_identity.pull", principal_id=principal_id, defined=False
    )
    pulling = group(
        acr, identity_credential(acr, outside.address), identities=models.attached(outside.address)
    )
    found = evaluate(models.model(acr, outside, pulling, role_assignments_file="ra.json"))
    (finding,) = [f for f in found if f.rule.startswith("PP5")]
    assert (finding.rule, finding.verdict) == ("PP503", Verdict.UNKNOWN)
    assert said in finding.reason
    assert "Pass its grants with --role-assignments" not in finding.remediation


@pytest.mark.parametrize(
    ("actions", "created"), [(["no-op"], False), (["update"], False), (["create"], True)]
)
def test_a_plan_tells_an_existing_apps_system_identity_from_a_new_ones(tmp_path, actions, created):
    """A kept app shows its identity's principal_id; a created one has it known only after apply."""
    values = azure.linux_web_app()
    values["identity"][0]["principal_id"] = "ab-12" if not created else None
    plan = PlanBuilder().resource(
        "azurerm_linux_web_app.web",
        values,
        unknown=["identity.0.principal_id"] if created else [],
        actions=actions,
    )
    (web,) = build_model(read_plan(str(plan.write(tmp_path)))).workloads
    assert web.created is created
    assert web.identities.system_principal_id == (None if created else "ab-12")


def test_the_role_assignments_file_settles_the_system_identity_of_an_app_a_plan_keeps(tmp_path):
    """End to end: the plan shows the kept app's principal_id, and its listed grant joins the model."""
    acr = azure.registry(known_login=True)
    app = azure.linux_web_app(registry_url="https://contosoacr.azurecr.io")
    app["identity"][0]["principal_id"] = "ab-12"
    plan = (
        PlanBuilder()
        .resource("azurerm_container_registry.acr", acr, actions=["no-op"])
        .resource("azurerm_linux_web_app.web", app, actions=["no-op"])
    )
    grant = {
        "principalId": "AB-12",
        "principalType": "ServicePrincipal",
        "roleDefinitionName": "AcrPull",
        "scope": acr_id(acr),
        "name": "0f8e2d4c-6b1a-4c3e-9d57-8a2b4c6d8e10",
    }
    listed = tmp_path / "grants.json"
    listed.write_text(json.dumps([grant]), encoding="utf-8")
    report = analyse_plan(str(plan.write(tmp_path)))
    judged_before = {(f.rule, f.verdict) for f in report.findings if f.rule.startswith("PP5")}
    assert judged_before == {("PP503", Verdict.UNKNOWN)}
    after = review(report, role_assignments=load_role_assignments(str(listed)))
    assert {(f.rule, f.verdict) for f in after.findings if f.rule.startswith("PP5")} == {
        ("PP503", Verdict.PASS)
    }


def acr_id(values: dict[str, Any]) -> str:
    return str(values["id"])
