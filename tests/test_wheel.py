"""The wheel a user installs carries every module and pullpath's checkov checks, and they run from it.

A pipeline that installs pullpath from an index has no clone, so ``policies/`` must travel inside
the package (as ``pullpath.policies``) and ``pullpath policies-dir`` must point checkov at it. The
wheel is built from a copy of the sources as pip builds it for a user (an isolated build
environment), offline from the build backend ``make install`` keeps in ``.venv/wheelhouse``, then
installed into a folder of its own and used from there.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from checkov_harness import OFFLINE, POLICIES, ROOT, checkov, rows
from pullpath.cli import run
from test_project_url import pyproject_url as project_url
from test_project_url import pyproject_version as project_version

WHEELHOUSE = Path(sys.prefix) / "wheelhouse"
DEMO_PLAN = ROOT / "sample_tf" / "article-2021-private-acr-aci-vnet" / "plan.json"
_SOURCES = ("pyproject.toml", "README.md", "plugin", "policies")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not any(WHEELHOUSE.glob("setuptools-*.whl")):
        pytest.skip(f"no build backend in {WHEELHOUSE}: `make install` downloads it")
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in _SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=ignore)
        else:
            shutil.copy2(origin, source / name)
    offline = ["--no-index", "--find-links", str(WHEELHOUSE)]
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", *offline, "-w", str(out)]
    built = subprocess.run([*command, str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    [found] = out.glob("pullpath-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target)]
    done = subprocess.run([*command, str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return target


def _from(site: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run with the installed wheel first on the path, away from the repository."""
    environment = {**os.environ, **OFFLINE, "PYTHONPATH": str(site)}
    return subprocess.run(
        command, capture_output=True, text=True, env=environment, cwd=site.parent, timeout=600
    )


def test_the_wheel_holds_every_module_the_checks_and_the_type_marker(wheel):
    expected = {"pullpath/py.typed"}
    expected |= {
        "pullpath/" + path.relative_to(ROOT / "plugin" / "pullpath").as_posix()
        for path in (ROOT / "plugin" / "pullpath").rglob("*.py")
    }
    expected |= {"pullpath/policies/" + path.name for path in (ROOT / "policies").glob("*.py")}
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert expected - names == set(), "pyproject.toml's package list misses a folder"
    assert not any(name.startswith("policies/") for name in names), (
        "the checks must not be a top-level package"
    )


def test_policies_dir_names_the_installed_checks(installed):
    done = _from(installed, sys.executable, "-m", "pullpath", "policies-dir")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == installed / "pullpath" / "policies"
    where = _from(installed, sys.executable, "-c", "import pullpath; print(pullpath.__file__)")
    assert Path(where.stdout.strip()).parent == installed / "pullpath"


def test_the_installed_wheel_knows_its_link_and_version_without_importlib_metadata(installed):
    """Both come from the wheel's own METADATA, read directly (importlib.metadata is ~12 ms)."""
    probe = (
        "import sys, pullpath; from pullpath import project; "
        "print(project.repository(), pullpath.__version__, 'importlib.metadata' in sys.modules)"
    )
    done = _from(installed, sys.executable, "-c", probe)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [project_url(), project_version(), "False"]


def test_checkov_runs_the_installed_checks(installed):
    done = checkov(
        "-f",
        str(DEMO_PLAN),
        "--framework",
        "terraform_plan",
        "-o",
        "json",
        env={"PYTHONPATH": str(installed)},
        cwd=installed.parent,
        checks=installed / "pullpath" / "policies",
    )
    assert done.returncode == 1, done.stderr[-2000:]
    found = {(row.resource, row.check_id, row.result, row.verdict) for row in rows(done.stdout)}
    assert ("azurerm_container_group.app", "PP101", "FAILED", "FAIL") in found, json.dumps(sorted(found))


def test_policies_dir_in_a_source_install_is_the_repository_folder(capsys):
    assert run(["policies-dir"]) == 0
    assert capsys.readouterr().out == f"{POLICIES}\n"


def test_a_copy_without_the_checks_says_so_in_one_line(capsys, monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, package=None: None)
    assert run(["policies-dir"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "policies/" in err
