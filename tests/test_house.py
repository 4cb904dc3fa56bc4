"""The house rules, held against the real tree: the stages are layers, the library never imports the web app,
routes call services (never storage or the library directly), services know no Starlette.

The contracts are in pyproject.toml under [tool.importlinter]; import-linter reads the import graph. A rule
that is broken names the import that breaks it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def lint(root: Path, monkeypatch) -> int:
    monkeypatch.chdir(root)
    monkeypatch.syspath_prepend(str(root))
    return lint_imports(config_filename=str(root / "pyproject.toml"), no_cache=True, no_logo=True)


def test_the_code_keeps_the_house_rules(monkeypatch):
    assert lint(ROOT, monkeypatch) == 0


def test_a_route_that_reads_storage_itself_breaks_them(tmp_path, monkeypatch):
    """The seam holds: a new route importing storage (here, beside the others) fails the contract."""
    copy = tmp_path / "house"
    shutil.copytree(ROOT / "docgen", copy / "docgen", ignore=shutil.ignore_patterns("__pycache__", "static", "pages"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "docgen/web/routes/shortcut.py").write_text(
        '"""A route that reads the database itself."""\n\nfrom docgen.web.storage import plans  # noqa: F401\n')
    for name in [m for m in list(__import__("sys").modules) if m == "docgen" or m.startswith("docgen.")]:
        monkeypatch.delitem(__import__("sys").modules, name)
    assert lint(copy, monkeypatch) == 1
