"""Evaluate the expressions of a root module and its module instances, as ``terraform plan`` would.

Every value is either known or :data:`UNKNOWN` (known only after apply, or beyond what a scan can
evaluate). Alongside each value the evaluator records the resources its expression references,
traced through variables, locals, module inputs and outputs and ``for_each``, exactly what the plan
reader recovers from a plan's ``configuration``: an image ``"${azurerm_container_registry.acr.
login_server}/app:1.0"`` evaluates to UNKNOWN (a login server is known only after apply) with the
reference ``azurerm_container_registry.acr``, so the rules give a scan and a plan the same verdict.

References are collected on a stack: evaluating anything notes what it references into the
innermost collector, and memoised variables, locals and outputs replay theirs when reused.

Evaluation is bounded, since ``scan`` reads untrusted pull requests: besides the per-value budgets
of :mod:`functions` (1 MiB strings, 100,000-element collections, regex time), one root module
may take :data:`MAX_STEPS` steps (an expression node evaluated, an element or 16 characters a
function returns, an address a whole-collection reference names) and a resource or module
:data:`MAX_INSTANCES` instances. A value over a budget is UNKNOWN and the limit is recorded in
:attr:`Evaluator.limits`, which the reader reports against the resource it was evaluating; a
``count`` over the limit expands to one instance whose ``count.index`` is unknown. A tfvars or
``--var`` value over a budget is :class:`OverBudget`, reported against its file and variable.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from pullpath.addresses import attribute_chain
from pullpath.model import NOT_EVALUATED, UNKNOWN, AttrPath
from pullpath.readers.hcl.config import (
    CALL_META,
    RESOURCE_META,
    Loader,
    ModuleCall,
    ModuleConfig,
    ResourceConfig,
)
from pullpath.readers.hcl.dialects import Body
from pullpath.readers.hcl.functions import (
    FUNCTIONS,
    EvalError,
    LimitExceeded,
    RegexTime,
    TfSet,
    call,
    check_integer,
    check_text_size,
    contains_unknown,
    to_bool,
    to_number,
    to_text,
)
from pullpath.readers.hcl.syntax import (
    Bad,
    BinOp,
    Call,
    Cond,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    Name,
    ObjectExpr,
    Splat,
    SplatItem,
    Template,
    TupleExpr,
    Unary,
)
from pullpath.readers.hcl.types import with_defaults
from pullpath.sensitive import strings_in, worth_hiding

#: How an unknown ``terraform.workspace`` is recorded among references, as an unset ``var.x`` is: the
#: rules see that a value depends on the workspace and say ``--workspace`` would settle it.
WORKSPACE = "terraform.workspace"
_IN_PROGRESS = object()
_SPLAT = "\0splat"
_MAX_MODULE_DEPTH = 32
_NESTED_SKIPPED = frozenset({"lifecycle", "provisioner", "connection", "precondition", "postcondition"})
#: Steps one root module may take (about a microsecond each): about a second at most.
MAX_STEPS = 1_000_000
#: Instances one resource or module call may expand to by ``count`` or ``for_each``.
MAX_INSTANCES = 10_000

#: What an expression may raise on valid Terraform a scan cannot follow: it evaluates to UNKNOWN.
_UNEVALUABLE = (
    EvalError,
    TypeError,
    ValueError,
    KeyError,
    IndexError,
    AttributeError,
    ArithmeticError,
)
#: What stops an evaluation a scan could otherwise finish: UNKNOWN too, and recorded with a reason.
_EXCEEDED = (LimitExceeded, RecursionError, MemoryError)


def limit_reason(error: BaseException) -> str:
    """The limit an evaluation ran into, as a report says it."""
    if isinstance(error, RecursionError):
        return "expressions nested too deeply to evaluate"
    if isinstance(error, MemoryError):
        return "out of memory while evaluating"
    if isinstance(error, LimitExceeded):
        return str(error)
    return f"{type(error).__name__} while evaluating"


Refs = frozenset[str]
Step = tuple[str, Any]  # ("attr", name) or ("index", expression)


@dataclass(frozen=True)
class Expansion:
    """The instances ``count``/``for_each`` make: ``single``, ``count``, ``for_each`` or ``unknown``.

    An unknown count or for_each is one instance without a key (as checkov reports it), whose
    ``count.index``/``each.*`` are unknown; count 0 and an empty for_each are no instance at all.
    """

    kind: str
    items: tuple[tuple[int | str | None, Any], ...]
    refs: Refs = frozenset()

    @functools.cached_property
    def keys(self) -> dict[int | str | None, Any]:
        """Each instance key's ``each.value``, built once: every reference to an instance looks here."""
        return dict(self.items)


def instance_key(key: int | str | None) -> str:
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return f"[{json.dumps(plain_text(key), ensure_ascii=False)}]"


_SURROGATE = re.compile("[\ud800-\udfff]")


def plain_text(text: str) -> str:
    """``text`` with each lone surrogate (``"\\ud800"`` in HCL or JSON) as U+FFFD, as Terraform reads it.

    Python keeps such a code point in a string, and no UTF-8 encoder accepts it: a report in one
    format failed where another passed.
    """
    return text if text.isascii() or not _SURROGATE.search(text) else _SURROGATE.sub("\ufffd", text)


def join(prefix: str, local: str) -> str:
    return f"{prefix}.{local}" if prefix else local


class Env:
    """What names mean where an expression sits: its module instance, iterators and lexical names."""

    __slots__ = ("module", "names", "each", "index", "iter_refs")

    def __init__(
        self,
        module: ModuleInstance | None,
        names: Mapping[str, tuple[Any, Refs]] | None = None,
        each: tuple[Any, Any] | None = None,
        index: Any = None,
        iter_refs: Refs = frozenset(),
    ) -> None:
        self.module = module
        self.names = names or {}
        self.each = each
        self.index = index
        self.iter_refs = iter_refs

    def bind(self, **names: tuple[Any, Refs]) -> Env:
        return Env(self.module, {**self.names, **names}, self.each, self.index, self.iter_refs)


class _Collecting:
    """The ``with`` block of :meth:`Evaluator.collect`: a plain class, since every attribute of every
    resource opens one and a generator-based context manager cost a tenth of judging a root."""

    __slots__ = ("evaluator", "found", "passed_on")

    def __init__(self, evaluator: Evaluator, passed_on: bool) -> None:
        self.evaluator = evaluator
        self.found: set[str] = set()
        self.passed_on = passed_on

    def __enter__(self) -> set[str]:
        self.evaluator._collectors.append(self.found)
        return self.found

    def __exit__(self, *exc_info: object) -> None:
        self.evaluator._collectors.pop()
        if self.passed_on:
            self.evaluator.note(self.found)


class Evaluator:
    """Expression evaluation with reference collection; references resolve through ``env.module``."""

    def __init__(self) -> None:
        self._collectors: list[set[str]] = []
        self._steps_left = MAX_STEPS
        self.regex_time = RegexTime()
        self.limits: list[str] = []  # why values became UNKNOWN beyond a budget, oldest first
        self.sensitive: set[str] = set()  # strings read through a sensitive variable, output or sensitive()

    def hide(self, value: Any) -> Any:
        """Note the strings of a sensitive value, never to be shown (see :mod:`pullpath.sensitive`)."""
        self.sensitive.update(filter(worth_hiding, strings_in(value)))
        return value

    def _reads_sensitive(self, args: list[Any]) -> bool:
        """Whether a function's arguments hold a sensitive string (or a text built around one).

        Each string is searched for each secret: charged as steps, so a configuration of thousands
        of sensitive values and function calls runs into the step budget, never into a hang.
        """
        texts = list(strings_in(args))
        self.spend(len(texts) * len(self.sensitive) // 16)
        return any(secret in text for text in texts for secret in self.sensitive)

    def spend(self, steps: int) -> None:
        self._steps_left -= steps
        if self._steps_left < 0:
            raise LimitExceeded(f"over {MAX_STEPS:,} evaluation steps in this root module")

    def exceeded(self, error: BaseException) -> Any:
        """Record why a value is UNKNOWN beyond a budget; returns UNKNOWN for the caller to use.

        The reason is also noted as a reference of what is being evaluated (:data:`NOT_EVALUATED`),
        so a rule judging that value says which limit stopped it.
        """
        reason = limit_reason(error)
        self.limits.append(reason)
        self.note({f"{NOT_EVALUATED}{reason})"})
        return UNKNOWN

    def note(self, refs: Any) -> None:
        if self._collectors:
            self._collectors[-1].update(refs)

    def collect(self) -> _Collecting:
        """Collect what the block references, then pass it on to the enclosing collector too."""
        return _Collecting(self, passed_on=True)

    def isolated(self) -> _Collecting:
        """Collect without passing on: reading another resource's attribute references that resource only."""
        return _Collecting(self, passed_on=False)

    def safe(self, expr: Expr, env: Env) -> Any:
        """Evaluate; what Terraform would reject or a scan cannot follow is UNKNOWN, never an error."""
        try:
            return self.eval(expr, env)
        except _UNEVALUABLE:
            return UNKNOWN
        except _EXCEEDED as error:
            return self.exceeded(error)

    def eval(self, expr: Expr, env: Env) -> Any:
        self._steps_left -= 1
        if self._steps_left < 0:
            self.spend(0)
        # An exact-type dispatch, the cheapest on this hot path; a type checker narrows nothing through
        # ``kind``, so the node-specific lines below each ignore just that (attr-defined, arg-type).
        kind = type(expr)
        if kind is Lit:
            return expr.value  # type: ignore[attr-defined]
        if kind is Template:
            return self._template(expr, env)  # type: ignore[arg-type]
        if kind in (Name, GetAttr, Index):
            return self._traversal(expr, env)
        if kind is Call:
            return self._call(expr, env)  # type: ignore[arg-type]
        if kind is Cond:
            return self._conditional(expr, env)  # type: ignore[arg-type]
        if kind is BinOp:
            return self._binary(expr, env)  # type: ignore[arg-type]
        if kind is Unary:
            operand = self.eval(expr.operand, env)  # type: ignore[attr-defined]
            if operand is UNKNOWN:
                return UNKNOWN
            return (not to_bool(operand)) if expr.op == "!" else -to_number(operand)  # type: ignore[attr-defined]
        if kind is TupleExpr:
            return [self.eval(item, env) for item in expr.items]  # type: ignore[attr-defined]
        if kind is ObjectExpr:
            return self._object(expr, env)  # type: ignore[arg-type]
        if kind is ForExpr:
            return self._for(expr, env)  # type: ignore[arg-type]
        if kind is Splat:
            return self._splat(expr, env)  # type: ignore[arg-type]
        if kind is SplatItem:
            return env.names[_SPLAT][0]
        if kind is Bad:
            return UNKNOWN
        raise EvalError(f"unsupported expression {kind.__name__}")

    def _template(self, expr: Template, env: Env) -> Any:
        values = [part if isinstance(part, str) else self.eval(part, env) for part in expr.parts]
        if any(value is UNKNOWN for value in values):
            return UNKNOWN
        texts = [to_text(value) for value in values]
        size = sum(len(text) for text in texts)
        check_text_size(size)  # "${local.s}${local.s}" doubles at each step
        self.spend(size // 16)
        return "".join(texts)

    def _object(self, expr: ObjectExpr, env: Env) -> Any:
        result: dict[str, Any] = {}
        unknown_key = False
        for key_expr, value_expr in expr.items:
            key = self.eval(key_expr, env)
            value = self.eval(value_expr, env)
            if key is UNKNOWN:
                unknown_key = True
                continue
            result[to_text(key)] = value
        return UNKNOWN if unknown_key else result

    def _conditional(self, expr: Cond, env: Env) -> Any:
        condition = self.eval(expr.condition, env)
        if condition is UNKNOWN:
            left, right = self.safe(expr.if_true, env), self.safe(expr.if_false, env)
            return left if left == right and not contains_unknown(left) else UNKNOWN
        return self.eval(expr.if_true if to_bool(condition) else expr.if_false, env)

    def _binary(self, expr: BinOp, env: Env) -> Any:
        op = expr.op
        left = self.eval(expr.left, env)
        if op in ("&&", "||") and left is not UNKNOWN:
            if to_bool(left) == (op == "||"):
                return op == "||"
            right = self.eval(expr.right, env)
            return UNKNOWN if right is UNKNOWN else to_bool(right)
        right = self.eval(expr.right, env)
        if left is UNKNOWN or right is UNKNOWN:
            if op == "&&" and right is not UNKNOWN and not to_bool(right):
                return False
            if op == "||" and right is not UNKNOWN and to_bool(right):
                return True
            return UNKNOWN
        if op == "==":
            return _same(left, right)
        if op == "!=":
            return not _same(left, right)
        a, b = to_number(left), to_number(right)
        if op == "+":
            return check_integer(a + b)
        if op == "-":
            return check_integer(a - b)
        if op == "*":
            return check_integer(a * b)
        if op in ("/", "%"):
            if b == 0:
                raise EvalError("division by zero")
            return a / b if op == "/" else a % b
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]

    def _call(self, expr: Call, env: Env) -> Any:
        name = expr.name
        if name == "try":
            for arg in expr.args:
                try:
                    return self.eval(arg, env)
                except EvalError:
                    continue
            raise EvalError("no argument of try() could be evaluated")
        if name == "can":
            try:
                value = self.eval(expr.args[0], env) if expr.args else None
            except EvalError:
                return False
            return UNKNOWN if value is UNKNOWN else True
        args = [self.eval(arg, env) for arg in expr.args]
        if expr.expand_last and args:
            last = args.pop()
            if last is UNKNOWN:
                return UNKNOWN
            args.extend(last if isinstance(last, list) else [last])
        if name == "coalesce":
            for value in args:
                if value is UNKNOWN:
                    return UNKNOWN
                if value not in (None, ""):
                    return value
            raise EvalError("coalesce() found no value")
        if name not in FUNCTIONS:
            return UNKNOWN  # file(), templatefile(), provider functions...: not evaluated in a scan
        result = call(name, [materialise(arg) for arg in args], self.regex_time)
        if name == "sensitive" or (self.sensitive and self._reads_sensitive(args)):
            self.hide(result)  # what a function makes of a sensitive value stays sensitive, as in Terraform
        if isinstance(result, str):
            self.spend(len(result) // 16)
        elif isinstance(result, list | dict):
            self.spend(len(result))
        return result

    def _for(self, expr: ForExpr, env: Env) -> Any:
        collection = self.eval(expr.collection, env)
        if collection is UNKNOWN:
            return UNKNOWN
        if isinstance(collection, Mapping):
            pairs = [(key, collection[key]) for key in sorted(collection)]
        elif isinstance(collection, TfSet):
            pairs = [(item, item) for item in collection]
        elif isinstance(collection, list | tuple):
            pairs = list(enumerate(collection))
        else:
            raise EvalError("for expression over a primitive")
        out_list: list[Any] = []
        out_map: dict[str, Any] = {}
        for key, value in pairs:
            names: dict[str, tuple[Any, Refs]] = {expr.value_var: (value, frozenset())}
            if expr.key_var:
                names[expr.key_var] = (key, frozenset())
            scope = env.bind(**names)
            if expr.condition is not None:
                keep = self.eval(expr.condition, scope)
                if keep is UNKNOWN:
                    return UNKNOWN
                if not to_bool(keep):
                    continue
            item = self.eval(expr.value, scope)
            if expr.key is None:
                out_list.append(item)
                continue
            result_key = self.eval(expr.key, scope)
            if result_key is UNKNOWN:
                return UNKNOWN
            if expr.group:
                out_map.setdefault(to_text(result_key), []).append(item)
            else:
                out_map[to_text(result_key)] = item
        return out_list if expr.key is None else out_map

    def _splat(self, expr: Splat, env: Env) -> Any:
        source = self.eval(expr.source, env)
        if source is UNKNOWN:
            return UNKNOWN
        if source is None:
            return []
        items = list(source) if isinstance(source, list | tuple) else [source]
        return [self.eval(expr.each, env.bind(**{_SPLAT: (item, frozenset())})) for item in items]

    def _traversal(self, expr: Expr, env: Env) -> Any:
        steps: list[Step] = []
        while isinstance(expr, GetAttr | Index):
            steps.append(("attr", expr.name) if isinstance(expr, GetAttr) else ("index", expr.key))
            expr = expr.target
        steps.reverse()
        if isinstance(expr, Name):
            return self.reference(expr.name, steps, env)
        return self.apply(self.eval(expr, env), steps, env)

    def reference(self, name: str, steps: list[Step], env: Env) -> Any:
        """A root name and its steps: a lexical name, or nothing at all outside a module."""
        if name in env.names:
            value, refs = env.names[name]
            self.note(refs)
            return self.apply(value, steps, env)
        return UNKNOWN

    def apply(self, value: Any, steps: list[Step], env: Env) -> Any:
        for kind, step in steps:
            if value is UNKNOWN:
                if kind == "index":
                    self.eval(step, env)  # still note what the index references
                return UNKNOWN
            if kind == "attr":
                value = _get(value, step)
            else:
                key = self.eval(step, env)
                value = UNKNOWN if key is UNKNOWN else _index(value, key)
        return value


def _same(left: Any, right: Any) -> Any:
    if contains_unknown(left) or contains_unknown(right):
        return UNKNOWN
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    return left == right


def _get(value: Any, name: str) -> Any:
    if isinstance(value, LazyObject):
        return value[name]
    if isinstance(value, Mapping):
        if name in value:
            return value[name]
        raise EvalError(f"no attribute {name!r}")
    raise EvalError(f"cannot read attribute {name!r} of a {type(value).__name__}")


def _index(value: Any, key: Any) -> Any:
    if isinstance(value, list | tuple):
        position = int(to_number(key))
        if 0 <= position < len(value):
            return value[position]
        raise EvalError(f"index {position} out of range")
    if isinstance(value, Mapping):
        return _get(value, to_text(key))
    raise EvalError(f"cannot index a {type(value).__name__}")


_SCALARS = frozenset({str, int, float, bool, type(None)})


def materialise(value: Any) -> Any:
    """Plain values for a record or a function: a whole resource or module object is UNKNOWN.

    Every string a record holds passes here, so lone surrogates are replaced here (:func:`plain_text`).
    """
    if type(value) is str:
        return plain_text(value)
    if type(value) in _SCALARS:  # most values; spares the ABC check below
        return value
    if isinstance(value, LazyObject):
        return UNKNOWN
    if isinstance(value, dict):
        return {key: materialise(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [materialise(item) for item in value]
    return value


class LazyObject(Mapping[str, Any]):
    """A resource instance or module instance as a value: attributes evaluated when read."""

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


#: Marks, among an attribute's references, one that names an attribute (``@<address>.client_id``):
#: it travels through locals, variables and outputs with the references, and the reader moves it
#: to ``Resource.ref_attributes``.
ATTRIBUTE_MARK = "@"


class ResourceObject(LazyObject):
    """Configured attributes evaluate to their value; anything else the provider computes: UNKNOWN."""

    def __init__(self, scan: Scan, resource: ResourceConfig, address: str, env: Env) -> None:
        self.scan, self.resource, self.address, self.env = scan, resource, address, env

    def __getitem__(self, name: str) -> Any:
        with self.scan.isolated():
            value, _ = self.scan.member(self.address, self.resource.body, name, self.env)
        return UNKNOWN if value is None else value


class ModuleObject(LazyObject):
    def __init__(self, instance: ModuleInstance) -> None:
        self.instance = instance

    def __getitem__(self, name: str) -> Any:
        return self.instance.output(name)


class Scan(Evaluator):
    """One root module: its variable values, its module instances and every memo of the evaluation."""

    def __init__(
        self,
        loader: Loader,
        root: str,
        root_values: Mapping[str, Any],
        installed: Mapping[str, str],
        workspace: str | None = None,
    ):
        super().__init__()
        self.loader = loader
        self.root_dir = root
        self.workspace = workspace  # terraform.workspace; None: not named, so unknown
        self.installed = installed
        self._members: dict[tuple[str, str], Any] = {}
        self.root = ModuleInstance(
            self, loader.module(root), "", (), None, None, root_values, (loader.realpath(root),)
        )

    def member(self, address: str, body: Body, name: str, env: Env) -> tuple[Any, dict[AttrPath, Refs]]:
        """One top-level attribute or block type of a resource instance, memoised: value and references."""
        key = (address, name)
        found = self._members.get(key)
        if found is _IN_PROGRESS:
            return UNKNOWN, {}
        if found is None:
            self._members[key] = _IN_PROGRESS
            found = self.body_member(body, name, env)
            self._members[key] = found
        return found

    def body_member(self, body: Body, name: str, env: Env) -> tuple[Any, dict[AttrPath, Refs]]:
        """``(value, refs by path)``; value None when the body does not configure ``name``."""
        if name in body.attributes:
            with self.collect() as refs:
                value = self.safe(body.attributes[name], env)
            try:
                value = materialise(value)
            except _EXCEEDED as error:  # a value nested too deeply to copy: jsondecode("[[[...]]]")
                value = self.exceeded(error)
            return value, {(name,): frozenset(refs)}
        blocks: list[Any] = []
        paths: dict[AttrPath, Refs] = {}
        configured = False
        for block in body.blocks:
            if block.type == name:
                configured = True
                self._add_block(blocks, paths, name, block.body, env)
            elif block.type == "dynamic" and block.labels and block.labels[0] == name:
                configured = True
                self._dynamic(blocks, paths, name, block.body, env)
        return (blocks if configured else None), paths

    def _add_block(
        self, blocks: list[Any], paths: dict[AttrPath, Refs], name: str, body: Body, env: Env
    ) -> None:
        values, refs = self.evaluate_body(body, env)
        position = len(blocks)
        blocks.append(values)
        for path, found in refs.items():
            paths[(name, position) + path] = found

    def _dynamic(
        self, blocks: list[Any], paths: dict[AttrPath, Refs], name: str, body: Body, env: Env
    ) -> None:
        iterator = body.attributes.get("iterator")
        label = iterator.name if isinstance(iterator, Name) else name
        content = next((b.body for b in body.blocks if b.type == "content"), None)
        if content is None or "for_each" not in body.attributes:
            return
        with self.collect() as collected:
            items = self.safe(body.attributes["for_each"], env)
        refs = frozenset(collected)
        if isinstance(items, Mapping) and not isinstance(items, LazyObject):
            pairs: list[tuple[Any, Any]] = [(key, items[key]) for key in sorted(items)]
        elif isinstance(items, TfSet):
            pairs = [(item, item) for item in items]
        elif isinstance(items, list | tuple):
            pairs = list(enumerate(items))
        elif items is None:
            pairs = []
        else:  # unknown for_each: one block whose iterator is unknown, still tied to what it references
            pairs = [(UNKNOWN, UNKNOWN)]
        for key, value in pairs:
            scope = env.bind(**{label: ({"key": key, "value": value}, refs)})
            self._add_block(blocks, paths, name, content, scope)

    def evaluate_body(self, body: Body, env: Env) -> tuple[dict[str, Any], dict[AttrPath, Refs]]:
        """A nested block's attributes and blocks: values, and references by path inside the block."""
        values: dict[str, Any] = {}
        refs: dict[AttrPath, Refs] = {}
        names = list(body.attributes)
        for block in body.blocks:
            name = block.labels[0] if block.type == "dynamic" and block.labels else block.type
            if name not in names and name not in _NESTED_SKIPPED:
                names.append(name)
        for name in names:
            value, found = self.body_member(body, name, env)
            if value is not None or name in body.attributes:
                values[name] = value
            refs.update(found)
        return values, refs

    def resource_values(
        self, resource: ResourceConfig, address: str, env: Env
    ) -> tuple[dict[str, Any], dict[AttrPath, Refs]]:
        """Every configured attribute and block of one resource instance, for its record."""
        values: dict[str, Any] = {}
        refs: dict[AttrPath, Refs] = {}
        body = resource.body
        names = [name for name in body.attributes if name not in RESOURCE_META]
        for block in body.blocks:
            name = block.labels[0] if block.type == "dynamic" and block.labels else block.type
            if name not in names and name not in _NESTED_SKIPPED:
                names.append(name)
        for name in names:
            value, found = self.member(address, body, name, env)
            if value is not None or name in body.attributes:
                values[name] = value
            refs.update(found)
        return values, refs

    def expand(self, count: Expr | None, for_each: Expr | None, env: Env) -> Expansion:
        if for_each is not None:
            with self.collect() as collected:
                value = self.safe(for_each, env)
            refs = frozenset(collected)
            if isinstance(value, Mapping | list | tuple) and len(value) > MAX_INSTANCES:
                return self._too_many(len(value), refs)
            if isinstance(value, Mapping) and not isinstance(value, LazyObject):
                return Expansion("for_each", tuple((str(k), value[k]) for k in sorted(value)), refs)
            if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
                return Expansion("for_each", tuple((item, item) for item in sorted(set(value))), refs)
            if value is None:
                return Expansion("for_each", (), refs)
            return Expansion("unknown", ((None, UNKNOWN),), refs)
        if count is not None:
            with self.collect() as collected:
                value = self.safe(count, env)
            refs = frozenset(collected)
            try:
                number = int(to_number(value)) if value is not UNKNOWN and value is not None else None
            except EvalError:
                number = None
            if number is None:
                return Expansion("unknown", ((None, UNKNOWN),), refs)
            if number > MAX_INSTANCES:
                return self._too_many(number, refs)
            return Expansion("count", tuple((i, None) for i in range(max(number, 0))), refs)
        return Expansion("single", ((None, None),))

    def _too_many(self, number: int, refs: Refs) -> Expansion:
        """Over :data:`MAX_INSTANCES`: one instance stands for all, its key unknown, the limit recorded."""
        self.exceeded(LimitExceeded(f"{number:,} instances, over {MAX_INSTANCES:,} per resource or module"))
        return Expansion("unknown", ((None, UNKNOWN),), refs)

    def reference(self, name: str, steps: list[Step], env: Env) -> Any:
        module = env.module
        if name in env.names or module is None:
            return super().reference(name, steps, env)
        head = steps[0][1] if steps and steps[0][0] == "attr" else None
        if name in ("var", "local"):
            if head is None:
                return UNKNOWN
            value = module.variable(head) if name == "var" else module.local(head)
            return self.apply(value, steps[1:], env)
        if name == "each":
            if env.each is not None and head == "value" and isinstance(env.each[1], ResourceObject):
                return self._iterated_instance(env.each[1], steps[1:], env)
            self.note(env.iter_refs)
            if env.each is None or head not in ("key", "value"):
                return UNKNOWN
            return self.apply(env.each[0] if head == "key" else env.each[1], steps[1:], env)
        if name == "count":
            self.note(env.iter_refs)
            return UNKNOWN if env.index is None or head != "index" else env.index
        if name == "path":
            where = {"module": module.config.directory, "root": self.root_dir, "cwd": os.getcwd()}.get(
                head or ""
            )
            return UNKNOWN if where is None else os.path.relpath(where).replace(os.sep, "/")
        if name == "terraform":
            if head != "workspace":
                return UNKNOWN
            if self.workspace is None:  # no --workspace: any workspace's value, so unknown, and said why
                self.note({WORKSPACE})
                return UNKNOWN
            return self.workspace
        if name == "self" or head is None:
            return UNKNOWN
        if name == "module":
            return self._module_reference(module, head, steps[1:], env)
        if name == "data":
            if len(steps) < 2 or steps[1][0] != "attr":
                return UNKNOWN
            return self._resource_reference(module, f"data.{head}.{steps[1][1]}", steps[2:], env)
        return self._resource_reference(module, f"{name}.{head}", steps[1:], env)

    def _resource_reference(self, module: ModuleInstance, local: str, rest: list[Step], env: Env) -> Any:
        resource = module.config.resources.get(local)
        if resource is None:
            self.note({join(module.prefix, local)})
            return UNKNOWN
        expansion = module.resource_expansion(local)

        def instance(key: int | str | None, each: Any) -> ResourceObject:
            address = join(module.prefix, local + instance_key(key))
            return ResourceObject(self, resource, address, module.instance_env(expansion, key, each))

        def address(key: int | str | None) -> str:
            return join(module.prefix, local + instance_key(key))

        chain = attribute_chain([step[1] for step in rest if step[0] == "attr"])
        if chain is None:
            return self._pick(expansion, rest, env, instance, address)
        with self.collect() as picked:
            try:
                value = self._pick(expansion, rest, env, instance, address)
            except EvalError:  # a computed attribute of a configured block (identity[0].principal_id)
                value = UNKNOWN
        base = join(module.prefix, local)
        named = {a for a in picked if a == base or a.startswith(base + "[")}
        self.note({f"{ATTRIBUTE_MARK}{a}.{chain}" for a in named})
        return value

    def _iterated_instance(self, instance: ResourceObject, rest: list[Step], env: Env) -> Any:
        """``each.value`` of a ``for_each`` over a resource's instances: that one instance, as
        ``<resource>[each.key]`` would reference it, not every instance ``for_each`` names (one
        identity's grant must not read as every identity's), with the attribute it names."""
        self.note({instance.address})
        chain = attribute_chain([step[1] for step in rest if step[0] == "attr"])
        if chain is not None:
            self.note({f"{ATTRIBUTE_MARK}{instance.address}.{chain}"})
        return self.apply(instance, rest, env)

    def _module_reference(self, module: ModuleInstance, name: str, rest: list[Step], env: Env) -> Any:
        expansion = module.module_expansion(name)
        if expansion is None:
            self.note({join(module.prefix, f"module.{name}")})
            return UNKNOWN

        def instance(key: int | str | None, each: Any) -> Any:
            child = module.child(name, key, each, expansion)
            if child is None:
                self.note({join(module.prefix, f"module.{name}{instance_key(key)}")})
                return UNKNOWN
            return ModuleObject(child)

        return self._pick(expansion, rest, env, instance, None)

    def _pick(self, expansion: Expansion, rest: list[Step], env: Env, instance: Any, address: Any) -> Any:
        """Select the instance an index names (noting only it) or the whole collection (noting all)."""
        keys = expansion.keys
        if expansion.kind == "unknown":
            if rest and rest[0][0] == "index":
                self.eval(rest[0][1], env)
                rest = rest[1:]
            if address:
                self.note({address(None)})
                return UNKNOWN
            value = instance(None, UNKNOWN)
            return UNKNOWN if value is UNKNOWN else self.apply(value, rest, env)
        if expansion.kind == "single":
            if address:
                self.note({address(None)})
            return self.apply(instance(None, None), rest, env)
        if rest and rest[0][0] == "index":
            key = self.eval(rest[0][1], env)
            if key is UNKNOWN:
                if address:
                    self.note({address(k) for k in keys})
                return UNKNOWN
            key = int(to_number(key)) if expansion.kind == "count" else to_text(key)
            if key not in keys:
                raise EvalError(f"no instance {key!r}")
            if address:
                self.note({address(key)})
            return self.apply(instance(key, keys[key]), rest[1:], env)
        if address:
            self.spend(len(keys))  # every instance of a large count, named by every referrer
            self.note({address(k) for k in keys})
        if expansion.kind == "count":
            return self.apply([instance(k, v) for k, v in expansion.items], rest, env)
        return self.apply({str(k): instance(k, v) for k, v in expansion.items}, rest, env)


class ModuleInstance:
    """One instance of a module (the root, or ``module.a["x"]``) with its own memo of values."""

    def __init__(
        self,
        scan: Scan,
        config: ModuleConfig,
        prefix: str,
        names: tuple[str, ...],
        call: ModuleCall | None,
        call_env: Env | None,
        root_values: Mapping[str, Any] | None,
        chain: tuple[str, ...],
    ) -> None:
        self.scan = scan
        self.config = config
        self.prefix = prefix
        self.names = names
        self.call = call
        self.call_env = call_env
        self.root_values = root_values or {}
        self.chain = chain
        self.env = Env(self)
        self._memo: dict[tuple[str, str], Any] = {}
        self._expansions: dict[str, Expansion] = {}
        self._children: dict[tuple[str, int | str | None], ModuleInstance | None] = {}

    def _memoised(self, kind: str, name: str, compute: Any) -> Any:
        key = (kind, name)
        found = self._memo.get(key)
        if found is _IN_PROGRESS:
            return UNKNOWN  # a cycle: Terraform rejects it; the scan calls it unknown
        if found is not None:
            value, refs = found
            self.scan.note(refs)
            return value
        self._memo[key] = _IN_PROGRESS
        with self.scan.collect() as refs:
            try:
                value = compute()
            except _UNEVALUABLE:
                value = UNKNOWN
            except _EXCEEDED as error:
                value = self.scan.exceeded(error)
        self._memo[key] = (value, frozenset(refs))
        return value

    def variable(self, name: str) -> Any:
        declared = self.config.variables.get(name)
        if declared is not None and declared.sensitive:  # noted once, when evaluated
            return self._memoised("var", name, lambda: self.scan.hide(self._variable(name)))
        return self._memoised("var", name, lambda: self._variable(name))

    def _variable(self, name: str) -> Any:
        """The value a variable is given, with its type's ``optional`` defaults filled in."""
        value = self._given(name)
        declared = self.config.variables.get(name)
        if declared is None or declared.type is None:
            return value
        return with_defaults(value, declared.type, lambda default: self.scan.eval(default, self.env))

    def _given(self, name: str) -> Any:
        declared = self.config.variables.get(name)
        if self.call is not None and self.call_env is not None:
            argument = self.call.body.attributes.get(name)
            if argument is not None and name not in CALL_META:
                return self.scan.eval(argument, self.call_env)
        elif name in self.root_values:
            value = self.root_values[name]
            if isinstance(value, OverBudget):  # UNKNOWN, saying which limit stopped it
                self.scan.note({f"{NOT_EVALUATED}{limit})" for limit in value.limits})
                return UNKNOWN
            return value
        if declared is not None and declared.default is not None:
            return self.scan.eval(declared.default, self.env)
        if self.call is None:
            self.scan.note({f"var.{name}"})  # a root variable nobody set: kept as text, as a plan does
        return UNKNOWN

    def local(self, name: str) -> Any:
        expr = self.config.locals.get(name)
        if expr is None:
            self.scan.note({join(self.prefix, f"local.{name}")})
            return UNKNOWN
        return self._memoised("local", name, lambda: self.scan.eval(expr, self.env))

    def output(self, name: str) -> Any:
        expr = self.config.outputs.get(name)
        if expr is None:
            return UNKNOWN
        if name in self.config.sensitive_outputs:
            return self._memoised("output", name, lambda: self.scan.hide(self.scan.eval(expr, self.env)))
        return self._memoised("output", name, lambda: self.scan.eval(expr, self.env))

    def resource_expansion(self, local: str) -> Expansion:
        key = f"resource:{local}"
        if key not in self._expansions:
            resource = self.config.resources[local]
            self._expansions[key] = Expansion("unknown", ((None, UNKNOWN),))  # guards a self-reference
            self._expansions[key] = self.scan.expand(resource.count, resource.for_each, self.env)
        found = self._expansions[key]
        self.scan.note(found.refs)
        return found

    def module_expansion(self, name: str) -> Expansion | None:
        call = self.config.calls.get(name)
        if call is None:
            return None
        key = f"module:{name}"
        if key not in self._expansions:
            self._expansions[key] = Expansion("unknown", ((None, UNKNOWN),))
            self._expansions[key] = self.scan.expand(call.count, call.for_each, self.env)
        return self._expansions[key]

    def instance_env(self, expansion: Expansion, key: int | str | None, each: Any) -> Env:
        if expansion.kind == "count":
            return Env(self, index=key, iter_refs=expansion.refs)
        if expansion.kind == "for_each":
            return Env(self, each=(key, each), iter_refs=expansion.refs)
        if expansion.kind == "unknown":
            return Env(self, each=(UNKNOWN, UNKNOWN), index=UNKNOWN, iter_refs=expansion.refs)
        return self.env

    def source_directory(self, call: ModuleCall) -> str | None:
        """A local source, or a remote one that ``terraform init`` installed; None when not on disk."""
        if call.is_local:
            directory = os.path.normpath(os.path.join(self.config.directory, call.source or ""))
        else:
            directory = self.scan.installed.get(".".join((*self.names, call.name)), "")
        return directory if directory and self.scan.loader.config_files(directory) else None

    def child(
        self, name: str, key: int | str | None, each: Any, expansion: Expansion
    ) -> ModuleInstance | None:
        memo_key = (name, key)
        if memo_key not in self._children:
            self._children[memo_key] = None
            call = self.config.calls[name]
            directory = self.source_directory(call)
            real = self.scan.loader.realpath(directory) if directory else ""
            if directory and real not in self.chain and len(self.chain) < _MAX_MODULE_DEPTH:
                self._children[memo_key] = ModuleInstance(
                    self.scan,
                    self.scan.loader.module(directory),
                    join(self.prefix, f"module.{name}{instance_key(key)}"),
                    (*self.names, name),
                    call,
                    self.instance_env(expansion, key, each),
                    None,
                    (*self.chain, real),
                )
        return self._children[memo_key]

    def unread_reason(self, name: str) -> str | None:
        """Why module ``name``, on disk, is not read: a cycle or too deep; None when not on disk at all."""
        directory = self.source_directory(self.config.calls[name])
        if directory is None:
            return None
        if self.scan.loader.realpath(directory) in self.chain:
            return "the module calls itself (a module cycle, which Terraform rejects); it is not read again"
        return f"modules nested more than {_MAX_MODULE_DEPTH} deep; what this one defines is unknown"


def unevaluated(body: Body, why: Refs = frozenset()) -> tuple[dict[str, Any], dict[AttrPath, Refs]]:
    """A resource body a scan could not evaluate, shaped as configured with every attribute UNKNOWN.

    Blocks are kept (a ``dynamic`` one as one block of its content), so ``container[0].image`` is
    configured and unknown: the rules judge UNKNOWN where an empty record would show no pull path.
    ``why`` becomes every attribute's references (:data:`NOT_EVALUATED` and the reason).
    """
    values: dict[str, Any] = {}
    refs: dict[AttrPath, Refs] = {}
    for name in body.attributes:
        if name not in RESOURCE_META:
            values[name] = UNKNOWN
            refs[(name,)] = why
    for block in body.blocks:
        dynamic = block.type == "dynamic" and block.labels
        name = block.labels[0] if dynamic else block.type
        content = (
            next((b.body for b in block.body.blocks if b.type == "content"), None) if dynamic else block.body
        )
        if name in _NESTED_SKIPPED or content is None:
            continue
        inner_values, inner_refs = unevaluated(content, why)
        blocks = values.setdefault(name, [])
        for path, found in inner_refs.items():
            refs[(name, len(blocks)) + path] = found
        blocks.append(inner_values)
    return values, refs


def evaluate_constant(expr: Expr) -> Any:
    """A value with no references (tfvars, ``--var``): anything referenced is UNKNOWN."""
    return materialise(Evaluator().safe(expr, Env(None)))


class OverBudget(msgspec.Struct, frozen=True):
    """What a root variable holds when its value (tfvars, ``--var``) ran into an evaluation budget.

    Reading the variable gives UNKNOWN and notes the limits (:data:`NOT_EVALUATED`), as a budget
    met inside the configuration does, so a rule says which limit stopped the value rather than
    treat it as one nobody set; the reader warns about it with :meth:`warning`. It never holds the
    value: a tfvars file holds secrets, and a warning is printed.
    """

    source: str  # the variables file, or "--var"
    variable: str
    limits: tuple[str, ...]

    def warning(self, shown: str) -> str:
        """One line naming the file (as the report shows it: ``shown``), the variable and the limits."""
        return (
            f"{shown}: var.{self.variable}: not evaluated in full ({'; '.join(self.limits)}); "
            "what it could not evaluate is UNKNOWN"
        )


def evaluate_variable(expr: Expr, source: str, name: str) -> Any:
    """The value a tfvars file or ``--var`` (``source``) gives variable ``name``, evaluated as a constant;
    :class:`OverBudget` in its place when an evaluation budget stopped it (or a part of it)."""
    evaluator = Evaluator()
    value = materialise(evaluator.safe(expr, Env(None)))
    if evaluator.limits:
        return OverBudget(source, name, tuple(dict.fromkeys(evaluator.limits)))
    return value
