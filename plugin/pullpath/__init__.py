"""pullpath: can this Azure workload actually pull its container image?"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pullpath")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
