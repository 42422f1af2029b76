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

from checkov_harness import GALLERY, checkov_with, rows
from pullpath.checkov.judgements import Memo

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
