"""A registry's ARM properties, read the same from an azapi resource's body and from a patch's.

``azapi_resource`` of ``Microsoft.ContainerRegistry/registries`` and an ``azapi_update_resource``
that patches any registry (azurerm or azapi) say the same things in the same ARM paths; reading
them once keeps the two from drifting apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pullpath.builders.values import blocks, get, text
from pullpath.model import UNKNOWN, Cite

#: Where each registry setting sits in an ARM body, as evidence cites it.
REGISTRY_PATHS: dict[Cite, str] = {
    Cite.PUBLIC_ACCESS: "body.properties.publicNetworkAccess",
    Cite.RULE_SET: "body.properties.networkRuleSet",
    Cite.DEFAULT_ACTION: "body.properties.networkRuleSet.defaultAction",
    Cite.IP_RULES: "body.properties.networkRuleSet.ipRules",
    Cite.SERVICE_ENDPOINT_RULES: "body.properties.networkRuleSet.virtualNetworkRules",
    Cite.BYPASS: "body.properties.networkRuleBypassOptions",
    Cite.SKU: "body.sku.name",
    Cite.ADMIN_ENABLED: "body.properties.adminUserEnabled",
    Cite.ANONYMOUS_PULL: "body.properties.anonymousPullEnabled",
    Cite.ARM_AUDIENCE: "body.properties.policies.azureADAuthenticationAsArmPolicy.status",
    Cite.ROLE_ASSIGNMENT_MODE: "body.properties.roleAssignmentMode",
}
#: Registry settings that are a boolean in ARM: field -> (path under ``properties``, what evidence cites).
_FLAGS: dict[str, tuple[tuple[str, ...], Cite]] = {
    "admin_enabled": (("adminUserEnabled",), Cite.ADMIN_ENABLED),
    "anonymous_pull": (("anonymousPullEnabled",), Cite.ANONYMOUS_PULL),
}
_ARM_AUDIENCE = ("policies", "azureADAuthenticationAsArmPolicy", "status")
_RULE_SET_FIELDS = {
    "rule_set": Cite.RULE_SET,
    "default_action": Cite.DEFAULT_ACTION,
    "ip_rules": Cite.IP_RULES,
    "service_endpoint_rules": Cite.SERVICE_ENDPOINT_RULES,
}
#: What ARM assumes for a setting a body leaves out (a new registry's defaults).
REGISTRY_DEFAULTS: dict[str, Any] = {
    "public_network_access": True,
    "rule_set": False,
    "default_action": "Allow",
    "ip_rules": (),
    "service_endpoint_rules": 0,
    "bypass": "AzureServices",
    "sku": None,
    "admin_enabled": False,
    "anonymous_pull": False,
    "arm_audience_tokens": True,
    "abac": False,
}


def registry_settings(body: Any) -> dict[str, tuple[Any, Cite]]:
    """The :class:`~pullpath.model.Registry` fields ``body`` sets: field -> (value, what evidence cites).

    A body known only after apply may set any of them: each is then None (unknown), never a default.
    """
    if body is UNKNOWN:
        unknown = {
            "public_network_access": Cite.PUBLIC_ACCESS,
            "bypass": Cite.BYPASS,
            **_RULE_SET_FIELDS,
            **{field: cite for field, (_, cite) in _FLAGS.items()},
            "arm_audience_tokens": Cite.ARM_AUDIENCE,
            "abac": Cite.ROLE_ASSIGNMENT_MODE,
        }
        return {field: (None, cite) for field, cite in unknown.items()}
    settings: dict[str, tuple[Any, Cite]] = {}
    access = get(body, "properties", "publicNetworkAccess")
    if access is not None:
        settings["public_network_access"] = (_enabled(access), Cite.PUBLIC_ACCESS)
    rule_set = get(body, "properties", "networkRuleSet")
    if rule_set is UNKNOWN:
        settings.update({field: (None, cite) for field, cite in _RULE_SET_FIELDS.items()})
    elif isinstance(rule_set, Mapping):
        settings.update(_rule_set(rule_set))
    bypass = get(body, "properties", "networkRuleBypassOptions")
    if bypass is not None:
        settings["bypass"] = (None if bypass is UNKNOWN else text(bypass) or "AzureServices", Cite.BYPASS)
    sku = get(body, "sku", "name")
    if sku is not None:
        settings["sku"] = (text(sku), Cite.SKU)
    for field, (path, cite) in _FLAGS.items():
        flag = get(body, "properties", *path)
        if flag is not None:
            settings[field] = (flag if isinstance(flag, bool) else None, cite)
    audience = get(body, "properties", *_ARM_AUDIENCE)
    if audience is not None:
        known = isinstance(audience, str)
        settings["arm_audience_tokens"] = (
            audience.lower() != "disabled" if known else None,
            Cite.ARM_AUDIENCE,
        )
    mode = get(body, "properties", "roleAssignmentMode")
    if mode is not None:
        settings["abac"] = (abac_mode(mode), Cite.ROLE_ASSIGNMENT_MODE)
    return settings


def abac_mode(mode: Any) -> bool | None:
    """``AbacRepositoryPermissions``: True; ``LegacyRegistryPermissions`` or not set: False (the
    default); known only after apply, or a value Azure does not take: None."""
    if mode is None:
        return False
    if not isinstance(mode, str):
        return None
    return {"abacrepositorypermissions": True, "legacyregistrypermissions": False}.get(mode.lower())


def _rule_set(rule_set: Mapping[str, Any]) -> dict[str, tuple[Any, Cite]]:
    action = rule_set.get("defaultAction")
    rules = rule_set.get("ipRules")
    ip_rules: tuple[str, ...] | None = None
    if rules is not UNKNOWN:
        ip_rules = tuple(text(rule.get("value")) or "" for rule in blocks(rules) if _allows(rule))
        ip_rules = None if "" in ip_rules else ip_rules  # a rule whose address is known only after apply
    networks = rule_set.get("virtualNetworkRules")
    return {
        "rule_set": (True, Cite.RULE_SET),
        "default_action": ("Allow" if action is None else text(action), Cite.DEFAULT_ACTION),
        "ip_rules": (ip_rules, Cite.IP_RULES),
        "service_endpoint_rules": (
            None if networks is UNKNOWN else len(blocks(networks)),
            Cite.SERVICE_ENDPOINT_RULES,
        ),
    }


def _enabled(access: Any) -> bool | None:
    """``publicNetworkAccess``: Enabled or Disabled; None when unknown."""
    if access is UNKNOWN or not isinstance(access, str):
        return None
    return access.lower() != "disabled"


def _allows(rule: Mapping[str, Any]) -> bool:
    action = rule.get("action")
    return action is None or action is UNKNOWN or str(action).lower() == "allow"
