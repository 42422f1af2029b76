"""Values of a root module's variables, in Terraform's order of precedence.

Lowest to highest: the declared ``default`` (evaluated by the module itself), ``terraform.tfvars``,
``terraform.tfvars.json``, ``*.auto.tfvars`` and ``*.auto.tfvars.json`` in name order, then each
``--var-file`` and finally each ``--var NAME=VALUE``. A variable nobody sets stays unknown; one
whose value runs into an evaluation budget is :class:`~pullpath.readers.hcl.evaluate.OverBudget`,
UNKNOWN with a warning (:func:`budget_warnings`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pullpath.errors import InputError
from pullpath.input_files import read_bounded
from pullpath.readers.hcl.config import (
    MAX_FILE_BYTES_SETTING,
    Loader,
    check_nesting,
    max_file_bytes,
    max_nesting,
    problem_text,
)
from pullpath.readers.hcl.dialects import Body, HclSyntaxError, parse_hcl
from pullpath.readers.hcl.evaluate import OverBudget, evaluate_variable
from pullpath.readers.hcl.syntax import parse_expression

_NAME = re.compile(r"[A-Za-z0-9_-]*")


def automatic_var_files(directory: str) -> list[str]:
    try:
        names = set(os.listdir(directory))
    except (OSError, ValueError):
        return []
    found: list[str] = [name for name in ("terraform.tfvars", "terraform.tfvars.json") if name in names]
    found += sorted(name for name in names if name.endswith((".auto.tfvars", ".auto.tfvars.json")))
    return [os.path.join(directory, name) for name in found]


def read_var_file(path: str, loader: Loader) -> dict[str, Any]:
    """The assignments of one tfvars file of the tree; :class:`HclSyntaxError` when it cannot be read.

    It is read through the Loader, so a file outside the boundary or a device is refused.
    """
    if path.endswith(".json"):
        return _json_assignments(loader.read_text(path))
    return _assignments(loader.parse_file(path), path)


def _json_assignments(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except ValueError as error:  # the decoder says where, never what: no value is echoed
        raise HclSyntaxError(f"not a JSON variables file ({' '.join(str(error).split())[:120]})") from None
    if not isinstance(document, dict):
        raise HclSyntaxError("a .tfvars.json file must hold a JSON object")
    return document


def _assignments(body: Body, path: str) -> dict[str, Any]:
    return {name: evaluate_variable(expr, path, name) for name, expr in body.attributes.items()}


def budget_warnings(values: Mapping[str, Any], shown: Callable[[str], str] = str) -> list[str]:
    """A warning for each value an evaluation budget stopped, its file as ``shown`` gives it.

    Only the values that are still in force: one a later file or ``--var`` overrides is not used.
    """
    return [value.warning(shown(value.source)) for value in values.values() if isinstance(value, OverBudget)]


def given_values(var_files: Iterable[str] = (), variables: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What the command line sets: each ``--var-file`` in order, then each ``--var``.

    Read once per run, whatever the number of roots (a ``--var-file <(...)`` pipe reads once). A
    ``--var-file`` the user named may lie anywhere, but one that cannot be read or parsed is an
    :class:`InputError`: Terraform stops there too, and going on with the defaults could pass
    what the file would fail.
    """
    values: dict[str, Any] = {}
    for path in var_files:
        values.update(_given_file(path))
    for name, raw in (variables or {}).items():
        values[name] = command_line_value(raw, name)
    return values


def _given_file(path: str) -> dict[str, Any]:
    try:
        data = read_bounded(path, max_file_bytes(), "variables file", MAX_FILE_BYTES_SETTING)
    except InputError as error:
        raise InputError(f"--var-file {error}") from None
    text = data.decode("utf-8-sig", errors="replace")
    try:
        if path.endswith(".json"):
            return _json_assignments(text)
        check_nesting(text, max_nesting())
        return _assignments(parse_hcl(text), path)
    except HclSyntaxError as error:
        raise InputError(f"--var-file {path}: {problem_text(error)}") from None


def parse_assignment(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` from the command line.

    The message for anything else shows only the leading name-like part: ``--var name:secret``
    (a ``:`` typed for ``=``) must not print the secret.
    """
    name, separator, value = text.partition("=")
    if not separator or not name.strip():
        shown = _NAME.match(text.strip())
        head = shown.group() if shown else ""
        cut = "..." if head != text.strip() else ""
        raise InputError(f"--var {head + cut!r}: expected NAME=VALUE")
    return name.strip(), value


def command_line_value(raw: str, name: str) -> Any:
    """A ``--var`` value: a list or map written in HCL is parsed, anything else is a string."""
    if raw.strip().startswith(("[", "{")):
        return evaluate_variable(parse_expression(raw.strip()), "--var", name)
    return raw


def root_values(
    directory: str, loader: Loader, given: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """A root's variable values: its own tfvars files, then what the command line gives (``given``).

    Also the (file, problem) pairs of its tfvars files that could not be read.
    """
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for path in automatic_var_files(directory):
        try:
            values.update(read_var_file(path, loader))
        except HclSyntaxError as error:
            problems.append((path, problem_text(error)))
    values.update(given or {})
    return values, problems
