"""The plan reader on the shapes real `terraform show -json` output takes."""

from __future__ import annotations

import codecs
import json

import pytest

import azure_values as azure
from planbuilder import PlanBuilder, ref
from pullpath.addresses import config_address, module_instance_prefix, split_address
from pullpath.errors import InputError
from pullpath.model import UNKNOWN
from pullpath.readers.plan import parse_plan_bytes, read_plan

ACR = "azurerm_container_registry.acr"


def small_plan() -> dict:
    plan = PlanBuilder().resource(
        ACR, azure.registry(public=False), unknown=azure.REGISTRY_UNKNOWN, expressions={}
    )
    plan.resource(
        "azurerm_container_group.app",
        azure.container_group(),
        unknown=["container.0.image"],
        expressions={"container": [{"image": ref(f"{ACR}.login_server", ACR)}]},
    )
    return plan.build()


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "crlf"],
)
@pytest.mark.parametrize("indent", [None, 2], ids=["minified", "pretty"])
def test_encodings_and_layouts_read_the_same(tmp_path, encode, indent):
    path = tmp_path / "plan.json"
    path.write_bytes(encode(json.dumps(small_plan(), indent=indent)))
    resources = {r.address: r for r in read_plan(str(path))}
    group = resources["azurerm_container_group.app"]
    assert group.values["container"][0]["image"] is UNKNOWN
    assert group.refs[("container", 0, "image")] == (ACR,)


@pytest.mark.parametrize("version", ["0.1", "0.2", "1.0", "1.2"])
def test_format_versions_are_accepted(version):
    document = small_plan()
    document["format_version"] = version
    parse_plan_bytes(json.dumps(document).encode())


def test_old_plan_without_planned_values_falls_back_to_resource_changes(tmp_path):
    document = small_plan()
    del document["planned_values"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    assert {r.address for r in read_plan(str(path))} == {ACR, "azurerm_container_group.app"}


def test_resource_planned_but_missing_from_planned_values_is_an_error(tmp_path):
    document = small_plan()
    document["planned_values"]["root_module"]["resources"] = document["planned_values"]["root_module"][
        "resources"
    ][:1]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    with pytest.raises(InputError, match="missing from planned_values"):
        read_plan(str(path))


def test_data_sources_come_from_prior_state(tmp_path):
    plan = PlanBuilder().data("data.azurerm_container_registry.shared", {"login_server": "shared.azurecr.io"})
    resources = read_plan(str(plan.write(tmp_path)))
    assert [(r.address, r.mode, r.values["login_server"]) for r in resources] == [
        ("data.azurerm_container_registry.shared", "data", "shared.azurecr.io")
    ]


def test_a_deposed_object_leaves_its_live_instance_judged(tmp_path):
    """create_before_destroy left the old group deposed: its delete must not drop the live group."""
    plan = PlanBuilder().resource(
        "azurerm_container_group.app",
        azure.container_group(image="docker.io/library/nginx:1.27"),
        expressions={},
        actions=["no-op"],
    )
    plan.deposed("azurerm_container_group.app", azure.container_group(image="docker.io/library/nginx:1.25"))
    resources = read_plan(str(plan.write(tmp_path)))
    assert [(r.address, r.values["container"][0]["image"]) for r in resources] == [
        ("azurerm_container_group.app", "docker.io/library/nginx:1.27")
    ]


def test_module_output_and_nested_module_inputs_are_traced(tmp_path):
    plan = PlanBuilder()
    plan.module_call(
        ("platform",), {}, outputs={"acr": ref("module.registry.login_server", "module.registry")}
    )
    plan.module_call(("platform", "registry"), {}, outputs={"login_server": ref(f"{ACR}.login_server", ACR)})
    plan.resource(
        f"module.platform.module.registry.{ACR}", azure.registry(), unknown=["login_server"], expressions={}
    )
    plan.module_call(
        ("app",), {"server": ref("module.platform.acr", "module.platform")}, for_each=ref("var.apps")
    )
    plan.resource(
        'module.app["a b"].azurerm_container_group.this',
        azure.container_group(),
        unknown=["container.0.image"],
        expressions={"container": [{"image": ref("var.server")}]},
    )
    resources = {r.address: r for r in read_plan(str(plan.write(tmp_path)))}
    group = resources['module.app["a b"].azurerm_container_group.this']
    assert group.refs[("container", 0, "image")] == (f"module.platform.module.registry.{ACR}",)


def test_each_module_instance_references_its_own_instances_at_any_depth(tmp_path):
    """A reference inside ``module.app["b"]`` reaches the instances inside ``module.app["b"]``, also
    those of a module it calls (through an output), and none of the other instances'."""
    plan = PlanBuilder()
    plan.module_call(("app",), {}, for_each=ref("var.apps"))
    plan.module_call(
        ("app", "net"), {}, outputs={"subnet_id": ref("azurerm_subnet.this.id", "azurerm_subnet.this")}
    )
    for key in ("a", "b", "c"):
        app = f'module.app["{key}"]'
        plan.resource(
            f"{app}.module.net.azurerm_subnet.this", azure.subnet(key), unknown=["id"], expressions={}
        )
        plan.resource(f"{app}.{ACR}", azure.registry(), unknown=["login_server"], expressions={})
        plan.resource(
            f"{app}.azurerm_container_group.this",
            azure.container_group(),
            unknown=["container.0.image", "subnet_ids"],
            expressions={
                "container": [{"image": ref(f"{ACR}.login_server", ACR)}],
                "subnet_ids": ref("module.net.subnet_id", "module.net"),
            },
        )
    resources = {r.address: r for r in read_plan(str(plan.write(tmp_path)))}
    group = resources['module.app["b"].azurerm_container_group.this']
    assert group.refs[("container", 0, "image")] == (f'module.app["b"].{ACR}',)
    assert group.refs[("subnet_ids",)] == ('module.app["b"].module.net.azurerm_subnet.this',)


def test_a_malformed_resource_is_an_input_error_naming_its_json_path(tmp_path):
    document = small_plan()
    document["planned_values"]["root_module"]["child_modules"] = [
        {
            "address": "module.m",
            "resources": [{"address": "module.m.azurerm_subnet.s", "type": "azurerm_subnet", "name": 5}],
        }
    ]
    with pytest.raises(
        InputError, match=r"at `\$\.planned_values\.root_module\.child_modules\[0\]\.resources\[0\]\.name`"
    ):
        read_plan(str(_write(tmp_path, document)))
    document = small_plan()
    document["resource_changes"][1]["change"]["actions"] = "create"
    with pytest.raises(
        InputError,
        match=r"malformed plan: Expected `array`, got `str` - at `\$\.resource_changes\[1\]\.change\.actions`",
    ):
        read_plan(str(_write(tmp_path, document)))


def test_resources_of_types_pullpath_never_reads_are_not_decoded_beyond_their_type(tmp_path):
    """Their other keys decide nothing, so an odd one there does not stop the gate."""
    document = small_plan()
    odd = {"address": ["not", "a", "string"], "type": "azurerm_storage_account", "values": 7}
    document["planned_values"]["root_module"]["resources"].append(odd)
    document["resource_changes"].append({**odd, "change": "odd"})
    assert {r.address for r in read_plan(str(_write(tmp_path, document)))} == {
        ACR,
        "azurerm_container_group.app",
    }


def _write(tmp_path, document: dict):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_locals_are_kept_as_unresolved_markers(tmp_path):
    plan = PlanBuilder().resource(
        "azurerm_container_group.app",
        azure.container_group(),
        unknown=["container.0.image"],
        expressions={"container": [{"image": ref("local.image")}]},
    )
    [group] = read_plan(str(plan.write(tmp_path)))
    assert group.refs[("container", 0, "image")] == ("local.image",)


@pytest.mark.parametrize(
    ("address", "parts", "config", "prefix"),
    [
        (
            'module.server["North Europe"].azurerm_lb.lb',
            ["module", 'server["North Europe"]', "azurerm_lb", "lb"],
            "module.server.azurerm_lb.lb",
            'module.server["North Europe"]',
        ),
        (
            'module.a["x.y"].module.b[0].t.n[1]',
            ["module", 'a["x.y"]', "module", "b[0]", "t", "n[1]"],
            "module.a.module.b.t.n",
            'module.a["x.y"].module.b[0]',
        ),
        ('t.n["k\\"]."]', ["t", 'n["k\\"]."]'], "t.n", ""),
    ],
)
def test_addresses_with_keys_that_contain_dots_spaces_and_quotes(address, parts, config, prefix):
    assert list(split_address(address)) == parts
    assert config_address(address) == config
    assert module_instance_prefix(address) == prefix


def test_a_plan_says_which_resources_it_creates_and_which_exist_already(tmp_path):
    """Creating (or replacing) is a new resource, with new identities; keeping or updating is not."""
    plan = PlanBuilder()
    cases = {"new": ["create"], "replaced": ["delete", "create"], "kept": ["no-op"], "updated": ["update"]}
    for name, actions in cases.items():
        plan.resource(f"azurerm_user_assigned_identity.{name}", {"name": name}, actions=actions)
    created = {r.address.rsplit(".", 1)[1]: r.created for r in read_plan(str(plan.write(tmp_path)))}
    assert created == {"new": True, "replaced": True, "kept": False, "updated": False}
