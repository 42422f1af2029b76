"""A plan read with its sources: what the plan cannot carry, the sources supply; nothing more.

A plan never serialises locals (``image = local.img`` leaves only the text ``local.img``), and a
value known only after apply has no text at all. For such an attribute the sources' traced
references are added. A value the plan knows is never touched, so with ``--source-dir`` no verdict
can contradict what the plan itself says; findings also gain the file and line of the ``.tf``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from msgspec.structs import replace

from pullpath.addresses import config_address
from pullpath.model import AttrPath, Resource
from pullpath.readers.hcl.functions import contains_unknown

_TEXT_PREFIXES = ("var.", "local.", "module.")
_EXPANSIONS = frozenset({("count",), ("for_each",)})  # what a scan records of an instance it may not have


def enrich(plan: Sequence[Resource], sources: Sequence[Resource]) -> list[Resource]:
    """The plan's records, each with the references and location its source record adds."""
    by_address = {resource.address: resource for resource in sources}
    by_config: dict[str, list[Resource]] = {}
    for resource in sources:
        by_config.setdefault(config_address(resource.address), []).append(resource)
    enriched: list[Resource] = []
    for resource in plan:
        source = by_address.get(resource.address)
        if source is None:
            same = by_config.get(config_address(resource.address), [])
            source = same[0] if len(same) == 1 else None  # a source instance whose key a scan cannot tell
        if source is not None and source.type == resource.type:
            resource = _merged(resource, source)
        enriched.append(resource)
    return enriched


def _merged(plan: Resource, source: Resource) -> Resource:
    refs = dict(plan.refs)
    for path, targets in source.refs.items():
        if path in _EXPANSIONS or _known(plan, path):
            continue  # a plan has expanded count and for_each: its instances are what exists
        kept = [t for t in refs.get(path, ()) if not (t.startswith(_TEXT_PREFIXES) and targets)]
        refs[path] = tuple(dict.fromkeys([*kept, *targets]))
    named = dict(plan.ref_attributes)
    for path, attributes in source.ref_attributes.items():
        if not _known(plan, path):  # a plan drops the attribute after a local or a dynamic index
            named[path] = tuple(dict.fromkeys([*named.get(path, ()), *attributes]))
    return replace(plan, refs=refs, ref_attributes=named, location=source.location or plan.location)


def _known(resource: Resource, path: AttrPath) -> bool:
    """Whether the plan has a known value at ``path`` (then it alone decides)."""
    current: Any = resource.values
    for step in path:
        if isinstance(step, int):
            if not isinstance(current, list) or step >= len(current):
                return False
            current = current[step]
        elif isinstance(current, dict):
            if step not in current:
                return False
            current = current[step]
        else:
            return False
    return current is not None and not contains_unknown(current)
