"""Values of a root module's variables, in Terraform's order of precedence.

Lowest to highest: the declared ``default`` (evaluated by the module itself), ``terraform.tfvars``,
``terraform.tfvars.json``, ``*.auto.tfvars`` and ``*.auto.tfvars.json`` in name order, then each
``--var-file`` and finally each ``--var NAME=VALUE``. A variable nobody sets stays unknown.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

from pullpath.errors import InputError
from pullpath.readers.hcl.config import Loader
from pullpath.readers.hcl.dialects import HclSyntaxError
from pullpath.readers.hcl.evaluate import evaluate_constant
from pullpath.readers.hcl.syntax import parse_expression


def automatic_var_files(directory: str) -> list[str]:
    try:
        names = set(os.listdir(directory))
    except OSError:
        return []
    found = [name for name in ("terraform.tfvars", "terraform.tfvars.json") if name in names]
    found += sorted(name for name in names if name.endswith((".auto.tfvars", ".auto.tfvars.json")))
    return [os.path.join(directory, name) for name in found]


def read_var_file(path: str, loader: Loader) -> dict[str, Any]:
    """The assignments of one tfvars file; :class:`HclSyntaxError` when it cannot be parsed."""
    if path.endswith(".json"):
        try:
            with open(path, encoding="utf-8-sig") as handle:
                document = json.load(handle)
        except (OSError, ValueError) as error:
            raise HclSyntaxError(
                f"not a JSON variables file ({' '.join(str(error).split())[:120]})"
            ) from None
        if not isinstance(document, dict):
            raise HclSyntaxError("a .tfvars.json file must hold a JSON object")
        return document
    body = loader.parse_file(path)
    return {name: evaluate_constant(expr) for name, expr in body.attributes.items()}


def parse_assignment(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` from the command line."""
    name, separator, value = text.partition("=")
    if not separator or not name.strip():
        raise InputError(f"--var {text!r}: expected NAME=VALUE")
    return name.strip(), value


def command_line_value(raw: str) -> Any:
    """A ``--var`` value: a list or map written in HCL is parsed, anything else is a string."""
    if raw.strip().startswith(("[", "{")):
        return evaluate_constant(parse_expression(raw.strip()))
    return raw


def root_values(
    directory: str,
    loader: Loader,
    var_files: Iterable[str] = (),
    variables: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The variable values set for a root, and the (file, problem) pairs of files that could not be read."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for path in [*automatic_var_files(directory), *var_files]:
        try:
            values.update(read_var_file(path, loader))
        except HclSyntaxError as error:
            problems.append((path, str(error)))
    for name, raw in (variables or {}).items():
        values[name] = command_line_value(raw)
    return values, problems
