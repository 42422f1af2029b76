"""Which cluster a Kubernetes or Helm resource of a plan runs on: what its provider configuration
references.

A plan keeps provider configurations apart from resources (``configuration.provider_config``); each
resource names its own by ``provider_config_key`` (``kubernetes``, ``kubernetes.alias``,
``module.m:kubernetes``). The references of that configuration's expressions (``host``,
``cluster_ca_certificate``, Helm's nested ``kubernetes`` block) are traced like a resource's and
recorded under the ``("provider",)`` path of the resource, where the AKS builder looks for them.
"""

from __future__ import annotations

from typing import Any, Protocol

from msgspec.structs import replace

from pullpath.addresses import config_address, module_path, split_address, strip_key
from pullpath.model import Resource
from pullpath.readers.plan_schema import ConfigResource, Plan, raw
from pullpath.resource_types import ON_A_CLUSTER

#: The attribute path under which a resource's provider references are recorded.
PROVIDER = ("provider",)


class Configuration(Protocol):
    """What the plan reader's configuration index offers: resource blocks, and reference tracing."""

    def resource(self, path: tuple[str, ...], local: str) -> ConfigResource | None: ...

    def trace(
        self, reference: str, path: tuple[str, ...], iterator: tuple[str, ...] = ()
    ) -> tuple[str, ...]: ...


def on_clusters(plan: Plan, config: Configuration, resources: list[Resource]) -> list[Resource]:
    """``resources`` with each Kubernetes and Helm resource's provider references added."""
    if not any(resource.type in ON_A_CLUSTER for resource in resources):
        return resources
    providers = raw(plan.configuration.provider_config) if plan.configuration else None
    providers = providers if isinstance(providers, dict) else {}
    instances: dict[str, list[str]] = {}
    for resource in resources:
        instances.setdefault(config_address(resource.address), []).append(resource.address)
    found: list[Resource] = []
    for resource in resources:
        if resource.type in ON_A_CLUSTER:
            local = f"{resource.type}.{strip_key(split_address(resource.address)[-1])}"
            declared = config.resource(module_path(resource.address), local)
            key = (declared.provider_config_key if declared else "") or resource.type.split("_")[0]
            targets = [
                instance
                for reference, module in _references(providers, key)
                for target in config.trace(reference, module)
                for instance in instances.get(target, [target])
            ]
            resource = replace(resource, refs={**resource.refs, PROVIDER: tuple(dict.fromkeys(targets))})
        found.append(resource)
    return found


def _references(providers: dict[str, Any], key: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every reference of one provider configuration's expressions, with the module path it is in.

    A module's key with no expressions of its own (a provider it declares but does not configure)
    stands for the configuration it inherits: the same name one module up.
    """
    while True:
        entry = providers.get(key)
        expressions = entry.get("expressions") if isinstance(entry, dict) else None
        if isinstance(entry, dict) and expressions:
            module = entry.get("module_address")
            path = module_path(f"{module}.provider.config") if isinstance(module, str) and module else ()
            return [(reference, path) for reference in _all_references(expressions)]
        prefix, colon, name = key.rpartition(":")
        if not colon:
            return []
        parent, inner, _ = prefix.rpartition(".module.")
        key = f"{parent}:{name}" if inner else name


def _all_references(expressions: Any) -> list[str]:
    """The references of every expression in a provider configuration, nested blocks included."""
    if isinstance(expressions, list):
        return [reference for item in expressions for reference in _all_references(item)]
    if not isinstance(expressions, dict):
        return []
    if "references" in expressions or "constant_value" in expressions:
        references = expressions.get("references")
        return [r for r in references if isinstance(r, str)] if isinstance(references, list) else []
    return [reference for value in expressions.values() for reference in _all_references(value)]
