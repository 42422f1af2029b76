"""No format ever prints a password, key or token from the input, whatever the plan holds in clear text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pullpath.engine import analyse_plan, review
from pullpath.report import RENDERERS, render
from pullpath.waivers import load_waivers
from report_plans import GROUP, SECRETS, mixed_plan, mixed_report

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-plans"
REAL_PLANS = [REAL / "P05-aws-format-0.1-55-changes.json", REAL / "P13-azurerm-linux-web-apps-dockerhub.json"]
SECRET_KEY = re.compile(r"password|secret|token|access_key|private_key|connection_string", re.IGNORECASE)


def secret_values(document) -> set[str]:
    """Every string a plan keeps under a secret-sounding key, anywhere in the document."""
    found: set[str] = set()
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and len(value) >= 6 and SECRET_KEY.search(str(key)):
                    found.add(value)
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return found


def test_the_secrets_are_in_the_plan(tmp_path):
    """The test below only means something if the plan really holds the secrets in clear text."""
    text = mixed_plan(tmp_path).read_text(encoding="utf-8")
    assert all(secret in text for secret in SECRETS)
    assert set(SECRETS[:3]) <= secret_values(json.loads(text))


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_no_format_echoes_a_secret(tmp_path, fmt):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        f"waivers:\n  - {{rule: PP101, workload: '{GROUP}', reason: tracked, expires: 2099-01-01}}\n",
        encoding="utf-8",
    )
    for report in (
        mixed_report(tmp_path),
        review(mixed_report(tmp_path), waivers=load_waivers(str(waivers))),
    ):
        output = render(report, fmt, colour=True)
        assert report.findings and not [secret for secret in SECRETS if secret in output]


@pytest.mark.parametrize("path", REAL_PLANS, ids=lambda p: p.name[:3])
def test_real_plans_with_clear_text_secrets_echo_none(path):
    if not path.is_file():
        pytest.skip(f"no real plan at {path} (a clone without ../shared)")
    secrets = secret_values(json.loads(path.read_bytes()))
    assert secrets, "the real plan should hold a clear-text secret for this test to mean something"
    report = analyse_plan(str(path))
    for fmt in RENDERERS:
        output = render(report, fmt)
        assert not [secret for secret in secrets if secret in output], fmt
