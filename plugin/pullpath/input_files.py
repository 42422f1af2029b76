"""Reading input files the way every front door must: bounded, and failing in one clear line.

Limits count the bytes actually read, never a size the file system reports: a device
(``/dev/zero``), a pipe or a file that grows while it is read has no honest size, and reading it to
the end would hang or exhaust memory. So at most ``limit + 1`` bytes are ever read.

Two kinds of input: a file the user names on the command line (plan, ``--var-file``, waivers,
inventory) may be a regular file or a pipe (``<(terraform show -json tfplan)``, a FIFO someone
writes; a named FIFO nobody writes waits like ``cat`` would); a file found in a scanned tree must
be a regular file, because a committed link to ``/dev/stdin`` or a device is nobody's input.
Devices and sockets are never opened: opening some devices has effects of its own.
"""

from __future__ import annotations

import os
import stat
import sys

from pullpath.errors import InputError

_CHUNK = 1024**2
#: Never block on a FIFO nor adopt a terminal (flags Windows lacks); binary on Windows.
_READ_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
)


class NotRead(Exception):
    """A file found in a tree that pullpath would not read; the message says why, never what it holds."""


def read_bounded(path: str, limit: int, what: str, limit_setting: str = "") -> bytes:
    """The bytes of a file the user named, or an :class:`InputError` saying why not.

    ``what`` names the input in messages ("plan", "waivers file"); ``limit_setting`` names the
    variable that raises the limit, when there is one. A regular file or a pipe is read, at most
    ``limit + 1`` bytes of it; anything else (a device, a socket, a folder) is refused unopened.
    """
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: cannot read {what}: {_why(error)}") from None
    if stat.S_ISDIR(status.st_mode):
        raise InputError(f"{path}: is a directory, expected a {what}")
    if not (stat.S_ISREG(status.st_mode) or stat.S_ISFIFO(status.st_mode)):
        raise InputError(f"{path}: not a regular file or a pipe, expected a {what}")
    too_large = f"exceeds the {what} size limit of {limit} bytes" + (
        f" ({limit_setting})" if limit_setting else ""
    )
    if stat.S_ISREG(status.st_mode) and status.st_size > limit:  # refused without reading it
        raise InputError(f"{path}: {status.st_size} bytes {too_large}")
    try:
        with open(path, "rb", buffering=0) as handle:
            data = read_at_most(handle.fileno(), limit, status.st_size)
    except OSError as error:
        raise InputError(f"{path}: cannot read {what}: {_why(error)}") from None
    if len(data) > limit:
        raise InputError(f"{path}: {too_large}")
    return data


def read_regular(path: str, limit: int, limit_setting: str) -> bytes:
    """The bytes of a regular file found in a tree, or :class:`NotRead` saying why not.

    The file is checked before it is opened (a device is never opened) and again once open
    (without blocking, so a FIFO swapped in meanwhile cannot hang the scan).
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise NotRead("not a regular file (a device, pipe or socket): not read")
        descriptor = os.open(path, _READ_FLAGS)
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                raise NotRead("not a regular file (a device, pipe or socket): not read")
            data = read_at_most(descriptor, limit, status.st_size)
        finally:
            os.close(descriptor)
    except (OSError, ValueError) as error:
        raise NotRead(f"cannot read: {_why(error)}") from None
    if len(data) > limit:
        raise NotRead(f"larger than the {limit}-byte limit for one file ({limit_setting})")
    return data


def read_stdin(limit: int, what: str, limit_setting: str = "") -> bytes:
    """Standard input (``pullpath plan -``), bounded like a file; a terminal is refused, not waited on."""
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError(
            f"stdin is a terminal, expected a {what}: pipe it in (terraform show -json plan.out | ...)"
        )
    try:
        data = read_at_most(sys.stdin.buffer.fileno(), limit)
    except (OSError, ValueError, AttributeError) as error:
        raise InputError(f"stdin: cannot read {what}: {_why(error)}") from None
    if len(data) > limit:
        suffix = f" ({limit_setting})" if limit_setting else ""
        raise InputError(f"stdin: exceeds the {what} size limit of {limit} bytes{suffix}")
    return data


def read_at_most(descriptor: int, limit: int, expected: int = 0) -> bytes:
    """Up to ``limit + 1`` bytes from an open file: one more than allowed tells "too large".

    ``expected`` (a regular file's size) sizes the first read, so a file within its limit is read
    in one call and never copied; a pipe or a device is read a megabyte at a time.
    """
    chunks: list[bytes] = []
    remaining = limit + 1
    size = expected + 1 if expected else _CHUNK
    while remaining > 0:
        chunk = os.read(descriptor, min(size, remaining, 2**30))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
        size = _CHUNK
    return b"".join(chunks)


def _why(error: Exception) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error)
