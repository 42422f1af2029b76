"""Mutated gallery .tf sources: `pullpath scan` answers with a report or one error line, never a crash.

Mutations work on the text a reviewer's branch might hold: lines cut out or duplicated, tokens
dropped in, a file truncated, binary garbage, a huge string, wrong encodings and absurd nesting.
Warnings (a file that does not parse) are allowed, one ``pullpath: warning:`` line each.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, seed
from hypothesis import strategies as st

from fuzzing import SECRET_CORES, SECRET_TAILS, fuzz_settings, run_every_format, run_guarded
from pullpath.cli import run
from scenarios import GALLERY

SOURCES = {path.parent.name: path.read_text(encoding="utf-8") for path in sorted(GALLERY.glob("*/main.tf"))}
TOKENS = [
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    '"',
    "${",
    "%{",
    "=",
    "null",
    "true",
    "<<EOT",
    "EOT",
    "#",
    "/*",
    "dynamic",
    "for_each",
    "count",
    "var.x",
    "local.y",
    "module.m.out",
    "each.value",
    "\\",
    "\u00e9",
    "\x00",
]


def judge(folder: Path, capsys) -> None:
    code = run_guarded(["scan", str(folder), "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "internal error" not in err and "Traceback" not in err, err
    assert all(line.startswith(("pullpath: warning: ", "pullpath: error: ")) for line in err.splitlines()), (
        err
    )
    if code == 2:
        assert out == "" and err.splitlines()[-1].startswith("pullpath: error: ")
    else:
        assert isinstance(json.loads(out)["findings"], list)


def write(tmp_path: Path, scenario: str, data: bytes) -> Path:
    folder = tmp_path / "root"
    shutil.rmtree(folder, ignore_errors=True)
    modules = GALLERY / scenario / "modules"
    if modules.is_dir():
        shutil.copytree(modules, folder / "modules")
    folder.mkdir(exist_ok=True)
    (folder / "main.tf").write_bytes(data)
    return folder


FUZZ = fuzz_settings(200)


@seed(20261127)
@FUZZ
@given(
    scenario=st.sampled_from(sorted(SOURCES)),
    start=st.floats(min_value=0, max_value=1),
    length=st.integers(min_value=0, max_value=40),
    operation=st.sampled_from(["delete", "duplicate", "insert", "truncate"]),
    token=st.sampled_from(TOKENS),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
def test_mutated_sources_are_judged_or_refused(
    tmp_path, capsys, scenario, start, length, operation, token, encoding
):
    lines = SOURCES[scenario].splitlines(keepends=True)
    at = int(len(lines) * start)
    if operation == "delete":
        lines[at : at + length] = []
    elif operation == "duplicate":
        lines[at:at] = lines[at : at + length]
    elif operation == "insert":
        lines.insert(at, token * max(length, 1) + "\n")
    else:
        lines = lines[:at]
    judge(write(tmp_path, scenario, "".join(lines).encode(encoding, "replace")), capsys)


@seed(20261127)
@FUZZ
@given(scenario=st.sampled_from(sorted(SOURCES)), garbage=st.binary(min_size=1, max_size=256))
def test_binary_garbage_is_judged_or_refused(tmp_path, capsys, scenario, garbage):
    judge(write(tmp_path, scenario, SOURCES[scenario].encode()[:200] + garbage), capsys)


@pytest.mark.parametrize("depth", [300, 100_000])
def test_absurd_nesting_is_refused_with_a_clear_message(tmp_path, capsys, depth):
    folder = write(tmp_path, "acr-open-pass", f"locals {{\n  x = {'[' * depth}{']' * depth}\n}}\n".encode())
    judge(folder, capsys)
    # the only file is refused, so the whole scan is an input error naming the limit
    assert run(["scan", str(folder)]) == 2
    assert "nested deeper than" in capsys.readouterr().err


def test_huge_string_is_judged(tmp_path, capsys):
    text = SOURCES["acr-open-pass"].replace('"westeurope"', '"' + "w" * 2_000_000 + '"', 1)
    judge(write(tmp_path, "acr-open-pass", text.encode()), capsys)


# --- sensitivity: a value the sources make sensitive is never shown, in any format ----------------

_VALUE = re.compile(r'(=[ \t]*)"([^"\\$%\n]*)"')  # a string literal assigned to an attribute
_DECLARED = 'variable "fuzz_secret" {{\n  type      = string\n  sensitive = true\n{default}}}\n'


@seed(20261127)
@fuzz_settings(60)
@given(
    scenario=st.sampled_from(sorted(SOURCES)),
    site=st.integers(min_value=0),
    core=SECRET_CORES,
    tail=SECRET_TAILS,
    at=st.none() | st.floats(min_value=0.0, max_value=1.0),
    how=st.sampled_from(["sensitive()", "default", "tfvars", "--var"]),
)
def test_sensitive_source_values_never_show_in_any_format(
    tmp_path, capsys, scenario, site, core, tail, at, how
):
    """A secret put into any string an attribute is set to (an image, a login server, a setting, a
    module input), made sensitive by ``sensitive()`` or by a sensitive variable set by its default, a
    tfvars file or ``--var``: no format, file or stderr line shows it."""
    text = SOURCES[scenario]
    found = list(_VALUE.finditer(text))
    chosen = found[site % len(found)]
    old = chosen.group(2)
    value = core + tail if at is None else old[: int(len(old) * at)] + core + tail + old[int(len(old) * at) :]
    written = f'sensitive("{value}")' if how == "sensitive()" else "var.fuzz_secret"
    text = text[: chosen.start(2) - 1] + written + text[chosen.end(2) + 1 :]
    if how != "sensitive()":
        default = f'  default   = "{value}"\n' if how == "default" else ""
        text += "\n" + _DECLARED.format(default=default)
    folder = write(tmp_path, scenario, text.encode())
    if how == "tfvars":
        (folder / "terraform.tfvars").write_text(f'fuzz_secret = "{value}"\n', encoding="utf-8")
    argv = ["scan", str(folder), *(["--var", f"fuzz_secret={value}"] if how == "--var" else [])]
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
    code, shown = run_every_format(argv, tmp_path / "out", capsys)
    assert code in (0, 1, 2), shown[-500:]
    assert core.lower() not in shown.lower()


# --- budgets: hostile expressions finish within the case time and never drop the workload ---------

_WORKLOAD = """
resource "azurerm_container_registry" "acr" {{
  name                          = "contosoacr"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}}

locals {{
{locals}
}}

resource "azurerm_container_group" "app" {{
  {meta}
  name                = "cg-app"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  container {{
    name   = "app"
    image  = "${{azurerm_container_registry.acr.login_server}}/app:${{{tag}}}"
    cpu    = 1
    memory = 1
  }}
}}
"""

_REDOS = ["(a+)+$", "(x+x+)+y", "(a|aa)+$", "(.*a){20}", "^(a*)*$", "(a|a?)+$", "([a-z]+)*!"]
_COUNT = st.sampled_from([0, 1, 3, 1024, 10_001, 10**7, 10**18])
_WIDE = st.sampled_from([1, 80, 1_048_576, 1_048_577, 900_000_000])
_SPAN = st.integers(min_value=0, max_value=1024)

#: Each bomb: an expression, usable where a string or number goes (``tostring`` wraps collections).
BOMBS = st.one_of(
    st.builds(lambda width: f'length(format("%{width}s", "x"))', _WIDE),
    st.builds(lambda width: f'length(format("%.{width}f", 1))', _WIDE),
    st.builds(
        lambda n, text: f'length(join("", [for i in range({n}) : "{text}"]))',
        _SPAN,
        st.text("ab", max_size=8),
    ),
    st.builds(
        lambda n: f"length([for a in range({n}) : [for b in range({n}) : [for c in range({n}) : c]]])", _SPAN
    ),
    st.builds(
        lambda n, m: (
            f'length(toset(flatten([for a in range({n}) : [for b in range({m}) : "${{a}}-${{b}}"]])))'
        ),
        _SPAN,
        _SPAN,
    ),
    st.builds(
        lambda pattern, n, end: f'regex("{pattern}", "${{join("", [for i in range({n}) : "a"])}}{end}")',
        st.sampled_from(_REDOS),
        _SPAN,
        st.sampled_from(["", "!", "y"]),
    ),
    st.builds(
        lambda pattern, n: f'length(replace(join("", [for i in range({n}) : "ax"]), "/{pattern}/", "$0$0"))',
        st.sampled_from(_REDOS + ["a", "x*"]),
        _SPAN,
    ),
    st.builds(
        lambda number: f'tonumber("{number}")', st.sampled_from(["nan", "inf", "-1e400", "1e400", "1e308"])
    ),
    st.builds(lambda depth: "(" * depth + "1" + ")" * depth, st.integers(min_value=1, max_value=400)),
    st.builds(lambda n: f"local.s{n}", st.integers(min_value=0, max_value=24)),
    st.builds(lambda n: f'length(split(",", join(",", range({n}))))', _SPAN),
    st.builds(lambda n: f"length(jsonencode([for i in range({n}) : local.s{min(n, 24)}]))", _SPAN),
)
_SQUARES = '  s0 = "abcdefghijklmnop"\n' + "\n".join(
    f'  s{n + 1} = "${{local.s{n}}}${{local.s{n}}}"' for n in range(24)
)


@seed(20261127)
@fuzz_settings(20, ceiling=300)
@given(bomb=BOMBS, where=st.sampled_from(["tag", "count", "for_each", "local"]), count=_COUNT)
def test_hostile_expressions_finish_and_never_drop_the_workload(tmp_path, capsys, bomb, where, count):
    """A bomb in the image, in ``count``/``for_each`` or in a local the image reads: the scan answers
    within the case time (run_guarded), and unless the input is refused the workload has a finding."""
    meta = ""
    tag = "local.bomb" if where == "local" else bomb if where == "tag" else "1"
    if where == "count":
        meta = f"count = max({count}, 1) + 0 * ({bomb})"  # one instance at least, or unknown
    elif where == "for_each":
        meta = f"for_each = toset([for i in range({count % 1025}) : tostring({bomb})])"
    text = _WORKLOAD.format(locals=_SQUARES + f"\n  bomb = {bomb}", meta=meta, tag=tag)
    folder = write(tmp_path, "acr-open-pass", text.encode())
    code = run_guarded(["scan", str(folder), "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2) and "internal error" not in err, err
    if code != 2:
        workloads = {finding["workload"] for finding in json.loads(out)["findings"]}
        expected = where != "for_each" or count % 1025 > 0  # an empty for_each is no instance at all
        assert any(w.startswith("azurerm_container_group.app") for w in workloads) == expected, (out, err)
