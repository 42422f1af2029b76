"""The AKS rules (PP401-PP405, and PP507 for a cluster) over models built directly (tests/models.py)."""

from __future__ import annotations

from typing import Any

import pytest
from msgspec.structs import replace

import models
from pullpath.model import (
    Cluster,
    Evidence,
    NatGateway,
    NodePool,
    Ref,
    RoleAssignment,
    Subnet,
    UserIdentity,
    Verdict,
)
from pullpath.rules import evaluate

OPEN: dict[str, Any] = {"public_network_access": True, "default_action": "Allow"}


def findings(*objects, **changes):
    return [(f.workload.address, f.rule, f.verdict) for f in evaluate(models.model(*objects, **changes))]


def only(rule, *objects, **changes):
    [found] = [f for f in evaluate(models.model(*objects, **changes)) if f.rule == rule]
    return found


def firewalled(*rules, **changes):
    return models.registry(public_network_access=True, default_action="Deny", ip_rules=rules, **changes)


# -- credential layer: the kubelet's grant --------------------------------------------------------------


def test_pp401_a_registry_the_kubelet_grant_attaches_passes_with_the_grant_and_the_path():
    acr = models.registry(**OPEN)
    aks = models.cluster()
    grant = models.cluster_grant()
    assert findings(acr, aks, grant) == [
        (models.AKS, "PP401", Verdict.PASS),
        (models.AKS, "PP403", Verdict.PASS),
    ]
    found = only("PP401", acr, aks, grant)
    assert found.image.attribute == "azurerm_role_assignment.kubelet.scope"
    assert found.image.text == "(any image: the grant attaches the registry)"
    assert "granted AcrPull by azurerm_role_assignment.kubelet" in found.reason
    assert "the kubelet identity AKS creates for azurerm_kubernetes_cluster.aks" in found.reason
    assert Evidence("azurerm_role_assignment.kubelet", "scope", models.ACR) in found.evidence


def test_pp401_a_cluster_with_no_grant_and_no_image_has_no_pull_path():
    acr = models.registry(**OPEN)
    assert findings(acr, models.cluster()) == []


def test_pp401_an_image_from_the_registry_without_a_kubelet_grant_fails_naming_the_kubelet_object_id():
    acr = models.registry(**OPEN)
    aks = models.cluster(images=(models.deployment_image(acr),))
    found = only("PP401", acr, aks)
    assert found.verdict is Verdict.FAIL
    assert "principal_id = azurerm_kubernetes_cluster.aks.kubelet_identity[0].object_id" in found.remediation
    assert Evidence("kubernetes_deployment_v1.app", "spec[0].template[0].spec[0].container[0].image") in [
        replace(e, value=None) for e in found.evidence
    ]


def test_pp401_a_cluster_a_plan_keeps_may_hold_its_kubelet_grant_from_attach_acr():
    """az aks update --attach-acr grants outside Terraform: an existing cluster's kubelet is not new."""
    acr = models.registry(**OPEN)
    kept = replace(models.cluster(images=(models.deployment_image(acr),)), created=False)
    found = only("PP401", acr, kept)
    assert found.verdict is Verdict.UNKNOWN
    assert "the kubelet identity AKS made for azurerm_kubernetes_cluster.aks" in found.reason
    assert "--role-assignments" in found.remediation
    unlisted = only("PP401", acr, kept, role_assignments_file="grants.json")
    assert (
        unlisted.verdict is Verdict.UNKNOWN and "nor in grants.json (--role-assignments)" in unlisted.reason
    )


def test_pp401_role_assignments_match_the_object_id_of_the_kubelet_aks_made():
    acr = models.registry(**OPEN)
    kept = replace(models.cluster(images=(models.deployment_image(acr),)), created=False)
    assert kept.cluster is not None
    kept = replace(kept, cluster=replace(kept.cluster, kubelet_object_id="AB-12"))
    listed = replace(models.grant(), principal=Ref("ab-12", configured=True), principal_attributes=())
    found = only("PP401", acr, kept, listed, role_assignments_file="grants.json")
    assert found.verdict is Verdict.PASS


def test_pp401_the_image_and_the_grant_make_one_pull_path_not_two():
    acr = models.registry(**OPEN)
    aks = models.cluster(images=(models.deployment_image(acr),))
    found = [f for f in evaluate(models.model(acr, aks, models.cluster_grant())) if f.rule == "PP401"]
    assert [(f.verdict, f.image and f.image.owner) for f in found] == [
        (Verdict.PASS, "kubernetes_deployment_v1.app")
    ]
    assert "contoso" in found[0].reason and "kubernetes_deployment_v1.app" in found[0].reason


def test_pp401_pull_secrets_make_a_missing_grant_unknown_not_fail():
    acr = models.registry(**OPEN)
    aks = models.cluster(
        images=(models.deployment_image(acr),), pull_secrets=frozenset({"kubernetes_deployment_v1.app"})
    )
    found = only("PP401", acr, aks)
    assert found.verdict is Verdict.UNKNOWN and "pull secret" in found.remediation


def test_pp401_a_kubelet_identity_from_outside_the_input_is_unknown():
    acr = models.registry(**OPEN)
    kubelet = UserIdentity("data.azurerm_user_assigned_identity.kubelet", None, None, None, defined=False)
    aks = models.cluster(
        images=(models.deployment_image(acr),),
        kubelet=Ref(targets=(kubelet.address,), configured=True),
    )
    found = only("PP401", acr, aks, kubelet)
    assert found.verdict is Verdict.UNKNOWN
    assert "az role assignment list" in found.remediation


def test_pp401_a_user_assigned_kubelet_identity_granted_by_its_principal_id_passes():
    acr = models.registry(**OPEN)
    kubelet = models.identity("azurerm_user_assigned_identity.kubelet")
    aks = models.cluster(kubelet=Ref(targets=(kubelet.address,), configured=True))
    grant = models.grant(kubelet.address)
    found = only("PP401", acr, aks, kubelet, grant)
    assert (
        found.verdict is Verdict.PASS
        and "kubelet identity azurerm_user_assigned_identity.kubelet" in found.reason
    )


def test_pp401_a_grant_to_the_kubelet_client_id_fails():
    acr = models.registry(**OPEN)
    kubelet = models.identity("azurerm_user_assigned_identity.kubelet")
    aks = models.cluster(
        images=(models.deployment_image(acr),), kubelet=Ref(targets=(kubelet.address,), configured=True)
    )
    found = only("PP401", acr, aks, kubelet, models.grant(kubelet.address, attribute="client_id"))
    assert found.verdict is Verdict.FAIL and "client ID" in found.reason


def test_pp401_a_grant_whose_role_is_known_only_after_apply_is_unknown():
    acr = models.registry(**OPEN)
    aks = models.cluster(images=(models.deployment_image(acr),))
    found = only("PP401", acr, aks, models.cluster_grant(role=None))
    assert found.verdict is Verdict.UNKNOWN and "role name (AcrPull)" in found.remediation


def test_pp401_a_grant_to_a_principal_from_an_untraced_local_is_unknown_not_fail():
    acr = models.registry(**OPEN)
    aks = models.cluster(images=(models.deployment_image(acr),))
    grant = RoleAssignment(
        "azurerm_role_assignment.pull",
        "AcrPull",
        Ref(targets=(models.ACR,), configured=True),
        Ref(targets=("local.kubelet_object_id",), configured=True),
    )
    assert only("PP401", acr, aks, grant).verdict is Verdict.UNKNOWN


def test_pp401_a_pull_role_on_another_registry_does_not_count():
    acr, other = models.registry(**OPEN), models.registry("azurerm_container_registry.other", **OPEN)
    aks = models.cluster(images=(models.deployment_image(acr),))
    found = {
        f.registry: f
        for f in evaluate(models.model(acr, other, aks, models.cluster_grant(scope=other.address)))
        if f.rule == "PP401"
    }
    assert found[acr.address].verdict is Verdict.FAIL and "grants pull elsewhere" in found[acr.address].reason
    assert found[other.address].verdict is Verdict.PASS  # attached by the grant, with no image naming it


def test_pp402_the_pull_role_on_the_system_assigned_control_plane_fails_with_the_exact_fix():
    acr = models.registry(**OPEN)
    found = only("PP402", acr, models.cluster(), models.cluster_grant(attribute="identity.principal_id"))
    assert found.verdict is Verdict.FAIL
    assert found.remediation == (
        "Set principal_id in azurerm_role_assignment.kubelet to "
        "azurerm_kubernetes_cluster.aks.kubelet_identity[0].object_id."
    )


def test_pp402_the_pull_role_on_a_user_assigned_control_plane_identity_fails():
    acr = models.registry(**OPEN)
    plane = models.identity("azurerm_user_assigned_identity.aks")
    aks = replace(models.cluster(), identities=models.attached(plane.address))
    found = only("PP402", acr, aks, plane, models.grant(plane.address))
    assert found.verdict is Verdict.FAIL and "control-plane identity" in found.reason


def test_pp402_on_a_cluster_a_plan_keeps_cannot_say_its_kubelet_holds_no_grant():
    """The control plane's grant is still useless, but the existing kubelet may be granted elsewhere."""
    acr = models.registry(**OPEN)
    kept = replace(models.cluster(), created=False)
    found = only("PP402", acr, kept, models.cluster_grant(attribute="identity.principal_id"))
    assert found.verdict is Verdict.UNKNOWN
    assert "never pulls images" in found.reason and "--role-assignments" in found.remediation


def test_pp402_gives_way_to_a_kubelet_grant_beside_it():
    acr = models.registry(**OPEN)
    grants = (
        models.cluster_grant(attribute="identity.principal_id", address="azurerm_role_assignment.plane"),
        models.cluster_grant(),
    )
    assert findings(acr, models.cluster(), *grants) == [
        (models.AKS, "PP401", Verdict.PASS),
        (models.AKS, "PP403", Verdict.PASS),
    ]


def test_pp507_a_registry_refusing_arm_tokens_refuses_the_kubelet_and_no_pp5xx_else_is_said():
    acr = models.registry(**OPEN, arm_audience_tokens=False)
    assert findings(acr, models.cluster(), models.cluster_grant()) == [
        (models.AKS, "PP403", Verdict.PASS),
        (models.AKS, "PP507", Verdict.FAIL),
    ]


# -- which cluster runs an image ------------------------------------------------------------------


def test_pp405_an_image_whose_cluster_is_untold_among_several_is_unknown_on_each():
    acr = models.registry(**OPEN)
    image = models.deployment_image(acr)
    clusters = ("azurerm_kubernetes_cluster.a", "azurerm_kubernetes_cluster.b")
    a, b = (
        models.cluster(address, images=(image,), untold=(("kubernetes_deployment_v1.app", clusters),))
        for address in clusters
    )
    found = [f for f in evaluate(models.model(acr, a, b)) if f.rule == "PP405"]
    assert [(f.workload.address, f.verdict) for f in found] == [(c, Verdict.UNKNOWN) for c in clusters]
    assert "kube_config[0].host" in found[0].remediation


def test_an_image_tied_as_the_only_cluster_says_so():
    acr = models.registry(**OPEN)
    aks = models.cluster(
        images=(models.deployment_image(acr),), guessed=frozenset({"kubernetes_deployment_v1.app"})
    )
    found = only("PP401", acr, aks, models.cluster_grant())
    assert found.verdict is Verdict.PASS and "the only cluster in this input" in found.reason


# -- network: closed registry ---------------------------------------------------------------------------


def test_pp403_a_closed_registry_without_an_endpoint_is_unknown_and_says_aks_is_not_trusted():
    acr = models.registry()
    found = only("PP403", acr, models.cluster(), models.cluster_grant())
    assert found.verdict is Verdict.UNKNOWN
    assert "not a trusted service" in found.reason and "private endpoint" in found.remediation


def test_pp403_a_closed_registry_with_an_endpoint_passes():
    acr = models.registry()
    found = only("PP403", acr, models.cluster(), models.cluster_grant(), models.endpoint(acr))
    assert found.verdict is Verdict.PASS and "azurerm_private_endpoint.acr" in found.reason


def test_pp403_a_node_pool_in_a_vnet_aks_creates_cannot_be_shown_to_reach_the_endpoint():
    acr = models.registry()
    extra = NodePool("azurerm_kubernetes_cluster_node_pool.batch", "vnet_subnet_id", Ref())
    default = models.node_pool()
    aks = models.cluster(node_pools=(default, extra))
    found = only("PP403", acr, aks, models.cluster_grant(), models.endpoint(acr))
    assert found.verdict is Verdict.UNKNOWN
    assert found.remediation.startswith("Set azurerm_kubernetes_cluster_node_pool.batch.vnet_subnet_id")


def test_pp403_an_open_registry_passes():
    acr = models.registry(**OPEN)
    assert only("PP403", acr, models.cluster(), models.cluster_grant()).verdict is Verdict.PASS


# -- network: firewalled registry, by outbound type -----------------------------------------------


def test_pp404_load_balancer_ips_aks_creates_warn_with_the_address_to_allow():
    acr = firewalled("203.0.113.0/24")
    found = only("PP404", acr, models.cluster(), models.cluster_grant())
    assert found.verdict is Verdict.WARN
    assert "outbound_ip_address_ids" in found.remediation and "IP rule" in found.remediation


@pytest.mark.parametrize(
    ("ips", "verdict"),
    [
        (("203.0.113.7",), Verdict.PASS),
        (("198.51.100.7",), Verdict.FAIL),
        (("203.0.113.7", "198.51.100.7"), Verdict.WARN),
        (("203.0.113.7", None), Verdict.WARN),
    ],
)
def test_pp404_named_load_balancer_ips_against_the_ip_rules(ips, verdict):
    acr = firewalled("203.0.113.0/24")
    found = only("PP404", acr, models.cluster(load_balancer_ips=ips), models.cluster_grant())
    assert found.verdict is verdict
    if verdict is Verdict.FAIL:
        assert found.remediation.startswith("Add an IP rule for 198.51.100.7 to contoso.azurecr.io")
        assert "not a trusted service" in found.reason


def test_pp404_a_user_assigned_nat_gateway_covered_passes_and_one_outside_fails():
    network = {
        "subnets": {models.NODES: Subnet(models.NODES, None, "azurerm_nat_gateway.egress")},
        "nat_gateways": {
            "azurerm_nat_gateway.egress": NatGateway("azurerm_nat_gateway.egress", ("203.0.113.9",))
        },
    }
    aks = models.cluster(outbound_type="userAssignedNATGateway")
    inside = only("PP404", firewalled("203.0.113.0/24"), aks, models.cluster_grant(), **network)
    outside = only("PP404", firewalled("192.0.2.0/24"), aks, models.cluster_grant(), **network)
    assert (inside.verdict, outside.verdict) == (Verdict.PASS, Verdict.FAIL)
    assert "NAT gateway azurerm_nat_gateway.egress" in inside.reason


@pytest.mark.parametrize(
    ("outbound", "verdict", "said"),
    [
        ("userAssignedNATGateway", Verdict.WARN, "NAT gateway"),  # the subnet's gateway is not in the input
        ("managedNATGateway", Verdict.WARN, "effective_outbound_ips"),
        ("userDefinedRouting", Verdict.WARN, "egress firewall"),
        ("none", Verdict.FAIL, "Add an IP rule"),
        (None, Verdict.UNKNOWN, "outbound_type"),
    ],
)
def test_pp404_each_outbound_type(outbound, verdict, said):
    found = only(
        "PP404", firewalled("203.0.113.0/24"), models.cluster(outbound_type=outbound), models.cluster_grant()
    )
    assert found.verdict is verdict and said in found.remediation


def test_pp404_a_firewall_without_ip_rules_fails():
    found = only("PP404", firewalled(), models.cluster(), models.cluster_grant())
    assert found.verdict is Verdict.FAIL and "no IP rule" in found.reason


def test_a_firewalled_registry_with_an_endpoint_is_reached_over_it():
    acr = firewalled("203.0.113.0/24")
    found = findings(acr, models.cluster(), models.cluster_grant(), models.endpoint(acr))
    assert (models.AKS, "PP403", Verdict.PASS) in found and not [f for f in found if f[1] == "PP404"]


# -- private_cluster_enabled is never evidence ----------------------------------------------------------


CASES = [
    (models.registry(**OPEN), ()),
    (models.registry(), ()),
    (models.registry(), "endpoint"),
    (firewalled("203.0.113.0/24"), ()),
    (firewalled(), ()),
]


@pytest.mark.parametrize(("acr", "extra"), CASES)
@pytest.mark.parametrize("grant", ["kubelet_identity.object_id", "identity.principal_id", None])
def test_a_private_cluster_changes_no_verdict(acr, extra, grant):
    objects = [acr, *([models.endpoint(acr)] if extra else [])]
    objects += [models.cluster_grant(attribute=grant)] if grant else []
    images = (models.deployment_image(acr),)

    def verdicts(private):
        aks = models.cluster(images=images, private_cluster=private)
        return [
            (f.rule, f.verdict, f.image and f.image.attribute) for f in evaluate(models.model(*objects, aks))
        ]

    assert verdicts(True) == verdicts(False) and verdicts(False)


def test_a_private_cluster_is_said_to_have_no_bearing_where_users_may_think_it_has():
    acr = models.registry()
    found = only("PP403", acr, models.cluster(private_cluster=True), models.cluster_grant())
    assert "no bearing on image pulls" in found.reason
    assert all(e.attribute != "private_cluster_enabled" for e in found.evidence)


def test_the_cluster_model_defaults_are_a_cluster_aks_manages():
    assert Cluster().kubelet.is_set is False and Cluster().outbound_type == "loadBalancer"


def test_nodes_with_public_ips_of_their_own_warn_with_the_prefix_to_allow():
    pools = (models.node_pool(public_ips=True),)
    found = only(
        "PP404", firewalled("203.0.113.0/24"), models.cluster(node_pools=pools), models.cluster_grant()
    )
    assert found.verdict is Verdict.WARN and "node_public_ip_prefix_id" in found.remediation


CREDENTIAL_LAYER = {"PP401", "PP402", "PP405", "PP507"}


def test_every_aks_pull_path_of_the_gallery_gets_one_credential_layer_finding():
    from pullpath.engine import analyse_plan
    from scenarios import SCENARIOS

    paths: dict[tuple[str, str, str | None], list[str]] = {}
    for scenario in SCENARIOS:
        for f in analyse_plan(str(scenario / "plan.json")).findings:
            if f.workload.kind.value == "aks":
                key = (scenario.name, f.image.attribute if f.image else "", f.registry)
                paths.setdefault(key, []).append(f.rule)
    assert len(paths) >= 10
    for key, rules in paths.items():
        assert len([rule for rule in rules if rule in CREDENTIAL_LAYER]) == 1, key
        assert not [rule for rule in rules if rule.startswith("PP5") and rule != "PP507"], key
