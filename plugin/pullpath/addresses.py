"""Terraform resource addresses: instance keys, module paths and the references that name them.

Addresses carry instance keys that may hold spaces, dots and quotes
(``module.server["North Europe"].azurerm_container_group.this``), so they are split by a regular
expression that respects brackets and quotes rather than by ``str.split(".")``. Results are cached:
a large plan asks about the same addresses many times.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SEGMENT = re.compile(r'(?:\[(?:"(?:\\.|[^"\\])*"|[^\]"])*\]|[^.\[])+')


@lru_cache(maxsize=65536)
def split_address(address: str) -> tuple[str, ...]:
    """Split on dots outside brackets and quotes, keeping each segment's ``[key]`` suffix."""
    if "[" not in address:
        return tuple(address.split("."))
    return tuple(_SEGMENT.findall(address))


def strip_key(segment: str) -> str:
    """``acr[0]`` -> ``acr``; ``aci["api"]`` -> ``aci``."""
    index = segment.find("[")
    return segment if index < 0 else segment[:index]


def config_address(address: str) -> str:
    """The configuration address of an instance: every instance key removed."""
    return ".".join(strip_key(segment) for segment in split_address(address))


@lru_cache(maxsize=65536)
def module_instance_prefix(address: str) -> str:
    """``module.a["x"].module.b.t.n`` -> ``module.a["x"].module.b`` (empty for the root)."""
    parts = split_address(address)
    prefix: list[str] = []
    index = 0
    while index + 1 < len(parts) and parts[index] == "module":
        prefix += parts[index : index + 2]
        index += 2
    return ".".join(prefix)


def module_path(address: str) -> tuple[str, ...]:
    """Module call names from the root, without instance keys: ``("a", "b")``."""
    parts = split_address(address)
    names: list[str] = []
    index = 0
    while index + 1 < len(parts) and parts[index] == "module":
        names.append(strip_key(parts[index + 1]))
        index += 2
    return tuple(names)


def join_module(path: tuple[str, ...], local: str) -> str:
    """Prefix a module-local address with its module path: ``("a",), "t.n"`` -> ``module.a.t.n``."""
    return ".".join([f"module.{name}" for name in path] + [local]) if path else local


#: Attributes whose name, not only the resource it belongs to, decides a verdict: a grant to an
#: identity's ``principal_id`` works and one to its ``client_id`` does not; a cluster's
#: ``kubelet_identity`` pulls images and its ``identity`` does not.
NAMED_ATTRIBUTES = frozenset({"principal_id", "client_id", "object_id", "identity", "kubelet_identity"})
_OUTPUT_IDS = frozenset({"clientid", "principalid", "objectid"})  # an azapi identity's output.properties


def attribute_chain(names: list[str]) -> str | None:
    """``["kubelet_identity", "object_id"]`` -> ``kubelet_identity.object_id``; None unless it is named.

    azapi resources are read from their ``output``: a cluster's kubelet identity
    (``output.properties.identityProfile.kubeletidentity.objectId``) and an identity's IDs
    (``output.properties.clientId``, ``principalId``) are named as well.
    """
    if names and names[0] == "output":
        lowered = [name.lower() for name in names]
        return ".".join(names) if "kubeletidentity" in lowered or lowered[-1] in _OUTPUT_IDS else None
    return ".".join(names) if names and names[0] in NAMED_ATTRIBUTES else None


def names_client_id(chain: str) -> bool:
    """Whether an attribute chain ends at a client ID (``client_id``, ``output.properties.clientId``)."""
    return chain.replace("_", "").lower().endswith("clientid")
