"""The terminal report: a row per pull path, what to do about each finding, and the verdict last.

It fits the width it is given (the terminal's, else 100 columns): cells wrap between words and after
a ``/`` of a path or an image, never inside an address. When workload, image and registry cannot
stand side by side, they stack in one column. A location column (file:line) appears whenever the
findings have one (``scan``, ``plan --source-dir``). Each pull path is one row with its worst
verdict and the rules behind it; the findings that are not a PASS follow, each with its reason, and
each fix once for the findings it answers, wrapped and indented. The last two lines count pull
paths and findings apart and say, at a glance, whether the gate fails. ``quiet`` keeps only what
fails the gate, and prints nothing when nothing does.
"""

from __future__ import annotations

import re

import click
import msgspec

from pullpath.engine import WAIVED, Report
from pullpath.model import Finding
from pullpath.report import DEFAULT_WIDTH, titles
from pullpath.report.columns import Cell, Piece, one, prose, segments, table, widths, words, wrap
from pullpath.report.locations import artifact_path, finding_location
from pullpath.report.pull_paths import SHOWN_ORDER, PullPath, gate, pull_paths, tally
from pullpath.rules import ALL_RULES

MIN_WIDTH = 40
COLOURS = {"FAIL": "red", "WARN": "yellow", "UNKNOWN": "cyan", "PASS": "green", WAIVED: "magenta"}
_COUNT = re.compile(r"\b([1-9]\d*) (FAIL|WARN|UNKNOWN|PASS|WAIVED)\b")


class Display(msgspec.Struct, frozen=True):
    """How the table is drawn: colour (a terminal that wants it), width, and only what fails."""

    colour: bool = False
    width: int = DEFAULT_WIDTH
    quiet: bool = False


PLAIN = Display()


class _Paint:
    """Colour for a terminal, or nothing. Applied to finished lines, so no code counts toward a width."""

    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def verdict(self, text: str, name: str) -> str:
        if not self.colour or not text.strip():
            return text
        return click.style(text, fg=COLOURS[name], bold=name == "FAIL")

    def bold(self, text: str) -> str:
        return click.style(text, bold=True) if self.colour and text.strip() else text

    def dim(self, text: str) -> str:
        return click.style(text, dim=True) if self.colour and text.strip() else text

    def counts(self, text: str) -> str:
        """Every non-zero ``3 FAIL`` in a line, in its verdict's colour."""
        return _COUNT.sub(lambda found: self.verdict(found.group(0), found.group(2)), text)


def render(report: Report, display: Display = PLAIN) -> str:
    width = max(display.width, MIN_WIDTH)
    paint = _Paint(display.colour)
    findings = report.failing() if display.quiet else report.findings
    if display.quiet and not report.fails_gate():
        return ""
    paths = pull_paths(report, findings)
    blocks: list[list[str]] = []
    if paths:
        blocks.append(_rows(report, paths, width, paint))
        blocks.append(_details(report, paths, width, paint))
    elif not display.quiet:
        blocks.append(["No pull path from an Azure Container Registry found in this input."])
    if report.notices and not display.quiet:
        notices = [line for n in report.notices for line in prose(n.message, width, "  ", "    ")]
        blocks.append(["Waiver notices:", *notices])
    blocks.append(_verdict(report, width, paint, display.quiet))
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


def _location(report: Report, finding: Finding) -> str:
    """file:line of the workload's source, as editors and CI tools find it; empty for a plan alone,
    whose findings all point at the plan file."""
    if finding.workload.location is None or finding.workload.location.line is None:
        return ""
    location = finding_location(report, finding)
    return f"{artifact_path(location.file)}:{location.line}"


def _rows(report: Report, paths: list[PullPath], width: int, paint: _Paint) -> list[str]:
    locations = [_location(report, path.findings[0]) for path in paths]
    located = any(locations)
    lead = [
        [Cell.of(one(path.worst(report))), Cell.of(words(" ".join(path.rules(report))))] for path in paths
    ]
    tail = [[Cell.path(location)] if located else [] for location in locations]
    header = ["verdict", "rules", "workload", "image", "registry"] + (["location"] if located else [])
    rows = [[*first, *_apart(path), *last] for first, path, last in zip(lead, paths, tail, strict=True)]
    sizes = widths(header, rows, width)
    if sizes is None:  # stacked: the workload, then what it pulls from where, in one column
        header = ["verdict", "rules", "pull path"] + (["location"] if located else [])
        rows = [[*first, _stacked(path), *last] for first, path, last in zip(lead, paths, tail, strict=True)]
        sizes = widths(header, rows, width)
    if sizes is None:  # too narrow for columns: one record per pull path
        return _records(report, paths, locations, width, paint)

    def style(row: int, column: int, text: str) -> str:
        if row < 0:
            return paint.bold(text)
        return paint.verdict(text, paths[row].worst(report)) if column == 0 else text

    return table(header, rows, sizes, style)


def _records(
    report: Report, paths: list[PullPath], locations: list[str], width: int, paint: _Paint
) -> list[str]:
    lines: list[str] = []
    for path, location in zip(paths, locations, strict=True):
        worst = path.worst(report)
        lines += [paint.verdict(worst, worst) + " " + " ".join(path.rules(report))]
        lines += ["  " + line for line in _stacked(path).lines(width - 2)]
        lines += wrap([("at", True), *segments(location, "/-")], width, "  ", "    ") if location else []
    return lines


def _apart(path: PullPath) -> list[Cell]:
    image = segments(path.image.text) if path.image else one("-")
    return [Cell.of(one(path.workload.address)), Cell.of(image), Cell.of(one(path.registry or "-"))]


def _stacked(path: PullPath) -> Cell:
    if path.of_registry:
        return Cell.of(one(path.workload.address))
    image = segments(path.image.text) if path.image else [("an image", True)]
    source = one(path.registry or "an untraced registry")
    return Cell.of(
        one(path.workload.address), [("pulls", True), *image, ("from", True), *source], indent="  ", hang="  "
    )


def _details(report: Report, paths: list[PullPath], width: int, paint: _Paint) -> list[str]:
    """Every finding that is not a PASS, grouped by verdict, rule and fix: the reason of each, then
    the fix once for the group (none for a waived finding), then the rule's page."""
    groups: dict[tuple[str, str, str, str], list[Finding]] = {}
    for path in paths:
        for finding in path.findings:
            shown = report.shown(finding)
            if shown != "PASS":
                fix = "" if shown == WAIVED else finding.remediation
                groups.setdefault((shown, finding.rule, titles.title(finding), fix), []).append(finding)
    lines: list[str] = []
    for (shown, rule_id, headline, fix), findings in sorted(
        groups.items(), key=lambda item: (SHOWN_ORDER.index(item[0][0]), item[0][1])
    ):
        head = wrap([(shown, True), (rule_id, True), *words(headline)], width, "", " " * (len(shown) + 1))
        lines += ["", paint.verdict(head[0][: len(shown)], shown) + head[0][len(shown) :], *head[1:]]
        for finding in findings:
            lines += wrap(_where(report, finding), width, "  ", "    ")
            keep = (finding.workload.address, finding.registry or "", *(e.address for e in finding.evidence))
            lines += prose(report.reason(finding), width, "    ", "    ", keep)
        if fix:
            lines += prose(fix, width, "  fix: ", "       ", [f.workload.address for f in findings])
        lines.append(paint.dim(f"  docs: {ALL_RULES[rule_id].help_uri}"))
    return lines[1:]


def _where(report: Report, finding: Finding) -> list[Piece]:
    location = _location(report, finding)
    pieces = one(finding.workload.address)
    if finding.image and finding.image.attribute:
        pieces += [(f"{finding.image.attribute}", True)]
    return pieces + ([("at", True), *segments(location)] if location else [])


def _verdict(report: Report, width: int, paint: _Paint, quiet: bool) -> list[str]:
    """The tally, then the gate: the line a person reads first, so it comes last on a terminal."""
    fails, line = gate(report)
    word = "FAIL" if fails else "PASS"
    counted = [] if quiet else [paint.counts(text) for text in prose("; ".join(tally(report)), width)]
    said = wrap([(word, True), *words(line)], width, "", " " * (len(word) + 1))
    return [*counted, paint.verdict(said[0][: len(word)], word) + said[0][len(word) :], *said[1:]]
