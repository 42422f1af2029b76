"""pullpath: can this Azure workload actually pull its container image?"""


def __getattr__(name: str) -> str:
    """``__version__``, looked up on first use: reading the package metadata costs about 20 ms of
    imports, which every start would pay for the few commands that print the version."""
    if name != "__version__":
        raise AttributeError(f"module 'pullpath' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("pullpath")
    except PackageNotFoundError:  # running from a source tree without an install
        found = "0.0.0"
    globals()["__version__"] = found
    return found
