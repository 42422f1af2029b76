"""Identities and grants in both dialects: who can pull, and what a workload has attached.

A pull by managed identity needs the identity attached to the workload and granted a pull role at a
scope that contains the registry. Principal and scope IDs are known only after apply, so grants are
matched through the references their expressions make (``principal_id = azurerm_user_assigned_identity
.pull.principal_id``), with the attribute named kept (``client_id`` there is a mistake).
"""

from __future__ import annotations

from pullpath import resource_types as rt
from pullpath.builders.context import Builder, Context, Role
from pullpath.builders.roles import definition_of
from pullpath.builders.values import attr, decoded_body, get, nearest_refs, ref_of, text
from pullpath.model import (
    UNKNOWN,
    Attributes,
    AttrPath,
    Cite,
    Identities,
    Ref,
    Resource,
    RoleAssignment,
    UserIdentity,
)

GRANT_ATTRIBUTES = Attributes(
    "azurerm",
    {Cite.ROLE: "role_definition_name", Cite.SCOPE: "scope", Cite.PRINCIPAL: "principal_id"},
)
GRANT_BY_ID_ATTRIBUTES = Attributes("azurerm", {**GRANT_ATTRIBUTES.paths, Cite.ROLE: "role_definition_id"})
AZAPI_GRANT_ATTRIBUTES = Attributes(
    "azapi",
    {
        Cite.ROLE: "body.properties.roleDefinitionId",
        Cite.SCOPE: "parent_id",
        Cite.PRINCIPAL: "body.properties.principalId",
    },
)


def _identity(resource: Resource, context: Context) -> UserIdentity:
    values = resource.values
    return UserIdentity(
        address=resource.address,
        id=text(get(values, "id")),
        principal_id=text(get(values, "principal_id")),
        client_id=text(get(values, "client_id")),
        defined=not resource.is_data,
    )


def _azapi_identity(resource: Resource, context: Context) -> UserIdentity:
    values = resource.values
    return UserIdentity(
        address=resource.address,
        id=text(get(values, "id")),
        principal_id=text(get(values, "output", "properties", "principalId")),
        client_id=text(get(values, "output", "properties", "clientId")),
        defined=not resource.is_data,
    )


def _grant(resource: Resource, context: Context) -> RoleAssignment:
    """A grant names its role by name or by definition ID; a plan computes the other, known only
    after apply, so the one the configuration sets (or, failing that, the known one) is the role.
    A role definition this input holds that the expression references is kept, and names the role
    when nothing else does (``azurerm_role_definition.x.role_definition_resource_id``)."""
    values = resource.values
    name, definition = text(get(values, "role_definition_name")), text(get(values, "role_definition_id"))
    configured_id = resource.refs_at(("role_definition_id",)) is not None
    if configured_id != (resource.refs_at(("role_definition_name",)) is not None):
        by_id = configured_id
    else:  # no configuration to tell (a plan without it): the one that is known
        by_id = name is None and definition is not None
    role = (definition or _looked_up_role(resource, context)) if by_id else name
    path = ("role_definition_id",) if by_id else ("role_definition_name",)
    defined = definition_of(resource, context, resource.refs_at(path) or ())
    return RoleAssignment(
        address=resource.address,
        role=role or (defined.name if defined else None),
        scope=ref_of(resource, ("scope",)),
        principal=ref_of(resource, ("principal_id",)),
        principal_attributes=resource.ref_attributes.get(("principal_id",), ()),
        cite=GRANT_BY_ID_ATTRIBUTES if by_id else GRANT_ATTRIBUTES,
        definition=defined.address if defined else None,
    )


def _looked_up_role(resource: Resource, context: Context) -> str | None:
    """The role a ``role_definition_id`` names through ``data "azurerm_role_definition"``.

    A plan knows the data source's ID; .tf sources know only what it is looked up by, the built-in
    role's ``name`` (``AcrPull``), which says as much. A role definition this input creates has no
    known ID before apply: the grant keeps the definition (:func:`definition_of`) instead.
    """
    targets = resource.refs_at(("role_definition_id",)) or ()
    found = context.index.follow(Ref(targets=targets), (rt.ROLE_DEFINITION,))
    if len(found) != 1 or not found[0].is_data:
        return None
    values = found[0].values
    return text(get(values, "role_definition_id")) or text(get(values, "name"))


def _azapi_grant(resource: Resource, context: Context) -> RoleAssignment:
    body = decoded_body(get(resource.values, "body"))
    properties: AttrPath = ("body", "properties")
    role = UNKNOWN if body is UNKNOWN else get(body, "properties", "roleDefinitionId")
    principal = UNKNOWN if body is UNKNOWN else get(body, "properties", "principalId")
    defined = definition_of(resource, context, nearest_refs(resource.refs, (*properties, "roleDefinitionId")))
    return RoleAssignment(
        address=resource.address,
        role=text(role) or (defined.name if defined else None),
        scope=ref_of(resource, ("parent_id",)),
        principal=Ref(text(principal), nearest_refs(resource.refs, (*properties, "principalId")), True),
        principal_attributes=nearest_refs(resource.ref_attributes, (*properties, "principalId")),
        cite=AZAPI_GRANT_ATTRIBUTES,
        definition=defined.address if defined else None,
    )


def attached(resource: Resource, block: AttrPath = ("identity", 0)) -> Identities:
    """The identities a workload's ``identity`` block attaches; azapi's block has azurerm's shape."""
    kind = get(resource.values, *block, "type")
    ids_path: AttrPath = (*block, "identity_ids")
    ids = get(resource.values, *ids_path)
    known = tuple(i.lower() for i in ids if isinstance(i, str)) if isinstance(ids, list) else ()
    targets = resource.refs_at(ids_path) or ()
    return Identities(
        system=None if kind is UNKNOWN else "systemassigned" in str(kind or "").replace(" ", "").lower(),
        user=Ref(value=None, targets=targets, configured=bool(targets) or ids is UNKNOWN or bool(known)),
        user_ids=known,
        attribute=attr(block),
        system_principal_id=text(get(resource.values, *block, "principal_id")),
    )


BUILDERS: dict[str, Builder] = {
    rt.USER_IDENTITY: Builder(Role.IDENTITY, _identity),
    rt.ROLE_ASSIGNMENT: Builder(Role.GRANT, _grant),
    rt.azapi_kind(rt.ARM_USER_IDENTITY): Builder(Role.IDENTITY, _azapi_identity),
    rt.azapi_kind(rt.ARM_ROLE_ASSIGNMENT): Builder(Role.GRANT, _azapi_grant),
}
