"""pullpath: can this Azure workload actually pull its container image?"""


def __getattr__(name: str) -> str:
    """``__version__``, looked up on first use (:func:`pullpath.project.version`): only the few
    commands and formats that print it pay for reading it."""
    if name != "__version__":
        raise AttributeError(f"module 'pullpath' has no attribute {name!r}")
    from pullpath.project import version

    found = version()
    globals()["__version__"] = found
    return found
