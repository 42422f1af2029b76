"""pullpath's rows reach checkov's SARIF and JUnit reports, not only its JSON and console."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

from checkov_harness import GALLERY, checkov


def test_sarif_and_junit_from_one_run_both_carry_our_rows(tmp_path):
    scenario = GALLERY / "aci-vnet-identity-no-pe-unknown"
    done = checkov(
        "-d", str(scenario), "--framework", "terraform", "-o", "sarif", "-o", "junitxml",
        "--output-file-path", str(tmp_path),
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]

    sarif = json.loads((tmp_path / "results_sarif.sarif").read_text(encoding="utf-8"))
    run = sarif["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["PP104"]["helpUri"].endswith("/docs/rules/PP104.md")
    (result,) = [r for r in run["results"] if r["ruleId"] == "PP104"]
    described = [attachment["description"] for attachment in result["attachments"]]
    assert described[0].startswith("pullpath verdict: UNKNOWN")
    assert any("from azurerm_container_registry.acr" in line for line in described)

    junit = ElementTree.parse(tmp_path / "results_junitxml.xml")
    cases = [case for case in junit.iter("testcase") if "[PP104]" in case.get("name", "")]
    assert [case.get("classname") for case in cases] == ["/main.tf.azurerm_container_group.app"]
    assert cases[0].find("failure") is not None
    assert "[INFO][PP104]" in cases[0].get("name", "")
