"""The JSON report: the stable, documented schema pipelines parse."""

from __future__ import annotations

from typing import Any

from pullpath import __version__
from pullpath.engine import Report
from pullpath.model import Finding
from pullpath.report import titles
from pullpath.report.pretty_json import pretty_json
from pullpath.report.pull_paths import pull_paths
from pullpath.rules import ALL_RULES


def finding_dict(finding: Finding, report: Report) -> dict[str, Any]:
    rule = ALL_RULES[finding.rule]
    location = finding.workload.location
    waiver = report.waived.get(finding) if report.waived else None  # hashing a finding is not free
    return {
        "rule": finding.rule,
        "title": titles.title(finding),
        "verdict": report.shown(finding),
        "severity": rule.severity,
        "workload": finding.workload.address,
        "workload_type": finding.workload.type,
        "image": finding.image.text if finding.image else None,
        "image_attribute": finding.image.attribute if finding.image else None,
        "registry": finding.registry,
        "reason": finding.reason,
        "remediation": finding.remediation,
        "evidence": [
            {"address": e.address, "attribute": e.attribute, "value": e.value} for e in finding.evidence
        ],
        "file": location.file if location else None,
        "line": location.line if location else None,
        "doc": rule.help_uri,
        "waiver": None
        if waiver is None
        else {
            "verdict": finding.verdict.name,
            "reason": waiver.reason,
            "expires": waiver.expires.isoformat(),
            "file": waiver.origin.file,
            "line": waiver.origin.line,
        },
    }


def summary(report: Report) -> dict[str, Any]:
    """Verdict counts per finding, then how many findings and how many pull paths they judge (a
    path judged by several rules is one path; registry-level findings are not pull paths)."""
    return {
        **report.counts(),
        "findings": len(report.findings),
        "pull_paths": sum(not path.of_registry for path in pull_paths(report)),
        "workloads": report.workloads,
        "registries": report.registries,
    }


def render(report: Report) -> str:
    document = {
        "tool": {"name": "pullpath", "version": __version__},
        "source": report.source,
        "findings": [finding_dict(finding, report) for finding in report.findings],
        "summary": summary(report),
        "notices": [
            {
                "message": notice.message,
                "file": notice.location.file if notice.location else None,
                "line": notice.location.line if notice.location else None,
            }
            for notice in report.notices
        ],
        "skipped_files": report.unread_shown(),  # read by nothing: what they declare is UNKNOWN
    }
    return pretty_json(document)
