"""What every fuzz suite shares: its Hypothesis settings and a CLI run that may not hang.

``PULLPATH_FUZZ_EXAMPLES`` raises the example count for a longer run (``make fuzz``); the seed is
fixed so CI sees the same cases every time.
"""

from __future__ import annotations

import os
import signal
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from pullpath.cli import run
from pullpath.report import EXTENSIONS

#: A case takes about a second; thirty tell a hang from a machine busy with other work.
CASE_SECONDS = 30


def fuzz_settings(default_examples: int, ceiling: int | None = None) -> settings:
    """``ceiling`` caps a long run for a class whose every case spends a budget by design (about a
    second each): 20,000 of those would take hours, and a few hundred already cover its shapes."""
    examples = int(os.environ.get("PULLPATH_FUZZ_EXAMPLES", default_examples))
    return settings(
        max_examples=min(examples, ceiling) if ceiling else examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


class _Hang(BaseException):
    """A case over its time: a BaseException, as KeyboardInterrupt is, so that the CLI's catch-all
    for internal errors lets it through to :func:`run_guarded` rather than reporting an error."""


def _alarm(signum, frame):
    raise _Hang


def run_guarded(argv: list[str]) -> int:
    """The CLI's exit code; the test fails if one case runs longer than :data:`CASE_SECONDS`."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_SECONDS)
    try:
        return run(argv)
    except _Hang:
        pytest.fail(f"pullpath {argv[0]} hung for over {CASE_SECONDS} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# Sensitive text for the sensitivity class: ``Zq9`` and letters or digits (the core, which no format
# escapes, so a leak shows as itself), then characters the formats do escape. No separator pullpath
# splits a value at (``/ : @ | .`` or a space), so a part it derives holds the secret whole or not at all.
SECRET_CORES = st.text(string.ascii_letters + string.digits, min_size=6, max_size=10).map(lambda t: "Zq9" + t)
SECRET_TAILS = st.text("<>&*_[]`'#!,;=?^~+-(){}", max_size=6)


def run_every_format(argv: list[str], folder: Path, capsys) -> tuple[int, str]:
    """One run writing every format under ``folder``: the exit code and all it printed and wrote."""
    formats = [argument for fmt in sorted(EXTENSIONS) for argument in ("--format", fmt)]
    code = run_guarded([*argv, *formats, "--output-dir", str(folder)])
    out, err = capsys.readouterr()
    written = "".join(path.read_text(encoding="utf-8") for path in sorted(folder.glob("pullpath.*")))
    return code, out + err + written
