"""Sources on disk for the engine: one root or a whole tree, checked, read and told apart.

The engine's ``analyse_directory`` and ``analyse_tree`` and the plan's ``--source-dir`` come
through here, so a missing folder, a folder without ``.tf`` files, or a tree where no file parses
is one :class:`~pullpath.errors.InputError`, and a single bad file is a warning naming it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pullpath.errors import InputError
from pullpath.model import Resource
from pullpath.provider_version import Version, locked_azurerm_version
from pullpath.readers.hcl.boundary import Boundary
from pullpath.readers.hcl.config import Loader
from pullpath.readers.hcl.evaluate import evaluate_constant
from pullpath.readers.hcl.reader import read_root_given
from pullpath.readers.hcl.roots import has_config
from pullpath.readers.hcl.syntax import Expr


@dataclass(frozen=True)
class SourceRead:
    """One root's records, the azurerm version its lock file names, and warnings for skipped files.

    ``skipped`` names (as warnings show them) the files of the root skipped whole: what they
    declare is unknown, so the engine judges the root UNKNOWN rather than pass what it cannot see.
    """

    root: str
    resources: tuple[Resource, ...]
    azurerm_version: Version | None
    warnings: tuple[str, ...]
    skipped: tuple[str, ...] = ()
    sensitive: frozenset[str] = frozenset()  # strings never to show (pullpath.sensitive)
    azurerm_constraint: str | None = None  # the root's required_providers version constraint for azurerm


def check_directory(path: str) -> None:
    if not os.path.exists(path):
        raise InputError(f"{path}: no such directory")
    if not os.path.isdir(path):
        raise InputError(f"{path}: not a directory (pullpath scan reads a folder of .tf files)")
    if not has_config(path):
        raise InputError(f"{path}: no .tf or .tf.json file in this directory or below it")


def read_sources(
    root: str,
    base: str | None = None,
    given: Mapping[str, Any] | None = None,
    loader: Loader | None = None,
    workspace: str | None = None,
) -> SourceRead:
    """Read one root module; :class:`InputError` when none of its own files parses.

    ``given``: the command line's variable values; ``loader``: one for the whole scan, whose
    boundary keeps every read inside the scanned folder (by default ``root`` is the boundary);
    ``workspace``: ``terraform.workspace`` (None: not named, so unknown).
    """
    loader = loader or Loader(boundary=Boundary.of_folder(root))
    read = read_root_given(root, given or {}, base, loader, workspace)
    relative_to = base or root
    skipped = tuple(dict.fromkeys(_shown(path, relative_to) for path, _ in read.problems))
    warnings = tuple(
        f"{_shown(path, relative_to)}: skipped, {problem}" for path, problem in dict.fromkeys(read.problems)
    )
    warnings += tuple(read.not_evaluated)
    warnings += tuple(
        f"{address}: module source not on disk (run terraform init); what it defines is unknown"
        for address in dict.fromkeys(read.unresolved_modules)
    )
    if not read.parsed_any:
        first = f": {warnings[0]}" if warnings else ""
        raise InputError(
            f"{root}: no configuration file could be parsed ({len(read.problems)} rejected){first}"
        )
    version = locked_azurerm_version(root, loader.read_text)
    constraint = azurerm_constraint(loader.module(root).required_providers)
    return SourceRead(root, tuple(read.resources), version, warnings, skipped, read.sensitive, constraint)


def azurerm_constraint(required: Mapping[str, Expr]) -> str | None:
    """The version constraint ``required_providers`` gives hashicorp/azurerm, when it is a literal.

    Either ``azurerm = { source = "hashicorp/azurerm", version = "~> 4.41" }`` (any local name
    whose source is azurerm) or the older ``azurerm = "~> 4.41"``.
    """
    for name, expr in required.items():
        value = evaluate_constant(expr)
        if isinstance(value, str) and name == "azurerm":
            return value
        if not isinstance(value, Mapping):
            continue
        source = value.get("source")
        is_azurerm = (
            source.lower().endswith("hashicorp/azurerm") if isinstance(source, str) else name == "azurerm"
        )
        version = value.get("version")
        if is_azurerm and isinstance(version, str) and version.strip():
            return version
    return None


def _shown(path: str, base: str) -> str:
    relative = os.path.relpath(path, base)
    return (path if relative.startswith("..") else relative).replace(os.sep, "/")
