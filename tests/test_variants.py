"""Variant specs: loading, picking by school year, and mistakes reported with file, line and key."""

from __future__ import annotations

import shutil

import pytest

from docgen import variants
from docgen.errors import TemplateError

from .conftest import SAMPLE


@pytest.fixture
def spec_copy(tmp_path, monkeypatch):
    """Return the path of a private copy of templates/fy26/spec.yaml that docgen loads instead of the real one."""
    root = tmp_path / "templates"
    shutil.copytree(variants.templates_dir() / "fy26", root / "fy26")
    monkeypatch.setattr(variants, "templates_dir", lambda: root)
    variants.load.cache_clear()
    yield root / "fy26" / "spec.yaml"
    variants.load.cache_clear()


def break_spec(path, old, new):
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return source[: source.index(old)].count("\n") + 1


def test_fy26_loads_with_its_sections():
    v = variants.load("fy26")
    assert v.school_year == "2025-2026"
    assert [s.heading for s in v.sections_in("priority")][0] == "1. Instructional Priority"
    assert len(v.sections_in("priority")) == 8


def test_variant_is_chosen_by_school_year_else_newest():
    assert variants.for_school_year("2025-26").id == "fy26"
    assert variants.for_school_year("").id == variants.newest()


def test_typo_in_a_template_expression_names_file_line_and_key(spec_copy, run):
    line = break_spec(spec_copy, '  - "{{ school_year }}"', '  - "{{ shool_year }}"')
    with pytest.raises(TemplateError) as caught:
        variants.load("fy26")
    assert str(caught.value).startswith(f"templates/fy26/spec.yaml, line {line}, cover[2]: 'shool_year' is undefined")
    result = run("build", SAMPLE, "-o", spec_copy.parent / "out")
    assert result.exit_code == 1
    assert result.output.startswith("Error: templates/fy26/spec.yaml, line ")
    assert not (spec_copy.parent / "out").exists()


def test_yaml_syntax_error_names_the_line(spec_copy):
    line = break_spec(spec_copy, "  hqim_status:\n", "  hqim_status: [\n")
    with pytest.raises(TemplateError, match=r"templates/fy26/spec.yaml, line \d+: not valid YAML") as caught:
        variants.load("fy26")
    assert caught.value.line >= line


def test_unknown_list_and_column_are_reported(spec_copy):
    break_spec(spec_copy, "list: direction,", "list: directions,")
    with pytest.raises(TemplateError, match=r"sections\[1\]\.parts\[0\]\.fields\[6\]: unknown list 'directions'"):
        variants.load("fy26")


def test_unknown_table_column_is_reported(spec_copy):
    break_spec(spec_copy, "{key: baseline,", "{key: base_line,")
    with pytest.raises(TemplateError, match=r"tables\.outcomes\.columns\[3\]: no such column 'base_line'"):
        variants.load("fy26")
