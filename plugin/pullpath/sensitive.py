"""Values Terraform marks sensitive, and the one place that keeps them out of everything shown.

Terraform prints ``(sensitive value)`` for a value marked sensitive: in a plan by
``after_sensitive`` and ``sensitive_values`` (and a variable or output declared ``sensitive``), in
sources by ``sensitive = true`` on a variable or output and by ``sensitive()``. Rules must still
judge with the real value (the image a workload pulls decides its registry), so values are never
masked while reading. Instead each reader collects the sensitive *strings* it saw, the model and
the report carry them, and :func:`redacted` hides every occurrence in a report just before it is
shown: every format, the stderr warnings and checkov's details. Credentials written into an image
reference or URL (``https://user:pass@host/...``) are treated the same way: the user information
is removed wherever it occurs (see :func:`pullpath.resolve.split_userinfo`). Hiding is by text:
``nonsensitive()`` does not lift it (the text was sensitive where it came from), and a part pullpath
derives from a sensitive value (the registry host of a sensitive image) shows unless it holds the
sensitive text itself.

Only strings are collected, and only strings of :data:`MIN_LENGTH` characters or more that are not
``true`` or ``false``: redaction replaces text, and a sensitive bool or number (or a short string)
has no text of its own. Replacing every ``true``, ``1`` or ``eu`` in a report would destroy it
while hiding nothing a reader could not guess. Map keys are names a configuration reads values
by, not values, so they are not collected either: a sensitive ``app_settings`` hides its
settings' values, not their names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from pullpath.engine import Report

SHOWN = "(sensitive value)"
MIN_LENGTH = 4
_NOT_SECRETS = frozenset({"true", "false"})
_FEW = 32  # up to this many, one regular expression finds them; beyond, an index by first characters
_KEPT_FIELDS = frozenset({"rule", "sensitive", "userinfo"})  # rule IDs are keys, never input text


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside a value (nested maps and lists), map keys aside."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            yield current
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple):
            stack.extend(current)


def marked_strings(value: Any, marks: Any) -> Iterator[str]:
    """The strings of ``value`` at the paths ``marks`` sets to ``true``.

    ``marks`` has the shape of the value, as a plan's ``after_sensitive`` and ``sensitive_values``:
    ``true`` marks a leaf or a whole object or list, ``false``, ``{}`` and ``[]`` mark nothing.
    """
    stack = [(value, marks)]
    while stack:
        current, mark = stack.pop()
        if mark is True:
            yield from strings_in(current)
        elif isinstance(mark, dict) and isinstance(current, dict):
            stack.extend((current.get(key), inner) for key, inner in mark.items() if inner)
        elif isinstance(mark, list) and isinstance(current, list):
            stack.extend((item, inner) for item, inner in zip(current, mark, strict=False) if inner)


def worth_hiding(text: str) -> bool:
    """Whether a sensitive string is one redaction hides (see the module docstring for why not all)."""
    return len(text) >= MIN_LENGTH and text.lower() not in _NOT_SECRETS


def collect(strings: Iterable[str]) -> frozenset[str]:
    return frozenset(text for text in strings if worth_hiding(text))


def of_resources(resources: Iterable[Any]) -> frozenset[str]:
    """The sensitive strings of records, each distinct set read once (a reader may share one set)."""
    distinct = {id(found): found for resource in resources if (found := resource.sensitive)}
    return frozenset().union(*distinct.values())


class Redactor:
    """Replaces sensitive strings with ``(sensitive value)`` and removes user information, in any text.

    Secrets are found whatever their case: pullpath lowercases host names and regions it shows.
    Occurrences are found in the original text and overlapping ones merged before anything is
    replaced, so two secrets that overlap are hidden whole, and ``(sensitive value)`` itself is
    never searched (a secret ``value`` would otherwise nest forever).
    """

    def __init__(self, sensitive: Iterable[str] = (), userinfo: Iterable[str] = ()) -> None:
        secrets = sorted({text for text in sensitive if worth_hiding(text)}, key=len, reverse=True)
        self._userinfo = sorted(set(userinfo), key=len, reverse=True)
        self._pattern: re.Pattern[str] | None = None
        self._heads: dict[str, list[str]] = {}
        if 0 < len(secrets) <= _FEW:
            pattern = "(?=(" + "|".join(map(re.escape, secrets)) + "))"
            self._pattern = re.compile(pattern, re.DOTALL | re.IGNORECASE)
        for secret in secrets if len(secrets) > _FEW else ():
            self._heads.setdefault(secret[:MIN_LENGTH].lower(), []).append(secret.lower())  # longest first
        self.text = lru_cache(maxsize=65536)(self._text)

    def __bool__(self) -> bool:
        return bool(self._pattern or self._heads or self._userinfo)

    def _text(self, text: str) -> str:
        if self._userinfo and "@" in text:
            for userinfo in self._userinfo:
                text = text.replace(userinfo, "")
        spans = self._spans(text)
        if not spans:
            return text
        pieces, done = [], 0
        for start, end in spans:
            pieces += [text[done:start], SHOWN]
            done = end
        pieces.append(text[done:])
        return "".join(pieces)

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """Where secrets occur, overlapping and touching occurrences merged, in order."""
        found: list[tuple[int, int]] = []
        if self._pattern is not None:
            found = [
                (match.start(), match.start() + len(match.group(1))) for match in self._pattern.finditer(text)
            ]
        elif self._heads:
            heads = self._heads
            for start in range(len(text) - MIN_LENGTH + 1):
                for secret in heads.get(text[start : start + MIN_LENGTH].lower(), ()):
                    if text[start : start + len(secret)].lower() == secret:
                        found.append((start, start + len(secret)))
                        break
        merged: list[tuple[int, int]] = []
        for start, end in found:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged


def redactor(report: Report) -> Redactor:
    """What hides the sensitive strings and user information of one report."""
    return Redactor(report.sensitive, report.userinfo)


def redacted(report: Report) -> Report:
    """The report as it may be shown: every string in it (findings, models, warnings) redacted.

    The one choke point for every format and for checkov's details. The rules have judged by
    then, on the real values; a report without sensitive strings is returned as it is, at no cost.
    """
    hider = redactor(report)
    if not hider:
        return report
    result: Report = _Rewrite(hider).value(report)
    return result


class _Rewrite:
    """Rebuild the model's records (msgspec Structs), tuples, lists and maps with every string redacted.

    An object met twice (a workload in a finding and in its model) becomes one redacted object,
    so the renderers' lookups by workload and by finding still match.
    """

    def __init__(self, hider: Redactor) -> None:
        self.hider = hider
        self.done: dict[int, Any] = {}

    def value(self, item: Any) -> Any:
        if isinstance(item, str):
            return self.hider.text(item)
        key = id(item)
        if key in self.done:
            return self.done[key]
        result: Any
        if isinstance(item, msgspec.Struct):
            changes = {
                name: self.value(getattr(item, name))
                for name in item.__struct_fields__
                if name not in _KEPT_FIELDS
            }
            same = all(value is getattr(item, name) for name, value in changes.items())
            result = item if same else msgspec.structs.replace(item, **changes)
        elif type(item) in (tuple, list, frozenset):
            result = type(item)(self.value(inner) for inner in item)
        elif isinstance(item, dict):
            result = {self.value(name): self.value(inner) for name, inner in item.items()}
        else:
            return item  # numbers, enums, dates, the UNKNOWN sentinel
        self.done[key] = result
        return result
