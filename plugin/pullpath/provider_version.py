"""The azurerm provider versions a configuration may run: locked in ``.terraform.lock.hcl``, or
narrowed by its ``required_providers`` constraint.

Verdicts and remediation depend on it: ``vnet_image_pull_enabled`` exists on Linux web apps only
from 4.36, so advice must name what the user's provider offers, and an attribute the provider lacks
makes ``terraform plan`` fail. The lock file is read with a small pattern rather than the hcl2
parser, so it works the same whichever parser dialect is installed. Without a lock file,
``terraform init`` installs the newest version the constraint allows, so a constraint tells the
lowest and the highest version the configuration can run (``~> 4.41``: from 4.41.0, below 5.0.0).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import msgspec

from pullpath.input_files import NotRead, read_regular

Version = tuple[int, int, int]

LOCK_FILE = ".terraform.lock.hcl"
_MAX_BYTES = 1024**2
_PROVIDER = re.compile(r'provider\s+"(?P<source>[^"]+)"\s*\{(?P<body>[^{}]*)\}')
_VERSION = re.compile(r'^\s*version\s*=\s*"(?P<version>[^"]+)"', re.MULTILINE)


def parse_version(text: str) -> Version | None:
    """``"4.36.0"`` -> ``(4, 36, 0)``; pre-release suffixes are ignored, anything else is None."""
    match = re.match(r"\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?", text)
    if not match:
        return None
    return (int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0))


def azurerm_version_in(text: str) -> Version | None:
    """The locked version of ``hashicorp/azurerm`` in a lock file's text, if it locks one."""
    for match in _PROVIDER.finditer(text):
        if match.group("source").rstrip("/").endswith("hashicorp/azurerm"):
            version = _VERSION.search(match.group("body"))
            return parse_version(version.group("version")) if version else None
    return None


def locked_azurerm_version(directory: str, read: Callable[[str], str] | None = None) -> Version | None:
    """The azurerm version locked in ``directory/.terraform.lock.hcl``; None without a lock file.

    ``read`` reads it: a scan passes its Loader's, which keeps to the scanned folder; by default
    only a regular file is read, and only so much of it (a lock file is a few kilobytes).
    """
    path = os.path.join(directory, LOCK_FILE)
    try:
        text = read(path) if read else read_regular(path, _MAX_BYTES, "").decode("utf-8-sig")
        return azurerm_version_in(text)
    except (OSError, ValueError, NotRead):  # ValueError: undecodable, or the Loader's refusal
        return None


class Versions(msgspec.Struct, frozen=True):
    """The azurerm versions a configuration may run: from ``low`` (inclusive) below ``high``.

    None on either side is unbounded; ``source`` says what told (the lock file, the constraint).
    """

    low: Version | None = None
    high: Version | None = None
    source: str = ""

    @property
    def known(self) -> bool:
        return self.low is not None or self.high is not None

    def has(self, since: Version | None, until: Version | None = None) -> bool | None:
        """Whether every version in range has what exists from ``since`` until (before) ``until``.

        True: all of them; False: none of them; None: some, or the range cannot tell.
        """
        if (since is not None and self.high is not None and self.high <= since) or (
            until is not None and self.low is not None and self.low >= until
        ):
            return False
        after = since is None or (self.low is not None and self.low >= since)
        before = until is None or (self.high is not None and self.high <= until)
        return True if after and before else None

    def shown(self) -> str:
        """``4.30.0`` for a lock, ``>= 4.41.0, < 5.0.0`` for a range."""
        if self.low is not None and self.high == _next_patch(self.low):
            return _dotted(self.low)
        bounds = ([f">= {_dotted(self.low)}"] if self.low else []) + (
            [f"< {_dotted(self.high)}"] if self.high else []
        )
        return ", ".join(bounds) or "any"


def _dotted(version: Version) -> str:
    return ".".join(str(part) for part in version)


def _next_patch(version: Version) -> Version:
    return (version[0], version[1], version[2] + 1)


_CLAUSE = re.compile(r"^\s*(?P<op>~>|>=|<=|!=|=|>|<)?\s*v?(?P<version>\d+(?:\.\d+){0,2})(?:[-+][\w.]*)?\s*$")


def constraint_range(constraint: str) -> tuple[Version | None, Version | None] | None:
    """``"~> 4.41"`` -> ``((4, 41, 0), (5, 0, 0))``: the lowest and (exclusive) highest version allowed.

    Terraform's syntax: comma-separated clauses of ``=``, ``!=``, ``>``, ``>=``, ``<``, ``<=`` and
    ``~>`` (the rightmost part may grow: ``~> 4.41`` is below 5.0, ``~> 4.41.0`` below 4.42).
    ``!=`` excludes one version and narrows nothing. None when a clause is not that syntax.
    """
    low: Version | None = None
    high: Version | None = None
    for clause in constraint.split(","):
        match = _CLAUSE.match(clause)
        if match is None:
            return None
        parts = [int(part) for part in match.group("version").split(".")]
        version: Version = (parts + [0, 0])[0], (parts + [0, 0])[1], (parts + [0, 0])[2]
        op = match.group("op") or "="
        lower: Version | None = None
        upper: Version | None = None
        if op in ("=", ">="):
            lower = version
        if op == ">":
            lower = _next_patch(version)
        if op == "=":
            upper = _next_patch(version)
        if op == "<":
            upper = version
        if op == "<=":
            upper = _next_patch(version)
        if op == "~>":
            lower = version
            upper = (version[0] + 1, 0, 0) if len(parts) <= 2 else (version[0], version[1] + 1, 0)
        if lower is not None:
            low = lower if low is None else max(low, lower)
        if upper is not None:
            high = upper if high is None else min(high, upper)
    return low, high


def azurerm_versions(locked: Version | None, constraint: str | None) -> Versions:
    """What the lock file says (one version), else what the constraint allows, else nothing."""
    if locked is not None:
        return Versions(locked, _next_patch(locked), f"azurerm {_dotted(locked)} in {LOCK_FILE}")
    bounds = constraint_range(constraint) if constraint else None
    if bounds is None:
        return Versions()
    return Versions(*bounds, source=f'azurerm version constraint "{constraint}" (no {LOCK_FILE})')
