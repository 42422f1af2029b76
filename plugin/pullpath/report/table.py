"""The terminal table: one row per pull path, a summary line, then what to do about each failure."""

from __future__ import annotations

import click
from tabulate import tabulate

from pullpath.engine import Report
from pullpath.model import Verdict
from pullpath.rules import ALL_RULES

_COLOURS = {Verdict.FAIL: "red", Verdict.WARN: "yellow", Verdict.UNKNOWN: "cyan", Verdict.PASS: "green"}


def _verdict(verdict: Verdict, colour: bool) -> str:
    if not colour:
        return verdict.name
    return click.style(verdict.name, fg=_COLOURS[verdict], bold=verdict is Verdict.FAIL)


def render(report: Report, colour: bool = False) -> str:
    lines: list[str] = []
    if report.findings:
        rows = [
            [
                _verdict(f.verdict, colour),
                f.rule,
                f.workload.address,
                f.image.text if f.image else "-",
                f.registry or "-",
                f.reason,
            ]
            for f in report.findings
        ]
        lines.append(
            tabulate(
                rows,
                headers=["verdict", "rule", "workload", "image", "registry", "reason"],
                maxcolwidths=[None, None, 44, 36, 36, 60],
                disable_numparse=True,
            )
        )
    else:
        lines.append("No pull path from an Azure Container Registry found in this input.")
    counts = report.counts()
    lines.append("")
    lines.append(
        f"{len(report.findings)} pull path(s) in {report.workloads} workload(s): "
        + ", ".join(f"{counts[v.name]} {v.name}" for v in sorted(Verdict, reverse=True))
    )
    fixes: dict[str, list[str]] = {}
    for finding in report.findings:
        if finding.verdict is not Verdict.PASS and finding.remediation:
            fixes.setdefault(finding.rule, []).append(finding.workload.address)
    if fixes:
        lines.append("")
        lines.append("Remediation:")
        for rule_id, workloads in sorted(fixes.items()):
            rule = ALL_RULES[rule_id]
            lines.append(f"  {rule_id} {rule.title}")
            lines.append(f"    affects: {', '.join(sorted(set(workloads)))}")
            lines.append(f"    fix: {rule.remediation}")
            lines.append(f"    docs: {rule.help_uri}")
    return "\n".join(lines) + "\n"
