"""The credential layer (PP501 to PP507): an accepted credential, held by a principal allowed to pull.

A network that admits the pull is not enough: ACR serves only authenticated clients (unless
anonymous pull is on), an identity must be attached to the workload that names it, and its
principal needs a pull role (AcrPull or one containing it) at a scope containing the registry.
Every pull path from an Azure registry gets one finding here, under the rule that decided it; a
PASS names the credential and the grant, an UNKNOWN the piece the input lacks.
"""

from __future__ import annotations

from collections.abc import Iterator

from pullpath import resource_types as rt
from pullpath.model import (
    Cite,
    Credential,
    CredentialKind,
    Evidence,
    Finding,
    Model,
    Registry,
    RoleAssignment,
    UserIdentity,
    Verdict,
    Workload,
    WorkloadKind,
    cited,
)
from pullpath.resolve import credentials_for
from pullpath.rules import sources
from pullpath.rules.base import Rule
from pullpath.rules.examples import credentials as examples
from pullpath.rules.grants import (
    GrantCheck,
    client_id_named,
    contains,
    grant_evidence,
    grants_to,
    near_misses,
)
from pullpath.rules.hosting import hosted_pulls
from pullpath.rules.placement import registry_endpoints
from pullpath.rules.pulls import Pull, judge_layer
from pullpath.rules.roles import judge_role, pull_role

_USER_IDENTITY_FIX = (
    "Pull with a user-assigned identity: create it, attach it to the workload (identity block, type "
    '"UserAssigned"), grant it AcrPull on the registry (azurerm_role_assignment with principal_id = '
    "<identity>.principal_id) and name it in the workload's registry credential; make the workload "
    "depend on the grant (depends_on) so the first pull finds it."
)

PP501 = Rule(
    id="PP501",
    slug="no-accepted-credential",
    title="Workload pulls from a registry without a credential the registry accepts",
    topic="Credential the workload presents to the registry",
    severity="HIGH",
    resource_types=rt.WORKLOAD_KINDS,
    applies_to="every workload that pulls from an Azure Container Registry",
    rationale=(
        "ACR serves pulls only to authenticated clients unless anonymous pull is enabled (Standard and "
        "Premium); an open network is not a credential. A workload that names no credential for the "
        "registry pulls anonymously, and admin-user credentials work only while the admin user is enabled "
        "(admin_enabled = true). Either way the pull is refused with 401 Unauthorized."
    ),
    remediation=_USER_IDENTITY_FIX,
    references=(sources.ACR_AUTHENTICATION, sources.ACR_ANONYMOUS_PULL, sources.ACI_MANAGED_IDENTITY_PULL),
    failing_example=examples.PP501_FAILING,
    fixed_example=examples.PP501_FIXED,
    detection=(
        "Finds the credential each workload presents to the registry its image names: a container group's "
        "`image_registry_credential` whose `server` is the registry; an App Service app's "
        "`site_config.container_registry_use_managed_identity`, `application_stack.docker_registry_username` "
        "or `DOCKER_REGISTRY_SERVER_USERNAME` app setting; a container app's `registry` block (and their "
        "azapi forms). None for the registry and `anonymous_pull_enabled` not true: FAIL. A username and "
        "password taken from the registry's `admin_username`/`admin_password` with `admin_enabled` not "
        "true: FAIL."
    ),
    alternatives=(
        "Enable anonymous pull on the registry (anonymous_pull_enabled = true, Standard or Premium) when the "
        "images may be public.",
    ),
)

PP502 = Rule(
    id="PP502",
    slug="identity-not-attached",
    title="Registry credential names a user-assigned identity the workload does not have",
    topic="Attachment of the identity named for the pull",
    severity="HIGH",
    resource_types=rt.WORKLOAD_KINDS,
    applies_to="every workload that pulls with a user-assigned identity",
    rationale=(
        "A workload obtains a token only for identities attached to it. A user-assigned identity named in "
        "the registry credential but missing from the workload's identity block yields no token, and the "
        "pull (or, for container apps, the deployment) fails."
    ),
    remediation=(
        'Attach the identity: identity { type = "UserAssigned" (or "SystemAssigned, UserAssigned"), '
        "identity_ids = [<the identity named in the registry credential>] }."
    ),
    references=(
        sources.ACI_MANAGED_IDENTITY_PULL,
        sources.APP_SERVICE_CUSTOM_CONTAINER,
        sources.UNATTACHED_IDENTITY,
    ),
    failing_example=examples.PP502_FAILING,
    fixed_example=examples.PP502_FIXED,
    detection=(
        "Compares the identity a credential names (`user_assigned_identity_id`, `registry.identity`, "
        "`container_registry_managed_identity_client_id`, or the azapi `identity` fields) with the "
        "`identity.identity_ids` of the workload, by reference or by known ID."
    ),
)

PP503 = Rule(
    id="PP503",
    slug="no-pull-grant",
    title="Pulling identity has no pull role on the registry",
    topic="Pull role of the identity that pulls",
    severity="HIGH",
    resource_types=rt.WORKLOAD_KINDS,
    applies_to="every workload that pulls with a managed identity",
    rationale=(
        "The pulling principal needs AcrPull, or a role that contains pull (AcrPush, Contributor, Owner, "
        "Reader; Container Registry Repository Reader on registries with ABAC repository permissions; a "
        "custom role whose actions hold Microsoft.ContainerRegistry/registries/pull/read), at a scope "
        "that contains the registry: the registry, its resource group, subscription or management group. A "
        "grant on another registry does not count. An identity created in this configuration can hold no "
        "grant made elsewhere before it existed, so when this configuration grants it nothing, the pull "
        "fails with 401 Unauthorized."
    ),
    remediation=(
        "Grant the identity AcrPull on the registry: azurerm_role_assignment { role_definition_name = "
        '"AcrPull", scope = <registry>.id, principal_id = <identity>.principal_id }, and make the workload '
        "depend on it."
    ),
    references=(
        sources.ACR_ROLES,
        sources.ACR_ROLES_DIRECTORY,
        sources.ACR_CUSTOM_ROLES,
        sources.ACR_ABAC,
        sources.AZURERM_ROLE_ASSIGNMENT,
        sources.CONTAINER_APPS_IDENTITY_PULL,
    ),
    failing_example=examples.PP503_FAILING,
    fixed_example=examples.PP503_FIXED,
    detection=(
        "Follows the identity a workload pulls with to the `azurerm_role_assignment` (or azapi "
        "`Microsoft.Authorization/roleAssignments`) resources whose `principal_id` references it, and to "
        "`--role-assignments` entries for its principal ID; a grant counts when its role holds pull and its "
        "`scope` references the registry, the registry's resource group, or a subscription, or names an ID "
        "that contains the registry's. A built-in role is known by name or definition ID; a custom role by "
        "the `azurerm_role_definition` (or azapi `Microsoft.Authorization/roleDefinitions`) the grant "
        "references or names, whose actions must grant `Microsoft.ContainerRegistry/registries/pull/read` "
        "(Azure's `*` wildcards count only where ACR honours them, in tenants with an Azure Resource Manager "
        "private link, so a pull they alone decide is UNKNOWN). No such grant: FAIL for an identity this "
        "input creates, UNKNOWN for one it reads (a data source or a literal ID) and for one a plan keeps "
        "(it exists, and grants made elsewhere may hold; a .tf scan cannot tell and judges it as new). A "
        "grant of a role the input cannot tell (a custom role it does not define): UNKNOWN, naming the role. "
        "On a registry whose role_assignment_mode is AbacRepositoryPermissions only the Container Registry "
        "Repository roles, or a custom role's repository content data action, pull (AcrPull, AcrPush, Owner, "
        "Contributor and Reader do not); a mode known only after apply makes a role that differs UNKNOWN."
    ),
)

PP504 = Rule(
    id="PP504",
    slug="grant-to-wrong-principal",
    title="Pull role granted to the identity's client ID instead of its principal ID",
    topic="Principal the pull role is granted to",
    severity="HIGH",
    resource_types=rt.WORKLOAD_KINDS,
    applies_to="every workload that pulls with a user-assigned identity",
    rationale=(
        "A role assignment's principal_id must be the identity's object ID (principal_id). Its client_id is "
        "another GUID: the assignment either fails or grants nothing to the identity that pulls."
    ),
    remediation="Set principal_id = <identity>.principal_id (the object ID), not <identity>.client_id.",
    references=(sources.ACR_CLIENT_ID_GRANT, sources.AZURERM_ROLE_ASSIGNMENT),
    failing_example=examples.PP504_FAILING,
    fixed_example=examples.PP504_FIXED,
    detection=(
        "Among the grants that would cover the registry, reads which attribute of the identity the "
        "`principal_id` expression names, through locals, variables and module outputs."
    ),
)

PP505 = Rule(
    id="PP505",
    slug="system-identity-first-pull",
    title="First pull uses a system-assigned identity that cannot hold its grant yet",
    topic="Pull with the workload's system-assigned identity",
    severity="HIGH",
    resource_types=rt.WORKLOAD_KINDS,
    applies_to="every workload that pulls with its system-assigned identity",
    rationale=(
        "A system-assigned identity exists only once its workload does, so its AcrPull grant can only be "
        "made after the workload, and the first pull comes before it. A container app or job created that "
        'way fails to create (registry { identity = "System" }); an App Service app fails its first start '
        "until the grant exists; container groups do not support system-assigned identity pulls from ACR."
    ),
    remediation=_USER_IDENTITY_FIX,
    references=(
        sources.CONTAINER_APP_SYSTEM_IDENTITY,
        sources.CONTAINER_APPS_SYSTEM_IDENTITY_ISSUE,
        sources.ACI_SERVICE_PRINCIPAL_PULL,
        sources.APP_SERVICE_CUSTOM_CONTAINER,
    ),
    failing_example=examples.PP505_FAILING,
    fixed_example=examples.PP505_FIXED,
    detection=(
        'A container app\'s `registry.identity = "System"` (or azapi `identity: "system"`): FAIL; a '
        "container group's system identity pull: FAIL; App Service's "
        "`container_registry_use_managed_identity = true` without a client ID, when its system identity is "
        "granted pull: WARN. A workload a plan keeps (no create among its actions) has its identity already: "
        "its grant is judged by PP503 instead."
    ),
)

PP506 = Rule(
    id="PP506",
    slug="aci-password-private-endpoint",
    title="Container group pulls with a service-principal password from a registry with a private endpoint",
    topic="Container group password pull from a registry with a private endpoint",
    severity="HIGH",
    resource_types=rt.CONTAINER_GROUP_KINDS,
    applies_to="container groups",
    rationale=(
        "Azure Container Instances documents that service-principal authentication cannot pull images from "
        "a registry that has a private endpoint enabled, whatever its public network setting."
    ),
    remediation=_USER_IDENTITY_FIX,
    references=(sources.ACI_SERVICE_PRINCIPAL_PULL,),
    failing_example=examples.PP506_FAILING,
    fixed_example=examples.PP506_FIXED,
    detection=(
        "A container group's `image_registry_credential` with a username and password that are not the "
        "registry's admin user, for a registry that has a private endpoint in this input."
    ),
)

PP507 = Rule(
    id="PP507",
    slug="arm-token-audience-refused",
    title="Identity pull from a registry that refuses ARM-audience tokens",
    topic="Registry acceptance of the workload's identity tokens",
    severity="HIGH",
    resource_types=(*rt.WORKLOAD_KINDS, *rt.AKS_KINDS),
    applies_to="App Service apps, container apps and AKS clusters pulling with a managed identity",
    rationale=(
        "App Service, Container Apps and AKS pull by managed identity with tokens for the Azure Resource "
        "Manager audience. A registry whose azureADAuthenticationAsArmPolicy is disabled refuses them."
    ),
    remediation=(
        'Enable the policy: properties.policies.azureADAuthenticationAsArmPolicy.status = "enabled" on the '
        "registry (azapi), or remove the patch that disables it."
    ),
    references=(sources.ACR_ARM_AUDIENCE,),
    failing_example=examples.PP507_FAILING,
    fixed_example=examples.PP507_FIXED,
    detection=(
        "The registry's `body.properties.policies.azureADAuthenticationAsArmPolicy.status` (azapi resource "
        "or patch), azurerm's `azuread_authentication_as_arm_policy_enabled` (4.81 and later) or the "
        "inventory's policy, against an identity pull by an App Service app, a container app or an AKS "
        "cluster's kubelet identity."
    ),
)

RULES = (PP501, PP502, PP503, PP504, PP505, PP506, PP507)

#: Workloads that pull by identity with ARM-audience tokens.
_ARM_TOKEN_KINDS = (WorkloadKind.APP_SERVICE, WorkloadKind.CONTAINER_APP, WorkloadKind.AKS)
#: The workloads this family judges: an AKS cluster's credential is its kubelet identity, judged by the
#: AKS family (PP401, PP402), which calls :func:`arm_audience_refused` for PP507.
_KINDS = frozenset(WorkloadKind) - {WorkloadKind.AKS}


def evaluate(model: Model) -> Iterator[Finding]:
    # an app that runs no container pulls nothing
    return hosted_pulls(judge_layer(model, PP501, _judge, kinds=_KINDS))


def _judge(pull: Pull) -> Finding:
    found = credentials_for(pull.workload.credentials, pull.registry, pull.model)
    kinds = {credential.kind for credential in found}
    if not found:
        return _anonymous(pull)
    credential = found[0]
    pull.evidence.append(Evidence(pull.workload.address, credential.attribute, credential.kind.value))
    if len(kinds) > 1 or CredentialKind.UNKNOWN in kinds:
        whole_body = credential.attribute in ("body", "sensitive_body")
        return pull.finding(
            PP501,
            Verdict.UNKNOWN,
            f"the credential {credential.attribute} for {pull.registry.label} is known only after apply",
            fix="Write the body as an object, not jsonencode(...) (azapi 1.13 and later take one): a "
            "jsonencode()d body that holds a value known only after apply is unknown as a whole, in a plan "
            "and in the sources alike, and an object's parts are read one by one."
            if whole_body
            else "Give the registry credential's identity or username a value or reference the plan shows.",
        )
    if credential.kind is CredentialKind.PASSWORD:
        return _password(pull, credential)
    if credential.system:
        return _system_identity(pull, credential)
    return _user_identity(pull, credential)


def _anonymous(pull: Pull) -> Finding:
    registry = pull.registry
    pull.evidence.append(cited(pull.workload, Cite.REGISTRY_CREDENTIALS, "none for this registry"))
    anonymous = registry.anonymous_pull
    if anonymous:
        return pull.finding(
            PP501,
            Verdict.PASS,
            f"no credential, and {registry.label} allows anonymous pull",
            cited(registry, Cite.ANONYMOUS_PULL, "true"),
        )
    if anonymous is None:
        return pull.finding(
            PP501,
            Verdict.UNKNOWN,
            f"the workload presents no credential for {registry.label}, whose anonymous pull setting this "
            "input does not tell",
            fix="Pull with a user-assigned identity granted AcrPull, or pass the registry's settings (az acr "
            "show, anonymousPullEnabled) with --registry-inventory.",
        )
    return pull.finding(
        PP501,
        Verdict.FAIL,
        f"the workload presents no credential for {registry.label} and anonymous pull is off, so the pull is "
        "refused (401 Unauthorized)",
        cited(registry, Cite.ANONYMOUS_PULL, "false"),
    )


def _password(pull: Pull, credential: Credential) -> Finding:
    registry = pull.registry
    if credential.admin or _registry_named(credential.username, pull.registry):
        admin = registry.admin_enabled
        evidence = cited(
            registry, Cite.ADMIN_ENABLED, "(known after apply)" if admin is None else str(admin).lower()
        )
        if admin is False:
            return pull.finding(
                PP501,
                Verdict.FAIL,
                f"the workload pulls with the admin user of {registry.label}, which is disabled",
                evidence,
                fix=f"Set admin_enabled = true on {registry.label}, or better: {_USER_IDENTITY_FIX}",
            )
        if admin is None:
            return pull.finding(
                PP501,
                Verdict.UNKNOWN,
                f"the workload pulls with the admin user of {registry.label}, whose admin_enabled this input "
                "does not tell",
                evidence,
                fix="Set admin_enabled on the registry in this configuration, or pass its settings with "
                "--registry-inventory.",
            )
        return pull.finding(
            PP501,
            Verdict.PASS,
            f"admin-user credentials, and the admin user of {registry.label} is enabled",
            evidence,
        )
    if pull.workload.kind is WorkloadKind.CONTAINER_GROUP and registry_endpoints(pull.model, registry):
        return pull.finding(
            PP506,
            Verdict.FAIL,
            f"the group pulls with a username and password from {registry.label}, which has a private "
            "endpoint; "
            "ACI cannot pull with service-principal credentials from such a registry",
        )
    return pull.finding(
        PP501,
        Verdict.UNKNOWN,
        f"the workload pulls from {registry.label} with a username and password (a service principal or a "
        "registry token) whose pull permission is granted outside this input",
        fix="Pull with a managed identity granted AcrPull in this configuration: what a password may pull (a "
        "service principal's roles, found by its object ID, not the username; a token's scope map) is in "
        "no input pullpath reads.",
    )


def _registry_named(username: str | None, registry: Registry) -> bool:
    """The admin user's username is the registry's name: a literal one says which password it is."""
    return bool(username and registry.name and username.strip().lower() == registry.name.lower())


def _system_identity(pull: Pull, credential: Credential) -> Finding:
    workload, registry = pull.workload, pull.registry
    if workload.kind is WorkloadKind.CONTAINER_GROUP:
        return pull.finding(
            PP505,
            Verdict.FAIL,
            "container groups do not support pulling from ACR with a system-assigned identity; only a "
            "user-assigned identity works",
        )
    refused = arm_audience_refused(pull)
    if refused:
        return refused
    principal = (workload.identities.system_principal_id or "").lower()
    check = grants_to(pull.model, tuple(k for k in (workload.address, principal) if k), registry)
    exists = workload.created is False  # a plan keeps the workload: its identity and grants exist already
    who = "its system-assigned identity"
    unsettled = _unsettled(pull, check, who, created=not exists, known=bool(principal), exists=exists)
    if unsettled:
        return unsettled
    grant = check.covering[0]
    if exists:
        return pull.finding(
            PP503,
            Verdict.PASS,
            f"pulls with the system-assigned identity of an existing {workload.type}, granted "
            f"{grant.role} by {grant.address}: the identity is not new, so no first pull waits for its grant",
            *grant_evidence(pull.model, grant),
        )
    pull.evidence += grant_evidence(pull.model, grant)
    if workload.kind is WorkloadKind.CONTAINER_APP:
        return pull.finding(
            PP505,
            Verdict.FAIL,
            f"the app pulls from {registry.label} with its system-assigned identity, granted by "
            f"{grant.address} "
            "only once the app exists: a container app that pulls with it on creation fails to create",
        )
    return pull.finding(
        PP505,
        Verdict.WARN,
        f"the app pulls from {registry.label} with its system-assigned identity, granted by {grant.address} "
        "only once the app exists: its first start fails until the grant is in place",
    )


def _user_identity(pull: Pull, credential: Credential) -> Finding:
    workload, registry, model = pull.workload, pull.registry, pull.model
    named = credential.identity
    identity = _identity_of(model, named.value if named else None, named.targets if named else ())
    shown = (
        identity.address if identity else (named.value if named and named.value else "(known after apply)")
    )
    attached = _attached(model, workload, identity, named.value if named else None)
    pull.evidence.append(Evidence(workload.address, workload.identities.attribute, _shown_ids(workload)))
    if attached is False:
        return pull.finding(
            PP502,
            Verdict.FAIL,
            f"the registry credential names identity {shown}, which the workload's identity block does not "
            "attach, so no token can be obtained for it",
            fix=f"Add {shown} to the workload's identity_ids (identity type UserAssigned).",
        )
    if attached is None:
        return pull.finding(
            PP502,
            Verdict.UNKNOWN,
            f"whether identity {shown} is attached to the workload is known only after apply",
            fix="Reference the identity in identity_ids and in the registry credential the same way "
            "(azurerm_user_assigned_identity.x.id).",
        )
    refused = arm_audience_refused(pull)
    if refused:
        return refused
    if identity is None:
        supplied = model.role_assignments_file
        return pull.finding(
            PP503,
            Verdict.UNKNOWN,
            f"the workload pulls with identity {shown}, which this input does not define, so its grants are "
            "not in view"
            + (
                f"; {supplied} (--role-assignments) lists grants by principal ID, which this input does not "
                "know for it"
                if supplied
                else ""
            ),
            fix='Name the identity through data "azurerm_user_assigned_identity", so a plan knows its '
            "principal ID, and pass its grants with --role-assignments (az role assignment list --all -o "
            "json); or define the identity and its AcrPull grant in this configuration.",
        )
    keys = tuple(k for k in (identity.address, (identity.principal_id or "").lower()) if k)
    check = grants_to(model, keys, registry, identity.address)
    if check.wrong_attribute and not check.covering:
        grant = check.wrong_attribute[0]
        client = client_id_named(grant, identity.address) or f"{identity.address}.client_id"
        principal = cited(grant, Cite.PRINCIPAL, client)
        return pull.finding(
            PP504,
            Verdict.FAIL,
            f"{grant.address} grants {grant.role} to {client}, the client ID, not the "
            "object ID: the identity that pulls holds no role",
            principal,
            fix=f"Set {principal.attribute} = {_object_id_of(client)} in {grant.address}.",
        )
    if check.unnamed and not check.covering:
        grant = check.unnamed[0]
        return pull.finding(
            PP503,
            Verdict.UNKNOWN,
            f"{grant.address} grants {grant.role} on {registry.label} to {identity.address}, but this input "
            "does not say which of its attributes principal_id names: its object ID (principal_id) or, "
            "wrongly, its client_id (a plan's references stop at an index such as [each.key])",
            *grant_evidence(pull.model, grant),
            fix="Judge the plan with its sources (pullpath plan --source-dir), or pullpath scan, which read "
            "the expression.",
        )
    who = f"identity {identity.address}"
    exists = identity.created is False  # a plan keeps it: grants made elsewhere may hold
    created = identity.defined and not exists
    unsettled = _unsettled(pull, check, who, created, known=bool(identity.principal_id), exists=exists)
    if unsettled:
        return unsettled
    grant = check.covering[0]
    return pull.finding(
        PP503,
        Verdict.PASS,
        f"pulls with user-assigned identity {identity.address}, attached and granted {grant.role} by "
        f"{grant.address}",
        *grant_evidence(pull.model, grant),
    )


def _unsettled(
    pull: Pull, check: GrantCheck, who: str, created: bool, known: bool = False, exists: bool = False
) -> Finding | None:
    """The finding when no grant covers the registry, or None when one does.

    ``created``: this input creates the principal, so it holds no grant made before it; otherwise
    it comes from outside the input, or (``exists``) a plan keeps it, and grants made elsewhere may
    hold. ``known``: the principal's object ID is known, so ``--role-assignments`` entries can match it.
    """
    outside = "exists already (the plan keeps it)" if exists else "is defined outside this input"
    registry = pull.registry
    if check.covering:
        return None
    if check.undecided:
        return _undecided(pull, check.undecided[0], who)
    elsewhere, evidence = near_misses(pull.model, registry, check.elsewhere, check.no_pull)
    if created:
        return pull.finding(
            PP503,
            Verdict.FAIL,
            f"{who} is created in this input and nothing grants it pull on {registry.label}{elsewhere}, "
            "so the pull is refused (401 Unauthorized)",
            *evidence,
            fix=f"Grant it {pull_role(registry)} on the registry: azurerm_role_assignment {{ "
            f'role_definition_name = "{pull_role(registry)}", scope = <registry>.id, principal_id = '
            "<identity>.principal_id }, and make the workload depend on it."
            if registry.abac
            else None,
        )
    supplied = pull.model.role_assignments_file
    if supplied is None:
        return pull.finding(
            PP503,
            Verdict.UNKNOWN,
            f"{who} {outside} and nothing here grants it pull on {registry.label}{elsewhere}",
            *evidence,
            fix="Pass its grants with --role-assignments (az role assignment list --all -o json), or grant "
            "it AcrPull on the registry in this configuration.",
        )
    if not known:
        return pull.finding(
            PP503,
            Verdict.UNKNOWN,
            f"{who} {outside} and nothing here grants it pull on {registry.label}"
            f"{elsewhere}; the grants in {supplied} (--role-assignments) are matched by principal ID, which "
            "this input does not know for it",
            *evidence,
            fix="Judge the plan (pullpath plan --role-assignments), which knows a data source's "
            "principal_id, or grant it AcrPull on the registry in this configuration.",
        )
    return pull.finding(
        PP503,
        Verdict.UNKNOWN,
        f"{who} {outside}, and neither this input nor {supplied} (--role-assignments) "
        f"grants its principal pull on {registry.label}{elsewhere}",
        *evidence,
        fix="Grant it AcrPull on the registry. A grant the file cannot show (to a group the identity "
        "belongs to, or listed from another subscription) is not counted: once checked, waive this "
        "finding.",
    )


def _undecided(pull: Pull, grant: RoleAssignment, who: str) -> Finding:
    """A grant to the principal that may cover the registry: its role or its scope cannot be told."""
    registry = pull.registry
    role = judge_role(pull.model, grant, registry)
    if role.pulls is not None:
        shown = grant.role
    else:
        shown = f"role {grant.role}, {role.why}," if grant.role else f"a role {role.why}"
    fixes = [role.fix] if role.pulls is None else []
    if contains(grant.scope, registry) is not None:
        scope = f"on {registry.label}"
    else:
        scope = (
            f"at {grant.scope.value}, which this input cannot tell contains {registry.label}"
            if grant.scope.value
            else "at a scope known only after apply"
        )
        fixes.append(
            f"Give {grant.address} a scope the input can relate to the registry (its id, or its "
            "resource group's)."
        )
    return pull.finding(
        PP503,
        Verdict.UNKNOWN,
        f"{grant.address} grants {who} {shown} {scope}",
        *grant_evidence(pull.model, grant),
        fix=" ".join(fixes),
    )


def arm_audience_refused(pull: Pull) -> Finding | None:
    """PP507 for an identity pull from a registry that refuses ARM-audience tokens; None otherwise."""
    registry = pull.registry
    if pull.workload.kind not in _ARM_TOKEN_KINDS or registry.arm_audience_tokens is not False:
        return None
    return pull.finding(
        PP507,
        Verdict.FAIL,
        f"registry {registry.label} refuses ARM-audience tokens (azureADAuthenticationAsArmPolicy disabled), "
        "which this workload's identity pull uses",
        cited(registry, Cite.ARM_AUDIENCE, "disabled"),
    )


def _identity_of(model: Model, value: str | None, targets: tuple[str, ...]) -> UserIdentity | None:
    index = model.index.identities
    for target in targets:
        if target in index:
            return index[target]
    return index.get(value.lower()) if value else None


def _attached(
    model: Model, workload: Workload, identity: UserIdentity | None, value: str | None
) -> bool | None:
    """Whether the workload's identity block attaches the identity a credential names; None: untold."""
    ids = workload.identities
    if identity and identity.address in ids.user.targets:
        return True
    known = (value, identity.id if identity else None, identity.client_id if identity else None)
    wanted = {v.lower() for v in known if v}
    if wanted & set(ids.user_ids):
        return True
    if not ids.user.configured:
        return False  # no user-assigned identity attached at all
    told = all(target in model.index.identities for target in ids.user.targets)
    if ids.user.targets and told and identity is not None:
        return False  # it attaches other identities this input defines
    if not ids.user.targets and ids.user_ids and wanted:
        return False  # literal IDs, none of them this one
    return None


def _shown_ids(workload: Workload) -> str:
    ids = workload.identities
    shown = [*ids.user.targets, *ids.user_ids]
    return ", ".join(shown) if shown else ("SystemAssigned" if ids.system else "none")


def _object_id_of(client: str) -> str:
    """The reference a grant should name instead of a client ID: ``.principal_id``, or an azapi
    identity's ``output.properties.principalId``."""
    for wrong, right in (("client_id", "principal_id"), ("clientid", "principalId")):
        if client.lower().endswith(wrong):
            return client[: -len(wrong)] + right
    return client
