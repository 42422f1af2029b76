"""Markdown for a pull-request comment: summary line, findings table, Mermaid diagram of every pull path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import azure_values as azure
from layers import route_only
from planbuilder import PlanBuilder
from pullpath.engine import analyse_plan, analyse_tree, review
from pullpath.report import markdown, render
from pullpath.waivers import load_waivers
from report_plans import API, GROUP, WEB, WORKER, mixed_report
from scenarios import SCENARIOS

ROOT = Path(__file__).resolve().parent.parent


def mermaid(text: str) -> list[str]:
    [block] = re.findall(r"```mermaid\n(.*?)\n```", text, re.DOTALL)
    lines = block.splitlines()
    assert lines[0] == "flowchart LR"
    return lines


def labels(lines: list[str]) -> dict[str, str]:
    """Node id -> label text, Mermaid entity codes decoded."""
    found = dict(re.findall(r'^\s*(\w+)\[\(?"(.*?)"\)?\]$', "\n".join(lines), re.MULTILINE))
    return {node: text.replace("#quot;", '"').replace("#35;", "#") for node, text in found.items()}


def edges(lines: list[str]) -> list[tuple[str, str, str, str]]:
    """(source, arrow, label, target) in order, as linkStyle counts them."""
    return re.findall(r'^\s*(\w+) (==>|-->|-\.->)\|"(.*?)"\| (\w+)$', "\n".join(lines), re.MULTILINE)


def table_rows(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    return [re.split(r"(?<!\\)\|", row)[1:-1] for row in rows]


def test_summary_table_and_diagram_of_every_pull_path(tmp_path):
    text = render(mixed_report(tmp_path), "markdown")
    assert text.startswith("### pullpath: ❌ 1 of 4 pull paths fails the gate (at or above FAIL)\n")
    assert (
        "❌ 1 FAIL · ⚠️ 1 WARN · ❔ 1 UNKNOWN · ✅ 1 PASS · 4 pull paths in 4 workloads · 4 findings under 3 rules"
        in text
    )
    rows = table_rows(text)
    assert [cell.strip() for cell in rows[0]] == [
        "verdict",
        "rule",
        "workload",
        "image",
        "registry",
        "reason",
    ]
    assert all(len(row) == 6 for row in rows)
    assert [row[0].strip() for row in rows[1:]] == [
        "❌ FAIL",
        "⚠️ WARN",
        "❔ UNKNOWN",
        "✅ PASS",
    ]  # worst first
    lines = mermaid(text)
    nodes = labels(lines)
    assert {GROUP, WORKER, API, WEB} <= set(nodes.values())
    assert (
        "contosoacr.azurecr.io (closed)" in nodes.values()
        and "fwacr.azurecr.io (firewalled)" in nodes.values()
    )
    drawn = {(nodes[source], label, nodes[target]) for source, _, label, target in edges(lines)}
    assert drawn == {
        (GROUP, "FAIL PP101", "contosoacr.azurecr.io (closed)"),
        (WORKER, "PASS PP102", "contosoacr.azurecr.io (closed)"),
        (API, "WARN PP201", "fwacr.azurecr.io (firewalled)"),
        (WEB, "UNKNOWN PP201", "sharedacr.azurecr.io"),
    }


def test_fail_edges_are_thick_and_red(tmp_path):
    lines = mermaid(render(mixed_report(tmp_path), "markdown"))
    drawn = edges(lines)
    fails = [str(n) for n, (_, arrow, label, _) in enumerate(drawn) if label.startswith("FAIL")]
    assert fails and all(drawn[int(n)][1] == "==>" for n in fails)
    assert all(arrow != "==>" for _, arrow, label, _ in drawn if not label.startswith("FAIL"))
    assert f"  linkStyle {','.join(fails)} stroke:#cf222e,stroke-width:3px" in lines


def test_workloads_are_grouped_by_the_subnet_the_model_places_them_in(tmp_path):
    lines = mermaid(render(mixed_report(tmp_path), "markdown"))
    [subgraph] = [n for n, line in enumerate(lines) if line.startswith("  subgraph ")]
    assert lines[subgraph].endswith('["subnet azurerm_subnet.aci"]')
    inside = lines[subgraph + 1 : lines.index("  end", subgraph)]
    assert list(labels(inside).values()) == [GROUP]
    assert not set(labels(inside).values()) & {WORKER, API, WEB}


def test_waived_paths_and_waiver_notices_show(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "waivers:\n"
        f"  - {{rule: PP101, workload: '{GROUP}', reason: tracked in OPS-1, expires: 2099-01-01}}\n"
        "  - {rule: PP202, workload: '*', reason: nothing, expires: 2099-01-01}\n",
        encoding="utf-8",
    )
    text = render(review(mixed_report(tmp_path), waivers=load_waivers(str(path))), "markdown")
    assert text.startswith(
        "### pullpath: ✅ nothing fails the gate (at or above FAIL); not failing: 1 WARN, 1 UNKNOWN, 1 WAIVED\n"
    )
    assert "#### Waiver notices\n- ⚠️ waiver PP202 for \\*" in text
    assert "| 💤 WAIVED | [PP101]" in text and "waived until 2099-01-01: tracked in OPS-1 (was FAIL:" in text
    assert any(arrow == "-.->" and label == "WAIVED PP101" for _, arrow, label, _ in edges(mermaid(text)))


def test_addresses_and_images_cannot_inject_markup_or_break_the_diagram(tmp_path):
    evil = 'azurerm_container_group.g["a|b `c` <img src=x onerror=alert(1)> #quot; \\"q\\" ]"]'
    plan = PlanBuilder().resource(
        "azurerm_container_registry.acr", azure.registry(public=False, known_login=True), expressions={}
    )
    plan.resource(evil, azure.container_group(image="contosoacr.azurecr.io/app:1"), expressions={})
    text = render(route_only(analyse_plan(str(plan.write(tmp_path)))), "markdown")
    rows = table_rows(text)
    assert all(len(row) == 6 for row in rows)
    cell = rows[1][2].strip()
    opening = re.match(r"`+", cell)
    assert opening, f"the address cell is not code: {cell}"
    fence = opening.group()
    assert cell.endswith(f" {fence}") and len(fence) > max(
        len(run) for run in re.findall(r"`+", cell[len(fence) : -len(fence)])
    )
    outside_code = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", text.split("```mermaid")[0])
    assert "<img" not in outside_code and "img src" not in outside_code
    lines = mermaid(text)
    assert len(edges(lines)) == 1
    assert all(line.count('"') % 2 == 0 for line in lines)
    assert (
        labels(lines)["w1"]
        .replace("#lt;", "<")
        .replace("#gt;", ">")
        .replace("#96;", "`")
        .replace("#amp;", "&")
        == evil
    )


def test_the_diagram_is_left_out_when_mermaid_could_not_draw_it(tmp_path, monkeypatch):
    monkeypatch.setattr(markdown, "MAX_EDGES", 3)
    text = render(mixed_report(tmp_path), "markdown")
    assert "```mermaid" not in text and "The pull-path diagram is left out: 4 pull paths" in text
    assert len(table_rows(text)) == 5


def test_an_input_without_pull_paths_says_so(tmp_path):
    plan = PlanBuilder().resource(
        "azurerm_linux_web_app.hub", azure.linux_web_app(image_name="nginx:1.27"), expressions={}
    )
    text = render(analyse_plan(str(plan.write(tmp_path))), "markdown")
    assert text.startswith("### pullpath: ✅ no pull path from an Azure Container Registry in this input")
    assert set(labels(mermaid(text)).values()) == {"azurerm_linux_web_app.hub"}  # every workload is drawn


def test_a_scan_of_several_roots_draws_each_root_on_its_own(tmp_path):
    for root, name in (("team-a", "a"), ("team-b", "b")):
        (tmp_path / root).mkdir()
        (tmp_path / root / "main.tf").write_text(
            f"""resource "azurerm_container_registry" "acr" {{
  name                          = "acr{name}"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = {"false" if name == "a" else "true"}
}}

resource "azurerm_container_group" "app" {{
  name                = "cg"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"

  container {{
    name   = "app"
    image  = "${{azurerm_container_registry.acr.login_server}}/app:1"
    cpu    = 1
    memory = 1
  }}
}}
""",
            encoding="utf-8",
        )
    report = route_only(analyse_tree(str(tmp_path)))
    lines = mermaid(render(report, "markdown"))
    roots = [line for line in lines if line.startswith("  subgraph m")]
    assert len(roots) == 2
    drawn = sorted((label, labels(lines)[target]) for _, _, label, target in edges(lines))
    assert drawn == [("FAIL PP101", "acra (closed)"), ("PASS PP101", "acrb (open)")]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_every_gallery_scenario_draws_every_workload(scenario):
    report = analyse_plan(str(scenario / "plan.json"))
    text = render(report, "markdown")
    lines = mermaid(text)
    drawn = set(labels(lines).values())
    assert {workload.address for model in report.models for workload in model.workloads} <= drawn
    assert len(edges(lines)) == len(report.findings)
