"""Rule metadata is structured enough to derive from: kinds, checkov types, headings, per-finding fixes.

A rule names the resource kinds it judges; checkov's registration derives from them, so a policy
file cannot drift from the rule. Each finding carries its own fix: an UNKNOWN says what would settle
it, never the rule's generic remedy, and only a FAIL is headed by the rule's failure title.
"""

from __future__ import annotations

import re

import pytest

import models
from layers import without_layers
from pullpath.builders import BUILDERS
from pullpath.engine import analyse_plan
from pullpath.model import Verdict
from pullpath.resource_types import RELEVANT
from pullpath.rules import ALL_RULES, evaluate
from scenarios import SCENARIOS
from test_checkov_policies import load_checks

RULES = sorted(ALL_RULES)


def test_slugs_are_short_unique_kebab_names():
    slugs = [ALL_RULES[rule_id].slug for rule_id in RULES]
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", slug) and len(slug) <= 40, slug


@pytest.mark.parametrize("rule_id", RULES)
def test_every_kind_a_rule_names_is_one_a_builder_reads(rule_id):
    rule = ALL_RULES[rule_id]
    assert rule.resource_types, "resource_types"
    read = set(BUILDERS) | RELEVANT  # a builder's kind, or a type the network collectors read (PP902)
    assert set(rule.resource_types) <= read, set(rule.resource_types) - read


def test_checkov_checks_take_their_types_from_the_rule_metadata():
    for check in load_checks():
        assert tuple(check.supported_resources) == ALL_RULES[check.id].checkov_types


def test_azapi_kinds_register_azapi_resource_and_its_patch():
    pp301 = ALL_RULES["PP301"]
    assert "azapi:microsoft.app/jobs" in pp301.resource_types
    assert pp301.checkov_types == (
        "azapi_resource",
        "azapi_update_resource",
        "azurerm_container_app",
        "azurerm_container_app_job",
    )
    assert "azapi_resource" not in ALL_RULES["PP204"].checkov_types


@pytest.mark.parametrize("rule_id", RULES)
def test_only_a_fail_is_headed_by_the_failure_title(rule_id):
    rule = ALL_RULES[rule_id]
    assert rule.heading(Verdict.FAIL) == rule.title
    for verdict in (Verdict.WARN, Verdict.UNKNOWN, Verdict.PASS):
        assert rule.heading(verdict) == rule.topic != rule.title


def _gallery_findings():
    return [
        finding for scenario in SCENARIOS for finding in analyse_plan(str(scenario / "plan.json")).findings
    ]


def test_every_finding_carries_a_fix_of_its_own():
    findings = _gallery_findings()
    verdicts = {finding.verdict for finding in findings}
    assert {Verdict.UNKNOWN, Verdict.WARN, Verdict.FAIL, Verdict.PASS} <= verdicts
    for finding in findings:
        rule = ALL_RULES[finding.rule]
        if finding.verdict is Verdict.PASS:
            assert finding.remediation == ""
            continue
        assert finding.remediation, (finding.rule, finding.workload.address)
        if finding.verdict is Verdict.UNKNOWN:  # what would settle it, not the remedy for a failure
            assert finding.remediation != rule.remediation, (finding.rule, finding.reason)


def test_an_unknown_routing_is_not_told_to_set_what_is_set():
    acr = models.registry()
    web = models.app(acr, image_pull_routing=None, pull_property=True)
    (finding,) = without_layers(evaluate(models.model(acr, web)))
    assert (finding.rule, finding.verdict) == ("PP202", Verdict.UNKNOWN)
    assert "= true" not in finding.remediation and "route the image pull" not in finding.remediation
    assert "value the plan can show" in finding.remediation


def test_a_routed_pull_through_a_closed_firewall_is_told_to_allow_its_address_not_to_route():
    acr = models.registry(public_network_access=True, default_action="Deny", ip_rules=("203.0.113.0/24",))
    web = models.app(acr, outbound_ips=("198.51.100.7",), image_pull_routing=False, vnet_integration=False)
    (finding,) = without_layers(evaluate(models.model(acr, web)))
    assert (finding.rule, finding.verdict) == ("PP201", Verdict.FAIL)
    assert finding.remediation.startswith(f"Add an IP rule for 198.51.100.7 to {models.LOGIN}")
