"""One engine behind every front door: read, build the model, run the rules, summarise."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pullpath.build import build_model
from pullpath.model import Finding, Model, Resource, Verdict
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
