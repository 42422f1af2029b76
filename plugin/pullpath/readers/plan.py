"""Read ``terraform show -json`` output into :class:`~pullpath.model.Resource` records.

Values come from ``planned_values`` (plus data sources from ``prior_state``); ``after_unknown``
marks what is known only after apply; ``configuration`` supplies the references of every
expression, traced through module inputs, module outputs and ``for_each``/``count`` so that an
image whose value is unknown is still tied to the registry it names.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator, Mapping
from typing import Any

import msgspec

from pullpath.addresses import config_address, join_module, module_instance_prefix, split_address, strip_key
from pullpath.errors import InputError
from pullpath.model import UNKNOWN, AttrPath, Resource, SourceLocation
from pullpath.resource_types import RELEVANT

DEFAULT_MAX_BYTES = 2 * 1024**3
_MAX_TRACE_DEPTH = 64


def load_plan_document(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """Read and decode a plan file, or raise :class:`InputError` saying why it is not one."""
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, expected a plan JSON file (terraform show -json)")
    size = os.path.getsize(path)
    if size > max_bytes:
        raise InputError(f"{path}: {size} bytes exceeds the plan size limit of {max_bytes} bytes")
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    return parse_plan_bytes(raw, path)


def parse_plan_bytes(raw: bytes, name: str = "plan") -> dict[str, Any]:
    """Decode UTF-8 (with or without BOM) or UTF-16 (PowerShell's ``>``) JSON and check its shape."""
    if not raw.strip():
        raise InputError(f"{name}: empty file, expected a plan JSON file (terraform show -json)")
    try:
        text = _decode_text(raw)
        document = msgspec.json.decode(text)
    except (UnicodeDecodeError, msgspec.DecodeError) as error:
        raise InputError(f"{name}: not valid JSON ({_one_line(error)})") from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply to be a plan") from None
    _check_shape(document, name)
    return document


def _decode_text(raw: bytes) -> str | bytes:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :]
    if len(raw) >= 2 and raw[0] == 0 and raw[1] != 0:
        return raw.decode("utf-16-be")
    if len(raw) >= 2 and raw[1] == 0 and raw[0] != 0:
        return raw.decode("utf-16-le")
    return raw


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]


def _check_shape(document: Any, name: str) -> None:
    if not isinstance(document, dict):
        kind = type(document).__name__.replace("list", "array").replace("dict", "object")
        raise InputError(f"{name}: expected a JSON object from terraform show -json, got a JSON {kind}")
    if "planned_values" not in document and "resource_changes" not in document:
        if "lineage" in document and "serial" in document:
            raise InputError(
                f"{name}: this is a Terraform state file, not a plan; run terraform show -json PLANFILE"
            )
        if "values" in document:
            raise InputError(f"{name}: this is terraform show -json of a state, not of a plan file")
        raise InputError(f"{name}: not a Terraform plan (no planned_values or resource_changes)")
    version = document.get("format_version")
    if version is not None:
        if not isinstance(version, str) or version.split(".")[0] not in ("0", "1"):
            raise InputError(f"{name}: unsupported plan format_version {version!r} (0.x and 1.x are read)")
    for key in ("planned_values", "prior_state", "configuration"):
        if key in document and not isinstance(document[key], dict | None):
            raise InputError(f"{name}: malformed plan: {key} is not an object")
    changes = document.get("resource_changes")
    if changes is not None and not isinstance(changes, list):
        raise InputError(f"{name}: malformed plan: resource_changes is not an array")


def read_plan(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Resource]:
    """The resources of a plan file that pullpath cares about."""
    return resources_from_document(load_plan_document(path, max_bytes), path)


def resources_from_document(document: Mapping[str, Any], name: str) -> list[Resource]:
    try:
        return list(_PlanReader(document, name).resources())
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as error:
        raise InputError(f"{name}: malformed plan: {_one_line(error)}") from None
    except RecursionError:
        raise InputError(f"{name}: malformed plan: nested too deeply") from None


class _PlanReader:
    def __init__(self, document: Mapping[str, Any], name: str) -> None:
        self.name = name
        self.location = SourceLocation(name)
        self.changes = {
            change["address"]: change.get("change") or {}
            for change in document.get("resource_changes") or ()
            if isinstance(change, dict) and isinstance(change.get("address"), str)
        }
        self.planned = _module_resources((document.get("planned_values") or {}).get("root_module"))
        self.prior = _module_resources(
            ((document.get("prior_state") or {}).get("values") or {}).get("root_module")
        )
        configuration = document.get("configuration") or {}
        self.config = _ConfigIndex(configuration.get("root_module") or {})
        self.instances: dict[str, list[str]] = {}

    def resources(self) -> Iterator[Resource]:
        records = self._records()
        self._check_consistent(records)
        for address in records:
            self.instances.setdefault(config_address(address), []).append(address)
        for address, record in records.items():
            if record.get("type") not in RELEVANT:
                continue
            yield self._resource(address, record)

    def _records(self) -> dict[str, dict[str, Any]]:
        """Every resource instance that exists after apply, data sources included."""
        records: dict[str, dict[str, Any]] = {}
        for record in self.planned:
            records[record["address"]] = record
        if not self.planned:
            for address, change in self.changes.items():
                if _is_delete(change.get("actions")) or not isinstance(change.get("after"), dict):
                    continue
                records[address] = {"address": address, "values": change["after"], **_split_type(address)}
        for record in self.prior:
            address = record["address"]
            if record.get("mode") == "data" and address not in records:
                records[address] = record
        return {
            address: record
            for address, record in records.items()
            if not _is_delete((self.changes.get(address) or {}).get("actions"))
        }

    def _check_consistent(self, records: Mapping[str, Any]) -> None:
        """A resource the plan creates or keeps but whose values are missing is a damaged plan."""
        for address, change in self.changes.items():
            actions = change.get("actions")
            if address in records or not isinstance(actions, list) or _is_delete(actions):
                continue
            if {"create", "update", "no-op"} & set(actions) and _split_type(address)["type"] in RELEVANT:
                if _split_type(address)["mode"] == "managed":
                    raise InputError(
                        f"{self.name}: malformed plan: {address} is planned ({'/'.join(actions)}) "
                        "but missing from planned_values"
                    )

    def _resource(self, address: str, record: Mapping[str, Any]) -> Resource:
        values = record.get("values")
        values = dict(values) if isinstance(values, dict) else {}
        unknown = (self.changes.get(address) or {}).get("after_unknown")
        if isinstance(unknown, dict):
            values = _merge_unknown(values, unknown)
        mode = record.get("mode") or ("data" if address.split(".")[0] == "data" else "managed")
        return Resource(
            address=address,
            type=record["type"],
            mode=mode,
            values=values,
            refs=self._refs(address, mode, record["type"], record.get("name")),
            location=self.location,
        )

    def _refs(self, address: str, mode: str, rtype: str, name: str | None) -> dict[AttrPath, tuple[str, ...]]:
        path = _module_names(address)
        local = f"{'data.' if mode == 'data' else ''}{rtype}.{name or _split_type(address)['name']}"
        config = self.config.resource(path, local)
        if config is None:
            return {}
        iterator = _expression_refs(config.get("for_each_expression")) + _expression_refs(
            config.get("count_expression")
        )
        prefix = module_instance_prefix(address)
        refs: dict[AttrPath, tuple[str, ...]] = {}
        for attr_path, references in _leaves(config.get("expressions") or {}, ()):
            targets: list[str] = []
            for reference in references:
                for target in self.config.trace(reference, path, iterator):
                    targets.extend(self._instances(target, prefix))
            refs[attr_path] = tuple(dict.fromkeys(targets))
        return refs

    def _instances(self, target: str, prefix: str) -> list[str]:
        """Configuration address -> instance addresses, preferring the referrer's module instance."""
        found = self.instances.get(target)
        if not found:
            return [target]
        if len(found) > 1 and prefix:
            same = [address for address in found if module_instance_prefix(address) == prefix]
            if same:
                return same
        return found


def _is_delete(actions: Any) -> bool:
    return isinstance(actions, list) and actions == ["delete"]


def _split_type(address: str) -> dict[str, str]:
    parts = [strip_key(part) for part in split_address(address)]
    while len(parts) > 2 and parts[0] == "module":
        parts = parts[2:]
    mode = "managed"
    if parts[0] == "data":
        mode, parts = "data", parts[1:]
    return {"mode": mode, "type": parts[0], "name": parts[1] if len(parts) > 1 else ""}


def _module_names(address: str) -> tuple[str, ...]:
    parts = split_address(address)
    names: list[str] = []
    while len(parts) > 2 and parts[0] == "module":
        names.append(strip_key(parts[1]))
        parts = parts[2:]
    return tuple(names)


def _module_resources(module: Any) -> list[dict[str, Any]]:
    """Flatten ``resources`` of a module and its ``child_modules`` (iteratively: depth is input)."""
    found: list[dict[str, Any]] = []
    stack = [module] if isinstance(module, dict) else []
    while stack:
        current = stack.pop()
        for record in current.get("resources") or ():
            if (
                isinstance(record, dict)
                and isinstance(record.get("address"), str)
                and isinstance(record.get("type"), str)
            ):
                found.append(record)
        stack.extend(child for child in current.get("child_modules") or () if isinstance(child, dict))
    return found


def _merge_unknown(values: Any, unknown: Any) -> Any:
    """Put :data:`UNKNOWN` wherever ``after_unknown`` says a value is known only after apply."""
    if unknown is True:
        return UNKNOWN
    if isinstance(unknown, dict):
        merged = dict(values) if isinstance(values, dict) else {}
        for key, marker in unknown.items():
            if marker is True or isinstance(marker, dict | list):
                merged[key] = _merge_unknown(merged.get(key), marker)
        return merged
    if isinstance(unknown, list):
        merged_list = list(values) if isinstance(values, list) else []
        for index, marker in enumerate(unknown):
            if marker is True or isinstance(marker, dict | list):
                if index < len(merged_list):
                    merged_list[index] = _merge_unknown(merged_list[index], marker)
                else:
                    merged_list.append(_merge_unknown(None, marker))
        return merged_list
    return values


def _is_leaf(expression: Mapping[str, Any]) -> bool:
    return not expression or "references" in expression or "constant_value" in expression


def _expression_refs(expression: Any) -> tuple[str, ...]:
    if isinstance(expression, dict):
        references = expression.get("references")
        if isinstance(references, list):
            return tuple(ref for ref in references if isinstance(ref, str))
    return ()


def _leaves(expressions: Any, path: AttrPath) -> Iterator[tuple[AttrPath, tuple[str, ...]]]:
    """Every configured attribute path with the references of its expression."""
    if isinstance(expressions, list):
        for index, item in enumerate(expressions):
            yield from _leaves(item, (*path, index))
        return
    if not isinstance(expressions, dict):
        return
    if path and _is_leaf(expressions):
        yield path, _expression_refs(expressions)
        return
    for key, value in expressions.items():
        if isinstance(key, str):
            yield from _leaves(value, (*path, key))


class _ConfigIndex:
    """The ``configuration`` tree, indexed by module path, with reference tracing."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.modules: dict[tuple[str, ...], Mapping[str, Any]] = {}
        stack: list[tuple[tuple[str, ...], Any]] = [((), root)]
        while stack:
            path, module = stack.pop()
            if not isinstance(module, dict) or path in self.modules:
                continue
            self.modules[path] = module
            for call_name, call in (module.get("module_calls") or {}).items():
                if isinstance(call, dict) and len(path) < _MAX_TRACE_DEPTH:
                    stack.append(((*path, call_name), call.get("module")))
        self._resource_index: dict[tuple[str, ...], dict[str, Mapping[str, Any]]] = {}
        self._memo: dict[tuple[str, tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}

    def resource(self, path: tuple[str, ...], local: str) -> Mapping[str, Any] | None:
        if path not in self._resource_index:
            module = self.modules.get(path) or {}
            self._resource_index[path] = {
                record["address"]: record
                for record in module.get("resources") or ()
                if isinstance(record, dict) and isinstance(record.get("address"), str)
            }
        return self._resource_index[path].get(local)

    def _call(self, path: tuple[str, ...]) -> Mapping[str, Any]:
        parent = self.modules.get(path[:-1]) or {}
        call = (parent.get("module_calls") or {}).get(path[-1])
        return call if isinstance(call, dict) else {}

    def trace(self, reference: str, path: tuple[str, ...], iterator: tuple[str, ...] = ()) -> tuple[str, ...]:
        """Absolute configuration addresses (or unresolvable ``var.``/``local.`` text) a reference reaches."""
        key = (reference, path, iterator)
        if key not in self._memo:
            self._memo[key] = ()  # a cycle ends here
            self._memo[key] = tuple(dict.fromkeys(self._trace(reference, path, iterator, 0)))
        return self._memo[key]

    def _trace(
        self, reference: str, path: tuple[str, ...], iterator: tuple[str, ...], depth: int
    ) -> list[str]:
        if depth > _MAX_TRACE_DEPTH:
            return []
        parts = [strip_key(part) for part in split_address(reference)]
        head = parts[0]
        if head in ("path", "terraform", "self") or len(parts) < 2 and head not in ("each", "count"):
            return []
        if head in ("each", "count"):
            return [target for ref in iterator for target in self.trace(ref, path)]
        if head == "local":
            return [join_module(path, f"local.{parts[1]}")]
        if head == "var":
            if not path:
                return [f"var.{parts[1]}"]
            call = self._call(path)
            call_iterator = _expression_refs(call.get("for_each_expression")) + _expression_refs(
                call.get("count_expression")
            )
            expression = (call.get("expressions") or {}).get(parts[1])
            return [
                target
                for ref in _expression_refs(expression)
                for target in self.trace(ref, path[:-1], call_iterator)
            ]
        if head == "module":
            child = (*path, parts[1])
            if len(parts) < 3:
                return []  # the whole module object; Terraform also lists the output it reads
            outputs = (self.modules.get(child) or {}).get("outputs") or {}
            output = outputs.get(parts[2]) if isinstance(outputs, dict) else None
            expression = output.get("expression") if isinstance(output, dict) else None
            return [target for ref in _expression_refs(expression) for target in self.trace(ref, child)]
        if head == "data":
            return [join_module(path, ".".join(parts[:3]))] if len(parts) >= 3 else []
        return [join_module(path, ".".join(parts[:2]))]
