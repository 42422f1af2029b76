"""The project's address is set once, in pyproject.toml, and every link pullpath prints derives from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pullpath import project
from pullpath.engine import analyse_plan
from pullpath.report import render
from pullpath.rules import ALL_RULES
from report_plans import mixed_plan

ROOT = Path(__file__).resolve().parent.parent


def pyproject_url() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    table = text.split("[project.urls]\n", 1)[1].split("\n[", 1)[0]
    [url] = re.findall(r'^Repository = "(.+)"$', table, re.M)
    return url


def pyproject_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    [found] = re.findall(r'^version = "(.+)"$', text.split("[project]\n", 1)[1].split("\n[", 1)[0], re.M)
    return found


def test_the_version_shown_is_the_one_in_pyproject():
    assert project.version() == pyproject_version()


def test_links_derive_from_the_url_in_pyproject(tmp_path):
    url = pyproject_url()
    assert project.repository() == url
    assert all(rule.help_uri == f"{url}/blob/main/docs/rules/{rule.id}.md" for rule in ALL_RULES.values())
    sarif = json.loads(render(analyse_plan(str(mixed_plan(tmp_path))), "sarif"))
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == url and {r["helpUri"] for r in driver["rules"]} == {
        rule.help_uri for rule in ALL_RULES.values()
    }


def test_a_source_tree_without_an_install_reads_pyproject(tmp_path):
    moved = tmp_path / "pyproject.toml"
    moved.write_text(
        '[project]\nname = "pullpath"\n\n[project.urls]\nRepository = "https://example.org/p/pullpath/"\n\n[x]\n'
    )
    assert project._from_pyproject(moved) == "https://example.org/p/pullpath"
    assert project._from_pyproject(tmp_path / "missing.toml") == ""


def test_an_installed_wheel_reads_its_metadata_headers_only(tmp_path, monkeypatch):
    """A wheel's METADATA beside the package: headers, a blank line, then the README, which may
    show other URLs and versions."""
    (tmp_path / "pullpath").mkdir()
    (tmp_path / "pullpath-0.3.1.dist-info").mkdir()
    (tmp_path / "pullpath-0.3.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.4\nName: pullpath\nVersion: 0.3.1\n"
        "Project-URL: Issues, https://example.org/p/pullpath/issues\n"
        "Project-URL: Repository, https://example.org/p/pullpath/\n"
        "Description-Content-Type: text/markdown\n\n"
        "# pullpath\nVersion: 9.9.9\nProject-URL: Repository, https://example.org/elsewhere\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(project, "PACKAGE", tmp_path / "pullpath")
    project.repository.cache_clear()
    project.version.cache_clear()
    try:
        assert (project.repository(), project.version()) == ("https://example.org/p/pullpath", "0.3.1")
    finally:
        project.repository.cache_clear()
        project.version.cache_clear()


def test_a_source_tree_reads_its_version_from_pyproject(tmp_path):
    moved = tmp_path / "pyproject.toml"
    moved.write_text('[build-system]\nversion = "1"\n\n[project]\nname = "pullpath"\nversion = "0.2.0"\n')
    assert project._version_from_pyproject(moved) == "0.2.0"
    assert project._version_from_pyproject(tmp_path / "missing.toml") == project.UNKNOWN_VERSION
