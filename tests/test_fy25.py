"""The FY25 (2024-2025) template variant: the official template's wording, from the same kind of spec as FY26."""

from __future__ import annotations

import re

import docx

from docgen import api

from .conftest import GOLDEN, ROOT, docx_lines

FY25_SAMPLE = ROOT / "data" / "cranberry-harbor-2024-25.xlsx"


def flat(lines) -> str:
    return re.sub(r"\s+", " ", " ".join(lines).replace(" / ", " ").replace(" | ", " "))


def test_every_line_of_the_fy25_template_appears_verbatim(tmp_path, run):
    result = run("build", FY25_SAMPLE, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    document = tmp_path / "Cranberry Harbor Public Schools FY25 Instructional Prioritization Plan.docx"
    text = flat(docx_lines(document))
    template = (GOLDEN / "fy25_template_lines.txt").read_text(encoding="utf-8").splitlines()
    assert len(template) == 59
    missing = [line for line in template if line not in text]
    assert missing == []


def test_fy25_is_chosen_from_the_workbook_school_year():
    plan = api.read_plan(FY25_SAMPLE)
    assert plan.variant == "fy25"
    plan.where = {}
    assert plan == api.example_plan("fy25")


def test_fy25_tables_use_the_template_columns(tmp_path, run):
    run("build", FY25_SAMPLE, "-o", tmp_path)
    document = docx.Document(str(next(tmp_path.glob("*.docx"))))
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables if len(t.columns) in (2, 3)]
    assert [("What interim benchmarks will you track throughout the year at both the district and school level to "
             "gauge changes in adult practice and student learning/experiences?"),
            "Who will monitor these? (e.g. which teams and/or roles at the district and/or school level)",
            "How often?\n(e.g. weekly, monthly, quarterly, or on specific dates)"] in headers
    assert ["Schools to receive differentiated support",
            "Description of differentiated support related to the priority"] in headers


def test_fy25_golden_text_dump(tmp_path, run, golden):
    run("build", FY25_SAMPLE, "-o", tmp_path)
    golden("sample_fy25.docx.txt", "\n".join(docx_lines(next(tmp_path.glob("*.docx")))) + "\n")


def test_fy25_deck_has_the_template_sections(tmp_path, run):
    from pptx import Presentation

    assert run("build", FY25_SAMPLE, "-o", tmp_path, "--format", "pptx").exit_code == 0
    titles = [s.shapes.title.text_frame.text for s in Presentation(str(next(tmp_path.glob("*.pptx")))).slides]
    for heading in ("Status of HQIM adoption", "1. Instructional Priority", "2a. Analysis of Strengths and Challenges",
                    "2b. Systemic Factors", "3. Stakeholder Engagement", "4. Outcomes", "5. Role Clarity",
                    "6. Monitoring Implementation", "7. Resources", "8. Differentiation"):
        assert heading in titles
