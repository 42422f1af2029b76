"""One module directory's configuration: its variables, locals, resources, module calls and outputs.

Files are parsed once per scan (:class:`Loader` caches by real path), so a module shared by a
hundred roots costs one parse. A file the parser rejects is recorded as a problem and skipped;
the rest of the directory still counts.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from pullpath.readers.hcl import shared_parses
from pullpath.readers.hcl.dialects import Block, Body, HclSyntaxError, parse_hcl, parse_tf_json
from pullpath.readers.hcl.syntax import Expr, Lit

#: Arguments that steer Terraform rather than configure the resource or the module.
RESOURCE_META = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle"})
CALL_META = frozenset({"count", "for_each", "depends_on", "providers", "source", "version"})


@dataclass(frozen=True)
class Variable:
    name: str
    default: Expr | None
    line: int | None = None
    sensitive: bool = False  # declared ``sensitive = true``: its value is never shown


@dataclass(frozen=True)
class ResourceConfig:
    mode: str  # "managed" or "data"
    type: str
    name: str
    body: Body
    file: str
    line: int | None

    @property
    def local_address(self) -> str:
        return f"{'data.' if self.mode == 'data' else ''}{self.type}.{self.name}"

    @property
    def count(self) -> Expr | None:
        return self.body.attributes.get("count")

    @property
    def for_each(self) -> Expr | None:
        return self.body.attributes.get("for_each")


@dataclass(frozen=True)
class ModuleCall:
    name: str
    source: str | None  # a literal source; None when it is not a plain string
    body: Body
    file: str
    line: int | None

    @property
    def count(self) -> Expr | None:
        return self.body.attributes.get("count")

    @property
    def for_each(self) -> Expr | None:
        return self.body.attributes.get("for_each")

    @property
    def is_local(self) -> bool:
        return self.source is not None and self.source.replace("\\", "/").startswith(("./", "../"))


@dataclass
class ModuleConfig:
    directory: str
    files: list[str] = field(default_factory=list)
    variables: dict[str, Variable] = field(default_factory=dict)
    locals: dict[str, Expr] = field(default_factory=dict)
    resources: dict[str, ResourceConfig] = field(default_factory=dict)
    calls: dict[str, ModuleCall] = field(default_factory=dict)
    outputs: dict[str, Expr] = field(default_factory=dict)
    sensitive_outputs: set[str] = field(default_factory=set)  # outputs declared ``sensitive = true``
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, one-line message)

    @property
    def parsed_any(self) -> bool:
        return len(self.problems) < len(self.files)

    def local_sources(self) -> list[str]:
        """Directories this module calls as local module sources."""
        return [
            os.path.normpath(os.path.join(self.directory, c.source or ""))
            for c in self.calls.values()
            if c.is_local
        ]


def is_config_file(name: str) -> bool:
    return name.endswith((".tf", ".tf.json")) and not name.startswith(".")


def config_files(directory: str) -> list[str]:
    """The configuration files of a directory, override files last, as Terraform merges them."""
    try:
        names = sorted(name for name in os.listdir(directory) if is_config_file(name))
    except OSError:
        return []
    paths = [os.path.join(directory, name) for name in names if os.path.isfile(os.path.join(directory, name))]
    return sorted(paths, key=lambda path: _is_override(path))


def _is_override(path: str) -> bool:
    stem = os.path.basename(path).removesuffix(".json").removesuffix(".tf")
    return stem == "override" or stem.endswith("_override")


def literal_string(expr: Expr | None) -> str | None:
    if isinstance(expr, Lit) and isinstance(expr.value, str):
        return expr.value
    return None


MAX_FILE_BYTES = int(os.environ.get("PULLPATH_MAX_TF_BYTES", 32 * 1024**2))
MAX_NESTING = int(os.environ.get("PULLPATH_MAX_HCL_NESTING", 256))


def check_nesting(text: str) -> None:
    """Refuse brackets nested deeper than :data:`MAX_NESTING` before a parser recurses into them.

    Real Terraform nests a few levels; a file nested thousands deep is generated or hostile, and
    parsing it would only exhaust the stack or memory. Brackets inside strings count too: the
    limit is far above anything a configuration writes, so the approximation only errs on safety.
    """
    if sum(map(text.count, "{[(")) <= MAX_NESTING:  # too few brackets to nest that deep: skip the walk
        return
    depth = 0
    for char in text:
        if char in "{[(":
            depth += 1
            if depth > MAX_NESTING:
                raise HclSyntaxError(f"nested deeper than {MAX_NESTING} levels (PULLPATH_MAX_HCL_NESTING)")
        elif char in "}])" and depth:
            depth -= 1


class Loader:
    """Parses files and builds module configurations once per scan, whatever number of roots use them.

    It also answers the file-system questions every root asks again (a folder's real path, its
    configuration files): a scan reads a tree that does not change under it, and inside checkov
    these lookups were a fifth of judging a root.
    """

    def __init__(self) -> None:
        self._files: dict[str, Body | HclSyntaxError] = {}
        self._modules: dict[str, ModuleConfig] = {}
        self._real: dict[str, str] = {}
        self._listed: dict[str, list[str]] = {}

    def realpath(self, path: str) -> str:
        found = self._real.get(path)
        if found is None:
            found = self._real[path] = os.path.realpath(path)
        return found

    def config_files(self, directory: str) -> list[str]:
        found = self._listed.get(directory)
        if found is None:
            found = self._listed[directory] = config_files(directory)
        return found

    def parse_file(self, path: str) -> Body:
        key = self.realpath(path)
        if key not in self._files:
            try:
                if os.path.getsize(path) > MAX_FILE_BYTES:
                    raise HclSyntaxError(f"larger than the {MAX_FILE_BYTES}-byte limit for one .tf file")
                with open(path, encoding="utf-8-sig", errors="replace") as handle:
                    text = handle.read()
                check_nesting(text)
                if path.endswith(".json"):
                    self._files[key] = parse_tf_json(text)
                else:
                    self._files[key] = parse_hcl(text, shared_parses.recall(path, real=key))
            except HclSyntaxError as error:
                self._files[key] = error
            except OSError as error:
                self._files[key] = HclSyntaxError(f"cannot read: {error.strerror or error}")
        found = self._files[key]
        if isinstance(found, HclSyntaxError):
            raise found
        return found

    def module(self, directory: str) -> ModuleConfig:
        key = self.realpath(directory)
        if key not in self._modules:
            self._modules[key] = self._build(directory)
        return self._modules[key]

    def forget(self, directory: str) -> None:
        """Drop a folder's configuration and parsed files, for a root no later root will call.

        Inside checkov one Loader serves a whole run; keeping every root's syntax trees alive until
        the end made checkov's garbage collector walk them again and again.
        """
        config = self._modules.pop(self.realpath(directory), None)
        for path in config.files if config else ():
            self._files.pop(self.realpath(path), None)

    def _build(self, directory: str) -> ModuleConfig:
        config = ModuleConfig(directory=directory)
        for path in self.config_files(directory):
            config.files.append(path)
            try:
                body = self.parse_file(path)
            except HclSyntaxError as error:
                config.problems.append((path, str(error)))
                continue
            override = _is_override(path)
            for block in body.blocks:
                _add_block(config, block, path, override)
        return config


def _add_block(config: ModuleConfig, block: Block, path: str, override: bool) -> None:
    kind, labels, body = block.type, block.labels, block.body
    if kind == "variable" and labels:
        existing_variable = config.variables.get(labels[0])  # an override file keeps it sensitive
        sensitive = _declared_sensitive(body) or bool(existing_variable and existing_variable.sensitive)
        default = body.attributes.get("default")
        config.variables[labels[0]] = Variable(labels[0], default, block.line, sensitive)
    elif kind == "locals":
        config.locals.update(body.attributes)
    elif kind == "output" and labels and "value" in body.attributes:
        config.outputs[labels[0]] = body.attributes["value"]
        if _declared_sensitive(body):
            config.sensitive_outputs.add(labels[0])
    elif kind in ("resource", "data") and len(labels) == 2:
        resource = ResourceConfig(
            "managed" if kind == "resource" else "data", labels[0], labels[1], body, path, block.line
        )
        existing = config.resources.get(resource.local_address)
        if override and existing is not None:
            resource = ResourceConfig(
                existing.mode,
                existing.type,
                existing.name,
                _merge(existing.body, body),
                existing.file,
                existing.line,
            )
        config.resources[resource.local_address] = resource
    elif kind == "module" and labels:
        existing_call = config.calls.get(labels[0])
        if override and existing_call is not None:
            body = _merge(existing_call.body, body)
        source = literal_string(body.attributes.get("source"))
        config.calls[labels[0]] = ModuleCall(labels[0], source, body, path, block.line)


def _declared_sensitive(body: Body) -> bool:
    """``sensitive = true`` on a variable or output (Terraform also converts the string ``"true"``)."""
    expr = body.attributes.get("sensitive")
    return isinstance(expr, Lit) and expr.value in (True, "true")


def _merge(base: Body, override: Body) -> Body:
    """Terraform's override merge: attributes replace, and a nested block type replaces all of its kind."""
    replaced = {block.type for block in override.blocks}
    return Body(
        {**base.attributes, **override.attributes},
        tuple(b for b in base.blocks if b.type not in replaced) + override.blocks,
    )


def installed_modules(root: str) -> dict[str, str]:
    """``.terraform/modules/modules.json``: module key (``a.b``) -> installed directory, if present."""
    path = os.path.join(root, ".terraform", "modules", "modules.json")
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError):
        return {}
    found: dict[str, str] = {}
    for entry in document.get("Modules") or () if isinstance(document, dict) else ():
        if (
            isinstance(entry, dict)
            and isinstance(entry.get("Key"), str)
            and isinstance(entry.get("Dir"), str)
        ):
            directory = os.path.normpath(os.path.join(root, entry["Dir"]))
            if entry["Key"] and os.path.isdir(directory):
                found[entry["Key"]] = directory
    return found
