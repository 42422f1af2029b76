"""Every azurerm resource type and attribute pullpath reads, with the provider versions that have it.

One table, so a verdict, a remediation and the provider-version rule (PP902) agree on what a locked
azurerm offers. An entry's ``since`` is the first version with it and ``until`` the first without
it (a removal); each cites the CHANGELOG entry (``CHANGELOG-v3.md 3.29.0 #17785``) or upgrade guide
that says so, checked against the provider's sources at each release tag. ``since`` None means
every version pullpath reads (2.0 and later). Attributes are dotted through blocks, without
indexes (``image_registry_credential.user_assigned_identity_id``); ``""`` stands for the type.

Only what a configuration sets counts: computed attributes (``login_server``,
``possible_outbound_ip_address_list``) are read but never set, so they are not listed.
"""

from __future__ import annotations

import msgspec

from pullpath import resource_types as rt
from pullpath.provider_version import Version

TYPE = ""  # the attribute name that stands for the resource type itself


class Span(msgspec.Struct, frozen=True):
    """The azurerm versions that have an attribute: from ``since`` (inclusive) until ``until`` (exclusive).

    ``beta``: from that version the type existed only behind ``ARM_THREEPOINTZERO_BETA_RESOURCES``.
    """

    since: Version | None = None
    until: Version | None = None
    reference: str = ""
    beta: Version | None = None


_V3 = "CHANGELOG-v3.md"
_V4 = "CHANGELOG-v4.md"
_BETA = "3.0 upgrade guide: GA in 3.0.0, before that a beta behind ARM_THREEPOINTZERO_BETA_RESOURCES"
_REMOVED_4 = "4.0 upgrade guide"
_REMOVED_5 = "5.0 upgrade guide, removed resources"

_ALWAYS = Span()


def _beta(first: Version) -> Span:
    return Span((3, 0, 0), reference=f"{_BETA} (from {'.'.join(map(str, first))})", beta=first)


_WEB_STACK = (
    "site_config.application_stack.docker_image_name",
    "site_config.application_stack.docker_registry_url",
)
_LINUX_WEB_LEGACY = (
    "site_config.application_stack.docker_image",
    "site_config.application_stack.docker_image_tag",
)
_WINDOWS_WEB_LEGACY = (
    "site_config.application_stack.docker_container_name",
    "site_config.application_stack.docker_container_registry",
    "site_config.application_stack.docker_container_tag",
)
_APP_COMMON = (
    "service_plan_id",
    "app_settings",
    "site_config.vnet_route_all_enabled",
    "site_config.container_registry_use_managed_identity",
)
_DOCKER_63 = Span((3, 63, 0), reference=f"{_V3} 3.63.0 (docker_image_name replaces the older shapes)")


def _web_app(
    pull: str, pull_span: Span, subnet: Span, legacy: tuple[str, ...], first: Version
) -> dict[str, Span]:
    return {
        TYPE: _beta(first),
        **dict.fromkeys(_APP_COMMON, _ALWAYS),
        "virtual_network_subnet_id": subnet,
        pull: pull_span,
        **dict.fromkeys(_WEB_STACK, _DOCKER_63),
        **dict.fromkeys(legacy, Span(until=(4, 0, 0), reference=_REMOVED_4)),
    }


def _function_app(first: Version, subnet: Span) -> dict[str, Span]:
    return {
        TYPE: _beta(first),
        **dict.fromkeys(_APP_COMMON, _ALWAYS),
        "virtual_network_subnet_id": subnet,
        "vnet_image_pull_enabled": Span((4, 0, 0), reference=f"{_V3} 3.116.0 #27001 (in 4.0)"),
        "site_config.application_stack.docker": _ALWAYS,
    }


_LINUX_WEB_PULL = Span((4, 36, 0), reference=f"{_V4} 4.36.0 #29452")
_WINDOWS_WEB_PULL = Span((4, 52, 0), reference=f"{_V4} 4.52.0 #30920")
_LINUX_WEB_SUBNET = Span((3, 12, 0), reference=f"{_V3} 3.12.0 #17354")
_SUBNET_16 = Span((3, 16, 0), reference=f"{_V3} 3.16.0 #17494 #17572 #17576")
_LEGACY_APP = {TYPE: Span(until=(5, 0, 0), reference=_REMOVED_5), "app_settings": _ALWAYS}

TABLE: dict[str, dict[str, Span]] = {
    rt.CONTAINER_GROUP: {
        TYPE: _ALWAYS,
        "container.image": _ALWAYS,
        "init_container": Span((3, 2, 0), reference=f"{_V3} 3.2.0 #16204"),
        "image_registry_credential.server": _ALWAYS,
        "image_registry_credential.username": _ALWAYS,
        "image_registry_credential.password": _ALWAYS,
        "image_registry_credential.user_assigned_identity_id": Span(
            (3, 29, 0), reference=f"{_V3} 3.29.0 #17785"
        ),
        "subnet_ids": Span((3, 29, 0), reference=f"{_V3} 3.29.0 #17785"),
        "network_profile_id": Span(
            until=(4, 0, 0), reference=f"{_REMOVED_4} (deprecated in {_V3} 3.29.0 #17785)"
        ),
        "ip_address_type": _ALWAYS,
    },
    rt.REGISTRY: {
        TYPE: _ALWAYS,
        "sku": _ALWAYS,
        "public_network_access_enabled": Span((2, 53, 0), reference="CHANGELOG-v2.md 2.53.0 #10969"),
        "network_rule_set.default_action": _ALWAYS,
        "network_rule_set.ip_rule": _ALWAYS,
        "network_rule_set.virtual_network": Span(until=(4, 0, 0), reference=_REMOVED_4),
        "network_rule_bypass_option": Span((2, 86, 0), reference="CHANGELOG-v2.md 2.86.0 #14096"),
        "role_assignment_mode": Span((4, 81, 0), reference=f"{_V4} 4.81.0 #31667"),
        "azuread_authentication_as_arm_policy_enabled": Span((4, 81, 0), reference=f"{_V4} 4.81.0 #31667"),
    },
    rt.PRIVATE_ENDPOINT: {
        TYPE: _ALWAYS,
        "subnet_id": _ALWAYS,
        "private_service_connection.private_connection_resource_id": _ALWAYS,
        "private_service_connection.subresource_names": _ALWAYS,
    },
    rt.SUBNET_NAT: {TYPE: _ALWAYS},
    rt.NAT_PUBLIC_IP: {TYPE: Span((2, 12, 0), reference="CHANGELOG-v2.md 2.12.0 #6450")},
    rt.NAT_PUBLIC_IP_PREFIX: {TYPE: Span((2, 65, 0), reference="CHANGELOG-v2.md 2.65.0 #12353")},
    rt.APP_SWIFT_CONNECTION: {TYPE: _ALWAYS},
    rt.SLOT_SWIFT_CONNECTION: {TYPE: Span((2, 18, 0), reference="CHANGELOG-v2.md 2.18.0 #5916")},
    rt.CONTAINER_APP: {
        TYPE: Span((3, 43, 0), reference=f"{_V3} 3.43.0 #18008"),
        "registry.identity": Span((3, 44, 0), reference=f"{_V3} 3.44.0 #20466"),
    },
    rt.CONTAINER_APP_ENVIRONMENT: {TYPE: Span((3, 43, 0), reference=f"{_V3} 3.43.0 #18008")},
    rt.CONTAINER_APP_JOB: {
        TYPE: Span((3, 103, 0), reference=f"{_V3} 3.103.0 #23871"),
        "registry": Span((3, 106, 0), reference="#26063, released in 3.106.0 (renamed from registries)"),
        "registries": Span(until=(4, 0, 0), reference=f"{_REMOVED_4} (in favour of registry)"),
    },
    rt.SERVICE_PLAN: {TYPE: _beta((2, 76, 0)), "sku_name": _ALWAYS, "app_service_environment_id": _ALWAYS},
    rt.LEGACY_SERVICE_PLAN: {TYPE: Span(until=(5, 0, 0), reference=_REMOVED_5)},
    rt.APP_SERVICE_ENVIRONMENT: {TYPE: Span((2, 58, 0), reference="CHANGELOG-v2.md 2.58.0 #11174")},
    rt.ML_WORKSPACE: {
        TYPE: Span((2, 3, 0), reference="CHANGELOG-v2.md 2.3.0 #5696"),
        "container_registry_id": _ALWAYS,
        "image_build_compute_name": Span((2, 78, 0), reference="CHANGELOG-v2.md 2.78.0 #13268"),
    },
    "azurerm_linux_web_app": _web_app(
        "vnet_image_pull_enabled", _LINUX_WEB_PULL, _LINUX_WEB_SUBNET, _LINUX_WEB_LEGACY, (2, 76, 0)
    ),
    "azurerm_linux_web_app_slot": _web_app(
        "vnet_image_pull_enabled", _LINUX_WEB_PULL, _LINUX_WEB_SUBNET, _LINUX_WEB_LEGACY, (2, 89, 0)
    ),
    "azurerm_windows_web_app": _web_app(
        "virtual_network_image_pull_enabled", _WINDOWS_WEB_PULL, _SUBNET_16, _WINDOWS_WEB_LEGACY, (2, 76, 0)
    ),
    "azurerm_windows_web_app_slot": _web_app(
        "virtual_network_image_pull_enabled", _WINDOWS_WEB_PULL, _SUBNET_16, _WINDOWS_WEB_LEGACY, (2, 95, 0)
    ),
    "azurerm_linux_function_app": _function_app((2, 86, 0), _SUBNET_16),
    "azurerm_linux_function_app_slot": _function_app((2, 95, 0), _SUBNET_16),
    "azurerm_windows_function_app": _function_app((2, 89, 0), _SUBNET_16),
    "azurerm_windows_function_app_slot": _function_app((2, 95, 0), _SUBNET_16),
    "azurerm_app_service": _LEGACY_APP,
    "azurerm_app_service_slot": _LEGACY_APP,
    "azurerm_function_app": _LEGACY_APP,
    "azurerm_function_app_slot": _LEGACY_APP,
    "azurerm_logic_app_standard": {TYPE: Span((2, 79, 0), reference="CHANGELOG-v2.md 2.79.0 #13196")},
}


def span(resource_type: str, attribute: str) -> Span | None:
    """The versions that have ``attribute`` of ``resource_type``; None when pullpath does not read it."""
    return TABLE.get(resource_type, {}).get(attribute)


def since(resource_type: str, attribute: str | None) -> Version | None:
    """The first azurerm version with the attribute; None when every version has it, or it is unknown."""
    found = span(resource_type, attribute) if attribute is not None else None
    return found.since if found else None


def gated(resource_type: str) -> dict[str, Span]:
    """The entries of a type that some azurerm version lacks: the ones a version can reject."""
    return {
        attribute: entry
        for attribute, entry in TABLE.get(resource_type, {}).items()
        if entry.since is not None or entry.until is not None
    }


#: The azurerm types with an entry some version lacks: the provider-version rule's resource types.
GATED_TYPES = tuple(sorted(kind for kind in TABLE if gated(kind)))


def shown(version: Version) -> str:
    return ".".join(str(part) for part in version)


def _first(resource_type: str) -> str:
    found = since(resource_type, rt.APP_SERVICES[resource_type])
    return shown(found) if found else "?"


def pull_properties() -> str:
    """The image pull properties and the versions that have them, for remediation text."""
    linux, functions = _first("azurerm_linux_web_app"), _first("azurerm_linux_function_app")
    return (
        f"vnet_image_pull_enabled = true (Linux web apps and slots from azurerm {linux}, function apps "
        f"from {functions}) or virtual_network_image_pull_enabled = true (Windows web apps and slots from "
        f"{_first('azurerm_windows_web_app')})"
    )
