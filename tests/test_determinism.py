"""The same input gives byte-identical output, whatever the hash seed or the run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scenarios import GALLERY

NAMED = ["aci-foreach-module-fail", "webapp-vnet-pull-setting-pass", "aci-firewalled-nat-unknown-ip-warn"]


def report(plan: Path, fmt: str, hash_seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [sys.executable, "-m", "pullpath", "plan", str(plan), "--format", fmt],
        capture_output=True,
        env=env,
        check=False,
        cwd=GALLERY.parent,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_output_is_identical_across_hash_seeds(fmt):
    for scenario in NAMED:
        plan = Path("sample_tf") / scenario / "plan.json"
        assert report(plan, fmt, "1") == report(plan, fmt, "4242")
