"""docgen import of last year's plan as districts really edit it: every piece of their text kept, and placed.

The fixture (tests/edited_plans.py) is the FY25 plan docgen builds from the Cranberry Harbor sample, edited
as a district edits it. What a district checks: each sentence they typed is somewhere in the new workbook;
no prompt or label of the template is inside an answer; anything moved is listed in Carried over with
where it came from and where it went; and the workbook builds.
"""

from __future__ import annotations

import datetime
import re

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from docgen import api, variants

from . import edited_plans as edited


def _lines(path) -> list[str]:
    """Return each line of text in a Word file (paragraphs and table cells), tracked changes accepted."""
    found = []
    for p in Document(str(path)).element.body.iter(qn("w:p")):
        value = "".join(t.text or "" for t in p.iter(qn("w:t")))  # w:delText is not w:t
        value = value.replace("\u200b", "").replace("\u2011", "-")  # a non-breaking hyphen reads as a hyphen
        found.extend(piece.strip() for piece in value.split("\n") if piece.strip())
    return found


def _squash(value: str) -> str:
    """Text as compared: one space between words, a non-breaking hyphen (the writers' "6\u20118") as the hyphen."""
    return " ".join(value.replace("\u2011", "-").split())


PLANS = {  # last year's plan edited, its template, and the lines a district renamed (labels still)
    "fy25": (edited.edited_fy25_plan, "fy25", (edited.RENAMED_LABEL,), edited.EDITS),
    "fy26": (edited.edited_fy26_plan, "fy26", (edited.FY26_RENAMED,),
             [*edited.DATA_SOURCES, edited.BETWEEN_SECTIONS, edited.INSERTED, *edited.FY26_EXTRA_TARGET]),
}


def _import(folder, which):
    write, variant, renamed, edits = PLANS[which]
    source = write(folder)
    path, _, moved = api.import_plan(source, folder / "fy26.xlsx")
    return source, path, moved, _template_lines(variants.load(variant)) | set(renamed), edits


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The FY25 plan, edited, imported into this year's (FY26) workbook."""
    return _import(tmp_path_factory.mktemp("fy25"), "fy25")


@pytest.fixture(scope="module", params=sorted(PLANS))
def any_imported(request, tmp_path_factory, imported):
    """Each edited plan (FY25 into FY26, and an FY26 plan re-imported), imported."""
    return imported if request.param == "fy25" else _import(tmp_path_factory.mktemp(request.param), request.param)


def _template_lines(v) -> set[str]:
    """Return every line of the FY25 template's own text: prompts, labels, notes, tips, headings, headers."""
    texts = [*v.cover, v.cover_note, v.district_title, *v.second_priority_note, "Item", "Answer"]
    texts += [f.label for f in v.district_fields] + [v.text(v.priority_heading, number=n) for n in (1, 2)]
    for section in v.sections:
        texts += [section.heading, section.prompt, *section.bullets, *section.notes, *section.tips, *section.after]
        for part in section.parts:
            texts += [part.prompt, *part.bullets, *part.notes, *part.tips, *(f.label for f in part.fields)]
    for table in v.tables.values():
        texts += [table.title, *(c.header for c in table.columns)]
    return {line.strip() for value in texts if value for line in v.text(value).split("\n") if line.strip()}


def _workbook_text(path) -> str:
    book = openpyxl.load_workbook(path)
    cells = (c.value for ws in book.worksheets for row in ws.iter_rows() for c in row)
    shown = (v.strftime("%B %-d, %Y") if isinstance(v, datetime.datetime) else v for v in cells)  # a date cell
    return _squash("\n".join(v for v in shown if isinstance(v, str)))


def _carried(path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["Carried over"]
    return [row[:4] for row in ws.iter_rows(min_row=4, values_only=True) if any(row)]


def _answers(plan) -> list[str]:
    """Every answer cell and table cell of a plan, as the workbook holds them."""
    values = list(plan.answers.values())
    for priority in plan.priorities:
        values += priority.answers.values()
        for key in ("outcomes", "benchmarks", "targeted_support"):
            values += [v for row in getattr(priority, key) for v in vars(row).values()]
    values += [v for row in (*plan.schools, *plan.curricula) for v in vars(row).values()]
    return [v for v in values if v]


def test_every_piece_of_the_districts_text_is_in_the_imported_workbook(any_imported):
    source, path, _, template, edits = any_imported
    typed = [line for line in _lines(source) if line not in template
             and line != edited.ELLIS_POND]  # split into the school's name, code and grades: see below
    typed = [re.sub(r"^(District name|Date):\s*", "", line) for line in typed]
    text = _workbook_text(path)
    assert len(typed) > 60  # the answers, rows and edits: not the template's prompts
    assert [line for line in typed if _squash(line) not in text] == []
    assert [piece for piece in edits if _squash(piece) not in text] == []
    assert "We will hire two coaches" not in text  # a tracked deletion is not text


def test_no_prompt_or_label_ends_up_inside_an_answer(any_imported):
    _, path, _, template, _ = any_imported
    prompts = [line for line in template if len(line) > 12]
    plan = api.read_plan(path)
    assert [(p, a) for a in _answers(plan) for p in prompts if p in a] == []
    assert plan.priorities[0].answer("statement").startswith(("All students in grades 3-8", "Every student in grades"))


def test_the_imported_workbook_builds(any_imported, tmp_path):
    _, path, _, _, _ = any_imported
    built = api.build(path, tmp_path / "out", formats=("docx",))
    assert built and built[0].stat().st_size > 0


def test_an_added_column_is_kept_row_by_row_and_never_merged_into_another(imported):
    _, path, _, _, _ = imported
    benchmarks = api.read_plan(path).priorities[0].benchmarks
    assert [b.frequency for b in benchmarks] == ["Monthly", "Every 6-8 weeks", "Every 6-8 weeks"]
    rows = [(r[0].split(", ", 1)[1], r[2]) for r in _carried(path) if "'Data source'" in r[0]]
    assert rows == [(f"Interim benchmarks, row {i}: 'Data source'", value)
                    for i, value in enumerate(edited.DATA_SOURCES, start=1)]


def test_one_answer_below_several_prompts_goes_to_the_nearest_and_each_prompt_is_listed_to_check(imported):
    _, path, moved, _, _ = imported
    p = api.read_plan(path).priorities[0]
    assert p.answer("stakeholder_ongoing").startswith("Family forums and a student survey")
    checks = [r[1] for r in _carried(path) if r[3].startswith("check this") and r[2].startswith("Family forums")]
    assert checks == ["Priority 1: 'How stakeholders will be involved in implementation and monitoring'",
                      "Priority 1: 'Input received and how it informed the priority and this plan'",
                      ("Priority 1: 'Input from stakeholders in schools identified as requiring assistance or "
                       "intervention'")]
    assert {"p1.stakeholder_input", "p1.stakeholder_identified_schools"} <= set(moved.highlight)


def test_bullets_that_are_table_rows_become_rows_with_the_original_text_listed(imported):
    _, path, _, _, _ = imported
    plan = api.read_plan(path)
    assert [(c.subject, c.grades, c.status) for c in plan.curricula] == [
        ("Science", "6-8", "Learning and preparing"), ("Math", "9-12", "Investigating and selecting")]
    assert [(t.student_group, t.baseline, t.target) for t in plan.priorities[0].outcomes] == [
        ("All students", "36%", "40%"), ("Students with disabilities", "8%", "12%"),
        ("All students", "30%", "60%")]  # last year's "Other annual outcomes": a row of this year's table
    listed = {r[2]: r[1] for r in _carried(path) if r[3].startswith("check this: typed as a list item")}
    assert listed == {edited.CURRICULA_BULLETS[0]: "HQIM curricula, row 1", edited.CURRICULA_BULLETS[1]:
                      "HQIM curricula, row 2", edited.TARGET_BULLETS[0]: "Priority 1, Outcomes, row 1",
                      edited.TARGET_BULLETS[1]: "Priority 1, Outcomes, row 2"}


def test_the_plan_date_and_the_schools_details_come_across(imported):
    _, path, moved, _, _ = imported
    plan = api.read_plan(path)
    assert plan.district.date == "June 21, 2024" and "district.date" in moved.highlight
    ellis = plan.school("Ellis Pond Middle School")
    assert (ellis.org_code, ellis.grades, ellis.category) == ("09990305", "6-8", "Underperforming")
    assert ellis.plan_link.startswith("https://www.cranberryharbor.example.org/plans/")
    assert plan.school("Harborview Elementary School").category == "In need of focused/targeted support"


def test_text_typed_between_sections_and_comments_are_listed_where_they_went(imported):
    _, path, _, _, _ = imported
    rows = {r[2]: r for r in _carried(path)}
    between = rows[edited.BETWEEN_SECTIONS]
    assert between[0].endswith("typed below its box") and between[1].startswith("Priority 1: 'The system or")
    assert rows[edited.COMMENT][:2] == ("Cranberry Harbor 2024-25 plan (edited).docx, a comment by R. Alves",
                                        "not placed")
    assert edited.INSERTED in api.read_plan(path).priorities[0].answer("resource_inequities")
