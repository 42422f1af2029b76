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

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import msgspec
import yaml

from pullpath.errors import InputError
from pullpath.input_files import read_bounded
from pullpath.model import Finding, SourceLocation, Verdict
from pullpath.rules import ALL_RULES

FIELDS = ("rule", "workload", "reason", "expires")
_MAX_BYTES = 1024**2


class Notice(msgspec.Struct, frozen=True):
    """Something the user configured that did not take effect, pointing back at where it was said."""

    message: str
    location: SourceLocation | None = None


class Waiver(msgspec.Struct, frozen=True):
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
        return finding.rule == self.rule and glob_matches(self.workload, finding.workload.address)


class WaiverOutcome(msgspec.Struct, frozen=True):
    """Which findings are waived, by which waiver, and the waivers that did not take effect."""

    waived: dict[Finding, Waiver]
    notices: tuple[Notice, ...]


def glob_matches(glob: str, text: str) -> bool:
    """Whether ``text`` matches ``glob`` whole: ``*`` any run of characters, ``?`` one, the rest literal.

    ``fnmatch`` would read an address's ``["key"]`` as a character class, and a glob translated
    to a regular expression backtracks: ``*a*a*a...`` against a long address never finishes. This
    is the two-pointer match, which retries only from the latest ``*``: at most
    ``len(glob) * len(text)`` steps.
    """
    position = start = 0  # in text; ``start``: where the latest ``*`` began matching
    star = -1  # index in glob of the latest ``*``
    index = 0
    while position < len(text):
        if index < len(glob) and glob[index] in ("?", text[position]) and glob[index] != "*":
            index += 1
            position += 1
        elif index < len(glob) and glob[index] == "*":
            star, start = index, position
            index += 1
        elif star >= 0:
            index, start = star + 1, start + 1
            position = start
        else:
            return False
    return all(character == "*" for character in glob[index:])


def load_waivers(path: str) -> tuple[Waiver, ...]:
    """Read and check a waivers file; anything malformed is an :class:`InputError` (exit 2)."""
    try:
        text = read_bounded(path, _MAX_BYTES, "waivers file").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: waivers file is not UTF-8 text") from None
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            document = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:  # its text quotes the offending line, which may hold a secret
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise InputError(f"{path}: not valid YAML{where}") from None
    except _Untagged as error:
        raise InputError(f"{path}: not valid YAML at line {error.line}: {error}") from None
    if (
        node is None  # then document is None too; said for the type checker
        or not isinstance(document, dict)
        or not isinstance(document.get("waivers"), list)
        or set(document) != {"waivers"}
    ):
        raise InputError(f"{path}: expected a mapping with one key, 'waivers:', holding a list of waivers")
    # the list's node gives each entry's line; with a duplicated key YAML keeps the last one
    entries = [value for key, value in node.value if key.value == "waivers"][-1].value
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
    return Waiver(
        rule,
        entry["workload"].strip(),
        " ".join(entry["reason"].split()),
        _expiry(entry["expires"], where),
        origin,
    )


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _expiry(value: Any, where: str) -> date:
    """A calendar day, ``YYYY-MM-DD``: a waiver lasts through its last day, so a time has no meaning."""
    text = str(value).strip()
    if not _DATE.fullmatch(text):
        raise InputError(f"{where}: waiver expires must be a date (YYYY-MM-DD), without a time")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: waiver expires {text} is no day of the calendar") from None


class _Untagged(Exception):
    """A scalar its explicit tag cannot make (``!!int abc``); the message never quotes the value."""

    def __init__(self, line: int, tag: str) -> None:
        super().__init__(f"a value tagged {tag} is not one")
        self.line = line


class _Loader(yaml.SafeLoader):
    """YAML without timestamps: ``2026-02-30`` stays text for :func:`_expiry` to refuse.

    PyYAML turns a date-shaped scalar into a ``date`` while loading, so an impossible day raised
    a ValueError out of the loader, and a time of day made a ``datetime`` that cannot be compared
    with a date. An explicit ``!!timestamp`` is text too, and any other tag whose constructor
    refuses its scalar (``!!int abc``, ``!!bool maybe``) is one line naming where, not a crash.
    """

    yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node.tag == "tag:yaml.org,2002:timestamp":
            return self.construct_scalar(node)  # type: ignore[arg-type]
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, OverflowError):
            raise _Untagged(node.start_mark.line + 1, node.tag.rsplit(":", 1)[-1]) from None


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
