"""PP701-PP704: whether a pull reaches the registry's private endpoint, or leaves through an egress
firewall that admits the registry's names.

Models are fed to the rules directly (tests/models.py); the builders' reading of peerings, routes
and firewalls is tested in test_networks.py.
"""

from __future__ import annotations

from msgspec.structs import replace

import models
from models import APP_VNET, ENDPOINT, HUB_VNET
from pullpath.model import (
    EndpointNetwork,
    Firewall,
    FirewallRules,
    Placement,
    RegistryNetwork,
    RouteTable,
    Verdict,
)
from pullpath.rules import evaluate

ACR = models.ACR
APP = "azurerm_linux_web_app.web"
GROUP = "azurerm_container_group.app"
LINKED = (models.link(APP_VNET), models.link(HUB_VNET))


def route(findings, workload: str):
    [finding] = [f for f in findings if f.workload.address == workload and f.rule.startswith("PP7")]
    return finding


def judged(net, workload=None, reg=None):
    reg = reg or models.registry()
    return evaluate(models.private_model(workload or models.app(reg), reg, net))


def hub(endpoint_vnet: str = HUB_VNET, hub_region: str | None = "westeurope", **changes):
    return models.network(
        models.vnet(),
        models.vnet(HUB_VNET, region=hub_region),
        endpoint_vnet=endpoint_vnet,
        links=LINKED,
        **changes,
    )


def test_an_endpoint_in_the_workloads_vnet_is_reachable():
    finding = route(judged(models.network(links=LINKED)), APP)
    assert (finding.rule, finding.verdict) == ("PP701", Verdict.PASS)
    assert f"in the workload's VNet {APP_VNET}" in finding.reason


def test_an_endpoint_in_a_vnet_peered_both_ways_is_reachable():
    finding = route(judged(hub(peerings=models.peered(APP_VNET, HUB_VNET))), APP)
    assert (finding.rule, finding.verdict) == ("PP701", Verdict.PASS)
    assert "azurerm_virtual_network_peering.app_to_hub" in finding.reason
    assert "azurerm_virtual_network_peering.hub_to_app" in finding.reason


def test_an_endpoint_in_an_unconnected_vnet_fails_naming_the_peering():
    finding = route(judged(hub()), APP)
    assert (finding.rule, finding.verdict) == ("PP701", Verdict.FAIL)
    assert f"Peer {APP_VNET} and {HUB_VNET} in both directions" in finding.remediation


def test_one_direction_of_a_peering_is_no_connection():
    there, _ = models.peered(APP_VNET, HUB_VNET)
    finding = route(judged(hub(peerings=(there,))), APP)
    assert (finding.rule, finding.verdict) == ("PP701", Verdict.FAIL)
    assert f"from {HUB_VNET} to {APP_VNET}" in finding.remediation


def test_one_direction_to_a_vnet_outside_the_input_is_unknown():
    outside = "vnet:rg-hub/vnet-hub"
    there = replace(models.peered(APP_VNET, outside)[0])
    net = models.network(
        models.vnet(), endpoint_vnet=outside, links=(models.link(APP_VNET),), peerings=(there,)
    )
    finding = route(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP701", Verdict.UNKNOWN)
    assert "vnet-hub (resource group rg-hub, not in this input)" in finding.reason


def test_a_peering_that_disallows_vnet_access_fails():
    finding = route(judged(hub(peerings=models.peered(APP_VNET, HUB_VNET, allow_access=False))), APP)
    assert (finding.rule, finding.verdict) == ("PP701", Verdict.FAIL)
    assert "allow_virtual_network_access = true" in finding.remediation


def test_transit_through_a_hub_the_input_does_not_route_is_unknown():
    spoke = "azurerm_virtual_network.other"
    transit = replace(models.peered(APP_VNET, spoke)[0], transit=True)
    finding = route(judged(hub(peerings=(transit,))), APP)
    assert (finding.rule, finding.verdict) == ("PP701", Verdict.UNKNOWN)
    assert "forwarded traffic or gateway transit" in finding.reason
    assert finding.remediation.startswith(f"Peer {APP_VNET} and {HUB_VNET} directly")


def test_virtual_wan_between_the_vnets_is_unknown():
    finding = route(judged(hub(hub_vnets=frozenset({APP_VNET, HUB_VNET}))), APP)
    assert (finding.rule, finding.verdict) == ("PP701", Verdict.UNKNOWN)
    assert "Virtual WAN" in finding.reason


def test_an_endpoint_whose_vnet_is_untold_is_unknown():
    finding = route(judged(models.network(endpoint_vnet=None, links=LINKED)), APP)
    assert (finding.rule, finding.verdict) == ("PP701", Verdict.UNKNOWN)


def test_an_untold_workload_vnet_is_unknown():
    net = models.network(links=LINKED, placements={APP: Placement((), (), ("local.apps",))})
    finding = route(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP701", Verdict.UNKNOWN)
    assert "local.apps" in finding.reason


def test_a_container_group_over_global_peering_fails():
    reg = models.registry()
    net = hub(hub_region="northeurope", peerings=models.peered(APP_VNET, HUB_VNET))
    finding = route(judged(net, models.group(reg), reg), GROUP)
    assert (finding.rule, finding.verdict) == ("PP702", Verdict.FAIL)
    assert "global peering" in finding.reason


def test_global_peering_is_no_problem_for_app_service():
    net = hub(hub_region="northeurope", peerings=models.peered(APP_VNET, HUB_VNET))
    assert route(judged(net), APP).rule == "PP701"


def test_a_container_group_with_a_vnet_region_unknown_is_unknown():
    reg = models.registry()
    net = hub(hub_region=None, peerings=models.peered(APP_VNET, HUB_VNET))
    finding = route(judged(net, models.group(reg), reg), GROUP)
    assert (finding.rule, finding.verdict) == ("PP702", Verdict.UNKNOWN)


def test_a_same_region_endpoint_wins_over_a_global_one():
    """Two endpoints: one over global peering, one in the group's own VNet; the reachable one counts."""
    reg = models.registry()
    second = "azurerm_private_endpoint.local"
    net = hub(hub_region="northeurope", peerings=models.peered(APP_VNET, HUB_VNET))
    net = replace(net, endpoints={**net.endpoints, second: EndpointNetwork(second, APP_VNET, (models.ZONE,))})
    model = models.private_model(models.group(reg), reg, net, models.endpoint(reg, second))
    assert route(evaluate(model), GROUP).verdict is Verdict.PASS


def test_a_manual_connection_warns_until_approved():
    finding = route(judged(models.network(links=LINKED, manual=True)), APP)
    assert (finding.rule, finding.verdict) == ("PP704", Verdict.WARN)
    assert "Pending" in finding.reason and "approve" in finding.remediation


def test_a_manual_flag_known_only_after_apply_is_unknown():
    finding = route(judged(models.network(links=LINKED, manual=None)), APP)
    assert (finding.rule, finding.verdict) == ("PP704", Verdict.UNKNOWN)


def test_an_unconnected_manual_endpoint_fails_rather_than_warns():
    assert route(judged(hub(manual=True)), APP).verdict is Verdict.FAIL


# --- egress firewall (PP703) ---

FIREWALL = "azurerm_firewall.hub"
POLICY = "azurerm_firewall_policy.hub"
SUBNET = "azurerm_subnet.workload"


def egress(*destinations: str, data_endpoints: bool | None = False, endpoint_vnet=None, **changes):
    """A workload subnet routed to the hub firewall, whose policy's one rule group admits ``destinations``."""
    base = models.network(
        endpoint_vnet=endpoint_vnet,
        route_tables={
            "azurerm_route_table.egress": RouteTable(
                "azurerm_route_table.egress", "VirtualAppliance", FIREWALL
            )
        },
        subnet_routes={SUBNET: "azurerm_route_table.egress"},
        firewalls={FIREWALL: Firewall(FIREWALL, POLICY, True)},
        policies={POLICY: None},
        rules=(FirewallRules("azurerm_firewall_policy_rule_collection_group.acr", POLICY, destinations),),
        registries={ACR: RegistryNetwork(ACR, "westeurope", (), data_endpoints)},
    )
    return replace(base, **changes)


def public_pull(net, reg=None, workload=None):
    """An open registry without a private endpoint, pulled from the VNet."""
    reg = reg or models.registry(public_network_access=True, default_action="Allow")
    workload = workload or models.group(reg, credentials=())
    return evaluate(models.model(reg, workload, network=net))


def test_a_firewall_admitting_only_the_login_server_fails_naming_the_data_endpoint():
    finding = route(public_pull(egress("contoso.azurecr.io", data_endpoints=True)), GROUP)
    assert (finding.rule, finding.verdict) == ("PP703", Verdict.FAIL)
    assert "not acr.westeurope.data.azurecr.io" in finding.reason
    assert "firewall policy azurerm_firewall_policy.hub" in finding.remediation


def test_without_dedicated_data_endpoints_blob_storage_must_be_admitted():
    finding = route(public_pull(egress("contoso.azurecr.io")), GROUP)
    assert (finding.rule, finding.verdict) == ("PP703", Verdict.FAIL)
    assert "*.blob.core.windows.net" in finding.reason
    passing = route(public_pull(egress("contoso.azurecr.io", "*.blob.core.windows.net")), GROUP)
    assert passing.verdict is Verdict.PASS


def test_a_wildcard_and_service_tags_admit_the_registry():
    assert route(public_pull(egress("*.azurecr.io", data_endpoints=True)), GROUP).verdict is Verdict.PASS
    tags = egress("tag:AzureContainerRegistry", "tag:Storage.WestEurope")
    assert route(public_pull(tags), GROUP).verdict is Verdict.PASS


def test_a_firewall_that_does_not_admit_the_login_server_fails():
    finding = route(public_pull(egress("*.blob.core.windows.net")), GROUP)
    assert (finding.rule, finding.verdict) == ("PP703", Verdict.FAIL)
    assert "do not admit the login server contoso.azurecr.io" in finding.reason


def test_a_registry_with_a_private_endpoint_always_has_dedicated_data_endpoints():
    """Even a public pull of such a registry fetches layers from <name>.<region>.data.azurecr.io."""
    reg = models.registry(public_network_access=True, default_action="Allow")
    net = egress("contoso.azurecr.io", "*.blob.core.windows.net", endpoint_vnet="vnet:rg/elsewhere")
    finding = route(
        evaluate(
            models.model(reg, models.endpoint(reg, ENDPOINT), models.group(reg, credentials=()), network=net)
        ),
        GROUP,
    )
    assert (finding.rule, finding.verdict) == ("PP703", Verdict.FAIL)
    assert "acr.westeurope.data.azurecr.io" in finding.reason


def test_a_policy_outside_the_input_is_unknown():
    net = egress("contoso.azurecr.io", firewalls={FIREWALL: Firewall(FIREWALL, "policy:rg-hub/afwp", True)})
    finding = route(public_pull(net), GROUP)
    assert (finding.rule, finding.verdict) == ("PP703", Verdict.UNKNOWN)
    assert "afwp (resource group rg-hub, not in this input)" in finding.reason


def test_a_base_policy_adds_its_rules():
    base = "azurerm_firewall_policy.base"
    net = egress(
        "contoso.azurecr.io",
        policies={POLICY: base, base: None},
        rules=(
            FirewallRules(
                "azurerm_firewall_policy_rule_collection_group.acr", POLICY, ("contoso.azurecr.io",)
            ),
            FirewallRules(
                "azurerm_firewall_policy_rule_collection_group.base", base, ("*.blob.core.windows.net",)
            ),
        ),
    )
    assert route(public_pull(net), GROUP).verdict is Verdict.PASS


def test_classic_rule_collections_of_a_firewall_without_policy_count():
    net = egress(
        firewalls={FIREWALL: Firewall(FIREWALL)},
        rules=(
            FirewallRules(
                "azurerm_firewall_application_rule_collection.acr",
                FIREWALL,
                ("*.azurecr.io", "*.blob.core.windows.net"),
            ),
        ),
    )
    assert route(public_pull(net), GROUP).verdict is Verdict.PASS


def test_an_appliance_that_is_no_firewall_of_the_input_is_unknown():
    net = egress(
        route_tables={
            "azurerm_route_table.egress": RouteTable(
                "azurerm_route_table.egress", "VirtualAppliance", "10.0.0.4"
            )
        }
    )
    finding = route(public_pull(net), GROUP)
    assert (finding.rule, finding.verdict) == ("PP703", Verdict.UNKNOWN)
    assert "10.0.0.4" in finding.reason


def test_rules_known_only_after_apply_are_unknown():
    net = egress(rules=(FirewallRules("azurerm_firewall_policy_rule_collection_group.acr", POLICY, None),))
    assert route(public_pull(net), GROUP).verdict is Verdict.UNKNOWN


def test_no_default_route_to_an_appliance_is_no_finding():
    internet = RouteTable("azurerm_route_table.egress", "Internet")
    for net in (egress(route_tables={"azurerm_route_table.egress": internet}), egress(subnet_routes={})):
        assert not [f for f in public_pull(net) if f.rule.startswith("PP7")]


def test_a_closed_registry_is_not_judged_on_its_egress():
    reg = models.registry()
    assert not [
        f
        for f in public_pull(egress("contoso.azurecr.io"), reg, models.group(reg, credentials=()))
        if f.rule.startswith("PP7")
    ]


def test_a_consumption_only_environment_takes_no_user_defined_route():
    reg = models.registry(public_network_access=True, default_action="Allow")
    app = models.container_app(reg)
    net = egress("contoso.azurecr.io", workload_profiles={"azurerm_container_app_environment.env": False})
    assert not [f for f in public_pull(net, reg, app) if f.rule.startswith("PP7")]
    with_profiles = replace(net, workload_profiles={"azurerm_container_app_environment.env": True})
    assert route(public_pull(with_profiles, reg, app), app.address).verdict is Verdict.FAIL


def test_an_unrouted_app_service_pull_does_not_leave_through_the_vnet():
    reg = models.registry(public_network_access=True, default_action="Allow")
    net = egress("contoso.azurecr.io")
    assert not [
        f
        for f in public_pull(net, reg, models.app(reg, image_pull_routing=False))
        if f.rule.startswith("PP7")
    ]
    assert route(public_pull(net, reg, models.app(reg)), APP).verdict is Verdict.FAIL
