"""What the configuration says beside the model's objects: the azurerm attributes it sets, and the
values it leaves unknown because ``terraform.workspace`` is.

The provider-version rule needs the first (an attribute the locked azurerm lacks makes ``terraform
plan`` fail), and the rules' UNKNOWN findings need the second, to say that ``--workspace`` settles
them. Both are read from every resource record's references, in whichever reader made them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pullpath.azurerm_attributes import TYPE, gated
from pullpath.builders.context import Context
from pullpath.builders.values import attr, get
from pullpath.model import UNKNOWN, AttrPath, Resource, Setting

#: What the .tf reader records for an unknown terraform.workspace (see readers.hcl.evaluate).
WORKSPACE = "terraform.workspace"
_EXPANSIONS = ("count", "for_each")


def provider_settings(context: Context) -> tuple[Setting, ...]:
    """Every resource type and attribute the configuration uses that some azurerm version lacks."""
    found: list[Setting] = []
    for kind, members in context.of_kind.items():
        entries = gated(kind)
        if not entries:
            continue
        for resource in members:
            if resource.is_data:
                continue
            configured = _configured_names(resource.refs)
            found += [
                Setting(resource.address, resource.type, attribute, resource.location)
                for attribute in entries
                if attribute == TYPE or attribute in configured
            ]
    return tuple(found)


def _configured_names(refs: Iterable[AttrPath]) -> set[str]:
    """``("network_rule_set", 0, "ip_rule", 0, "action")`` -> every dotted prefix, indexes dropped."""
    names: set[str] = set()
    for path in refs:
        parts = [part for part in path if isinstance(part, str)]
        names.update(".".join(parts[:end]) for end in range(1, len(parts) + 1))
    return names


def workspace_unknown(resources: Sequence[Resource]) -> dict[str, frozenset[str]]:
    """Per resource, the attributes (as evidence writes them) unknown because the workspace is.

    ``""`` marks a resource whose ``count`` or ``for_each`` depends on the workspace: it exists in
    some workspaces only. A value the input knows is never listed, whatever it references.
    """
    found: dict[str, frozenset[str]] = {}
    for resource in resources:
        paths = {
            "" if path[0] in _EXPANSIONS and len(path) == 1 else attr(path)
            for path, targets in resource.refs.items()
            if WORKSPACE in targets
            and (len(path) == 1 and path[0] in _EXPANSIONS or _unknown(resource.values, path))
        }
        if paths:
            found[resource.address] = frozenset(paths)
    return found


def _unknown(values: Mapping[str, Any], path: AttrPath) -> bool:
    return _holds_unknown(get(values, *path))


def _holds_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(_holds_unknown(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_unknown(item) for item in value)
    return False
