"""Where things sit in the network: which subnet a reference names, and whether two are the same."""

from __future__ import annotations

from collections.abc import Iterable

from pullpath.model import Cite, Evidence, Model, PrivateEndpoint, Ref, Registry, cited

#: A registry may have a private endpoint per spoke, hundreds of them: a finding names this many, so
#: a report grows with the workloads, not with workloads times endpoints.
CITED_ENDPOINTS = 3


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


def endpoint_evidence(registry: Registry, endpoints: list[PrivateEndpoint], key: Cite) -> list[Evidence]:
    """The first :data:`CITED_ENDPOINTS` endpoints cited under ``key``, and how many there are in all."""
    found = [cited(endpoint, key) for endpoint in endpoints[:CITED_ENDPOINTS]]
    if len(endpoints) > CITED_ENDPOINTS:
        found.append(
            Evidence(registry.address, "", f"{len(endpoints)} private endpoints, {CITED_ENDPOINTS} cited")
        )
    return found


def endpoint_names(endpoints: list[PrivateEndpoint]) -> str:
    """``a, b`` or ``a, b, c and 197 more``."""
    names = ", ".join(endpoint.address for endpoint in endpoints[:CITED_ENDPOINTS])
    rest = len(endpoints) - CITED_ENDPOINTS
    return f"{names} and {rest} more" if rest > 0 else names
