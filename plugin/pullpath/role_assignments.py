"""Role assignments as Azure reports them: grants made outside the input, for principals from outside it.

An identity read through a data source, or created by another configuration, may hold its AcrPull
grant from anywhere: a platform team's configuration, a portal click, a pipeline. The input cannot
tell, so its pull is UNKNOWN. ``az role assignment list --all -o json`` says what Azure holds, so
``--role-assignments FILE`` adds those grants to the model before the rules run, matched like the
input's own grants: by the principal's object ID (``principalId``) and by a scope that contains the
registry. The rules stay pure functions of the model; the model records that the file was given, so
an UNKNOWN can say that the file listed no grant, rather than ask for it again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

import msgspec
from msgspec.structs import replace

from pullpath.errors import InputError
from pullpath.input_files import read_bounded
from pullpath.model import Attributes, Cite, Model, Ref, RoleAssignment

#: Findings on a supplied grant cite the field of the az CLI JSON that decided them.
BY_NAME = Attributes(
    "az role assignment list",
    {Cite.ROLE: "roleDefinitionName", Cite.SCOPE: "scope", Cite.PRINCIPAL: "principalId"},
)
BY_DEFINITION_ID = Attributes("az role assignment list", {**BY_NAME.paths, Cite.ROLE: "roleDefinitionId"})
#: How a supplied grant is named in findings, beside the input's resource addresses.
ADDRESS_PREFIX = "az role assignment "

_MAX_BYTES = 256 * 1024**2  # a tenant-wide listing of a large estate runs to tens of megabytes
_WHAT = "role assignments file"


class RoleAssignments(msgspec.Struct, frozen=True, dict=True):
    """The grants a ``--role-assignments`` file lists, in file order."""

    source: str
    grants: tuple[RoleAssignment, ...]

    def for_principals(self, principal_ids: Iterable[str]) -> list[RoleAssignment]:
        """The grants to any of these principal IDs (case-insensitive), in file order.

        By index: a tenant's listing runs to tens of thousands of entries, and a scan applies it to
        every root module, each of which pulls with a handful of identities at most.
        """
        positions = sorted(
            position
            for key in {p.lower() for p in principal_ids}
            for position in self._by_principal.get(key, ())
        )
        return [self.grants[position] for position in positions]

    @cached_property
    def _by_principal(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for position, grant in enumerate(self.grants):
            index.setdefault((grant.principal.value or "").lower(), []).append(position)
        return index


def load_role_assignments(path: str) -> RoleAssignments:
    """Read ``az role assignment list --all -o json`` output; anything else is an :class:`InputError`.

    UTF-8 (with or without a BOM) and PowerShell's UTF-16 are read as ``json.loads`` detects them.
    Messages name the entry and the field, never a value: the file is the user's, and a malformed
    one may hold anything.
    """
    data = read_bounded(path, _MAX_BYTES, _WHAT)
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: {_WHAT} is not valid JSON ({error.msg} at line {error.lineno} column {error.colno}); "
            "expected the output of az role assignment list --all -o json"
        ) from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: {_WHAT} is not UTF-8 or UTF-16 text") from None
    except RecursionError:
        raise InputError(f"{path}: {_WHAT} is nested too deeply") from None
    return parse_role_assignments(document, path)


def parse_role_assignments(document: Any, source: str) -> RoleAssignments:
    if not isinstance(document, list):
        raise InputError(
            f"{source}: {_WHAT} must be a JSON list (az role assignment list --all -o json), "
            f"got a JSON {_kind(document)}"
        )
    grants = tuple(_grant(entry, index, source) for index, entry in enumerate(document))
    return RoleAssignments(source, grants)


def _grant(entry: Any, index: int, source: str) -> RoleAssignment:
    where = f"{source}: {_WHAT} entry {index}"
    if not isinstance(entry, Mapping):
        raise InputError(f"{where} is a JSON {_kind(entry)}, not an object (az role assignment list)")
    principal = _text(entry, "principalId", where, required=True)
    scope = _text(entry, "scope", where, required=True)
    if not scope.startswith("/"):
        raise InputError(f"{where}: scope is not an Azure resource ID (it must start with '/')")
    name = _text(entry, "roleDefinitionName", where)
    definition = _text(entry, "roleDefinitionId", where)
    if not (name or definition):
        raise InputError(f"{where}: needs roleDefinitionName or roleDefinitionId")
    label = _text(entry, "name", where) or _text(entry, "id", where).rsplit("/", 1)[-1] or f"#{index}"
    return RoleAssignment(
        address=f"{ADDRESS_PREFIX}{label}",
        role=name or definition,
        scope=Ref(value=scope, configured=True),
        principal=Ref(value=principal, configured=True),
        cite=BY_NAME if name else BY_DEFINITION_ID,
    )


def _text(entry: Mapping[str, Any], field: str, where: str, required: bool = False) -> str:
    """A string field; absent or null is empty unless ``required``; any other type is an error."""
    value = entry.get(field)
    if value is None or value == "":
        if required:
            raise InputError(f"{where}: has no {field}")
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: {field} must be a string, got a JSON {_kind(value)}")
    return value.strip()


def _kind(value: Any) -> str:
    """The JSON type of a value, which a message may name where it must not show the value."""
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    return "null" if value is None else "number"


def apply_role_assignments(model: Model, assignments: RoleAssignments) -> Model:
    """The model with the supplied grants beside its own, and the file they came from recorded.

    The rules match a supplied grant by the principal ID of an identity the model holds (the file
    names no resource), so only the grants to those principals are added: user-assigned identities,
    the system-assigned identities of workloads a plan keeps, and the kubelet identities AKS made.
    """
    known = [identity.principal_id for identity in model.identities if identity.principal_id]
    for workload in model.workloads:
        known += [workload.identities.system_principal_id or ""]
        known += [workload.cluster.kubelet_object_id or ""] if workload.cluster else []
    return replace(
        model,
        role_assignments=(*model.role_assignments, *assignments.for_principals(p for p in known if p)),
        role_assignments_file=assignments.source,
    )
