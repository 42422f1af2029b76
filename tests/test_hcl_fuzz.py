"""The expression parser and evaluator never raise, whatever text the hcl2 parsers hand over.

Text is built from HCL's own tokens (and the Python-literal artefacts bc-python-hcl2 leaves), so
most samples are near-valid expressions: the answer is a value or UNKNOWN, never an exception.
"""

from __future__ import annotations

import os

from hypothesis import given, seed, settings
from hypothesis import strategies as st

from pullpath.readers.hcl.evaluate import Env, Evaluator
from pullpath.readers.hcl.syntax import Expr, parse_expression, parse_template

TOKENS = [
    "var.x",
    "local.y",
    "each.key",
    "count.index",
    "azurerm_container_registry.acr.login_server",
    "module.m.out",
    "data.azurerm_container_registry.r.id",
    "x",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    ",",
    ".",
    ":",
    "?",
    "=",
    "=>",
    "...",
    "==",
    "!=",
    "&&",
    "||",
    "!",
    "-",
    "+",
    "*",
    "/",
    "%",
    "<",
    ">=",
    "[*]",
    ".*",
    "for",
    "in",
    "if",
    '"a"',
    '"${var.x}/b"',
    "'c'",
    "1",
    "2.5",
    "true",
    "null",
    "None",
    "lower(",
    "merge(",
    "try(",
    "coalesce(",
    "format(",
    "concat(",
    "lookup(",
    "toset(",
    "${",
    "%{",
    "\n",
    "#",
    "<<EOT\nx\nEOT\n",
    '"',
    "\\",
    "0",
    "[0]",
]


EXAMPLES = int(os.environ.get("PULLPATH_FUZZ_EXAMPLES", "300"))


@seed(20261127)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(TOKENS), max_size=14).map(" ".join))
def test_expressions_parse_and_evaluate_without_raising(text):
    expr = parse_expression(text)
    assert isinstance(expr, Expr)
    Evaluator().safe(expr, Env(None))


@seed(20261127)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)
@given(st.text(alphabet="ab${}%\"\\' .:/-[]()", max_size=30))
def test_templates_parse_without_raising(text):
    for escapes in (True, False):
        expr = parse_template(text, escapes=escapes)
        assert isinstance(expr, Expr)
        Evaluator().safe(expr, Env(None))
