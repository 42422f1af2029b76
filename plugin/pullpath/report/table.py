"""The terminal table: one row per pull path, a summary line, then what to do about each failure."""

from __future__ import annotations

import click
from tabulate import tabulate

from pullpath.engine import WAIVED, Report
from pullpath.model import Verdict
from pullpath.rules import ALL_RULES

_COLOURS = {"FAIL": "red", "WARN": "yellow", "UNKNOWN": "cyan", "PASS": "green", WAIVED: "magenta"}


def _verdict(shown: str, colour: bool) -> str:
    if not colour:
        return shown
    return click.style(shown, fg=_COLOURS[shown], bold=shown == "FAIL")


def render(report: Report, colour: bool = False) -> str:
    lines: list[str] = []
    if report.findings:
        rows = [
            [
                _verdict(report.shown(f), colour),
                f.rule,
                f.workload.address,
                f.image.text if f.image else "-",
                f.registry or "-",
                report.reason(f),
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
    lines.append("")
    lines.append(f"{report.scope()}: {report.tally()}")
    fixes: dict[str, list[str]] = {}
    for finding in report.findings:
        if finding.verdict is not Verdict.PASS and finding.remediation and finding not in report.waived:
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
    if report.notices:
        lines += ["", "Notices:"] + [f"  {notice.message}" for notice in report.notices]
    return "\n".join(lines) + "\n"
