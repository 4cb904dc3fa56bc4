"""Every Word, PowerPoint and Excel file docgen writes passes the Open XML SDK's schema validation (openxml-audit)."""

from __future__ import annotations

import pytest

from docgen import api
from docgen.region import batch

from .conftest import SAMPLE, assert_valid_office


def test_the_plans_and_the_letter_are_valid(tmp_path):
    written = api.build(SAMPLE, tmp_path)
    written += api.letter(SAMPLE, tmp_path)
    assert [p.suffix for p in written] == [".docx", ".pptx", ".docx"]
    assert_valid_office(*written)


@pytest.mark.parametrize("variant", ["fy26", "fy25"])
@pytest.mark.parametrize("example", [False, True])
def test_intake_workbooks_are_valid(tmp_path, variant, example):
    path = api.new_workbook(tmp_path / "plan.xlsx", variant_id=variant, example=example)
    assert_valid_office(path)


def test_the_last_year_plan_in_fy25_layout_builds_valid_files(tmp_path):
    from .conftest import ROOT

    written = api.build(ROOT / "data" / "cranberry-harbor-2024-25.xlsx", tmp_path)
    assert_valid_office(*written)


def test_imported_workbook_and_batch_summary_are_valid(tmp_path):
    docx = api.build(SAMPLE, tmp_path / "plans", formats=("docx",))[0]
    path, _, _ = api.import_plan(docx, tmp_path / "imported.xlsx")
    assert_valid_office(path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.xlsx").write_bytes(SAMPLE.read_bytes())
    batch.run(tmp_path / "in", tmp_path / "out", jobs=1)
    assert_valid_office(tmp_path / "out" / batch.SUMMARY)
