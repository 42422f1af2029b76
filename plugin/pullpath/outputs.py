"""Writing reports: all of them or none, never over an input, never a device replaced.

Every target is checked before anything is written: not an empty name, not a folder (nor a name
ending in ``/``), not a file the run read, not a symbolic link to a file (a pull request can commit
``pullpath.sarif -> ~/.ssh/authorized_keys`` where a pipeline writes its report; a link to a device
or a pipe, such as ``/dev/stdout``, is written through). Then each report goes to a temporary file beside its
target, and only when every one is written are they renamed over their targets, so a failure
(a full disk, a missing folder) leaves every earlier report as it was. A character device or a
pipe (``-o /dev/stdout``, ``-o /dev/null``, a FIFO) is opened and written instead: renaming over
``/dev/null`` as root would replace the runner's device with a file for every later step.

Temporary files are removed on any exit Python sees: an exception, ``atexit``, SIGTERM, SIGINT or
SIGHUP (the handler removes them, then lets the signal do what it would have done). ``kill -9``
cannot be caught: a report killed that way between writing and renaming leaves its
``.pullpath-*.tmp`` files (one per report of that run, never more) beside the targets.
"""

from __future__ import annotations

import atexit
import os
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress

from pullpath.errors import InputError

_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))
_PENDING: dict[str, None] = {}  # temporary files written and not yet renamed over their targets


def write_reports(reports: Sequence[tuple[str, str]], inputs: Iterable[str] = ()) -> None:
    """Write each ``(path, content)``: every report or, on an :class:`InputError`, none of them."""
    inputs = [path for path in inputs if path]
    for path, _ in reports:
        check_target(path, inputs)
    encoded = [
        (path, content.encode("utf-8", errors="replace"), _is_stream(path)) for path, content in reports
    ]
    with _removed_on_signals():
        try:
            staged = [(_stage(path, data), path) for path, data, stream in encoded if not stream]
            for path, data, stream in encoded:
                if stream:
                    _write_stream(path, data)
            for temporary, path in staged:
                _replace(temporary, path)
        finally:
            _remove_pending()


def check_target(path: str, inputs: Iterable[str] = ()) -> None:
    """Refuse a target that is no file name, a folder, a block device, or an input of the run."""
    if not path:
        raise InputError("--output '': an empty file name; give a file, or '-' for stdout")
    if path.endswith(("/", os.sep)) or (os.altsep and path.endswith(os.altsep)):
        raise InputError(f"{path}: names a folder; --output takes a file (--output-dir takes a folder)")
    try:
        status = os.stat(path)
    except FileNotFoundError:
        status = None
    except (OSError, ValueError) as error:
        why = getattr(error, "strerror", None) or error
        raise InputError(f"{path}: cannot write report: {why}") from None
    if os.path.islink(path) and not (status is not None and _is_stream(path)):
        raise InputError(
            f"{path}: is a symbolic link; refusing to write the report through it (a link committed to a "
            "scanned tree could point anywhere): give the file's own path"
        )
    linked = _linked_folder(path)
    if linked:
        raise InputError(
            f"{path}: folder {linked} is a symbolic link in the working directory; refusing to write the "
            "report through it (a link committed to a checkout could point anywhere): give a path without it"
        )
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise InputError(f"{path}: is a directory; --output takes a file (--output-dir takes a folder)")
    if status is not None and stat.S_ISBLK(status.st_mode):
        raise InputError(f"{path}: is a block device; --output takes a file, a character device or a pipe")
    if status is not None and any(_same_file(path, source) for source in inputs):
        raise InputError(f"{path}: refusing to write the report over its own input")
    directory = os.path.dirname(os.path.realpath(path))
    if status is None and not os.path.isdir(directory):
        raise InputError(f"{path}: directory {directory} does not exist")


def _linked_folder(path: str) -> str | None:
    """The first folder on ``path``, as given, that is a symbolic link in the working directory.

    Walked component by component, not normalised: ``reports/../x`` goes through ``reports``, and a
    link there decides where ``..`` leads. A link outside the working directory (``/tmp`` on macOS,
    a home folder) is the machine's own and is followed.
    """
    here = os.path.realpath(os.getcwd())
    prefix = ""
    for part in os.path.dirname(path).split(os.sep):
        prefix = os.path.join(prefix, part) if prefix else (part or os.sep)
        if part in ("", ".") or not os.path.islink(prefix):
            continue
        holder = os.path.realpath(os.path.dirname(prefix) or ".")
        if holder == here or holder.startswith(here + os.sep):
            return prefix
    return None


def _same_file(path: str, source: str) -> bool:
    """One file under two names (a link, ``./``, a hard link): the same device and inode."""
    try:
        return os.path.samefile(path, source)
    except (OSError, ValueError):
        return False


def _is_stream(path: str) -> bool:
    """A character device, a pipe, or a descriptor the process holds: written through, never renamed over.

    ``/dev/stdout`` links to ``/proc/self/fd/1``, which may be a file the shell opened (``> out``):
    renaming over it would replace that file instead of writing to what the shell redirected.
    """
    if _names_a_descriptor(path):
        return True
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


_DESCRIPTOR = re.compile(r"^/(proc/(self|thread-self|\d+)|dev)/fd/\d+$")


def _names_a_descriptor(path: str) -> bool:
    """Whether ``path`` is, or links through, an open descriptor's name (``/dev/stdout``, ``/dev/fd/3``)."""
    hop = path
    for _ in range(40):  # the kernel's own limit on links followed
        if _DESCRIPTOR.match(hop):
            return True
        if not os.path.islink(hop):
            return False
        hop = os.path.join(os.path.dirname(hop), os.readlink(hop))
    return False


def _stage(path: str, data: bytes) -> str:
    """A temporary file beside the target holding ``data``, registered for removal until renamed."""
    directory = os.path.dirname(os.path.realpath(path))
    blocked = _block_signals()
    try:
        handle, temporary = tempfile.mkstemp(prefix=".pullpath-", suffix=".tmp", dir=directory)
        _PENDING[temporary] = None
    except OSError as error:
        raise InputError(f"{path}: cannot write report: {error.strerror or error}") from None
    finally:
        _unblock_signals(blocked)
    umask = os.umask(0)
    os.umask(umask)
    try:
        with os.fdopen(handle, "wb") as stream:
            os.chmod(temporary, 0o666 & ~umask)  # mkstemp's 0600 would hide the report from CI uploaders
            stream.write(data)
    except OSError as error:
        raise InputError(f"{path}: cannot write report: {error.strerror or error}") from None
    return temporary


def _write_stream(path: str, data: bytes) -> None:
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as error:
        raise InputError(f"{path}: cannot write report: {error.strerror or error}") from None


def _replace(temporary: str, path: str) -> None:
    try:
        os.replace(temporary, os.path.realpath(path))
    except OSError as error:
        raise InputError(f"{path}: cannot write report: {error.strerror or error}") from None
    _PENDING.pop(temporary, None)


def _remove_pending() -> None:
    for temporary in list(_PENDING):
        with suppress(OSError):
            os.unlink(temporary)
        _PENDING.pop(temporary, None)


def _on_signal(signum: int, frame: object) -> None:
    """Remove the temporary files, then die of the signal as if no handler had been set."""
    _remove_pending()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


@contextmanager
def _removed_on_signals() -> Iterator[None]:
    """While reports are written, a terminating signal removes the temporary files first.

    Handlers can only be set from the main thread; elsewhere ``atexit`` is the net.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _on_signal) for signum in _SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _block_signals() -> set[int] | None:
    """Hold the terminating signals while a temporary file is created and registered."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)


def _unblock_signals(blocked: set[int] | None) -> None:
    if blocked is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


atexit.register(_remove_pending)
