"""``azapi_update_resource``: a body merged onto a resource another block created, azurerm or azapi.

Public code routes a web app's image pull with a ``vnetImagePullEnabled`` patch on azurerm
versions that lack the argument, and Azure Verified Modules set app settings by patching
``Microsoft.Web/sites/config`` named ``appsettings``. A patch finds its target by ``resource_id``,
by ``parent_id`` (the app settings of a site), or by ``parent_id`` and ``name`` among resources of
the same ARM type in either dialect. What it sets wins over what its target says, and evidence
cites the patch, so the user sees which block decided.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import msgspec
from msgspec.structs import replace

from pullpath import resource_types as rt
from pullpath.builders.arm import REGISTRY_PATHS, registry_settings
from pullpath.builders.context import Context, Role
from pullpath.builders.credentials import arm_registry_credential
from pullpath.builders.routing import PULL_OVER_VNET_SETTING, SITE_ROUTING_PATHS, Source, shown
from pullpath.builders.values import blocks, decoded_body, get, nearest_refs, ref_of, text, tristate
from pullpath.model import (
    UNKNOWN,
    Attributes,
    AttrPath,
    Credential,
    CredentialKind,
    Evidence,
    Ref,
    Registry,
    Resource,
)


class Patch(msgspec.Struct, frozen=True):
    """One ``azapi_update_resource``: its ARM type, the name it patches and its decoded body."""

    address: str
    arm_type: str
    name: str | None
    body: Any  # a Mapping, UNKNOWN, or None when unreadable
    refs: Mapping[AttrPath, tuple[str, ...]] = {}

    def value(self, *path: str | int) -> Any:
        return UNKNOWN if self.body is UNKNOWN else get(self.body, *path)

    def ref(self, *path: str | int) -> Ref:
        """A value in the body with the references of its nearest traced parent (``body`` in a plan)."""
        value = self.value(*path)
        if value is None:
            return Ref()
        return Ref(text(value), nearest_refs(self.refs, ("body", *path)), configured=True)


def build_patch(resource: Resource, context: Context) -> Patch:
    arm_type = rt.arm_type_of(str(get(resource.values, "type")))
    return Patch(
        resource.address,
        arm_type,
        text(get(resource.values, "name")),
        decoded_body(get(resource.values, "body")),
        resource.refs,
    )


def patches_of(context: Context, resource: Resource) -> list[Patch]:
    """The patches that apply to ``resource``, in input order."""
    return context.once(_targets).get(resource.address, [])


def _targets(context: Context) -> dict[str, list[Patch]]:
    found: dict[str, list[Patch]] = {}
    kinds = list(context.of_kind)
    for kind, builder in context.builders.items():
        if builder.role is not Role.PATCH:
            continue
        for resource in context.of_kind.get(kind, ()):
            patch: Patch = context.built(resource)
            for target in _patched(resource, patch, context, kinds):
                found.setdefault(target.address, []).append(patch)
    return found


def _patched(resource: Resource, patch: Patch, context: Context, kinds: list[str]) -> list[Resource]:
    by_id = context.index.follow(ref_of(resource, ("resource_id",)), kinds)
    if by_id:
        return by_id
    parents = context.index.follow(ref_of(resource, ("parent_id",)), kinds)
    if patch.arm_type in (rt.ARM_SITE_CONFIG, rt.ARM_SLOT_CONFIG):
        return parents if (patch.name or "").lower() == "appsettings" else []
    wanted = {rt.azapi_kind(patch.arm_type), *rt.AZURERM_OF_ARM.get(patch.arm_type, ())}
    return [
        candidate
        for kind in wanted
        for candidate in context.of_kind.get(kind, ())
        if patch.name and str(get(candidate.values, "name")).lower() == patch.name.lower()
    ]


def patch_routing(context: Context, resource: Resource) -> list[Source]:
    """What patches on a site say about image pull routing, each citing the patch's body path."""
    sources: list[Source] = []
    for patch in patches_of(context, resource):
        if patch.arm_type in (rt.ARM_SITE_CONFIG, rt.ARM_SLOT_CONFIG):
            paths: tuple[tuple[str, ...], ...] = (("properties", PULL_OVER_VNET_SETTING),)
        else:
            paths = SITE_ROUTING_PATHS
        for path in paths:
            value = patch.value(*path)
            if value is None:
                continue
            state = None if value is UNKNOWN else tristate(value, default=False)
            sources.append(Source(state, Evidence(patch.address, "body." + ".".join(path), shown(state))))
    return sources


def patched_registry(context: Context, resource: Resource, registry: Registry) -> Registry:
    """``registry`` with what patches set on it (public access, rule set, bypass, SKU), cited on the patch."""
    patches = patches_of(context, resource)
    if not patches:
        return registry
    paths = dict(registry.cite.paths)
    owners = dict(registry.cite.owners)
    fields: dict[str, Any] = {}
    for patch in patches:
        for name, (value, cite) in registry_settings(patch.body).items():
            fields[name] = value
            paths[cite], owners[cite] = REGISTRY_PATHS[cite], patch.address
    return replace(registry, cite=Attributes(registry.cite.dialect, paths, owners), **fields)


def merged_body(context: Context, resource: Resource, body: Any) -> Any:
    """An azapi resource's body with its patches merged on, later patches winning, as ARM applies them."""
    for patch in patches_of(context, resource):
        if patch.arm_type in (rt.ARM_SITE_CONFIG, rt.ARM_SLOT_CONFIG) or body is UNKNOWN:
            continue  # app settings patches are read as routing sources; an unknown body stays unknown
        if patch.body is UNKNOWN:
            return UNKNOWN
        if isinstance(patch.body, Mapping) and isinstance(body, Mapping):
            body = _merge(body, patch.body)
    return body


def _merge(base: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in patch.items():
        current = merged.get(key)
        merged[key] = (
            _merge(current, value) if isinstance(current, Mapping) and isinstance(value, Mapping) else value
        )
    return merged


def patched_credentials(context: Context, resource: Resource) -> tuple[Credential, ...] | None:
    """The registry credentials a patch gives a container app or job, or None when none sets them.

    ARM replaces a list a patch sets, so a patch's ``configuration.registries`` stand for the
    target's own; each credential cites the patch.
    """
    found: tuple[Credential, ...] | None = None
    for patch in patches_of(context, resource):
        listed = ("properties", "configuration", "registries")
        entries = patch.value(*listed)
        if entries is None:
            continue
        where = f"{patch.address}.body.properties.configuration.registries"
        if entries is UNKNOWN:
            found = (Credential(Ref(configured=True), CredentialKind.UNKNOWN, where),)
            continue
        found = tuple(
            arm_registry_credential(
                entry,
                "passwordSecretRef",
                functools.partial(patch.ref, *listed, position),
                f"{where}[{position}]",
                context,
                (),
            )
            for position, entry in enumerate(blocks(entries))
        )
    return found
