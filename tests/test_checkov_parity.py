"""checkov with pullpath's checks shows, per workload and rule, what ``pullpath plan`` and ``pullpath scan`` say.

Each gallery scenario is judged by real checkov (``-f`` every plan.json, ``-d sample_tf``) and
by pullpath's own CLI on the same input; the tables must be equal under the documented mapping
(FAIL -> FAILED at the rule's severity, WARN -> FAILED at LOW, UNKNOWN -> FAILED at INFO, PASS ->
PASSED, no finding -> no row).
"""

from __future__ import annotations

from checkov_harness import (
    GALLERY,
    checkov,
    expected_plans,
    expected_scan,
    gallery_rows,
    plan_rows,
    rows,
    shown,
)

ARTICLE = GALLERY / "article-2021-private-acr-aci-vnet"


def test_gallery_exercises_every_verdict_in_both_frameworks():
    for table in (expected_plans(), expected_scan()):
        assert {verdict for _, verdict, _ in table.values()} == {"FAIL", "WARN", "UNKNOWN", "PASS"}


def test_plan_framework_matches_pullpath_plan_on_every_gallery_plan():
    assert shown(list(plan_rows())) == expected_plans()


def test_large_plan_mode_without_line_tracking_gives_the_same_verdicts():
    # CHECKOV_MAX_IAC_FILE_SIZE=1 is the README's tip for large plans; checkov then drops __file__
    assert shown(list(plan_rows(untracked=True))) == expected_plans()


def test_hcl_framework_matches_pullpath_scan_on_the_gallery():
    assert shown(list(gallery_rows())) == expected_scan()


def test_networkx_graph_gives_the_same_verdicts():
    assert shown(list(gallery_rows(graph="NETWORKX"))) == expected_scan()


def test_both_frameworks_in_one_invocation_with_runners_in_threads():
    both = gallery_rows(threads=True)
    assert {row.check_type for row in both} == {"terraform", "terraform_plan"}
    assert shown(list(both)) == {**expected_scan(), **expected_plans()}


def test_module_instances_keep_their_keys_in_both_frameworks():
    scenario = "/aci-foreach-module-fail/"
    for framework in (plan_rows(), gallery_rows()):
        failed = {
            r.resource
            for r in framework
            if scenario in r.abs_file and r.check_id == "PP101" and r.result == "FAILED"
        }
        assert failed == {
            'module.aci["api"].azurerm_container_group.this',
            'module.aci["worker"].azurerm_container_group.this',
        }


def test_unknown_and_warn_stay_visible_as_low_severity_failures():
    rows = {(r.abs_file.split("/")[-2], r.resource, r.check_id): r for r in plan_rows()}
    unknown = rows[("aci-vnet-identity-no-pe-unknown", "azurerm_container_group.app", "PP104")]
    assert (unknown.result, unknown.severity) == ("FAILED", "INFO")
    assert unknown.details[0].startswith("pullpath verdict: UNKNOWN")
    warn = rows[("aci-firewalled-nat-unknown-ip-warn", "azurerm_container_group.worker", "PP101")]
    assert (warn.result, warn.severity, warn.verdict) == ("FAILED", "LOW", "WARN")


def test_plan_mode_judges_images_known_only_after_apply():
    # checkov's own plan parser replaces the unknown image by a bare reference and loses "/app:1.0";
    # pullpath reads the plan itself, so the row names the image attribute and the registry it traced.
    row = next(
        r
        for r in plan_rows()
        if "/article-2021-private-acr-aci-vnet/" in r.abs_file and r.check_id == "PP101"
    )
    assert row.result == "FAILED"
    assert "container[0].image = (known after apply) from azurerm_container_registry.acr" in row.details[1]


def test_article_scenario_shows_pp101_failed_with_registry_and_fix_on_the_console():
    done = checkov("-d", str(ARTICLE))
    assert done.returncode == 1, done.stderr[-2000:]
    section = done.stdout[done.stdout.index('Check: PP101: "') :]
    assert "FAILED for resource: azurerm_container_group.app" in section
    assert "Severity: HIGH" in section
    assert "from azurerm_container_registry.acr: registry acrarticle2021demo" in section
    assert "fix: Create a user-assigned identity with AcrPull on the registry" in section
    assert "Guide: https://github.com/pullpath/pullpath/blob/main/docs/rules/PP101.md" in section


def test_a_lowered_severity_never_filters_the_check_out_for_the_next_resource():
    # checkov reads a check's severity before each run to apply `--check MEDIUM`; a WARN row (LOW)
    # early in the gallery must not make PP101 look LOW for the scenarios scanned after it.
    done = checkov("-d", str(GALLERY), "--framework", "terraform", "--check", "MEDIUM", "-o", "json")
    assert done.returncode == 1, done.stderr[-2000:]
    assert shown(rows(done.stdout)) == expected_scan()
