"""Keys for the network layers: one name per VNet, subnet, zone or firewall, however it is referenced.

A configuration names a VNet by reference (``azurerm_virtual_network.hub.id``), by literal ARM ID
(a hub another team owns), or by resource group and name (``azurerm_subnet.virtual_network_name``).
Builders turn each into a *key*: the address of the resource when this input has it, else
``<kind>:<resource group>/<name>`` (lower-case) for one outside it, so an ID and a name for the
same outside resource meet. A reference the input cannot tell has no key (None).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from pullpath.builders.values import get, text
from pullpath.model import Ref, Resource

#: ARM resource types (lower-case) to the short kind outside keys carry.
_KINDS = {
    "virtualnetworks": "vnet",
    "subnets": "subnet",
    "privatednszones": "zone",
    "firewallpolicies": "policy",
    "azurefirewalls": "firewall",
    "routetables": "routes",
}


def arm_parts(identifier: str) -> tuple[str | None, list[tuple[str, str]]]:
    """``(resource group, [(type, name), ...])`` of an ARM ID, lower-case; ``(None, [])`` if not one.

    ``/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a``
    gives ``("rg", [("virtualnetworks", "v"), ("subnets", "a")])``.
    """
    parts = [part for part in identifier.strip().lower().split("/") if part]
    if len(parts) < 4 or parts[0] != "subscriptions" or parts[2] != "resourcegroups":
        return None, []
    group = parts[3]
    rest = parts[4:]
    if len(rest) >= 2 and rest[0] == "providers":
        rest = rest[2:]  # the namespace
    return group, [(rest[i], rest[i + 1]) for i in range(0, len(rest) - 1, 2)]


def outside(kind: str, group: str | None, name: str | None) -> str | None:
    """The key of a resource outside the input, from its resource group and name."""
    if not group or not name:
        return None
    return f"{kind}:{group.lower()}/{name.lower()}"


def id_key(identifier: str) -> str:
    """The outside key an ARM ID stands for (the last type in it), or the ID itself, lower-case.

    A subnet's name is qualified by its VNet's (``subnet:rg/vnet/snet``): subnets of two VNets
    may share a name.
    """
    group, pairs = arm_parts(identifier)
    if len(pairs) >= 2 and pairs[-1][0] == "subnets" and pairs[-2][0] == "virtualnetworks":
        return outside("subnet", group, f"{pairs[-2][1]}/{pairs[-1][1]}") or identifier.lower()
    if pairs and pairs[-1][0] in _KINDS:
        return outside(_KINDS[pairs[-1][0]], group, pairs[-1][1]) or identifier.lower()
    return identifier.strip().lower()


def vnet_key_of_subnet_id(identifier: str) -> str | None:
    """The VNet key a subnet's ARM ID names (``.../virtualNetworks/v/subnets/a``), else None."""
    group, pairs = arm_parts(identifier)
    if len(pairs) >= 2 and pairs[-2][0] == "virtualnetworks" and pairs[-1][0] == "subnets":
        return outside("vnet", group, pairs[-2][1])
    return None


class Keys:
    """Resources of some kinds by address, known ID and (resource group, name), to key references.

    The ID and name maps are built on the first reference that carries an ID: most references in
    a plan name their target by address, and a large plan should not pay for maps it never reads.
    """

    def __init__(self, kind: str, resources: Iterable[Resource], parent_group: bool = False) -> None:
        self.kind = kind
        self.resources = list(resources)
        self.addresses = {resource.address for resource in self.resources}
        self.parent_group = parent_group

    @cached_property
    def by_id(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for resource in self.resources:
            identifier = text(get(resource.values, "id"))
            if identifier:
                found[identifier.lower()] = resource.address
        return found

    @cached_property
    def by_name(self) -> dict[str, str]:
        found = {id_key(identifier): address for identifier, address in self.by_id.items()}
        for resource in self.resources:
            name = text(get(resource.values, "name"))
            group = text(get(resource.values, "resource_group_name"))
            if group is None and self.parent_group:  # azapi: the resource group is the parent's ID
                group = arm_parts(text(get(resource.values, "parent_id")) or "")[0]
            if self.kind == "subnet" and name:  # qualified by the VNet, as id_key qualifies it
                vnet = text(get(resource.values, "virtual_network_name"))
                name = f"{vnet}/{name}" if vnet else None
            key = outside(self.kind, group, name)
            if key:
                found.setdefault(key, resource.address)
        return found

    def key(self, ref: Ref) -> str | None:
        """The key a reference names: a target of these kinds, or the resource its ID text names."""
        for target in ref.targets:
            if target in self.addresses:
                return target
        if not ref.value:
            return None
        low = ref.value.strip().lower()
        if low in self.by_id:
            return self.by_id[low]
        key = id_key(low)
        return self.by_name.get(key, key)

    def named(self, group: str | None, name: str | None) -> str | None:
        key = outside(self.kind, group, name)
        return None if key is None else self.by_name.get(key, key)
