"""One renderer per format; the CLI picks by name and nothing else knows the list."""

from __future__ import annotations

from collections.abc import Callable

from pullpath.engine import Report
from pullpath.report import github, json_doc, junit, markdown, sarif, table
from pullpath.report.table import DEFAULT_WIDTH, Display
from pullpath.sensitive import redacted

Renderer = Callable[[Report, Display], str]

#: Only the table is drawn for a person at a terminal: colour, width and ``--quiet`` shape it alone.
RENDERERS: dict[str, Renderer] = {
    "table": table.render,
    "json": lambda report, display: json_doc.render(report),
    "sarif": lambda report, display: sarif.render(report),
    "junit": lambda report, display: junit.render(report),
    "markdown": lambda report, display: markdown.render(report),
    "github": lambda report, display: github.render(report),
}

#: ``--output-dir`` writes each format to ``pullpath.<extension>``.
EXTENSIONS: dict[str, str] = {
    "table": "txt",
    "json": "json",
    "sarif": "sarif",
    "junit": "junit.xml",
    "markdown": "md",
    "github": "github.txt",
}


def render(
    report: Report, fmt: str, colour: bool = False, width: int = DEFAULT_WIDTH, quiet: bool = False
) -> str:
    """One format of the report, sensitive values and credentials in image references hidden."""
    return RENDERERS[fmt](redacted(report), Display(colour, width, quiet))
