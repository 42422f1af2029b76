"""The gallery's paths, defined once: every test that walks sample_tf/ imports them from here."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "sample_tf"
#: Every scenario folder with an expected.json: its .tf, plan.json and the findings it must get.
SCENARIOS = sorted(path.parent for path in GALLERY.glob("*/expected.json"))


def line_of(path: Path, start: str) -> int:
    """The number of the first line of ``path`` that starts with ``start``: where a finding on that
    block points, however long the comment the scenario opens with."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(start):
            return number
    raise ValueError(f"no line of {path} starts with {start!r}")
