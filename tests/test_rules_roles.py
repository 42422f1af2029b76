"""Whether a grant's role holds pull (rules/roles.py), through PP503 and PP401, over models built
directly (tests/models.py): built-in roles by name and ID, custom roles this input defines judged by
their permissions, and any other role UNKNOWN, saying which role and what settles it. A role never
makes a false FAIL.
"""

from __future__ import annotations

from typing import Any

import pytest
from msgspec.structs import replace

import models
from pullpath.model import Credential, CredentialKind, Evidence, Ref, Verdict, Workload, WorkloadKind
from pullpath.rules import evaluate

GROUP = "azurerm_container_group.app"
OPEN: dict[str, Any] = {"public_network_access": True, "default_action": "Allow"}
PULL_READ = models.PULL_READ


def pulling_group(acr) -> Workload:
    """A container group pulling from ``acr`` with the user-assigned identity models.PULL, attached."""
    return Workload(
        address=GROUP,
        type="azurerm_container_group",
        kind=WorkloadKind.CONTAINER_GROUP,
        images=(models.image_from(acr, "container[0].image"),),
        credentials=(
            Credential(
                Ref(targets=(acr.address,), configured=True),
                CredentialKind.IDENTITY,
                "image_registry_credential[0]",
                identity=Ref(targets=(models.PULL,), configured=True),
            ),
        ),
        identities=models.attached(models.PULL),
    )


def pp503(*objects):
    """The one credential finding for the container group pulling with a granted identity it attaches."""
    acr = models.registry(**OPEN)
    (finding,) = [
        f
        for f in evaluate(models.model(acr, models.identity(), pulling_group(acr), *objects))
        if f.rule.startswith("PP5")
    ]
    assert finding.rule == "PP503"
    return finding


def referenced(definition=None):
    """A grant whose role expression references ``definition`` (role_definition_resource_id), named by
    the definition's name as the builders name it."""
    definition = definition or models.role_definition()
    return (definition, models.grant(role=definition.name, definition=definition.address))


# -- custom roles this input defines --------------------------------------------------------------------


def test_pp503_a_custom_role_with_the_pull_action_passes_and_cites_its_permissions():
    finding = pp503(*referenced())
    assert finding.verdict is Verdict.PASS
    assert Evidence(models.PULLER, "permissions", PULL_READ) in finding.evidence


def test_pp503_a_custom_role_named_by_its_literal_name_is_looked_up_in_the_input():
    finding = pp503(models.role_definition(), models.grant(role="registry puller"))
    assert finding.verdict is Verdict.PASS
    assert "granted registry puller by azurerm_role_assignment.pull" in finding.reason


def test_pp503_a_custom_role_named_by_its_definition_guid_is_looked_up_in_the_input():
    guid = "0b7d2f6a-3c41-4e8f-9a25-6d1e8c4b7f30"
    definition = models.role_definition(ids=(guid,))
    found = pp503(
        definition,
        models.grant(role=f"/subscriptions/0/providers/Microsoft.Authorization/roleDefinitions/{guid}"),
    )
    assert found.verdict is Verdict.PASS


def test_pp503_a_custom_role_without_pull_fails_for_an_identity_this_input_creates_and_names_the_role():
    no_pull = models.role_definition(actions=("Microsoft.ContainerRegistry/registries/read",))
    finding = pp503(*referenced(no_pull))
    assert finding.verdict is Verdict.FAIL
    assert "azurerm_role_assignment.pull grants Registry Puller, which holds no pull" in finding.reason
    assert (
        Evidence(models.PULLER, "permissions", "Microsoft.ContainerRegistry/registries/read")
        in finding.evidence
    )


@pytest.mark.parametrize(
    ("actions", "not_actions", "expected"),
    [
        ((PULL_READ,), (), Verdict.PASS),
        (("microsoft.containerregistry/REGISTRIES/pull/read",), (), Verdict.PASS),  # case-insensitive
        (("Microsoft.ContainerRegistry/*", PULL_READ), (), Verdict.PASS),  # listed as well: any tenant
        ((PULL_READ,), (PULL_READ,), Verdict.FAIL),  # not_actions removes it
        (("*",), (PULL_READ,), Verdict.FAIL),  # removed whether the wildcard counts or not
        (("Microsoft.ContainerRegistry/*",), (), Verdict.UNKNOWN),  # wildcards: ARM private link tenants
        (("*",), (), Verdict.UNKNOWN),
        (("*/read",), (), Verdict.UNKNOWN),
        (("Microsoft.ContainerRegistry/registries/*/read",), (), Verdict.UNKNOWN),
        ((PULL_READ,), ("Microsoft.ContainerRegistry/*",), Verdict.UNKNOWN),  # removed only by a wildcard
        (("Microsoft.Storage/*",), (), Verdict.FAIL),  # a wildcard that cannot match pull
        (("Microsoft.ContainerRegistry/registries/pull/*",), ("*/read",), Verdict.FAIL),
        ((), (), Verdict.FAIL),
        (None, (), Verdict.UNKNOWN),  # known only after apply
        ((PULL_READ,), None, Verdict.UNKNOWN),
    ],
    ids=[
        "pull",
        "pull-any-case",
        "wildcard-and-pull",
        "not-actions-remove-pull",
        "star-without-pull",
        "provider-wildcard",
        "star",
        "star-read",
        "registries-star-read",
        "wildcard-not-action",
        "other-provider-wildcard",
        "wildcard-removed-by-wildcard",
        "no-actions",
        "actions-unknown",
        "not-actions-unknown",
    ],
)
def test_pp503_a_custom_role_is_judged_by_its_actions_with_azure_wildcards(actions, not_actions, expected):
    definition = models.role_definition(actions=actions, not_actions=not_actions)
    assert pp503(*referenced(definition)).verdict is expected


def test_pp503_a_pull_only_a_wildcard_grants_says_acr_honours_it_only_with_an_arm_private_link():
    finding = pp503(*referenced(models.role_definition(actions=("Microsoft.ContainerRegistry/*",))))
    assert finding.verdict is Verdict.UNKNOWN
    assert (
        "role Registry Puller, whose pull depends on the wildcard Microsoft.ContainerRegistry/*"
        in finding.reason
    )
    assert "Azure Resource Manager private link" in finding.reason
    assert f"List {PULL_READ} itself in {models.PULLER}'s actions" in finding.remediation
    assert "AcrPull" in finding.remediation


def test_pp503_a_custom_role_whose_actions_are_known_only_after_apply_is_unknown_and_says_so():
    finding = pp503(*referenced(models.role_definition(actions=None)))
    assert finding.verdict is Verdict.UNKNOWN
    assert "role Registry Puller, whose actions are known only after apply" in finding.reason
    assert f"Give {models.PULLER} a literal actions list" in finding.remediation


def test_pp503_a_custom_role_whose_permissions_are_untold_is_unknown_and_says_so():
    finding = pp503(*referenced(models.role_definition(permissions=None)))
    assert finding.verdict is Verdict.UNKNOWN
    assert "whose permissions are known only after apply" in finding.reason


def test_pp503_a_custom_role_pulling_only_through_the_abac_data_action_is_unknown_not_fail():
    abac = models.role_definition(
        actions=(), data_actions=("Microsoft.ContainerRegistry/registries/repositories/content/read",)
    )
    finding = pp503(*referenced(abac))
    assert finding.verdict is Verdict.UNKNOWN
    assert "ABAC repository permissions" in finding.reason


def test_pp503_a_role_definition_read_through_a_data_source_without_its_permissions_says_to_judge_the_plan():
    looked_up = models.role_definition(
        address="data.azurerm_role_definition.puller", permissions=None, defined=False
    )
    finding = pp503(*referenced(looked_up))
    assert finding.verdict is Verdict.UNKNOWN
    assert "whose permissions Azure holds" in finding.reason and "pullpath plan" in finding.remediation


@pytest.mark.parametrize(("name", "expected"), [("AcrPull", Verdict.PASS), ("AcrDelete", Verdict.FAIL)])
def test_pp503_a_built_in_role_read_through_a_data_source_is_judged_as_the_built_in_role(name, expected):
    """A plan shows a data source's permissions; a built-in role is judged by the documented lists."""
    looked_up = models.role_definition(
        actions=("*",), address="data.azurerm_role_definition.builtin", name=name, defined=False
    )
    assert pp503(*referenced(looked_up)).verdict is expected


def test_pp503_two_definitions_of_one_name_that_differ_on_pull_are_unknown():
    pull = models.role_definition()
    other = models.role_definition(actions=(), address="azurerm_role_definition.other")
    finding = pp503(pull, other, models.grant(role="Registry Puller"))
    assert finding.verdict is Verdict.UNKNOWN
    assert "role_definition_resource_id" in finding.remediation


# -- roles neither built in nor defined here -------------------------------------------------------------


def test_pp503_a_role_name_the_input_does_not_define_is_unknown_naming_the_role_and_what_settles_it():
    finding = pp503(models.grant(role="Registry Puller"))
    assert finding.verdict is Verdict.UNKNOWN
    assert finding.reason == (
        "azurerm_role_assignment.pull grants identity azurerm_user_assigned_identity.pull role Registry "
        "Puller, which is not a built-in role pullpath knows, nor a role this input defines (a custom role?), "
        "on contoso.azurecr.io"
    )
    assert finding.remediation == (
        "Define Registry Puller in this configuration (azurerm_role_definition with its permissions), so that "
        "its actions can be read, or grant AcrPull instead."
    )


def test_pp503_an_unknown_role_at_a_scope_the_input_cannot_place_says_both_fixes():
    grant = replace(models.grant(role="Registry Puller"), scope=Ref(configured=True))
    finding = pp503(grant)
    assert finding.verdict is Verdict.UNKNOWN
    assert "at a scope known only after apply" in finding.reason
    assert (
        "Define Registry Puller" in finding.remediation
        and "a scope the input can relate" in finding.remediation
    )


def test_pp503_a_role_known_only_after_apply_says_so():
    finding = pp503(models.grant(role=None))
    assert finding.verdict is Verdict.UNKNOWN
    assert "a role known only after apply on contoso.azurecr.io" in finding.reason
    assert 'role_definition_name = "AcrPull"' in finding.remediation


def test_pp503_an_unknown_role_on_another_registry_is_not_a_reason_for_unknown():
    other = models.registry("azurerm_container_registry.other", **OPEN)
    assert pp503(other, models.grant(role="Registry Puller", scope=other.address)).verdict is Verdict.FAIL


# -- AKS: the kubelet's grant --------------------------------------------------------------------------


def aks_pp401(*objects):
    acr = models.registry(**OPEN)
    aks = models.cluster(images=(models.deployment_image(acr),))
    (finding,) = [f for f in evaluate(models.model(acr, aks, *objects)) if f.rule in ("PP401", "PP402")]
    return finding


def test_pp401_a_kubelet_granted_a_custom_role_with_pull_passes():
    definition = models.role_definition()
    grant = replace(models.cluster_grant(role="Registry Puller"), definition=definition.address)
    finding = aks_pp401(definition, grant)
    assert (finding.rule, finding.verdict) == ("PP401", Verdict.PASS)
    assert "granted Registry Puller by azurerm_role_assignment.kubelet" in finding.reason


def test_pp401_a_kubelet_granted_a_custom_role_without_pull_fails_naming_it():
    definition = models.role_definition(actions=())
    grant = replace(models.cluster_grant(role="Registry Puller"), definition=definition.address)
    finding = aks_pp401(definition, grant)
    assert (finding.rule, finding.verdict) == ("PP401", Verdict.FAIL)
    assert "azurerm_role_assignment.kubelet grants Registry Puller, which holds no pull" in finding.reason


def test_pp401_a_kubelet_role_name_the_input_does_not_define_is_unknown_and_says_what_settles_it():
    finding = aks_pp401(models.cluster_grant(role="Registry Puller"))
    assert (finding.rule, finding.verdict) == ("PP401", Verdict.UNKNOWN)
    assert "role Registry Puller, which is not a built-in role pullpath knows" in finding.reason
    assert "Define Registry Puller in this configuration" in finding.remediation


def test_pp402_a_custom_role_with_pull_on_the_control_plane_fails_like_acrpull():
    definition = models.role_definition()
    grant = replace(
        models.cluster_grant(attribute="identity.principal_id", role="Registry Puller"),
        definition=definition.address,
    )
    assert (aks_pp401(definition, grant).rule, aks_pp401(definition, grant).verdict) == (
        "PP402",
        Verdict.FAIL,
    )


def test_pp402_an_unknown_role_on_the_control_plane_is_not_a_failure():
    grant = models.cluster_grant(attribute="identity.principal_id", role="Registry Puller")
    assert aks_pp401(grant).verdict is not Verdict.FAIL


# -- registries with ABAC repository permissions ----------------------------------------------------------

ABAC_DATA_ACTION = "Microsoft.ContainerRegistry/registries/repositories/content/read"


def credential(acr, *objects):
    """The one PP5xx finding of the container group pulling from ``acr`` with its granted identity."""
    (finding,) = [
        f
        for f in evaluate(models.model(acr, models.identity(), pulling_group(acr), *objects))
        if f.rule.startswith("PP5")
    ]
    return finding


@pytest.mark.parametrize(
    ("role", "abac", "expected"),
    [
        ("AcrPull", False, Verdict.PASS),
        ("AcrPull", True, Verdict.FAIL),  # not honoured there
        ("Owner", True, Verdict.FAIL),  # control plane only there
        ("7f951dda-4ed3-4680-a7ca-43fe172d538d", True, Verdict.FAIL),  # AcrPull by definition ID
        ("Container Registry Repository Reader", True, Verdict.PASS),
        ("AcrPull", None, Verdict.UNKNOWN),  # the mode is known only after apply
        ("Container Registry Repository Reader", None, Verdict.PASS),  # pulls in both modes
    ],
)
def test_a_registrys_role_assignment_mode_decides_which_built_in_roles_pull(role, abac, expected):
    acr = models.registry(abac=abac, **OPEN)
    finding = credential(acr, models.grant(role=role))
    assert (finding.rule, finding.verdict) == ("PP503", expected)
    if expected is Verdict.FAIL:
        assert "ABAC repository permissions" in finding.reason
        assert 'role_definition_name = "Container Registry Repository Reader"' in finding.remediation
    if expected is Verdict.UNKNOWN:
        assert "role_assignment_mode" in finding.remediation


@pytest.mark.parametrize(
    ("actions", "data_actions", "expected"),
    [((), (ABAC_DATA_ACTION,), Verdict.PASS), ((PULL_READ,), (), Verdict.FAIL)],
    ids=["data action", "legacy action only"],
)
def test_on_an_abac_registry_a_custom_role_pulls_through_the_repository_data_action(
    actions, data_actions, expected
):
    acr = models.registry(abac=True, **OPEN)
    definition = models.role_definition(actions=actions, data_actions=data_actions)
    finding = credential(acr, definition, models.grant(role=definition.name, definition=definition.address))
    assert (finding.rule, finding.verdict) == ("PP503", expected)


def test_an_aks_kubelet_granted_acrpull_on_an_abac_registry_is_told_to_grant_the_repository_reader():
    acr = models.registry(abac=True, **OPEN)
    aks = models.cluster(images=(models.deployment_image(acr),))
    [found] = [f for f in evaluate(models.model(acr, aks, models.cluster_grant())) if f.rule == "PP401"]
    assert found.verdict is Verdict.FAIL and "ABAC repository permissions" in found.reason
    assert "Container Registry Repository Reader" in found.remediation
