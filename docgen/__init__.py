"""docgen: a district's instructional prioritization plan workbook -> the official DESE documents.

``docgen.build("plan.xlsx", "output")`` does what ``docgen build`` does; the
library entry points live in docgen.api and are loaded on first use.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("docgen")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

_API = ("build", "new_workbook", "read_plan", "example_plan", "check", "letter", "submit", "import_plan", "roll_forward")
__all__ = ["__version__", *_API]


def __getattr__(name):
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'docgen' has no attribute '{name}'")
