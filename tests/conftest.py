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
            try:
                text = inspect.getsource(function) if function else ""
            except (OSError, TypeError):
                text = ""
            sources[function] = set(_RULE_ID.findall(text))
        named = sources[function] | set(_RULE_ID.findall(item.name))
        item.extra_keyword_matches.update(rule.lower() for rule in named)
