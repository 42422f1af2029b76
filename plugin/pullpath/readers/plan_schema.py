"""The parts of ``terraform show -json`` pullpath reads, as typed msgspec Structs.

A plan of 50,000 resources is over 100 MiB, and pullpath needs a handful of resource types. Decoding
into these Structs skips every key they do not name and keeps values, expressions and
``after_unknown`` as :class:`msgspec.Raw` slices of the input, so only the resources that matter are
ever turned into Python objects. Resources and resource changes stay slices too until their
:class:`Kind` says pullpath reads their type: a Struct for each of them held more memory than the
values of those that matter. The Structs opt out of garbage-collector tracking (``gc=False``): a
decoded tree holds no cycles, and tracking 100,000 small objects costs time and memory. A document
of the wrong shape fails validation with the JSON path of the offending key, which becomes a
one-line input error.
"""

from __future__ import annotations

from typing import Any

import msgspec

NULL = msgspec.Raw(b"null")


class Kind(msgspec.Struct, gc=False):
    """What decides whether a resource or a change is decoded at all."""

    type: str = ""
    mode: str = "managed"


class PlanResource(msgspec.Struct, gc=False):
    address: str
    type: str = ""
    mode: str = "managed"
    name: str = ""
    values: msgspec.Raw = NULL
    sensitive_values: msgspec.Raw = NULL  # the paths of values Terraform marks sensitive


class PlanModule(msgspec.Struct, gc=False):
    resources: list[msgspec.Raw] = []  # each a PlanResource
    child_modules: list[PlanModule] = []


class ModuleValues(msgspec.Struct, gc=False):
    root_module: PlanModule | None = None
    outputs: msgspec.Raw = NULL  # root outputs: {name: {"sensitive": bool, "value": ...}}


class PriorState(msgspec.Struct, gc=False):
    values: ModuleValues | None = None


class Change(msgspec.Struct, gc=False):
    actions: list[str] = []
    after: msgspec.Raw = NULL
    after_unknown: msgspec.Raw = NULL
    after_sensitive: msgspec.Raw = NULL


class ResourceChange(msgspec.Struct, gc=False):
    address: str
    type: str = ""
    mode: str = "managed"
    name: str = ""
    change: Change = msgspec.field(default_factory=Change)
    deposed: str | None = None  # set on the change of a deposed object, beside its live change


class ConfigResource(msgspec.Struct, gc=False):
    address: str
    mode: str = "managed"
    type: str = ""
    name: str = ""
    expressions: msgspec.Raw = NULL
    for_each_expression: msgspec.Raw = NULL
    count_expression: msgspec.Raw = NULL
    provider_config_key: str = ""  # the key of its provider's configuration in ``provider_config``


class ModuleCall(msgspec.Struct, gc=False):
    expressions: msgspec.Raw = NULL
    for_each_expression: msgspec.Raw = NULL
    count_expression: msgspec.Raw = NULL
    module: ConfigModule | None = None


class ConfigModule(msgspec.Struct, gc=False):
    resources: list[ConfigResource] = []
    module_calls: dict[str, ModuleCall] = {}
    outputs: msgspec.Raw = NULL
    variables: msgspec.Raw = NULL  # declarations: {name: {"sensitive": bool, ...}}


class Configuration(msgspec.Struct, gc=False):
    root_module: ConfigModule | None = None
    provider_config: msgspec.Raw = NULL  # {key: {"name", "module_address", "expressions", ...}}


class Plan(msgspec.Struct, gc=False):
    """A plan; the state-only keys are here to tell a state file apart from a plan."""

    format_version: msgspec.Raw = NULL
    planned_values: ModuleValues | None | msgspec.UnsetType = msgspec.UNSET
    resource_changes: list[msgspec.Raw] | None | msgspec.UnsetType = msgspec.UNSET  # ResourceChange each
    prior_state: PriorState | None = None
    configuration: Configuration | None = None
    variables: msgspec.Raw = NULL  # root variable values: {name: {"value": ...}}
    lineage: msgspec.Raw = NULL
    serial: msgspec.Raw = NULL
    values: msgspec.Raw = NULL


def raw(value: msgspec.Raw) -> Any:
    """Decode a kept slice into plain Python values, only when it is needed."""
    return msgspec.json.decode(value) if value is not NULL else None
