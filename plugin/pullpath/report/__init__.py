"""One renderer per format; the CLI picks by name and nothing else knows the list."""

from __future__ import annotations

from collections.abc import Callable

from pullpath.engine import Report
from pullpath.report import github, json_doc, junit, markdown, sarif, table
from pullpath.sensitive import redacted

Renderer = Callable[[Report, bool], str]

RENDERERS: dict[str, Renderer] = {
    "table": lambda report, colour: table.render(report, colour=colour),
    "json": lambda report, colour: json_doc.render(report),
    "sarif": lambda report, colour: sarif.render(report),
    "junit": lambda report, colour: junit.render(report),
    "markdown": lambda report, colour: markdown.render(report),
    "github": lambda report, colour: github.render(report),
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


def render(report: Report, fmt: str, colour: bool = False) -> str:
    """One format of the report, sensitive values and credentials in image references hidden."""
    return RENDERERS[fmt](redacted(report), colour)
