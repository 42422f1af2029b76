"""The gallery's paths, defined once: every test that walks sample_tf/ imports them from here."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "sample_tf"
#: Every scenario folder with an expected.json: its .tf, plan.json and the findings it must get.
SCENARIOS = sorted(path.parent for path in GALLERY.glob("*/expected.json"))
