"""One renderer per format; the CLI picks by name and nothing else knows the list."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pullpath.engine import Report

#: Columns of a table written anywhere but a terminal (a file, a pipe, a CI log).
DEFAULT_WIDTH = 100
#: How a person's terminal wants the table: colour, width, and only what fails (``--quiet``).
Shown = tuple[bool, int, bool]
Renderer = Callable[["Report", Shown], str]


def _on_demand(module: str, drawn: bool = False) -> Renderer:
    """The ``render`` of ``pullpath.report.<module>``, imported at the first report in that format:
    a run renders one or two formats, and importing all of them cost more than judging a small plan.
    A ``drawn`` format (the table) takes its module's ``Display`` of colour, width and quiet."""

    def render(report: Report, shown: Shown) -> str:
        loaded = importlib.import_module(f"pullpath.report.{module}")
        text: str = loaded.render(report, loaded.Display(*shown)) if drawn else loaded.render(report)
        return text

    return render


#: Only the table is drawn for a person at a terminal: colour, width and ``--quiet`` shape it alone.
RENDERERS: dict[str, Renderer] = {
    "table": _on_demand("table", drawn=True),
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


def render(
    report: Report, fmt: str, colour: bool = False, width: int = DEFAULT_WIDTH, quiet: bool = False
) -> str:
    """One format of the report, sensitive values and credentials in image references hidden (the
    collector paused, see :mod:`pullpath.collector`)."""
    from pullpath.collector import paused
    from pullpath.sensitive import redacted

    with paused():
        return RENDERERS[fmt](redacted(report), (colour, width, quiet))
