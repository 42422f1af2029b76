"""The cyclic garbage collector, paused while pullpath makes many objects that all stay alive.

Reading a large plan makes hundreds of thousands of objects that live until the report is made,
and rendering it makes a dictionary per finding while all of them are still alive: every full
collection walked everything again, a third of the time on a 40k-resource plan and half of the
JSON report's. Inside checkov every collection walks checkov's whole graph too. Nothing is lost by
waiting: what pullpath drops is freed by reference counting, but for a handful of cycles that go
at the next collection after the pause.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector is left as it was found after it."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
