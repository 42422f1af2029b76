"""Role definitions in both dialects: what a custom role permits, for the grants that name it.

A grant's role may be a custom role this input defines (``azurerm_role_definition``, an azapi
``Microsoft.Authorization/roleDefinitions``) or reads (``data "azurerm_role_definition"``). Whether it
holds pull is in its permissions, which only the definition shows; the rules judge them
(``rules/roles.py``). Here each definition becomes one :class:`RoleDefinition`, and a grant finds the
definition its role expression references, in either dialect.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pullpath import resource_types as rt
from pullpath.builders.context import Builder, Context, Role
from pullpath.builders.values import blocks, decoded_body, get, text
from pullpath.model import UNKNOWN, Attributes, Cite, Permission, Ref, Resource, RoleDefinition

ROLE_DEFINITION_ATTRIBUTES = Attributes("azurerm", {Cite.ROLE: "name", Cite.PERMISSIONS: "permissions"})
AZAPI_ROLE_DEFINITION_ATTRIBUTES = Attributes(
    "azapi", {Cite.ROLE: "body.properties.roleName", Cite.PERMISSIONS: "body.properties.permissions"}
)
#: A definition GUID: a whole value (``role_definition_id``, azapi ``name``) or after ``roleDefinitions/``.
_GUID = re.compile(
    r"(?:^|roledefinitions/)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})", re.IGNORECASE
)
#: Each dialect's names for a permissions entry's four lists, in :class:`Permission`'s order.
_AZURERM_LISTS = ("actions", "not_actions", "data_actions", "not_data_actions")
_ARM_LISTS = ("actions", "notActions", "dataActions", "notDataActions")


def _definition(resource: Resource, context: Context) -> RoleDefinition:
    """``permissions`` blocks; a data source's are Azure's, which .tf sources do not show (absent)."""
    values = resource.values
    found = get(values, "permissions")
    absent = found is None and resource.is_data
    ids = (get(values, "role_definition_id"), get(values, "role_definition_resource_id"), get(values, "id"))
    return RoleDefinition(
        address=resource.address,
        name=text(get(values, "name")),
        permissions=None if absent else _permissions(found, _AZURERM_LISTS),
        ids=_guids(*ids),
        defined=not resource.is_data,
        cite=ROLE_DEFINITION_ATTRIBUTES,
    )


def _azapi_definition(resource: Resource, context: Context) -> RoleDefinition:
    """``body.properties`` (a data source's ``output.properties``): ``roleName`` and ``permissions``."""
    values = resource.values
    body = decoded_body(get(values, "output" if resource.is_data else "body"))
    properties = UNKNOWN if body is UNKNOWN else get(body, "properties")
    found = UNKNOWN if properties is UNKNOWN else get(properties, "permissions")
    unread = body is None or (found is None and resource.is_data)
    return RoleDefinition(
        address=resource.address,
        name=None if properties is UNKNOWN else text(get(properties, "roleName")),
        permissions=None if unread else _permissions(found, _ARM_LISTS),
        ids=_guids(get(values, "name"), get(values, "id")),
        defined=not resource.is_data,
        cite=AZAPI_ROLE_DEFINITION_ATTRIBUTES,
    )


def _permissions(found: Any, names: tuple[str, str, str, str]) -> tuple[Permission, ...] | None:
    """The entries of a permissions list; None when it is known only after apply."""
    if found is UNKNOWN or (isinstance(found, list) and any(entry is UNKNOWN for entry in found)):
        return None
    return tuple(Permission(*(_strings(entry, name) for name in names)) for entry in blocks(found))


def _strings(entry: Mapping[str, Any], name: str) -> tuple[str, ...] | None:
    """One list of an entry; None when any of it is known only after apply (absent: empty)."""
    found = entry.get(name)
    if found is None:
        return ()
    if found is UNKNOWN or not isinstance(found, list) or any(item is UNKNOWN for item in found):
        return None
    return tuple(item for item in found if isinstance(item, str))


def _guids(*values: Any) -> tuple[str, ...]:
    """The definition GUIDs among known IDs (an azurerm ``id`` is ``<resource ID>|<scope>``)."""
    found = (match.group(1).lower() for value in values if text(value) for match in _GUID.finditer(value))
    return tuple(dict.fromkeys(found))


def definition_of(resource: Resource, context: Context, targets: tuple[str, ...]) -> RoleDefinition | None:
    """The role definition a grant's role expression references, in either dialect; None when it
    references none, or more than one."""
    found = context.follow(Ref(targets=targets), Role.ROLE_DEFINITION)
    if len(found) != 1:
        return None
    definition: RoleDefinition = context.built(found[0])
    return definition


BUILDERS: dict[str, Builder] = {
    rt.ROLE_DEFINITION: Builder(Role.ROLE_DEFINITION, _definition),
    rt.azapi_kind(rt.ARM_ROLE_DEFINITION): Builder(Role.ROLE_DEFINITION, _azapi_definition),
}
