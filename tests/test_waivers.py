"""Waivers: a live one sets a finding aside in every format and the gate; expired, stale and malformed ones speak up."""

from __future__ import annotations

import json
import re
import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from pullpath.cli import run
from pullpath.engine import review
from pullpath.report import RENDERERS, render
from pullpath.waivers import glob_matches, load_waivers
from report_plans import API, GROUP, WEB, mixed_plan, mixed_report, verdicts


def waivers_file(tmp_path, text: str, name: str = "waivers.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


LIVE = """\
# accepted while the registry moves behind a private endpoint
waivers:
  - rule: PP101
    workload: module.aci["North Europe"].azurerm_container_group.this
    reason: registry moves behind a private endpoint in Q3 (OPS-1234)
    expires: 2099-12-31
"""


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_live_waiver_sets_the_fail_aside_and_the_gate_passes(tmp_path, capsys):
    plan = mixed_plan(tmp_path)
    assert cli(capsys, "plan", str(plan))[0] == 1
    code, out, err = cli(capsys, "plan", str(plan), "--waivers", str(waivers_file(tmp_path, LIVE)))
    assert code == 0 and err == ""
    row = next(line for line in out.splitlines() if line.startswith("WAIVED"))
    assert "PP101" in row and 'module.aci["North Europe"].azurerm_container_group.this' in row
    blocks = dict(re.findall(r"^((?:FAIL|WARN|UNKNOWN|WAIVED) PP\d{3}) (.*?)  docs: ", out, re.M | re.S))
    waived = " ".join(blocks["WAIVED PP101"].split())
    assert "waived until 2099-12-31: registry moves behind a private endpoint in Q3 (OPS-1234)" in waived
    assert "fix:" not in waived and "fix:" in blocks["WARN PP201"]  # the waived PP101 needs no fix; others do
    assert "0 FAIL" in out and "1 WAIVED" in out


def test_a_waived_finding_does_not_hide_the_others_from_fail_on(tmp_path, capsys):
    code, _, _ = cli(
        capsys,
        "plan",
        str(mixed_plan(tmp_path)),
        "--waivers",
        str(waivers_file(tmp_path, LIVE)),
        "--fail-on",
        "warn",
    )
    assert code == 1  # the WARN of azurerm_linux_web_app.api is not waived


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_waived_shows_as_waived_in_every_format(tmp_path, fmt):
    report = review(mixed_report(tmp_path), waivers=load_waivers(str(waivers_file(tmp_path, LIVE))))
    assert (GROUP, "PP101", "WAIVED") in verdicts(report)
    assert "WAIVED" in render(report, fmt)
    assert "OPS-1234" in render(report, fmt)


def test_glob_patterns_match_addresses_with_brackets_and_quotes_literally(tmp_path):
    text = """\
waivers:
  - {rule: PP101, workload: 'module.aci["North *"].*', reason: all northern groups, expires: 2099-01-01}
  - {rule: PP201, workload: 'azurerm_linux_web_app.ap?', reason: api only, expires: 2099-01-01}
  - {rule: PP201, workload: 'module.aci[?North Europe?].*', reason: brackets are not a class, expires: 2099-01-01}
"""
    report = review(mixed_report(tmp_path), waivers=load_waivers(str(waivers_file(tmp_path, text))))
    assert verdicts(report) >= {
        (GROUP, "PP101", "WAIVED"),
        (API, "PP201", "WAIVED"),
        (WEB, "PP201", "UNKNOWN"),
    }
    [stale] = report.notices
    assert "waivers.yaml:4" in stale.message and "matches no FAIL, WARN or UNKNOWN finding" in stale.message


def test_an_expired_waiver_no_longer_suppresses_and_says_so_everywhere(tmp_path, capsys):
    text = LIVE.replace("2099-12-31", "2024-06-30")
    path = waivers_file(tmp_path, text)
    code, out, err = cli(capsys, "plan", str(mixed_plan(tmp_path)), "--waivers", str(path))
    assert code == 1
    assert "expired on 2024-06-30 and no longer suppresses 1 finding(s)" in err
    assert err.startswith("pullpath: warning: waiver PP101") and err.count("\n") == 1
    assert "Waiver notices:" in out and "expired on 2024-06-30" in " ".join(out.split())
    report = review(mixed_report(tmp_path), waivers=load_waivers(str(path)))
    for fmt in RENDERERS:
        assert "expired on 2024-06-30" in " ".join(render(report, fmt).split()), fmt


def test_a_waiver_is_live_through_its_expiry_day(tmp_path):
    waivers = load_waivers(str(waivers_file(tmp_path, LIVE)))
    report = mixed_report(tmp_path)
    assert (GROUP, "PP101", "WAIVED") in verdicts(review(report, waivers=waivers, today=date(2099, 12, 31)))
    assert (GROUP, "PP101", "FAIL") in verdicts(review(report, waivers=waivers, today=date(2100, 1, 1)))


def test_a_waiver_for_a_path_that_now_passes_is_reported_as_stale(tmp_path, capsys):
    text = LIVE.replace("PP101", "PP102").replace(
        'module.aci["North Europe"].azurerm_container_group.this', "azurerm_container_group.worker"
    )
    code, out, err = cli(
        capsys,
        "plan",
        str(mixed_plan(tmp_path)),
        "--waivers",
        str(waivers_file(tmp_path, text)),
        "--format",
        "json",
    )
    document = json.loads(out)
    assert code == 1
    assert [n["line"] for n in document["notices"]] == [3]
    message = document["notices"][0]["message"]
    assert "matches no FAIL, WARN or UNKNOWN finding" in message and f"pullpath: warning: {message}" in err


def test_json_keeps_the_verdict_behind_the_waiver(tmp_path, capsys):
    _, out, _ = cli(
        capsys,
        "plan",
        str(mixed_plan(tmp_path)),
        "--waivers",
        str(waivers_file(tmp_path, LIVE)),
        "--format",
        "json",
    )
    document = json.loads(out)
    [waived] = [f for f in document["findings"] if f["verdict"] == "WAIVED"]
    assert waived["waiver"] == {
        "verdict": "FAIL",
        "reason": "registry moves behind a private endpoint in Q3 (OPS-1234)",
        "expires": "2099-12-31",
        "file": str(tmp_path / "waivers.yaml"),
        "line": 3,
    }
    assert document["summary"]["WAIVED"] == 1 and document["summary"]["FAIL"] == 0


MALFORMED = {
    "not-yaml": "waivers: [rule: PP101\n",
    "empty": "",
    "top-level-list": "- rule: PP101\n",
    "no-list": "waivers: PP101\n",
    "extra-top-key": "waivers: []\nowner: me\n",
    "missing-reason": "waivers:\n  - {rule: PP101, workload: x, expires: 2099-01-01}\n",
    "typo-key": "waivers:\n  - {rule: PP101, workload: x, reason: y, expiry: 2099-01-01}\n",
    "bad-date": "waivers:\n  - {rule: PP101, workload: x, reason: y, expires: next summer}\n",
    "unknown-rule": "waivers:\n  - {rule: PP999, workload: x, reason: y, expires: 2099-01-01}\n",
    "entry-not-mapping": "waivers:\n  - PP101\n",
    "reason-not-text": "waivers:\n  - {rule: PP101, workload: x, reason: [a, b], expires: 2099-01-01}\n",
    "no-such-day": "waivers:\n  - {rule: PP101, workload: x, reason: y, expires: 2026-02-30}\n",
    "date-and-time": "waivers:\n  - {rule: PP101, workload: x, reason: y, expires: 2026-02-01T10:00:00}\n",
    "yaml-datetime": "waivers:\n  - {rule: PP101, workload: x, reason: y, expires: 2026-02-01 10:00:00}\n",
    "quoted-no-such-day": "waivers:\n  - {rule: PP101, workload: x, reason: y, expires: '2026-13-01'}\n",
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_waivers_file_is_an_input_error(tmp_path, capsys, name):
    path = waivers_file(tmp_path, MALFORMED[name])
    code, out, err = cli(capsys, "plan", str(mixed_plan(tmp_path)), "--waivers", str(path))
    assert code == 2 and out == ""
    assert err.startswith("pullpath: error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_a_missing_waivers_file_is_an_input_error(tmp_path, capsys):
    code, _, err = cli(capsys, "plan", str(mixed_plan(tmp_path)), "--waivers", str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml" in err and err.count("\n") == 1


def test_malformed_entries_name_their_line(tmp_path):
    path = waivers_file(tmp_path, LIVE + "  - {rule: PP201, workload: x, reason: y, expires: 31/12/2099}\n")
    with pytest.raises(Exception, match=r"waivers\.yaml:7: waiver expires must be a date"):
        load_waivers(str(path))


@pytest.mark.parametrize(
    ("expires", "message"),
    [
        ("2026-02-30", "waiver expires 2026-02-30 is no day of the calendar"),
        ("2026-02-01T10:00:00", "waiver expires must be a date (YYYY-MM-DD), without a time"),
        ("2026-02-01 10:00:00", "waiver expires must be a date (YYYY-MM-DD), without a time"),
    ],
)
def test_an_impossible_day_or_a_time_is_one_clear_line(tmp_path, capsys, expires, message):
    path = waivers_file(tmp_path, LIVE.replace("2099-12-31", expires))
    code, out, err = cli(capsys, "plan", str(mixed_plan(tmp_path)), "--waivers", str(path))
    assert (code, out) == (2, "")
    assert err == f"pullpath: error: {path}:3: {message}\n"


def test_a_yaml_error_names_line_and_column_but_never_quotes_the_line(tmp_path, capsys):
    text = LIVE.replace("reason: registry", "reason: token=ghp_s3cr3tT0ken: registry")
    path = waivers_file(tmp_path, text)
    code, out, err = cli(capsys, "plan", str(mixed_plan(tmp_path)), "--waivers", str(path))
    assert (code, out) == (2, "")
    assert err == f"pullpath: error: {path}: not valid YAML at line 5, column 34\n"
    assert "ghp_s3cr3tT0ken" not in err


def test_a_pattern_of_many_stars_against_a_long_address_matches_at_once(tmp_path):
    """``*a`` 25 times, translated to a regular expression, backtracks for ever on a near miss."""
    pattern = "*a" * 25
    text = LIVE.replace('module.aci["North Europe"].azurerm_container_group.this', f"'{pattern}'")
    waivers = load_waivers(str(waivers_file(tmp_path, text)))
    report = mixed_report(tmp_path)
    long_address = 'module.aci["' + "a" * 2000 + '"].azurerm_container_group.this'
    findings = [replace(f, workload=replace(f.workload, address=long_address)) for f in report.findings]
    start = time.monotonic()
    outcome = review(replace(report, findings=tuple(findings)), waivers=waivers, today=date(2026, 1, 1))
    assert time.monotonic() - start < 2
    assert not outcome.waived  # the address ends in ".this": no "a" after the last "*" can match


@settings(max_examples=300, deadline=None)
@given(st.text("ab*?", max_size=8), st.text("ab", max_size=10))
def test_glob_matching_agrees_with_the_wildcards_as_a_regular_expression(glob, text):
    translated = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    assert glob_matches(glob, text) == (re.fullmatch(translated, text, re.DOTALL) is not None)
