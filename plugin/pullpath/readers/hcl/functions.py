"""The Terraform functions a scan evaluates on known values.

A function whose arguments hold an unknown value returns :data:`UNKNOWN` (a value known only after
apply stays unknown through any function); a call Terraform itself would reject raises
:class:`EvalError`, which ``try`` and ``can`` catch. Functions not listed here evaluate to UNKNOWN.
``try``, ``can`` and the conditional are lazy and live in the evaluator.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from pullpath.model import UNKNOWN


class EvalError(Exception):
    """An expression Terraform would reject (missing key, bad index, wrong type)."""


def contains_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(item) for item in value)
    return False


def to_text(value: Any) -> str:
    """Terraform's conversion of a primitive to a string (templates, ``tostring``, ``join``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value
    if value is None:
        raise EvalError("null value in a string")
    raise EvalError(f"cannot convert {type(value).__name__} to string")


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("bool is not a number")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise EvalError(f"{value!r} is not a number") from None
        return int(number) if number.is_integer() else number
    raise EvalError("not a number")


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise EvalError("not a bool")


def _format(spec: str, *args: Any) -> str:
    out: list[str] = []
    position = 0
    pattern = re.compile(r"%(?:\[(\d+)\])?([-+# 0]*\d*(?:\.\d+)?)([%vsdqtfeEgGxXobc])")
    last = 0
    for match in pattern.finditer(spec):
        out.append(spec[last : match.start()])
        last = match.end()
        verb = match.group(3)
        if verb == "%":
            out.append("%")
            continue
        if match.group(1):
            position = int(match.group(1)) - 1
        if position >= len(args):
            raise EvalError("not enough arguments for format")
        value = args[position]
        position += 1
        if verb == "q":
            out.append(json.dumps(to_text(value)))
        elif verb in "dxXob":
            number = int(to_number(value))
            out.append(str(number) if verb == "d" else format(number, verb))
        elif verb in "feEgG":
            out.append(("%" + match.group(2) + verb) % float(to_number(value)))
        elif verb == "t":
            out.append(to_text(to_bool(value)))
        elif verb == "v" and not isinstance(value, str | int | float | bool):
            out.append(json.dumps(value))
        else:
            text = to_text(value)
            width = match.group(2)
            out.append(("%" + width + "s") % text if width else text)
    out.append(spec[last:])
    return "".join(out)


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if not isinstance(mapping, Mapping):
        raise EvalError("lookup needs a map")
    key = to_text(key)
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise EvalError(f"key {key!r} not in map")


def _merge(*maps: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for mapping in maps:
        if mapping is None:
            continue
        if not isinstance(mapping, Mapping):
            raise EvalError("merge needs maps")
        merged.update(mapping)
    return merged


def _concat(*lists: Any) -> list[Any]:
    out: list[Any] = []
    for item in lists:
        if not isinstance(item, list | tuple):
            raise EvalError("concat needs lists")
        out.extend(item)
    return out


def _join(separator: Any, *lists: Any) -> str:
    items = [item for values in lists for item in _as_list(values)]
    return to_text(separator).join(to_text(item) for item in items)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    raise EvalError("expected a list")


def _element(values: Any, index: Any) -> Any:
    items = _as_list(values)
    if not items:
        raise EvalError("element of an empty list")
    return items[int(to_number(index)) % len(items)]


def _flatten(values: Any) -> list[Any]:
    out: list[Any] = []
    for item in _as_list(values):
        out.extend(_flatten(item) if isinstance(item, list | tuple) else [item])
    return out


def _distinct(values: Any) -> list[Any]:
    out: list[Any] = []
    for item in _as_list(values):
        if item not in out:
            out.append(item)
    return out


class TfSet(list):  # type: ignore[type-arg]
    """A set: iterating it (``for_each``, ``dynamic``, ``for``) gives each element as its own key."""


def _toset(values: Any) -> TfSet:
    return TfSet(sorted(_distinct(values), key=lambda item: (str(type(item)), str(item))))


def _keys(mapping: Any) -> list[str]:
    if not isinstance(mapping, Mapping):
        raise EvalError("keys needs a map")
    return sorted(mapping)


def _values(mapping: Any) -> list[Any]:
    return [mapping[key] for key in _keys(mapping)]


def _length(value: Any) -> int:
    if isinstance(value, str | list | tuple | Mapping):
        return len(value)
    raise EvalError("length of a primitive")


def _substr(text: Any, offset: Any, length: Any) -> str:
    value, start, size = to_text(text), int(to_number(offset)), int(to_number(length))
    if start < 0:
        start += len(value)
    return value[start:] if size < 0 else value[start : start + size]


def _one(values: Any) -> Any:
    items = _as_list(values)
    if len(items) > 1:
        raise EvalError("one() of more than one element")
    return items[0] if items else None


def _tomap(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise EvalError("tomap needs an object")
    return dict(value)


def _tostring(value: Any) -> str | None:
    return None if value is None else to_text(value)


def _regex_pattern(pattern: Any) -> re.Pattern[str]:
    try:
        return re.compile(to_text(pattern).replace("(?P<", "(?P<").replace("\\z", "\\Z"))
    except re.error as error:
        raise EvalError(f"bad pattern: {error}") from None


def _replace(text: Any, search: Any, replacement: Any) -> str:
    needle = to_text(search)
    if len(needle) > 1 and needle.startswith("/") and needle.endswith("/"):
        return _regex_pattern(needle[1:-1]).sub(to_text(replacement).replace("$", "\\"), to_text(text))
    return to_text(text).replace(needle, to_text(replacement))


def _trim(text: Any, chars: Any) -> str:
    return to_text(text).strip(to_text(chars))


def _startswith(text: Any, prefix: Any) -> bool:
    return to_text(text).startswith(to_text(prefix))


def _endswith(text: Any, suffix: Any) -> bool:
    return to_text(text).endswith(to_text(suffix))


def _contains(values: Any, item: Any) -> bool:
    return item in _as_list(values)


def _coalescelist(*lists: Any) -> list[Any]:
    for item in lists:
        if _as_list(item):
            return list(item)
    raise EvalError("no non-empty list")


def _compact(values: Any) -> list[Any]:
    return [item for item in _as_list(values) if item not in (None, "")]


def _zipmap(keys: Any, values: Any) -> dict[str, Any]:
    return {to_text(key): value for key, value in zip(_as_list(keys), _as_list(values), strict=True)}


def _range(*bounds: Any) -> list[int | float]:
    numbers = [to_number(bound) for bound in bounds]
    start, stop, step = (
        (0, numbers[0], 1) if len(numbers) == 1 else (*numbers[:2], numbers[2] if len(numbers) > 2 else 1)
    )
    if step == 0 or abs((stop - start) / step) > 1024:
        raise EvalError("range too long")
    out: list[int | float] = []
    value = start
    while (step > 0 and value < stop) or (step < 0 and value > stop):
        out.append(value)
        value += step
    return out


def _split(separator: Any, text: Any) -> list[str]:
    value = to_text(text)
    return [] if value == "" else value.split(to_text(separator))


def _jsonencode(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _jsondecode(text: Any) -> Any:
    try:
        return json.loads(to_text(text))
    except ValueError:
        raise EvalError("invalid JSON") from None


def _regex(pattern: Any, text: Any) -> Any:
    match = _regex_pattern(pattern).search(to_text(text))
    if not match:
        raise EvalError("pattern did not match")
    if match.groupdict():
        return match.groupdict()
    return list(match.groups()) if match.groups() else match.group(0)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "format": lambda spec, *args: _format(to_text(spec), *args),
    "formatlist": lambda spec, *lists: [
        _format(to_text(spec), *row) for row in zip(*[_as_list(items) for items in lists], strict=True)
    ],
    "lower": lambda text: to_text(text).lower(),
    "upper": lambda text: to_text(text).upper(),
    "title": lambda text: to_text(text).title(),
    "join": _join,
    "split": _split,
    "lookup": _lookup,
    "merge": _merge,
    "concat": _concat,
    "tostring": _tostring,
    "tonumber": lambda value: None if value is None else to_number(value),
    "tobool": lambda value: None if value is None else to_bool(value),
    "tolist": _as_list,
    "toset": _toset,
    "tomap": _tomap,
    "sensitive": lambda value: value,
    "nonsensitive": lambda value: value,
    "replace": _replace,
    "trimspace": lambda text: to_text(text).strip(),
    "trim": _trim,
    "trimprefix": lambda text, prefix: to_text(text).removeprefix(to_text(prefix)),
    "trimsuffix": lambda text, suffix: to_text(text).removesuffix(to_text(suffix)),
    "chomp": lambda text: to_text(text).rstrip("\r\n"),
    "substr": _substr,
    "startswith": _startswith,
    "endswith": _endswith,
    "strcontains": lambda text, part: to_text(part) in to_text(text),
    "length": _length,
    "element": _element,
    "index": lambda values, item: (
        _as_list(values).index(item) if item in _as_list(values) else _raise("absent")
    ),
    "contains": _contains,
    "keys": _keys,
    "values": _values,
    "flatten": _flatten,
    "distinct": _distinct,
    "compact": _compact,
    "coalescelist": _coalescelist,
    "zipmap": _zipmap,
    "range": _range,
    "one": _one,
    "min": lambda *numbers: min(to_number(n) for n in numbers),
    "max": lambda *numbers: max(to_number(n) for n in numbers),
    "abs": lambda number: abs(to_number(number)),
    "ceil": lambda number: math.ceil(to_number(number)),
    "floor": lambda number: math.floor(to_number(number)),
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "regex": _regex,
    "reverse": lambda values: list(reversed(_as_list(values))),
    "sort": lambda values: sorted(to_text(item) for item in _as_list(values)),
    "slice": lambda values, start, end: _as_list(values)[int(to_number(start)) : int(to_number(end))],
}


def _raise(message: str) -> Any:
    raise EvalError(message)


def call(name: str, args: list[Any]) -> Any:
    """Apply a function to evaluated arguments; UNKNOWN for unknown inputs or unlisted functions."""
    function = FUNCTIONS.get(name)
    if function is None:
        return UNKNOWN
    if name not in ("sensitive", "nonsensitive", "merge", "concat", "compact") and contains_unknown(args):
        return UNKNOWN
    if name in ("merge", "concat") and any(arg is UNKNOWN for arg in args):
        return UNKNOWN
    if name == "compact" and contains_unknown(args):
        return UNKNOWN
    try:
        return function(*args)
    except EvalError:
        raise
    except (
        TypeError,
        ValueError,
        KeyError,
        IndexError,
        ZeroDivisionError,
        OverflowError,
        AttributeError,
    ) as error:
        raise EvalError(f"{name}(): {error}") from None
