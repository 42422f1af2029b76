"""Pull paths as a person counts them: the findings of one workload, image and registry, together.

Several rules judge one pull path (PP102 and PP103 both look at an identity pull into a VNet), so a
report a person reads shows each path once, with its worst verdict and the rules behind it, and
counts pull paths and findings apart. The machine formats (JSON, SARIF, JUnit) keep one entry per
finding; their summaries count both.
"""

from __future__ import annotations

from collections import Counter

import msgspec

from pullpath.engine import WAIVED, Report
from pullpath.model import Finding, Image, Workload, WorkloadKind

#: What a finding about a resource, not a pull, names as its workload.
RESOURCE_SUBJECTS = (WorkloadKind.REGISTRY, WorkloadKind.ML_WORKSPACE, WorkloadKind.RESOURCE)
#: Worst first. An UNKNOWN still wants an answer, so it ranks above a finding set aside by a waiver.
SHOWN_ORDER = ("FAIL", "WARN", "UNKNOWN", WAIVED, "PASS")


class PullPath(msgspec.Struct, frozen=True):
    """One workload pulling one image from one registry, and every finding on it, in report order.

    A finding about a resource rather than a pull (a registry's SKU, PP901; an ML workspace's image
    builds, PP903; an attribute the provider lacks, PP902) has that resource as its workload and no
    image: it is a row of its own, counted apart from pull paths.
    """

    findings: tuple[Finding, ...]

    @property
    def workload(self) -> Workload:
        return self.findings[0].workload

    @property
    def image(self) -> Image | None:
        return self.findings[0].image

    @property
    def registry(self) -> str | None:
        return self.findings[0].registry

    @property
    def of_registry(self) -> bool:
        """About a resource (a registry, mostly), not a pull: counted apart from pull paths."""
        return self.workload.kind in RESOURCE_SUBJECTS

    def worst(self, report: Report) -> str:
        return min((report.shown(finding) for finding in self.findings), key=SHOWN_ORDER.index)

    def rules(self, report: Report) -> list[str]:
        """The rules whose verdict is the path's worst: the ones that decided what the row says."""
        worst = self.worst(report)
        return sorted({finding.rule for finding in self.findings if report.shown(finding) == worst})


def pull_paths(report: Report, findings: tuple[Finding, ...] | None = None) -> list[PullPath]:
    """The pull paths of ``findings`` (default: all of the report's), worst first, then in report order.

    A path is keyed by the workload's address and source location (a scan of several roots can
    hold one address in each), the image's attribute and the registry.
    """
    grouped: dict[tuple[object, ...], list[Finding]] = {}
    for finding in report.findings if findings is None else findings:
        image = finding.image.attribute if finding.image else None
        key = (finding.workload.address, finding.workload.location, image, finding.registry)
        grouped.setdefault(key, []).append(finding)
    paths = [PullPath(tuple(group)) for group in grouped.values()]
    return sorted(paths, key=lambda path: SHOWN_ORDER.index(path.worst(report)))  # stable: report order kept


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def path_counts(report: Report, paths: list[PullPath]) -> dict[str, int]:
    """How many of ``paths`` have each worst verdict; WAIVED only when some path shows it."""
    counted = Counter(path.worst(report) for path in paths)
    return {name: counted[name] for name in SHOWN_ORDER if counted[name] or name != WAIVED}


def counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in counts.items())


def tally(report: Report, paths: list[PullPath] | None = None, counts: bool = True) -> list[str]:
    """``2 pull paths in 1 workload: 1 FAIL, 0 WARN, 0 UNKNOWN, 1 PASS; 3 findings under 3 rules``.

    Registry rows are counted on their own (``1 registry: 1 FAIL``), and the files skipped whole,
    whose workloads are UNKNOWN without a finding to show them, are named. Returned in parts, for
    each format to join; without ``counts``, the verdicts are left for the caller to show.
    """
    paths = pull_paths(report) if paths is None else paths
    workload_paths = [path for path in paths if not path.of_registry]
    registry_rows = [path for path in paths if path.of_registry]
    parts = []
    if workload_paths or not registry_rows:
        where = f"{plural(len(workload_paths), 'pull path')} in {plural(report.workloads, 'workload')}"
        parts.append(f"{where}: {counts_text(path_counts(report, workload_paths))}" if counts else where)
    if registry_rows:
        registries = (
            plural(len(registry_rows), "registry", "registries")
            if all(path.workload.kind is WorkloadKind.REGISTRY for path in registry_rows)
            else plural(len(registry_rows), "resource finding")
        )
        shown = {name: n for name, n in path_counts(report, registry_rows).items() if n}
        parts.append(f"{registries}: {counts_text(shown)}" if counts else registries)
    rules = {finding.rule for finding in report.findings}
    parts.append(f"{plural(len(report.findings), 'finding')} under {plural(len(rules), 'rule')}")
    if report.unread:
        named = ", ".join(report.unread_shown()[:3]) + (", ..." if len(report.unread) > 3 else "")
        parts.append(f"not judged, so UNKNOWN: what {len(report.unread)} skipped file(s) declare ({named})")
    return parts


def gate(report: Report, paths: list[PullPath] | None = None) -> tuple[bool, str]:
    """Whether the gate fails, and what to say about it at a glance:
    ``1 of 4 pull paths fails the gate (at or above FAIL)``."""
    paths = pull_paths(report) if paths is None else paths
    level = f"the gate (at or above {report.fail_on.name})"
    failing = set(report.failing())
    failing_paths = [path for path in paths if failing.intersection(path.findings)]
    if failing_paths:
        rows = sum(not path.of_registry for path in failing_paths)
        registries = len(failing_paths) - rows
        total = sum(not path.of_registry for path in paths)
        subjects = [f"{rows} of {plural(total, 'pull path')}"] if rows else []
        subjects += [plural(registries, "registry", "registries")] if registries else []
        verb = "fails" if rows + registries == 1 else "fail"
        return True, f"{' and '.join(subjects)} {verb} {level}"
    if report.fails_gate():  # only files skipped whole, at --fail-on unknown
        return True, f"{len(report.unread)} skipped file(s), not judged, so UNKNOWN, fail {level}"
    if not report.findings:
        return False, "no pull path from an Azure Container Registry in this input"
    below = {name: n for name, n in path_counts(report, paths).items() if n and name != "PASS"}
    also = f"; not failing: {counts_text(below)}" if below else ""
    return False, f"nothing fails {level}{also}"
