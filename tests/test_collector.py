"""Analysing and rendering make many objects that all stay alive: no cyclic collection walks them."""

from __future__ import annotations

import gc
import importlib

import pytest

from pullpath import engine
from pullpath.engine import analyse_plan
from pullpath.report import RENDERERS, render
from scenarios import GALLERY

PLAN = str(GALLERY / "article-2021-private-acr-aci-vnet" / "plan.json")
MODULES = {"table": "table", "json": "json_doc", "sarif": "sarif", "junit": "junit"}
MODULES |= {"markdown": "markdown", "github": "github"}


def test_every_format_is_listed_here():
    assert set(MODULES) == set(RENDERERS)


@pytest.mark.parametrize("fmt", sorted(MODULES))
def test_the_collector_is_paused_while_a_plan_is_judged_and_rendered_and_on_again_after(fmt, monkeypatch):
    seen: dict[str, bool] = {}
    judge, module = engine.analyse_resources, importlib.import_module(f"pullpath.report.{MODULES[fmt]}")
    draw = module.render

    def judged(*args, **kwargs):
        seen["judging"] = gc.isenabled()
        return judge(*args, **kwargs)

    def drawn(*args, **kwargs):
        seen["rendering"] = gc.isenabled()
        return draw(*args, **kwargs)

    monkeypatch.setattr(engine, "analyse_resources", judged)
    monkeypatch.setattr(module, "render", drawn)
    assert gc.isenabled()
    render(analyse_plan(PLAN), fmt)
    assert seen == {"judging": False, "rendering": False} and gc.isenabled()
