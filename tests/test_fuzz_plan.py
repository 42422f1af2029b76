"""Mutated gallery plans end in a valid report or in exit 2 with one line, never a crash or a hang.

Hypothesis mutates real-shaped plans (type swaps, nulls, deleted keys, huge strings, wrong
encodings, truncation, binary garbage) with a fixed seed; ``PULLPATH_FUZZ_EXAMPLES`` raises the
count for a longer run (``make fuzz``).
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, seed
from hypothesis import strategies as st

from fuzzing import fuzz_settings, run_guarded
from pullpath.cli import run

GALLERY = Path(__file__).resolve().parent.parent / "sample_tf"
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
    else:
        assert err == ""
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
