"""What a judgement keeps for the rest of a checkov run: rows of strings, nothing the collector walks.

checkov keeps every judgement until it exits; its full garbage collections walk whatever they
hold. Findings kept as model objects were about 60 tracked objects a root.
"""

from __future__ import annotations

import gc

from checkov_harness import GALLERY
from pullpath.checkov.judgements import judged
from pullpath.checkov.verdicts import outcome
from pullpath.engine import analyse_directory
from pullpath.rules.container_groups import PP101

ARTICLE = GALLERY / "article-2021-private-acr-aci-vnet"


def test_a_judgement_holds_rows_whose_contents_the_cyclic_collector_does_not_track():
    judgement = judged(lambda: analyse_directory(str(ARTICLE)))
    gc.collect()  # the collector stops tracking a plain tuple of untracked items when it sees it
    rows = [
        row
        for found in (judgement.findings, judgement.by_config)
        for value in found.values()
        for row in value
    ]
    assert judgement.error is None and rows
    contents = [item for row in rows for item in gc.get_referents(row) if not isinstance(item, type)]
    assert [item for item in contents if gc.is_tracked(item)] == []


def test_rows_still_say_what_pullpath_scan_says():
    judgement = judged(lambda: analyse_directory(str(ARTICLE)))
    address = "azurerm_container_group.app"
    shown = outcome(PP101, address, judgement.lookup(address, "PP101"))
    assert shown is not None and not shown.passed
    assert shown.details[0] == "pullpath verdict: FAIL"
    assert shown.details[1].startswith("FAIL ") and "azurerm_container_registry." in shown.details[1]
    assert any(line.startswith("fix: ") for line in shown.details)
