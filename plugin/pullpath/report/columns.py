"""Plain-text layout for a terminal or a build log: words wrapped, never an address split.

Text is laid out from *pieces*: a piece is never split, and says whether a space goes before it.
An address is one piece whatever it holds (``module.aci["North Europe"].azurerm_container_group.this``
has a space); a file path or an image reference is one piece per ``/`` segment with no space
between them, so it may wrap after a ``/`` and nowhere else. A piece longer than the width
overflows the line rather than being cut: a split name cannot be searched for or copied.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import msgspec

Piece = tuple[str, bool]  # (text, a space before it when it follows another piece on a line)
GAP = "  "


def words(text: str, keep: Iterable[str] = ()) -> list[Piece]:
    """The words of prose; each string in ``keep`` (an address with a space in it) stays one piece."""
    protected = text
    for kept in sorted({k for k in keep if " " in k}, key=len, reverse=True):
        protected = protected.replace(kept, kept.replace(" ", "\x00"))
    return [(word.replace("\x00", " "), True) for word in protected.split()]


def segments(text: str, after: str = "/") -> list[Piece]:
    """A path or image reference: breakable after each of the characters ``after``; spaces in it
    separate words."""
    pieces: list[Piece] = []
    for word in text.split():
        parts = [part for part in re.split(f"(?<=[{re.escape(after)}])", word) if part]
        pieces += [(part, index == 0) for index, part in enumerate(parts)]
    return pieces


def one(text: str) -> list[Piece]:
    """An address: never split."""
    return [(text, True)]


def natural(pieces: Sequence[Piece]) -> int:
    return len(join(pieces))


def join(pieces: Sequence[Piece]) -> str:
    return "".join((" " if space and index else "") + text for index, (text, space) in enumerate(pieces))


def wrap(pieces: Sequence[Piece], width: int, indent: str = "", hang: str = "") -> list[str]:
    """Lines of at most ``width`` characters (unless one piece is longer), greedy, first line
    prefixed by ``indent`` and the others by ``hang``."""
    lines: list[str] = []
    current = indent
    started = False
    for text, space in pieces:
        gap = " " if space and started else ""
        if started and len(current) + len(gap) + len(text) > width:
            lines.append(current.rstrip())
            current, gap = hang, ""
        current += gap + text
        started = True
    lines.append(current.rstrip())
    return lines


def prose(text: str, width: int, indent: str = "", hang: str = "", keep: Iterable[str] = ()) -> list[str]:
    return wrap(words(text, keep), width, indent, hang)


class Cell(msgspec.Struct, frozen=True):
    """A table cell: paragraphs, each wrapped on its own; later paragraphs indented by ``indent``,
    and a paragraph's wrapped lines by ``hang`` more. ``finer``: the same text in smaller pieces,
    used only when the paragraphs do not fit (a path broken after a ``-`` as well as a ``/``)."""

    paragraphs: tuple[tuple[Piece, ...], ...]
    indent: str = ""
    hang: str = ""
    finer: Cell | None = None

    @classmethod
    def of(cls, *paragraphs: Sequence[Piece], indent: str = "", hang: str = "") -> Cell:
        return cls(tuple(tuple(paragraph) for paragraph in paragraphs if paragraph), indent, hang)

    @classmethod
    def path(cls, text: str) -> Cell:
        """A file path: broken after a ``/``, and after a ``-`` only when a folder name is too long."""
        return cls.of(segments(text)).with_finer(cls.of(segments(text, "/-")))

    def with_finer(self, finer: Cell) -> Cell:
        return Cell(self.paragraphs, self.indent, self.hang, finer)

    def minimum(self, finer: bool = True) -> int:
        """The narrowest width the cell fits in without splitting a piece (its finer pieces', unless
        ``finer`` is False)."""
        if finer and self.finer is not None:
            return self.finer.minimum()
        least = 0
        for index, paragraph in enumerate(self.paragraphs):
            indent = len(self.indent) if index else 0
            first, *rest = [len(text) for text, _ in paragraph] or [0]
            least = max(least, indent + first, *(indent + len(self.hang) + size for size in rest))
        return least

    def widest(self) -> int:
        return max(
            (natural(p) + (len(self.indent) if i else 0) for i, p in enumerate(self.paragraphs)), default=0
        )

    def lines(self, width: int) -> list[str]:
        found: list[str] = []
        for index, paragraph in enumerate(self.paragraphs):
            indent = self.indent if index else ""
            found += wrap(paragraph, width, indent, indent + self.hang)
        if self.finer is not None and any(len(line) > width for line in found):
            return self.finer.lines(width)
        return found or [""]


def widths(header: Sequence[str], rows: Sequence[Sequence[Cell]], width: int) -> list[int] | None:
    """Column widths that fit ``width`` with every piece whole, or None when none do.

    Each column starts at its natural width, and the column with the most room to give shrinks
    first: down to what its coarse pieces need, then, only if that is not enough, down to what its
    finer pieces need (a path broken inside a folder name is the last resort); never below its
    header.
    """

    def floor(minimum: Callable[[Cell], int]) -> list[int]:
        return [max(len(name), *(minimum(row[i]) for row in rows)) for i, name in enumerate(header)]

    available = width - len(GAP) * (len(header) - 1)
    chosen = floor(Cell.widest)
    for least in (floor(lambda cell: cell.minimum(finer=False)), floor(Cell.minimum)):
        while sum(chosen) > available and any(size > low for size, low in zip(chosen, least, strict=True)):
            column = max(range(len(chosen)), key=lambda i: chosen[i] - least[i])
            chosen[column] -= 1
    return chosen if sum(chosen) <= available else None


Paint = Callable[[int, int, str], str]  # (row, column, padded text) -> what is printed


def table(
    header: Sequence[str], rows: Sequence[Sequence[Cell]], sizes: Sequence[int], paint: Paint | None = None
) -> list[str]:
    """The header, a rule under it, and each row's cells side by side; colour is applied after
    padding, so escape codes never count toward a width. Row -1 is the header."""
    style = paint or (lambda row, column, text: text)

    def line(row: int, cells: Sequence[str]) -> str:
        last = max((i for i, cell in enumerate(cells) if cell.strip()), default=-1)
        padded = [
            cell.ljust(size) if i < last else cell.rstrip()
            for i, (cell, size) in enumerate(zip(cells, sizes, strict=True))
        ]
        return GAP.join(style(row, i, cell) for i, cell in enumerate(padded[: last + 1]))

    out = [line(-1, header), GAP.join("-" * size for size in sizes)]
    for number, row in enumerate(rows):
        wrapped = [cell.lines(size) for cell, size in zip(row, sizes, strict=True)]
        for depth in range(max(len(lines) for lines in wrapped)):
            out.append(line(number, [lines[depth] if depth < len(lines) else "" for lines in wrapped]))
    return out
