"""HCL expressions and templates as a small syntax tree, parsed from the text the hcl2 parsers leave.

Both hcl2 parsers return every expression as text (``"${var.a ? 1 : 2}"``), and bc-python-hcl2 even
writes tuples and objects nested in an expression as Python literals (``merge({'a': 1},var.b)``).
This module parses that text, Python-literal artefacts included, into nodes the evaluator walks.
Text it cannot parse becomes :class:`Bad`, which evaluates to an unknown value, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar


class Expr:
    """Base of every node; nodes are immutable and hashable."""

    __slots__ = ()
    #: Every node is a frozen dataclass; declared here so ``dataclasses.fields`` and ``replace``
    #: type-check on an ``Expr`` (an annotation only: the subclasses' decorator sets the value).
    __dataclass_fields__: ClassVar[dict[str, Any]]


@dataclass(frozen=True)
class Lit(Expr):
    value: Any


@dataclass(frozen=True)
class Template(Expr):
    parts: tuple[str | Expr, ...]  # literal text and interpolations, in order


@dataclass(frozen=True)
class Name(Expr):
    """A bare root name: ``var``, ``local``, ``each``, a resource type, a for-expression variable."""

    name: str


@dataclass(frozen=True)
class GetAttr(Expr):
    target: Expr
    name: str


@dataclass(frozen=True)
class Index(Expr):
    target: Expr
    key: Expr


@dataclass(frozen=True)
class SplatItem(Expr):
    """The element a splat's trailing traversal applies to."""


@dataclass(frozen=True)
class Splat(Expr):
    source: Expr
    each: Expr  # a traversal rooted at SplatItem


@dataclass(frozen=True)
class Call(Expr):
    name: str
    args: tuple[Expr, ...]
    expand_last: bool = False


@dataclass(frozen=True)
class Cond(Expr):
    condition: Expr
    if_true: Expr
    if_false: Expr


@dataclass(frozen=True)
class BinOp(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Unary(Expr):
    op: str  # "!" or "-"
    operand: Expr


@dataclass(frozen=True)
class TupleExpr(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class ObjectExpr(Expr):
    items: tuple[tuple[Expr, Expr], ...]


@dataclass(frozen=True)
class ForExpr(Expr):
    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None  # None: a tuple-producing for
    value: Expr
    condition: Expr | None
    group: bool = False


@dataclass(frozen=True)
class Bad(Expr):
    """Text that could not be parsed (or a template directive): always an unknown value."""

    text: str


class ParseError(ValueError):
    pass


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'"}


def unescape(text: str) -> str:
    """HCL string escapes (``\\n``, ``\\"``, ``\\uXXXX``) to the characters they stand for."""
    if "\\" not in text:
        return text
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            nxt = text[index + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                index += 2
                continue
            width = {"u": 4, "U": 8}.get(nxt)
            digits = text[index + 2 : index + 2 + width] if width else ""
            if width and len(digits) == width and all(c in "0123456789abcdefABCDEF" for c in digits):
                code = int(digits, 16)
                out.append(chr(code) if code <= 0x10FFFF else "\ufffd")
                index += 2 + width
                continue
        out.append(char)
        index += 1
    return "".join(out)


def _closing_brace(text: str, start: int) -> int:
    """Index of the ``}`` closing an interpolation whose body starts at ``start``; -1 if none."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char in "\"'":
            index = _string_end(text, index)
            if index < 0:
                return -1
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return -1


def _string_end(text: str, start: int) -> int:
    """Index just past the string literal opening at ``start`` (nested interpolations included)."""
    quote = text[start]
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == quote:
            return index + 1
        if quote == '"' and text.startswith("${", index) and not text.startswith("$${", index - 1):
            close = _closing_brace(text, index + 2)
            if close < 0:
                return -1
            index = close + 1
            continue
        index += 1
    return -1


#: Templates up to this length are parsed once per process: the same strings (locations, names,
#: ``${var.x}`` references) recur in every root of a monorepo, and the nodes are immutable.
_CACHED_TEXT = 1024


def parse_template(text: str, escapes: bool = True) -> Expr:
    """A template (``acr${var.env}.azurecr.io``); a lone interpolation is its expression's value.

    ``escapes`` says whether backslash escapes are still in the text to decode: every hcl2 dialect
    keeps a quoted string's escapes (python-hcl2 7 once its own decoding is switched off, see
    ``dialects._load_v7``); a JSON string, and a heredoc where the dialect marks one (8), has none.
    """
    if len(text) > _CACHED_TEXT:
        return _parse_template(text, escapes)
    return _cached_template(text, escapes)


def _parse_template(text: str, escapes: bool) -> Expr:
    if "${" not in text and "%{" not in text:
        literal = unescape(text) if escapes else text
        return Lit(literal.replace("$${", "${").replace("%%{", "%{"))
    parts: list[str | Expr] = []
    buffer: list[str] = []
    index = 0
    while index < len(text):
        if text.startswith("$${", index) or text.startswith("%%{", index):
            buffer.append(text[index] + "{")
            index += 3
            continue
        if text.startswith("%{", index):
            return Bad(text)  # template directives (if/for) are not evaluated
        if text.startswith("${", index):
            close = _closing_brace(text, index + 2)
            if close < 0:
                return Bad(text)
            if buffer:
                parts.append(unescape("".join(buffer)) if escapes else "".join(buffer))
                buffer = []
            body = text[index + 2 : close].strip()
            if body.startswith("~"):
                body = body[1:]
            if body.endswith("~"):
                body = body[:-1]
            parts.append(parse_expression(body))
            index = close + 1
            continue
        buffer.append(text[index])
        index += 1
    if buffer:
        parts.append(unescape("".join(buffer)) if escapes else "".join(buffer))
    if len(parts) == 1 and isinstance(parts[0], Expr):
        return parts[0]
    if all(isinstance(part, str) for part in parts):
        return Lit("".join(part for part in parts if isinstance(part, str)))
    return Template(tuple(parts))


_cached_template = lru_cache(maxsize=16384)(_parse_template)


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<heredoc><<-?(?P<tag>[A-Za-z_][\w-]*)\n)
  | (?P<ident>[A-Za-z_][\w-]*(?:::[A-Za-z_][\w-]*)*)
  | (?P<op>\.\.\.|=>|==|!=|<=|>=|&&|\|\||\[\*\]|\.\*|[-+*/%<>!?:=.,()\[\]{}])
    """,
    re.VERBOSE,
)


@dataclass
class _Token:
    kind: str  # number, string, sqstring, ident, op, end
    text: str


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char in "\"'":
            end = _string_end(text, index)
            if end < 0:
                raise ParseError("unterminated string")
            tokens.append(_Token("string" if char == '"' else "sqstring", text[index + 1 : end - 1]))
            index = end
            continue
        if text.startswith("${", index):  # python-hcl2 7 leaves interpolations inside expressions
            close = _closing_brace(text, index + 2)
            if close < 0:
                raise ParseError("unterminated interpolation")
            tokens += [_Token("op", "("), *_tokens(text[index + 2 : close])[:-1], _Token("op", ")")]
            index = close + 1
            continue
        if char == "#" or text.startswith("//", index):
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
            continue
        if text.startswith("/*", index):
            close = text.find("*/", index + 2)
            index = len(text) if close < 0 else close + 2
            continue
        match = _TOKEN.match(text, index)
        if not match:
            raise ParseError(f"unexpected {char!r}")
        if match.lastgroup == "heredoc" or match.group("heredoc"):
            tag = match.group("tag")
            closing = re.compile(rf"^\s*{re.escape(tag)}\s*$", re.MULTILINE)
            found = closing.search(text, match.end())
            if not found:
                raise ParseError("unterminated heredoc")
            tokens.append(_Token("heredoc", text[match.end() : found.start()].rstrip("\n")))
            index = found.end()
            continue
        kind = match.lastgroup or "op"
        if kind != "space":
            tokens.append(_Token(kind, match.group(kind)))
        index = match.end()
    tokens.append(_Token("end", ""))
    return tokens


_BINARY = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))
_LITERAL_NAMES = {"true": True, "false": False, "null": None, "True": True, "False": False, "None": None}


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.position = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.position]

    def at(self, text: str, kind: str = "op") -> bool:
        token = self.current
        return token.kind == kind and token.text == text

    def take(self) -> _Token:
        token = self.current
        if token.kind != "end":
            self.position += 1
        return token

    def expect(self, text: str) -> None:
        if not self.at(text):
            raise ParseError(f"expected {text!r}, found {self.current.text!r}")
        self.take()

    def expression(self) -> Expr:
        condition = self.binary(0)
        if self.at("?"):
            self.take()
            if_true = self.expression()
            self.expect(":")
            return Cond(condition, if_true, self.expression())
        return condition

    def binary(self, level: int) -> Expr:
        if level == len(_BINARY):
            return self.unary()
        left = self.binary(level + 1)
        while self.current.kind == "op" and self.current.text in _BINARY[level]:
            op = self.take().text
            left = BinOp(op, left, self.binary(level + 1))
        return left

    def unary(self) -> Expr:
        if self.at("!") or self.at("-"):
            op = self.take().text
            operand = self.unary()
            if op == "-" and isinstance(operand, Lit) and isinstance(operand.value, int | float):
                return Lit(-operand.value)
            return Unary(op, operand)
        return self.postfix(self.primary())

    def postfix(self, expr: Expr) -> Expr:
        while True:
            if self.at("."):
                self.take()
                token = self.take()
                if token.kind == "number":
                    expr = Index(expr, Lit(int(float(token.text))))
                elif token.kind == "ident":
                    expr = GetAttr(expr, token.text)
                else:
                    raise ParseError("expected an attribute name")
            elif self.at("[*]") or self.at(".*"):
                self.take()
                expr = Splat(expr, self.postfix_chain(SplatItem()))
            elif self.at("["):
                self.take()
                key = self.expression()
                self.expect("]")
                expr = Index(expr, key)
            else:
                return expr

    def postfix_chain(self, expr: Expr) -> Expr:
        """The attribute and index steps after a splat, applied to each element."""
        while self.at(".") or self.at("["):
            if self.at("."):
                self.take()
                token = self.take()
                if token.kind != "ident":
                    raise ParseError("expected an attribute name after a splat")
                expr = GetAttr(expr, token.text)
            else:
                self.take()
                key = self.expression()
                self.expect("]")
                expr = Index(expr, key)
        return expr

    def primary(self) -> Expr:
        token = self.take()
        if token.kind == "number":
            number = float(token.text)
            return Lit(int(number) if number.is_integer() and "." not in token.text else number)
        if token.kind == "string":
            return parse_template(token.text)
        if token.kind == "sqstring":  # a Python literal left by bc-python-hcl2: the text is a template
            return parse_template(token.text.replace("\\'", "'"), escapes=False)
        if token.kind == "heredoc":
            return parse_template(token.text)
        if token.kind == "ident":
            if token.text in _LITERAL_NAMES:
                return Lit(_LITERAL_NAMES[token.text])
            if self.at("("):
                return self.call(token.text)
            return Name(token.text)
        if token.kind == "op" and token.text == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if token.kind == "op" and token.text == "[":
            return self.tuple()
        if token.kind == "op" and token.text == "{":
            return self.object()
        raise ParseError(f"unexpected {token.text or 'end of expression'!r}")

    def call(self, name: str) -> Expr:
        self.expect("(")
        args: list[Expr] = []
        expand = False
        while not self.at(")"):
            args.append(self.expression())
            if self.at("..."):
                self.take()
                expand = True
            if self.at(","):
                self.take()
            elif not self.at(")"):
                raise ParseError("expected ',' or ')' in a function call")
        self.take()
        return Call(name, tuple(args), expand)

    def for_intro(self) -> tuple[str | None, str, Expr]:
        self.take()  # for
        first = self.take()
        if first.kind != "ident":
            raise ParseError("expected a name after for")
        key_var, value_var = None, first.text
        if self.at(","):
            self.take()
            second = self.take()
            key_var, value_var = first.text, second.text
        if not self.at("in", "ident"):
            raise ParseError("expected in")
        self.take()
        collection = self.expression()
        self.expect(":")
        return key_var, value_var, collection

    def for_condition(self) -> Expr | None:
        if self.at("if", "ident"):
            self.take()
            return self.expression()
        return None

    def tuple(self) -> Expr:
        if self.at("for", "ident"):
            key_var, value_var, collection = self.for_intro()
            value = self.expression()
            condition = self.for_condition()
            self.expect("]")
            return ForExpr(key_var, value_var, collection, None, value, condition)
        items: list[Expr] = []
        while not self.at("]"):
            items.append(self.expression())
            if self.at(","):
                self.take()
            elif not self.at("]"):
                raise ParseError("expected ',' or ']' in a tuple")
        self.take()
        return TupleExpr(tuple(items))

    def object(self) -> Expr:
        if self.at("for", "ident"):
            key_var, value_var, collection = self.for_intro()
            for_key = self.expression()
            self.expect("=>")
            value = self.expression()
            group = False
            if self.at("..."):
                self.take()
                group = True
            condition = self.for_condition()
            self.expect("}")
            return ForExpr(key_var, value_var, collection, for_key, value, condition, group)
        items: list[tuple[Expr, Expr]] = []
        while not self.at("}"):
            token = self.current
            if token.kind == "ident" and self.tokens[self.position + 1].text in ("=", ":"):
                self.take()
                key: Expr = Lit(token.text)
            else:
                key = self.expression()
            if not (self.at("=") or self.at(":")):
                raise ParseError("expected '=' in an object")
            self.take()
            items.append((key, self.expression()))
            if self.at(","):
                self.take()
        self.take()
        return ObjectExpr(tuple(items))


def parse_expression(text: str) -> Expr:
    """Parse one expression; unparseable text becomes :class:`Bad`."""
    try:
        parser = _Parser(text)
        expr = parser.expression()
        if parser.current.kind != "end":
            return Bad(text)
        return expr
    except (ParseError, RecursionError, ValueError):
        return Bad(text)
