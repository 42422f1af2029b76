"""PP601-PP604: where a pull over a registry private endpoint resolves the registry's names.

Models are fed to the rules directly (tests/models.py); the builders' reading of VNets, zones,
links and records is tested in test_networks.py.
"""

from __future__ import annotations

from msgspec.structs import replace

import models
from models import APP_VNET, ENDPOINT, HUB_VNET, ZONE
from pullpath.model import (
    DnsRecord,
    DnsResolver,
    DnsZone,
    EndpointNetwork,
    Placement,
    RegistryNetwork,
    Verdict,
    ZoneLink,
)
from pullpath.rules import evaluate

ACR = models.ACR
APP = "azurerm_linux_web_app.web"
GROUP = "azurerm_container_group.app"


def layer(findings, workload: str, prefix: str = "PP6"):
    """The one finding of a layer (PP6xx or PP7xx) on a workload's pull path."""
    [finding] = [f for f in findings if f.workload.address == workload and f.rule.startswith(prefix)]
    return finding


def judged(net, workload=None, reg=None, **changes):
    reg = reg or models.registry(name="contoso")
    workload = workload or models.app(reg)
    return evaluate(models.private_model(workload, reg, net, **changes))


def test_a_vnet_linked_to_the_zone_resolves_the_registry_privately():
    net = models.network(links=(models.link(APP_VNET),))
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP601", Verdict.PASS)
    assert "azurerm_private_dns_zone_virtual_network_link.app" in finding.reason and ZONE in finding.reason
    assert "zone group of azurerm_private_endpoint.acr" in finding.reason


def test_a_zone_linked_only_to_the_hub_fails_for_a_spoke_on_azure_dns():
    """Links do not follow peering: the hub's link does nothing for the peered spoke."""
    net = models.network(
        models.vnet(),
        models.vnet(HUB_VNET),
        peerings=models.peered(APP_VNET, HUB_VNET),
        links=(models.link(HUB_VNET),),
    )
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP601", Verdict.FAIL)
    assert f"linked only to {HUB_VNET}" in finding.reason and "public endpoint" in finding.reason
    assert f"from {ZONE} to {APP_VNET}" in finding.remediation


def test_a_zone_linked_to_no_vnet_fails():
    finding = layer(judged(models.network()), APP)
    assert (finding.rule, finding.verdict) == ("PP601", Verdict.FAIL)
    assert "linked to no VNet" in finding.reason


def test_no_zone_in_the_input_is_unknown_naming_the_zone_and_the_link():
    net = models.network(zones=(), zone_objects=())
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP602", Verdict.UNKNOWN)
    assert "privatelink.azurecr.io" in finding.remediation and APP_VNET in finding.remediation
    assert "Azure Policy" in finding.reason


def test_a_zone_group_naming_a_zone_outside_the_input_is_unknown_without_a_link_here():
    outside = "zone:rg-hub/privatelink.azurecr.io"
    net = models.network(zones=(outside,), zone_objects=())
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP602", Verdict.UNKNOWN)
    assert "privatelink.azurecr.io (resource group rg-hub, not in this input)" in finding.reason


def test_a_link_here_to_a_zone_outside_the_input_settles_it():
    outside = "zone:rg-hub/privatelink.azurecr.io"
    net = models.network(zones=(outside,), zone_objects=(), links=(models.link(APP_VNET, outside),))
    assert layer(judged(net), APP).verdict is Verdict.PASS


def test_a_link_whose_vnet_is_known_only_after_apply_is_unknown():
    net = models.network(links=(ZoneLink("azurerm_private_dns_zone_virtual_network_link.app", ZONE, None),))
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP601", Verdict.UNKNOWN)


def test_an_untold_workload_vnet_is_unknown_not_pass():
    net = models.network(
        links=(models.link(APP_VNET),), placements={APP: Placement((), (), ("var.subnet_id",))}
    )
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP601", Verdict.UNKNOWN)
    assert "var.subnet_id" in finding.reason


def test_a_vnet_outside_the_input_is_unknown():
    outside = "vnet:rg-spoke/vnet-spoke"
    net = models.network(links=(models.link(outside),), placements={APP: Placement((), (outside,))})
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP601", Verdict.UNKNOWN)
    assert "vnet-spoke (resource group rg-spoke, not in this input)" in finding.reason


def test_custom_dns_through_a_resolver_in_a_linked_vnet_passes():
    resolver = DnsResolver("azurerm_private_dns_resolver_inbound_endpoint.hub", HUB_VNET, "10.100.2.4")
    net = models.network(
        models.vnet(dns_servers=("10.100.2.4",)),
        models.vnet(HUB_VNET),
        links=(models.link(HUB_VNET),),
        resolvers=(resolver,),
    )
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP603", Verdict.PASS)
    assert (
        resolver.address in finding.reason
        and "azurerm_private_dns_zone_virtual_network_link.hub" in finding.reason
    )


def test_custom_dns_referencing_a_resolver_whose_ip_is_known_after_apply_passes():
    resolver = DnsResolver("azurerm_private_dns_resolver_inbound_endpoint.hub", HUB_VNET)
    net = models.network(
        models.vnet(dns_servers=None, dns_targets=(resolver.address,)),
        models.vnet(HUB_VNET),
        links=(models.link(HUB_VNET),),
        resolvers=(resolver,),
    )
    assert layer(judged(net), APP).verdict is Verdict.PASS


def test_custom_dns_servers_the_input_cannot_place_are_unknown():
    net = models.network(models.vnet(dns_servers=("10.50.0.4",)), links=(models.link(APP_VNET),))
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP603", Verdict.UNKNOWN)
    assert "10.50.0.4" in finding.reason and "168.63.129.16" in finding.remediation


def test_a_resolver_in_a_vnet_not_linked_to_the_zone_is_unknown_naming_the_link():
    resolver = DnsResolver("azurerm_private_dns_resolver_inbound_endpoint.hub", HUB_VNET, "10.100.2.4")
    net = models.network(
        models.vnet(dns_servers=("10.100.2.4",)), links=(models.link(APP_VNET),), resolvers=(resolver,)
    )
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP603", Verdict.UNKNOWN)
    assert f"Link privatelink.azurecr.io to {HUB_VNET}" in finding.remediation


def test_a_firewall_dns_proxy_counts_only_when_its_proxy_is_on():
    def with_proxy(proxy):
        firewall = DnsResolver("azurerm_firewall.hub", HUB_VNET, "10.100.0.4", proxy)
        return models.network(
            models.vnet(dns_servers=("10.100.0.4",)), links=(models.link(HUB_VNET),), resolvers=(firewall,)
        )

    assert layer(judged(with_proxy(True)), APP).verdict is Verdict.PASS
    off = layer(judged(with_proxy(False)), APP)
    assert (off.rule, off.verdict) == ("PP603", Verdict.UNKNOWN) and "proxy is off" in off.reason


def test_dns_servers_known_only_after_apply_are_unknown():
    net = models.network(models.vnet(dns_servers=None), links=(models.link(APP_VNET),))
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP603", Verdict.UNKNOWN)


def _records(*names: str) -> tuple[DnsRecord, ...]:
    return tuple(DnsRecord(f"azurerm_private_dns_a_record.r{n}", ZONE, name) for n, name in enumerate(names))


def _hand_made(*names: str, replicas: tuple[str, ...] = ()):
    return models.network(
        zones=(),
        links=(models.link(APP_VNET),),
        records=_records(*names),
        registries={ACR: RegistryNetwork(ACR, "westeurope", replicas)},
    )


def test_hand_made_records_for_the_login_server_only_fail_naming_the_data_record():
    finding = layer(judged(_hand_made("contoso")), APP)
    assert (finding.rule, finding.verdict) == ("PP604", Verdict.FAIL)
    assert "contoso.westeurope.data.privatelink.azurecr.io" in finding.reason
    assert "contoso.westeurope.data" in finding.remediation


def test_hand_made_records_must_cover_every_geo_replica():
    net = _hand_made("contoso", "contoso.westeurope.data", replicas=("northeurope",))
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP604", Verdict.FAIL)
    assert (
        "contoso.northeurope.data" in finding.reason and "westeurope.data.privatelink" not in finding.reason
    )


def test_complete_hand_made_records_pass_naming_them():
    finding = layer(judged(_hand_made("contoso", "contoso.westeurope.data")), APP)
    assert (finding.rule, finding.verdict) == ("PP601", Verdict.PASS)
    assert "hand-made A records" in finding.reason


def test_no_zone_group_and_no_record_is_unknown_naming_the_zone_group():
    net = models.network(zones=(), links=(models.link(APP_VNET),))
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP604", Verdict.UNKNOWN)
    assert "private_dns_zone_group" in finding.remediation


def test_records_of_a_registry_whose_replicas_are_known_only_after_apply_are_unknown():
    net = replace(_hand_made("contoso"), registries={ACR: RegistryNetwork(ACR, "westeurope", None)})
    assert layer(judged(net), APP).verdict is Verdict.UNKNOWN


def test_a_fail_in_either_part_wins_over_an_unknown_in_the_other():
    """Records missing (FAIL) while the VNet's DNS is untold (UNKNOWN): the layer's finding is the FAIL."""
    net = replace(_hand_made("contoso"), vnets={APP_VNET: models.vnet(dns_servers=None)})
    assert layer(judged(net), APP).rule == "PP604"


def test_a_zone_group_known_only_after_apply_with_no_zone_here_is_unknown():
    net = models.network(zones=None, zone_objects=())
    finding = layer(judged(net), APP)
    assert (finding.rule, finding.verdict) == ("PP602", Verdict.UNKNOWN)
    assert "only after apply" in finding.reason


def test_a_zone_of_another_cloud_is_not_the_registry_zone():
    other = DnsZone("azurerm_private_dns_zone.blob", "privatelink.blob.core.windows.net")
    net = models.network(
        zones=(other.address,), zone_objects=(other,), links=(models.link(APP_VNET, other.address),)
    )
    assert layer(judged(net), APP).rule == "PP602"


def test_container_groups_and_container_apps_are_judged_by_their_placement():
    reg = models.registry()
    net = models.network(links=(models.link(APP_VNET),))
    for workload in (models.group(reg), models.container_app(reg)):
        finding = layer(judged(net, workload, reg), workload.address)
        assert (finding.rule, finding.verdict) == ("PP601", Verdict.PASS)


def test_only_pulls_over_a_private_endpoint_of_a_restricted_registry_are_judged():
    reg = models.registry()
    net = models.network(links=(models.link(APP_VNET),))
    unrouted = models.app(reg, image_pull_routing=False)
    password = models.group(reg, credentials=())
    open_registry = models.registry(public_network_access=True)
    assert not [f for f in judged(net, unrouted, reg) if f.rule.startswith("PP6")]
    assert not [f for f in judged(net, password, reg) if f.rule.startswith("PP6")]
    assert not [f for f in judged(net, models.app(open_registry), open_registry) if f.rule.startswith("PP6")]
    no_endpoint = models.model(reg, models.app(reg), network=net)
    assert not [f for f in evaluate(no_endpoint) if f.rule.startswith("PP6")]


def test_one_finding_per_pull_path_per_layer():
    reg = models.registry()
    second = models.image_from(reg, "site_config[0].application_stack[0].docker_image")
    workload = models.app(reg, images=(models.image_from(reg), second))
    findings = judged(models.network(links=(models.link(APP_VNET),)), workload, reg)
    for prefix in ("PP6", "PP7"):
        layers = [(f.image.attribute if f.image else "") for f in findings if f.rule.startswith(prefix)]
        assert sorted(layers) == sorted(image.attribute for image in workload.images)


def test_findings_name_the_endpoint_group_and_link_as_evidence():
    net = models.network(links=(models.link(APP_VNET),))
    finding = layer(judged(net), APP)
    shown = [str(e) for e in finding.evidence]
    assert any(e.startswith(f"{APP_VNET}.dns_servers") for e in shown)
    assert any(e.startswith("azurerm_private_dns_zone_virtual_network_link.app.") for e in shown)
    assert any(e.startswith(f"{ENDPOINT}.") for e in shown)


def test_an_endpoint_the_network_did_not_build_is_no_zone_group():
    """A model without the endpoint's network facts: its zone group is not told, so no PASS."""
    net = replace(
        models.network(links=(models.link(APP_VNET),)),
        endpoints={ENDPOINT: EndpointNetwork(ENDPOINT, APP_VNET, None)},
    )
    assert layer(judged(net), APP).verdict is not Verdict.PASS
