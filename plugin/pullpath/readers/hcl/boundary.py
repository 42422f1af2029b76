"""Which folder a scan may read in: the repository the scanned folder belongs to, or the folder itself.

A scan runs on untrusted pull requests, so a committed link must not carry a file of the runner
into a report. The checkout is what the pull request controls: its top (the nearest folder above
the scanned one holding ``.git``, a folder or a worktree's file) is the default boundary, so
``pullpath scan envs/prod`` still reads ``../../modules/app`` as Terraform does, and an Azure
Verified Modules example its ``source = "../.."``. Outside any repository, the scanned folder is
the boundary; ``--boundary DIR`` names it outright (wider, or narrower than the repository).
A refusal names which folder the boundary is, and where: a user told "outside the scanned folder"
when the repository was the boundary looks for the problem in the wrong place.
"""

from __future__ import annotations

import os

import msgspec

from pullpath.errors import InputError

REPOSITORY = "the repository"
GIVEN = "the --boundary folder"
SCANNED = "the scanned folder"
SOURCE_DIR = "the --source-dir folder"  # the scanned folder of ``plan --source-dir``


class Boundary(msgspec.Struct, frozen=True):
    """The folder nothing is read outside of (a real path), and which folder that is."""

    path: str
    kind: str  # REPOSITORY, GIVEN, SCANNED or SOURCE_DIR

    @classmethod
    def of_folder(cls, folder: str) -> Boundary:
        """The scanned folder itself as the boundary, whatever repository holds it."""
        return cls(os.path.realpath(folder), SCANNED)

    def refusal(self, what: str) -> str:
        """Why ``what`` (``resolves``, ``module folder resolves``) was not read, in one line."""
        return f"{what} outside {self.kind} ({self.path}): not read"


def boundary_of(scanned: str, given: str | None = None, kind: str = SCANNED) -> Boundary:
    """The folder nothing is read outside of, for a scan of ``scanned`` (``kind`` says what that is)."""
    real = os.path.realpath(scanned)
    if given is not None:
        boundary = os.path.realpath(given)
        if not os.path.isdir(boundary):
            raise InputError(f"--boundary {given}: not a directory")
        if real != boundary and not real.startswith(boundary.rstrip(os.sep) + os.sep):
            raise InputError(f"--boundary {given}: does not contain {scanned}")
        return Boundary(boundary, GIVEN)
    folder = real
    while True:
        if os.path.lexists(os.path.join(folder, ".git")):
            return Boundary(folder, REPOSITORY)
        parent = os.path.dirname(folder)
        if parent == folder:
            return Boundary(real, kind)
        folder = parent
