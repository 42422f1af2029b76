"""Where things sit in the network: which subnet a reference names, and whether two are the same."""

from __future__ import annotations

from collections.abc import Iterable

from pullpath.model import Model, PrivateEndpoint, Ref, Registry


def subnet_addresses(model: Model, refs: Iterable[Ref]) -> list[str]:
    """Subnets of the configuration that references name, by address or by known id."""
    found: list[str] = []
    for ref in refs:
        found += [target for target in ref.targets if target in model.subnets]
        if ref.value and ref.value.lower() in model.index.subnet_by_id:
            found.append(model.index.subnet_by_id[ref.value.lower()])
    return list(dict.fromkeys(found))


def _keys(model: Model, ref: Ref) -> tuple[set[str], set[str]]:
    addresses = set(subnet_addresses(model, [ref]))
    ids = {ref.value.lower()} if ref.value else set()
    # the filter's ``.id`` check is not seen through the second lookup by a type checker
    ids |= {model.subnets[a].id.lower() for a in addresses if model.subnets[a].id}  # type: ignore[union-attr]
    return addresses, ids


def same_subnet(model: Model, left: Ref, right: Ref) -> bool | None:
    """True, False, or None when neither a reference nor a known id tells."""
    left_addresses, left_ids = _keys(model, left)
    right_addresses, right_ids = _keys(model, right)
    if left_addresses & right_addresses or left_ids & right_ids:
        return True
    if left_addresses and right_addresses:
        return False
    if left.value and right.value:
        return False
    return None


def registry_endpoints(model: Model, registry: Registry) -> list[PrivateEndpoint]:
    """Private endpoints whose connection targets the registry with the ``registry`` sub-resource."""
    candidates = list(model.index.endpoints.get(registry.address, ()))
    if registry.id:
        candidates += model.index.endpoints.get(registry.id.lower(), ())
    return [
        endpoint
        for endpoint in dict.fromkeys(candidates)
        if endpoint.subresources is None or "registry" in [s.lower() for s in endpoint.subresources]
    ]
