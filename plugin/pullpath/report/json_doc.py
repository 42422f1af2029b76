"""The JSON report: the stable, documented schema pipelines parse."""

from __future__ import annotations

import json
from typing import Any

from pullpath import __version__
from pullpath.engine import Report
from pullpath.model import Finding
from pullpath.rules import ALL_RULES


def finding_dict(finding: Finding) -> dict[str, Any]:
    rule = ALL_RULES[finding.rule]
    location = finding.workload.location
    return {
        "rule": finding.rule,
        "title": rule.title,
        "verdict": finding.verdict.name,
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
    }


def summary(report: Report) -> dict[str, Any]:
    return {
        **report.counts(),
        "pull_paths": len(report.findings),
        "workloads": report.workloads,
        "registries": report.registries,
    }


def render(report: Report) -> str:
    document = {
        "tool": {"name": "pullpath", "version": __version__},
        "source": report.source,
        "findings": [finding_dict(finding) for finding in report.findings],
        "summary": summary(report),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
