"""Shared test setup: the tests folder on sys.path for the plan builder, paths to shared data."""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

_RULE_ID = re.compile(r"\bPP\d{3}\b")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``pytest -k pp103`` selects every test that names rule PP103 in its source or parameters.

    Rule tests are named for behaviour, not IDs; the ID they check is in their assertions.
    """
    sources: dict[object, set[str]] = {}
    for item in items:
        function = getattr(item, "function", None)
        if function not in sources:
            sources[function] = set(_RULE_ID.findall(_source(function)))
        named = sources[function] | set(_RULE_ID.findall(item.name))
        item.extra_keyword_matches.update(rule.lower() for rule in named)
        for marker in _slow_lanes(item, function):
            item.add_marker(marker)


_CHECKOV_CALLS = ("checkov(", "checkov_with(", "gallery_rows(", "plan_rows(")


def _slow_lanes(item: pytest.Item, function: object) -> list[str]:
    """The slow lanes a test belongs to, so ``make test-fast`` can leave them out.

    checkov: it runs checkov (seconds per run); wheel: it builds and installs the package; fuzz: a
    Hypothesis suite.
    """
    name = item.path.name
    lanes = []
    if name.startswith("test_checkov_") or any(call in _source(function) for call in _CHECKOV_CALLS):
        lanes.append("checkov")
    if name == "test_wheel.py":
        lanes.append("wheel")
    if name.startswith("test_fuzz_") or name == "test_hcl_fuzz.py":
        lanes.append("fuzz")
    return lanes


def _source(function: object) -> str:
    try:
        return inspect.getsource(function) if callable(function) else ""
    except (OSError, TypeError):
        return ""
