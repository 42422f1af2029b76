"""The Terraform functions a scan evaluates on known values.

A function whose arguments hold an unknown value returns :data:`UNKNOWN` (a value known only after
apply stays unknown through any function); a call Terraform itself would reject raises
:class:`EvalError`, which ``try`` and ``can`` catch. Functions not listed here evaluate to UNKNOWN.
``try``, ``can`` and the conditional are lazy and live in the evaluator.

Sources are untrusted input (``scan`` runs on pull requests), so every function stays within
budgets, checked *before* it builds a value: a string holds at most :data:`MAX_STRING_CHARS`
characters, a list, set or map at most :data:`MAX_ELEMENTS` elements, and regular expressions run
on the ``regex`` engine with a timeout (:class:`RegexTime`). Going beyond one raises
:class:`LimitExceeded`, naming the limit: the value is UNKNOWN and the report says why.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

import regex

from pullpath.model import UNKNOWN

#: Characters in one string (1 MiB): ``format("%900000000s", "")`` would need 1.8 GB.
MAX_STRING_CHARS = 1024**2
#: Elements in one list, set or map, and in all the rows ``formatlist`` makes together.
MAX_ELEMENTS = 100_000
#: Characters all the strings of one ``formatlist`` may hold together (16 MiB).
MAX_TEXT_CHARS = 16 * MAX_STRING_CHARS
#: Seconds one regex match or replace may run, and all of them in one root module together.
REGEX_SECONDS = 0.5
REGEX_SECONDS_PER_ROOT = 1.0
#: Bits of an integer: repeated multiplication doubles them each time.
MAX_INTEGER_BITS = 1024
#: Terraform's RE2 rejects these; Python's engines accept them and may backtrack for ever on them.
_NOT_RE2 = re.compile(r"\\[1-9]|\(\?<?[=!]|\(\?P=|\\g<")


class EvalError(Exception):
    """An expression Terraform would reject (missing key, bad index, wrong type)."""


class LimitExceeded(Exception):
    """A value beyond one of the evaluation budgets; the message names the limit.

    Not an :class:`EvalError`: ``try()`` and ``can()`` must not turn it into a fallback value or
    ``false``, since Terraform would evaluate the expression. Its value is UNKNOWN.
    """


def check_string(text: str) -> str:
    if len(text) > MAX_STRING_CHARS:
        raise LimitExceeded(f"a string over {MAX_STRING_CHARS:,} characters (1 MiB)")
    return text


def check_text_size(size: int) -> None:
    """Refuse a string before building it, from the size it would have."""
    if size > MAX_STRING_CHARS:
        raise LimitExceeded(f"a string over {MAX_STRING_CHARS:,} characters (1 MiB)")


def check_elements(size: int) -> None:
    if size > MAX_ELEMENTS:
        raise LimitExceeded(f"a collection over {MAX_ELEMENTS:,} elements")


def check_integer(number: Any) -> Any:
    if type(number) is int and number.bit_length() > MAX_INTEGER_BITS:
        raise LimitExceeded(f"a number over {MAX_INTEGER_BITS} bits")
    return number


def text_size(value: Any, limit: int = MAX_STRING_CHARS) -> int:
    """About how many characters ``value`` takes as text (JSON for collections), counted up to ``limit``.

    Iterative and stopping early: one list may hold the same 1 MiB string a hundred thousand
    times, which costs nothing to hold and 100 GB to encode.
    """
    size = 0
    stack = [value]
    while stack and size <= limit:
        item = stack.pop()
        if isinstance(item, str):
            size += len(item) + 2
        elif isinstance(item, Mapping):
            size += 2
            for key, member in item.items():
                size += len(str(key)) + 4
                stack.append(member)
        elif isinstance(item, list | tuple):
            size += 2 + len(item)
            stack.extend(item)
        else:
            size += 24
    return size


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
    """A Terraform number; NaN and infinities (``tonumber("nan")``, ``1e400``) are not numbers there."""
    if isinstance(value, bool):
        raise EvalError("bool is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EvalError("not a finite number")
        return value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise EvalError("not a number") from None
        if not math.isfinite(number):
            raise EvalError("not a finite number")
        return int(number) if number.is_integer() else number
    raise EvalError("not a number")


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise EvalError("not a bool")


_FORMAT_VERB = re.compile(r"%(?:\[(\d+)\])?([-+# 0]*\d*(?:\.\d+)?)([%vsdqtfeEgGxXobc])")


def _format(spec: str, *args: Any) -> str:
    out: list[str] = []
    position = last = size = 0
    for match in _FORMAT_VERB.finditer(spec):
        index, flags, verb = match.groups()
        if any(int(number) > MAX_STRING_CHARS for number in re.findall(r"\d+", flags)):
            raise LimitExceeded(f"a format width or precision over {MAX_STRING_CHARS:,} characters")
        if verb == "%":
            piece = "%"
        else:
            if index:
                position = int(index) - 1
            if position >= len(args):
                raise EvalError("not enough arguments for format")
            piece = _format_value(verb, flags, args[position])
            position += 1
        out += (spec[last : match.start()], piece)
        size += match.start() - last + len(piece)
        check_text_size(size)
        last = match.end()
    out.append(spec[last:])
    return check_string("".join(out))


def _format_value(verb: str, flags: str, value: Any) -> str:
    """One ``%`` verb applied to its argument; widths and precisions are already bounded."""
    if verb == "q":
        return json.dumps(to_text(value))
    if verb in "dxXob":
        number = int(to_number(value))
        return str(number) if verb == "d" else format(number, verb)
    if verb in "feEgG":
        return str(("%" + flags + verb) % float(to_number(value)))
    if verb == "t":
        return to_text(to_bool(value))
    if verb == "v" and not isinstance(value, str | int | float | bool):
        check_text_size(text_size(value))
        return json.dumps(value)
    text = to_text(value)
    return ("%" + flags + "s") % text if flags else text


def _formatlist(spec: Any, *lists: Any) -> list[str]:
    rows: list[str] = []
    size = 0
    for row in zip(*[_as_list(items) for items in lists], strict=True):
        rows.append(_format(to_text(spec), *row))
        size += len(rows[-1])
        if size > MAX_TEXT_CHARS:
            raise LimitExceeded(f"formatlist() rows over {MAX_TEXT_CHARS:,} characters together")
    return rows


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
        check_elements(len(merged) + len(mapping))
        merged.update(mapping)
    return merged


def _concat(*lists: Any) -> list[Any]:
    out: list[Any] = []
    for item in lists:
        if not isinstance(item, list | tuple):
            raise EvalError("concat needs lists")
        check_elements(len(out) + len(item))
        out.extend(item)
    return out


def _join(separator: Any, *lists: Any) -> str:
    items = [to_text(item) for values in lists for item in _as_list(values)]
    glue = to_text(separator)
    check_text_size(sum(len(item) for item in items) + len(glue) * max(len(items) - 1, 0))
    return glue.join(items)


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
        check_elements(len(out))
    return out


def _distinct(values: Any) -> list[Any]:
    """First occurrences in order, by a hashable key of each value: linear, not quadratic."""
    seen: set[Any] = set()
    out: list[Any] = []
    for item in _as_list(values):
        key = _identity(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _identity(value: Any) -> Any:
    """A hashable key equal for equal Terraform values (``1`` and ``1.0`` alike, ``true`` not ``1``)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", value)
    if isinstance(value, str) or value is None:
        return ("text", value)
    return ("json", json.dumps(value, sort_keys=True, default=repr))


class TfSet(list[Any]):
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


class RegexTime:
    """The regex time left to one evaluation (one root module).

    Terraform's RE2 matches in linear time; Python's engines backtrack, so ``(x+x+)+y`` on a few
    thousand characters would run for ages. Patterns RE2 rejects (backreferences, lookarounds)
    are refused outright, as Terraform refuses them; the rest run on the ``regex`` engine, which
    can be stopped: after :data:`REGEX_SECONDS` per call or :data:`REGEX_SECONDS_PER_ROOT` in all.
    """

    def __init__(self, seconds: float = REGEX_SECONDS_PER_ROOT) -> None:
        self.left = seconds

    def run(self, work: Callable[[float], Any]) -> Any:
        """``work(timeout)``, charged for the time it takes; LimitExceeded when it runs out."""
        if self.left <= 0:
            raise LimitExceeded(f"regular expressions over {REGEX_SECONDS_PER_ROOT:g} s in this root module")
        start = time.perf_counter()
        try:
            return work(min(REGEX_SECONDS, self.left))
        except TimeoutError:
            raise LimitExceeded(f"a regular expression over {REGEX_SECONDS:g} s (backtracking)") from None
        finally:
            self.left -= time.perf_counter() - start


def _regex_pattern(pattern: Any) -> regex.Pattern[str]:
    text = to_text(pattern)
    if _NOT_RE2.search(text):
        raise EvalError("backreferences and lookarounds are not RE2 syntax")
    try:
        return regex.compile(text.replace("\\z", "\\Z"))
    except (regex.error, OverflowError, RecursionError) as error:
        raise EvalError(f"bad pattern: {type(error).__name__}") from None


def _replace(text: Any, search: Any, replacement: Any, *, clock: RegexTime) -> str:
    needle, value, substitute = to_text(search), to_text(text), to_text(replacement)
    if len(needle) > 1 and needle.startswith("/") and needle.endswith("/"):
        compiled = _regex_pattern(needle[1:-1])
        template = substitute.replace("$", "\\")
        grown = [len(value)]

        def expand(match: Any) -> str:
            piece = match.expand(template)
            grown[0] += len(piece) - (match.end() - match.start())
            check_text_size(grown[0])
            return str(piece)

        return str(clock.run(lambda timeout: compiled.sub(expand, value, timeout=timeout)))
    found = value.count(needle) if needle else len(value) + 1
    check_text_size(len(value) + found * (len(substitute) - len(needle)))
    return value.replace(needle, substitute)


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
    value, glue = to_text(text), to_text(separator)
    if value == "":
        return []
    check_elements((value.count(glue) if glue else len(value)) + 1)
    return value.split(glue)


def _jsonencode(value: Any) -> str:
    check_text_size(text_size(value))
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _jsondecode(text: Any) -> Any:
    try:
        return json.loads(to_text(text))
    except ValueError:
        raise EvalError("invalid JSON") from None


def _regex(pattern: Any, text: Any, *, clock: RegexTime) -> Any:
    compiled, value = _regex_pattern(pattern), to_text(text)
    match = clock.run(lambda timeout: compiled.search(value, timeout=timeout))
    if not match:
        raise EvalError("pattern did not match")
    if match.groupdict():
        return match.groupdict()
    return list(match.groups()) if match.groups() else match.group(0)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "format": lambda spec, *args: _format(to_text(spec), *args),
    "formatlist": _formatlist,
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


_TIMED = frozenset({"regex", "replace"})  # functions that may run a regular expression
#: Functions that pick or count elements of their first argument: an unknown element they do not
#: pick leaves the answer known (an ``app_settings`` map holding an unknown instrumentation key
#: still says ``WEBSITE_PULL_IMAGE_OVER_VNET = "true"``).
_PICKING = frozenset({"lookup", "element", "keys", "length"})


def call(name: str, args: list[Any], clock: RegexTime | None = None) -> Any:
    """Apply a function to evaluated arguments; UNKNOWN for unknown inputs or unlisted functions.

    ``clock`` is the regex time of the evaluation; a call without one gets a fresh allowance.
    """
    function = FUNCTIONS.get(name)
    if function is None:
        return UNKNOWN
    if name in _PICKING:
        if not args or args[0] is UNKNOWN or contains_unknown(args[1:]):
            return UNKNOWN
    elif name not in ("sensitive", "nonsensitive", "merge", "concat", "compact") and contains_unknown(args):
        return UNKNOWN
    if name in ("merge", "concat") and any(arg is UNKNOWN for arg in args):
        return UNKNOWN
    if name == "compact" and contains_unknown(args):
        return UNKNOWN
    try:
        result = function(*args, clock=clock or RegexTime()) if name in _TIMED else function(*args)
    except (EvalError, LimitExceeded):
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
    if isinstance(result, str):
        check_string(result)
    elif isinstance(result, list | Mapping):
        check_elements(len(result))
    return check_integer(result)
