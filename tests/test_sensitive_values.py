"""Values Terraform marks sensitive are shown as ``(sensitive value)``, never in clear; rules still judge them.

A release tag kept secret (a sensitive variable set by its default, a tfvars file or ``--var``, a
module's sensitive output, a ``sensitive()`` call) ends up inside an image reference, which every
format prints. In a plan Terraform marks the image in ``after_sensitive`` and ``sensitive_values``;
in sources the declarations say it. The same workloads with nothing sensitive are the control:
verdicts must not change, only what is shown. Credentials written into an image reference
(``user:pass@host:5000/...``, ``https://user:pass@host/...``) are removed from what is shown too,
while the host still decides the verdict.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from checkov_harness import checkov, rows
from layers import rows_without_layers
from pullpath.cli import run
from pullpath.report import RENDERERS
from pullpath.resolve import image_host, split_userinfo
from pullpath.sensitive import SHOWN, Redactor
from scenarios import GALLERY

BASE = GALLERY / "aci-public-firewalled-literal-fail"  # public group, firewalled registry: PP101 FAIL
BASE_IMAGE = "contosoprod.azurecr.io/api:2.3"

#: Each workload's image and the secret inside it, by how the sources make it sensitive.
SECRETS = {
    "api": "default-tag-Secr3t-1a1a",  # sensitive variable, default
    "jobs": "tfvars-tag-Secr3t-2b2b",  # sensitive variable, terraform.tfvars
    "web": "cli-tag-Secr3t-3c3c",  # sensitive variable, --var
    "worker": "module-Secr3t-4d4d",  # sensitive output of a module
    "batch": "fn-tag-Secr3t-5e5e",  # sensitive()
}
VARIABLES = {"api": "api_tag", "jobs": "jobs_tag", "web": "web_tag"}


def image(name: str) -> str:
    return f"contosoprod.azurecr.io/{name}:{SECRETS[name]}"


def leaked(text: str, names=tuple(SECRETS)) -> list[str]:
    return [name for name in names if SECRETS[name].lower() in text.lower()]


# --- sources ---------------------------------------------------------------------------------

_GROUP = re.compile(r'resource "azurerm_container_group" "api" \{\n.*?\n\}\n', re.DOTALL)


def _group(text: str) -> str:
    """The gallery root's container group "api", the block each test copies."""
    match = _GROUP.search(text)
    assert match, "the gallery root has no container group api"
    return match.group(0)


SOURCE_IMAGES = {
    "api": '"contosoprod.azurecr.io/api:${var.api_tag}"',
    "jobs": '"contosoprod.azurecr.io/jobs:${var.jobs_tag}"',
    "web": '"contosoprod.azurecr.io/web:${var.web_tag}"',
    "worker": "module.release.worker_image",
    "batch": '"contosoprod.azurecr.io/batch:${local.batch_tag}"',
}

DECLARATIONS = f"""
variable "api_tag" {{
  description = "Release tag of the api image; the tag names an unreleased customer."
  type        = string
  sensitive   = true
  default     = "{SECRETS["api"]}"
}}

variable "jobs_tag" {{
  type      = string
  sensitive = true
}}

variable "web_tag" {{
  type      = string
  sensitive = true
}}

locals {{
  batch_tag = sensitive("{SECRETS["batch"]}")
}}

module "release" {{
  source = "./modules/release"
}}
"""

RELEASE_MODULE = f"""
locals {{
  tag = "{SECRETS["worker"]}"
}}

output "worker_image" {{
  value     = "contosoprod.azurecr.io/worker:${{local.tag}}"
  sensitive = true
}}
"""


def write_sources(folder: Path, clear: bool = False) -> Path:
    """The gallery root with five container groups, each image secret in its own way.

    ``clear``: the same configuration with nothing declared sensitive (the control).
    """
    text = (BASE / "main.tf").read_text(encoding="utf-8")
    group = _group(text)
    groups = [
        group.replace('"api"', f'"{name}"', 1).replace(f'"{BASE_IMAGE}"', SOURCE_IMAGES[name])
        for name in SECRETS
    ]
    declarations = DECLARATIONS + "".join(groups)
    module = RELEASE_MODULE
    if clear:
        declarations = declarations.replace("sensitive   = true\n", "").replace("sensitive = true\n", "")
        declarations = declarations.replace(f'sensitive("{SECRETS["batch"]}")', f'"{SECRETS["batch"]}"')
        module = module.replace("sensitive = true\n", "")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text(_GROUP.sub(lambda _: declarations, text), encoding="utf-8")
    (folder / "terraform.tfvars").write_text(f'jobs_tag = "{SECRETS["jobs"]}"\n', encoding="utf-8")
    (folder / "modules" / "release").mkdir(parents=True, exist_ok=True)
    (folder / "modules" / "release" / "main.tf").write_text(module, encoding="utf-8")
    return folder


# --- plans -----------------------------------------------------------------------------------


def _walk_replace(node: Any, old: str, new: str) -> Any:
    if isinstance(node, dict):
        return {key: _walk_replace(value, old, new) for key, value in node.items()}
    if isinstance(node, list):
        return [_walk_replace(value, old, new) for value in node]
    return new if node == old else node


def build_plan(marks: tuple[str, ...]) -> dict[str, Any]:
    """The gallery plan with the five groups, as ``terraform show -json`` writes it for the sources.

    ``marks`` says where the plan records sensitivity: ``after_sensitive`` (resource_changes),
    ``sensitive_values`` (planned_values), ``variables`` (the root variables' declarations).
    Terraform 1.x writes all three; each alone must hide what it marks.
    """
    base = json.loads((BASE / "plan.json").read_text(encoding="utf-8"))
    planned = base["planned_values"]["root_module"]["resources"]
    changes = base["resource_changes"]
    configured = base["configuration"]["root_module"]["resources"]
    address = "azurerm_container_group.api"
    record = next(r for r in planned if r["address"] == address)
    change = next(c for c in changes if c["address"] == address)
    config = next(c for c in configured if c["address"] == address)
    for collection, template in ((planned, record), (changes, change), (configured, config)):
        collection.remove(template)
        for name in SECRETS:
            copy = _walk_replace(json.loads(json.dumps(template)), BASE_IMAGE, image(name))
            copy["address"], copy["name"] = f"azurerm_container_group.{name}", name
            if name in VARIABLES and "expressions" in copy:
                copy["expressions"]["container"][0]["image"] = {"references": [f"var.{VARIABLES[name]}"]}
            if "values" in copy and "sensitive_values" in marks:
                copy["sensitive_values"]["container"][0]["image"] = True
            if "change" in copy and "after_sensitive" in marks:
                copy["change"]["after_sensitive"]["container"][0]["image"] = True
            collection.append(copy)
    for name, variable in VARIABLES.items():
        tag = SECRETS[name]
        base["variables"][variable] = {"value": tag}
        declaration: dict[str, Any] = {"description": "Release tag."}
        if "variables" in marks:
            declaration["sensitive"] = True
        base["configuration"]["root_module"].setdefault("variables", {})[variable] = declaration
    return base


def write_plan(folder: Path, marks: tuple[str, ...], name: str = "plan.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(build_plan(marks), indent=2), encoding="utf-8")
    return path


def judged(argv: list[str], capsys) -> list[tuple[str, str, str, str | None]]:
    """What the JSON report judged: (workload, rule, verdict, registry) per finding."""
    assert run([*argv, "--format", "json"]) == 1
    findings = rows_without_layers(json.loads(capsys.readouterr().out)["findings"])
    return sorted((f["workload"], f["rule"], f["verdict"], f["registry"]) for f in findings)


def shown_images(argv: list[str], capsys) -> dict[str, str]:
    run([*argv, "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    return {f["workload"].rsplit(".", 1)[-1]: f["image"] for f in findings}


def assert_hidden_in_every_format(argv: list[str], capsys, names=tuple(SECRETS)) -> None:
    for fmt in sorted(RENDERERS):
        code = run([*argv, "--format", fmt])
        out, err = capsys.readouterr()
        assert code == 1, (fmt, err)
        assert leaked(out, names) == [] and leaked(err, names) == [], fmt


# --- plan ------------------------------------------------------------------------------------

PLAN_MARKS = {
    "after_sensitive": ("after_sensitive",),
    "sensitive_values": ("sensitive_values",),
    "as terraform writes": ("after_sensitive", "sensitive_values", "variables"),
}


@pytest.mark.parametrize("marks", sorted(PLAN_MARKS))
def test_plan_marks_hide_values_in_every_format(tmp_path, capsys, marks):
    path = write_plan(tmp_path, PLAN_MARKS[marks])
    assert leaked(path.read_text(encoding="utf-8")) == list(SECRETS)  # the plan holds them in clear
    assert_hidden_in_every_format(["plan", str(path)], capsys)
    assert set(shown_images(["plan", str(path)], capsys).values()) == {SHOWN}


def test_plan_marks_change_what_is_shown_not_the_verdicts(tmp_path, capsys):
    clear = judged(["plan", str(write_plan(tmp_path / "clear", ()))], capsys)
    marked = judged(["plan", str(write_plan(tmp_path / "marked", PLAN_MARKS["as terraform writes"]))], capsys)
    assert marked == clear
    assert {verdict for _, _, verdict, _ in marked} == {"FAIL"} and len(marked) == len(SECRETS)


def test_plan_sensitive_root_variable_hides_its_value(tmp_path, capsys):
    """A plan whose attribute marks are lost (hand-made, or a tool that keeps declarations only)."""
    path = write_plan(tmp_path, ("variables",))
    assert_hidden_in_every_format(["plan", str(path)], capsys, tuple(VARIABLES))
    images = shown_images(["plan", str(path)], capsys)
    assert images["api"] == f"contosoprod.azurecr.io/api:{SHOWN}"


# --- scan ------------------------------------------------------------------------------------

SCAN_VAR = ["--var", f"web_tag={SECRETS['web']}"]


def test_scan_hides_sensitive_variables_outputs_and_calls_in_every_format(tmp_path, capsys):
    root = write_sources(tmp_path / "infra")
    texts = "".join(path.read_text(encoding="utf-8") for path in root.rglob("*.tf*"))
    assert leaked(texts) == ["api", "jobs", "worker", "batch"]  # web's comes from --var
    assert_hidden_in_every_format(["scan", str(root), *SCAN_VAR], capsys)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("api", f"contosoprod.azurecr.io/api:{SHOWN}"),  # default
        ("jobs", f"contosoprod.azurecr.io/jobs:{SHOWN}"),  # terraform.tfvars
        ("web", f"contosoprod.azurecr.io/web:{SHOWN}"),  # --var
        ("worker", SHOWN),  # the module's whole output is sensitive
        ("batch", f"contosoprod.azurecr.io/batch:{SHOWN}"),  # sensitive()
    ],
)
def test_scan_shows_each_kind_of_sensitive_value_as_terraform_words_it(tmp_path, capsys, name, shown):
    root = write_sources(tmp_path / "infra")
    assert shown_images(["scan", str(root), *SCAN_VAR], capsys)[name] == shown


def test_scan_judges_sensitive_values_as_clear_ones(tmp_path, capsys):
    clear = judged(["scan", str(write_sources(tmp_path / "clear", clear=True)), *SCAN_VAR], capsys)
    marked = judged(["scan", str(write_sources(tmp_path / "marked")), *SCAN_VAR], capsys)
    assert marked == clear
    assert {verdict for _, _, verdict, _ in marked} == {"FAIL"} and len(marked) == len(SECRETS)


def test_scan_clear_control_shows_the_values(tmp_path, capsys):
    """Without the declarations the same tags are printed: the hiding above is the declarations' doing."""
    root = write_sources(tmp_path / "clear", clear=True)
    assert shown_images(["scan", str(root), *SCAN_VAR], capsys) == {name: image(name) for name in SECRETS}


def test_a_sensitive_value_transformed_by_a_function_stays_hidden(tmp_path, capsys):
    root = write_sources(tmp_path / "infra")
    main = root / "main.tf"
    main.write_text(
        main.read_text(encoding="utf-8").replace("${var.api_tag}", '${upper(replace(var.api_tag, "-", ""))}'),
        encoding="utf-8",
    )
    images = shown_images(["scan", str(root), *SCAN_VAR], capsys)
    assert images["api"] == f"contosoprod.azurecr.io/api:{SHOWN}"


# --- plan --source-dir -----------------------------------------------------------------------


@pytest.mark.parametrize("marks", [(), PLAN_MARKS["as terraform writes"]])
def test_plan_with_sources_hides_what_either_marks(tmp_path, capsys, marks):
    """Both sets apply: a plan without marks (written before the variables were made sensitive)
    is hidden by the sources' declarations, and a marked plan by its own marks."""
    root = write_sources(tmp_path / "infra")
    path = write_plan(tmp_path, marks)
    names = tuple(SECRETS) if marks else ("api", "jobs", "worker", "batch")  # web: set by --var only
    assert_hidden_in_every_format(["plan", str(path), "--source-dir", str(root)], capsys, names)


# --- checkov ---------------------------------------------------------------------------------


def _checkov_fields(stdout: str) -> str:
    return json.dumps([[row.details, row.resource, row.check_id] for row in rows(stdout)])


def test_checkov_details_hide_sensitive_values(tmp_path):
    """HCL mode (the sources) and plan mode (the marked plan): pullpath's rows show no secret."""
    root = write_sources(tmp_path / "infra")
    plan = write_plan(tmp_path / "plan", PLAN_MARKS["as terraform writes"])
    hcl = checkov("-d", str(root), "--framework", "terraform", "-o", "json")
    planned = checkov("-f", str(plan), "--framework", "terraform_plan", "-o", "json")
    for done, names in ((hcl, ("api", "jobs", "worker", "batch")), (planned, tuple(SECRETS))):
        found = rows(done.stdout)
        assert {row.check_id for row in found} >= {"PP101"}, done.stderr[-2000:]
        assert any(SHOWN in line for row in found for line in row.details)
        assert leaked(_checkov_fields(done.stdout), names) == []
        assert leaked(done.stderr, names) == []


# --- user information in image references ---------------------------------------------------

PRIVATE = GALLERY / "aci-vnet-private-registry-ip-fail"  # VNet group, self-hosted registry: PP106 FAIL
PRIVATE_IMAGE = "10.40.9.4:5000/orders/api:1.4.2"
PASSWORD = "pull-Secr3t-6f6f"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (f"aci-puller:{PASSWORD}@{PRIVATE_IMAGE}", PRIVATE_IMAGE),
        (f"https://aci-puller:{PASSWORD}@{PRIVATE_IMAGE}", f"https://{PRIVATE_IMAGE}"),
        (f"aci-puller@{PRIVATE_IMAGE}", PRIVATE_IMAGE),
    ],
)
def test_userinfo_in_an_image_is_never_shown_and_the_host_still_judges(tmp_path, capsys, written, shown):
    folder = tmp_path / "infra"
    shutil.copytree(PRIVATE, folder)
    for name in ("main.tf", "plan.json"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace(PRIVATE_IMAGE, written), encoding="utf-8")
    userinfo = split_userinfo(written)[0]
    for argv in (
        ["plan", str(folder / "plan.json")],
        ["scan", str(folder)],
        ["plan", str(folder / "plan.json"), "--source-dir", str(folder)],
    ):
        for fmt in sorted(RENDERERS):
            code = run([*argv, "--format", fmt])
            out, err = capsys.readouterr()
            assert code == 1, (argv, fmt, err)
            assert userinfo not in out and userinfo not in err and PASSWORD not in out, (argv, fmt)
        run([*argv, "--format", "json"])
        [finding] = rows_without_layers(json.loads(capsys.readouterr().out)["findings"])
        assert (finding["rule"], finding["verdict"]) == ("PP106", "FAIL")
        assert (finding["image"], finding["registry"]) == (shown, "10.40.9.4:5000")


def test_userinfo_in_an_app_service_registry_url_still_finds_the_registry(tmp_path, capsys):
    """``docker_registry_url = "https://user:pass@acr.azurecr.io"``: the registry is the ACR after the
    ``@``; before, the credentials read as part of the host and the app had no pull path at all."""
    folder = tmp_path / "infra"
    shutil.copytree(GALLERY / "webapp-no-vnet-integration-fail", folder)
    main = folder / "main.tf"
    written = f'"https://deploy:{PASSWORD}@acrpullpathweb08.azurecr.io"'
    main.write_text(
        main.read_text(encoding="utf-8").replace(
            '"https://${azurerm_container_registry.acr.login_server}"', written
        ),
        encoding="utf-8",
    )
    for fmt in sorted(RENDERERS):
        code = run(["scan", str(folder), "--format", fmt])
        out, err = capsys.readouterr()
        assert code == 1 and PASSWORD not in out + err and "deploy:" not in out + err, fmt
    run(["scan", str(folder), "--format", "json"])
    [finding] = rows_without_layers(json.loads(capsys.readouterr().out)["findings"])
    assert (finding["rule"], finding["verdict"], finding["registry"]) == (
        "PP201",
        "FAIL",
        "azurerm_container_registry.acr",
    )
    assert finding["image"] == "acrpullpathweb08.azurecr.io/app:1.0"


# --- the pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("user:pass@host:5000/repo:tag", ("user:pass@", "host:5000/repo:tag")),
        ("https://user:pass@host/repo:tag", ("user:pass@", "https://host/repo:tag")),
        ("user@host/repo", ("user@", "host/repo")),
        ("u:p@ss/w@rd@host/repo:1", ("u:p@ss/w@rd@", "host/repo:1")),  # unencoded @ and / in a password
        ("host/repo@sha256:" + "a" * 64, ("", "host/repo@sha256:" + "a" * 64)),  # a digest is no userinfo
        ("user:pass@host/repo@sha256:" + "b" * 64, ("user:pass@", "host/repo@sha256:" + "b" * 64)),
        ("acr.azurecr.io/app:1", ("", "acr.azurecr.io/app:1")),
    ],
)
def test_split_userinfo(reference, expected):
    assert split_userinfo(reference) == expected


def test_image_host_is_the_part_after_the_credentials():
    assert image_host("user:pass@MyAcr.azurecr.io:443/app:1") == "myacr.azurecr.io:443"
    assert image_host("https://user:pass@myacr.azurecr.io/app:1") == "myacr.azurecr.io"
    assert image_host("library/nginx@sha256:" + "c" * 64) is None


def test_redactor_hides_overlapping_secrets_whole_and_never_its_own_words():
    hide = Redactor(["abcdEFGH", "EFGHijkl", "value", "sensitive"])
    assert hide.text("x abcdefghijkl y") == f"x {SHOWN} y"  # overlapping, any case: one span
    assert hide.text("a value") == f"a {SHOWN}"  # ``(sensitive value)`` itself is not searched again


def test_redactor_leaves_booleans_and_short_strings_alone():
    hide = Redactor(["true", "False", "eu", ""])
    assert not hide
    assert hide.text("public_network_access_enabled = true in eu") == (
        "public_network_access_enabled = true in eu"
    )


def test_redactor_with_many_secrets_finds_every_one():
    """Beyond a few dozen secrets the index by first characters replaces the single expression."""
    secrets = [f"Secret-{number:04d}-tail" for number in range(200)]
    hide = Redactor(secrets)
    text = " ".join(secrets[::7]) + " SECRET-0199-TAIL and Secret-0000-tailSecret-0001-tail"
    shown = hide.text(text)
    assert "ecret-0" not in shown.lower() and shown.endswith(f"and {SHOWN}")


def test_stderr_warnings_hide_sensitive_values(tmp_path, capsys):
    """A warning naming an instance whose key comes from a sensitive value says ``(sensitive value)``."""
    root = write_sources(tmp_path / "infra")
    with (root / "main.tf").open("a", encoding="utf-8") as handle:
        handle.write(
            'module "edge" {\n  for_each = toset([var.api_tag])\n  source   = "git::https://example.com/edge.git"\n}\n'
        )
    assert run(["scan", str(root), *SCAN_VAR]) == 1
    err = capsys.readouterr().err
    assert f'module.edge["{SHOWN}"]: module source not on disk' in err
    assert leaked(err) == []


def test_plan_marks_on_a_data_source_in_prior_state_hide_its_values(tmp_path, capsys):
    """A data source read at plan time lives in ``prior_state``: its ``sensitive_values`` count too
    (its ``name`` set from a sensitive variable, say), while the registry is still found by it."""
    document = json.loads((GALLERY / "acr-data-source-unknown" / "plan.json").read_text(encoding="utf-8"))
    [registry] = [
        r
        for r in document["prior_state"]["values"]["root_module"]["resources"]
        if r["address"] == "data.azurerm_container_registry.shared"
    ]
    registry["sensitive_values"]["name"] = True
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    for fmt in sorted(RENDERERS):
        run(["plan", str(path), "--format", fmt])
        out, err = capsys.readouterr()
        assert "sharedacr" not in (out + err).lower(), fmt
    run(["plan", str(path), "--format", "json"])
    [finding] = rows_without_layers(json.loads(capsys.readouterr().out)["findings"])
    assert finding["registry"] == "data.azurerm_container_registry.shared"
    assert finding["image"] == f"{SHOWN}.azurecr.io/app:1.0"


def test_many_sensitive_values_and_calls_run_into_the_step_budget_not_a_hang(tmp_path, capsys):
    """Each function call searches its arguments for every secret: that search is charged as
    evaluation steps, so thousands of sensitive variables times thousands of calls end in UNKNOWN
    with the limit named instead of minutes of substring searches."""
    count = 2000
    declared = "".join(
        f'variable "v{n}" {{\n  sensitive = true\n  default   = "release-{n:05d}"\n}}\n' for n in range(count)
    )
    every = ", ".join(f"var.v{n}" for n in range(count))
    calls = '[for i in range(1000) : [for j in range(5) : upper(join(",", [local.all[i + j], "x"]))]]'
    group = _group((BASE / "main.tf").read_text(encoding="utf-8"))
    group = group.replace(f'"{BASE_IMAGE}"', '"contosoprod.azurecr.io/api:${local.tags[0]}"')
    (tmp_path / "main.tf").write_text(
        f"{declared}locals {{\n  all  = [{every}]\n  tags = flatten({calls})\n}}\n{group}", encoding="utf-8"
    )
    run(["scan", str(tmp_path), "--format", "json"])
    assert "evaluation steps" in capsys.readouterr().err
