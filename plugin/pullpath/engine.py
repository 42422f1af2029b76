"""One engine behind every front door: read, build the model, run the rules, summarise."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

import msgspec
from msgspec.structs import replace

from pullpath.builders import build_model
from pullpath.collector import paused
from pullpath.errors import InputError
from pullpath.model import Finding, Model, Resource, Verdict
from pullpath.readers.plan import Progress, read_plan
from pullpath.resolve import shown_userinfo
from pullpath.rules import evaluate

if TYPE_CHECKING:  # the .tf reader, inventories and waivers are imported by the functions that use them
    from pullpath.inventory import Inventory
    from pullpath.readers.hcl import Loader
    from pullpath.readers.hcl.tree import SourceRead
    from pullpath.role_assignments import RoleAssignments
    from pullpath.waivers import Notice, Waiver

WAIVED = "WAIVED"  # how every format shows a waived finding; not a Verdict, so the gate ignores it


class Report(msgspec.Struct, frozen=True):
    """What every renderer draws from: the findings and where they came from."""

    source: str
    findings: tuple[Finding, ...]
    workloads: int
    registries: int
    sources_dir: str | None = None  # the folder the .tf paths of findings are relative to
    warnings: tuple[str, ...] = ()  # problems that did not stop the analysis (a file that does not parse)
    models: tuple[Model, ...] = ()  # what the findings were judged on, one per root module
    waived: Mapping[Finding, Waiver] = {}
    notices: tuple[Notice, ...] = ()  # waivers that expired or match nothing: every format shows them
    fail_on: Verdict = Verdict.FAIL  # the lowest verdict that fails the gate
    sensitive: frozenset[str] = frozenset()  # strings never shown (pullpath.sensitive.redacted)
    userinfo: frozenset[str] = frozenset()  # credentials inside image references, never shown either
    inputs: tuple[str, ...] = ()  # every file read (plan, .tf, tfvars): no report may be written over one
    unread: tuple[str, ...] = ()  # .tf files skipped whole (under sources_dir): nothing in them is judged

    def shown(self, finding: Finding) -> str:
        """The verdict a report prints: WAIVED for a waived finding, else the rule's verdict."""
        return WAIVED if self.waived and finding in self.waived else finding.verdict.name

    def reason(self, finding: Finding) -> str:
        """The finding's reason; for a waived finding the waiver's note comes first."""
        waiver = self.waived.get(finding) if self.waived else None
        if waiver is None:
            return finding.reason
        return f"{waiver.note} (was {finding.verdict.name}: {finding.reason})"

    def counts(self) -> dict[str, int]:
        counted = Counter(self.shown(finding) for finding in self.findings)
        names = [verdict.name for verdict in sorted(Verdict, reverse=True)] + [WAIVED]
        return {name: counted.get(name, 0) for name in names}

    def unread_shown(self) -> list[str]:
        """The files skipped whole, relative to the scanned folder as warnings name them."""
        base = self.sources_dir or "."
        return [os.path.relpath(path, base).replace(os.sep, "/") for path in self.unread]

    def fails_gate(self) -> bool:
        """Whether the gate fails: a finding at or above ``fail_on``, or, at ``--fail-on unknown``,
        a file skipped whole: what it declares cannot be judged, so its workloads are UNKNOWN (and
        a FAIL may hide there), though no finding can name them.
        """
        return bool(self.failing()) or bool(self.unread and self.fail_on <= Verdict.UNKNOWN)

    def failing(self) -> tuple[Finding, ...]:
        """Findings that fail the gate: at or above ``fail_on`` and not waived."""
        waived = self.waived
        return tuple(f for f in self.findings if f.verdict >= self.fail_on and not (waived and f in waived))


def analyse_model(model: Model) -> Report:
    return Report(
        source=model.source,
        findings=tuple(evaluate(model)),
        workloads=len(model.workloads),
        registries=len([r for r in model.registries if r.defined]),
        models=(model,),
        sensitive=model.sensitive | model.network.hidden(model.sensitive),
        userinfo=shown_userinfo(model),
        warnings=model.warnings,
    )


def analyse_resources(resources: Sequence[Resource], source: str) -> Report:
    return analyse_model(build_model(resources, source))


def analyse_plan(path: str, max_bytes: int | None = None, progress: Progress | None = None) -> Report:
    """Judge every pull path of a ``terraform show -json`` plan file (the collector paused, see
    :mod:`pullpath.collector`)."""
    with paused():
        return replace(analyse_resources(read_plan(path, max_bytes, progress), path), inputs=(path,))


def review(
    report: Report,
    fail_on: Verdict = Verdict.FAIL,
    inventory: Inventory | None = None,
    waivers: Sequence[Waiver] = (),
    today: date | None = None,
    role_assignments: RoleAssignments | None = None,
) -> Report:
    """Bring in what the user knows beyond the input, whichever front door made the report.

    An inventory changes registries and a role assignments file adds grants, so the rules run again
    on each informed model (a scan judges every root module on its own); waivers then set findings
    aside without changing their verdicts; ``fail_on`` says which verdicts fail the gate.
    """
    if (inventory is not None or role_assignments is not None) and report.models:
        informed = [analyse_model(_informed(model, inventory, role_assignments)) for model in report.models]
        report = replace(
            report,
            findings=tuple(finding for again in informed for finding in again.findings),
            registries=sum(again.registries for again in informed),
            models=tuple(model for again in informed for model in again.models),
        )
    if not waivers:
        return replace(report, waived={}, notices=(), fail_on=fail_on)
    from pullpath.waivers import apply_waivers

    outcome = apply_waivers(report.findings, waivers, today or date.today())
    return replace(report, waived=outcome.waived, notices=outcome.notices, fail_on=fail_on)


def _informed(model: Model, inventory: Inventory | None, role_assignments: RoleAssignments | None) -> Model:
    """The model with what the user supplied: registry settings, and grants made outside the input."""
    if inventory is not None:
        from pullpath.inventory import apply_inventory

        model = apply_inventory(model, inventory)
    if role_assignments is not None:
        from pullpath.role_assignments import apply_role_assignments

        model = apply_role_assignments(model, role_assignments)
    return model


def analyse_directory(
    path: str,
    var_files: Sequence[str] = (),
    variables: Mapping[str, str] | None = None,
    base: str | None = None,
    loader: Loader | None = None,
    boundary: str | None = None,
    workspace: str | None = None,
) -> Report:
    """Judge one root module's ``.tf`` sources: no plan, no state, no credentials needed.

    Findings carry the file and line of each workload, relative to ``base`` (default ``path``).
    A caller scanning many roots passes one ``loader`` so a shared module is parsed once. This is
    the entry point the checkov checks call, once per root. Without a ``loader``, nothing outside
    the boundary (see :func:`boundary_of`) of ``base`` (default ``path``) is read. ``workspace``
    is ``terraform.workspace``; without one, what depends on it is UNKNOWN.
    """
    from pullpath.readers.hcl import Loader
    from pullpath.readers.hcl.boundary import boundary_of
    from pullpath.readers.hcl.tree import check_directory, read_sources
    from pullpath.readers.hcl.variables import budget_warnings, given_values

    check_directory(path)
    given = given_values(var_files, variables)
    loader = loader or Loader(boundary=boundary_of(base or path, boundary))
    report = _sources_report(read_sources(path, base, given, loader, workspace), path, base or path)
    warnings = (*budget_warnings(given), *report.warnings)
    return replace(report, inputs=(*loader.read, *var_files), warnings=warnings)


def analyse_tree(
    path: str,
    var_files: Sequence[str] = (),
    variables: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    boundary: str | None = None,
    workspace: str | None = None,
) -> Report:
    """Judge every root module under ``path`` (a monorepo, as ``checkov -d`` sees it) in one report.

    Roots are found by :func:`find_roots`; each is judged on its own model, so a registry of one
    root never answers for another root's workload. Findings come root by root, files relative to
    ``path``; a root none of whose files parses is a warning unless no root parses at all.
    Nothing that resolves outside the boundary (:func:`boundary_of`: ``boundary``, else the
    repository holding ``path``, else ``path``) is read; the ``--var-file`` files excepted: the
    user names them.
    """
    from pullpath.readers.hcl import Loader, find_roots
    from pullpath.readers.hcl.boundary import boundary_of
    from pullpath.readers.hcl.tree import check_directory, read_sources
    from pullpath.readers.hcl.variables import budget_warnings, given_values

    check_directory(path)
    given = given_values(var_files, variables)
    loader = Loader(boundary=boundary_of(path, boundary))
    reports: list[Report] = []
    skipped: list[str] = []
    skipped_roots: list[str] = []  # roots none of whose files could be read: their workloads are UNKNOWN
    report = progress or (lambda fraction: None)
    roots = find_roots(path, loader, lambda fraction: report(fraction / 2))  # parsing: half the work
    for position, root in enumerate(roots):
        report(0.5 + position / len(roots) / 2)
        try:
            reports.append(_sources_report(read_sources(root, path, given, loader, workspace), path, path))
        except InputError as error:
            skipped.append(str(error))
            skipped_roots.append(os.path.normpath(root))
    if len(skipped) == 1 and not reports:
        raise InputError(skipped[0])
    if not reports:
        first = f"; first: {skipped[0]}" if skipped else ""
        raise InputError(f"{path}: no configuration file could be parsed in any root{first}")
    warnings = (*budget_warnings(given), *skipped)
    warnings += tuple(warning for report in reports for warning in report.warnings)
    warnings += _undeclared(variables or {}, roots, loader)
    inputs = (*loader.read, *var_files)
    unread = tuple(file for report in reports for file in report.unread) + tuple(skipped_roots)
    if len(reports) == 1:
        return replace(reports[0], warnings=warnings, inputs=inputs, unread=unread)
    return Report(
        source=path,
        findings=tuple(finding for report in reports for finding in report.findings),
        workloads=sum(report.workloads for report in reports),
        registries=sum(report.registries for report in reports),
        warnings=warnings,
        models=tuple(model for report in reports for model in report.models),
        sources_dir=path,
        inputs=inputs,
        unread=unread,
        sensitive=frozenset().union(*(report.sensitive for report in reports)),
        userinfo=frozenset().union(*(report.userinfo for report in reports)),
    )


def _undeclared(variables: Mapping[str, str], roots: Sequence[str], loader: Loader) -> tuple[str, ...]:
    """A ``--var`` that no root module declares sets nothing: a typo would pass unnoticed.

    Terraform refuses it for its one root; a scan of many roots warns only when none declares it.
    """
    declared = {name for root in roots for name in loader.module(root).variables}
    return tuple(
        f"--var {name}: no root module declares a variable {name!r}, so it sets nothing"
        for name in variables
        if name not in declared
    )


def analyse_plan_with_sources(
    path: str,
    source_dir: str,
    max_bytes: int | None = None,
    boundary: str | None = None,
    workspace: str | None = None,
) -> Report:
    """Judge a plan, resolving from its ``.tf`` sources what a plan cannot carry (locals, module internals).

    Only attributes the plan leaves unknown gain the references the sources trace, so no verdict
    contradicts a value the plan knows; findings gain the source file and line, and the lock file
    in ``source_dir`` gives the azurerm version. Nothing outside :func:`boundary_of` ``source_dir``
    is read. ``workspace`` is the sources' ``terraform.workspace`` (the one the plan was made in).
    """
    from pullpath.readers.enrich import enrich
    from pullpath.readers.hcl import Loader
    from pullpath.readers.hcl.boundary import SOURCE_DIR, boundary_of
    from pullpath.readers.hcl.tree import check_directory, read_sources

    check_directory(source_dir)
    resources = read_plan(path, max_bytes)
    loader = Loader(boundary=boundary_of(source_dir, boundary, SOURCE_DIR))
    sources = read_sources(source_dir, loader=loader, workspace=workspace)
    model = build_model(enrich(resources, sources.resources), path)
    model = replace(
        model,
        azurerm_version=sources.azurerm_version,
        azurerm_constraint=sources.azurerm_constraint,
        sensitive=model.sensitive | sources.sensitive,
    )
    report = analyse_model(model)
    warnings = (*sources.warnings, *report.warnings)
    return replace(report, warnings=warnings, sources_dir=source_dir, inputs=(path, *loader.read))


def _sources_report(read: SourceRead, source: str, sources_dir: str) -> Report:
    model = build_model(read.resources, source)
    model = replace(
        model,
        azurerm_version=read.azurerm_version,
        azurerm_constraint=read.azurerm_constraint,
        sensitive=model.sensitive | read.sensitive,
    )
    unread = tuple(os.path.normpath(os.path.join(sources_dir, name)) for name in read.skipped)
    report = analyse_model(model)
    return replace(
        report, warnings=(*read.warnings, *report.warnings), sources_dir=sources_dir, unread=unread
    )
