"""The consultant's feedback letter and the review sheet it reads."""

from __future__ import annotations

import dataclasses
import shutil

import docx
import openpyxl
import pytest

from docgen import api, variants
from docgen.compose import feedback, letter_supports

from .conftest import ROOT, docx_lines
from .letters import ON
from .test_checks import break_sample_workbook
from .test_render import pdf_text, to_pdf
from .test_workbook import answer_rows

FY25_SAMPLE = ROOT / "data" / "cranberry-harbor-2024-25.xlsx"


def letter_lines(workbook, out):
    [path] = api.letter(workbook, out)
    return path, docx_lines(path)


def test_review_sheet_is_read_and_ignored_by_the_plan_documents(sample, tmp_path):
    plan = api.read_plan(sample)
    assert plan.review.consultant_name == "Dr. Alana Brightwater"
    assert plan.review.review_date == "August 12, 2025"
    assert plan.review.sections["monitoring"].next_steps.startswith("Agree the dates")
    written = api.build(sample, tmp_path)
    assert not any("Brightwater" in line for line in docx_lines(next(p for p in written if p.suffix == ".docx")))


def test_blank_workbook_has_an_empty_review_sheet(tmp_path, run):
    path = tmp_path / "blank.xlsx"
    run("new-workbook", path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Consultant review"]
    keys = [row[0] for row in ws.iter_rows(min_col=1, max_col=1, values_only=True) if row[0]]
    assert keys[:5] == ["consultant_name", "consultant_title", "region", "review_date", "summary"]
    assert "section:monitoring" in keys


def test_sample_letter_reads_like_a_letter(sample, tmp_path, run):
    result = run("letter", sample, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    path = tmp_path / "Cranberry Harbor Public Schools FY26 Feedback Letter.docx"
    lines = docx_lines(path)
    text = "\n".join(lines)
    assert lines[0] == "Massachusetts Department of Elementary and Secondary Education"
    assert "August 12, 2025" in lines
    assert "Dear Dr. Alves:" in lines  # title and last name, as a consultant writes it
    assert "DRAFT" not in text
    # the priority restated in the district's own words
    assert "Every student in grades 3-8, and especially students with disabilities and English learners" in text
    # the consultant's comments
    assert "Set a midyear number for the classroom-level benchmark at each identified school" in text
    assert "- 1. Instructional Priority. The priority statement is short, specific and easy to repeat" in text
    # at least two matched DESE supports, each with why it fits
    supports = [line for line in lines if line.startswith("- ") and "Suggested for " in line]
    assert len(supports) >= 2
    assert any("Improving Math Instruction for Students with Disabilities" in s and "students with disabilities" in s
               for s in supports)
    # signature and appendix
    assert any(line.startswith("Dr. Alana Brightwater") for line in lines)
    assert "# Appendix: the plan against the guidance" in lines
    assert "6. Monitoring Implementation | Refinements requested | The consultant's refinements" in lines
    assert ("Focus: grades 3-8 mathematics, for students with disabilities and English learners (including former "
            "English learners).") in lines
    properties = docx.Document(str(path)).core_properties
    assert properties.title == "Cranberry Harbor Public Schools FY26 Feedback Letter"
    assert properties.author == "Dr. Alana Brightwater"


def test_findings_become_advice_not_rule_ids(sample, tmp_path):
    break_sample_workbook(sample)
    _, lines = letter_lines(sample, tmp_path)
    text = "\n".join(lines)
    assert ("The targeted support table lists Ellis Pond Middle School, but not Harborview Elementary School (in need "
            "of focused/targeted support): what will the district do there") in text
    assert ("The priority names 'Students with disabilities; English learners and former ELs' as its focus, but no "
            "target row is for English learners and former English learners") in text
    assert "school-in-targeted-support" not in text and "benchmark-count" not in text
    assert "4. Outcomes | Not yet met | One requirement to address" in lines
    assert ("6. Monitoring Implementation | Not yet met | One requirement to address, two "
            "questions and the consultant's refinements") in lines


def test_without_a_review_the_letter_is_a_draft_from_the_findings(tmp_path):
    path, lines = letter_lines(FY25_SAMPLE, tmp_path)
    assert lines[0].startswith("DRAFT for the consultant: written from the checks of the plan alone")
    header = docx.Document(str(path)).sections[0].header.paragraphs[0].text
    assert header == "DRAFT"
    assert "[Consultant name]" in "\n".join(lines)
    assert "August 2024" in lines


def test_district_and_consultant_text_is_never_markup(sample, tmp_path):
    wb = openpyxl.load_workbook(sample)
    dict(answer_rows(wb["Priority 1"]))["statement"].value = "Math <b>for all</b> & {{ 7*7 }} </p><h1>x"
    dict(answer_rows(wb["Consultant review"]))["summary"].value = "<table><tr><td>hi</td></tr></table>"
    wb.save(sample)
    _, lines = letter_lines(sample, tmp_path)
    assert "Math <b>for all</b> & {{ 7*7 }} </p><h1>x" in lines
    assert "<table><tr><td>hi</td></tr></table>" in lines


@pytest.fixture
def templates_copy(tmp_path, monkeypatch):
    root = tmp_path / "templates"
    shutil.copytree(variants.templates_dir(), root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    monkeypatch.setattr(variants, "templates_dir", lambda: root)
    variants.load.cache_clear()
    letter_supports.resources.cache_clear()
    feedback.forget_frame()
    yield root
    variants.load.cache_clear()
    letter_supports.resources.cache_clear()
    feedback.forget_frame()


def test_a_typo_in_the_letters_words_names_file_and_key(sample, tmp_path, templates_copy, run):
    path = templates_copy / "letter" / "letter.yaml"
    source = path.read_text(encoding="utf-8").replace("for the {{ school_year }}", "for the {{ shool_year }}", 1)
    path.write_text(source, encoding="utf-8")
    out = tmp_path / "out"
    result = run("letter", sample, "-o", out)
    assert result.exit_code == 1
    assert result.output.strip() == "Error: templates/letter/letter.yaml, opening: 'shool_year' is undefined"
    assert not out.exists()


def test_letter_converts_to_pdf(sample, tmp_path):
    path, _ = letter_lines(sample, tmp_path)
    pdf = to_pdf(path, tmp_path)
    text = " ".join(pdf_text(pdf).split())
    if text:
        assert "Suggested DESE supports" in text and "Sincerely," in text


def mill_river():
    """A realistic district: two priorities (ELA; math for students with disabilities), an Underperforming school."""
    import yaml

    from docgen.model.plan import plan_from_dict

    from .test_layout import MILL_RIVER

    return plan_from_dict(yaml.safe_load(MILL_RIVER.read_text(encoding="utf-8")), "fy26")


def mill_river_letter(plan=None) -> str:
    plan = plan or mill_river()
    return api.compose_letter(plan, api.check_plan(plan), ON).text()


def test_the_letter_speaks_as_the_consultant_never_names_the_software():
    plan = mill_river()
    assert "docgen" not in mill_river_letter(plan).casefold()
    extra = dataclasses.replace(plan.priorities[1].benchmarks[0], level="District")
    plan.priorities[1].benchmarks.append(extra)  # nothing left to refine
    letter = mill_river_letter(plan)
    assert "[The checks raised no question. Read every section before you write that none needs refinement.]" in letter
    assert "Meets the guidance" not in letter and "addresses every part" not in letter


def test_the_salutation_is_title_and_last_name():
    assert "\nDear Dr. Okafor-Lindqvist:\n" in mill_river_letter()
    plan = mill_river()
    plan.district.superintendent = "Renata Alves, Superintendent"
    assert "\nDear Superintendent Alves:\n" in mill_river_letter(plan)
    plan.district.superintendent = "Maria de la Cruz, Ed.D."
    assert "\nDear Dr. de la Cruz:\n" in mill_river_letter(plan)


def test_student_groups_read_mid_sentence_in_lower_case():
    plan = mill_river()
    plan.priorities[0].outcomes = [r for r in plan.priorities[0].outcomes if r.student_group != "Low income"]
    assert "as its focus, but no target row is for low-income students: what will their measure" in \
        mill_river_letter(plan)


def test_a_plan_with_two_priorities_is_not_told_to_add_a_second():
    letter = mill_river_letter()
    assert "add a second priority" not in letter
    assert "adjust a priority if a newly identified school is not addressed by either of them" in letter


def test_supports_the_plan_already_names_are_not_suggested_again():
    letter = mill_river_letter()  # its Resources: "attended the Instructional Prioritization Institute", "Deeper
    suggested = letter.split("Suggested DESE supports")[1].split("Next steps")[0]  # Learning ... Network"
    assert "Instructional Prioritization Institute" not in suggested
    assert "Deeper Learning Implementation Network" not in suggested


def test_suggestions_follow_each_priority_subject():
    plan = mill_river()
    letter = mill_river_letter(plan)
    assert "Priority #1 (grades K-6 English language arts)" in letter  # priority 1 is ELA
    assert "Improving Math Instruction for Students with Disabilities" in letter  # priority 2: math for SWD
    plan.priorities = plan.priorities[:1]  # ELA for English learners and low-income students only
    letter = mill_river_letter(plan)
    assert "Improving Math Instruction for Students with Disabilities" not in letter
    assert "mathematics content on high-quality core" not in letter


def test_an_underperforming_school_is_reminded_of_its_sip_renewal():
    assert ("share the next year's instructional prioritization plan with SSoS at ssos1@mass.gov, by the date DESE's "
            "guidance for that year sets (this year's plan was due June 30, 2025), with the renewed Sustainable "
            "Improvement Plan of Ashby Street Intermediate School.") in mill_river_letter()
