"""Sources on disk for the engine: one root or a whole tree, checked, read and told apart.

The engine's ``analyse_directory`` and ``analyse_tree`` and the plan's ``--source-dir`` come
through here, so a missing folder, a folder without ``.tf`` files, or a tree where no file parses
is one :class:`~pullpath.errors.InputError`, and a single bad file is a warning naming it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pullpath.errors import InputError
from pullpath.model import Resource
from pullpath.provider_version import Version, locked_azurerm_version
from pullpath.readers.hcl.config import Loader
from pullpath.readers.hcl.reader import read_root
from pullpath.readers.hcl.roots import has_config


@dataclass(frozen=True)
class SourceRead:
    """One root's records, the azurerm version its lock file names, and warnings for skipped files."""

    root: str
    resources: tuple[Resource, ...]
    azurerm_version: Version | None
    warnings: tuple[str, ...]
    sensitive: frozenset[str] = frozenset()  # strings never to show (pullpath.sensitive)


def check_directory(path: str) -> None:
    if not os.path.exists(path):
        raise InputError(f"{path}: no such directory")
    if not os.path.isdir(path):
        raise InputError(f"{path}: not a directory (pullpath scan reads a folder of .tf files)")
    if not has_config(path):
        raise InputError(f"{path}: no .tf or .tf.json file in this directory or below it")


def check_var_files(var_files: Iterable[str]) -> None:
    for path in var_files:
        if not os.path.isfile(path):
            raise InputError(f"--var-file {path}: no such file")


def read_sources(
    root: str,
    base: str | None = None,
    var_files: Iterable[str] = (),
    variables: Mapping[str, str] | None = None,
    loader: Loader | None = None,
) -> SourceRead:
    """Read one root module; :class:`InputError` when none of its own files parses."""
    read = read_root(root, base or root, var_files, variables, loader)
    relative_to = base or root
    warnings = tuple(
        f"{_shown(path, relative_to)}: skipped, not valid HCL: {problem}"
        for path, problem in dict.fromkeys(read.problems)
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
    return SourceRead(root, tuple(read.resources), locked_azurerm_version(root), warnings, read.sensitive)


def _shown(path: str, base: str) -> str:
    relative = os.path.relpath(path, base)
    return (path if relative.startswith("..") else relative).replace(os.sep, "/")
