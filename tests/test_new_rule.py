"""``make new-rule`` scaffolds every place a rule lives; what it writes passes lint and fails its tests.

Run on a copy of the checkout (without the gallery, which the scaffold only adds to), so the
real tree is never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scenarios import ROOT

TOOL = ROOT / "tools" / "new_rule.py"


@pytest.fixture()
def checkout(tmp_path: Path) -> Path:
    for part in ("plugin", "policies", "tests", "docs"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "sample_tf").mkdir()
    return tmp_path


def scaffold(checkout: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), *args, "--root", str(checkout)],
        capture_output=True,
        text=True,
        check=False,
    )


def run_tests(checkout: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *paths],
        cwd=checkout,
        env={"PYTHONPATH": str(checkout / "plugin"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_new_family_is_scaffolded_everywhere_lints_clean_and_fails_its_tests(checkout):
    made = scaffold(checkout, "PP598", "example-new-family", "example_family")
    assert made.returncode == 0, made.stderr
    for path in (
        "plugin/pullpath/rules/example_family.py",
        "plugin/pullpath/rules/examples/example_family.py",
        "policies/pullpath_example_family.py",
        "tests/test_rules_example_family.py",
        "sample_tf/example-new-family-fail/expected.json",
        "sample_tf/example-new-family-pass/plan.json",
    ):
        assert (checkout / path).is_file(), path
    assert "(example_family.RULES, example_family.evaluate)" in (
        checkout / "plugin/pullpath/rules/__init__.py"
    ).read_text(encoding="utf-8")
    # a second rule joins the family it names
    assert scaffold(checkout, "PP599", "another-example", "example_family").returncode == 0
    assert "RULES = (PP598, PP599)" in (checkout / "plugin/pullpath/rules/example_family.py").read_text(
        encoding="utf-8"
    )
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "plugin", "tests", "policies"],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    tests = run_tests(checkout, "tests/test_rules_example_family.py")
    assert tests.returncode == 1 and tests.stdout.count("\nFAILED ") == 4, tests.stdout[-2000:]


def test_an_id_that_is_taken_or_malformed_is_refused_in_one_line(checkout):
    for args, said in (
        (("PP101", "taken-id", "container_groups"), "PP101 is taken"),
        (("PP1010", "long-id", "container_groups"), "not PP plus three digits"),
        (("PP597", "Bad Slug", "container_groups"), "not a kebab-case name"),
    ):
        made = scaffold(checkout, *args)
        assert made.returncode == 2 and said in made.stderr and len(made.stderr.splitlines()) == 1
