"""The azurerm provider version a configuration is locked to, from ``.terraform.lock.hcl``.

Remediation depends on it: ``vnet_image_pull_enabled`` exists on Linux web apps only from 4.36,
so advice must name what the user's provider offers. The lock file is read with a small pattern
rather than the hcl2 parser, so it works the same whichever parser dialect is installed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from pullpath.input_files import NotRead, read_regular

Version = tuple[int, int, int]

LOCK_FILE = ".terraform.lock.hcl"
_MAX_BYTES = 1024**2
_PROVIDER = re.compile(r'provider\s+"(?P<source>[^"]+)"\s*\{(?P<body>[^{}]*)\}')
_VERSION = re.compile(r'^\s*version\s*=\s*"(?P<version>[^"]+)"', re.MULTILINE)


def parse_version(text: str) -> Version | None:
    """``"4.36.0"`` -> ``(4, 36, 0)``; pre-release suffixes are ignored, anything else is None."""
    match = re.match(r"\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?", text)
    if not match:
        return None
    return (int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0))


def azurerm_version_in(text: str) -> Version | None:
    """The locked version of ``hashicorp/azurerm`` in a lock file's text, if it locks one."""
    for match in _PROVIDER.finditer(text):
        if match.group("source").rstrip("/").endswith("hashicorp/azurerm"):
            version = _VERSION.search(match.group("body"))
            return parse_version(version.group("version")) if version else None
    return None


def locked_azurerm_version(directory: str, read: Callable[[str], str] | None = None) -> Version | None:
    """The azurerm version locked in ``directory/.terraform.lock.hcl``; None without a lock file.

    ``read`` reads it: a scan passes its Loader's, which keeps to the scanned folder; by default
    only a regular file is read, and only so much of it (a lock file is a few kilobytes).
    """
    path = os.path.join(directory, LOCK_FILE)
    try:
        text = read(path) if read else read_regular(path, _MAX_BYTES, "").decode("utf-8-sig")
        return azurerm_version_in(text)
    except (OSError, ValueError, NotRead):  # ValueError: undecodable, or the Loader's refusal
        return None
