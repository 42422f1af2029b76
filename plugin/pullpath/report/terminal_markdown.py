"""A rule's Markdown page read in a terminal (``pullpath explain``): no markup, wrapped, headings set off.

The pages are generated Markdown of a known, small shape (headings, paragraphs, numbered and bullet
lists, fenced code), so this reads that shape rather than Markdown at large: the generator's
comment is dropped, headings are underlined (and bold with colour), emphasis and inline-code marks
are removed, prose is wrapped to the width, code is indented and never wrapped.
"""

from __future__ import annotations

import re

import click

from pullpath.report.columns import prose

_LIST_ITEM = re.compile(r"^(\d+\. |- )(.*)$")
_MARKS = re.compile(r"\*\*|`")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")


def for_terminal(markdown: str, width: int, colour: bool = False) -> str:
    text = re.sub(r"<!--.*?-->\n*", "", markdown, flags=re.DOTALL)
    out: list[str] = []
    in_code = False
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.extend(_block(" ".join(paragraph), width))
            paragraph.clear()

    for line in text.splitlines():
        if line.startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:
            out.append(f"    {line}" if line else "")
        elif line.startswith("#"):
            flush()
            level, heading = len(line) - len(line.lstrip("#")), _plain(line.lstrip("#").strip())
            styled = click.style(heading, bold=True) if colour else heading
            out += [styled, ("=" if level == 1 else "-") * min(len(heading), width)]
        elif _LIST_ITEM.match(line) or not line.strip():
            flush()
            if line.strip():
                paragraph.append(line)
                flush()
            elif out and out[-1] != "":
                out.append("")
        else:
            paragraph.append(line.strip())
    flush()
    return "\n".join(out).strip("\n") + "\n"


def _plain(text: str) -> str:
    return _AUTOLINK.sub(r"\1", _MARKS.sub("", text))


def _block(text: str, width: int) -> list[str]:
    """A paragraph or a list item, wrapped; a list item's lines hang under its text."""
    item = _LIST_ITEM.match(text)
    if item:
        marker = item.group(1)
        return prose(_plain(item.group(2)), width, marker, " " * len(marker))
    return prose(_plain(text), width)
