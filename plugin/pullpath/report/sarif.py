"""SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, VS Code viewers).

Every rule is declared whether it fired or not, so a scanner can tell "ran and found nothing" from
"does not exist" and close a fixed alert. Results are the findings that need attention (FAIL as
error, WARN as warning, UNKNOWN as note); PASS findings are left out because GitHub code scanning
opens an alert for every result whatever its ``kind``, and they are counted in the run properties.
A waived finding stays a result with an external, accepted suppression; waiver problems are tool
configuration notifications.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pullpath import __version__
from pullpath.docs import render_rule
from pullpath.engine import Report
from pullpath.model import Finding, Severity, SourceLocation, Verdict
from pullpath.project import repository
from pullpath.report import titles
from pullpath.report.json_doc import summary
from pullpath.report.locations import artifact_path, finding_location
from pullpath.report.pretty_json import pretty_json
from pullpath.rules import ALL_RULES
from pullpath.rules.base import Rule

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"

_LEVELS = {Verdict.FAIL: "error", Verdict.WARN: "warning", Verdict.UNKNOWN: "note"}
# GitHub reads security-severity as a CVSS-like score: >= 9 critical, >= 7 high, >= 4 medium, else low.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}
_DEFAULT_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


def _descriptor(rule: Rule) -> dict[str, Any]:
    severity = Severity[rule.severity]
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": f"{rule.rationale}\n\nFix: {rule.remediation}", "markdown": render_rule(rule)},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": _DEFAULT_LEVEL[severity]},
        "properties": {
            "security-severity": _SECURITY_SEVERITY[severity],
            "tags": ["security", "azure", "terraform", "container-registry"],
            "precision": "high",
        },
    }


def _artifact(path: str) -> dict[str, Any]:
    shown = artifact_path(path)
    if os.path.isabs(shown):
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(shown), "uriBaseId": SRCROOT}


def _location(location: SourceLocation, address: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": _artifact(location.file),
        # GitHub places a result only with a start line; a plan file's finding points at its top.
        "region": {"startLine": location.line or 1},
    }
    found: dict[str, Any] = {"physicalLocation": physical}
    if address:
        found["logicalLocations"] = [{"fullyQualifiedName": address, "kind": "resource"}]
    return found


def _fingerprint(finding: Finding) -> str:
    image = finding.image.attribute if finding.image else ""
    key = "\x1f".join((finding.rule, finding.workload.address, image, finding.registry or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _result(report: Report, finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    rule = ALL_RULES[finding.rule]
    image = finding.image.text if finding.image else None
    message = f"{finding.verdict.name} {titles.title(finding)}: {finding.workload.address}: {finding.reason}"
    if finding.remediation:
        message += f". Fix: {finding.remediation}"
    result: dict[str, Any] = {
        "ruleId": rule.id,
        "ruleIndex": rule_index[rule.id],
        "level": _LEVELS[finding.verdict],
        "message": {"text": message},
        "locations": [_location(finding_location(report, finding), finding.workload.address)],
        "partialFingerprints": {"pullpathPullPath/v1": _fingerprint(finding)},
        "properties": {
            "verdict": finding.verdict.name,
            "workload": finding.workload.address,
            "workloadType": finding.workload.type,
            "image": image,
            "imageAttribute": finding.image.attribute if finding.image else None,
            "registry": finding.registry,
            "evidence": [str(evidence) for evidence in finding.evidence],
        },
    }
    waiver = report.waived.get(finding)
    if waiver is not None:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": waiver.reason,
                "location": _location(waiver.origin),
                "properties": {"expires": waiver.expires.isoformat(), "workloadPattern": waiver.workload},
            }
        ]
    return result


def render(report: Report) -> str:
    rules = list(ALL_RULES.values())
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    results = [
        _result(report, finding, rule_index)
        for finding in report.findings
        if finding.verdict is not Verdict.PASS
    ]
    notifications = [
        {
            "level": "warning",
            "message": {"text": notice.message},
            **({"locations": [_location(notice.location)]} if notice.location else {}),
        }
        for notice in report.notices
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "pullpath",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": repository(),
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "invocations": [{"executionSuccessful": True, "toolConfigurationNotifications": notifications}],
        "results": results,
        "properties": {"source": artifact_path(report.source), "summary": summary(report)},
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return pretty_json(document)
