"""Property-based fuzzing: whatever a workbook or a Word file holds, docgen writes valid documents or says
where the problem is (a DocgenError), and the text that went in comes out.

The normal suite runs a few examples of each; `pytest -m fuzz` runs 1,000
(the "fuzz" Hypothesis profile, set in conftest.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen import api, variants, write
from docgen.checks import check
from docgen.errors import DocgenError
from docgen.read import word

pytestmark = pytest.mark.fuzz
FY26 = variants.load("fy26")
_ESCAPED = re.compile(r"_x[0-9A-Fa-f]{4}_")


def excel_escape(value: str) -> str:
    """Store text the way Excel does: characters XML cannot hold become _xHHHH_, and so does a literal '_x'."""
    value = _ESCAPED.sub(lambda m: "_x005F_" + m.group(0)[1:], value)
    out = []
    for ch in value:
        code = ord(ch)
        if (code < 0x20 and ch not in "\t\n\r") or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            out.append(f"_x{code:04X}_")
        else:
            out.append(ch)
    return "".join(out)


texts = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=300)
cell_values = st.one_of(
    texts,
    st.text(alphabet="\u202e\u05d0\u0627 {}<>&%#-*•\n\x0b\t", max_size=40),  # right-to-left, markup, list marks
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(["#N/A", "#REF!", "=1/0", "=SUM(A1:A2)", "TBD"]),
)
# Answers may also be as long as Excel allows (32,767 characters); table cells stay short so that
# 200-row tables do not turn every example into a thousand-slide deck.
answer_values = st.one_of(cell_values, st.just("word " * 6553 + "xy"))


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = tmp_path_factory.mktemp("blank") / "blank.xlsx"
    api.new_workbook(path)
    return path.read_bytes()


def fill(blank: bytes, answers: list, rows: dict) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(blank))
    cells = [c for sheet in ("District", "HQIM", "Priority 1", "Priority 2")
             for k, _, c in wb[sheet].iter_rows(min_col=1, max_col=3) if k.value]
    for cell, value in zip(cells, answers, strict=False):
        cell.value = excel_escape(value) if isinstance(value, str) else value
    for sheet, values in rows.items():
        ws = wb[sheet]
        for r, row in enumerate(values, start=5):
            for c, value in enumerate(row, start=1):
                ws.cell(row=r, column=c, value=excel_escape(value) if isinstance(value, str) else value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def normal(value: str) -> str:
    return " ".join(value.split())


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.function_scoped_fixture])
@given(answers=st.lists(answer_values, max_size=40),
       rows=st.dictionaries(st.sampled_from(["Schools", "Outcomes", "Monitoring", "Targeted support"]),
                            st.lists(st.lists(cell_values, max_size=7), max_size=200), max_size=4))
def test_any_workbook_gives_valid_documents_or_a_located_error(blank, tmp_path, answers, rows):
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(fill(blank, answers, rows))
    try:
        plan = api.read_plan(path)
    except DocgenError as exc:
        assert str(exc).startswith(str(path)) and ("sheet '" in str(exc) or "district name" in str(exc)), str(exc)
        return
    variant = variants.load(plan.variant)
    findings = check(plan, variant)
    assert all(f.message for f in findings)
    document = write.build("docx", plan, variant)
    deck = write.build("pptx", plan, variant)
    letter = api.letter_file(plan, variant, findings)[1]
    for package in (document, deck, letter):
        assert zipfile.ZipFile(io.BytesIO(package)).testzip() is None
    text = normal(" ".join(p.text for t in docx.Document(io.BytesIO(document)).tables
                           for row in t.rows for c in row.cells for p in c.paragraphs))
    for value in plan.priorities[0].answers.values() if plan.priorities else ():
        for line in value.split("\n"):
            words = normal(re.sub(r"^\s*([-*•◦▪‣●○■□–]|o(?=\s)|\d{1,2}[.)])\s+", "", line))
            assert words in text, words[:80]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(paragraphs=st.lists(st.one_of(texts, st.sampled_from([
    "1. What are your district’s top 1-2 instructional priorities for SY24-25?", "Priority #1 (brief description):",
    "3. Stakeholder Engagement:", "Supports offered by DESE", "District name: ", "Date: June 1, 2024"])), max_size=30),
    table=st.lists(st.lists(texts, min_size=1, max_size=4), max_size=8))
def test_any_word_file_imports_or_says_it_is_not_a_plan(tmp_path_factory, paragraphs, table):
    folder = tmp_path_factory.mktemp("fuzz-import")
    doc = docx.Document()
    for value in paragraphs:
        doc.add_paragraph(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", value))
    if table:
        grid = doc.add_table(rows=len(table), cols=max(len(r) for r in table))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.rows[r].cells[c].text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", value)
    source = folder / "plan.docx"
    doc.save(str(source))
    try:
        path, found, moved = api.import_plan(source, folder / "plan.xlsx", force=True)
    except word.ImportError_ as exc:
        assert str(exc).startswith(str(source))
        return
    if not moved.plan.district.name:  # the importer highlights it for the district to fill
        wb = openpyxl.load_workbook(path)
        next(c for k, _, c in wb["District"].iter_rows(min_col=1, max_col=3) if k.value == "name").value = "X"
        wb.save(path)
    plan = api.read_plan(path)
    assert plan.variant == "fy26"
    kept = " ".join([*(c.text for c in moved.carried),
                     *(v for p in plan.priorities for v in p.answers.values()), *plan.answers.values()])
    for _, value, _ in found.unplaced:
        assert value in kept


def test_dates_and_numbers_in_text_cells_read_as_people_typed_them(blank, tmp_path):
    path = tmp_path / "typed.xlsx"
    path.write_bytes(fill(blank, ["Maple Falls", 9990000, datetime(2025, 6, 20), "2025-2026"], {}))
    plan = api.read_plan(path)
    assert (plan.district.name, plan.district.org_code, plan.district.date) == ("Maple Falls", "9990000",
                                                                                 "June 20, 2025")
