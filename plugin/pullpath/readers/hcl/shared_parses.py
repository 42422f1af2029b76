"""Parses of ``.tf`` files that a host process (checkov) already made, offered to the reader.

Inside checkov, pullpath judges the same files checkov has just parsed with the same parser
(bc-python-hcl2). Parsing is most of what a scan costs, so :func:`share_host_parses` records
checkov's parse of each file, and the reader takes it instead of parsing again. A record is keyed
by the file's real path, size and modification time, and is a copy taken at parse time: checkov
renders variables into its own copy afterwards, and pullpath must see the raw text's structure,
exactly as its own parse would give it. The copy is kept encoded (one JSON ``bytes`` object per
file, decoded when the reader asks): a tree of dicts and lists per file, alive for the whole
checkov run, made the cyclic garbage collector walk checkov's whole heap one more time.
"""

from __future__ import annotations

import copy
import os
import threading
from typing import Any

import msgspec

_PARSES: dict[tuple[str, int, int], bytes | dict[str, Any]] = {}
_LOCK = threading.Lock()
_INSTALLED = False


def _key(path: str, real: str | None = None) -> tuple[str, int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (real or os.path.realpath(path), status.st_size, status.st_mtime_ns)


def _snapshot(parsed: dict[str, Any]) -> bytes | dict[str, Any]:
    """The parse as JSON when it is plain data; else a deep copy."""
    try:
        return msgspec.json.encode(parsed)
    except (TypeError, msgspec.EncodeError):
        return copy.deepcopy(parsed)


def recall(path: str, real: str | None = None) -> dict[str, Any] | None:
    """The host's parse of ``path`` if it parsed this very file content, else None.

    ``real`` is the path's real path when the caller already resolved it (the reader's Loader has).
    """
    key = _key(path, real)
    with _LOCK:
        found = _PARSES.get(key) if key else None
    return msgspec.json.decode(found) if isinstance(found, bytes) else found


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
