"""Read ``terraform show -json`` output into :class:`~pullpath.model.Resource` records.

Values come from ``planned_values`` (plus data sources from ``prior_state``); ``after_unknown``
marks what is known only after apply; ``configuration`` supplies the references of every
expression, traced through module inputs, module outputs and ``for_each``/``count`` so that an
image whose value is unknown is still tied to the registry it names. Only the resource types in
:data:`~pullpath.resource_types.RELEVANT` are decoded (see :mod:`plan_schema`).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import msgspec

from pullpath.addresses import (
    attribute_chain,
    config_address,
    join_module,
    module_instance_prefix,
    module_path,
    split_address,
    strip_key,
)
from pullpath.errors import InputError
from pullpath.input_files import read_bounded, read_stdin
from pullpath.model import UNKNOWN, AttrPath, Resource, SourceLocation
from pullpath.readers.plan_providers import on_clusters
from pullpath.readers.plan_schema import (
    NULL,
    ConfigModule,
    ConfigResource,
    Kind,
    ModuleCall,
    Plan,
    PlanModule,
    PlanResource,
    ResourceChange,
    raw,
)
from pullpath.resource_types import NAMED_REFERENCES, RELEVANT
from pullpath.sensitive import collect, marked_strings, strings_in
from pullpath.settings import byte_limit

STDIN = "-"
DEFAULT_MAX_BYTES = 2 * 1024**3
MAX_BYTES_VARIABLE = "PULLPATH_MAX_PLAN_BYTES"
_MAX_TRACE_DEPTH = 64
_LIVE_ACTIONS = frozenset({"create", "update", "no-op"})


def max_plan_bytes() -> int:
    """The plan size limit: ``PULLPATH_MAX_PLAN_BYTES`` when set, else 2 GiB.

    Decoding needs memory in proportion to the file; a limit refuses a runaway input with a
    message instead of letting the machine swap or the kernel kill the gate.
    """
    return byte_limit(MAX_BYTES_VARIABLE, DEFAULT_MAX_BYTES)


def load_plan(path: str, max_bytes: int | None = None) -> Plan:
    """Read and decode a plan file, or raise :class:`InputError` saying why it is not one."""
    max_bytes = max_bytes if max_bytes is not None else max_plan_bytes()
    if path == STDIN:  # terraform show -json plan.out | pullpath plan -
        return parse_plan_bytes(read_stdin(max_bytes, "plan JSON", MAX_BYTES_VARIABLE), "stdin")
    data = read_bounded(path, max_bytes, "plan JSON file", MAX_BYTES_VARIABLE)
    return parse_plan_bytes(data, path)


def parse_plan_bytes(data: bytes, name: str = "plan") -> Plan:
    """Decode UTF-8 (with or without BOM) or UTF-16 (PowerShell's ``>``) JSON and check its shape."""
    if not data.strip():
        raise InputError(f"{name}: empty file, expected a plan JSON file (terraform show -json)")
    try:
        text = _decode_text(data)
        start = text.lstrip()[:1]
        if start not in ("{", b"{"):
            kind = "an array" if start in ("[", b"[") else "not an object"
            msgspec.json.decode(text)  # not JSON at all is reported as such, below
            raise InputError(f"{name}: expected a JSON object from terraform show -json, got {kind}")
        plan = msgspec.json.decode(text, type=Plan)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: {_hint(data, name) or f'not valid JSON text ({_one_line(error)})'}"
        ) from None
    except msgspec.ValidationError as error:
        raise InputError(f"{name}: malformed plan: {_one_line(error)}") from None
    except msgspec.DecodeError as error:
        raise InputError(f"{name}: {_hint(data, name) or f'not valid JSON ({_one_line(error)})'}") from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply to be a plan") from None
    _check_shape(plan, name)
    return plan


def _decode_text(data: bytes) -> str | bytes:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :]
    if len(data) >= 2 and data[0] == 0 and data[1] != 0:
        return data.decode("utf-16-be")
    if len(data) >= 2 and data[1] == 0 and data[0] != 0:
        return data.decode("utf-16-le")
    return data


def _hint(data: bytes, name: str) -> str:
    """What was given instead of a plan, on the error path only (its patterns cost an import)."""
    from pullpath.readers.not_a_plan import hint

    return hint(data, name)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]


def _check_shape(plan: Plan, name: str) -> None:
    if plan.planned_values is msgspec.UNSET and plan.resource_changes is msgspec.UNSET:
        if plan.lineage is not NULL and plan.serial is not NULL:
            raise InputError(
                f"{name}: this is a Terraform state file, not a plan; run terraform show -json PLANFILE"
            )
        if plan.values is not NULL:
            raise InputError(f"{name}: this is terraform show -json of a state, not of a plan file")
        hinted = _hint(b"", name)  # a .tf.json file is JSON, and no plan
        raise InputError(
            f"{name}: {hinted or 'not a Terraform plan (no planned_values or resource_changes)'}"
        )
    if plan.format_version is not NULL:
        version = raw(plan.format_version)
        if not isinstance(version, str) or version.split(".")[0] not in ("0", "1"):
            raise InputError(f"{name}: unsupported plan format_version (0.x and 1.x are read)")


Progress = Callable[[float], None]


def read_plan(path: str, max_bytes: int | None = None, progress: Progress | None = None) -> list[Resource]:
    """The resources of a plan file that pullpath cares about.

    ``progress`` receives the fraction done (0 to 1), for a progress bar on large plans.
    """
    report = progress or (lambda fraction: None)
    report(0.0)
    plan = load_plan(path, max_bytes)
    report(0.5)  # reading and decoding is about half of the work on a large plan
    return resources_from_plan(plan, path, lambda fraction: report(0.5 + fraction / 2))


def resources_from_plan(plan: Plan, name: str, progress: Progress | None = None) -> list[Resource]:
    try:
        reader = _PlanReader(plan, name)
        return on_clusters(plan, reader.config, list(reader.resources(progress)))
    except msgspec.DecodeError as error:
        raise InputError(f"{name}: malformed plan: {_one_line(error)}") from None
    except RecursionError:
        raise InputError(f"{name}: malformed plan: nested too deeply") from None


def _module_resources(module: PlanModule | None, where: str) -> list[tuple[str, list[msgspec.Raw]]]:
    """The ``resources`` of a module and of its ``child_modules``, each list with its JSON path
    (iteratively: depth is input)."""
    found: list[tuple[str, list[msgspec.Raw]]] = []
    stack = [(where, module)] if module is not None else []
    while stack:
        path, current = stack.pop()
        found.append((f"{path}.resources", current.resources))
        stack.extend((f"{path}.child_modules[{n}]", child) for n, child in enumerate(current.child_modules))
    return found


_KIND = msgspec.json.Decoder(Kind)
_RESOURCE = msgspec.json.Decoder(PlanResource)
_CHANGE = msgspec.json.Decoder(ResourceChange)
_T = TypeVar("_T")


def _decode_relevant(
    lists: list[tuple[str, list[msgspec.Raw]]], decoder: msgspec.json.Decoder[_T], name: str, mode: str = ""
) -> list[_T]:
    """Decode the items whose type pullpath reads (and whose mode is ``mode``, when given).

    The rest are never decoded beyond their ``type`` and ``mode``; their other keys are not
    checked, as no verdict depends on them.
    """
    found: list[_T] = []
    for where, items in lists:
        for index, item in enumerate(items):
            try:
                kind = _KIND.decode(item)
                if kind.type in RELEVANT and (not mode or kind.mode == mode):
                    found.append(decoder.decode(item))
            except msgspec.ValidationError as error:
                raise InputError(f"{name}: malformed plan: {_at(error, f'{where}[{index}]')}") from None
    return found


def _at(error: msgspec.ValidationError, where: str) -> str:
    """The error of a decoded item, with the item's JSON path in the document."""
    text = _one_line(error)
    if " - at `$" in text:
        return text.replace(" - at `$", f" - at `$.{where}", 1)
    return f"{text} - at `$.{where}`"


class _PlanReader:
    def __init__(self, plan: Plan, name: str) -> None:
        self.name = name
        self.location = SourceLocation(name)
        changes = plan.resource_changes if isinstance(plan.resource_changes, list) else []
        # a deposed object (create_before_destroy) shares its instance's address: its delete is
        # not the live instance's change, and it is no workload of its own
        self.changes: dict[str, ResourceChange] = {
            change.address: change
            for change in _decode_relevant([("resource_changes", changes)], _CHANGE, name)
            if change.deposed is None
        }
        planned = plan.planned_values if plan.planned_values else None
        planned_lists = _module_resources(
            planned.root_module if planned else None, "planned_values.root_module"
        )
        self.any_planned = any(items for _, items in planned_lists)
        self.planned = _decode_relevant(planned_lists, _RESOURCE, name)
        prior = plan.prior_state.values if plan.prior_state else None
        prior_lists = _module_resources(
            prior.root_module if prior else None, "prior_state.values.root_module"
        )
        self.prior = _decode_relevant(prior_lists, _RESOURCE, name, mode="data")
        root = plan.configuration.root_module if plan.configuration else None
        self.config = _ConfigIndex(root or ConfigModule())
        self.instances: dict[str, list[str]] = {}  # configuration address -> instance addresses
        self._within: dict[str, dict[str, list[str]]] = {}  # see _instances
        self._keyed: dict[tuple[str, str], dict[str, list[str]]] = {}
        self._traced_memo: dict[
            tuple[tuple[str, ...], str], list[tuple[AttrPath, tuple[str, ...], bool]]
        ] = {}
        self._named_memo: dict[
            tuple[tuple[str, ...], str], list[tuple[AttrPath, tuple[tuple[str, str], ...], bool]]
        ] = {}
        self.sensitive = _declared_sensitive(plan, root)

    def resources(self, progress: Progress | None = None) -> Iterator[Resource]:
        records = self._records()
        self._check_consistent(records)
        for address in records:
            self.instances.setdefault(config_address(address), []).append(address)
        step = max(len(records) // 100, 1)
        for position, (address, record) in enumerate(records.items()):
            if progress and position % step == 0:
                progress(position / len(records))
            yield self._resource(address, record)
        if progress:
            progress(1.0)

    def _records(self) -> dict[str, PlanResource]:
        """Every relevant resource instance that exists after apply, data sources included."""
        records: dict[str, PlanResource] = {}
        for record in self.planned:
            records[record.address] = record
        if not self.any_planned:
            for address, change in self.changes.items():
                if not _is_delete(change.change.actions) and change.change.after is not NULL:
                    records[address] = PlanResource(
                        address, change.type, change.mode, change.name, change.change.after
                    )
        for record in self.prior:
            if record.address not in records:
                records[record.address] = record
        return {
            address: record
            for address, record in records.items()
            if address not in self.changes or not _is_delete(self.changes[address].change.actions)
        }

    def _check_consistent(self, records: dict[str, PlanResource]) -> None:
        """A resource the plan creates or keeps but whose values are missing is a damaged plan."""
        for address, change in self.changes.items():
            actions = change.change.actions
            if change.mode == "managed" and address not in records:
                if _LIVE_ACTIONS.intersection(actions) and not _is_delete(actions):
                    raise InputError(
                        f"{self.name}: malformed plan: {address} is planned ({'/'.join(actions)}) "
                        "but missing from planned_values"
                    )

    def _resource(self, address: str, record: PlanResource) -> Resource:
        values = raw(record.values)
        values = values if isinstance(values, dict) else {}
        change = self.changes.get(address)
        if change is not None:
            unknown = raw(change.change.after_unknown)
            if isinstance(unknown, dict):
                values = _merge_unknown(values, unknown)
        found: list[str] = []
        for marks in (record.sensitive_values, change.change.after_sensitive if change else NULL):
            if _marks_any(marks):
                found += marked_strings(values, raw(marks))
        mode = "data" if record.mode == "data" else "managed"
        created = "create" in change.change.actions if change is not None else None  # replaced too
        return Resource(
            address=address,
            type=record.type,
            mode=mode,
            values=values,
            refs=self._refs(address, mode, record.type, record.name),
            location=self.location,
            sensitive=self.sensitive | collect(found) if found else self.sensitive,
            ref_attributes=self._named(address, mode, record.type, record.name)
            if record.type in NAMED_REFERENCES
            else {},
            created=created,
        )

    def _named(self, address: str, mode: str, rtype: str, name: str) -> dict[AttrPath, tuple[str, ...]]:
        """References that name an attribute whose name matters (a grant's ``principal_id``), traced."""
        path = module_path(address)
        local = f"{'data.' if mode == 'data' else ''}{rtype}.{name or strip_key(split_address(address)[-1])}"
        prefix = module_instance_prefix(address)
        own_key = _instance_key(address)
        named: dict[AttrPath, tuple[str, ...]] = {}
        for attr_path, chains, iterates in self._traced_named(path, local):
            key = own_key if iterates else ""
            found = [
                f"{instance}.{chain}"
                for target, chain in chains
                for instance in self._instances(target, prefix, key)
            ]
            if found:
                named[attr_path] = tuple(dict.fromkeys(found))
        return named

    def _traced_named(
        self, path: tuple[str, ...], local: str
    ) -> list[tuple[AttrPath, tuple[tuple[str, str], ...], bool]]:
        """Per configured attribute path, the ``(configuration address, attribute)`` pairs its
        expression names (:meth:`_ConfigIndex.trace_named`), and whether it iterates; worked out once
        per resource block, as :meth:`_traced` is."""
        key = (path, local)
        traced = self._named_memo.get(key)
        if traced is None:
            iterator, leaves = self._block(path, local)
            traced = []
            for attr_path, references in leaves:
                chains = tuple(
                    pair
                    for reference in references
                    for pair in self.config.trace_named(reference, path, iterator)
                )
                if chains:
                    traced.append((attr_path, chains, _iterates(references)))
            self._named_memo[key] = traced
        return traced

    def _refs(self, address: str, mode: str, rtype: str, name: str) -> dict[AttrPath, tuple[str, ...]]:
        path = module_path(address)
        local = f"{'data.' if mode == 'data' else ''}{rtype}.{name or strip_key(split_address(address)[-1])}"
        traced = self._traced(path, local)
        prefix = module_instance_prefix(address)
        own_key = _instance_key(address)
        refs: dict[AttrPath, tuple[str, ...]] = {}
        for attr_path, targets, iterates in traced:
            key = own_key if iterates else ""
            if len(targets) == 1:
                refs[attr_path] = tuple(self._instances(targets[0], prefix, key))
            else:
                found = [instance for target in targets for instance in self._instances(target, prefix, key)]
                refs[attr_path] = tuple(dict.fromkeys(found))
        return refs

    def _traced(self, path: tuple[str, ...], local: str) -> list[tuple[AttrPath, tuple[str, ...], bool]]:
        """Each configured attribute path of a resource with the configuration addresses it reaches,
        and whether its expression iterates (``each.*``, ``count.index``).

        The same for every instance of the resource, so worked out once per resource block: a
        module call with thousands of instances shares one configuration.
        """
        key = (path, local)
        traced = self._traced_memo.get(key)
        if traced is None:
            iterator, leaves = self._block(path, local)
            traced = []
            for attr_path, references in leaves:
                targets = [
                    target
                    for reference in references
                    for target in self.config.trace(reference, path, iterator)
                ]
                traced.append((attr_path, tuple(dict.fromkeys(targets)), _iterates(references)))
            self._traced_memo[key] = traced
        return traced

    def _block(
        self, path: tuple[str, ...], local: str
    ) -> tuple[tuple[str, ...], list[tuple[AttrPath, tuple[str, ...]]]]:
        """A resource block's ``for_each``/``count`` references, and each configured attribute path
        with the references of its expression; empty for a block the configuration does not have."""
        config = self.config.resource(path, local)
        leaves: list[tuple[AttrPath, tuple[str, ...]]] = []
        if config is None:
            return (), leaves
        _leaves(raw(config.expressions) or {}, (), leaves)
        iterator = _expression_refs(raw(config.for_each_expression)) + _expression_refs(
            raw(config.count_expression)
        )
        return iterator, leaves

    def _instances(self, target: str, prefix: str, key: str = "") -> list[str]:
        """Configuration address -> instance addresses, preferring the referrer's module instance.

        Those are the instances whose address starts with the referrer's module instance
        (``prefix``): grouped once per target by each of their enclosing module instances, so a
        lookup costs the same whatever the number of instances. ``key``: the referrer's own instance
        key, when its expression iterates (``each.*``, ``count.index``): ``pull[each.key]`` and
        ``each.value`` of a ``for_each`` over ``pull`` name the instance under that key, which a
        plan's references do not say (they name ``pull``); grouped once per target by key too.
        """
        found = self.instances.get(target)
        if not found:
            return [target]
        if len(found) > 1 and prefix:
            groups = self._within.get(target)
            if groups is None:
                groups = self._within[target] = _by_module_instance(found)
            same = groups.get(prefix)
            if same:
                found = same
        if len(found) > 1 and key:
            by_key = self._keyed.get((target, prefix))
            if by_key is None:
                by_key = self._keyed[(target, prefix)] = {}
                for address in found:
                    by_key.setdefault(_instance_key(address), []).append(address)
            keyed = by_key.get(key)
            if keyed:
                return keyed
        return found


def _by_module_instance(addresses: list[str]) -> dict[str, list[str]]:
    """Addresses grouped under every module instance that encloses them, in their order."""
    groups: dict[str, list[str]] = {}
    for address in addresses:
        parts = split_address(address)
        index = 0
        while index + 1 < len(parts) and parts[index] == "module":
            index += 2
            groups.setdefault(".".join(parts[:index]), []).append(address)
    return groups


def _instance_key(address: str) -> str:
    """``azurerm_role_assignment.pull["orders"]`` -> ``["orders"]``; empty without a key."""
    last = split_address(address)[-1]
    index = last.find("[")
    return last[index:] if index >= 0 else ""


def _iterates(references: tuple[str, ...] | list[str]) -> bool:
    """Whether an expression reads ``each.*`` or ``count.index``, so it picks the instance of its key."""
    return any(reference.startswith(("each.", "count.")) for reference in references)


def _marks_any(marks: msgspec.Raw) -> bool:
    """Whether sensitivity marks mark anything: most are ``{}`` or empty blocks, never decoded."""
    return len(marks) > 2 and b"true" in bytes(marks)


def _declared_sensitive(plan: Plan, root: ConfigModule | None) -> frozenset[str]:
    """Strings of the root variables and root outputs the plan declares sensitive.

    A plan records every root variable's value in clear under ``variables``; its declaration in
    ``configuration`` says whether it is sensitive.
    """
    found: list[str] = []
    declared = raw(root.variables) if root else None
    given = raw(plan.variables)
    if isinstance(declared, dict) and isinstance(given, dict):
        for name, declaration in declared.items():
            entry = given.get(name)
            if (
                isinstance(declaration, dict)
                and declaration.get("sensitive") is True
                and isinstance(entry, dict)
            ):
                found += strings_in(entry.get("value"))
    outputs = raw(plan.planned_values.outputs) if plan.planned_values else None
    for output in outputs.values() if isinstance(outputs, dict) else ():
        if isinstance(output, dict) and output.get("sensitive") is True:
            found += strings_in(output.get("value"))
    return collect(found)


def _is_delete(actions: list[str]) -> bool:
    return actions == ["delete"]


def _merge_unknown(values: Any, unknown: Any) -> Any:
    """Put :data:`UNKNOWN` wherever ``after_unknown`` says a value is known only after apply.

    ``values`` is freshly decoded, so it is changed in place rather than copied block by block.
    A block the markers name but the values lack (or hold as null) becomes an empty block.
    """
    if unknown is True:
        return UNKNOWN
    if type(unknown) is dict:
        merged = values if type(values) is dict else {}
        for key, marker in unknown.items():
            if marker is True:
                merged[key] = UNKNOWN
            elif type(marker) in _BLOCKS:
                merged[key] = _merge_unknown(merged.get(key), marker)
        return merged
    if type(unknown) is list:
        merged_list = values if type(values) is list else []
        for index, marker in enumerate(unknown):
            if marker is True or type(marker) in _BLOCKS:
                if index < len(merged_list):
                    merged_list[index] = _merge_unknown(merged_list[index], marker)
                else:
                    merged_list.append(_merge_unknown(None, marker))
        return merged_list
    return values


_BLOCKS = (dict, list)


def _expression_refs(expression: Any) -> tuple[str, ...]:
    if isinstance(expression, dict):
        references = expression.get("references")
        if isinstance(references, list):
            return tuple(ref for ref in references if isinstance(ref, str))
    return ()


def _leaves(expressions: Any, path: AttrPath, found: list[tuple[AttrPath, tuple[str, ...]]]) -> None:
    """Append every configured attribute path under ``path`` with the references of its expression."""
    if type(expressions) is list:
        for index, item in enumerate(expressions):
            _leaves(item, (*path, index), found)
    elif type(expressions) is dict:
        if path and (not expressions or "references" in expressions or "constant_value" in expressions):
            found.append((path, _expression_refs(expressions)))
            return
        for key, value in expressions.items():
            _leaves(value, (*path, key), found)


class _ConfigIndex:
    """The ``configuration`` tree, indexed by module path, with reference tracing."""

    def __init__(self, root: ConfigModule) -> None:
        self.modules: dict[tuple[str, ...], ConfigModule] = {}
        self.calls: dict[tuple[str, ...], ModuleCall] = {}
        stack: list[tuple[tuple[str, ...], ConfigModule]] = [((), root)]
        while stack:
            path, module = stack.pop()
            self.modules[path] = module
            for call_name, call in module.module_calls.items():
                child = (*path, call_name)
                self.calls[child] = call
                if call.module is not None and len(path) < _MAX_TRACE_DEPTH:
                    stack.append((child, call.module))
        self._resources: dict[tuple[str, ...], dict[str, ConfigResource]] = {}
        self._decoded: dict[int, Any] = {}
        self._memo: dict[tuple[str, tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}

    def resource(self, path: tuple[str, ...], local: str) -> ConfigResource | None:
        if path not in self._resources:
            module = self.modules.get(path)
            self._resources[path] = {r.address: r for r in module.resources} if module else {}
        return self._resources[path].get(local)

    def _raw(self, value: msgspec.Raw) -> Any:
        key = id(value)
        if key not in self._decoded:
            self._decoded[key] = raw(value)
        return self._decoded[key]

    def trace(self, reference: str, path: tuple[str, ...], iterator: tuple[str, ...] = ()) -> tuple[str, ...]:
        """Absolute configuration addresses (or unresolvable ``var.``/``local.`` text) a reference reaches."""
        key = (reference, path, iterator)
        if key not in self._memo:
            self._memo[key] = ()  # a cycle ends here
            self._memo[key] = tuple(dict.fromkeys(self._trace(reference, path, iterator)))
        return self._memo[key]

    def _trace(self, reference: str, path: tuple[str, ...], iterator: tuple[str, ...]) -> list[str]:
        parts = [strip_key(part) for part in split_address(reference)]
        head = parts[0]
        if head in ("each", "count"):
            return [target for ref in iterator for target in self.trace(ref, path)]
        if head in ("path", "terraform", "self") or len(parts) < 2:
            return []
        if head == "local":
            return [join_module(path, f"local.{parts[1]}")]
        if head == "var":
            return self._trace_variable(parts[1], path)
        if head == "module":
            return self._trace_output(parts, path)
        if head == "data":
            return [join_module(path, ".".join(parts[:3]))] if len(parts) >= 3 else []
        return [join_module(path, ".".join(parts[:2]))]

    def trace_named(
        self, reference: str, path: tuple[str, ...], iterator: tuple[str, ...] = (), depth: int = 0
    ) -> list[tuple[str, str]]:
        """``(address, attribute)`` for a reference that names an attribute whose name matters.

        ``azurerm_user_assigned_identity.x.client_id`` names it directly; ``each.value.client_id``
        names it on what ``for_each`` iterates; ``module.m.out`` and ``var.v`` name it wherever the
        output's or the caller's expression does.
        """
        parts = [strip_key(part) for part in split_address(reference)]
        head = parts[0]
        if depth > _MAX_TRACE_DEPTH or len(parts) < 2:
            return []
        if head == "each":
            chain = attribute_chain(parts[2:])
            return [(t, chain) for ref in iterator for t in self.trace(ref, path)] if chain else []
        if head == "var":
            call = self.calls.get(path)
            expressions = self._raw(call.expressions) if call else None
            expression = expressions.get(parts[1]) if isinstance(expressions, dict) else None
            return [
                found
                for ref in _expression_refs(expression)
                for found in self.trace_named(ref, path[:-1], (), depth + 1)
            ]
        if head == "module" and len(parts) >= 3:
            module = self.modules.get((*path, parts[1]))
            outputs = self._raw(module.outputs) if module else None
            output = outputs.get(parts[2]) if isinstance(outputs, dict) else None
            expression = output.get("expression") if isinstance(output, dict) else None
            return [
                found
                for ref in _expression_refs(expression)
                for found in self.trace_named(ref, (*path, parts[1]), (), depth + 1)
            ]
        if head in ("local", "path", "terraform", "self", "count", "module"):
            return []
        size = 3 if head == "data" else 2
        chain = attribute_chain(parts[size:])
        return [(join_module(path, ".".join(parts[:size])), chain)] if chain else []

    def _trace_variable(self, name: str, path: tuple[str, ...]) -> list[str]:
        """A module's input variable -> what the calling module passes to it."""
        if not path:
            return [f"var.{name}"]
        call = self.calls.get(path)
        if call is None:
            return []
        expressions = self._raw(call.expressions)
        expression = expressions.get(name) if isinstance(expressions, dict) else None
        iterator = _expression_refs(self._raw(call.for_each_expression)) + _expression_refs(
            self._raw(call.count_expression)
        )
        return [
            target for ref in _expression_refs(expression) for target in self.trace(ref, path[:-1], iterator)
        ]

    def _trace_output(self, parts: list[str], path: tuple[str, ...]) -> list[str]:
        """``module.x.out`` -> what the child module's output expression references."""
        if len(parts) < 3:
            return []  # the whole module object; Terraform also lists the output it reads
        child = (*path, parts[1])
        module = self.modules.get(child)
        outputs = self._raw(module.outputs) if module else None
        output = outputs.get(parts[2]) if isinstance(outputs, dict) else None
        expression = output.get("expression") if isinstance(output, dict) else None
        return [target for ref in _expression_refs(expression) for target in self.trace(ref, child)]
