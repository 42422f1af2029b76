"""Limits set through ``PULLPATH_*`` environment variables, parsed one way for all of them.

People write sizes the way their other tools take them: ``33554432``, ``32MiB``, ``32M``, ``32MB``,
``512k``, ``2GiB``, ``1e6``, ``1_000_000``. Suffixes with an ``i`` (``KiB``, ``Mi``) and single
letters (``k``, ``M``, ``G``, ``T``, as docker and ``ulimit`` read them) are powers of 1024;
``KB``, ``MB``, ``GB``, ``TB`` are powers of 1000 (SI); ``B`` is bytes. Case does not matter.
Anything else is one :class:`~pullpath.errors.InputError` line naming the variable, exit code 2:
read at import time, a bad value once printed a traceback with exit code 1, which a gate reads as
"findings".
"""

from __future__ import annotations

import math
import os
import re

from pullpath.errors import InputError

_SIZE = re.compile(r"\s*(?P<number>[0-9][0-9_]*(?:\.[0-9_]*)?(?:e[+-]?[0-9]+)?)\s*(?P<unit>[a-z]*)\s*", re.I)
_UNITS = {"": 1, "b": 1}
for _power, _letter in enumerate("kmgt", start=1):
    _UNITS[_letter] = _UNITS[f"{_letter}i"] = _UNITS[f"{_letter}ib"] = 1024**_power
    _UNITS[f"{_letter}b"] = 1000**_power


def byte_limit(name: str, default: int) -> int:
    """The size limit ``name`` sets (``32MiB``, ``1e6``, plain bytes), else ``default``."""
    return _limit(name, default, _UNITS, "a size such as 33554432, 32MiB, 32MB or 1e6")


def count_limit(name: str, default: int) -> int:
    """The count limit ``name`` sets (``256``, ``1e3``, ``1_000``), else ``default``."""
    return _limit(name, default, {"": 1}, "a whole number such as 256 or 1e3")


def _limit(name: str, default: int, units: dict[str, int], expected: str) -> int:
    setting = os.environ.get(name, "").strip()
    if not setting:
        return default
    match = _SIZE.fullmatch(setting)
    unit = units.get(match.group("unit").lower()) if match else None
    number = _number(match.group("number")) if match else None
    if unit is None or number is None or number * unit < 1:
        raise InputError(f"{name}={setting!r}: expected {expected}, greater than zero")
    return math.floor(number * unit)


def _number(text: str) -> float | None:
    """``1_000``, ``1.5``, ``1e3``; None for a stray underscore or a value too large to be a limit."""
    if "__" in text or text.endswith("_") or "_." in text or "._" in text:
        return None
    value = float(text.replace("_", ""))
    return value if math.isfinite(value) else None
