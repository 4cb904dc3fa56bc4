"""The intake workbook: a blank one a district can fill, the reader, and its error messages."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import datetime

import openpyxl
import pytest

from docgen import api, variants
from docgen.read.workbook import priority_sheet

from .conftest import SAMPLE, docx_lines

FY26 = variants.load("fy26")


def answer_rows(ws):
    """Yield (key, answer cell) for each answer row of a form sheet."""
    for key_cell, _, answer in ws.iter_rows(min_col=1, max_col=3):
        if isinstance(key_cell.value, str) and key_cell.value:
            yield key_cell.value, answer


def test_blank_workbook_has_a_sheet_per_area_and_drop_downs(tmp_path, run):
    path = tmp_path / "blank.xlsx"
    result = run("new-workbook", path)
    assert result.exit_code == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "Start here"
    for sheet in ("District", "Schools", "HQIM", "HQIM curricula", "Priority 1", "Priority 2",
                  "Outcomes", "Monitoring", "Targeted support"):
        assert sheet in wb.sheetnames
    assert wb["Lists"].sheet_state == "hidden"
    # each prompt sits beside its answer cell, word for word
    priority = wb["Priority 1"]
    prompts = [row[0] for row in priority.iter_rows(min_col=2, max_col=2, values_only=True) if row[0]]
    assert any(p.startswith("1. Instructional Priority: What is your district’s highest leverage") for p in prompts)
    assert priority.freeze_panes == "B4"
    # every controlled field has a drop-down
    validated = {str(ref) for dv in priority.data_validations.dataValidation for ref in dv.sqref.ranges}
    direction_cell = dict(answer_rows(priority))["direction"].coordinate
    assert direction_cell in validated
    schools = wb["Schools"]
    assert any("D5:D204" == str(r) for dv in schools.data_validations.dataValidation for r in dv.sqref.ranges)


def fill_every_answer(path):
    """Fill every answer cell and one row of every table with a value unique to it; return the values."""
    wb = openpyxl.load_workbook(path)
    values = {}
    for sheet in ("District", "HQIM", priority_sheet(1), priority_sheet(2)):
        for key, cell in answer_rows(wb[sheet]):
            spec = next((f for f in FY26.district_fields if f.key == key), None) if sheet == "District" else \
                next(f for s in FY26.sections for f in s.fields if f.key == key)
            if spec.kind == "choice":
                value = FY26.lists[spec.list].values[-1]
            elif spec.kind == "email":
                value = f"{key}@{sheet.replace(' ', '')}.example.org".lower()
            elif spec.kind == "date":
                cell.value = datetime(2025, 6, 27)
                values[(sheet, key)] = "June 27, 2025"
                continue
            elif key == "school_year":
                value = "2025-2026"
            else:
                value = f"Answer for {key} on {sheet}"
            cell.value = value
            values[(sheet, key)] = value
    for table in FY26.tables.values():
        ws = wb[table.sheet]
        columns = [c.key for c in table.columns]
        for number in (1, 2) if table.scope == "priority" else (None,):
            row = 6 if number == 2 else 5
            offset = 1 if table.scope == "priority" else 0
            if offset:
                ws.cell(row=row, column=1, value=number)
            for col, column in enumerate(table.columns, start=1 + offset):
                if column.list:
                    value = FY26.lists[column.list].values[0]
                else:
                    value = f"{table.key}.{column.key} #{number or 0}"
                ws.cell(row=row, column=col, value=value)
                values[(table.sheet, column.key, number)] = value
            assert columns
    wb.save(path)
    return values


def test_every_filled_cell_lands_in_the_right_place_in_the_docx(tmp_path, run):
    path = tmp_path / "filled.xlsx"
    run("new-workbook", path)
    values = fill_every_answer(path)
    result = run("build", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    document = next((tmp_path / "out").glob("*.docx"))
    lines = docx_lines(document)
    text = "\n".join(lines)
    for key, value in values.items():
        if key[0] == "Schools" and key[1] == "name":
            assert value in text
        assert value in text, key
    # a block answer sits in the row right under its label, in the right priority
    plan = api.read_plan(path)
    assert len(plan.priorities) == 2
    for number in (1, 2):
        heading = lines.index(f"# Instructional Priority #{number}")
        label = lines.index("Equity and opportunity gaps this priority will address", heading)
        assert lines[label + 1] == f"Answer for equity_gaps on Priority {number}"
        assert f"benchmarks.benchmark #{number}" in "\n".join(lines[heading:])
    # side-by-side fields put the label and the answer on one row
    assert "District leaders | Answer for district_actions on Priority 1" in lines


def test_second_priority_is_left_out_when_its_sheet_is_blank(sample):
    plan = api.read_plan(sample)
    assert [p.number for p in plan.priorities] == [1]


def test_sample_workbook_holds_the_shipped_example():
    read = api.read_plan(SAMPLE)
    read.where = {}
    assert read == api.example_plan("fy26")


def test_alt_enter_lines_and_excel_escapes_are_read_as_line_breaks(sample):
    wb = openpyxl.load_workbook(sample)
    cell = dict(answer_rows(wb["Priority 1"]))["statement"]
    cell.value = "First line_x000B_second line\nthird"
    wb.save(sample)
    assert api.read_plan(sample).priorities[0].answer("statement") == "First line\nsecond line\nthird"


def test_grade_span_that_excel_turned_into_a_date_reads_back_as_typed(sample):
    wb = openpyxl.load_workbook(sample)
    wb["Schools"]["C5"].value = datetime(2025, 6, 8)
    wb.save(sample)
    assert api.read_plan(sample).schools[0].grades == "6-8"


# --- errors a person can act on ----------------------------------------------------------


def assert_clean_failure(result, out_dir, *expected):
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    for part in expected:
        assert part in result.output
    assert not out_dir.exists() or list(out_dir.iterdir()) == []


def test_missing_file(tmp_path, run):
    out = tmp_path / "out"
    result = run("build", tmp_path / "nope.xlsx", "-o", out)
    assert_clean_failure(result, out, "nope.xlsx: file not found")


def test_file_that_is_not_a_workbook(tmp_path, run):
    fake = tmp_path / "plan.xlsx"
    fake.write_text("District name,Date\n")
    out = tmp_path / "out"
    result = run("build", fake, "-o", out)
    assert_clean_failure(result, out, "plan.xlsx: is not an Excel workbook (.xlsx)")


def missing_sheet(wb):
    del wb["Monitoring"]
    return ("sheet 'Monitoring' is missing",)


def outside_drop_down(wb):
    wb["Schools"]["D6"].value = "Focused"
    return ("cranberry-harbor.xlsx: sheet 'Schools', cell D6: 'Accountability category' must be one of:",
            "got 'Focused'")


def bad_choice_in_a_form_sheet(wb):
    cell = dict(answer_rows(wb["Priority 1"]))["direction"]
    cell.value = "Keep going"
    message = (f"sheet 'Priority 1', cell {cell.coordinate}: 'This year the district will' must be one of: Recommit, "
               "Adjust, Change direction; got 'Keep going'")
    return (message,)


def missing_district_name(wb):
    cell = dict(answer_rows(wb["District"]))["name"]
    cell.value = None
    return (f"sheet 'District', cell {cell.coordinate}: the district name is required",)


def bad_email(wb):
    dict(answer_rows(wb["District"]))["contact_email"].value = "marcus at district"
    return ("must be one email address like name@district.org; got 'marcus at district'",)


def excel_error_value(wb):
    wb["Outcomes"]["E5"].value = "#N/A"
    return ("sheet 'Outcomes', cell E5: the cell shows the Excel error #N/A",)


@pytest.mark.parametrize("edit", [missing_sheet, outside_drop_down, bad_choice_in_a_form_sheet, missing_district_name,
                                  bad_email, excel_error_value], ids=lambda edit: edit.__name__)
def test_a_workbook_edited_wrongly_gets_one_line_naming_sheet_and_cell(edit, sample, tmp_path, run):
    wb = openpyxl.load_workbook(sample)
    expected = edit(wb)
    wb.save(sample)
    out = tmp_path / "out"
    result = run("build", sample, "-o", out)
    assert_clean_failure(result, out, *expected)


def test_choices_ignore_case_and_spacing(sample):
    wb = openpyxl.load_workbook(sample)
    dict(answer_rows(wb["Priority 1"]))["direction"].value = "  change   DIRECTION "
    wb.save(sample)
    assert api.read_plan(sample).priorities[0].answer("direction") == "Change direction"


def test_date_cell_with_a_huge_negative_number_gets_one_line_naming_the_cell(sample, tmp_path):
    wb = openpyxl.load_workbook(sample)
    cell = dict(answer_rows(wb["District"]))["date"]
    cell.value, cell.number_format = -10**12, "yyyy-mm-dd"  # python-calamine would panic converting it
    wb.save(sample)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "docgen", "build", str(sample), "-o", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        (f"Error: {sample}: sheet 'District', cell {cell.coordinate}: the cell holds a number that no date or time "
         "can be (Excel shows ####); type the value again")]
    assert not out.exists()


def test_unknown_variant(sample, tmp_path, run):
    out = tmp_path / "out"
    result = run("build", sample, "--variant", "fy99", "-o", out)
    assert_clean_failure(result, out, "unknown variant 'fy99'; choose one of: fy25, fy26")


def test_existing_output_is_not_overwritten_without_force(sample, tmp_path, run):
    out = tmp_path / "out"
    assert run("build", sample, "-o", out).exit_code == 0
    document = next(out.glob("*.docx"))
    document.write_bytes(b"the district's edited copy")
    deck = document.with_suffix(".pptx")
    deck_bytes = deck.read_bytes()
    result = run("build", sample, "-o", out)
    assert result.exit_code == 1
    assert "already exists; add --force to replace it" in result.output
    assert document.read_bytes() == b"the district's edited copy"
    assert deck.read_bytes() == deck_bytes  # nothing of the run was written
    assert run("build", sample, "-o", out, "--force").exit_code == 0
    assert document.read_bytes().startswith(b"PK")
    assert sorted(p.name for p in out.iterdir()) == [document.name, document.with_suffix(".pptx").name]


def test_outputs_are_readable_like_any_file_the_user_saves(sample, tmp_path, run):
    umask = os.umask(0o022)
    os.umask(umask)
    out = tmp_path / "out"
    assert run("build", sample, "-o", out).exit_code == 0
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {0o666 & ~umask}


def test_new_workbook_does_not_overwrite(tmp_path, run):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"keep me")
    result = run("new-workbook", path)
    assert result.exit_code == 1
    assert path.read_bytes() == b"keep me"


@pytest.mark.parametrize("sheet", ["Priority 1", "District"])
def test_text_in_an_unknown_answer_row_is_never_dropped_silently(sample, tmp_path, run, sheet):
    wb = openpyxl.load_workbook(sample)
    ws = wb[sheet]
    row = ws.max_row + 1
    ws.cell(row=row, column=1, value="old_prompt")
    ws.cell(row=row, column=3, value="Text from last year's template")
    wb.save(sample)
    out = tmp_path / "out"
    result = run("build", sample, "-o", out)
    assert_clean_failure(result, out, "these answers have no place in the fy26 template and would be lost: "
                         f"sheet '{sheet}': old_prompt (C{row})")


def test_workbook_built_with_another_variant_names_every_field_that_does_not_map(sample, tmp_path, run):
    out = tmp_path / "out"
    result = run("build", sample, "--variant", "fy25", "-o", out)
    assert_clean_failure(
        result, out,
        "these answers have no place in the fy25 template and would be lost: ",
        "sheet 'Monitoring': level (C5, C6, C7), on_track (F5, F6, F7)",
        "sheet 'Priority 1': subject (C7), grades (C8), student_groups (C9), desired_impact (C10)",
        "Build with the variant the workbook was made for (school year 2025-2026)")


def _column_width(ws, index: int) -> float:
    for dimension in ws.column_dimensions.values():
        if dimension.min and dimension.max and dimension.min <= index <= dimension.max and dimension.width:
            return dimension.width
    return 8.43  # Excel's default


def test_rows_are_tall_enough_for_long_answers_in_excel_and_calc():
    """Every wrapped cell's row holds its lines, counted generously (Calibri fits ~1.4 characters per width unit)."""
    import io
    import math

    from .test_letter import mill_river

    wb = openpyxl.load_workbook(io.BytesIO(api.workbook_bytes(mill_river())))
    checked = 0
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not cell.value or not cell.alignment.wrap_text:
                    continue
                width = _column_width(ws, cell.column)
                lines = sum(max(1, math.ceil(len(part) / (width * 1.4))) for part in cell.value.split("\n"))
                height = ws.row_dimensions[cell.row].height or 15
                assert height >= min(lines * 14.5, 409), (ws.title, cell.coordinate, lines, height)
                checked += 1
    assert checked > 100
    start = wb["Start here"]
    assert start["A1"].font.sz == 16 and start.row_dimensions[1].height >= 16 * 1.3  # the title clears row 2


def test_why_a_school_is_identified_is_a_schools_column_read_into_the_plan(sample):
    plan = api.read_plan(sample)
    assert plan.schools[1].reason == "Among the lowest performing schools"
    assert "sheet 'Schools', cell G6" == plan.where["schools[1].reason"]


def test_a_workbook_from_before_the_why_identified_column_still_builds(sample, run, tmp_path):
    wb = openpyxl.load_workbook(sample)
    ws = wb["Schools"]
    column = next(c.column for row in ws.iter_rows(max_row=10) for c in row
                  if str(c.value or "").startswith("Why identified"))
    ws.delete_cols(column)
    wb.save(sample)
    assert all(s.reason == "" for s in api.read_plan(sample).schools)
    assert run("build", sample, "-o", tmp_path / "out").exit_code == 0
    assert "0 errors" in run("check", sample).output
