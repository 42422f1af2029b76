"""Whether a principal may pull from a registry: a pull role at a scope that contains the registry.

Principal and scope IDs are known only after apply, so a grant is matched by what its expressions
reference as much as by the IDs a plan shows: ``scope = azurerm_container_registry.acr.id``
contains that registry, ``scope = azurerm_resource_group.rg.id`` contains it when the registry's
``resource_group_name`` references the same group, and a subscription scope contains everything
this input creates. Whether the role holds pull is :mod:`pullpath.rules.roles`' to say: a role
it cannot tell (a custom role the input does not define) is unknown, not false. Used by the
credential rules and by AKS.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import msgspec

from pullpath.addresses import names_client_id, split_address
from pullpath.model import Cite, Evidence, Model, Ref, Registry, RoleAssignment, cited
from pullpath.resource_types import USER_IDENTITY
from pullpath.rules.roles import judge_role, no_pull_there

_SUBSCRIPTION = re.compile(r"^/subscriptions/[^/]+/?$", re.IGNORECASE)
_RESOURCE_GROUP = re.compile(r"^/subscriptions/[^/]+/resourcegroups/([^/]+)/?$", re.IGNORECASE)
_BROAD_SCOPES = ("azurerm_subscription", "azurerm_client_config", "azurerm_management_group")


def contains(scope: Ref, registry: Registry) -> bool | None:
    """Whether a grant's scope contains the registry: True, False, or None when the input cannot tell."""
    if registry.address in scope.targets:
        return True
    if scope.value:
        return _contains_id(scope.value, registry)
    for target in scope.targets:
        kind = _type_of(target).split(".")[-1]
        if kind in _BROAD_SCOPES:
            return True
        if kind == "azurerm_resource_group" and registry.resource_group.targets:
            return target in registry.resource_group.targets
    if scope.targets and all(_type_of(t).split(".")[-1].startswith("azurerm_") for t in scope.targets):
        return False if registry.defined else None  # another resource: a registry it does not contain
    return None


def _contains_id(scope: str, registry: Registry) -> bool | None:
    wanted = scope.strip().rstrip("/").lower()
    if not wanted:
        return True  # the root scope, "/", contains every resource
    if wanted.startswith("/providers/microsoft.management/"):
        return True if registry.defined else None  # a management group: its subscriptions are not in view
    if registry.id:
        own = registry.id.lower()
        return own == wanted or own.startswith(wanted + "/")
    if _SUBSCRIPTION.match(wanted):
        return True if registry.defined else None
    group = _RESOURCE_GROUP.match(wanted)
    if group and registry.resource_group.value:
        return group.group(1) == registry.resource_group.value.lower()
    return None


def _type_of(address: str) -> str:
    parts = split_address(address)
    while len(parts) > 2 and parts[0] == "module":
        parts = parts[2:]
    return ".".join(parts[:2]) if parts and parts[0] == "data" else parts[0] if parts else ""


class GrantCheck(msgspec.Struct, frozen=True):
    """What the grants to one principal say about one registry."""

    covering: tuple[RoleAssignment, ...]  # a pull role at a scope containing the registry
    wrong_attribute: tuple[RoleAssignment, ...]  # would cover it, but name the identity's client_id
    unnamed: tuple[RoleAssignment, ...]  # would cover it, but which attribute they name is not told
    undecided: tuple[RoleAssignment, ...]  # role or scope the input cannot tell
    elsewhere: tuple[RoleAssignment, ...]  # a pull role at a scope that does not contain the registry
    no_pull: tuple[RoleAssignment, ...] = ()  # a role known to hold no pull, at a scope that may contain it


def grants_to(model: Model, keys: tuple[str, ...], registry: Registry, own_address: str = "") -> GrantCheck:
    """The grants whose principal is any of ``keys`` (an address, or a lower-case principal ID).

    ``own_address``: the identity's address, so that a grant naming its ``client_id`` is told apart.
    """
    found: dict[str, RoleAssignment] = {}
    for key in keys:
        for grant in model.index.grants_by_principal.get(key, ()):
            found.setdefault(grant.address, grant)
    covering, wrong, unnamed, undecided, elsewhere, no_pull = [], [], [], [], [], []
    for grant in found.values():
        role, scope = judge_role(model, grant, registry).pulls, contains(grant.scope, registry)
        if role is False and scope is not False:
            no_pull.append(grant)
        if role is False or (scope is False and role is None):
            continue  # no pull, or whatever it holds, on something else
        if scope is False:
            elsewhere.append(grant)
        elif role is None or scope is None:
            undecided.append(grant)
        elif own_address and client_id_named(grant, own_address):
            wrong.append(grant)
        elif own_address and _attribute_untold(grant, own_address):
            unnamed.append(grant)
        else:
            covering.append(grant)
    return GrantCheck(
        tuple(covering), tuple(wrong), tuple(unnamed), tuple(undecided), tuple(elsewhere), tuple(no_pull)
    )


def grant_evidence(model: Model, grant: RoleAssignment) -> list[Evidence]:
    """A grant's role and scope, and the permissions of the role definition that decided its role."""
    return [
        cited(grant, Cite.ROLE, grant.role or "(known after apply)"),
        cited(
            grant, Cite.SCOPE, grant.scope.value or ", ".join(grant.scope.targets) or "(known after apply)"
        ),
        *judge_role(model, grant).evidence,
    ]


def near_misses(
    model: Model, registry: Registry, elsewhere: Sequence[RoleAssignment], no_pull: Sequence[RoleAssignment]
) -> tuple[str, list[Evidence]]:
    """The grants that come close without covering ``registry``, as a clause to end a reason with and
    as evidence: pull roles at scopes that do not contain it, and roles that hold no pull there."""
    clause = f" ({', '.join(g.address for g in elsewhere)} grants pull elsewhere)" if elsewhere else ""
    clause += "".join(f" ({g.address} grants {g.role}, {no_pull_there(registry)})" for g in no_pull)
    return clause, [e for grant in (*elsewhere, *no_pull) for e in grant_evidence(model, grant)]


def client_id_named(grant: RoleAssignment, identity: str) -> str | None:
    """The reference by which a grant's principal names the identity's client ID, not its object ID:
    ``<identity>.client_id``, or an azapi identity's ``<identity>.output.properties.clientId``."""
    prefix = identity + "."
    return next(
        (
            attribute
            for attribute in grant.principal_attributes
            if attribute.startswith(prefix) and names_client_id(attribute[len(prefix) :])
        ),
        None,
    )


def _attribute_untold(grant: RoleAssignment, identity: str) -> bool:
    """A grant that references an azurerm identity without saying which of its attributes: a plan's
    references stop at a dynamic index (``pull[each.key].client_id`` lists only ``pull``). An azapi
    identity's ``output.properties.principalId`` is not an attribute the readers name."""
    return (
        identity in grant.principal.targets
        and _type_of(identity).split(".")[-1] == USER_IDENTITY
        and not any(attribute.startswith(identity + ".") for attribute in grant.principal_attributes)
    )
