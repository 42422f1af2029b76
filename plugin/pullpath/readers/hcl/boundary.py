"""Which folder a scan may read in: the repository the scanned folder belongs to, or the folder itself.

A scan runs on untrusted pull requests, so a committed link must not carry a file of the runner
into a report. The checkout is what the pull request controls: its top (the nearest folder above
the scanned one holding ``.git``, a folder or a worktree's file) is the default boundary, so
``pullpath scan envs/prod`` still reads ``../../modules/app`` as Terraform does, and an Azure
Verified Modules example its ``source = "../.."``. Outside any repository, the scanned folder is
the boundary; ``--boundary DIR`` names it outright (wider, or narrower than the repository).
"""

from __future__ import annotations

import os

from pullpath.errors import InputError


def boundary_of(scanned: str, given: str | None = None) -> str:
    """The folder nothing is read outside of, for a scan of ``scanned``."""
    real = os.path.realpath(scanned)
    if given is not None:
        boundary = os.path.realpath(given)
        if not os.path.isdir(boundary):
            raise InputError(f"--boundary {given}: not a directory")
        if real != boundary and not real.startswith(boundary.rstrip(os.sep) + os.sep):
            raise InputError(f"--boundary {given}: does not contain {scanned}")
        return boundary
    folder = real
    while True:
        if os.path.lexists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return real
        folder = parent
