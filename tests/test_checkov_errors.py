"""A pullpath check never raises and never reads as a pass: errors become visible FAILED rows.

checkov logs a check that raises, drops its result and still exits 0, so an error inside pullpath
would read as a clean scan. The checks turn an unreadable input and an internal error into FAILED
rows whose details say so, without quoting the input.
"""

from __future__ import annotations

import json
import shutil
import threading
import time

import azure_values as azure
from checkov_harness import GALLERY, checkov, checkov_with, rows
from planbuilder import PlanBuilder, ref
from pullpath.checkov.judgements import Memo
from test_hcl_reader import GROUP, REGISTRY

ARTICLE_PLAN = GALLERY / "article-2021-private-acr-aci-vnet" / "plan.json"

FAULT = """
import pullpath.checkov.judgements as judgements
real = judgements.analyse_plan
def crashing(path, *args, **kwargs):
    if "crash" in path:
        raise RuntimeError("boom while reading password=hunter2-do-not-echo")
    return real(path, *args, **kwargs)
judgements.analyse_plan = crashing
"""


def test_internal_error_and_unreadable_plan_are_visible_failures(tmp_path):
    crash = tmp_path / "crash" / "plan.json"
    future = tmp_path / "future" / "plan.json"
    for path in (crash, future):
        path.parent.mkdir()
        shutil.copy(ARTICLE_PLAN, path)
    document = json.loads(future.read_text(encoding="utf-8"))
    document["format_version"] = "9.0"  # a plan format pullpath does not know yet
    future.write_text(json.dumps(document), encoding="utf-8")

    done = checkov_with(
        FAULT, "-f", str(crash), "-f", str(future), "--framework", "terraform_plan", "-o", "json"
    )
    assert done.returncode == 1, done.stderr[-2000:]
    found = {(row.abs_file.split("/")[-2], row.check_id): row for row in rows(done.stdout)}

    crashed = found[("crash", "PP101")]
    assert (crashed.result, crashed.severity) == ("FAILED", "HIGH")
    assert crashed.details[0].startswith("pullpath internal error: RuntimeError")
    unreadable = found[("future", "PP101")]
    assert unreadable.result == "FAILED"
    assert "unsupported plan format_version" in unreadable.details[0]
    every_row = {check for (_, check) in found}
    assert every_row >= {"PP101", "PP102", "PP103", "PP104", "PP105", "PP106", "PP107"}  # one per check
    assert "hunter2" not in done.stdout


def test_memo_computes_each_key_once_under_concurrent_callers():
    memo: Memo[int] = Memo(size=4)
    calls = []

    def compute() -> int:
        calls.append(1)
        time.sleep(0.05)  # long enough for every other thread to arrive while this one computes
        return 42

    answers: list[int] = []
    threads = [
        threading.Thread(target=lambda: answers.append(memo.get("plan.json", compute))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [42] * 8 and len(calls) == 1


def test_a_resource_in_a_file_pullpath_skipped_gets_a_visible_row(tmp_path):
    """checkov parses a file pullpath skips (here: over PULLPATH_MAX_TF_BYTES); its rows must not vanish."""
    (tmp_path / "registry.tf").write_text(REGISTRY, encoding="utf-8")
    group = GROUP.replace("IMAGE", '"${azurerm_container_registry.acr.login_server}/app:1.0"')
    (tmp_path / "group.tf").write_text("# padding\n" * 300 + group, encoding="utf-8")
    done = checkov(
        "-d", str(tmp_path), "--framework", "terraform", "-o", "json", env={"PULLPATH_MAX_TF_BYTES": "2000"}
    )
    assert done.returncode == 1, done.stderr[-2000:]
    found = {(row.resource, row.check_id): row for row in rows(done.stdout)}
    skipped = found[("azurerm_container_group.app", "PP101")]
    assert skipped.result == "FAILED"
    assert skipped.details == (
        f"pullpath could not judge this resource: it skipped group.tf whole (pullpath scan {tmp_path} says why)",
    )


def test_a_plan_with_a_deposed_object_keeps_the_live_workloads_rows(tmp_path):
    plan = PlanBuilder().resource(
        "azurerm_container_registry.acr",
        azure.registry(public=False),
        unknown=azure.REGISTRY_UNKNOWN,
        expressions={},
    )
    group = "azurerm_container_group.app"
    plan.resource(
        group,
        azure.container_group(),
        unknown=["container.0.image"],
        expressions={"container": [{"image": ref("azurerm_container_registry.acr.login_server")}]},
        actions=["no-op"],
    )
    plan.deposed(group, azure.container_group(image="contosoacr.azurecr.io/app:0.9"))
    done = checkov("-f", str(plan.write(tmp_path)), "--framework", "terraform_plan", "-o", "json")
    assert done.returncode == 1, done.stderr[-2000:]
    found = {(row.resource, row.check_id): row for row in rows(done.stdout)}
    assert (found[(group, "PP101")].result, found[(group, "PP101")].verdict) == ("FAILED", "FAIL")
