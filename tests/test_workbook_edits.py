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


def fails_with_one_line(run, sample, tmp_path, message):
    """Build and check ``sample``: both exit 1 with exactly ``message`` as the one line; nothing is written."""
    out = tmp_path / "out"
    for args in (("build", sample, "-o", out), ("check", sample)):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert result.output == f"Error: {sample}: {message}\n"
    assert not out.exists()


RESTORE = "put it back (Undo in Excel), or copy the rows into a workbook made by 'docgen new-workbook'"


def test_a_deleted_school_name_column_stops_naming_the_sheet_and_column(sample, tmp_path, run):
    edited(sample, lambda wb: wb["Schools"].delete_cols(1))
    fails_with_one_line(run, sample, tmp_path, f"sheet 'Schools': the column 'School name' is missing; {RESTORE}")


def test_a_column_dragged_onto_another_names_the_one_now_missing(sample, tmp_path, run):
    edited(sample, lambda wb: wb["Monitoring"].move_range("D1:D60", cols=1))  # 'Who monitors' dropped on 'How often'
    fails_with_one_line(run, sample, tmp_path, f"sheet 'Monitoring': the column 'How often' is missing; {RESTORE}")


def test_two_deleted_columns_are_named_in_one_line(sample, tmp_path, run):
    def delete(wb):
        wb["Outcomes"].delete_cols(5)
        wb["Outcomes"].delete_cols(2)
    fails_with_one_line(run, edited(sample, delete), tmp_path,
                        "sheet 'Outcomes': the columns 'Measure', 'Baseline' are missing; put them back (Undo in "
                        "Excel), or copy the rows into a workbook made by 'docgen new-workbook'")


def test_a_column_dragged_past_the_table_is_still_read(sample, tmp_path):
    original = api.read_plan(sample)
    moved = api.read_plan(edited(sample, lambda wb: wb["Schools"].move_range("A1:A60", cols=10)))
    assert [s.name for s in moved.schools] == [s.name for s in original.schools]
    assert moved.schools == original.schools


def test_a_school_row_without_a_name_is_named_by_its_cell(sample, tmp_path, run):
    edited(sample, lambda wb: setattr(wb["Schools"]["A6"], "value", None))  # Ellis Pond's name deleted
    fails_with_one_line(run, sample, tmp_path,
                        "sheet 'Schools', cell A6: this row has values but no 'School name'; type it, or clear the row")


def test_an_email_cell_holding_a_line_break_gives_one_line_showing_it(sample, tmp_path, run):
    edited(sample, lambda wb: setattr(dict(answer_rows(wb["District"]))["contact_email"], "value",
                                      "marcus@cranberry.example.org\nbcc@attacker.example"))
    fails_with_one_line(run, sample, tmp_path,
                        "sheet 'District', cell C10: 'Plan contact email' must be one email address like "
                        "name@district.org; got 'marcus@cranberry.example.org\\nbcc@attacker.example' (The part "
                        "after the @-sign contains invalid characters: '@', U+000A)")


def test_a_choice_and_a_header_holding_control_characters_are_shown_escaped(sample, tmp_path, run):
    def type_them(wb):
        wb["Schools"]["D5"] = "Focused\r\nsupport"
        wb["Schools"]["H4"], wb["Schools"]["H5"] = "Notes\u202e\tfor\nMaria", "a note"
    out = tmp_path / "out"
    result = run("build", edited(sample, type_them), "-o", out)
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1, result.output
    assert "got 'Focused\\nsupport'" in result.output  # line breaks unified as in the document
    assert "a column 'Notes\\u202e\\tfor\\nMaria' the template does not have" in result.output


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
