"""What a workload presents to a registry, told the same way whichever dialect wrote it.

Every workload kind names an identity, a username and password, or nothing, each in its own
attributes; these helpers turn what a builder found into one :class:`Credential`, so the rules read
one shape. A username or password that references a registry resource is that registry's admin
user (``admin_username``/``admin_password`` are the only credentials a registry exposes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pullpath.builders.context import Context, Role
from pullpath.model import Credential, CredentialKind, Ref

#: How Container Apps (``registry.identity``) and ARM bodies name the system-assigned identity.
SYSTEM = "system"


def identity_credential(server: Ref, attribute: str, identity: Ref) -> Credential:
    """A pull by the identity ``identity`` names: ``"System"``, or a user-assigned identity's ID."""
    system = (identity.value or "").strip().lower() == SYSTEM
    return Credential(
        server, CredentialKind.IDENTITY, attribute, identity=None if system else identity, system=system
    )


def password_credential(server: Ref, attribute: str, context: Context, secrets: Iterable[Ref]) -> Credential:
    """A username and password pull (``secrets``: the username first); ``admin`` when they reference a
    registry's admin user."""
    secrets = tuple(secrets)
    admin = any(context.follow(secret, Role.REGISTRY) for secret in secrets)
    username = secrets[0].value if secrets else None
    return Credential(server, CredentialKind.PASSWORD, attribute, admin=admin, username=username)


def app_service_credential(
    attribute: str,
    use_identity: bool | None,
    client_id: Ref,
    username: Ref,
    password: Ref,
    context: Context,
) -> Credential | None:
    """App Service's one credential, for whatever registry its image names (an empty ``server``).

    ``use_identity`` (``container_registry_use_managed_identity``, ``acrUseManagedIdentityCreds``)
    pulls with the user-assigned identity whose client ID is given, else the system-assigned one.
    Otherwise a registry username (an ``application_stack`` argument or ``DOCKER_REGISTRY_SERVER_*``
    app settings) is a password pull, and nothing at all is an anonymous pull (None).
    """
    if use_identity is None:
        return Credential(Ref(), CredentialKind.UNKNOWN, attribute)
    if use_identity:
        if client_id.is_set is not False:
            return Credential(Ref(), CredentialKind.IDENTITY, attribute, identity=client_id)
        return Credential(Ref(), CredentialKind.IDENTITY, attribute, system=True)
    if username.is_set is None:  # the app settings are known only after apply: any may be a username
        return Credential(Ref(), CredentialKind.UNKNOWN, attribute)
    if username.is_set:
        return password_credential(Ref(), attribute, context, (username, password))
    return None


def arm_registry_credential(
    entry: Mapping[str, Any],
    secret: str,
    ref: Callable[[str], Ref],
    attribute: str,
    context: Context,
    secrets: Iterable[Ref],
) -> Credential:
    """One entry of an ARM registry credential list (a container group's ``imageRegistryCredentials``,
    a container app's ``configuration.registries``), in a resource's body or a patch's.

    ``ref`` reads one of the entry's fields; ``secrets`` are the references that may name a
    registry's admin user (none when only a parent's references are known).
    """
    server, identity = ref("server"), ref("identity")
    if identity.is_set and entry.get("identity") != "":  # AVM sends identity = "" with a password
        return identity_credential(server, attribute, identity)
    if ref("username").is_set or entry.get(secret) not in (None, ""):
        return password_credential(server, attribute, context, secrets)
    return Credential(server, CredentialKind.UNKNOWN, attribute)
