"""Waivers: a reviewed, dated exception to one rule for some workloads, kept in a YAML file.

A pipeline that fails on a known, accepted problem gets switched off; a waiver keeps the gate on
while the fix is scheduled. Each waiver names the rule, the workload address (``*`` and ``?`` as
wildcards, everything else literal, because addresses carry brackets and quotes), a reason and an
expiry date, so an exception cannot outlive its reason silently: once expired it stops suppressing
and says so, and one that matches nothing is reported as stale.

File format (``--waivers FILE``)::

    waivers:
      - rule: PP101
        workload: module.legacy["*"].azurerm_container_group.this
        reason: registry moves behind a private endpoint in Q3 (OPS-1234)
        expires: 2026-09-30
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from pullpath.errors import InputError
from pullpath.input_files import read_bounded
from pullpath.model import Finding, SourceLocation, Verdict
from pullpath.rules import ALL_RULES

FIELDS = ("rule", "workload", "reason", "expires")
_MAX_BYTES = 1024**2


@dataclass(frozen=True)
class Notice:
    """Something the user configured that did not take effect, pointing back at where it was said."""

    message: str
    location: SourceLocation | None = None


@dataclass(frozen=True)
class Waiver:
    rule: str
    workload: str  # an address pattern: ``*`` any run of characters, ``?`` one character
    reason: str
    expires: date  # the last day the waiver applies
    origin: SourceLocation

    @property
    def note(self) -> str:
        """What a report says next to a waived finding."""
        return f"waived until {self.expires.isoformat()}: {self.reason}"

    @property
    def label(self) -> str:
        return f"{self.rule} for {self.workload} ({self.origin.file}:{self.origin.line})"

    def covers(self, finding: Finding) -> bool:
        return (
            finding.rule == self.rule
            and _pattern(self.workload).fullmatch(finding.workload.address) is not None
        )


@dataclass(frozen=True)
class WaiverOutcome:
    """Which findings are waived, by which waiver, and the waivers that did not take effect."""

    waived: dict[Finding, Waiver]
    notices: tuple[Notice, ...]


@functools.lru_cache(maxsize=256)
def _pattern(glob: str) -> re.Pattern[str]:
    """``*``/``?`` wildcards only: ``fnmatch`` would read an address's ``["key"]`` as a character class."""
    parts = (
        ".*" if piece == "*" else "." if piece == "?" else re.escape(piece)
        for piece in re.split(r"([*?])", glob)
    )
    return re.compile("".join(parts), re.DOTALL)


def load_waivers(path: str) -> tuple[Waiver, ...]:
    """Read and check a waivers file; anything malformed is an :class:`InputError` (exit 2)."""
    try:
        text = read_bounded(path, _MAX_BYTES, "waivers file").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: waivers file is not UTF-8 text") from None
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            document = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        raise InputError(f"{path}: not valid YAML ({' '.join(str(error).split())[:200]})") from None
    if (
        not isinstance(document, dict)
        or not isinstance(document.get("waivers"), list)
        or set(document) != {"waivers"}
    ):
        raise InputError(f"{path}: expected a mapping with one key, 'waivers:', holding a list of waivers")
    # the list's node gives each entry's line; with a duplicated key YAML keeps the last one
    entries = [value for key, value in node.value if key.value == "waivers"][-1].value  # type: ignore[union-attr]
    return tuple(
        _waiver(entry, SourceLocation(path, entries[index].start_mark.line + 1))
        for index, entry in enumerate(document["waivers"])
    )


def _waiver(entry: Any, origin: SourceLocation) -> Waiver:
    where = f"{origin.file}:{origin.line}"
    if not isinstance(entry, dict):
        raise InputError(f"{where}: a waiver is a mapping with {', '.join(FIELDS)}")
    unknown = sorted(str(key) for key in entry if key not in FIELDS)
    missing = [key for key in FIELDS if entry.get(key) in (None, "")]
    if unknown or missing:
        problems = ([f"unknown key(s) {', '.join(unknown)}"] if unknown else []) + (
            [f"missing {', '.join(missing)}"] if missing else []
        )
        raise InputError(f"{where}: waiver has {'; '.join(problems)} (keys: {', '.join(FIELDS)})")
    for key in ("rule", "workload", "reason"):
        if not isinstance(entry[key], str):
            raise InputError(f"{where}: waiver {key} must be a string")
    rule = entry["rule"].strip().upper()
    if rule not in ALL_RULES:
        raise InputError(f"{where}: waiver names rule {entry['rule']!r}, which pullpath does not have")
    expires = entry["expires"]
    if isinstance(expires, str):
        try:
            expires = date.fromisoformat(expires.strip())
        except ValueError:
            expires = None
    if not isinstance(expires, date):
        raise InputError(f"{where}: waiver expires must be a date (YYYY-MM-DD)")
    return Waiver(rule, entry["workload"].strip(), " ".join(entry["reason"].split()), expires, origin)


def apply_waivers(findings: Iterable[Finding], waivers: Iterable[Waiver], today: date) -> WaiverOutcome:
    """Waive what a live waiver covers; report expired waivers and those that cover nothing.

    Only FAIL, WARN and UNKNOWN findings need a waiver: a waiver whose findings all PASS now is
    stale and reported as matching nothing, so it can be removed.
    """
    pending = [finding for finding in findings if finding.verdict is not Verdict.PASS]
    waived: dict[Finding, Waiver] = {}
    notices: list[Notice] = []
    for waiver in waivers:
        covered = [finding for finding in pending if waiver.covers(finding)]
        if waiver.expires < today:
            what = f"{len(covered)} finding(s)" if covered else "anything"
            notices.append(
                Notice(
                    f"waiver {waiver.label} expired on {waiver.expires.isoformat()} "
                    f"and no longer suppresses {what}",
                    waiver.origin,
                )
            )
        elif not covered:
            notices.append(
                Notice(f"waiver {waiver.label} matches no FAIL, WARN or UNKNOWN finding", waiver.origin)
            )
        else:
            for finding in covered:
                waived.setdefault(finding, waiver)
    return WaiverOutcome(waived, tuple(notices))
