"""Where pullpath lives: read from the one place it is set, ``[project.urls]`` in pyproject.toml.

Every link pullpath prints (a rule's page, SARIF ``helpUri`` and ``informationUri``, checkov's
guideline) derives from :func:`repository`, so moving the project is one line in pyproject.toml.
An installed wheel carries it in the ``METADATA`` of the ``.dist-info`` folder beside the package;
a source tree (and an editable install, whose package is the source tree) has the pyproject.toml
beside the package. Both are read directly: ``importlib.metadata`` costs about 12 ms of imports
(its e-mail parser), a fifth of the start-up budget (``make bench``), and is left for installs
that keep neither file where it is looked for. Read on first use, not at import.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

LABEL = "Repository"  # the [project.urls] key every link derives from
PACKAGE = Path(__file__).resolve().parent
PYPROJECT = PACKAGE.parents[1] / "pyproject.toml"


@cache
def repository() -> str:
    """The project's repository URL, without a trailing slash; empty when no source has it."""
    for metadata in sorted(PACKAGE.parent.glob("pullpath-*.dist-info/METADATA")):
        return _from_metadata(metadata)
    if PYPROJECT.is_file():
        return _from_pyproject(PYPROJECT)
    return _from_installed_metadata()


def _from_metadata(path: Path) -> str:
    """``Project-URL: Repository, https://...`` among a core-metadata file's headers."""
    try:
        headers = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    except (OSError, UnicodeDecodeError):
        return ""
    return _pick(re.findall(r"^Project-URL:\s*(.*)$", headers, re.MULTILINE | re.IGNORECASE))


def _from_installed_metadata() -> str:
    from importlib.metadata import PackageNotFoundError, metadata  # ~12 ms: the last resort

    try:
        return _pick(metadata("pullpath").get_all("Project-URL") or [])
    except PackageNotFoundError:
        return ""


def _pick(entries: list[str]) -> str:
    for entry in entries:
        label, _, address = str(entry).partition(",")
        if label.strip() == LABEL:
            return address.strip().rstrip("/")
    return ""


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
