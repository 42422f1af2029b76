"""One renderer per format; the CLI picks by name and nothing else knows the list."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pullpath.engine import Report

Renderer = Callable[["Report", bool], str]


def _on_demand(module: str, colour_argument: bool = False) -> Renderer:
    """The ``render`` of ``pullpath.report.<module>``, imported at the first report in that format:
    a run renders one or two formats, and importing all of them cost more than judging a small plan."""

    def render(report: Report, colour: bool) -> str:
        renderer = importlib.import_module(f"pullpath.report.{module}").render
        return renderer(report, colour=colour) if colour_argument else renderer(report)

    return render


RENDERERS: dict[str, Renderer] = {
    "table": _on_demand("table", colour_argument=True),
    "json": _on_demand("json_doc"),
    "sarif": _on_demand("sarif"),
    "junit": _on_demand("junit"),
    "markdown": _on_demand("markdown"),
    "github": _on_demand("github"),
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
    from pullpath.sensitive import redacted

    return RENDERERS[fmt](redacted(report), colour)
