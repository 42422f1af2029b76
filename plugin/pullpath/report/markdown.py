"""Markdown for a pull-request comment: a summary line, the findings table and a pull-path diagram.

GitHub-flavoured Markdown that also renders in Azure DevOps: a heading that says whether the gate
fails, a table worst-first, the fixes, and a Mermaid flowchart from workloads (grouped by the
subnet the model places them in) to registries, each edge labelled with its verdict and rule, FAIL
edges thick and red. Everything taken from the input (addresses, images, reasons) is escaped, so a
resource name cannot inject markup into the comment or break the diagram.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pullpath.engine import WAIVED, Report
from pullpath.model import Finding, Model, Ref, Verdict, Workload
from pullpath.report import titles
from pullpath.report.locations import artifact_path
from pullpath.report.pull_paths import SHOWN_ORDER as _SHOWN_ORDER
from pullpath.report.pull_paths import gate, path_counts, pull_paths, tally
from pullpath.rules import ALL_RULES
from pullpath.rules.placement import subnet_addresses

MAX_EDGES = 400  # Mermaid refuses larger graphs (maxEdges 500) and a comment has 65,536 characters

_ICONS = {"FAIL": "❌", "WARN": "⚠️", "UNKNOWN": "❔", WAIVED: "💤", "PASS": "✅"}
_ARROWS = {"FAIL": "==>", "WARN": "-->", "UNKNOWN": "-.->", WAIVED: "-.->", "PASS": "-->"}
_EDGE_STYLES = {
    "FAIL": "stroke:#cf222e,stroke-width:3px",
    "WARN": "stroke:#bf8700,stroke-width:2px",
    "UNKNOWN": "stroke:#6e7781,stroke-width:2px",
    WAIVED: "stroke:#8250df,stroke-width:2px",
    "PASS": "stroke:#1a7f37,stroke-width:2px",
}
_MERMAID_ESCAPES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}
_SUBNET_ID = re.compile(r"/virtualNetworks/([^/]+)/subnets/([^/]+)$", re.IGNORECASE)


def _escape(text: str) -> str:
    """Plain text in a table cell: no HTML, no emphasis, no link, no column break."""
    text = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)


def _code(text: str) -> str:
    """An inline code span for an address or image, whatever backticks or pipes it holds."""
    text = " ".join(text.split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _label(text: str) -> str:
    """Text inside a quoted Mermaid label, with Mermaid's entity codes for what would end it."""
    return "".join(_MERMAID_ESCAPES.get(char, char) for char in " ".join(text.split()))


def _ordered(report: Report) -> list[Finding]:
    return sorted(report.findings, key=lambda f: (_SHOWN_ORDER.index(report.shown(f)), f.sort_key))


def _summary(report: Report) -> str:
    """The gate at a glance, then each pull path's worst verdict counted, then what was read."""
    paths = pull_paths(report)
    fails, said = gate(report, paths)
    head = f"{'❌' if fails else '✅'} {_escape(said)}"
    counts = path_counts(report, paths)
    icons = [f"{_ICONS[name]} {counts[name]} {name}" for name in _SHOWN_ORDER if counts.get(name)]
    scope = [_escape(part) for part in tally(report, paths, counts=False)]
    return f"### pullpath: {head}\n\n" + " · ".join([*icons, *scope, _code(artifact_path(report.source))])


def _table(report: Report) -> str:
    rows = ["| verdict | rule | workload | image | registry | reason |", "|---|---|---|---|---|---|"]
    for finding in _ordered(report):
        shown = report.shown(finding)
        rule = ALL_RULES[finding.rule]
        cells = [
            f"{_ICONS[shown]} {shown}",
            f"[{rule.id}]({rule.help_uri})",
            _code(finding.workload.address),
            _code(finding.image.text) if finding.image else "-",
            _code(finding.registry) if finding.registry else "-",
            _escape(report.reason(finding)),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _remediation(report: Report) -> str:
    """Each finding's own fix, once for every finding that shares it, with the workloads it affects."""
    affected: dict[tuple[str, str, str], list[str]] = {}
    for finding in report.findings:
        if finding.verdict is not Verdict.PASS and finding.remediation and finding not in report.waived:
            key = (finding.rule, titles.title(finding), finding.remediation)
            affected.setdefault(key, []).append(finding.workload.address)
    if not affected:
        return ""
    lines = ["#### Remediation"]
    for (rule_id, headline, fix), workloads in sorted(affected.items()):
        rule = ALL_RULES[rule_id]
        lines.append(f"- **[{rule.id}]({rule.help_uri})** {_escape(headline)}: {_escape(fix)}")
        lines.append(f"  affects {', '.join(_code(w) for w in sorted(set(workloads)))}")
    return "\n".join(lines)


def _notices(report: Report) -> str:
    lines = ["#### Waiver notices"]
    lines += [f"- ⚠️ {_escape(notice.message)}" for notice in report.notices]
    return "\n".join(lines)


def _placement(model: Model | None, workload: Workload) -> str | None:
    """The subnet (or VNet) a workload sits in, as the diagram groups it; None outside any VNet."""
    refs: Iterable[Ref] = workload.subnets
    if workload.vnet_integration and workload.integration_subnet:
        refs = (workload.integration_subnet,)
    elif not workload.in_vnet:
        return None
    for ref in refs:
        known = subnet_addresses(model, [ref]) if model else []
        if known:
            return f"subnet {known[0]}"
        found = _SUBNET_ID.search(ref.value or "")
        if found:
            return f"subnet {found.group(1)}/{found.group(2)}"
        if ref.targets:
            return f"subnet {ref.targets[0]}"
    return "VNet (subnet known after apply)"


def _roots(report: Report) -> list[tuple[Model | None, list[Workload], list[Finding]]]:
    """Each judged model (a scan judges every root module on its own) with its workloads and findings.

    Every workload appears, even one without an ACR pull path; a report built without a model
    still draws the workloads its findings name.
    """
    roots: list[tuple[Model | None, list[Workload], list[Finding]]] = [
        (model, list(model.workloads), []) for model in report.models
    ] or [(None, [], [])]
    owner = {workload: index for index, model in enumerate(report.models) for workload in model.workloads}
    for finding in report.findings:
        _, workloads, findings = roots[owner.get(finding.workload, 0)]
        if finding.workload not in workloads:
            workloads.append(finding.workload)
        findings.append(finding)
    return roots


def _nodes(
    model: Model | None, workloads: list[Workload], ids: dict[Workload, str], indent: str
) -> list[str]:
    """Workload nodes, inside one subgraph per subnet the model places them in."""
    groups: dict[str, list[Workload]] = {}
    for workload in workloads:
        groups.setdefault(_placement(model, workload) or "", []).append(workload)
    lines: list[str] = []
    for place, members in sorted(groups.items()):
        inner = indent + "  " if place else indent
        if place:
            lines.append(f'{indent}subgraph g{len(ids) + 1}["{_label(place)}"]')
        for workload in members:
            ids[workload] = f"w{len(ids) + 1}"
            lines.append(f'{inner}{ids[workload]}["{_label(workload.address)}"]')
        if place:
            lines.append(f"{indent}end")
    return lines


def _diagram(report: Report) -> str:
    roots = _roots(report)
    if not any(workloads for _, workloads, _ in roots):
        return ""
    if len(report.findings) > MAX_EDGES:
        return (
            f"The pull-path diagram is left out: {len(report.findings)} pull paths are more than a Mermaid "
            "diagram in a comment can draw; the table lists them all."
        )
    nested = len(roots) > 1
    indent = "    " if nested else "  "
    lines = ["```mermaid", "flowchart LR"]
    ids: dict[Workload, str] = {}
    edges: list[tuple[str, str, Finding]] = []
    for number, (model, workloads, findings) in enumerate(roots, 1):
        if nested and model is not None:
            lines.append(f'  subgraph m{number}["{_label(artifact_path(model.source))}"]')
        lines += _nodes(model, workloads, ids, indent)
        registries = {registry.address: registry for registry in model.registries} if model else {}
        targets: dict[str | None, str] = {}
        for finding in findings:
            if finding.registry not in targets:
                targets[finding.registry] = f"r{number}x{len(targets) + 1}"
                known = registries.get(finding.registry or "")
                text = (
                    f"{known.label} ({known.posture.value})"
                    if known
                    else finding.registry or "registry not traced (image known after apply)"
                )
                lines.append(f'{indent}{targets[finding.registry]}[("{_label(text)}")]')
            edges.append((ids[finding.workload], targets[finding.registry], finding))
        if nested and model is not None:
            lines.append("  end")
    styles: dict[str, list[str]] = {}
    for number, (source, target, finding) in enumerate(edges):
        shown = report.shown(finding)
        lines.append(f'  {source} {_ARROWS[shown]}|"{_label(f"{shown} {finding.rule}")}"| {target}')
        styles.setdefault(shown, []).append(str(number))
    lines += [f"  linkStyle {','.join(numbers)} {_EDGE_STYLES[shown]}" for shown, numbers in styles.items()]
    lines.append("```")
    return "\n".join(lines)


def render(report: Report) -> str:
    parts = [_summary(report)]
    if report.notices:
        parts.append(_notices(report))
    if report.findings:
        parts.append(_table(report))
    parts += [part for part in (_diagram(report), _remediation(report)) if part]
    return "\n\n".join(parts) + "\n"
