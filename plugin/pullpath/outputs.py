"""Writing reports: atomically, and never over the input being judged."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable

from pullpath.errors import InputError


def write_atomic(path: str, content: str, inputs: Iterable[str] = ()) -> None:
    """Write through a temporary file and a rename, so a reader never sees half a report."""
    target = os.path.realpath(path)
    for source in inputs:
        if os.path.exists(source) and os.path.realpath(source) == target:
            raise InputError(f"{path}: refusing to write the report over its own input")
    directory = os.path.dirname(target) or "."
    if not os.path.isdir(directory):
        raise InputError(f"{path}: directory {directory} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=".pullpath-", dir=directory)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp's 0600 would hide the report from CI uploaders
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
        os.replace(temporary, target)
    except OSError as error:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise InputError(f"{path}: cannot write report: {error.strerror or error}") from None
