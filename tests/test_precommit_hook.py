"""The pre-commit hook runs the real `pullpath scan` on the repository's .tf sources."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from pullpath.cli import run

ROOT = Path(__file__).resolve().parent.parent


def test_the_hook_runs_pullpath_scan_on_the_sources(tmp_path, capsys, monkeypatch):
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "pullpath-scan" and hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "infra/main.tf") and not re.search(hook["files"], "README.md")
    program, *command = shlex.split(hook["entry"])
    assert program == "pullpath"
    (tmp_path / "main.tf").write_text(
        (ROOT / "sample_tf" / "article-2021-private-acr-aci-vnet" / "main.tf").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code = run([*command, *hook["args"]])
    out, err = capsys.readouterr()
    assert code == 1 and "FAIL" in out and "PP101" in out, err
