"""Where pullpath lives: read from the one place it is set, ``[project.urls]`` in pyproject.toml.

Every link pullpath prints (a rule's page, SARIF ``helpUri`` and ``informationUri``, checkov's
guideline) derives from :func:`repository`, so moving the project is one line in pyproject.toml.
An installed copy reads it from its package metadata; a source tree run without an install reads
the pyproject.toml beside the package. Read on first use, not at import.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

LABEL = "Repository"  # the [project.urls] key every link derives from
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@cache
def repository() -> str:
    """The project's repository URL, without a trailing slash; empty when neither source has it."""
    from importlib.metadata import PackageNotFoundError, metadata  # ~12 ms: only when a link is made

    try:
        entries = metadata("pullpath").get_all("Project-URL") or []
    except PackageNotFoundError:
        entries = []
    for entry in entries:
        label, _, address = str(entry).partition(",")
        if label.strip() == LABEL:
            return address.strip().rstrip("/")
    return _from_pyproject(PYPROJECT)


def _from_pyproject(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    table = re.search(r"^\[project\.urls\]\n(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
    found = re.search(rf'^{LABEL}\s*=\s*"([^"]+)"', table.group(1), re.MULTILINE) if table else None
    return found.group(1).rstrip("/") if found else ""


def page(path: str) -> str:
    """A file of the repository's main branch (``docs/rules/PP101.md``) as a link; the bare path
    when the repository is not known."""
    base = repository()
    return f"{base}/blob/main/{path}" if base else path
