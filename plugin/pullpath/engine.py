"""One engine behind every front door: read, build the model, run the rules, summarise."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from pullpath.build import build_model
from pullpath.errors import InputError
from pullpath.model import Finding, Model, Resource, Verdict
from pullpath.readers.enrich import enrich
from pullpath.readers.hcl import Loader, find_roots
from pullpath.readers.hcl.tree import SourceRead, check_directory, check_var_files, read_sources
from pullpath.readers.plan import DEFAULT_MAX_BYTES, Progress, read_plan
from pullpath.rules import evaluate


@dataclass(frozen=True)
class Report:
    """What every renderer draws from: the findings and where they came from."""

    source: str
    findings: tuple[Finding, ...]
    workloads: int
    registries: int
    extra: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # problems that did not stop the analysis (a file that does not parse)

    def counts(self) -> dict[str, int]:
        counted = Counter(finding.verdict.name for finding in self.findings)
        return {verdict.name: counted.get(verdict.name, 0) for verdict in sorted(Verdict, reverse=True)}

    def worst(self) -> Verdict | None:
        return max((finding.verdict for finding in self.findings), default=None)


def analyse_model(model: Model) -> Report:
    return Report(
        source=model.source,
        findings=tuple(evaluate(model)),
        workloads=len(model.workloads),
        registries=len([r for r in model.registries if r.defined]),
    )


def analyse_resources(resources: Sequence[Resource], source: str) -> Report:
    return analyse_model(build_model(resources, source))


def analyse_plan(path: str, max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None) -> Report:
    """Judge every pull path of a ``terraform show -json`` plan file."""
    return analyse_resources(read_plan(path, max_bytes, progress), path)


def analyse_directory(
    path: str,
    var_files: Sequence[str] = (),
    variables: Mapping[str, str] | None = None,
    base: str | None = None,
    loader: Loader | None = None,
) -> Report:
    """Judge one root module's ``.tf`` sources: no plan, no state, no credentials needed.

    Findings carry the file and line of each workload, relative to ``base`` (default ``path``).
    A caller scanning many roots passes one ``loader`` so a shared module is parsed once. This is
    the entry point the checkov checks call, once per root.
    """
    check_directory(path)
    check_var_files(var_files)
    return _sources_report(read_sources(path, base, var_files, variables, loader), path)


def analyse_tree(
    path: str, var_files: Sequence[str] = (), variables: Mapping[str, str] | None = None
) -> Report:
    """Judge every root module under ``path`` (a monorepo, as ``checkov -d`` sees it) in one report.

    Roots are found by :func:`find_roots`; each is judged on its own model, so a registry of one
    root never answers for another root's workload. Findings come root by root, files relative to
    ``path``; a root none of whose files parses is a warning unless no root parses at all.
    """
    check_directory(path)
    check_var_files(var_files)
    loader = Loader()
    reports: list[Report] = []
    skipped: list[str] = []
    for root in find_roots(path, loader):
        try:
            reports.append(_sources_report(read_sources(root, path, var_files, variables, loader), path))
        except InputError as error:
            skipped.append(str(error))
    if not reports:
        raise InputError(f"{path}: no configuration file could be parsed")
    warnings = tuple(skipped) + tuple(warning for report in reports for warning in report.warnings)
    if len(reports) == 1:
        return replace(reports[0], warnings=warnings)
    return Report(
        source=path,
        findings=tuple(finding for report in reports for finding in report.findings),
        workloads=sum(report.workloads for report in reports),
        registries=sum(report.registries for report in reports),
        warnings=warnings,
    )


def analyse_plan_with_sources(path: str, source_dir: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Judge a plan, resolving from its ``.tf`` sources what a plan cannot carry (locals, module internals).

    Only attributes the plan leaves unknown gain the references the sources trace, so no verdict
    contradicts a value the plan knows; findings gain the source file and line, and the lock file
    in ``source_dir`` gives the azurerm version.
    """
    check_directory(source_dir)
    resources = read_plan(path, max_bytes)
    sources = read_sources(source_dir)
    model = replace(
        build_model(enrich(resources, sources.resources), path), azurerm_version=sources.azurerm_version
    )
    return replace(analyse_model(model), warnings=sources.warnings)


def _sources_report(read: SourceRead, source: str) -> Report:
    model = replace(build_model(read.resources, source), azurerm_version=read.azurerm_version)
    return replace(analyse_model(model), warnings=read.warnings)
