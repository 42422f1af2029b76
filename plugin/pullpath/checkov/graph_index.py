"""Where an HCL resource that checkov hands a check comes from: its file and its root module.

checkov's HCL ``conf`` carries the resource's address and lines but not its file, and checkov names
the file relative to the folder given to ``-d``, which a check never sees. checkov's graph has every
block's absolute file and, for a module's blocks, the chain of module calls that instantiated it.
Indexing the graph once gives each resource its root module folder (the folder of the outermost
calling file): the folder ``pullpath scan`` judges as one root. The plan runner's graph is indexed
the same way when checkov loaded a plan without line tracking and ``conf`` lacks its file.

Only vertex attributes are read, never edges: networkx collapses parallel edges, and rustworkx and
networkx store vertices differently (both handled in :func:`_vertices`).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Mapping
from typing import Any

import msgspec

from pullpath.readers.hcl import Loader
from pullpath.rules import ALL_RULES

#: The only types a pullpath check is registered for (each rule's ``checkov_types``).
_JUDGED_TYPES = frozenset(kind for rule in ALL_RULES.values() for kind in rule.checkov_types)
_TOKENS = itertools.count()
_MAX_MODULE_DEPTH = 64
_AUTO_VAR_FILES = frozenset({"terraform.tfvars", "terraform.tfvars.json"})


class Placement(msgspec.Struct, frozen=True):
    """One resource block of checkov's graph: absolute file, lines, and its root module folder."""

    file: str
    start: int | None
    end: int | None
    root: str


class GraphIndex:
    """Resource placements of one checkov graph by address, built in one pass over its vertices.

    It keeps the graph alive so that the graph's ``id`` (the cache key) cannot be reused while
    the index is cached, and one :class:`Loader` so a module shared by many roots is parsed once.
    """

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self.token = next(_TOKENS)
        self.loader = Loader()
        self.by_tail: dict[tuple[str, str], list[Placement]] = {}  # (address, any tail of its file)
        self._located: dict[tuple[str, str, Any, Any], Placement | None] = {}
        self._var_files: dict[str, dict[str, None]] = {}
        tails: dict[str, list[str]] = {}  # every file's tails, made once per file
        for data in _vertices(graph):
            if data.get("block_type_") == "variable":
                self._note_var_files(data)
            if data.get("block_type_") != "resource" or data.get("resource_type") not in _JUDGED_TYPES:
                continue
            address, file = data.get("__address__"), data.get("file_path_")
            if isinstance(address, str) and isinstance(file, str):
                placement = Placement(
                    file=os.path.normpath(file),
                    start=data.get("__start_line__"),
                    end=data.get("__end_line__"),
                    root=_root_folder(file, data.get("source_module_object_")),
                )
                if placement.file not in tails:
                    parts = placement.file.split(os.sep)
                    tails[placement.file] = [os.sep.join(parts[start:]) for start in range(1, len(parts))]
                for tail in tails[placement.file]:
                    self.by_tail.setdefault((address, tail), []).append(placement)

    def var_files(self, root: str) -> tuple[str, ...]:
        """The ``--var-file`` files checkov applied to ``root``, in the order the graph shows them."""
        return tuple(self._var_files.get(root, ()))

    def _note_var_files(self, data: Mapping[str, Any]) -> None:
        """A root variable's value that came from a tfvars file Terraform would not load by itself.

        checkov records where a rendered value came from in ``rendering_breadcrumbs_``; files the
        root loads on its own (terraform.tfvars, *.auto.tfvars) are left to pullpath's reader, which
        applies them in Terraform's order.
        """
        file, crumbs = data.get("file_path_"), data.get("rendering_breadcrumbs_")
        if data.get("source_module_object_") is not None or not isinstance(file, str):
            return
        if not isinstance(crumbs, Mapping):
            return
        root = os.path.dirname(os.path.normpath(file))
        for trail in crumbs.values():
            for crumb in trail if isinstance(trail, list) else ():
                path = crumb.get("path") if isinstance(crumb, Mapping) else None
                if crumb.get("type") == "tfvar" and isinstance(path, str) and not _auto_loaded(path, root):
                    self._var_files.setdefault(root, {})[os.path.normpath(path)] = None

    def locate(self, address: str, scanned_file: str, start: Any, end: Any) -> Placement | None:
        """The block checkov scanned as ``scanned_file`` (relative to its ``-d`` folder) at these lines.

        Several roots may hold the same address (``azurerm_container_group.app`` in every example
        folder); the file tail and the lines tell them apart (lines are None for a plan loaded
        without line tracking: the plan's file alone does). Should two files still qualify, one path
        ending the other, the shorter is the one directly under the scanned folder.
        """
        key = (address, scanned_file, start, end)
        if key not in self._located:  # every check asks about the same resource: answer once
            self._located[key] = self._locate(address, scanned_file, start, end)
        return self._located[key]

    def _locate(self, address: str, scanned_file: str, start: Any, end: Any) -> Placement | None:
        """By address and file tail at once: the same address is in every root of a tree of look-alike
        roots, and filtering them all for each resource grew with the square of the roots."""
        found = [
            placement
            for placement in self.by_tail.get((address, _tail(scanned_file)), ())
            if start is None or (placement.start, placement.end) == (start, end)
        ]
        return min(found, key=lambda placement: len(placement.file)) if found else None


def _vertices(graph: Any) -> Iterator[Mapping[str, Any]]:
    """Vertex attribute maps of a rustworkx ``PyDiGraph`` or a networkx ``DiGraph``."""
    items = graph.nodes() if hasattr(graph, "node_indices") else graph.nodes(data=True)
    for item in items:
        data = item[1] if isinstance(item, tuple) else item
        if isinstance(data, Mapping):
            yield data


def _root_folder(file: str, module: Any) -> str:
    """The folder of the outermost file in the chain of module calls (the file itself for a root block)."""
    outermost = file
    for _ in range(_MAX_MODULE_DEPTH):
        if module is None:
            break
        caller = getattr(module, "path", None)
        if isinstance(caller, str):
            outermost = caller
        module = getattr(module, "nested_tf_module", None)
    return os.path.dirname(os.path.normpath(outermost))


def _auto_loaded(path: str, root: str) -> bool:
    name = os.path.basename(path)
    own = os.path.dirname(os.path.normpath(path)) == root
    return own and (name in _AUTO_VAR_FILES or name.endswith((".auto.tfvars", ".auto.tfvars.json")))


def _tail(scanned_file: str) -> str:
    """checkov's ``/sub/main.tf`` or ``/../modules/x/main.tf`` -> ``sub/main.tf``, ``modules/x/main.tf``."""
    parts = [part for part in scanned_file.replace("\\", "/").split("/") if part not in ("", ".")]
    while parts and parts[0] == "..":
        parts.pop(0)
    return os.sep.join(parts)
