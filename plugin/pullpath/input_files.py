"""Reading an input file the way every front door must: bounded, and failing in one clear line."""

from __future__ import annotations

import os

from pullpath.errors import InputError


def read_bounded(path: str, limit: int, what: str, limit_setting: str = "") -> bytes:
    """The bytes of ``path``, or an :class:`InputError` saying why not (missing, folder, too large).

    ``what`` names the input in messages ("plan", "waivers file"); ``limit_setting`` names the
    variable that raises the limit, when there is one.
    """
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, expected a {what}")
    try:
        size = os.path.getsize(path)
        if size > limit:
            setting = f" ({limit_setting})" if limit_setting else ""
            raise InputError(f"{path}: {size} bytes exceeds the {what} size limit of {limit} bytes{setting}")
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise InputError(f"{path}: cannot read {what}: {error.strerror or error}") from None
