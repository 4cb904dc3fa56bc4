"""Your own template: a district's plan design and a team's letterhead, made in Word and filled by docgen.

A person starts from `docgen template new`, changes it in Word (here: with
python-docx, as Word would save it, and through LibreOffice), and builds the
plan or the letter on it. Everything the district typed is in the result; a
mistyped tag is one located line with the name it meant.
"""

from __future__ import annotations

import base64
import subprocess
import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from docgen import api, variants
from docgen.templating import fill
from docgen.write import accessibility

from .conftest import SAMPLE, assert_valid_office, docx_lines, soffice_or_skip

# A 2x2 PNG: the district's logo.
LOGO = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6Q"
                        "AAAABJRU5ErkJggg==")
PLAN_NAME = "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.docx"
LETTER_NAME = "Cranberry Harbor Public Schools FY26 Feedback Letter.docx"


def _paragraph_with(document, text):
    return next(p for p in _all_paragraphs(document) if text in p.text)


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _split_into_three_runs(paragraph, tag):
    """Rewrite ``paragraph`` as Word would after a tag was typed in three goes, with a spelling mark between."""
    whole = paragraph.text
    start = whole.index(tag)
    pieces = [whole[:start], tag[:4], tag[4:11], tag[11:], whole[start + len(tag):]]
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    for i, piece in enumerate(p for p in pieces if p):
        run = paragraph.add_run(piece)
        run.bold = i % 2 == 0
        if i == 2:  # Word marks a word it thinks misspelt with w:proofErr elements between the runs
            mark = OxmlElement("w:proofErr")
            mark.set(qn("w:type"), "spellStart")
            run._r.addprevious(mark)


def _edit_as_a_district_would(path, logo_path):
    document = docx.Document(str(path))
    first = document.paragraphs[0]
    logo = first.insert_paragraph_before()
    logo.add_run().add_picture(str(logo_path))
    first.insert_paragraph_before("Nashoba Falls Regional Schools: every learner, every day.")
    heading = _paragraph_with(document, "About the district")
    for run in heading.runs:
        run.font.color.rgb = RGBColor(0x7A, 0x1F, 0x2B)
    # move "Status of HQIM adoption" (its heading and everything up to the next heading) to the end of the plan
    body = document.element.body
    blocks = list(body.iterchildren())
    start = next(i for i, b in enumerate(blocks) if "Status of HQIM adoption" in "".join(b.itertext()))
    end = next(i for i in range(start + 1, len(blocks))
               if b_is_heading(blocks[i]) or "".join(blocks[i].itertext()).startswith("{%"))
    for block in blocks[start:end]:
        blocks[-1].addprevious(block)  # before the section properties, which stay last
    _split_into_three_runs(_paragraph_with(document, "{{ district.superintendent }}"), "{{ district.superintendent }}")
    date = _paragraph_with(document, "{{ district.date }}")
    for run in date.runs:
        run.text = run.text.replace("{{ district.date }}", "{{ district.date or \u201cnot dated\u201d }}")
    document.save(str(path))


def b_is_heading(block) -> bool:
    style = block.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pStyle")
    return style is not None and style.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "Heading1"


@pytest.fixture
def district_template(tmp_path, run):
    path = tmp_path / "ours.docx"
    assert run("template", "new", path).exit_code == 0
    (tmp_path / "logo.png").write_bytes(LOGO)
    _edit_as_a_district_would(path, tmp_path / "logo.png")
    return path


def _answers(plan):
    """Return every piece of text the district typed, line by line, as it should read in the document."""
    values = [*vars(plan.district).values(), *plan.answers.values()]
    for rows in (plan.schools, plan.curricula):
        values += [v for row in rows for v in vars(row).values()]
    for p in plan.priorities:
        values += list(p.answers.values())
        values += [v for table in (p.outcomes, p.benchmarks, p.targeted_support) for row in table
                   for v in vars(row).values()]
    lines = []
    for value in values:
        for line in str(value).split("\n"):
            line = line.strip().lstrip("-*•0123456789.").strip()
            if line:
                lines.append(" ".join(line.split()))
    return lines


def test_a_district_template_edited_in_word_holds_every_answer_the_logo_and_its_own_text(tmp_path, run,
                                                                                          district_template):
    result = run("build", SAMPLE, "--template", district_template, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    built = tmp_path / "out" / PLAN_NAME
    text = " ".join(" ".join(line.split()) for line in docx_lines(built))
    missing = [a for a in _answers(api.read_plan(SAMPLE)) if a not in text]
    assert missing == []
    assert "Nashoba Falls Regional Schools: every learner, every day." in text
    assert "How to use this template" not in text and "{{" not in text and "{%" not in text
    with zipfile.ZipFile(built) as package:
        assert [n for n in package.namelist() if n.startswith("word/media/")]
    assert text.index("About the district") < text.index("Analysis of Strengths") < text.index("Status of HQIM")
    assert_valid_office(built)


def test_a_multi_line_answer_becomes_real_paragraphs_and_bullets_in_the_templates_styles(tmp_path, run,
                                                                                          district_template):
    run("build", SAMPLE, "--template", district_template, "-o", tmp_path / "out", "--format", "docx")
    lines = docx_lines(tmp_path / "out" / PLAN_NAME)
    plan = api.read_plan(SAMPLE)
    bullets = [b.strip()[2:] for b in plan.priorities[0].answer("equity_gaps").split("\n") if b.strip()]
    for bullet in bullets:
        assert any("- " + bullet in line for line in lines), bullet


def test_a_mistyped_tag_is_one_line_naming_its_paragraph_and_the_name_it_meant(tmp_path, run, district_template):
    document = docx.Document(str(district_template))
    for p in _all_paragraphs(document):
        for r in p.runs:
            r.text = r.text.replace("{{ p.statement }}", "{{ p.statment }}")
    document.save(str(district_template))
    result = run("build", SAMPLE, "--template", district_template, "-o", tmp_path / "out")
    assert result.exit_code == 1
    error_lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(error_lines) == 1 and len(result.output.strip().splitlines()) == 1
    assert "table cell '{{ p.statment }}' in the body" in result.output
    assert "'statment' is not a field of a priority; did you mean 'statement'?" in result.output
    assert not (tmp_path / "out").exists()


def test_every_problem_is_named_at_once_by_part_and_paragraph(tmp_path, run, district_template):
    document = docx.Document(str(district_template))
    _paragraph_with(document, "{{ district.contact_name }}").runs[0].text = "{{ district.contact_nam }}"
    _paragraph_with(document, "{%p endfor %}").runs[0].text = "The end of the priorities."
    document.sections[0].footer.paragraphs[0].runs[0].text = "{{ distric.name }}"
    document.save(str(district_template))
    result = run("template", "check", district_template)
    assert result.exit_code == 1
    assert "did you mean 'contact_name'?" in result.output
    assert "'{%p for p in priorities %}' is never closed; add {% endfor %} where it ends" in result.output
    assert "in the footer: 'distric' is not a name this template can use; did you mean 'district'?" in result.output


def test_template_check_lists_every_tag_and_what_the_template_never_shows(tmp_path, run, district_template):
    document = docx.Document(str(district_template))
    _paragraph_with(document, "{{ p.equity_gaps }}").runs[0].text = "Our equity gaps are in the appendix."
    document.save(str(district_template))
    result = run("template", "check", district_template)
    assert result.exit_code == 0
    assert "{{ p.statement }}  (table cell '{{ p.statement }}' in the body on page ~" in result.output
    assert "Never shown (1): priorities.equity_gaps" in result.output
    refused = run("build", SAMPLE, "--template", district_template, "-o", tmp_path / "out")
    assert refused.exit_code == 1
    assert "the template never shows priorities.equity_gaps, which this document fills in" in refused.output
    allowed = run("build", SAMPLE, "--template", district_template, "-o", tmp_path / "out",
                  "--allow-missing", "priorities.equity_gaps")
    assert allowed.exit_code == 0, allowed.output


def test_district_text_is_text_in_a_template_never_a_tag_or_markup(tmp_path, run):
    plan = api.read_plan(SAMPLE)
    plan.priorities[0].answers["statement"] = "{{ district.__class__ }} <w:t>&amp; {% for x in y %}"
    template = tmp_path / "t.docx"
    run("template", "new", template)
    from docgen.templating import fill_plan

    filled = tmp_path / "filled.docx"
    filled.write_bytes(fill_plan(plan, variants.load("fy26"), template))
    assert any("{{ district.__class__ }} <w:t>&amp; {% for x in y %}" in line for line in docx_lines(filled))


@pytest.mark.parametrize("tag, said", [
    ("{{ district.__class__ }}", "'__class__' is not a field of the district"),
    ("{{ district.name.upper.__globals__ }}", "a tag could not be filled"),
    ("{{ district.clear() }}", "'clear' is not a field of the district"),
])
def test_a_template_reaches_nothing_but_the_plans_values(tmp_path, run, tag, said):
    template = tmp_path / "t.docx"
    run("template", "new", template)
    document = docx.Document(str(template))
    _paragraph_with(document, "{{ district.contact_email }}").runs[0].text = tag
    document.save(str(template))
    result = run("build", SAMPLE, "--template", template, "-o", tmp_path / "out", "--allow-missing",
                 "district.contact_email")
    assert result.exit_code == 1 and result.output.startswith("Error:")
    assert said in result.output


def test_a_template_that_never_stops_filling_is_stopped(tmp_path, run, monkeypatch):
    monkeypatch.setattr(fill, "FILL_SECONDS", 0.2)
    template = tmp_path / "t.docx"
    run("template", "new", template)
    document = docx.Document(str(template))
    _paragraph_with(document, "{{ district.org_code }}").runs[0].text = (
        "{% for a in range(99999) %}{% for b in range(99999) %}{{ district.org_code }}{% endfor %}{% endfor %}")
    document.save(str(template))
    result = run("build", SAMPLE, "--template", template, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "filling took longer than 0.2 seconds and was stopped" in result.output


def test_a_macro_enabled_template_is_refused(tmp_path, run):
    template = tmp_path / "ours.docm"
    run("template", "new", tmp_path / "t.docx")
    (tmp_path / "t.docx").rename(template)
    result = run("build", SAMPLE, "--template", template, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "holds macros (a .docm or .dotm file); docgen never runs them" in result.output


def test_a_template_round_tripped_through_libreoffice_still_fills_and_validates(tmp_path, run):
    soffice = soffice_or_skip()
    run("template", "new", tmp_path / "t.docx")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "lo"), str(tmp_path / "t.docx")],
                   check=True, capture_output=True, timeout=120)
    result = run("build", SAMPLE, "--template", tmp_path / "lo" / "t.docx", "-o", tmp_path / "out", "--format", "docx")
    assert result.exit_code == 0, result.output
    text = " ".join(docx_lines(tmp_path / "out" / PLAN_NAME))
    assert "Cranberry Harbor Public Schools" in text and "{{" not in text
    assert_valid_office(tmp_path / "out" / PLAN_NAME)


def test_a_filled_template_passes_the_accessibility_check_or_names_what_its_author_must_fix(tmp_path, run):
    template = tmp_path / "t.docx"
    run("template", "new", template)
    run("build", SAMPLE, "--template", template, "-o", tmp_path / "plain", "--format", "docx")
    assert accessibility.check_file(tmp_path / "plain" / PLAN_NAME) == []
    (tmp_path / "logo.png").write_bytes(LOGO)
    _edit_as_a_district_would(template, tmp_path / "logo.png")  # a logo with no alternative text
    run("build", SAMPLE, "--template", template, "-o", tmp_path / "out", "--format", "docx")
    problems = [str(p) for p in accessibility.check_file(tmp_path / "out" / PLAN_NAME)]
    assert problems == ["picture 1: the picture has no alternative text"]


def test_a_letter_on_the_teams_letterhead_holds_the_whole_letter(tmp_path, run):
    letterhead = tmp_path / "letterhead.docx"
    assert run("template", "new", "--letter", letterhead).exit_code == 0
    document = docx.Document(str(letterhead))
    (tmp_path / "logo.png").write_bytes(LOGO)
    top = _paragraph_with(document, "{{ letter.letterhead }}")
    top.insert_paragraph_before().add_run().add_picture(str(tmp_path / "logo.png"))
    top.insert_paragraph_before("Southeast Regional SSoS Team · 75 Pleasant Street, Malden")
    document.save(str(letterhead))
    result = run("letter", SAMPLE, "--template", letterhead, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    built = tmp_path / "out" / LETTER_NAME
    ours = " ".join(docx_lines(built))
    own = " ".join(docx_lines(api.letter(SAMPLE, tmp_path / "plain")[0]))
    assert "Southeast Regional SSoS Team" in ours
    for phrase in ("Dear", "Strengths", "Refinements, section by section", "Suggested DESE supports",
                   "Appendix: the plan against the guidance"):
        assert phrase in ours and phrase in own
    plan = api.read_plan(SAMPLE)
    assert plan.review.summary.split("\n")[0][:60] in ours
    assert_valid_office(built)


def test_a_mistyped_letter_tag_is_named_with_the_name_it_meant(tmp_path, run):
    letterhead = tmp_path / "letterhead.docx"
    run("template", "new", "--letter", letterhead)
    document = docx.Document(str(letterhead))
    _paragraph_with(document, "{{ letter.date }}").runs[0].text = "{{ letter.dte }}"
    document.save(str(letterhead))
    result = run("letter", SAMPLE, "--template", letterhead, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "paragraph '{{ letter.dte }}' in the body" in result.output
    assert "did you mean 'date'?" in result.output


def test_a_tag_edited_with_track_changes_on_is_filled_as_the_changes_leave_it(tmp_path, run):
    """Word keeps a pending revision as w:del and w:ins runs, with a bookmark between: the tag still fills."""
    template = tmp_path / "t.docx"
    run("template", "new", template)
    document = docx.Document(str(template))
    paragraph = _paragraph_with(document, "{{ district.contact_email }}")
    paragraph.runs[0].text = "{{ district.cont"
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    tail = paragraph.add_run("act_email }}")._r
    deleted = _revision("w:del", "1")
    gone = OxmlElement("w:r")
    gone_text = OxmlElement("w:delText")
    gone_text.text = "act_mail }}"
    gone.append(gone_text)
    deleted.append(gone)
    inserted = _revision("w:ins", "2")
    tail.addprevious(deleted)
    tail.addprevious(inserted)
    inserted.append(tail)
    bookmark = OxmlElement("w:bookmarkStart")
    bookmark.set(qn("w:id"), "9"), bookmark.set(qn("w:name"), "contact")
    inserted.addprevious(bookmark)
    assert paragraph._p.find(f".//{w}delText") is not None
    document.save(str(template))
    result = run("build", SAMPLE, "--template", template, "-o", tmp_path / "out", "--format", "docx")
    assert result.exit_code == 0, result.output
    lines = docx_lines(tmp_path / "out" / PLAN_NAME)
    assert any(line.endswith("| mwhitfield@cranberryharbor.example.org") for line in lines)
    assert not any("act_mail" in line for line in lines)


def _revision(tag: str, number: str):
    mark = OxmlElement(tag)
    for name, value in (("w:id", number), ("w:author", "Marcus Whitfield"), ("w:date", "2025-06-01T00:00:00Z")):
        mark.set(qn(name), value)
    return mark
