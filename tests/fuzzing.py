"""What every fuzz suite shares: its Hypothesis settings and a CLI run that may not hang.

``PULLPATH_FUZZ_EXAMPLES`` raises the example count for a longer run (``make fuzz``); the seed is
fixed so CI sees the same cases every time.
"""

from __future__ import annotations

import os
import signal

import pytest
from hypothesis import HealthCheck, settings

from pullpath.cli import run

CASE_SECONDS = 10


def fuzz_settings(default_examples: int) -> settings:
    return settings(
        max_examples=int(os.environ.get("PULLPATH_FUZZ_EXAMPLES", default_examples)),
        deadline=None,
        derandomize=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


class _Hang(Exception):
    pass


def _alarm(signum, frame):  # noqa: ARG001
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
