"""Mutated gallery plans end in a valid report or in exit 2 with one line, never a crash or a hang.

Hypothesis mutates real-shaped plans (type swaps, nulls, deleted keys, huge strings, wrong
encodings, truncation, binary garbage) with a fixed seed; ``PULLPATH_FUZZ_EXAMPLES`` raises the
count for a longer run (``make fuzz``).
"""

from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, seed
from hypothesis import strategies as st

from fuzzing import SECRET_CORES, SECRET_TAILS, fuzz_settings, run_every_format, run_guarded
from pullpath.cli import run
from scenarios import GALLERY

PLANS = {
    path.parent.name: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(GALLERY.glob("*/plan.json"))
}


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key and index path in a document (the mutation sites)."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


REPLACEMENTS = [None, 0, -1, 3.5, True, "", "x" * 1_000_000, [], {}, [None], {"": None}, "\u0000\ud7ff\uffff"]


def _mutate(document: Any, path: tuple, operation: str, replacement: Any) -> Any:
    if not path:
        return replacement
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if operation == "delete":
        del parent[last]
    elif operation == "wrap":
        parent[last] = [parent[last]]
    else:
        parent[last] = replacement
    return document


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le", "surrogatepass")
    if encoding == "utf-8-bom":
        return codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass")
    return text.encode(encoding, "replace")


def judge(data: bytes, tmp_path: Path, capsys) -> None:
    path = tmp_path / "mutated.json"
    path.write_bytes(data)
    code = run_guarded(["plan", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "internal error" not in err, err
    if code == 2:
        assert out == "" and err.count("\n") == 1 and err.startswith("pullpath: error: ")
    else:  # judged: stderr holds only warnings (a mutated azapi type cannot be read, say)
        assert all(line.startswith("pullpath: warning: ") for line in err.splitlines()), err
        assert isinstance(json.loads(out)["findings"], list)


FUZZ = fuzz_settings(500)


@seed(20261127)
@FUZZ
@given(
    scenario=st.sampled_from(sorted(PLANS)),
    site=st.integers(min_value=0),
    operation=st.sampled_from(["delete", "replace", "wrap"]),
    replacement=st.sampled_from(REPLACEMENTS),
    encoding=st.sampled_from(["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le", "latin-1"]),
)
def test_mutated_plans_are_judged_or_refused(
    tmp_path, capsys, scenario, site, operation, replacement, encoding
):
    document = json.loads(json.dumps(PLANS[scenario]))
    paths = _paths(document)
    path = paths[site % len(paths)]
    if not path and operation == "delete":
        operation = "replace"
    document = _mutate(document, path, operation, replacement)
    judge(_encode(json.dumps(document, ensure_ascii=False), encoding), tmp_path, capsys)


@seed(20261127)
@FUZZ
@given(
    scenario=st.sampled_from(sorted(PLANS)),
    cut=st.floats(min_value=0.0, max_value=1.0),
    garbage=st.binary(max_size=64),
)
def test_truncated_or_corrupted_plans_are_refused_or_judged(tmp_path, capsys, scenario, cut, garbage):
    data = json.dumps(PLANS[scenario]).encode()
    position = int(len(data) * cut)
    judge(data[:position] + garbage, tmp_path, capsys)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting_is_refused_not_a_crash(tmp_path, capsys, depth):
    nested = "[" * depth + "]" * depth
    data = (
        '{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":'
        f'"azurerm_container_group.x","type":"azurerm_container_group","values":{nested}}}]}}}}}}'
    ).encode()
    judge(data, tmp_path, capsys)


def test_a_workload_dropped_from_planned_values_is_not_a_silent_pass(tmp_path, capsys):
    document = json.loads(json.dumps(PLANS["article-2021-private-acr-aci-vnet"]))
    resources = document["planned_values"]["root_module"]["resources"]
    document["planned_values"]["root_module"]["resources"] = [
        r for r in resources if r["type"] != "azurerm_container_group"
    ]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    assert run(["plan", str(path)]) == 2
    assert "missing from planned_values" in capsys.readouterr().err


# --- sensitivity: a value the plan marks sensitive is never shown, in any format -------------------


def _string_sites(document: dict) -> list[tuple[dict, tuple]]:
    """(resource record, path) of every string in a resource's values: planned, and prior data sources."""
    roots = [(document.get("planned_values") or {}).get("root_module"), None]
    prior = ((document.get("prior_state") or {}).get("values") or {}).get("root_module")
    sites: list[tuple[dict, tuple]] = []
    for module, data_only in ((roots[0], False), (prior, True)):
        stack = [module] if module else []
        while stack:
            current = stack.pop()
            stack.extend(current.get("child_modules", []))
            for record in current.get("resources", []):
                if data_only and record.get("mode") != "data":
                    continue
                for path in _paths(record.get("values")):
                    if path and isinstance(_get(record["values"], path), str):
                        sites.append((record, path))
    return sites


def _get(node: Any, path: tuple) -> Any:
    for step in path:
        node = node[step]
    return node


def _mark(marks: Any, path: tuple) -> Any:
    """``marks`` with ``true`` at ``path``, shaped as Terraform shapes ``after_sensitive``."""
    if not path:
        return True
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        marks = marks if isinstance(marks, list) else []
        marks += [False] * (head + 1 - len(marks))
        marks[head] = _mark(marks[head], rest)
        return marks
    marks = marks if isinstance(marks, dict) else {}
    marks[head] = _mark(marks.get(head), rest)
    return marks


SENSITIVE_FUZZ = fuzz_settings(60)


@seed(20261127)
@SENSITIVE_FUZZ
@given(
    scenario=st.sampled_from(sorted(PLANS)),
    site=st.integers(min_value=0),
    core=SECRET_CORES,
    tail=SECRET_TAILS,
    at=st.none() | st.floats(min_value=0.0, max_value=1.0),
    marks=st.sampled_from(["sensitive_values", "after_sensitive", "both", "variable"]),
    whole_attribute=st.booleans(),
)
def test_sensitive_plan_values_never_show_in_any_format(
    tmp_path, capsys, scenario, site, core, tail, at, marks, whole_attribute
):
    """A secret put into any string of any resource (an image, a login server, a setting), marked
    sensitive at its leaf or at its whole attribute, in either or both places or by a sensitive root
    variable holding the same text: no format, file or stderr line shows it."""
    document = json.loads(json.dumps(PLANS[scenario]))
    record, path = (sites := _string_sites(document))[site % len(sites)]
    old = _get(record["values"], path)
    value = core + tail if at is None else old[: int(len(old) * at)] + core + tail + old[int(len(old) * at) :]
    _get(record["values"], path[:-1])[path[-1]] = value
    change = next(
        (
            c
            for c in document.get("resource_changes", [])
            if c["address"] == record["address"] and "deposed" not in c
        ),
        None,
    )
    after = (change or {}).get("change", {}).get("after")
    try:
        if _get(after, path) == old:
            _get(after, path[:-1])[path[-1]] = value
    except (KeyError, IndexError, TypeError):
        pass
    marked = path[:1] if whole_attribute else path
    if marks in ("sensitive_values", "both") or (marks == "after_sensitive" and change is None):
        record["sensitive_values"] = _mark(record.get("sensitive_values"), marked)
    if marks in ("after_sensitive", "both") and change is not None:
        change["change"]["after_sensitive"] = _mark(change["change"].get("after_sensitive"), marked)
    if marks == "variable":
        document.setdefault("variables", {})["fuzz_secret"] = {"value": value}
        root = document.setdefault("configuration", {}).setdefault("root_module", {})
        root.setdefault("variables", {})["fuzz_secret"] = {"sensitive": True}
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document), encoding="utf-8")
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
    code, shown = run_every_format(["plan", str(plan)], tmp_path / "out", capsys)
    assert code in (0, 1), shown[-500:]
    assert core.lower() not in shown.lower()
