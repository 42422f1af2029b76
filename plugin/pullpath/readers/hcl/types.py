"""Variable type constraints, for what they add to a value: the defaults of ``optional(type, default)``.

Azure Verified Modules type their inputs as objects of ``optional`` attributes with defaults
(``network_rule_set = optional(object({ default_action = optional(string, "Deny") }))``); Terraform
fills those in before the module sees the value, so a reader that does not stays unknown where
Terraform knows. Only the defaults are applied: a value is never converted or checked against its
type (a plan would have rejected a wrong one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pullpath.model import UNKNOWN
from pullpath.readers.hcl.syntax import Call, Expr, Lit, Name, ObjectExpr, Template, TupleExpr

_COLLECTIONS = frozenset({"list", "set"})


def with_defaults(value: Any, constraint: Expr | None, evaluate: Callable[[Expr], Any]) -> Any:
    """``value`` with every absent or null ``optional`` attribute of ``constraint`` set to its default.

    ``evaluate`` turns a default's expression into a value (defaults are constants in Terraform).
    """
    if constraint is None or value is UNKNOWN or value is None or not isinstance(constraint, Call):
        return value
    if constraint.name == "object" and constraint.args and isinstance(value, Mapping):
        return _object(value, constraint.args[0], evaluate)
    if constraint.name in _COLLECTIONS and constraint.args and isinstance(value, list):
        return [with_defaults(item, constraint.args[0], evaluate) for item in value]
    if constraint.name == "map" and constraint.args and isinstance(value, Mapping):
        return {key: with_defaults(item, constraint.args[0], evaluate) for key, item in value.items()}
    if constraint.name == "tuple" and constraint.args and isinstance(value, list):
        kinds = _items(constraint.args[0])
        filled = [with_defaults(item, kind, evaluate) for item, kind in zip(value, kinds, strict=False)]
        return filled + value[len(kinds) :]
    return value


def _object(value: Mapping[str, Any], attributes: Expr, evaluate: Callable[[Expr], Any]) -> dict[str, Any]:
    filled = dict(value)
    if not isinstance(attributes, ObjectExpr):
        return filled
    for key_expr, kind in attributes.items:
        key = _name(key_expr)
        if key is None:
            continue
        if isinstance(kind, Call) and kind.name == "optional" and kind.args:
            if filled.get(key) is None:
                filled[key] = evaluate(kind.args[1]) if len(kind.args) > 1 else None
            kind = kind.args[0]
        if key in filled:
            filled[key] = with_defaults(filled[key], kind, evaluate)
    return filled


def _items(kinds: Expr) -> list[Expr]:
    return list(kinds.items) if isinstance(kinds, TupleExpr) else []


def _name(expr: Expr) -> str | None:
    """An object type's attribute name: a bare name, a string, or a template of one string."""
    if isinstance(expr, Name):
        return expr.name
    if isinstance(expr, Lit) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, Template) and len(expr.parts) == 1 and isinstance(expr.parts[0], str):
        return expr.parts[0]
    return None
