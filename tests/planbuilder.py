"""Build small but faithful ``terraform show -json`` documents for rule and reader tests.

Each resource is given as its planned values, the paths known only after apply, and the
configuration expressions Terraform would record (references or constants), so tests exercise the
same code path as a real plan rather than a hand-made model.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from pullpath.addresses import config_address, module_instance_prefix, split_address, strip_key


def ref(*references: str) -> dict[str, Any]:
    """A configuration expression that references other objects."""
    return {"references": list(references)}


def const(value: Any) -> dict[str, Any]:
    return {"constant_value": value}


def _set_path(tree: dict[str, Any], path: str, value: Any) -> None:
    """Set ``a.0.b`` style paths in nested dicts/lists, creating containers as needed."""
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in path.split(".")]
    current: Any = tree
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        following = None if last else parts[index + 1]
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            while len(current) <= part:
                current.append({} if not isinstance(following, int) else [])
            if last:
                current[part] = value
            else:
                if not isinstance(current[part], dict | list) or (
                    isinstance(following, int) != isinstance(current[part], list)
                ):
                    current[part] = empty
                current = current[part]
        else:
            if last:
                current[part] = value
            else:
                if part not in current or not isinstance(current[part], dict | list):
                    current[part] = empty
                current = current[part]


class PlanBuilder:
    def __init__(self, format_version: str = "1.2") -> None:
        self.format_version = format_version
        self.resources: list[dict[str, Any]] = []
        self.data_sources: list[dict[str, Any]] = []
        self.module_calls: dict[tuple[str, ...], dict[str, Any]] = {}
        self.config_resources: dict[tuple[str, ...], dict[str, dict[str, Any]]] = {}
        self.deleted: list[dict[str, Any]] = []
        self.deposed_objects: list[dict[str, Any]] = []
        self.providers: dict[str, dict[str, Any]] = {
            "azurerm": {"name": "azurerm", "full_name": "registry.terraform.io/hashicorp/azurerm"}
        }

    def resource(
        self,
        address: str,
        values: dict[str, Any],
        unknown: list[str] | tuple[str, ...] = (),
        expressions: dict[str, Any] | None = None,
        actions: list[str] | None = None,
        for_each: dict[str, Any] | None = None,
        provider_key: str | None = None,
    ) -> PlanBuilder:
        """Add a managed resource; ``unknown`` paths (``container.0.image``) are known after apply.

        ``provider_key`` is its ``provider_config_key`` (default: its type's provider, ``kubernetes``)."""
        after_unknown: dict[str, Any] = {}
        for path in unknown:
            _set_path(after_unknown, path, True)
        self.resources.append(
            {
                "address": address,
                "values": copy.deepcopy(values),
                "after_unknown": after_unknown,
                "actions": actions or ["create"],
            }
        )
        self._configure(address, expressions, for_each, provider_key)
        return self

    def provider(
        self, key: str, expressions: dict[str, Any] | None = None, module_address: str | None = None
    ) -> PlanBuilder:
        """A provider configuration (``kubernetes``, ``kubernetes.alias``, ``module.m:helm``)."""
        name = key.rpartition(":")[2].split(".")[0]
        entry: dict[str, Any] = {"name": name, "full_name": f"registry.terraform.io/hashicorp/{name}"}
        if "." in key.rpartition(":")[2]:
            entry["alias"] = key.rpartition(":")[2].split(".", 1)[1]
        if module_address:
            entry["module_address"] = module_address
        if expressions:
            entry["expressions"] = expressions
        self.providers[key] = entry
        return self

    def data(
        self, address: str, values: dict[str, Any], expressions: dict[str, Any] | None = None
    ) -> PlanBuilder:
        self.data_sources.append({"address": address, "values": copy.deepcopy(values)})
        self._configure(address, expressions, None)
        return self

    def delete(self, address: str, values: dict[str, Any]) -> PlanBuilder:
        """A resource being destroyed: in prior state and resource_changes, not in planned_values."""
        self.deleted.append({"address": address, "values": copy.deepcopy(values)})
        return self

    def deposed(self, address: str, values: dict[str, Any], key: str = "00000001") -> PlanBuilder:
        """A deposed object of ``address`` (create_before_destroy left it behind), planned for deletion.

        Terraform lists it in ``resource_changes`` under the live instance's address with a
        ``deposed`` key, and in ``prior_state`` with a ``deposed_key``.
        """
        self.deposed_objects.append({"address": address, "values": copy.deepcopy(values), "key": key})
        return self

    def module_call(
        self,
        path: tuple[str, ...],
        expressions: dict[str, Any],
        outputs: dict[str, Any] | None = None,
        for_each: dict[str, Any] | None = None,
    ) -> PlanBuilder:
        """Declare ``module.<path[-1]>`` called from ``path[:-1]`` with inputs and outputs."""
        self.module_calls[path] = {
            "source": f"./modules/{path[-1]}",
            "expressions": expressions,
            "outputs": {name: {"expression": expr} for name, expr in (outputs or {}).items()},
            **({"for_each_expression": for_each} if for_each else {}),
        }
        return self

    def _configure(
        self,
        address: str,
        expressions: dict[str, Any] | None,
        for_each: dict[str, Any] | None,
        provider_key: str | None = None,
    ) -> None:
        if expressions is None:
            return
        config = config_address(address)
        parts = split_address(config)
        path: list[str] = []
        while parts[0] == "module":
            path.append(parts[1])
            parts = parts[2:]
        local = ".".join(parts)
        rtype_parts = parts[1:] if parts[0] == "data" else parts
        record = {
            "address": local,
            "mode": "data" if parts[0] == "data" else "managed",
            "type": rtype_parts[0],
            "name": rtype_parts[1],
            "provider_config_key": provider_key or rtype_parts[0].split("_")[0],
            "expressions": expressions,
            "schema_version": 0,
        }
        if for_each:
            record["for_each_expression"] = for_each
        self.config_resources.setdefault(tuple(path), {})[local] = record

    @staticmethod
    def _record(address: str, values: dict[str, Any], mode: str) -> dict[str, Any]:
        parts = [strip_key(p) for p in split_address(address)]
        while parts[0] == "module":
            parts = parts[2:]
        if parts[0] == "data":
            parts = parts[1:]
        record = {
            "address": address,
            "mode": mode,
            "type": parts[0],
            "name": parts[1],
            "provider_name": "registry.terraform.io/hashicorp/azurerm",
            "schema_version": 0,
            "values": values,
            "sensitive_values": {},
        }
        index = split_address(address)[-1]
        if "[" in index:
            key = index[index.index("[") + 1 : -1]
            record["index"] = json.loads(key) if key.startswith('"') else int(key)
        return record

    def _module_tree(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        root: dict[str, Any] = {"resources": [], "child_modules": []}
        modules: dict[str, dict[str, Any]] = {"": root}
        for record in records:
            prefix = module_instance_prefix(record["address"])
            if prefix not in modules:
                parts = split_address(prefix)
                parent = root
                for depth in range(2, len(parts) + 1, 2):
                    address = ".".join(parts[:depth])
                    if address not in modules:
                        modules[address] = {"address": address, "resources": [], "child_modules": []}
                        parent["child_modules"].append(modules[address])
                    parent = modules[address]
            modules[prefix]["resources"].append(record)
        for module in modules.values():
            if not module["child_modules"]:
                del module["child_modules"]
        return root

    def _config_module(self, path: tuple[str, ...]) -> dict[str, Any]:
        module: dict[str, Any] = {"resources": list(self.config_resources.get(path, {}).values())}
        calls = {}
        for call_path, call in self.module_calls.items():
            if call_path[:-1] == path:
                child = self._config_module(call_path)
                child["outputs"] = call["outputs"]
                entry = {key: value for key, value in call.items() if key != "outputs"}
                entry["module"] = child
                calls[call_path[-1]] = entry
        if calls:
            module["module_calls"] = calls
        return module

    def build(self) -> dict[str, Any]:
        planned = [self._record(r["address"], r["values"], "managed") for r in self.resources]
        data = [self._record(d["address"], d["values"], "data") for d in self.data_sources]
        changes = [
            {
                "address": r["address"],
                "mode": "managed",
                "type": self._record(r["address"], {}, "managed")["type"],
                "name": self._record(r["address"], {}, "managed")["name"],
                "provider_name": "registry.terraform.io/hashicorp/azurerm",
                "change": {
                    "actions": r["actions"],
                    "before": None if r["actions"] == ["create"] else r["values"],
                    "after": r["values"],
                    "after_unknown": r["after_unknown"],
                    "before_sensitive": False,
                    "after_sensitive": {},
                },
            }
            for r in self.resources
        ]
        changes += [
            {
                "address": d["address"],
                "mode": "managed",
                "type": self._record(d["address"], {}, "managed")["type"],
                "name": self._record(d["address"], {}, "managed")["name"],
                "provider_name": "registry.terraform.io/hashicorp/azurerm",
                "change": {"actions": ["delete"], "before": d["values"], "after": None, "after_unknown": {}},
            }
            for d in self.deleted
        ]
        changes += [
            {
                "address": d["address"],
                "mode": "managed",
                "type": self._record(d["address"], {}, "managed")["type"],
                "name": self._record(d["address"], {}, "managed")["name"],
                "provider_name": "registry.terraform.io/hashicorp/azurerm",
                "deposed": d["key"],
                "change": {"actions": ["delete"], "before": d["values"], "after": None, "after_unknown": {}},
            }
            for d in self.deposed_objects
        ]
        prior = data + [self._record(d["address"], d["values"], "managed") for d in self.deleted]
        prior += [
            {**self._record(d["address"], d["values"], "managed"), "deposed_key": d["key"]}
            for d in self.deposed_objects
        ]
        return {
            "format_version": self.format_version,
            "terraform_version": "1.11.0",
            "planned_values": {"root_module": self._module_tree(planned)},
            "resource_changes": changes,
            "prior_state": {
                "format_version": "1.0",
                "terraform_version": "1.11.0",
                "values": {"root_module": self._module_tree(prior)},
            },
            "configuration": {
                "provider_config": self.providers,
                "root_module": self._config_module(()),
            },
        }

    def write(self, directory: Path, name: str = "plan.json") -> Path:
        path = directory / name
        path.write_text(json.dumps(self.build(), indent=2), encoding="utf-8")
        return path
