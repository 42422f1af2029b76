"""Registry inventory (az acr list / az acr show JSON): registries defined elsewhere get a real verdict."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import azure_values as azure
from layers import route_only
from planbuilder import PlanBuilder, ref
from pullpath.builders import build_model
from pullpath.cli import run
from pullpath.engine import Report, analyse_plan, review
from pullpath.inventory import apply_inventory, load_inventory, parse_inventory
from pullpath.model import Resource
from report_plans import ACR, WEB, mixed_plan, mixed_report, verdicts
from scenarios import GALLERY

DATA_SOURCE = GALLERY / "acr-data-source-unknown" / "plan.json"


def az_show(
    name: str,
    public: str = "Disabled",
    action: str = "Allow",
    bypass: str = "AzureServices",
    ip_rules: list[dict] | None = None,
    sku: str = "Premium",
) -> dict:
    """What `az acr show` prints, trimmed to the fields that matter plus a few that do not."""
    return {
        "adminUserEnabled": False,
        "anonymousPullEnabled": False,
        "id": f"{azure.SUB}/Microsoft.ContainerRegistry/registries/{name}",
        "location": "westeurope",
        "loginServer": f"{name}.azurecr.io",
        "name": name,
        "networkRuleBypassOptions": bypass,
        "networkRuleSet": {"defaultAction": action, "ipRules": ip_rules or []},
        "provisioningState": "Succeeded",
        "publicNetworkAccess": public,
        "resourceGroup": "rg-platform-shared",
        "sku": {"name": sku, "tier": sku},
        "type": "Microsoft.ContainerRegistry/registries",
        "zoneRedundancy": "Disabled",
    }


def inventory_file(tmp_path, document, name: str = "acr.json", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, indent=2), encoding=encoding)
    return path


def informed(report, path: Path):
    return verdicts(review(report, inventory=load_inventory(str(path))))


@pytest.mark.skipif(not DATA_SOURCE.is_file(), reason="sample_tf gallery not present")
@pytest.mark.parametrize(
    ("bypass", "expected"),
    [("AzureServices", ("PP102", "PASS")), ("None", ("PP102", "FAIL"))],
)
def test_a_data_source_registry_is_judged_from_the_inventory(tmp_path, bypass, expected):
    report = analyse_plan(str(DATA_SOURCE))
    assert verdicts(report) == {("azurerm_container_group.app", "PP101", "UNKNOWN")}
    path = inventory_file(tmp_path, az_show("sharedacr", bypass=bypass))  # a single object: az acr show
    assert informed(report, path) == {("azurerm_container_group.app", *expected)}


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (az_show("sharedacr", public="Enabled"), "PASS"),
        (az_show("sharedacr", public="Disabled"), "FAIL"),
        (az_show("sharedacr", public="Enabled", action="Deny"), "FAIL"),  # firewalled, no IP rule
        (
            az_show(
                "sharedacr",
                public="Enabled",
                action="Deny",
                ip_rules=[{"action": "Allow", "ipAddressOrRange": "198.51.100.0/24"}],
            ),
            "WARN",  # firewalled; the app's outbound addresses are known only after apply
        ),
    ],
)
def test_a_login_server_no_resource_defines_is_judged_from_the_inventory(tmp_path, entry, expected):
    path = inventory_file(tmp_path, [az_show("otheracr"), entry])  # a list: az acr list
    assert (WEB, "PP201", "UNKNOWN") in verdicts(mixed_report(tmp_path))
    assert (WEB, "PP201", expected) in informed(mixed_report(tmp_path), path)


def test_ip_rules_in_arm_shape_and_names_match_case_insensitively(tmp_path):
    plan = PlanBuilder()
    plan.resource(
        "azurerm_linux_web_app.web",
        azure.linux_web_app(
            image_name="SharedACR.azurecr.io/web:1", outbound=["198.51.100.7", "198.51.100.8"]
        ),
        expressions={},
    )
    report = analyse_plan(str(plan.write(tmp_path)))
    entry = az_show("sharedacr", public="Enabled", action="Deny")
    entry["networkRuleSet"]["ipRules"] = [{"action": "Allow", "value": "198.51.100.0/24"}]  # ARM REST shape
    del entry["loginServer"]
    assert informed(report, inventory_file(tmp_path, entry)) == {
        ("azurerm_linux_web_app.web", "PP201", "PASS")
    }


def test_a_registry_the_configuration_defines_keeps_its_configured_settings(tmp_path):
    """The plan closes contosoacr; an inventory saying it is open today does not override what apply sets."""
    report = mixed_report(tmp_path)
    path = inventory_file(tmp_path, [az_show("contosoacr", public="Enabled")])
    assert informed(report, path) == verdicts(report)


def test_entries_no_image_uses_add_no_registry(tmp_path):
    report = mixed_report(tmp_path)
    again = review(
        report,
        inventory=load_inventory(str(inventory_file(tmp_path, [az_show(f"acr{n}") for n in range(5)]))),
    )
    assert again.registries == report.registries and route_only(again).findings == report.findings


def test_a_powershell_utf16_inventory_is_read(tmp_path):
    path = tmp_path / "acr.json"
    path.write_bytes(b"\xff\xfe" + json.dumps([az_show("sharedacr", public="Enabled")]).encode("utf-16-le"))
    assert (WEB, "PP201", "PASS") in informed(mixed_report(tmp_path), path)


def test_the_cli_takes_the_inventory_for_plan_and_keeps_the_gate(tmp_path, capsys):
    plan = mixed_plan(tmp_path)
    path = inventory_file(tmp_path, [az_show("sharedacr", public="Disabled")])
    code = run(["plan", str(plan), "--registry-inventory", str(path), "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    web = next(f for f in document["findings"] if f["workload"] == WEB)
    assert code == 1 and web["verdict"] == "FAIL" and web["registry"] == "sharedacr.azurecr.io"
    assert {
        "address": "sharedacr.azurecr.io",
        "attribute": "publicNetworkAccess",  # the az CLI field the user supplied
        "value": "false",
    } in web["evidence"]
    assert document["summary"]["registries"] == 3  # contosoacr, fwacr and sharedacr from the inventory


def test_a_module_registry_reference_is_unaffected(tmp_path):
    """A registry the plan references (not by text) is the configuration's, whatever the inventory says."""
    plan = PlanBuilder().resource(
        ACR, azure.registry(public=False), unknown=azure.REGISTRY_UNKNOWN, expressions={}
    )
    plan.resource(
        "azurerm_container_group.app",
        azure.container_group(),
        unknown=["container.0.image"],
        expressions={"container": [{"image": ref(f"{ACR}.login_server", ACR)}]},
    )
    report = analyse_plan(str(plan.write(tmp_path)))
    assert informed(report, inventory_file(tmp_path, az_show("contosoacr", public="Enabled"))) == verdicts(
        report
    )


def credential_report(tmp_path, workload: str, values: dict) -> Report:
    """A plan whose one workload pulls from sharedacr.azurecr.io, which no resource defines."""
    plan = PlanBuilder().resource(workload, values, expressions={})
    return analyse_plan(str(plan.write(tmp_path)))


def credential_verdicts(report) -> set[tuple[str, str]]:
    return {(f.rule, report.shown(f)) for f in report.findings if f.rule.startswith("PP5")}


@pytest.mark.parametrize(
    ("anonymous", "expected"), [(None, "UNKNOWN"), (True, "PASS"), (False, "FAIL")], ids=str
)
def test_the_inventory_tells_whether_a_pull_without_credential_is_anonymous(tmp_path, anonymous, expected):
    report = credential_report(
        tmp_path, "azurerm_container_group.app", azure.container_group(image="sharedacr.azurecr.io/app:1.0")
    )
    assert credential_verdicts(report) == {("PP501", "UNKNOWN")}
    entry = az_show("sharedacr", public="Enabled")
    if anonymous is None:
        del entry["anonymousPullEnabled"]  # a trimmed listing: not told, so still unknown
    else:
        entry["anonymousPullEnabled"] = anonymous
    again = review(report, inventory=load_inventory(str(inventory_file(tmp_path, [entry]))))
    assert credential_verdicts(again) == {("PP501", expected)}


@pytest.mark.parametrize(("admin", "expected"), [(True, "PASS"), (False, "FAIL"), (None, "UNKNOWN")], ids=str)
def test_the_inventory_tells_whether_the_admin_user_a_workload_pulls_as_is_enabled(tmp_path, admin, expected):
    group = azure.container_group(
        image="sharedacr.azurecr.io/app:1.0",
        credential={"server": "sharedacr.azurecr.io", "username": "sharedacr", "password": "x-admin-pw-77"},
    )
    report = credential_report(tmp_path, "azurerm_container_group.app", group)
    assert credential_verdicts(report) == {("PP501", "UNKNOWN")}
    entry = az_show("sharedacr", public="Enabled")
    if admin is None:
        del entry["adminUserEnabled"]
    else:
        entry["adminUserEnabled"] = admin
    again = review(report, inventory=load_inventory(str(inventory_file(tmp_path, [entry]))))
    assert credential_verdicts(again) == {("PP501", expected)}


@pytest.mark.parametrize("key", ["azureAdAuthenticationAsArmPolicy", "azureADAuthenticationAsArmPolicy"])
@pytest.mark.parametrize(("status", "expected"), [("disabled", "PP507"), ("enabled", "PP503")])
def test_the_inventory_tells_whether_the_registry_refuses_arm_audience_tokens(
    tmp_path, key, status, expected
):
    """az CLI prints the policy as the SDK names it, the ARM REST API as ARM does: both are read."""
    web = azure.linux_web_app(image_name="app:1.0", registry_url="https://sharedacr.azurecr.io")
    report = credential_report(tmp_path, "azurerm_linux_web_app.web", web)
    entry = az_show("sharedacr", public="Enabled")
    entry["policies"] = {key: {"status": status}, "exportPolicy": {"status": "enabled"}}
    again = review(report, inventory=load_inventory(str(inventory_file(tmp_path, [entry]))))
    (finding,) = [f for f in again.findings if f.rule.startswith("PP5")]
    assert (
        finding.rule == expected and finding.verdict.name == "FAIL"
    )  # PP503: the system identity has no grant
    if expected == "PP507":
        assert any(
            e.attribute == "policies.azureAdAuthenticationAsArmPolicy.status" for e in finding.evidence
        )


MALFORMED = {
    "not-json": b"loginServer: sharedacr.azurecr.io",
    "scalar": b"42",
    "entry-not-object": b'["sharedacr"]',
    "no-name": json.dumps([{"publicNetworkAccess": "Enabled"}]).encode(),
    "no-public-access": json.dumps([{"loginServer": "a.azurecr.io"}]).encode(),
    "bad-public-access": json.dumps(
        [{"loginServer": "a.azurecr.io", "publicNetworkAccess": "Sometimes"}]
    ).encode(),
    "bad-default-action": json.dumps(
        [
            {
                "loginServer": "a.azurecr.io",
                "publicNetworkAccess": "Enabled",
                "networkRuleSet": {"defaultAction": "Maybe"},
            }
        ]
    ).encode(),
    "ip-rules-not-list": json.dumps(
        [
            {
                "loginServer": "a.azurecr.io",
                "publicNetworkAccess": "Enabled",
                "networkRuleSet": {"ipRules": "1.2.3.4"},
            }
        ]
    ).encode(),
    "duplicate": json.dumps([{"loginServer": "a.azurecr.io", "publicNetworkAccess": "Enabled"}] * 2).encode(),
    "empty": b"",
    "admin-not-boolean": json.dumps(
        [{"loginServer": "a.azurecr.io", "publicNetworkAccess": "Enabled", "adminUserEnabled": "yes"}]
    ).encode(),
    "policies-not-object": json.dumps(
        [{"loginServer": "a.azurecr.io", "publicNetworkAccess": "Enabled", "policies": "strict"}]
    ).encode(),
    "bad-audience-status": json.dumps(
        [
            {
                "loginServer": "a.azurecr.io",
                "publicNetworkAccess": "Enabled",
                "policies": {"azureAdAuthenticationAsArmPolicy": {"status": "sometimes"}},
            }
        ]
    ).encode(),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_inventory_is_an_input_error(tmp_path, capsys, name):
    path = tmp_path / "acr.json"
    path.write_bytes(MALFORMED[name])
    code = run(["plan", str(mixed_plan(tmp_path)), "--registry-inventory", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("pullpath: error: ") and err.count("\n") == 1 and "acr.json" in err


def test_a_large_inventory_is_looked_up_by_index(tmp_path):
    """60,000 entries against 20,000 workloads: a scan of the list per image took 28 s."""
    entries = [az_show(f"reg{number}") for number in range(60_000)]
    inventory = parse_inventory(entries, "inventory.json")
    groups = [
        Resource(
            address=f"azurerm_container_group.g{number}",
            type="azurerm_container_group",
            values=azure.container_group(image=f"reg{number * 3}.azurecr.io/app:1"),
            refs={("container", 0, "image"): ()},
        )
        for number in range(20_000)
    ]
    model = build_model(groups, "plan.json")
    start = time.monotonic()
    informed = apply_inventory(model, inventory)
    assert time.monotonic() - start < 5
    assert len(informed.registries) == 20_000
    assert informed.index.registries["reg59997.azurecr.io"].public_network_access is False
