"""Where a finding points, said the way CI tools want it: a repository-relative path and a line.

Code scanning, annotations and test reports match a path against the checked-out repository, so a
path inside the working directory is written relative to it with forward slashes; one outside
stays absolute.
"""

from __future__ import annotations

import os
from pathlib import PurePath

from pullpath.engine import Report
from pullpath.model import Finding, SourceLocation


def artifact_path(path: str) -> str:
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, os.getcwd())
    except ValueError:  # another drive on Windows
        return PurePath(absolute).as_posix()
    if relative == ".." or relative.startswith(".." + os.sep):
        return PurePath(absolute).as_posix()
    return PurePath(relative).as_posix()


def finding_location(report: Report, finding: Finding) -> SourceLocation:
    """The .tf file and line for ``scan`` and ``plan --source-dir``; the plan file (no line) for ``plan``.

    Source paths are relative to the folder that was read, so they are joined to it to be found
    from here.
    """
    location = finding.workload.location
    if location is None:
        return SourceLocation(report.source)
    if not os.path.isabs(location.file) and report.sources_dir:
        return SourceLocation(os.path.join(report.sources_dir, location.file), location.line)
    return location
