"""What pullpath says about itself: its version and where it lives, each set once in pyproject.toml.

Every link pullpath prints (a rule's page, SARIF ``helpUri`` and ``informationUri``, checkov's
guideline) derives from :func:`repository` (``[project.urls]``), and every version it prints is
:func:`version` (``[project] version``). An installed wheel carries both in the ``METADATA`` of the
``.dist-info`` folder beside the package; a source tree (and an editable install, whose package is
the source tree) has the pyproject.toml beside the package. Both files are read directly:
``importlib.metadata`` costs about 12 ms of imports (its e-mail parser), a fifth of the start-up
budget (``make bench``), and is the last resort, for installs that keep neither file where it is
looked for. Read on first use, not at import.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

LABEL = "Repository"  # the [project.urls] key every link derives from
PACKAGE = Path(__file__).resolve().parent
PYPROJECT = PACKAGE.parents[1] / "pyproject.toml"
UNKNOWN_VERSION = "0.0.0"  # neither file nor an installed distribution says


@cache
def repository() -> str:
    """The project's repository URL, without a trailing slash; empty when no source has it."""
    metadata = _metadata_headers()
    if metadata is not None:
        return _pick(re.findall(r"^Project-URL:\s*(.*)$", metadata, re.MULTILINE | re.IGNORECASE))
    if PYPROJECT.is_file():
        return _from_pyproject(PYPROJECT)
    from importlib.metadata import PackageNotFoundError  # ~12 ms: last resort
    from importlib.metadata import metadata as installed

    try:
        return _pick(installed("pullpath").get_all("Project-URL") or [])
    except PackageNotFoundError:
        return ""


@cache
def version() -> str:
    """pullpath's version, as its wheel or its pyproject.toml says."""
    metadata = _metadata_headers()
    if metadata is not None:
        found = re.search(r"^Version:\s*(\S+)", metadata, re.MULTILINE | re.IGNORECASE)
        return found.group(1) if found else UNKNOWN_VERSION
    if PYPROJECT.is_file():
        return _version_from_pyproject(PYPROJECT)
    from importlib.metadata import PackageNotFoundError  # ~12 ms: last resort
    from importlib.metadata import version as installed

    try:
        return installed("pullpath")
    except PackageNotFoundError:
        return UNKNOWN_VERSION


def _metadata_headers() -> str | None:
    """The headers of the installed wheel's METADATA (before the blank line that starts the
    README); None when no ``.dist-info`` sits beside the package."""
    for path in sorted(PACKAGE.parent.glob("pullpath-*.dist-info/METADATA")):
        return _headers(path)
    return None


def _headers(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    except (OSError, UnicodeDecodeError):
        return ""


def _pick(entries: list[str]) -> str:
    """The address of the ``Repository, <address>`` entry among Project-URL entries."""
    for entry in entries:
        label, _, address = str(entry).partition(",")
        if label.strip() == LABEL:
            return address.strip().rstrip("/")
    return ""


def _table(path: Path, name: str) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    found = re.search(rf"^\[{re.escape(name)}\]\n(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
    return found.group(1) if found else ""


def _from_pyproject(path: Path) -> str:
    found = re.search(rf'^{LABEL}\s*=\s*"([^"]+)"', _table(path, "project.urls"), re.MULTILINE)
    return found.group(1).rstrip("/") if found else ""


def _version_from_pyproject(path: Path) -> str:
    found = re.search(r'^version\s*=\s*"([^"]+)"', _table(path, "project"), re.MULTILINE)
    return found.group(1) if found else UNKNOWN_VERSION


def page(path: str) -> str:
    """A file of the repository's main branch (``docs/rules/PP101.md``) as a link; the bare path
    when the repository is not known."""
    base = repository()
    return f"{base}/blob/main/{path}" if base else path
