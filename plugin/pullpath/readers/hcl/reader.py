"""Read one root module into :class:`~pullpath.model.Resource` records, as the plan reader does.

Every module instance is walked from the root (local sources, and remote ones ``terraform init``
installed); every relevant resource instance becomes a record with its evaluated values, the
references of each configured attribute, and the file and line that declare it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pullpath.model import NOT_EVALUATED, AttrPath, Resource, SourceLocation
from pullpath.readers.hcl.config import Loader, installed_modules
from pullpath.readers.hcl.evaluate import (
    ATTRIBUTE_MARK,
    WORKSPACE,
    ModuleInstance,
    Scan,
    instance_key,
    join,
    unevaluated,
)
from pullpath.readers.hcl.providers import provider_references
from pullpath.readers.hcl.variables import budget_warnings, given_values, root_values
from pullpath.resource_types import ON_A_CLUSTER, RELEVANT


@dataclass
class RootRead:
    """What reading one root gave: its records and the files that could not be parsed."""

    resources: list[Resource] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, one-line message)
    parsed_any: bool = False
    unresolved_modules: list[str] = field(default_factory=list)  # module calls whose source is not on disk
    # resources kept with UNKNOWN values where evaluation ran into a limit or failed, and why
    not_evaluated: list[str] = field(default_factory=list)
    sensitive: frozenset[str] = frozenset()  # strings of sensitive variables, outputs and sensitive()


def read_root(
    directory: str,
    base: str | None = None,
    var_files: Iterable[str] = (),
    variables: Mapping[str, str] | None = None,
    loader: Loader | None = None,
    workspace: str | None = None,
) -> RootRead:
    """Records for every relevant resource instance of the root at ``directory``.

    ``base`` is the directory file paths in locations are relative to (default: ``directory``);
    ``workspace`` is ``terraform.workspace`` (None: not named, so unknown).
    """
    given = given_values(var_files, variables)
    read = read_root_given(directory, given, base, loader, workspace)
    read.not_evaluated[:0] = budget_warnings(given)
    return read


def read_root_given(
    directory: str,
    given: Mapping[str, Any],
    base: str | None = None,
    loader: Loader | None = None,
    workspace: str | None = None,
) -> RootRead:
    """:func:`read_root` with the command line's variable values already read (once for all roots)."""
    loader = loader or Loader()
    values, problems = root_values(directory, loader, given)
    installed, modules_problems = installed_modules(directory, loader)
    scan = Scan(loader, directory, values, installed, workspace)
    result = RootRead(problems=problems + modules_problems)
    base = base or directory
    own = {name: value for name, value in values.items() if name not in given}  # the caller warns of given
    result.not_evaluated += budget_warnings(own, lambda path: _relative(path, base))
    _walk(scan, scan.root, result, base, set(), {})
    result.parsed_any = scan.root.config.parsed_any
    result.sensitive = frozenset(scan.sensitive)
    return result


def _named_attributes(refs: Mapping[AttrPath, Iterable[str]]) -> dict[AttrPath, tuple[str, ...]]:
    """The marked references that name an attribute (``@<address>.client_id``), without the mark."""
    named: dict[AttrPath, tuple[str, ...]] = {}
    for path, found in refs.items():
        marked = sorted(a[1:] for a in found if a[:1] == ATTRIBUTE_MARK)
        if marked:
            named[path] = tuple(marked)
    return named


def _walk(
    scan: Scan, module: ModuleInstance, result: RootRead, base: str, seen: set[str], shown: dict[str, str]
) -> None:
    """``seen``: module folders whose problems are reported; ``shown``: each file's path as reported."""
    config = module.config
    if config.directory not in seen:
        seen.add(config.directory)
        result.problems.extend(config.problems)
    for local, resource in config.resources.items():
        if resource.type not in RELEVANT:
            continue
        mark = len(scan.limits)
        expansion = module.resource_expansion(local)
        if resource.file not in shown:
            shown[resource.file] = _relative(resource.file, base)
        location = SourceLocation(shown[resource.file], resource.line)
        for key, each in expansion.items:
            address = join(module.prefix, local + instance_key(key))
            env = module.instance_env(expansion, key, each)
            try:
                values, refs = scan.resource_values(resource, address, env)
            except Exception as error:  # kept, all UNKNOWN: a workload left out would read as a pass
                scan.exceeded(error)
                values, refs = unevaluated(resource.body, frozenset({f"{NOT_EVALUATED}{scan.limits[-1]})"}))
            if resource.type in ON_A_CLUSTER:  # the cluster it runs on, as its provider block says
                refs[("provider",)] = provider_references(scan, module, resource)
            if expansion.kind == "unknown" and WORKSPACE in expansion.refs:  # exists in some workspaces
                refs[("for_each" if resource.for_each is not None else "count",)] = expansion.refs
            _report_limits(scan, mark, f"{location.file}:{location.line}: {address}", result)
            result.resources.append(
                Resource(
                    address=address,
                    type=resource.type,
                    mode=resource.mode,
                    values=values,
                    refs={
                        path: tuple(sorted(a for a in found if a[:1] != ATTRIBUTE_MARK))
                        for path, found in refs.items()
                    },
                    location=location,
                    ref_attributes=_named_attributes(refs),
                )
            )
    for name in config.calls:
        mark = len(scan.limits)
        instances = module.module_expansion(name)
        if instances is None:
            continue
        _report_limits(scan, mark, join(module.prefix, f"module.{name}"), result)
        for key, each in instances.items:
            child = module.child(name, key, each, instances)
            if child is None:
                address = join(module.prefix, f"module.{name}{instance_key(key)}")
                reason = module.unread_reason(name)
                if reason is None:
                    result.unresolved_modules.append(address)
                else:
                    result.not_evaluated.append(f"{address}: {reason}")
                continue
            _walk(scan, child, result, base, seen, shown)


def _report_limits(scan: Scan, mark: int, what: str, result: RootRead) -> None:
    """One warning about ``what`` for the limits the evaluation recorded since ``mark``, then forgets them."""
    if len(scan.limits) > mark:
        reasons = "; ".join(dict.fromkeys(scan.limits[mark:]))
        result.not_evaluated.append(
            f"{what}: not evaluated in full ({reasons}); what it could not evaluate is UNKNOWN"
        )
        del scan.limits[mark:]


def _relative(path: str, base: str) -> str:
    relative = os.path.relpath(path, base)
    return (relative if not relative.startswith("..") else path).replace(os.sep, "/")
