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

GALLERY = Path(__file__).resolve().parent.parent / "sample_tf"
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

