"""pullpath's verdicts on a whole input, computed once and shared by every check and resource.

checkov calls each check once per resource; judging the plan or the root each time would cost
O(resources²). A :class:`Judgement` is built once per input (a plan file by path, size and mtime;
a Terraform root by folder and checkov graph) and cached for the life of the checkov process. The
caches are safe when checkov runs its runners in threads (``CHECKOV_PARALLELIZATION_TYPE=thread``):
each input is judged by one thread while the others wait for that result.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

import msgspec

from pullpath.addresses import config_address, split_address, strip_key
from pullpath.checkov.graph_index import GraphIndex, Placement
from pullpath.checkov.verdicts import Shown, internal_error, shown
from pullpath.collector import paused
from pullpath.engine import Report, analyse_directory, analyse_plan
from pullpath.errors import InputError
from pullpath.sensitive import redacted

_T = TypeVar("_T")


class Judgement(msgspec.Struct, frozen=True):
    """Findings of one input by (workload address, rule), or why the input could not be judged.

    ``by_config`` holds the same findings by configuration address (instance keys removed), for a
    resource or module checkov shows once, unexpanded, where Terraform (and pullpath) expand it by
    ``count``/``for_each``: ``module.app.azurerm_container_group.this`` then stands for
    ``module.app["a"].azurerm_container_group.this`` and ``module.app["b"]...``.
    """

    findings: Mapping[tuple[str, str], tuple[Shown, ...]] = {}
    by_config: Mapping[tuple[str, str], tuple[Shown, ...]] = {}
    error: str | None = None
    unread: frozenset[str] = frozenset()  # files pullpath skipped whole: their resources have no verdict

    def lookup(self, address: str, rule_id: str) -> tuple[Shown, ...]:
        exact = self.findings.get((address, rule_id))
        if exact:
            return exact
        asked = split_address(address)
        return tuple(
            finding
            for finding in self.by_config.get((config_address(address), rule_id), ())
            if _stands_for(asked, split_address(finding.workload))
        )


def _stands_for(asked: tuple[str, ...], instance: tuple[str, ...]) -> bool:
    """Whether checkov's address is the instance's with some instance keys left out."""
    return len(asked) == len(instance) and all(
        mine == theirs or mine == strip_key(theirs) for mine, theirs in zip(asked, instance, strict=True)
    )


def from_report(report: Report) -> Judgement:
    """The rows of a report, as every format shows it: sensitive values hidden (pullpath.sensitive)."""
    exact: dict[tuple[str, str], list[Shown]] = {}
    by_config: dict[tuple[str, str], list[Shown]] = {}
    for finding in redacted(report).findings:
        address, row = finding.workload.address, shown(finding)
        exact.setdefault((address, finding.rule), []).append(row)
        by_config.setdefault((config_address(address), finding.rule), []).append(row)
    return Judgement(
        {key: tuple(found) for key, found in exact.items()},
        {key: tuple(found) for key, found in by_config.items()},
        unread=frozenset(report.unread),
    )


def judged(analyse: Callable[[], Report]) -> Judgement:
    """Run one analysis; an unreadable input or a crash becomes a judgement that says so.

    The cyclic garbage collector is paused meanwhile: inside checkov every collection walks
    checkov's whole graph, which tripled the cost of judging a root. Nothing is lost by waiting:
    what an analysis drops is freed by reference counting, except the evaluator's own cycles (a
    scan and its module instances), which are young and go at the next young collection.
    """
    with paused():
        try:
            return from_report(analyse())
        except InputError as error:
            return Judgement(error=f"pullpath could not read this input: {error}")
        except Exception as error:  # every resource of the input must show it, not lose its rows
            return Judgement(error=internal_error(error))


class _Slot(Generic[_T]):
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value: _T | None = None


class Memo(Generic[_T]):
    """A small LRU map whose values are computed once per key, even under concurrent callers."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._slots: OrderedDict[Hashable, _Slot[_T]] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = _Slot()
                while len(self._slots) > self._size:
                    self._slots.popitem(last=False)
            else:
                self._slots.move_to_end(key)
        with slot.lock:
            if slot.value is None:
                slot.value = compute()
            return slot.value

    def values(self) -> list[_T]:
        """The values computed so far, most recently used first."""
        with self._lock:
            slots = list(reversed(self._slots.values()))
        return [slot.value for slot in slots if slot.value is not None]


_PLANS: Memo[Judgement] = Memo(size=8)
_GRAPHS: Memo[GraphIndex] = Memo(size=4)
_ROOTS: Memo[Judgement] = Memo(size=1024)


def plan_judgement(path: str) -> Judgement:
    """The verdicts of ``pullpath plan`` on one plan file, judged once per file content."""
    try:
        status = os.stat(path)
    except OSError as error:
        return Judgement(error=f"pullpath could not read this input: {path}: {error.strerror or error}")
    key = (os.path.realpath(path), status.st_mtime_ns, status.st_size)
    return _PLANS.get(key, lambda: judged(lambda: analyse_plan(path)))


def source_judgement(graph: Any, address: str, scanned_file: str, start: Any, end: Any) -> Judgement:
    """The verdicts of ``pullpath scan`` on the root module the resource belongs to."""
    placement, index = _locate(graph, address, scanned_file, start, end)
    root = placement.root  # one graph names each root folder one way: no realpath per resource

    def analyse() -> Report:
        try:
            return analyse_directory(root, index.var_files(root), loader=index.loader, workspace=workspace())
        finally:
            index.loader.forget(root)  # judged once: only the modules it calls may serve other roots

    judgement = _ROOTS.get((root, index.token), lambda: judged(analyse))
    if placement.file in judgement.unread:  # no verdict, and no row would read as a pass
        return Judgement(
            error=f"pullpath could not judge this resource: it skipped {os.path.basename(placement.file)} "
            f"whole (pullpath scan {root} says why)"
        )
    return judgement


def workspace() -> str | None:
    """``terraform.workspace`` for sources judged inside checkov, which has no option for it: the
    ``TF_WORKSPACE`` variable, as terraform reads it; None (unknown) when it is unset or empty."""
    return os.environ.get("TF_WORKSPACE") or None


def untracked_plan_judgement(graph: Any, address: str, scanned_file: str) -> Judgement:
    """``pullpath plan`` on a plan checkov loaded without line tracking, which drops ``__file__``.

    With ``CHECKOV_MAX_IAC_FILE_SIZE`` below the plan's size checkov reads it with plain
    ``json.loads``; its graph still names each resource's plan file.
    """
    placement, _ = _locate(graph, address, scanned_file, None, None)
    return plan_judgement(placement.file)


def _locate(
    graph: Any, address: str, scanned_file: str, start: Any, end: Any
) -> tuple[Placement, GraphIndex]:
    """The resource's block in the graph checkov handed the check, or in any graph indexed so far.

    With runners in threads checkov can hand one runner's check the other runner's graph, so a
    resource the given graph does not hold is looked for in the others.
    """
    given = _GRAPHS.get(id(graph), lambda: GraphIndex(graph)) if graph is not None else None
    if given is not None:
        placement = given.locate(address, scanned_file, start, end)
        if placement is not None:
            return placement, given
    for index in _GRAPHS.values():  # only when the given graph does not hold it
        if index is given:
            continue
        placement = index.locate(address, scanned_file, start, end)
        if placement is not None:
            return placement, index
    raise LookupError("the resource is not in checkov's graph")
