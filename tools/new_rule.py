"""``make new-rule ID=PP501 SLUG=no-credential FAMILY=credentials``: one rule, scaffolded in every place.

A rule lives in about ten places (CONTRIBUTING.md, "Anatomy of a rule"); this writes each of them
with placeholders, so nothing is forgotten: the metadata and decision function in the family module,
the failing and fixed examples, the family's registration and checkov policy file, a model-fed rule
test, a failing and a passing gallery scenario, and the generated docs. What it writes passes lint,
and the rule's tests fail until the placeholders are filled in: the decision yields nothing yet.

Run from the checkout (the Makefile does); ``--root`` points it elsewhere, for its own test.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

RULES = Path("plugin/pullpath/rules")
REGISTRY_LINE = "    (registries.RULES, registries.evaluate),\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rule_id", help="PP plus three digits, in its family's hundred")
    parser.add_argument("slug", help="a short kebab-case name: no-credential")
    parser.add_argument("family", help="the family module under rules/: credentials")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    problem = _check(args.rule_id, args.slug, args.family, args.root)
    if problem:
        print(f"new-rule: {problem}", file=sys.stderr)
        return 2
    for path in scaffold(args.root, args.rule_id, args.slug, args.family):
        print(f"wrote {path}")
    print(f"next: fill in each TODO (git grep -n TODO -- '*{args.family}*' 'sample_tf/{args.slug}-*')")
    return 0


def _check(rule_id: str, slug: str, family: str, root: Path) -> str | None:
    if not re.fullmatch(r"PP\d{3}", rule_id):
        return f"{rule_id!r} is not PP plus three digits"
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", slug):
        return f"{slug!r} is not a kebab-case name of two words or more"
    if not re.fullmatch(r"[a-z][a-z0-9_]*", family):
        return f"{family!r} is not a module name"
    rules = root / RULES
    if not rules.is_dir():
        return f"{rules} does not exist: run from the checkout, or pass --root"
    taken = set(
        re.findall(r'id="(PP\d{3})"', "".join(p.read_text(encoding="utf-8") for p in rules.glob("*.py")))
    )
    clash = [other for other in taken if rule_id in other or other in rule_id]
    return f"{rule_id} is taken (or a substring of {clash[0]})" if clash else None


def scaffold(root: Path, rule_id: str, slug: str, family: str) -> list[Path]:
    """Write every place of the rule; return what was written or changed."""
    written = [
        _family_module(root, rule_id, slug, family),
        _examples(root, rule_id, family),
        _test(root, rule_id, family),
        *_scenarios(root, rule_id, slug),
    ]
    registered = _register(root, family)
    written += [registered, root / "policies" / f"pullpath_{family}.py"] if registered else []
    files = [str(path) for path in written if path.suffix == ".py"]
    subprocess.run([sys.executable, "-m", "ruff", "check", "--fix", "--quiet", *files], check=False)
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", *files], check=False)
    return written


def _needs(text: str, imports: list[str]) -> str:
    """``text`` with each import line it lacks added after ``from __future__``: ruff sorts them later."""
    missing = [line for line in imports if line not in text]
    anchor = "from __future__ import annotations\n"
    return text.replace(anchor, anchor + "\n" + "\n".join(missing) + "\n", 1) if missing else text


def _append(path: Path, text: str, header: str) -> Path:
    existing = path.read_text(encoding="utf-8") if path.exists() else header
    path.write_text(existing.rstrip("\n") + "\n\n\n" + text.strip("\n") + "\n", encoding="utf-8")
    return path


def _family_module(root: Path, rule_id: str, slug: str, family: str) -> Path:
    path = root / RULES / f"{family}.py"
    rule = f'''{rule_id} = Rule(
    id="{rule_id}",
    slug="{slug}",
    title="TODO: the failure, stated as a fact about the workload",
    topic="TODO: what is judged, with no verdict",
    severity="HIGH",
    resource_types=rt.WORKLOAD_KINDS,  # TODO: the kinds it judges (the *_KINDS tuples in resource_types)
    applies_to="TODO: the same in prose, with any condition",
    rationale="TODO: why the deployment breaks, citing the sources below",
    remediation="TODO: the fix for a FAIL",
    references=("https://learn.microsoft.com/TODO",),
    failing_example=examples.{rule_id}_FAILING,
    fixed_example=examples.{rule_id}_FIXED,
    detection="TODO: which attributes the rule reads",
)'''
    if not path.exists():
        path.write_text(
            f'''"""TODO: the {family} family ({rule_id}...): what its rules judge, and why in Azure."""

from __future__ import annotations

from collections.abc import Iterator

from pullpath import resource_types as rt
from pullpath.model import Finding, Model
from pullpath.rules.base import Rule
from pullpath.rules.examples import {family} as examples

{rule}

RULES = ({rule_id},)


def evaluate(model: Model) -> Iterator[Finding]:
    """TODO: judge each pull path (rules.pulls.evaluate_pulls and a decision function of one Pull)."""
    return iter(())
''',
            encoding="utf-8",
        )
        return path
    text = _needs(
        path.read_text(encoding="utf-8"),
        [
            "from pullpath import resource_types as rt",
            f"from pullpath.rules.examples import {family} as examples",
        ],
    )
    match = re.search(r"^RULES = \((.*?)\)$", text, re.MULTILINE | re.DOTALL)
    if match is None:
        raise SystemExit(f"new-rule: {path} has no RULES = (...) to add {rule_id} to")
    members = [m.strip() for m in match.group(1).split(",") if m.strip()]
    text = (
        text[: match.start()]
        + rule
        + "\n\n"
        + f"RULES = ({', '.join([*members, rule_id])})"  # no trailing comma: ruff keeps it on one line
        + text[match.end() :]
    )
    path.write_text(text, encoding="utf-8")
    return path


def _examples(root: Path, rule_id: str, family: str) -> Path:
    header = f'"""Failing and fixed HCL for the {family} rules."""\n\nfrom __future__ import annotations\n'
    text = f'''{rule_id}_FAILING = """
# TODO: a complete configuration the rule fails (build it from the pieces in examples/parts.py)
"""

{rule_id}_FIXED = """
# TODO: the same configuration, fixed
"""'''
    return _append(root / RULES / "examples" / f"{family}.py", text, header)


def _test(root: Path, rule_id: str, family: str) -> Path:
    header = f'''"""The {family} rules over models built directly (tests/models.py): no reader in between."""

from __future__ import annotations

import models
from pullpath.model import Verdict
from pullpath.rules import evaluate
'''
    path = root / "tests" / f"test_rules_{family}.py"
    if path.exists():
        imports = [
            "import models",
            "from pullpath.model import Verdict",
            "from pullpath.rules import evaluate",
        ]
        path.write_text(_needs(path.read_text(encoding="utf-8"), imports), encoding="utf-8")
    lower = rule_id.lower()
    text = f'''{rule_id} = "{rule_id}"


def test_{lower}_fails_the_failing_case():
    acr = models.registry()
    web = models.app(acr)  # TODO: change what makes this the failing case
    found = [(f.workload.address, f.verdict) for f in evaluate(models.model(acr, web)) if f.rule == {rule_id}]
    assert found == [(web.address, Verdict.FAIL)]


def test_{lower}_passes_the_fixed_case():
    acr = models.registry()
    web = models.app(acr)  # TODO: change what makes this the fixed case
    found = [(f.workload.address, f.verdict) for f in evaluate(models.model(acr, web)) if f.rule == {rule_id}]
    assert found == [(web.address, Verdict.PASS)]'''
    return _append(path, text, header)


def _scenarios(root: Path, rule_id: str, slug: str) -> list[Path]:
    """A failing and a passing scenario whose expected.json names the rule; plan.json is to be written."""
    written = []
    for suffix, verdict in (("fail", "FAIL"), ("pass", "PASS")):
        folder = root / "sample_tf" / f"{slug}-{suffix}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "main.tf").write_text(
            f"# TODO: what this scenario shows, and every finding expected.json lists, by layer.\n"
            f"# Expected: {rule_id} {verdict} for the workload below.\n",
            encoding="utf-8",
        )
        expected = {
            "description": f"TODO: {rule_id} {verdict}",
            "findings": [{"workload": "TODO.workload_address", "rule": rule_id, "verdict": verdict}],
        }
        (folder / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
        (folder / "plan.json").write_text(json.dumps(_EMPTY_PLAN, indent=2) + "\n", encoding="utf-8")
        written.append(folder)
    return written


#: A plan with nothing in it, in terraform show -json's shape: to be replaced by the scenario's own,
#: derived from the closest existing scenario (CONTRIBUTING.md, "Anatomy of a gallery scenario").
_EMPTY_PLAN = {
    "format_version": "1.2",
    "terraform_version": "1.11.0",
    "planned_values": {"root_module": {}},
    "resource_changes": [],
    "configuration": {"root_module": {}},
    "timestamp": "2026-01-01T00:00:00Z",
    "applyable": True,
    "complete": True,
    "errored": False,
}


def _register(root: Path, family: str) -> Path | None:
    """A new family joins rules/__init__.py and gets its checkov policy file; None when it had both."""
    init = root / RULES / "__init__.py"
    text = init.read_text(encoding="utf-8")
    if f"({family}.RULES," in text:
        return None
    text = text.replace("from pullpath.rules import (\n", f"from pullpath.rules import (\n    {family},\n", 1)
    text = text.replace(REGISTRY_LINE, f"    ({family}.RULES, {family}.evaluate),\n" + REGISTRY_LINE, 1)
    init.write_text(text, encoding="utf-8")
    policy = root / "policies" / f"pullpath_{family}.py"
    policy.write_text(
        f'''"""pullpath's {family} rules as checkov checks; logic lives in pullpath."""

from pullpath.checkov import register
from pullpath.rules import {family}

checks = register({family}.RULES)
''',
        encoding="utf-8",
    )
    return init


if __name__ == "__main__":
    sys.exit(main())
