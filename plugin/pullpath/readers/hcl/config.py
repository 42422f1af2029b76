"""One module directory's configuration: its variables, locals, resources, module calls and outputs.

Files are parsed once per scan (:class:`Loader` caches by real path), so a module shared by a
hundred roots costs one parse. A file the parser rejects is recorded as a problem and skipped;
the rest of the directory still counts.

A scan has a boundary (:class:`Loader`'s ``boundary``: the repository, the ``--boundary`` folder
or the scanned folder, see :mod:`~pullpath.readers.hcl.boundary`): a scan runs on untrusted pull
requests, and a committed link (``x.auto.tfvars.json -> ~/.azure/token``, ``main.tf -> /dev/zero``)
must not carry a file of the runner into a report or hang the gate. So nothing is read that
resolves outside it, nothing that is not a regular file, and never more than the size limit.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from pullpath.input_files import NotRead, read_regular
from pullpath.readers.hcl import shared_parses
from pullpath.readers.hcl.boundary import Boundary
from pullpath.readers.hcl.dialects import Block, Body, HclSyntaxError, parse_hcl, parse_tf_json
from pullpath.readers.hcl.syntax import Expr, Lit
from pullpath.settings import byte_limit, count_limit

#: Arguments that steer Terraform rather than configure the resource or the module.
RESOURCE_META = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle"})
CALL_META = frozenset({"count", "for_each", "depends_on", "providers", "source", "version"})


@dataclass(frozen=True)
class Variable:
    name: str
    default: Expr | None
    line: int | None = None
    sensitive: bool = False  # declared ``sensitive = true``: its value is never shown
    type: Expr | None = None  # the type constraint, for its optional() defaults


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
    required_providers: dict[str, Expr] = field(default_factory=dict)  # terraform { required_providers }
    providers: dict[str, Body] = field(default_factory=dict)  # provider blocks by name (``name.alias``)
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
    """The configuration files of a directory, override files last, as Terraform merges them.

    Every entry with a configuration file's name that is not a folder is listed, a link to a
    device or to nowhere included: reading it is refused with a warning, never skipped in silence.
    """
    try:
        names = sorted(name for name in os.listdir(directory) if is_config_file(name))
    except (OSError, ValueError):
        return []
    paths = [os.path.join(directory, name) for name in names]
    paths = [path for path in paths if not os.path.isdir(path)]
    return sorted(paths, key=lambda path: _is_override(path))


def _is_override(path: str) -> bool:
    stem = os.path.basename(path).removesuffix(".json").removesuffix(".tf")
    return stem == "override" or stem.endswith("_override")


def literal_string(expr: Expr | None) -> str | None:
    if isinstance(expr, Lit) and isinstance(expr.value, str):
        return expr.value
    return None


class FileRefused(HclSyntaxError):
    """A file the Loader would not read or parse: outside the boundary, not a regular file, over a limit.

    A kind of :class:`HclSyntaxError`, so every caller that skips a bad file skips this one too;
    its message says why, where a syntax error's says where the parser stopped.
    """


def problem_text(error: HclSyntaxError) -> str:
    """Why a file was skipped, for a warning: ``not valid HCL: ...`` or why it was not read."""
    return str(error) if isinstance(error, FileRefused) else f"not valid HCL: {error}"


MAX_FILE_BYTES_SETTING = "PULLPATH_MAX_TF_BYTES"
MAX_NESTING_SETTING = "PULLPATH_MAX_HCL_NESTING"


def max_file_bytes() -> int:
    """The size limit for one ``.tf`` or tfvars file: ``PULLPATH_MAX_TF_BYTES``, else 32 MiB."""
    return byte_limit(MAX_FILE_BYTES_SETTING, 32 * 1024**2)


def max_nesting() -> int:
    """The bracket nesting limit of one file: ``PULLPATH_MAX_HCL_NESTING``, else 256."""
    return count_limit(MAX_NESTING_SETTING, 256)


def check_nesting(text: str, limit: int) -> None:
    """Refuse brackets nested deeper than ``limit`` before a parser recurses into them.

    Real Terraform nests a few levels; a file nested thousands deep is generated or hostile, and
    parsing it would only exhaust the stack or memory. Brackets inside strings count too: the
    limit is far above anything a configuration writes, so the approximation only errs on safety.
    """
    if sum(map(text.count, "{[(")) <= limit:  # too few brackets to nest that deep: skip the walk
        return
    depth = 0
    for char in text:
        if char in "{[(":
            depth += 1
            if depth > limit:
                raise FileRefused(f"nested deeper than {limit} levels ({MAX_NESTING_SETTING})")
        elif char in "}])" and depth:
            depth -= 1


class Loader:
    """Parses files and builds module configurations once per scan, whatever number of roots use them.

    It also answers the file-system questions every root asks again (a folder's real path, its
    configuration files): a scan reads a tree that does not change under it, and inside checkov
    these lookups were a fifth of judging a root.
    """

    def __init__(self, boundary: Boundary | None = None) -> None:
        """``boundary``: the folder nothing is read outside of; None for no boundary.

        checkov passes none: it has read the same files itself before pullpath sees them.
        """
        self.boundary = boundary
        self.read: dict[str, None] = {}  # real paths of every file read, in the order read
        self._files: dict[str, Body | HclSyntaxError] = {}
        self._modules: dict[str, ModuleConfig] = {}
        self._real: dict[str, str] = {}
        self._listed: dict[str, list[str]] = {}
        self._limits: tuple[int, int] | None = None

    def realpath(self, path: str) -> str:
        found = self._real.get(path)
        if found is None:
            found = self._real[path] = os.path.realpath(path)
        return found

    def inside(self, path: str) -> bool:
        """Whether ``path`` resolves inside the boundary (always, without one)."""
        if self.boundary is None:
            return True
        real, top = self.realpath(path), self.boundary.path
        return real == top or real.startswith(top.rstrip(os.sep) + os.sep)

    @property
    def limits(self) -> tuple[int, int]:
        """(bytes of one file, bracket nesting), read from the environment on first use."""
        if self._limits is None:
            self._limits = (max_file_bytes(), max_nesting())
        return self._limits

    def read_bytes(self, path: str) -> bytes:
        """A file of the tree, or :class:`FileRefused` (outside the boundary, not regular, too large)."""
        if self.boundary is not None and not self.inside(path):
            raise FileRefused(self.boundary.refusal("resolves"))
        try:
            data = read_regular(path, self.limits[0], MAX_FILE_BYTES_SETTING)
        except NotRead as refused:
            raise FileRefused(str(refused)) from None
        self.read[self.realpath(path)] = None
        return data

    def read_text(self, path: str) -> str:
        return self.read_bytes(path).decode("utf-8-sig", errors="replace")

    def config_files(self, directory: str) -> list[str]:
        found = self._listed.get(directory)
        if found is None:
            found = self._listed[directory] = config_files(directory)
        return found

    def parse_file(self, path: str) -> Body:
        key = self.realpath(path)
        if key not in self._files:
            try:
                text = self.read_text(path)
                check_nesting(text, self.limits[1])
                if path.endswith(".json"):
                    self._files[key] = parse_tf_json(text)
                else:
                    self._files[key] = parse_hcl(text, shared_parses.recall(path, real=key))
            except HclSyntaxError as error:
                self._files[key] = error
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
        """A folder's configuration; a folder outside the boundary is one problem and nothing else."""
        config = ModuleConfig(directory=directory)
        if self.boundary is not None and not self.inside(directory):
            config.problems.append((directory, self.boundary.refusal("module folder resolves")))
            return config
        for path in self.config_files(directory):
            config.files.append(path)
            try:
                body = self.parse_file(path)
            except HclSyntaxError as error:
                config.problems.append((path, problem_text(error)))
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
        constraint = body.attributes.get("type")
        config.variables[labels[0]] = Variable(labels[0], default, block.line, sensitive, constraint)
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
    elif kind == "provider" and labels:
        alias = literal_string(body.attributes.get("alias"))
        config.providers[f"{labels[0]}.{alias}" if alias else labels[0]] = body
    elif kind == "terraform":
        for inner in body.blocks:
            if inner.type == "required_providers":
                config.required_providers.update(inner.body.attributes)
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


def installed_modules(root: str, loader: Loader) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``.terraform/modules/modules.json``: module key (``a.b``) -> installed directory, if present.

    Also the problem, when the file is there but cannot be read or has not the shape ``terraform
    init`` writes (a list of ``Modules``); its modules are then not on disk as far as a scan knows.
    A folder it names outside the boundary is refused when the module is read, like a local source.
    """
    path = os.path.join(root, ".terraform", "modules", "modules.json")
    if not os.path.lexists(path):
        return {}, []
    try:
        document = json.loads(loader.read_text(path))
    except HclSyntaxError as error:
        return {}, [(path, problem_text(error))]
    except ValueError:
        return {}, [(path, "not valid JSON: the modules terraform init installed are not read")]
    entries = document.get("Modules") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return {}, [(path, "not the shape terraform init writes (no list of Modules): not read")]
    found: dict[str, str] = {}
    for entry in entries:
        key, folder = (entry.get("Key"), entry.get("Dir")) if isinstance(entry, dict) else (None, None)
        if isinstance(key, str) and key and isinstance(folder, str) and "\0" not in folder:
            directory = os.path.normpath(os.path.join(root, folder))
            if os.path.isdir(directory):
                found[key] = directory
    return found, []
