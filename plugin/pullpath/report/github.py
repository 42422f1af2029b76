"""GitHub Actions workflow commands: one annotation per finding that needs attention.

``::error file=...,line=...,title=...::message`` puts the finding on the file in the run summary and
the pull request diff. FAIL is an error, WARN a warning, UNKNOWN and WAIVED a notice; PASS gets no
annotation. Waiver notices are warnings on the waivers file. Values are escaped as the Actions
toolkit does, so an address with a comma or a newline cannot end the command early.
"""

from __future__ import annotations

from pullpath.engine import WAIVED, Report
from pullpath.model import SourceLocation, Verdict
from pullpath.report import titles
from pullpath.report.locations import artifact_path, finding_location
from pullpath.report.pull_paths import tally
from pullpath.rules import ALL_RULES

_COMMANDS = {"FAIL": "error", "WARN": "warning", "UNKNOWN": "notice", WAIVED: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, location: SourceLocation | None, title: str, message: str) -> str:
    properties = []
    if location is not None:
        properties.append(f"file={_property(artifact_path(location.file))}")
        if location.line:
            properties.append(f"line={location.line}")
    properties.append(f"title={_property(title)}")
    return f"::{kind} {','.join(properties)}::{_data(message)}"


def render(report: Report) -> str:
    lines = []
    for finding in report.findings:
        if finding.verdict is Verdict.PASS:
            continue
        shown = report.shown(finding)
        rule = ALL_RULES[finding.rule]
        message = f"{titles.title(finding)}\n{report.reason(finding)}"
        if finding.remediation and finding not in report.waived:
            message += f"\nFix: {finding.remediation}"
        message += f"\n{rule.help_uri}"
        headline = f"{shown} {rule.id} {finding.workload.address}"
        lines.append(_command(_COMMANDS[shown], finding_location(report, finding), headline, message))
    lines += [
        _command("warning", notice.location, "pullpath waiver", notice.message) for notice in report.notices
    ]
    lines.append(f"pullpath: {'; '.join(tally(report))}")
    return "\n".join(lines) + "\n"
