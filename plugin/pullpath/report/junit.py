"""Classic JUnit XML: one test case per pull path, for Azure DevOps and GitLab test reports.

JUnit knows pass, failure and skipped, so the gate decides: a finding at or above ``--fail-on``
is a failure carrying the reason and the remediation; UNKNOWN below it and WAIVED are skipped
(not judged, or set aside) with the reason; everything else passes, a WARN with its reason in
``system-out``. Waiver notices go to the suite's ``system-err``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from pullpath.engine import Report
from pullpath.model import Finding, Verdict
from pullpath.report import titles
from pullpath.report.locations import artifact_path, finding_location
from pullpath.rules import ALL_RULES

# XML 1.0 cannot carry most control characters, even escaped; an input's text may hold them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _details(finding: Finding) -> str:
    rule = ALL_RULES[finding.rule]
    lines = [
        f"{finding.verdict.name} {rule.id} {titles.title(finding)}",
        f"workload: {finding.workload.address}",
        f"image: {finding.image.text if finding.image else '-'}",
        f"registry: {finding.registry or '-'}",
        f"reason: {finding.reason}",
    ]
    if finding.remediation:
        lines.append(f"remediation: {finding.remediation}")
    lines += [f"evidence: {evidence}" for evidence in finding.evidence]
    lines.append(f"docs: {rule.help_uri}")
    return "\n".join(lines)


def _case(report: Report, suite: ElementTree.Element, finding: Finding, failing: set[Finding]) -> str:
    """Add one test case; return its outcome: ``failure``, ``skipped`` or ``passed``."""
    image = finding.image.attribute if finding.image else "image"
    case = ElementTree.SubElement(
        suite,
        "testcase",
        classname=_text(finding.workload.address),
        name=_text(f"{finding.rule} {image} from {finding.registry or 'an untraced registry'}"),
        file=_text(artifact_path(finding_location(report, finding).file)),
        time="0",
    )
    if finding in report.waived:
        ElementTree.SubElement(case, "skipped", message=_text(f"WAIVED: {report.reason(finding)}"))
        return "skipped"
    if finding in failing:
        failure = ElementTree.SubElement(
            case, "failure", message=_text(finding.reason), type=f"{finding.verdict.name} {finding.rule}"
        )
        failure.text = _text(_details(finding))
        return "failure"
    if finding.verdict is Verdict.UNKNOWN:
        ElementTree.SubElement(case, "skipped", message=_text(f"UNKNOWN: {finding.reason}"))
        return "skipped"
    ElementTree.SubElement(case, "system-out").text = _text(_details(finding))
    return "passed"


def render(report: Report) -> str:
    root = ElementTree.Element("testsuites", name="pullpath")
    suite = ElementTree.SubElement(root, "testsuite", name=_text(f"pullpath {artifact_path(report.source)}"))
    failing = set(report.failing())
    outcomes = [_case(report, suite, finding, failing) for finding in report.findings]
    if report.notices:
        ElementTree.SubElement(suite, "system-err").text = _text(
            "\n".join(f"warning: {notice.message}" for notice in report.notices)
        )
    for element in (root, suite):
        element.set("tests", str(len(outcomes)))
        element.set("failures", str(outcomes.count("failure")))
        element.set("errors", "0")
        element.set("skipped", str(outcomes.count("skipped")))
        element.set("time", "0")
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"
