"""Which folders of a tree are root modules, the way ``checkov -d`` sees a monorepo.

Every folder holding ``.tf`` or ``.tf.json`` files is a root, except folders that another scanned
folder uses as a local module source. Hidden folders (``.terraform``, ``.git``) are not walked.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from pullpath.readers.hcl.config import Loader, config_files

_SKIPPED = frozenset({"node_modules", "__pycache__"})


def _config_folders(path: str, listed: Callable[[str], list[str]] = config_files) -> Iterator[str]:
    """Folders under ``path`` (itself included) with a configuration file, found as the walk goes.

    ``listed`` lists a folder's configuration files; a Loader's keeps the listing for the parse.
    """
    for directory, subdirectories, _ in os.walk(path):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith(".") and d not in _SKIPPED)
        if listed(directory):
            yield os.path.normpath(directory)


def config_directories(path: str, listed: Callable[[str], list[str]] = config_files) -> list[str]:
    """Every folder under ``path`` (itself included) with a configuration file, sorted."""
    return sorted(_config_folders(path, listed))


def has_config(path: str) -> bool:
    """Whether ``path`` or a folder below it holds a configuration file; stops at the first found."""
    return any(_config_folders(path))


def find_roots(
    path: str, loader: Loader | None = None, progress: Callable[[float], None] | None = None
) -> list[str]:
    """The root modules under ``path``: configuration folders no other scanned folder calls as a module.

    Every folder is parsed to learn what it calls; ``progress`` hears the fraction of folders done.
    """
    loader = loader or Loader()
    candidates = config_directories(path, loader.config_files)  # listed once, for the walk and the parse
    real = {loader.realpath(directory): directory for directory in candidates}
    called: set[str] = set()
    for position, directory in enumerate(candidates):
        if progress:
            progress(position / len(candidates))
        own = loader.realpath(directory)
        for source in loader.module(directory).local_sources():
            target = loader.realpath(source)
            if target != own and target in real:
                called.add(target)
    roots = [directory for directory in candidates if loader.realpath(directory) not in called]
    return roots or candidates  # modules that only call each other: scan them all rather than nothing
