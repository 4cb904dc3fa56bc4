"""Workbooks edited the way people edit them: nothing typed is ever dropped, and values print as Excel shows them.

Every non-empty cell on a plan sheet ends up in the documents, or the build
stops with one line naming every such cell.
"""

from __future__ import annotations

import openpyxl
import pytest

from docgen import api

from .conftest import docx_lines
from .test_workbook import answer_rows


def edited(sample, change):
    """Apply ``change(workbook)`` to the sample as a person would in Excel, and save it."""
    wb = openpyxl.load_workbook(sample)
    change(wb)
    wb.save(sample)
    return sample


def row_of(ws, key):
    return next(cell.row for cell in ws["A"] if cell.value == key)


def build_fails_naming(run, sample, tmp_path, *cells):
    out = tmp_path / "out"
    result = run("build", sample, "-o", out)
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: {sample}: ") and len(result.output.strip().splitlines()) == 1
    for cell in cells:
        assert cell in result.output
    assert "would be lost" in result.output
    assert not out.exists()
    check = run("check", sample)
    assert check.exit_code == 1 and "ready to send" not in check.output
    return result.output


def test_an_answer_typed_in_an_inserted_row_stops_the_build_naming_the_cell(sample, tmp_path, run):
    def insert(wb):
        ws = wb["Priority 1"]
        ws.insert_rows(8)
        ws["C8"] = "Our extra thought"
    message = build_fails_naming(run, edited(sample, insert), tmp_path, "sheet 'Priority 1', cell C8")
    assert "in a row without a prompt" in message


def test_a_note_beside_an_answer_is_named(sample, tmp_path, run):
    edited(sample, lambda wb: wb["Priority 1"].cell(row=row_of(wb["Priority 1"], "statement"), column=4,
                                                    value="check with Maria"))
    message = build_fails_naming(run, sample, tmp_path, "sheet 'Priority 1', cell D")
    assert "beside the answer column" in message


def test_an_inserted_table_column_is_named_with_its_values(sample, tmp_path, run):
    def insert(wb):
        ws = wb["Monitoring"]
        ws.insert_cols(4)
        ws["D4"], ws["D5"], ws["D6"] = "Notes", "first note", "second note"
    message = build_fails_naming(run, edited(sample, insert), tmp_path, "sheet 'Monitoring', cells D5, D6")
    assert "a column 'Notes' the template does not have" in message and "the table's own columns" in message


def test_text_on_a_heading_row_and_below_the_last_prompt_are_named(sample, tmp_path, run):
    def type_there(wb):
        ws = wb["Priority 1"]
        heading = next(c.row for c in ws["B"] if str(c.value).startswith("2. Analysis"))
        ws.cell(row=heading, column=3, value="typed on the heading")
        ws.cell(row=ws.max_row + 3, column=2, value="a last word")
    message = build_fails_naming(run, edited(sample, type_there), tmp_path, "2 problems to fix")
    assert "beside a prompt or heading" in message and "below the last prompt" in message


def test_answers_are_found_by_their_label_when_the_key_column_is_cleared(sample, tmp_path):
    def clear(wb):
        for sheet in ("Priority 1", "District", "HQIM"):
            for cell in wb[sheet]["A"]:
                cell.value = None
    original = api.read_plan(sample)
    cleared = api.read_plan(edited(sample, clear))
    original.where = cleared.where = {}
    assert cleared == original
    assert cleared.priorities[0].answer("statement")


def test_moved_rows_keep_their_answers(sample):
    def move(wb):
        ws = wb["Priority 1"]
        statement, impact = row_of(ws, "statement"), row_of(ws, "desired_impact")
        for col in "ABC":  # swap the two rows, keys and all
            a, b = ws[f"{col}{statement}"], ws[f"{col}{impact}"]
            a.value, b.value = b.value, a.value
    before = api.read_plan(sample).priorities[0]
    after = api.read_plan(edited(sample, move)).priorities[0]
    assert after.answers == before.answers


def test_three_typos_are_reported_in_one_run(sample, tmp_path, run):
    def typos(wb):
        dict(answer_rows(wb["Priority 1"]))["direction"].value = "Recomit"
        wb["Schools"]["D5"] = "Focused"
        wb["Monitoring"]["A5"] = 3
    output = run("build", sample, "-o", tmp_path / "out").output
    assert "3 problems to fix" not in output
    output = run("build", edited(sample, typos), "-o", tmp_path / "out").output
    assert output.startswith(f"Error: {sample}: 3 problems to fix:")
    assert "got 'Recomit'" in output and "got 'Focused'" in output
    assert "Priority must be 1 or 2 (blank means 1); got '3'" in output  # what the person typed, not 3.0


# --- values as Excel shows them ----------------------------------------------------------------------


def test_a_percent_formatted_baseline_prints_as_a_percent(sample, tmp_path):
    def percent(wb):
        wb["Outcomes"]["E5"].value, wb["Outcomes"]["E5"].number_format = 0.38, "0%"
        wb["Outcomes"]["F5"].value, wb["Outcomes"]["F5"].number_format = 0.425, "0.0%"
    plan = api.read_plan(edited(sample, percent))
    assert (plan.priorities[0].outcomes[0].baseline, plan.priorities[0].outcomes[0].target) == ("38%", "42.5%")
    document = api.build(sample, tmp_path, formats=("docx",))[0]
    assert any("38%" in line and "42.5%" in line for line in docx_lines(document))


def test_a_zero_padded_code_keeps_its_zeros(sample):
    def code(wb):
        cell = dict(answer_rows(wb["District"]))["org_code"]
        cell.value, cell.number_format = 9990005, "00000000"
        wb["Schools"]["B5"].value, wb["Schools"]["B5"].number_format = 9990015, "00000000"
    plan = api.read_plan(edited(sample, code))
    assert plan.district.org_code == "09990005" and plan.schools[0].org_code == "09990015"


@pytest.mark.parametrize("value, number_format", [(-10**6, "mm/dd/yyyy"), (1e10, "[h]:mm:ss"), (5e7, "h:mm")])
def test_a_date_or_time_cell_no_date_can_show_is_named(sample, tmp_path, run, value, number_format):
    def bad(wb):
        cell = dict(answer_rows(wb["District"]))["date"]
        cell.value, cell.number_format = value, number_format
    edited(sample, bad)
    result = run("build", sample, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {sample}: sheet 'District', cell C6: the cell holds a number that no "
                                     "date or time can be (Excel shows ####); type the value again")


def test_check_as_json_lists_every_problem_of_an_unreadable_workbook(sample, run):
    import json

    def typos(wb):
        dict(answer_rows(wb["Priority 1"]))["direction"].value = "Recomit"
        wb["Schools"]["D5"] = "Focused"
    result = run("check", edited(sample, typos), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert (report["readable"], report["errors"]) == (False, 2)
    assert [(f["severity"], f["location"]) for f in report["findings"]] == [  # in the workbook's order
        ("error", "sheet 'Schools', cell D5"), ("error", "sheet 'Priority 1', cell C12")]
    assert "got 'Recomit'" in report["findings"][1]["message"]


def test_check_as_json_answers_in_json_for_a_file_that_is_no_workbook(tmp_path, run):
    import json

    path = tmp_path / "plan.xlsx"
    path.write_text("District name,Cranberry Harbor\n")
    report = json.loads(run("check", path, "--format", "json").output)
    assert report["readable"] is False and "is not an Excel workbook (.xlsx)" in report["findings"][0]["message"]
