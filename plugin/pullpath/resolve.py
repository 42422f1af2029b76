"""Which registry does an image come from? By configuration reference, login server or name.

An image's text wins when it is known: a plan's known value is never contradicted. When the text
is known only after apply, the references traced by the reader name the registry instead.
"""

from __future__ import annotations

import re

import msgspec

from pullpath.model import Credential, CredentialKind, Image, Model, Registry

ACR_SUFFIXES = (".azurecr.io", ".azurecr.cn", ".azurecr.us")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_DIGEST = re.compile(r"@[A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$")


def split_userinfo(reference: str) -> tuple[str, str]:
    """``(user information with its "@", the reference without it)``; ``("", reference)`` when none.

    ``https://user:pass@host/repo:tag`` gives ``("user:pass@", "https://host/repo:tag")`` and
    ``user:pass@host:5000/repo:tag`` gives ``("user:pass@", "host:5000/repo:tag")``: what a report
    shows keeps the scheme, host, port, path and tag. No part of an image name or tag can hold an
    ``@`` save a trailing digest (``@sha256:...``), so every other ``@`` belongs to credentials,
    even when a password holds a ``/`` or an ``@`` that URL syntax would want encoded.
    """
    scheme = _SCHEME.match(reference)
    start = scheme.end() if scheme else 0
    digest = _DIGEST.search(reference, start)
    at = reference.rfind("@", start, digest.start() if digest else len(reference))
    if at < 0:
        return "", reference
    return reference[start : at + 1], reference[:start] + reference[at + 1 :]


def shown_userinfo(model: Model) -> frozenset[str]:
    """The user information in the model's image references, credential servers and login servers.

    A report removes it wherever it occurs (see :mod:`pullpath.sensitive`); judging never needs it.
    """
    texts = [image.ref.value for workload in model.workloads for image in workload.images]
    texts += [credential.server.value for workload in model.workloads for credential in workload.credentials]
    texts += [registry.login_server for registry in model.registries]
    return frozenset(
        userinfo for text in texts if text and "@" in text and (userinfo := split_userinfo(text)[0])
    )


def image_host(image: str) -> str | None:
    """The registry host of an image reference, None for Docker Hub's implicit host.

    A scheme and user information (``https://user:pass@host/...``) are no part of the host.
    """
    reference = split_userinfo(image.strip())[1]
    reference = reference[scheme.end() :] if (scheme := _SCHEME.match(reference)) else reference
    first = reference.split("/", 1)[0]
    if "/" in reference and ("." in first or ":" in first or first == "localhost"):
        return first.lower()
    return None


def acr_name(host: str | None) -> str | None:
    """``MyAcr.azurecr.io`` -> ``myacr``; None for a host that is not an ACR login server."""
    if not host:
        return None
    bare = host.lower().split(":", 1)[0]
    for suffix in ACR_SUFFIXES:
        if bare.endswith(suffix) and "." not in bare[: -len(suffix)]:
            return bare[: -len(suffix)]
    return None


class Resolution(msgspec.Struct, frozen=True):
    """Registries an image may come from; ``traced`` False when the image could not be tied to any."""

    registries: tuple[Registry, ...]
    traced: bool = True


NOT_ACR = Resolution(())
UNTRACED = Resolution((), traced=False)


def resolve_image(image: Image, model: Model) -> Resolution:
    """NOT_ACR for images from elsewhere; UNTRACED when the text and references say nothing."""
    if image.ref.value is not None:
        return _by_text(image.ref.value, model)
    found = [model.index.registries[t] for t in image.ref.targets if t in model.index.registries]
    if found:
        return Resolution(_prefer_defined(found))
    return UNTRACED


def _by_text(value: str, model: Model) -> Resolution:
    host = image_host(value)
    name = acr_name(host)
    if name is None:
        return NOT_ACR
    index = model.index
    found = list(dict.fromkeys([*index.by_login_server.get(host or "", ()), *index.by_name.get(name, ())]))
    if found:
        return Resolution(_prefer_defined(found))
    return Resolution((Registry.undefined(address=host or name, name=name, login_server=host),))


def _prefer_defined(found: list[Registry]) -> tuple[Registry, ...]:
    """A managed registry and a data source for the same name are one registry: keep the managed one."""
    defined = [registry for registry in found if registry.defined]
    return tuple(defined or found)


def credentials_for(
    credentials: tuple[Credential, ...], registry: Registry, model: Model
) -> list[Credential]:
    """The credentials a workload may present to ``registry``: those naming it, else those naming none.

    A credential whose server cannot be told (known after apply, traced to no registry, or App
    Service's one credential for any registry) may be the one for this registry.
    """
    known = model.index.registries
    matched: list[Credential] = []
    unresolved: list[Credential] = []
    for credential in credentials:
        server = credential.server
        if registry.address in server.targets or _same_server(server.value, registry):
            matched.append(credential)
        elif server.value is None and not any(target in known for target in server.targets):
            unresolved.append(credential)
    return matched or unresolved


def credential_kind(
    credentials: tuple[Credential, ...], registry: Registry, model: Model
) -> tuple[CredentialKind | None, str]:
    """How a workload authenticates to ``registry``: kind (None = no credential) and evidence path
    (empty with no credential: the caller cites the workload's credential attribute).

    A credential whose server cannot be told (known after apply, traced to no registry) may be the
    one for this registry, so it counts unless a credential names the registry outright.
    """
    candidates = credentials_for(credentials, registry, model)
    if not candidates:
        return None, ""
    kinds = {credential.kind for credential in candidates}
    if len(kinds) == 1:
        return kinds.pop(), candidates[0].attribute
    return CredentialKind.UNKNOWN, candidates[0].attribute


def _same_server(server: str | None, registry: Registry) -> bool:
    if not server:
        return False
    host = split_userinfo(server.strip())[1].lower().split("://", 1)[-1].strip("/")
    if registry.login_server and host == registry.login_server.lower():
        return True
    return bool(registry.name) and acr_name(host) == (registry.name or "").lower()
