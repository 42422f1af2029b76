"""Whether a grant's role holds pull: a built-in role pullpath knows, or a role definition in the input.

A pull needs ``Microsoft.ContainerRegistry/registries/pull/read``. Built-in roles are known by name
and definition ID: those documented to pull, and those documented not to. Any other role may be a
custom role holding pull, so it is unknown unless the input defines it; then its permissions decide,
with Azure's semantics: an entry grants an action when one of its actions matches it and none of its
not_actions does, ``*`` matching any characters, case-insensitively. ACR honours wildcard actions in
custom roles only in tenants with an Azure Resource Manager private link (container-registry-rbac-
custom-roles), so a pull that a wildcard alone grants, or that only a wildcard not_action removes,
depends on the tenant: unknown. A role that pulls only through the ABAC data action does so only on
registries with ABAC repository permissions: unknown too. A false FAIL is never given on a role.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec

from pullpath.model import Cite, Evidence, Model, Permission, Registry, RoleAssignment, RoleDefinition, cited

PULL_ACTION = "Microsoft.ContainerRegistry/registries/pull/read"
#: The data action that pulls from a registry with ABAC repository permissions.
ABAC_PULL_DATA_ACTION = "Microsoft.ContainerRegistry/registries/repositories/content/read"

#: Built-in roles that pull from a registry in the default mode, RBAC registry permissions, by
#: lower-case name: Owner, Contributor and Reader too
#: (container-registry-rbac-built-in-roles-directory-reference).
_LEGACY_PULL_ROLES = frozenset({"acrpull", "acrpush", "contributor", "owner", "reader"})
#: The same by definition ID (the GUID at the end of ``role_definition_id``).
PULL_ROLE_IDS = frozenset(
    {
        "7f951dda-4ed3-4680-a7ca-43fe172d538d",  # AcrPull
        "8311e382-0749-4cb8-b61a-304f252e45ec",  # AcrPush
        "b24988ac-6180-42a0-ab88-20f7382dd24c",  # Contributor
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",  # Owner
        "acdd72a7-3385-48ef-bd42-f606fba81ae7",  # Reader
    }
)
#: Built-in roles that pull from a registry with ABAC repository permissions (role assignment mode
#: "RBAC Registry + ABAC Repository Permissions"). There AcrPull, AcrPush and AcrDelete are not
#: honoured and Owner, Contributor and Reader hold control-plane permissions only
#: (container-registry-rbac-abac-repository-permissions): :data:`NOT_ON_ABAC`, by name and ID.
ABAC_PULL_ROLES = frozenset(
    {
        "container registry repository reader",
        "container registry repository writer",
        "container registry repository contributor",
    }
)
NOT_ON_ABAC = _LEGACY_PULL_ROLES | PULL_ROLE_IDS
#: Built-in roles that pull, by lower-case name, in either mode.
PULL_ROLES = _LEGACY_PULL_ROLES | ABAC_PULL_ROLES | {"container registry data importer and data reader"}
#: Built-in roles documented to hold no pull of a registry's images, by lower-case name.
NO_PULL_ROLES = frozenset(
    {
        "acrdelete",
        "acrimagesigner",
        "acrquarantinereader",  # quarantined images only
        "acrquarantinewriter",
        "container registry repository catalog lister",
        "container registry configuration reader and data access configuration reader",
        "container registry contributor and data access configuration administrator",
        "container registry tasks contributor",
        "container registry transfer pipeline contributor",
        # other services' roles, whose actions name only their own provider (Microsoft's built-in roles)
        "storage blob data reader",
        "key vault secrets user",
    }
)
#: The same by definition ID, as Microsoft's built-in roles list gives them.
NO_PULL_ROLE_IDS = frozenset(
    {
        "c2f4ef07-c644-48eb-af81-4b1b4947fb11",  # AcrDelete
        "6cef56e8-d556-48e5-a04f-b8e64114680f",  # AcrImageSigner
        "cdda3590-29a3-44f6-95f2-9f980659eb04",  # AcrQuarantineReader
        "c8d4ff99-41c3-41a8-9f60-21dfdad59608",  # AcrQuarantineWriter
        "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",  # Storage Blob Data Reader
        "4633458b-17de-408a-b874-0445c86b69e6",  # Key Vault Secrets User
    }
)
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_OR_ACRPULL = "or grant AcrPull instead."


def pulls(role: str | None) -> bool | None:
    """Whether a built-in role (a name or a definition ID) holds pull; None for any other role."""
    if role is None:
        return None
    key = _key(role)
    if key in PULL_ROLE_IDS or key in PULL_ROLES:
        return True
    return False if key in NO_PULL_ROLE_IDS or key in NO_PULL_ROLES else None


class RoleJudgement(msgspec.Struct, frozen=True):
    """What a grant's role says about pulling: ``pulls`` None when the input cannot tell."""

    pulls: bool | None
    definition: RoleDefinition | None = None  # the definition in the input that decided it
    why: str = ""  # for None: why the input cannot tell, a clause after the role's name
    fix: str = ""  # for None: what would settle it
    evidence: tuple[Evidence, ...] = ()  # the definition's permissions, when they decided


def judge_role(model: Model, grant: RoleAssignment, registry: Registry | None = None) -> RoleJudgement:
    """The built-in role a grant names, or the role definition in the input it references or names.

    A definition the grant references comes first; one read through a data source is a built-in
    role when its name or ID is one pullpath knows. Worked out once per grant and model. With a
    ``registry``, for pulls from it: its role assignment mode decides which roles count.
    """
    key = ("role", grant.address, grant.role, grant.definition)
    memo = model.index.memo
    if key not in memo:
        memo[key] = _judge(model, grant)
    found: RoleJudgement = memo[key]
    if registry is None or registry.abac is False:
        return found
    on_abac = _on_abac(grant, found, registry)
    if registry.abac or on_abac.pulls == found.pulls:
        return on_abac
    return RoleJudgement(
        None,
        found.definition,
        why=f"which pulls from {registry.label} only if its role assignment mode is "
        f"{'not ' if found.pulls else ''}ABAC repository permissions, and that mode is known only after "
        "apply",
        fix="Set role_assignment_mode on the registry in this configuration, or pass its settings with "
        "--registry-inventory (az acr show, roleAssignmentMode).",
        evidence=(*found.evidence, cited(registry, Cite.ROLE_ASSIGNMENT_MODE, "(known after apply)")),
    )


def pull_role(registry: Registry) -> str:
    """The built-in role to grant for pulls from ``registry``."""
    return "Container Registry Repository Reader" if registry.abac else "AcrPull"


def no_pull_there(registry: Registry) -> str:
    """Why a grant's role holds no pull on ``registry``, as a clause."""
    if registry.abac:
        return (
            f"which holds no pull on {registry.label}: a registry with ABAC repository permissions honours "
            "only the Container Registry Repository roles (Reader, Writer, Contributor) or a custom role's "
            f"data action {ABAC_PULL_DATA_ACTION}"
        )
    return "which holds no pull"


def _on_abac(grant: RoleAssignment, found: RoleJudgement, registry: Registry) -> RoleJudgement:
    """The judgement for a registry with ABAC repository permissions: only the repository roles, or a
    custom role's repository data action, pull there."""
    mode = cited(registry, Cite.ROLE_ASSIGNMENT_MODE, "AbacRepositoryPermissions")
    definition = found.definition
    if definition is not None and definition.permissions is not None:
        data = {_holds(definition.permissions, ABAC_PULL_DATA_ACTION, True, w) for w in (True, False)}
        if len(data) == 1 and None not in data:
            return RoleJudgement(data == {True}, definition, evidence=(*found.evidence, mode))
        return RoleJudgement(
            None,
            definition,
            why=f"whose data action {ABAC_PULL_DATA_ACTION}, the one a registry with ABAC repository "
            "permissions honours, is known only after apply or granted only through a wildcard",
            fix=f"List {ABAC_PULL_DATA_ACTION} itself in {definition.address}'s data actions, or grant "
            "Container Registry Repository Reader instead.",
            evidence=(*found.evidence, mode),
        )
    key = _key(grant.role) if grant.role else ""
    if key in ABAC_PULL_ROLES:
        return RoleJudgement(True, evidence=(mode,))
    if key in NOT_ON_ABAC:
        return RoleJudgement(False, evidence=(mode,))
    return found


def _judge(model: Model, grant: RoleAssignment) -> RoleJudgement:
    by_address, by_key = _definitions(model)
    referenced = by_address.get(grant.definition or "")
    if referenced is not None:
        if not referenced.defined:
            known = _builtin(grant.role, referenced.name, *referenced.ids)
            if known is not None:
                return RoleJudgement(known)
        return _from_definition(referenced)
    builtin = pulls(grant.role)
    if builtin is not None:
        return RoleJudgement(builtin)
    named = by_key.get(_key(grant.role), []) if grant.role else []
    judged = [_from_definition(definition) for definition in named]
    if len({judgement.pulls for judgement in judged}) > 1:
        return RoleJudgement(
            None,
            why="which names role definitions in this input that differ on pull",
            fix="Reference the role definition itself (role_definition_id = "
            "<definition>.role_definition_resource_id).",
        )
    return judged[0] if judged else _undefined(grant)


def _builtin(*names: str | None) -> bool | None:
    return next((found for found in map(pulls, names) if found is not None), None)


def _undefined(grant: RoleAssignment) -> RoleJudgement:
    if grant.role is None:
        return RoleJudgement(
            None,
            why="known only after apply",
            fix='Name the role so that the plan shows it (role_definition_name = "AcrPull"), or reference a '
            "role definition this configuration holds.",
        )
    if _GUID.search(grant.role.strip().lower()) is None:
        fix = f"Define {grant.role} in this configuration (azurerm_role_definition with its permissions)"
    else:
        fix = (
            "Define the role in this configuration (azurerm_role_definition with its permissions, and "
            "role_definition_id = <definition>.role_definition_resource_id)"
        )
    return RoleJudgement(
        None,
        why="which is not a built-in role pullpath knows, nor a role this input defines (a custom role?)",
        fix=f"{fix}, so that its actions can be read, {_OR_ACRPULL}",
    )


def _from_definition(definition: RoleDefinition) -> RoleJudgement:
    """Whether a role definition's permissions hold pull, with the evidence and, if untold, why."""
    where = definition.address
    if definition.permissions is None:
        why = (
            "whose permissions are known only after apply"
            if definition.defined
            else f"whose permissions Azure holds ({where} reads them; a plan shows them, .tf sources do not)"
        )
        fix = (
            f"Give {where} permissions the plan can show (a literal actions list), {_OR_ACRPULL}"
            if definition.defined
            else f"Judge the plan (pullpath plan), which shows the role's permissions, {_OR_ACRPULL}"
        )
        return RoleJudgement(None, definition, why, fix, (cited(definition, Cite.PERMISSIONS, "(unknown)"),))
    entries = definition.permissions
    honoured = _holds(entries, PULL_ACTION, data=False, wildcards=True)
    literal = _holds(entries, PULL_ACTION, data=False, wildcards=False)
    shown = _shown(entries)
    evidence = (cited(definition, Cite.PERMISSIONS, shown),)
    if honoured is None or literal is None:
        why = "whose actions are known only after apply"
        fix = f"Give {where} a literal actions list, {_OR_ACRPULL}"
        return RoleJudgement(None, definition, why, fix, evidence)
    if honoured != literal:
        pattern = _wildcard(entries)
        why = (
            f"whose pull depends on the wildcard {pattern}: ACR honours wildcard actions in custom roles "
            "only in tenants with an Azure Resource Manager private link"
        )
        fix = (
            f"List {PULL_ACTION} itself in {where}'s actions, and no wildcard that matches it in its "
            f"not_actions, {_OR_ACRPULL}"
        )
        return RoleJudgement(None, definition, why, fix, evidence)
    if honoured:
        return RoleJudgement(True, definition, evidence=evidence)
    data = [_holds(entries, ABAC_PULL_DATA_ACTION, data=True, wildcards=w) for w in (True, False)]
    if None in data or True in data:
        why = (
            "whose data actions are known only after apply"
            if None in data
            else f"which pulls only through the data action {ABAC_PULL_DATA_ACTION}, on registries with ABAC "
            "repository permissions"
        )
        fix = f"Add {PULL_ACTION} to {where}'s actions, {_OR_ACRPULL}"
        return RoleJudgement(None, definition, why, fix, evidence)
    return RoleJudgement(False, definition, evidence=evidence)


def _holds(entries: Iterable[Permission], action: str, data: bool, wildcards: bool) -> bool | None:
    """Whether some entry grants ``action`` (a data action when ``data``): one of its patterns matches
    it and none of those it excludes does. ``wildcards`` False reads patterns as literal strings, as
    ACR does in tenants without an ARM private link."""
    untold = False
    for entry in entries:
        granted, excluded = (
            (entry.data_actions, entry.not_data_actions) if data else (entry.actions, entry.not_actions)
        )
        if granted is None:
            untold = True
        elif any(_matches(pattern, action, wildcards) for pattern in granted):
            if excluded is None:
                untold = True
            elif not any(_matches(pattern, action, wildcards) for pattern in excluded):
                return True
    return None if untold else False


def _matches(pattern: str, action: str, wildcards: bool) -> bool:
    if "*" not in pattern:
        return pattern.strip().lower() == action.lower()
    if not wildcards:
        return False
    parts = (re.escape(part) for part in pattern.strip().split("*"))
    return re.fullmatch(".*".join(parts), action, re.IGNORECASE) is not None


def _wildcard(entries: Iterable[Permission]) -> str:
    """The first wildcard that matches the pull action, in actions or not_actions."""
    for entry in entries:
        for pattern in (*(entry.actions or ()), *(entry.not_actions or ())):
            if "*" in pattern and _matches(pattern, PULL_ACTION, wildcards=True):
                return pattern
    return "*"


def _shown(entries: Iterable[Permission]) -> str:
    """The actions (and not_actions) as evidence shows them."""
    shown = []
    for entry in entries:
        shown += list(entry.actions or ())
        shown += [f"not {pattern}" for pattern in entry.not_actions or ()]
    return ", ".join(shown) or "(no actions)"


def _key(name: str) -> str:
    """How definitions are looked up by a grant's role: a GUID in it, else its name, lower-case."""
    text = name.strip().lower()
    guid = _GUID.search(text)
    return guid.group(0) if guid else text


def _definitions(model: Model) -> tuple[dict[str, RoleDefinition], dict[str, list[RoleDefinition]]]:
    """The input's role definitions by address, and by lower-case name and definition GUID."""
    memo = model.index.memo
    key = ("role definitions",)
    if key not in memo:
        by_address = {definition.address: definition for definition in model.role_definitions}
        by_key: dict[str, list[RoleDefinition]] = {}
        for definition in model.role_definitions:
            names = [definition.name.strip().lower()] if definition.name else []
            for each in {*definition.ids, *names}:
                by_key.setdefault(each, []).append(definition)
        memo[key] = (by_address, by_key)
    found: tuple[dict[str, RoleDefinition], dict[str, list[RoleDefinition]]] = memo[key]
    return found
