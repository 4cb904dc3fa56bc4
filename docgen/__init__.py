"""docgen: a district's instructional prioritization plan workbook -> the official DESE documents.

``docgen.build("plan.xlsx", "output")`` does what ``docgen build`` does; the
library entry points live in docgen.api and are loaded on first use, and so
is ``docgen.__version__`` (importlib.metadata costs a cold start ~90 ms).
"""

_API = ("build", "new_workbook", "read_plan", "example_plan", "check", "letter", "submit", "import_plan",
        "roll_forward")
__all__ = ["__version__", *_API]


def _version() -> str:
    """Return the installed package's version ("0+unknown" in a source tree that was never installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("docgen")
    except PackageNotFoundError:
        return "0+unknown"


def __getattr__(name):
    if name == "__version__":
        globals()["__version__"] = found = _version()
        return found
    if name in _API:
        from docgen import api

        return getattr(api, name)
    raise AttributeError(f"module 'docgen' has no attribute '{name}'")
