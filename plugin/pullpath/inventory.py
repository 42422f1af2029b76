"""Registry inventory: the network posture and credential settings of registries defined elsewhere.

A registry read through ``data.azurerm_container_registry`` or named only by a login server in an
image gets UNKNOWN, because the data source exposes no network settings. The JSON that
``az acr list`` or ``az acr show`` prints says what the configuration cannot, so
``--registry-inventory FILE`` turns those registries into real ones before the rules run; the rules
stay pure functions of the model. A registry the configuration does define keeps its configured
settings: they are what ``terraform apply`` will set.
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
from pullpath.model import Attributes, Cite, Model, Registry, SourceLocation
from pullpath.resolve import resolve_image

#: Findings on an informed registry cite the field of the az CLI (or ARM) JSON the user supplied.
INVENTORY_ATTRIBUTES = Attributes(
    "az acr show",
    {
        Cite.PUBLIC_ACCESS: "publicNetworkAccess",
        Cite.RULE_SET: "networkRuleSet",
        Cite.DEFAULT_ACTION: "networkRuleSet.defaultAction",
        Cite.IP_RULES: "networkRuleSet.ipRules",
        Cite.SERVICE_ENDPOINT_RULES: "networkRuleSet.virtualNetworkRules",
        Cite.BYPASS: "networkRuleBypassOptions",
        Cite.SKU: "sku.name",
        Cite.ADMIN_ENABLED: "adminUserEnabled",
        Cite.ANONYMOUS_PULL: "anonymousPullEnabled",
        Cite.ARM_AUDIENCE: "policies.azureAdAuthenticationAsArmPolicy.status",
        Cite.ROLE_ASSIGNMENT_MODE: "roleAssignmentMode",
    },
)

_MAX_BYTES = 64 * 1024**2
_ACCESS = {"Enabled": True, "Disabled": False}
_ACTIONS = {"Allow": "Allow", "Deny": "Deny"}
_BYPASS = {"AzureServices": "AzureServices", "None": "None"}
_STATUS = {"enabled": True, "disabled": False}
_MODES = {"AbacRepositoryPermissions": True, "LegacyRegistryPermissions": False}
#: az CLI prints the policy as its SDK names it; the ARM REST API and templates as ARM does.
_ARM_AUDIENCE_POLICY = "azureadauthenticationasarmpolicy"


class Inventory(msgspec.Struct, frozen=True, dict=True):
    """Registries as Azure reports them, found by login server or name (case-insensitive)."""

    source: str
    registries: tuple[Registry, ...]

    def find(self, login_server: str | None, name: str | None) -> Registry | None:
        """The first entry (in file order) whose login server or name matches, as Azure lists them.

        By index: a scan of the list per image took 28 s for 60,000 entries and a 20,000-resource plan.
        """
        found = [
            index.get(key.lower())
            for index, key in ((self._by_login_server, login_server), (self._by_name, name))
            if key
        ]
        first = min((hit for hit in found if hit is not None), default=None)
        return self.registries[first] if first is not None else None

    @cached_property
    def _by_login_server(self) -> dict[str, int]:
        return _first_positions(registry.login_server for registry in self.registries)

    @cached_property
    def _by_name(self) -> dict[str, int]:
        return _first_positions(registry.name for registry in self.registries)


def _first_positions(keys: Iterable[str | None]) -> dict[str, int]:
    """Each key (lower case) -> the position of its first entry."""
    positions: dict[str, int] = {}
    for position, key in enumerate(keys):
        if key:
            positions.setdefault(key.lower(), position)
    return positions


def load_inventory(path: str) -> Inventory:
    """Read ``az acr list`` / ``az acr show`` JSON (a list or one object); malformed is an InputError."""
    data = read_bounded(path, _MAX_BYTES, "registry inventory")
    try:
        document = json.loads(data)  # detects UTF-8 (with BOM) and UTF-16, as PowerShell writes it
    except (ValueError, RecursionError) as error:
        raise InputError(
            f"{path}: registry inventory is not valid JSON ({' '.join(str(error).split())[:160]})"
        ) from None
    return parse_inventory(document, path)


def parse_inventory(document: Any, source: str) -> Inventory:
    entries = document if isinstance(document, list) else [document]
    registries = [_registry(entry, index, source) for index, entry in enumerate(entries)]
    seen: set[str] = set()
    for registry in registries:
        key = (registry.login_server or registry.name or "").lower()
        if key in seen:
            raise InputError(f"{source}: registry {key} is listed twice in the registry inventory")
        seen.add(key)
    return Inventory(source, tuple(registries))


def _registry(entry: Any, index: int, source: str) -> Registry:
    if not isinstance(entry, Mapping):
        raise InputError(f"{source}: registry inventory entry {index} is not an object (az acr show output)")
    login_server, name = _text(entry.get("loginServer")), _text(entry.get("name"))
    where = f"{source}: registry inventory entry {index} ({login_server or name or 'unnamed'})"
    if not (login_server or name):
        raise InputError(f"{where}: needs loginServer or name")
    access = _choice(entry.get("publicNetworkAccess"), _ACCESS, "publicNetworkAccess", where)
    rule_set = entry.get("networkRuleSet")
    if rule_set is not None and not isinstance(rule_set, Mapping):
        raise InputError(f"{where}: networkRuleSet must be an object or null")
    rule_set = rule_set or {}
    action = rule_set.get("defaultAction")
    bypass = entry.get("networkRuleBypassOptions")
    sku = entry.get("sku")
    return Registry(
        address=(login_server or name or "").lower(),
        name=name,
        login_server=login_server,
        sku=_text(sku.get("name")) if isinstance(sku, Mapping) else _text(sku),
        public_network_access=access,
        default_action="Allow" if action is None else _choice(action, _ACTIONS, "defaultAction", where),
        ip_rules=tuple(_ip_rules(rule_set.get("ipRules"), where)),
        service_endpoint_rules=len(
            _objects(rule_set.get("virtualNetworkRules"), "virtualNetworkRules", where)
        ),
        bypass="AzureServices"
        if bypass is None
        else _choice(bypass, _BYPASS, "networkRuleBypassOptions", where),
        id=_text(entry.get("id")),
        location=SourceLocation(source),
        cite=INVENTORY_ATTRIBUTES,
        admin_enabled=_flag(entry.get("adminUserEnabled"), "adminUserEnabled", where),
        anonymous_pull=_flag(entry.get("anonymousPullEnabled"), "anonymousPullEnabled", where),
        arm_audience_tokens=_arm_audience(entry.get("policies"), where),
        abac=_mode(entry.get("roleAssignmentMode"), where),
    )


def _mode(value: Any, where: str) -> bool | None:
    """``roleAssignmentMode``; absent (an older listing): the default legacy mode."""
    if value is None:
        return False
    return bool(_choice(value, _MODES, "roleAssignmentMode", where))


def _flag(value: Any, field: str, where: str) -> bool | None:
    """A boolean setting az acr show prints; absent (an older or trimmed listing): not told."""
    if value is None or isinstance(value, bool):
        return value
    raise InputError(f"{where}: {field} must be true or false")


def _arm_audience(policies: Any, where: str) -> bool | None:
    """``policies.azureADAuthenticationAsArmPolicy.status`` in either tool's casing; None: absent."""
    if policies is None:
        return None
    if not isinstance(policies, Mapping):
        raise InputError(f"{where}: policies must be an object or null")
    policy = next((v for k, v in policies.items() if str(k).lower() == _ARM_AUDIENCE_POLICY), None)
    if policy is None:
        return None
    status = policy.get("status") if isinstance(policy, Mapping) else None
    if status is None:
        return None
    return bool(_choice(status, _STATUS, "policies.azureAdAuthenticationAsArmPolicy.status", where))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _choice(value: Any, allowed: Mapping[str, Any], field: str, where: str) -> Any:
    """One of the values Azure prints for ``field``, compared case-insensitively."""
    for name, meaning in allowed.items():
        if isinstance(value, str) and value.lower() == name.lower():
            return meaning
    raise InputError(f"{where}: {field} must be {' or '.join(allowed)}, got {json.dumps(value)[:40]}")


def _objects(value: Any, field: str, where: str) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise InputError(f"{where}: networkRuleSet.{field} must be a list of objects")
    return value


def _ip_rules(value: Any, where: str) -> Iterable[str]:
    """``ipAddressOrRange`` (az CLI) or ``value`` (ARM REST) of every rule that allows."""
    for rule in _objects(value, "ipRules", where):
        address = _text(rule.get("ipAddressOrRange")) or _text(rule.get("value"))
        if address is None:
            raise InputError(f"{where}: an ipRules entry has no ipAddressOrRange")
        if str(rule.get("action") or "Allow").lower() == "allow":
            yield address


def apply_inventory(model: Model, inventory: Inventory) -> Model:
    """The model with every registry defined outside the configuration informed by the inventory.

    Data-source registries are replaced in place (keeping their address); a login server that no
    resource defines becomes a registry when an image names it, under the address the resolver
    gives it, so findings read the same with or without an inventory.
    """
    registries = [
        registry if registry.defined else _informed(registry, inventory) for registry in model.registries
    ]
    known = {registry.address for registry in registries}
    interim = replace(model, registries=tuple(registries))
    added: dict[str, Registry] = {}
    for workload in model.workloads:
        for image in workload.images:
            for registry in resolve_image(image, interim).registries:
                entry = inventory.find(registry.login_server, registry.name)
                if registry.address not in known and entry is not None:
                    added.setdefault(registry.address, replace(entry, address=registry.address))
    return replace(model, registries=(*registries, *added.values()))


def _informed(registry: Registry, inventory: Inventory) -> Registry:
    """The entry under the registry's address; a credential setting the entry leaves out keeps what the
    data source read (``admin_enabled``)."""
    entry = inventory.find(registry.login_server, registry.name)
    if entry is None:
        return registry
    return replace(
        entry,
        address=registry.address,
        id=entry.id or registry.id,
        admin_enabled=registry.admin_enabled if entry.admin_enabled is None else entry.admin_enabled,
    )
