"""``--role-assignments FILE`` (az role assignment list --all -o json): grants made outside the input.

An identity read through a data source holds whatever grants Azure has for it; the file says which,
matched by the principal's object ID and by a scope that contains the registry. The gallery's
``identity-data-source-unknown`` is UNKNOWN without the file and gets a verdict with it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pullpath.builders import build_model
from pullpath.cli import run
from pullpath.engine import analyse_directory, analyse_plan, review
from pullpath.errors import InputError
from pullpath.model import Cite, Verdict
from pullpath.readers.plan import read_plan
from pullpath.role_assignments import apply_role_assignments, load_role_assignments, parse_role_assignments
from scenarios import GALLERY

SCENARIO = GALLERY / "identity-data-source-unknown"
GROUP = "azurerm_container_group.batch"
SUBSCRIPTION = "/subscriptions/6a1f3c2e-8b4d-4f7a-9e21-3c5d7b9a0f14"
PRINCIPAL = "c3a91f2e-7d45-4b8a-9e16-2f0d8c4b7a53"  # the data source's principal_id in the plan
CLIENT = "e8b4d2c6-1a3f-4e59-8b70-6c2d9f1e4a38"  # its client_id, which az prints as principalName
ACR_PULL = (
    f"{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d"
)
ACR_DELETE = (
    f"{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/c2f4ef07-c644-48eb-af81-4b1b4947fb11"
)

pytestmark = pytest.mark.skipif(not SCENARIO.is_dir(), reason="sample_tf gallery not present")


def assignment(
    principal: str = PRINCIPAL,
    scope: str = SUBSCRIPTION,
    name: str | None = "AcrPull",
    definition: str | None = ACR_PULL,
    guid: str = "0f8e2d4c-6b1a-4c3e-9d57-8a2b4c6d8e10",
) -> dict:
    """One entry as `az role assignment list --all -o json` prints it, with the fields that do not matter."""
    entry = {
        "condition": None,
        "conditionVersion": None,
        "createdBy": "0d6f1a2b-3c4d-4e5f-8a9b-1c2d3e4f5a6b",
        "createdOn": "2025-11-03T08:12:44.517341+00:00",
        "delegatedManagedIdentityResourceId": None,
        "description": None,
        "id": f"{scope.rstrip('/')}/providers/Microsoft.Authorization/roleAssignments/{guid}",
        "name": guid,
        "principalId": principal,
        "principalName": CLIENT,
        "principalType": "ServicePrincipal",
        "roleDefinitionId": definition,
        "roleDefinitionName": name,
        "scope": scope,
        "type": "Microsoft.Authorization/roleAssignments",
        "updatedBy": "0d6f1a2b-3c4d-4e5f-8a9b-1c2d3e4f5a6b",
        "updatedOn": "2025-11-03T08:12:44.517341+00:00",
    }
    if name is None:
        del entry["roleDefinitionName"]
    return entry


def write(tmp_path: Path, entries: list, encoding: str = "utf-8", name: str = "assignments.json") -> Path:
    path = tmp_path / name
    text = json.dumps(entries, indent=2)
    if encoding == "utf-16":  # what PowerShell's > writes: a BOM, then UTF-16 LE
        path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    elif encoding == "utf-8-sig":
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def credential_finding(report):
    (finding,) = [f for f in report.findings if f.rule.startswith("PP5")]
    return finding


def informed(tmp_path: Path, entries: list):
    report = analyse_plan(str(SCENARIO / "plan.json"))
    return credential_finding(
        review(report, role_assignments=load_role_assignments(str(write(tmp_path, entries))))
    )


def test_without_the_file_the_data_source_identity_is_unknown_and_says_so():
    finding = credential_finding(analyse_plan(str(SCENARIO / "plan.json")))
    assert (finding.rule, finding.verdict) == ("PP503", Verdict.UNKNOWN)
    assert "--role-assignments" in finding.remediation


@pytest.mark.parametrize(
    "entry",
    [
        assignment(),  # AcrPull on the subscription
        assignment(scope=f"{SUBSCRIPTION}/resourceGroups/rg-aci-batch"),  # the registry's resource group
        assignment(name=None),  # by definition ID alone
        assignment(principal=PRINCIPAL.upper(), name="Contributor", definition=None),
        assignment(scope="/providers/Microsoft.Management/managementGroups/mg-landing-zones"),
    ],
    ids=["subscription", "resource-group", "definition-id", "contributor-upper-case-id", "management-group"],
)
def test_an_entry_for_the_principal_covering_the_registry_passes_and_is_named(tmp_path, entry):
    finding = informed(tmp_path, [assignment(principal="11111111-2222-3333-4444-555555555555"), entry])
    assert (finding.rule, finding.verdict) == ("PP503", Verdict.PASS)
    assert "az role assignment 0f8e2d4c-6b1a-4c3e-9d57-8a2b4c6d8e10" in finding.reason
    cited = {(e.attribute, e.value) for e in finding.evidence}
    assert ("scope", entry["scope"]) in cited
    role = ("roleDefinitionName", entry["roleDefinitionName"]) if "roleDefinitionName" in entry else None
    assert (role or ("roleDefinitionId", ACR_PULL)) in cited


@pytest.mark.parametrize(
    "entries",
    [
        [],
        [assignment(principal="11111111-2222-3333-4444-555555555555")],  # another principal
        [assignment(scope=f"{SUBSCRIPTION}/resourceGroups/rg-other")],  # a group without the registry
        [assignment(name="AcrDelete", definition=ACR_DELETE)],  # a role without pull
        [assignment(name="Key Vault Secrets User", scope=f"{SUBSCRIPTION}/resourceGroups/rg-kv")],
    ],
    ids=["empty", "other-principal", "other-group", "no-pull-role", "other-role-elsewhere"],
)
def test_a_file_without_a_covering_entry_stays_unknown_and_says_the_file_had_none(tmp_path, entries):
    finding = informed(tmp_path, entries)
    assert (finding.rule, finding.verdict) == ("PP503", Verdict.UNKNOWN)
    assert "assignments.json (--role-assignments)" in finding.reason
    assert "neither this input nor" in finding.reason
    assert "Pass its grants" not in finding.remediation  # it was passed


def test_a_scan_cannot_match_the_file_without_the_principal_id_and_says_to_judge_the_plan(tmp_path):
    report = analyse_directory(str(SCENARIO))
    path = write(tmp_path, [assignment()])
    finding = credential_finding(review(report, role_assignments=load_role_assignments(str(path))))
    assert (finding.rule, finding.verdict) == ("PP503", Verdict.UNKNOWN)
    assert "matched by principal ID" in finding.reason and "pullpath plan" in finding.remediation


def test_an_identity_the_input_names_only_by_a_literal_id_says_the_file_cannot_match_it(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(SCENARIO, source)
    main = source / "main.tf"
    main.write_text(
        main.read_text(encoding="utf-8").replace(
            "data.azurerm_user_assigned_identity.platform.id",
            f'"{SUBSCRIPTION}/resourceGroups/rg-platform-identities/providers/Microsoft.ManagedIdentity/'
            'userAssignedIdentities/id-platform-acrpull"',
        ),
        encoding="utf-8",
    )
    report = analyse_directory(str(source))
    path = write(tmp_path, [assignment()])
    finding = credential_finding(review(report, role_assignments=load_role_assignments(str(path))))
    assert (finding.rule, finding.verdict) == ("PP503", Verdict.UNKNOWN)
    assert "lists grants by principal ID" in finding.reason
    assert 'data "azurerm_user_assigned_identity"' in finding.remediation


def test_entries_become_grants_in_file_order_with_the_field_they_were_read_from():
    grants = parse_role_assignments(
        [assignment(), {**assignment(name=None), "name": None, "id": None}], "ra.json"
    ).grants
    assert [g.address for g in grants] == [
        "az role assignment 0f8e2d4c-6b1a-4c3e-9d57-8a2b4c6d8e10",
        "az role assignment #1",
    ]
    assert [g.role for g in grants] == ["AcrPull", ACR_PULL]
    assert [g.cite(Cite.ROLE) for g in grants] == [
        "roleDefinitionName",
        "roleDefinitionId",
    ]
    assert grants[0].principal.value == PRINCIPAL and grants[0].scope.value == SUBSCRIPTION


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_the_cli_takes_the_file_for_plan_scan_and_source_dir_in_every_encoding(tmp_path, capsys, encoding):
    path = write(tmp_path, [assignment()], encoding)
    plan = str(SCENARIO / "plan.json")
    for command in (
        ["plan", plan],
        ["plan", plan, "--source-dir", str(SCENARIO)],
        ["scan", str(SCENARIO)],
    ):
        code = run([*command, "--role-assignments", str(path), "--format", "json", "--fail-on", "unknown"])
        document = json.loads(capsys.readouterr().out)
        verdicts = {f["rule"]: f["verdict"] for f in document["findings"]}
        if command[0] == "plan":
            assert (code, verdicts) == (0, {"PP101": "PASS", "PP503": "PASS"}), command
        else:  # .tf sources do not know a data source's principal ID
            assert (code, verdicts) == (1, {"PP101": "PASS", "PP503": "UNKNOWN"}), command


def test_the_file_and_the_registry_inventory_apply_together(tmp_path, capsys):
    inventory = tmp_path / "acr.json"
    inventory.write_text("[]", encoding="utf-8")
    path = write(tmp_path, [assignment()])
    code = run(
        ["plan", str(SCENARIO / "plan.json"), "--registry-inventory", str(inventory)]
        + ["--role-assignments", str(path), "--format", "json"]
    )
    document = json.loads(capsys.readouterr().out)
    assert code == 0 and {f["rule"]: f["verdict"] for f in document["findings"]}["PP503"] == "PASS"


def test_the_file_is_never_overwritten_by_a_report(tmp_path, capsys):
    path = write(tmp_path, [assignment()], name="out.json")
    before = path.read_bytes()
    code = run(["plan", str(SCENARIO / "plan.json"), "--role-assignments", str(path), "-o", str(path)])
    assert code == 2 and path.read_bytes() == before
    assert capsys.readouterr().err.count("\n") == 1


SECRETISH = "do-not-echo-this-value-9f3"
MALFORMED = {
    "not-json": b"principalId: abc",
    "truncated": json.dumps([assignment()])[:-5].encode(),
    "an-object": json.dumps(assignment()).encode(),  # az role assignment create prints one object
    "a-string": json.dumps(SECRETISH).encode(),
    "entry-not-object": json.dumps([SECRETISH]).encode(),
    "no-principal": json.dumps([{**assignment(), "principalId": None}]).encode(),
    "no-scope": json.dumps([{k: v for k, v in assignment().items() if k != "scope"}]).encode(),
    "scope-not-an-id": json.dumps([assignment(scope=SECRETISH)]).encode(),
    "principal-not-text": json.dumps([{**assignment(), "principalId": {"id": SECRETISH}}]).encode(),
    "no-role": json.dumps([{**assignment(), "roleDefinitionName": None, "roleDefinitionId": None}]).encode(),
    "not-utf": b"\xff\xfe\x00\xd8\x41\x00",
    "empty": b"",
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_file_is_one_line_exit_2_and_never_echoes_values(tmp_path, capsys, name):
    path = tmp_path / "assignments.json"
    path.write_bytes(MALFORMED[name])
    code = run(["plan", str(SCENARIO / "plan.json"), "--role-assignments", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("pullpath: error: ") and err.count("\n") == 1 and "assignments.json" in err
    assert SECRETISH not in err and PRINCIPAL not in err


def test_a_missing_file_is_an_input_error():
    with pytest.raises(InputError, match="no such file"):
        load_role_assignments("/nonexistent/assignments.json")


def test_only_the_grants_to_principals_the_input_holds_join_the_model():
    """A tenant's listing is large and a scan applies it to every root: grants are picked by index."""
    others = [assignment(principal=f"00000000-0000-4000-8000-{n:012d}", guid=f"g{n}") for n in range(20_000)]
    ours = [
        assignment(guid="ours-1"),
        assignment(scope=f"{SUBSCRIPTION}/resourceGroups/rg-kv", guid="ours-2"),
    ]
    supplied = parse_role_assignments([*others[:10_000], ours[0], *others[10_000:], ours[1]], "ra.json")
    path = str(SCENARIO / "plan.json")
    model = build_model(read_plan(path), path)
    informed = apply_role_assignments(model, supplied)
    added = informed.role_assignments[len(model.role_assignments) :]
    assert [g.address for g in added] == ["az role assignment ours-1", "az role assignment ours-2"]
    assert informed.role_assignments_file == "ra.json"
