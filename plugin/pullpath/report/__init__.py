"""One renderer per format; the CLI picks by name and nothing else knows the list."""

from __future__ import annotations

from collections.abc import Callable

from pullpath.engine import Report
from pullpath.report import json_doc, table

Renderer = Callable[[Report, bool], str]

RENDERERS: dict[str, Renderer] = {
    "table": lambda report, colour: table.render(report, colour=colour),
    "json": lambda report, colour: json_doc.render(report),
}


def render(report: Report, fmt: str, colour: bool = False) -> str:
    return RENDERERS[fmt](report, colour)
