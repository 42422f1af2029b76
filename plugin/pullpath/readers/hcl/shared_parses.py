"""Parses of ``.tf`` files that a host process (checkov) already made, offered to the reader.

Inside checkov, pullpath judges the same files checkov has just parsed with the same parser
(bc-python-hcl2). Parsing is most of what a scan costs, so :func:`share_host_parses` records
checkov's parse of each file, and the reader takes it instead of parsing again. A record is keyed
by the file's real path, size and modification time, and is a deep copy taken at parse time:
checkov renders variables into its own copy afterwards, and pullpath must see the raw text's
structure, exactly as its own parse would give it.
"""

from __future__ import annotations

import copy
import os
import threading
from typing import Any

import msgspec

_PARSES: dict[tuple[str, int, int], dict[str, Any]] = {}
_LOCK = threading.Lock()
_INSTALLED = False


def _key(path: str) -> tuple[str, int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (os.path.realpath(path), status.st_size, status.st_mtime_ns)


def _snapshot(parsed: dict[str, Any]) -> dict[str, Any]:
    """A deep copy; through JSON when the parse is plain data (about ten times faster)."""
    try:
        return msgspec.json.decode(msgspec.json.encode(parsed))
    except (TypeError, msgspec.EncodeError):
        return copy.deepcopy(parsed)


def recall(path: str) -> dict[str, Any] | None:
    """The host's parse of ``path`` if it parsed this very file content, else None."""
    key = _key(path)
    with _LOCK:
        return _PARSES.get(key) if key else None


def share_host_parses() -> None:
    """Record every ``hcl2.load(file)`` of this process from now on (idempotent).

    Only the plain one-argument call checkov makes is recorded, so a record always matches what
    :func:`pullpath.readers.hcl.dialects.parse_hcl` would parse from the same text.
    """
    global _INSTALLED
    import hcl2

    with _LOCK:
        if _INSTALLED:
            return
        _INSTALLED = True
        original = hcl2.load

    def load(file: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(file, *args, **kwargs)
        name = getattr(file, "name", None)
        if not args and not kwargs and isinstance(name, str) and isinstance(result, dict):
            key = _key(name)
            if key is not None and name.endswith(".tf"):
                snapshot = _snapshot(result)
                with _LOCK:
                    _PARSES[key] = snapshot
        return result

    hcl2.load = load
