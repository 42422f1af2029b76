"""Reading a :class:`Resource`'s values the same way in every builder, whatever its dialect.

Values are nested dicts and lists with :data:`~pullpath.model.UNKNOWN` where a value is known only
after apply; these helpers walk them without caring which provider wrote the resource.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pullpath import resource_types as rt
from pullpath.model import UNKNOWN, AttrPath, Ref, Resource


def kind_of(resource: Resource) -> str:
    """What a builder is registered for: the azurerm type, or the ARM type an azapi resource names.

    An ``azapi_resource`` of ``Microsoft.App/containerApps@2024-03-01`` is kind
    ``azapi:microsoft.app/containerapps`` (any API version, any case), and an
    ``azapi_update_resource`` of it ``azapi_update:microsoft.app/containerapps``; one whose type is
    known only after apply, or is not a string, keeps its resource type, which no builder claims.
    """
    if resource.type not in rt.AZAPI_TYPES:
        return resource.type
    arm_type = resource.values.get("type") if isinstance(resource.values, Mapping) else None
    return rt.azapi_kind(arm_type, resource.type) if isinstance(arm_type, str) else resource.type


def get(values: Any, *path: str | int) -> Any:
    """Walk nested values; None when a step is missing, UNKNOWN when a step is known after apply."""
    current = values
    for step in path:
        if current is UNKNOWN:
            return UNKNOWN
        if isinstance(step, int):
            if not isinstance(current, list) or step >= len(current):
                return None
            current = current[step]
        else:
            if type(current) is not dict and not isinstance(current, Mapping):  # dict first: no ABC check
                return None
            current = current.get(step)
    return current


def text(value: Any) -> str | None:
    """A known, non-empty string value, else None."""
    return value if isinstance(value, str) and value else None


def tristate(value: Any, default: bool | None = None) -> bool | None:
    """Terraform bools, including the strings checkov and app settings use; None when unknown."""
    if value is UNKNOWN:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return default


def blocks(value: Any) -> list[Mapping[str, Any]]:
    """A nested block list (or one block) as a list of mappings."""
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, Mapping)]
    return []


def ref_of(resource: Resource, path: AttrPath) -> Ref:
    value = get(resource.values, *path)
    if value is None and known_null(resource.values, path):
        return Ref()  # a known null is not set, whatever its expression references (a for_each map's null)
    targets = resource.refs_at(path)
    return Ref(
        value=text(value),
        targets=targets or (),
        configured=targets is not None or value is UNKNOWN or text(value) is not None,
    )


def nearest_refs(refs: Mapping[AttrPath, Sequence[str]], path: AttrPath) -> tuple[str, ...]:
    """What the nearest traced parent of ``path`` references: a plan traces an azapi ``body`` as one
    expression, so a value inside it carries the references of the body (or of its nearest part)."""
    for end in range(len(path), 0, -1):
        found = refs.get(path[:end])
        if found is not None:
            return tuple(found)
    return ()


def known_null(values: Any, path: AttrPath) -> bool:
    """Whether the value at ``path`` is present and null (known), rather than absent."""
    parent = get(values, *path[:-1])
    return isinstance(parent, Mapping) and path[-1] in parent and parent[path[-1]] is None


def attr(path: AttrPath) -> str:
    """``("container", 0, "image")`` -> ``container[0].image`` for evidence."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class Index:
    """Resources by address and by known id, to follow references and id strings alike."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self.by_address = {resource.address: resource for resource in resources}
        self.by_id: dict[str, Resource] = {}
        for resource in resources:
            identifier = text(get(resource.values, "id"))
            if identifier:
                self.by_id[identifier.lower()] = resource

    def follow(self, ref: Ref, types: Iterable[str]) -> list[Resource]:
        wanted = set(types)
        found = [self.by_address[t] for t in ref.targets if t in self.by_address]
        if ref.value and ref.value.lower() in self.by_id:
            found.append(self.by_id[ref.value.lower()])
        return [resource for resource in dict.fromkeys(found) if kind_of(resource) in wanted]


def decoded_body(value: Any) -> Any:
    """An azapi ``body`` as an object: azapi 2.x gives one, 1.x a JSON string (``jsonencode``).

    UNKNOWN stays UNKNOWN (a string with any unknown inside is unknown as a whole); a string that
    is not a JSON object, or any other shape, is None: the caller treats the body as unreadable.
    """
    if value is UNKNOWN or isinstance(value, Mapping):
        return value
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return None
        return decoded if isinstance(decoded, Mapping) else None
    return None
