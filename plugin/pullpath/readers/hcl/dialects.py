"""Parse ``.tf``/``.tfvars``/``.tf.json`` text into one neutral form, whichever hcl2 is installed.

Three output dialects exist, all of them a module named ``hcl2``:

* bc-python-hcl2 0.4 (installed with checkov): every attribute value wrapped in a one-element list,
  strings unquoted with their escapes still in them, ``__start_line__`` on top-level blocks;
* python-hcl2 7: no wrapping, strings unquoted, ``__start_line__`` on every block when asked for
  ``with_meta``. Its own escape processing is switched off (:func:`_load_v7`): it decodes some
  escapes and not others, and cannot be undone;
* python-hcl2 8: no wrapping, string literals keep their quotes, labels quoted, ``__is_block__``
  marks blocks, no line numbers.

The installed dialect is found once by parsing a probe. Each dialect is then turned into the same
:class:`Body` of attributes (parsed :mod:`~pullpath.readers.hcl.syntax` expressions) and blocks, so
nothing after this module knows which parser ran.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from pullpath.readers.hcl.syntax import (
    Call,
    Expr,
    ForExpr,
    Lit,
    Name,
    ObjectExpr,
    TupleExpr,
    parse_template,
    unescape,
)

_META = frozenset({"__start_line__", "__end_line__", "__is_block__", "__comments__", "__inline_comments__"})

#: Labels of the top-level blocks (and the labelled nested ones) a configuration may hold.
LABELS = {
    "resource": 2,
    "data": 2,
    "module": 1,
    "variable": 1,
    "output": 1,
    "provider": 1,
    "locals": 0,
    "terraform": 0,
    "dynamic": 1,
    "provisioner": 1,
    "check": 1,
}


class HclSyntaxError(ValueError):
    """A file the parser rejects; its message is one line naming the problem."""


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    line: int | None = None


@dataclass(frozen=True)
class Body:
    attributes: Mapping[str, Expr] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()


@functools.lru_cache(maxsize=1)
def dialect() -> str:
    """``bc``, ``v7`` or ``v8``: which hcl2 output dialect this environment produces."""
    import hcl2

    probe = hcl2.loads('a = "x"\n')
    value = probe.get("a")
    if isinstance(value, list):
        return "bc"
    if isinstance(value, str) and value.startswith('"'):
        return "v8"
    return "v7"


def _load(text: str) -> object:
    """What the installed parser returns (a dict, unless it misbehaves: :func:`parse_hcl` checks)."""
    import hcl2

    kind = dialect()
    if kind == "v7":
        return _load_v7(text)
    if kind == "v8":
        try:
            from hcl2.utils import SerializationOptions

            options = SerializationOptions(with_meta=True, with_comments=False, preserve_heredocs=False)
            return hcl2.loads(text, serialization_options=options)
        except ImportError:
            return hcl2.loads(text)
    return hcl2.loads(text)


def _load_v7(text: str) -> object:
    r"""What python-hcl2 7's ``loads(text, with_meta=True)`` returns, string escapes as written.

    Its ``process_escape_sequences`` replaces ``\n``, ``\r``, ``\t``, ``\"`` and ``\\`` one after
    the other and leaves ``\uNNNN``: ``"caf\u00e9"`` stays escaped, and ``"C:\\new"`` becomes a
    backslash and a newline. Its output cannot be decoded the rest of the way (``"\\u00e9"`` and
    ``"\u00e9"`` come out alike), so the escapes are kept and decoded once, as for the other
    dialects, by :func:`~pullpath.readers.hcl.syntax.parse_template`. Every 7.x release has the
    same ``parser()``, ``DictTransformer`` and ``process_escape_sequences``.
    """
    from hcl2.parser import parser

    # Lark needs the newline ``hcl2.loads`` appends: the grammar has no end-of-file token.
    return _escapes_as_written()(with_meta=True).transform(parser().parse(text + "\n"))


@functools.lru_cache(maxsize=1)
def _escapes_as_written() -> Any:
    """python-hcl2 7's transformer with its escape processing switched off (built once)."""
    from hcl2.transformer import DictTransformer

    class EscapesAsWritten(DictTransformer):  # type: ignore[misc]  # hcl2 is untyped (Any): see pyproject
        def process_escape_sequences(self, value: Any) -> Any:
            return value

    return EscapesAsWritten


def parse_hcl(text: str, parsed: dict[str, Any] | None = None) -> Body:
    """Parse HCL native syntax; :class:`HclSyntaxError` with one line if the parser rejects it.

    ``parsed`` is this text's parse by the same hcl2 parser when a host already made one
    (see :mod:`pullpath.readers.hcl.shared_parses`).
    """
    try:
        raw = parsed if parsed is not None and dialect() == "bc" else _load(text)
    except RecursionError:
        raise HclSyntaxError("nested too deeply") from None
    except Exception as error:  # lark raises many types; every one means "not valid HCL"
        raise HclSyntaxError(_describe(error)) from None
    if not isinstance(raw, dict):
        raise HclSyntaxError("the parser returned no document")
    try:
        return _Normaliser(dialect(), text).top(raw)
    except RecursionError:
        raise HclSyntaxError("nested too deeply") from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
        raise HclSyntaxError(f"a structure pullpath cannot read ({type(error).__name__})") from None


def _describe(error: Exception) -> str:
    """Where and what kind of syntax error, never the offending text (it may be a secret)."""
    line = getattr(error, "line", None)
    column = getattr(error, "column", None)
    token = getattr(error, "token", None)
    if token is not None and getattr(token, "type", None) == "$END":
        what = "unexpected end of file"
    elif token is not None:
        what = f"unexpected {getattr(token, 'type', 'token')} token"
    elif hasattr(error, "char"):
        what = "unexpected character"
    elif "unclosed quote" in str(error):
        what = "unclosed quote marks"
    else:
        what = f"not valid HCL ({type(error).__name__})"
    if isinstance(line, int) and line > 0:
        where = f"line {line}, column {column}" if isinstance(column, int) and column > 0 else f"line {line}"
        return f"{where}: {what}"
    return what


class _Normaliser:
    def __init__(self, kind: str, text: str) -> None:
        self.kind = kind
        self.text = text

    def label(self, value: str) -> str:
        if self.kind == "v8" and len(value) >= 2 and value[0] == value[-1] == '"':
            return value[1:-1]
        return value

    def top(self, raw: Mapping[str, Any]) -> Body:
        attributes: dict[str, Expr] = {}
        blocks: list[Block] = []
        for key, value in raw.items():
            if key in _META:
                continue
            count = LABELS.get(key)
            if count is not None and self._looks_like_blocks(value, top=True):
                for element in value if isinstance(value, list) else [value]:
                    blocks.extend(self._labelled(key, element, count, (), top=True))
            else:
                attributes[key] = self.value(self._unwrap(value))
        return Body(attributes, tuple(blocks))

    def _looks_like_blocks(self, value: Any, top: bool = False) -> bool:
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(item, dict) for item in items):
            return False
        if self.kind == "bc":
            return top or all(self._bc_body(item) for item in items)
        if self.kind == "v8":
            return all(self._v8_block(item) for item in items)
        return isinstance(value, list) and all("__start_line__" in item or top for item in items)

    @staticmethod
    def _bc_body(item: Mapping[str, Any]) -> bool:
        """bc wraps every attribute of a block body in a list; an object attribute is not wrapped."""
        if "__start_line__" in item:
            return True
        keys = [key for key in item if key not in _META]
        return bool(keys) and all(isinstance(item[key], list) for key in keys)

    @staticmethod
    def _v8_block(item: Mapping[str, Any]) -> bool:
        if item.get("__is_block__"):
            return True
        keys = [key for key in item if key not in _META]
        return bool(keys) and all(isinstance(item[k], dict) and _v8_labelled(item[k]) for k in keys)

    def _labelled(
        self, kind: str, element: Any, count: int, labels: tuple[str, ...], top: bool = False
    ) -> list[Block]:
        """Blocks of one type; only a top-level block's line is looked for in the text when the
        dialect omits it (only those lines are reported, and searching the text for every nested
        block was a third of reading a file)."""
        if not isinstance(element, dict):
            return []
        if len(labels) == count:
            line = element.get("__start_line__")
            if not isinstance(line, int):
                line = self._find_line(kind, labels) if top else None
            return [Block(kind, labels, self.body(element), line)]
        found: list[Block] = []
        for key, inner in element.items():
            if key in _META:
                continue
            for item in inner if isinstance(inner, list) else [inner]:
                found.extend(self._labelled(kind, item, count, (*labels, self.label(key)), top))
        return found

    def _find_line(self, kind: str, labels: tuple[str, ...]) -> int | None:
        """A block's line from the text, for a dialect that does not report it."""
        pattern = (
            r"^[ \t]*" + re.escape(kind) + "".join(r'\s+"?' + re.escape(label) + '"?' for label in labels)
        )
        match = re.search(pattern + r"\s*\{", self.text, re.MULTILINE)
        return self.text.count("\n", 0, match.start()) + 1 if match else None

    def body(self, raw: Mapping[str, Any]) -> Body:
        attributes: dict[str, Expr] = {}
        blocks: list[Block] = []
        for key, value in raw.items():
            if key in _META:
                continue
            count = LABELS.get(key) if key in ("dynamic", "provisioner") else 0
            if self._looks_like_blocks(value) or (count and isinstance(value, list)):
                for element in value if isinstance(value, list) else [value]:
                    blocks.extend(self._labelled(key, element, count or 0, ()))
            else:
                attributes[key] = self.value(self._unwrap(value))
        return Body(attributes, tuple(blocks))

    def _unwrap(self, value: Any) -> Any:
        if self.kind == "bc" and isinstance(value, list) and len(value) == 1:
            return value[0]
        return value

    def value(self, raw: Any) -> Expr:
        if isinstance(raw, str):
            return self.string(raw)
        if isinstance(raw, list):
            return TupleExpr(tuple(self.value(item) for item in raw))
        if isinstance(raw, dict):
            return ObjectExpr(
                tuple((self.key(key), self.value(item)) for key, item in raw.items() if key not in _META)
            )
        return Lit(raw)

    def key(self, raw: Any) -> Expr:
        if not isinstance(raw, str):
            return Lit(str(raw).lower() if isinstance(raw, bool) else str(raw))  # `1 = "..."` in a map
        if raw.startswith("${") and raw.endswith("}"):
            return parse_template(raw)
        return Lit(unescape(self.label(raw)))  # a quoted key is a string literal: `"caf\u00e9" = 1`

    def string(self, raw: str) -> Expr:
        if self.kind == "v8":
            if len(raw) >= 2 and raw[0] == raw[-1] == '"':
                return parse_template(raw[1:-1])
            heredoc = re.match(r"<<(-?)([A-Za-z_][\w-]*)\n(.*)\n\s*\2\s*$", raw, re.DOTALL)
            if heredoc:
                return parse_template(heredoc.group(3), escapes=False)
            return parse_template(raw)
        parsed = parse_template(raw)
        return _requote(parsed, frozenset()) if self.kind == "v7" else parsed


#: Names that start a reference; any other bare name in a tuple of a call lost its quotes (v7).
_ROOT_NAMES = frozenset({"var", "local", "module", "data", "each", "count", "path", "terraform", "self"})


def _requote(expr: Expr, bound: frozenset[str]) -> Expr:
    """Undo python-hcl2 7's lost quotes: ``toset([api, worker])`` was ``toset(["api", "worker"])``.

    A bare name that no for-expression binds is not a valid reference, so in a tuple passed to a
    function it can only be a string whose quotes were dropped. Strings with spaces or slashes do
    not even parse, and stay unknown.
    """
    if isinstance(expr, Call):
        return replace(expr, args=tuple(_requote_tuple(arg, bound) for arg in expr.args))
    if isinstance(expr, ForExpr):
        inner = bound | {expr.value_var, *([expr.key_var] if expr.key_var else [])}
        return replace(
            expr,
            collection=_requote(expr.collection, bound),
            key=None if expr.key is None else _requote(expr.key, inner),
            value=_requote(expr.value, inner),
            condition=None if expr.condition is None else _requote(expr.condition, inner),
        )
    changes: dict[str, Any] = {}
    for item in fields(expr):
        value = getattr(expr, item.name)
        if isinstance(value, Expr):
            changes[item.name] = _requote(value, bound)
        elif isinstance(value, tuple) and value and all(isinstance(v, Expr | str | tuple) for v in value):
            changes[item.name] = tuple(_requote_any(v, bound) for v in value)
    return replace(expr, **changes) if changes else expr


def _requote_any(value: Any, bound: frozenset[str]) -> Any:
    if isinstance(value, Expr):
        return _requote(value, bound)
    if isinstance(value, tuple):
        return tuple(_requote_any(v, bound) for v in value)
    return value


def _requote_tuple(expr: Expr, bound: frozenset[str]) -> Expr:
    if not isinstance(expr, TupleExpr):
        return _requote(expr, bound)
    return TupleExpr(
        tuple(
            Lit(item.name)
            if isinstance(item, Name) and item.name not in bound | _ROOT_NAMES
            else _requote(item, bound)
            for item in expr.items
        )
    )


def _v8_labelled(item: Mapping[str, Any]) -> bool:
    """A label level of a v8 block (``{"\\"name\\"": {..., "__is_block__": true}}``)."""
    return bool(item.get("__is_block__")) or any(
        isinstance(inner, dict) and _v8_labelled(inner) for key, inner in item.items() if key not in _META
    )


def parse_tf_json(text: str) -> Body:
    """Terraform's JSON syntax: strings are templates, arrays of objects are nested blocks."""
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise HclSyntaxError(f"not valid JSON ({' '.join(str(error).split())[:160]})") from None
    if not isinstance(raw, dict):
        raise HclSyntaxError("a .tf.json file must hold a JSON object")
    blocks: list[Block] = []
    attributes: dict[str, Expr] = {}
    for kind, value in raw.items():
        count = LABELS.get(kind)
        if count is None:
            if not kind.startswith("//"):
                attributes[kind] = _json_value(value)
            continue
        for element in value if isinstance(value, list) else [value]:
            blocks.extend(_json_labelled(kind, element, count, (), text))
    return Body(attributes, tuple(blocks))


def _json_labelled(kind: str, element: Any, count: int, labels: tuple[str, ...], text: str) -> list[Block]:
    if not isinstance(element, dict):
        return []
    if len(labels) == count:
        return [Block(kind, labels, _json_body(element), _json_line(text, labels))]
    found: list[Block] = []
    for key, inner in element.items():
        if key.startswith("//"):
            continue
        for item in inner if isinstance(inner, list) else [inner]:
            found.extend(_json_labelled(kind, item, count, (*labels, key), text))
    return found


def _json_line(text: str, labels: tuple[str, ...]) -> int | None:
    position = 0
    for label in labels:
        position = text.find(json.dumps(label), position)
        if position < 0:
            return None
    return text.count("\n", 0, position) + 1


def _json_body(raw: Mapping[str, Any]) -> Body:
    attributes: dict[str, Expr] = {}
    blocks: list[Block] = []
    for key, value in raw.items():
        if key.startswith("//"):
            continue
        if key == "dynamic" and isinstance(value, dict):
            for label, inner in value.items():
                for item in inner if isinstance(inner, list) else [inner]:
                    if isinstance(item, dict):
                        blocks.append(Block("dynamic", (label,), _json_body(item)))
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            blocks.extend(Block(key, (), _json_body(item)) for item in value)
        elif key in ("lifecycle", "content") and isinstance(value, dict):
            blocks.append(Block(key, (), _json_body(value)))
        else:
            attributes[key] = _json_value(value)
    return Body(attributes, tuple(blocks))


def _json_value(raw: Any) -> Expr:
    if isinstance(raw, str):
        return parse_template(raw, escapes=False)
    if isinstance(raw, list):
        return TupleExpr(tuple(_json_value(item) for item in raw))
    if isinstance(raw, dict):
        return ObjectExpr(tuple((Lit(key), _json_value(item)) for key, item in raw.items()))
    return Lit(raw)
