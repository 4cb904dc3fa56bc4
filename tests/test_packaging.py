"""pip install . ships every subpackage and every template file."""

from __future__ import annotations

import tomllib

from .conftest import ROOT


def test_every_subpackage_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {"docgen." + ".".join(p.parent.relative_to(ROOT / "docgen").parts)
               for p in (ROOT / "docgen").rglob("__init__.py")}
    on_disk = {name.rstrip(".") for name in on_disk}
    assert on_disk | {"docgen.templates"} == listed


def test_every_template_file_is_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["docgen.templates"]
    suffixes = {pattern.rsplit(".", 1)[-1] for pattern in patterns}
    shipped = {p.suffix.lstrip(".") for p in (ROOT / "templates").rglob("*") if p.is_file() and p.suffix != ".py"}
    assert shipped <= suffixes
