"""docgen import and roll-forward: last year's plan, however it was typed, into this year's workbook."""

from __future__ import annotations

import openpyxl
import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from docgen import api, variants, write

from .conftest import ROOT, SAMPLE

FY25_SAMPLE = ROOT / "data" / "cranberry-harbor-2024-25.xlsx"


def comparable(plan):
    plan.where, plan.review = {}, None
    return plan


@pytest.mark.parametrize("workbook", [SAMPLE, FY25_SAMPLE], ids=["fy26", "fy25"])
def test_round_trip_build_import_build_keeps_every_answer_in_place(workbook, tmp_path):
    original = api.read_plan(workbook)
    document = next(p for p in api.build(workbook, tmp_path / "docs", formats=("docx",)))
    path, found, moved = api.import_plan(document, tmp_path / "imported.xlsx", to_variant=original.variant)
    assert found.missing == [] and found.unplaced == [] and moved.carried == []
    assert comparable(api.read_plan(path)) == comparable(original)
    again = api.build(path, tmp_path / "again", formats=("docx",))[0]
    assert again.read_bytes() == document.read_bytes()


def cell(table, row, text_lines, styles=None):
    """Fill a one-column template table row as a person would: several paragraphs in the same cell."""
    target = table.rows[row].cells[0]
    target.paragraphs[0].text = text_lines[0]
    for i, line in enumerate(text_lines[1:], start=1):
        paragraph = target.add_paragraph(line)
        if styles and styles.get(i):
            paragraph.style = styles[i]


def monitoring_section(doc, rows):
    """Add the FY25 template's section 6 prompt and its three-column monitoring table, filled with ``rows``."""
    doc.add_paragraph("6. Monitoring Implementation: What 2-4 high-leverage interim benchmarks will you track "
                      "throughout the year at both the district and school level to know if your collective actions "
                      "are resulting in the desired changes in adult practice and student learning experiences? How "
                      "will teachers, school leaders, and district leaders monitor those?")
    table = doc.add_table(rows=len(rows) + 1, cols=3)
    headers = [("What interim benchmarks will you track throughout the year at both the district and school level to "
                "gauge changes in adult practice and student learning/experiences?"),
               "Who will monitor these? (e.g. which teams and/or roles at the district and/or school level)",
               "How often?\n(e.g. weekly, monthly, quarterly, or on specific dates)"]
    for r, values in enumerate([headers, *rows]):
        for c, value in enumerate(values):
            table.rows[r].cells[c].text = value


def typed_fy25_plan(path):
    """The official FY25 template as a district filled it in Word, with all the usual untidiness."""
    doc = Document()
    doc.add_paragraph("Draft v3 - do not circulate")
    for line in ("Statewide System of Support (SSoS)", "District Instructional Prioritization Plan", "2024-2025",
                 "District name: Maple Falls Public Schools", "Date: June 14, 2024", ""):
        doc.add_paragraph(line)
    hqim = doc.add_table(rows=3, cols=1)
    cell(hqim, 0, ["Status of HQIM adoption in your district"])
    cell(hqim, 1, ["Please confirm that what is reported on DESE’s School and District Profiles is accurate.",
                   "If it is not, or if nothing is reported, please confirm you will work to update the information",
                   "", "Yes"])
    doc.add_paragraph("")
    priority = doc.add_table(rows=6, cols=1)
    cell(priority, 0, ["1. What are your district’s top 1-2 instructional priorities for SY24-25?",
                       ("(at least one priority should be focused on culturally responsive, grade appropriate "
                        "instruction)")])
    cell(priority, 1, ["Priority #1 (brief description):",
                       ("Every K-2 student reads grade-level text every day with an evidence-based foundational "
                        "skills program.")])
    # an edited prompt, with the answer as real Word bullets in the same cell
    cell(priority, 2, ["What are the meaningful changes in teacher practice that are the focus of this priority?", "",
                       "Teachers use the daily phonics routine with fidelity",
                       "Teachers group students by screener data"],
         styles={2: "List Bullet", 3: "List Bullet"})
    cell(priority, 3, ["Which specific equity and opportunity gaps will this priority address?"])
    cell(priority, 4, ["Only 31% of K-2 English learners read at benchmark on the winter DIBELS screener."])
    cell(priority, 5, [("What will be the same or different about the focus for the Instructional Priority this "
                        "school year?"),
                       "(Is the district recommitting, adjusting, or changing direction with the priority?)",
                       "We are adjusting: same literacy focus, narrower grade span."])
    # a tracked change: "hire" deleted, "train" inserted
    tracked = priority.rows[5].cells[0].add_paragraph()
    tracked._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">We will </w:t></w:r>'))
    tracked._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="A" w:date="2024-06-01T00:00:00Z">'
                                '<w:r><w:delText>hire</w:delText></w:r></w:del>'))
    tracked._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="A" w:date="2024-06-01T00:00:00Z">'
                                '<w:r><w:t>train</w:t></w:r></w:ins>'))
    tracked._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> reading coaches.</w:t></w:r>'))
    doc.add_paragraph("")
    doc.add_paragraph("3. Stakeholder Engagement:")
    doc.add_paragraph("How will stakeholders be continuously engaged in implementation and monitoring?",
                      style="List Bullet")
    doc.add_paragraph("Family literacy nights each quarter, and a parent seat on the literacy team.")
    monitoring_section(doc, [(f"Benchmark {r}: share of K-2 classrooms at fidelity", f"Literacy coach {r}", "Monthly")
                             for r in range(1, 7)])
    doc.add_paragraph("")
    differentiation = doc.add_table(rows=3, cols=2)
    for c, header in enumerate(("Schools to receive differentiated support",
                                "Description of differentiated support related to the priority")):
        differentiation.rows[0].cells[c].text = header
    differentiation.rows[1].cells[0].text = "Riverbend Elementary School"
    differentiation.rows[1].cells[1].text = "A full-time literacy coach."
    differentiation.rows[2].cells[0].text = "Oakdale Elementary School"
    differentiation.rows[2].cells[1].text = "Weekly data meetings with the principal."
    doc.save(str(path))
    return path


def test_a_plan_typed_by_a_person_lands_in_the_right_fields(tmp_path):
    source = typed_fy25_plan(tmp_path / "Maple Falls 2024-25 plan.docx")
    path, found, moved = api.import_plan(source, tmp_path / "maple.xlsx", to_variant="fy25")
    assert found.variant.id == "fy25"
    plan = api.read_plan(path)
    assert plan.district.name == "Maple Falls Public Schools"
    assert plan.district.date == "June 14, 2024"
    assert plan.answer("profiles_confirmed") == "Yes"
    p = plan.priorities[0]
    assert p.answer("statement").startswith("Every K-2 student reads grade-level text")
    assert p.answer("educator_practice") == ("- Teachers use the daily phonics routine with fidelity\n"
                                            "- Teachers group students by screener data")
    assert p.answer("equity_gaps") == ("Only 31% of K-2 English learners read at benchmark on the winter DIBELS "
                                       "screener.")
    assert p.answer("direction_rationale") == ("We are adjusting: same literacy focus, narrower grade span.\n"
                                              "We will train reading coaches.")
    assert p.answer("stakeholder_ongoing").startswith("Family literacy nights each quarter")
    assert [b.benchmark for b in p.benchmarks] == [f"Benchmark {r}: share of K-2 classrooms at fidelity"
                                                   for r in range(1, 7)]
    assert {(b.monitored_by, b.frequency) for b in p.benchmarks[:1]} == {("Literacy coach 1", "Monthly")}
    assert [t.school for t in p.targeted_support] == ["Riverbend Elementary School", "Oakdale Elementary School"]
    assert [s.name for s in plan.schools] == ["Riverbend Elementary School", "Oakdale Elementary School"]


def carried_rows(path):
    ws = openpyxl.load_workbook(path)["Carried over"]
    return [row for row in ws.iter_rows(min_row=4, values_only=True) if any(row)]


def test_text_that_could_not_be_placed_is_listed_in_carried_over(tmp_path):
    source = typed_fy25_plan(tmp_path / "plan.docx")
    path, _, _ = api.import_plan(source, tmp_path / "maple.xlsx", to_variant="fy25")
    rows = carried_rows(path)
    assert ("plan.docx, paragraph 1, before the template's first prompt", "not placed", "Draft v3 - do not circulate",
            "not under any prompt the template has") in rows


def test_importing_last_years_plan_into_fy26_moves_changed_prompts_and_asks_for_a_new_choice(tmp_path, run):
    source = typed_fy25_plan(tmp_path / "plan.docx")
    result = run("import", source, "-o", tmp_path / "fy26.xlsx")
    assert result.exit_code == 0, result.output
    assert "(FY25 template): found" in result.output
    assert "To fill in (highlighted in orange):\n" in result.output
    assert "\n  Priority 1: 'This year the district will': choose again for this year\n" in result.output
    assert "\n  District: 'Date of this plan': check this: last year's date (June 14, 2024)" in result.output
    plan = api.read_plan(tmp_path / "fy26.xlsx")
    assert plan.variant == "fy26" and plan.district.school_year == "2025-2026"
    assert plan.priorities[0].answer("desired_impact").startswith("- Teachers use the daily phonics routine")
    assert plan.priorities[0].answer("direction") == ""
    rows = carried_rows(tmp_path / "fy26.xlsx")
    assert any(r[1] == "Priority 1: 'Desired impact on instruction and student learning'" and
               r[2].startswith("- Teachers use the daily phonics routine") for r in rows)
    wb = openpyxl.load_workbook(tmp_path / "fy26.xlsx")
    direction = next(c for k, _, c in wb["Priority 1"].iter_rows(min_col=1, max_col=3) if k.value == "direction")
    assert direction.fill.fgColor.rgb.endswith("FFC000")


def test_roll_forward_a_workbook(tmp_path, run):
    result = run("roll-forward", FY25_SAMPLE, "-o", tmp_path / "new.xlsx")
    assert result.exit_code == 0, result.output
    plan = api.read_plan(tmp_path / "new.xlsx")
    old = api.read_plan(FY25_SAMPLE)
    assert plan.variant == "fy26"
    assert plan.priorities[0].answer("statement") == old.priorities[0].answer("statement")
    assert plan.priorities[0].benchmarks[0].benchmark == old.priorities[0].benchmarks[0].benchmark
    texts = [r[2] for r in carried_rows(tmp_path / "new.xlsx")]
    assert old.priorities[0].answer("related_links") in texts  # no FY26 prompt for it: listed, not lost


@pytest.mark.parametrize("name, content, message", [
    ("notes.docx", None, "does not look like a district instructional prioritization plan"),
    ("broken.docx", "zip", "is not a Word document (.docx)"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "is an old Word 97-2003 document (.doc)"),
    ("plain.docx", b"just text", "is not a Word document (.docx)"),
])
def test_a_file_that_is_not_a_plan_gives_one_clear_line(tmp_path, run, name, content, message):
    path = tmp_path / name
    if content is None:
        doc = Document()
        doc.add_paragraph("Minutes of the school committee meeting, May 2024.")
        doc.save(str(path))
    elif content == "zip":  # a zip file, but no Word document inside
        import zipfile

        with zipfile.ZipFile(path, "w") as z:
            z.writestr("notes.txt", "not a document")
    else:
        path.write_bytes(content)
    result = run("import", path, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out.xlsx").exists()


FORMULA = '=HYPERLINK("https://attacker.example/steal","Click to read")'


def _cell_xml(path, text_start):
    """Return the XML of the worksheet cells (c elements) in the workbook at ``path`` whose text starts so."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as package:
        sheets = b"".join(package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/"))
        strings = package.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in package.namelist() else b""
    return sheets, strings, [c for c in re.findall(rb"<c [^>]*>.*?</c>", sheets) if text_start.encode() in c]


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, run):
    plan = api.example_plan()
    plan.priorities[0].answers["statement"] = FORMULA
    plan.district.name = "=1+1 Public Schools"
    (tmp_path / "plan.docx").write_bytes(write.build("docx", plan, variants.load("fy26")))
    assert run("import", tmp_path / "plan.docx", "-o", tmp_path / "imported.xlsx").exit_code == 0
    sheets, strings, _ = _cell_xml(tmp_path / "imported.xlsx", "")
    assert b"<f>" not in sheets  # no cell holds a formula
    assert FORMULA.replace('"', "&quot;").encode() in strings or FORMULA.encode() in strings
    back = api.read_plan(tmp_path / "imported.xlsx")  # reads back as the same text, not "a formula without a value"
    assert back.priorities[0].answer("statement") == FORMULA and back.district.name == "=1+1 Public Schools"
    assert run("roll-forward", tmp_path / "imported.xlsx", "-o", tmp_path / "rolled.xlsx").exit_code == 0
    assert b"<f>" not in _cell_xml(tmp_path / "rolled.xlsx", "")[0]
    assert api.read_plan(tmp_path / "rolled.xlsx").priorities[0].answer("statement") == FORMULA


def test_the_batch_summary_stores_a_formula_like_name_as_text(tmp_path):
    from docgen.region import batch

    folder = tmp_path / "in"
    folder.mkdir()
    wb = openpyxl.load_workbook(SAMPLE)
    cell = next(c for c in wb["District"]["C"] if c.row == 4)
    cell.value, cell.data_type = "=cmd|' /C calc'!A0", "s"  # typed as text in Excel (a leading apostrophe)
    wb.save(folder / "a.xlsx")
    batch.run(folder, tmp_path / "out", jobs=1)
    sheets, _, _ = _cell_xml(tmp_path / "out" / "summary.xlsx", "")
    assert b"<f>" not in sheets
    values = [row[1] for row in openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx").active.iter_rows(
        min_row=2, values_only=True)]
    assert values == ["=cmd|' /C calc'!A0"]


def soft_broken(paragraph, lines):
    """Fill a paragraph as Word does on Shift+Enter: one paragraph, its lines split by soft line breaks."""
    run = paragraph.add_run(lines[0])
    for line in lines[1:]:
        run.add_break()
        run = paragraph.add_run(line)


def hand_typed_fy25_plan(path):
    """A FY25 plan as people type it: prompts with soft line breaks, obvious answers, free-text frequencies."""
    doc = Document()
    for line in ("District Instructional Prioritization Plan", "2024-2025", "District name: Birch Hollow Schools",
                 "Date: June 20, 2024"):
        doc.add_paragraph(line)
    hqim = doc.add_table(rows=4, cols=1)
    hqim.rows[0].cells[0].text = "Status of HQIM adoption in your district"
    soft_broken(hqim.rows[1].cells[0].paragraphs[0],
                ["Please confirm that what is reported on DESE’s School and District Profiles is accurate.",
                 "If it is not, or if nothing is reported, please confirm you will work to update the information"])
    hqim.rows[2].cells[0].text = "Yes. We reviewed the Profiles in May and they match our records."
    hqim.rows[3].cells[0].text = ("If any curriculum for ELA, Math, and/or Science are not high quality as defined by "
                                  "DESE, please list the grade(s) and subject(s) and briefly describe the status of "
                                  "the district’s efforts to implement HQIM in those areas (learning and preparing, "
                                  "investigating and preparing, or launching), with particular focus on implementing "
                                  "HQIM in any schools that require assistance.")
    curricula = doc.add_table(rows=2, cols=4)
    for c, header in enumerate(("Subject", "Grade(s)", "Status of HQIM efforts", ("Brief description of the "
                                 "district's efforts"))):
        curricula.rows[0].cells[c].text = header
    for c, value in enumerate(("Science", "6-8", "Piloting two programs", "Two schools pilot units this spring.")):
        curricula.rows[1].cells[c].text = value
    soft_broken(doc.add_paragraph(), ["1. What are your district’s top 1-2 instructional priorities for SY24-25?",
                                      ("(at least one priority should be focused on culturally responsive, grade "
                                       "appropriate instruction)")])
    doc.add_paragraph("Priority #1 (brief description):")
    doc.add_paragraph("Every student in grades 3-5 writes about grade-level texts every week.")
    frequencies = ("3x per year", "October, January, April", "Bi-weekly")
    monitoring_section(doc, [(f"Writing benchmark {r}", "Literacy director", often)
                             for r, often in enumerate(frequencies, start=1)])
    doc.save(str(path))
    return path


@pytest.fixture
def hand_typed(tmp_path):
    source = hand_typed_fy25_plan(tmp_path / "Birch Hollow 2024-25.docx")
    path, found, moved = api.import_plan(source, tmp_path / "birch.xlsx", to_variant="fy25")
    return path, found, moved


def test_an_imported_plan_with_free_text_frequencies_builds_and_checks(hand_typed, run, tmp_path):
    path, _, _ = hand_typed
    assert run("check", path).exit_code in (0, 1)  # findings, not a refusal to read
    assert "Error:" not in run("check", path).output
    result = run("build", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output


def test_free_text_maps_to_the_choice_it_clearly_means_and_otherwise_is_kept(hand_typed):
    plan = api.read_plan(hand_typed[0])
    assert [b.frequency for b in plan.priorities[0].benchmarks] == [
        "Three times a year (beginning, middle, end of year)", "October, January, April", "Biweekly"]


def test_a_typed_value_that_is_no_choice_is_left_to_choose_highlighted_and_listed(hand_typed, run, tmp_path):
    path, _, moved = hand_typed
    assert api.read_plan(path).curricula[0].status == ""
    assert moved.highlight == {"curricula[0].status": "choose from the list (last year's plan said 'Piloting two "
                                                      "programs')"}
    cell = openpyxl.load_workbook(path)["HQIM curricula"]["C5"]
    assert cell.fill.fgColor.rgb.endswith("FFC000") and "Piloting two programs" in cell.comment.text
    assert ("Birch Hollow 2024-25.docx, HQIM curricula, row 1: 'Status of HQIM efforts'",
            "HQIM curricula, row 1: 'Status of HQIM efforts'", "Piloting two programs",
            "not one of the list's values: choose one in the orange cell") in carried_rows(path)
    source = tmp_path / "Birch Hollow 2024-25.docx"
    result = run("import", source, "-o", tmp_path / "again.xlsx")
    assert "HQIM curricula, row 1: 'Status of HQIM efforts': choose from the list" in result.output


def test_soft_line_breaks_in_prompts_leave_no_prompt_pieces_in_answers(hand_typed):
    plan = api.read_plan(hand_typed[0])
    assert plan.priorities[0].answer("statement") == ("Every student in grades 3-5 writes about grade-level texts "
                                                      "every week.")
    assert not plan.answer("profiles_note").startswith((".", "?", "If it is not"))


def test_an_obvious_answer_is_read_as_the_choice_with_the_rest_kept_as_the_note(hand_typed):
    plan = api.read_plan(hand_typed[0])
    assert plan.answer("profiles_confirmed") == "Yes"
    assert plan.answer("profiles_note") == "We reviewed the Profiles in May and they match our records."


def test_only_prompts_the_official_template_has_are_reported_missing(hand_typed):
    _, found, _ = hand_typed
    reported = found.missing + found.matched
    for own in ("Is what DESE's School and District Profiles report accurate?",
                "Note on the profiles (what is being updated, and by whom)", "The district is"):
        assert own not in reported


def test_carried_over_names_the_section_and_prompt_not_a_table_cell(tmp_path):
    source = typed_fy25_plan(tmp_path / "plan.docx")
    api.import_plan(source, tmp_path / "fy26.xlsx")
    came_from = [r[0] for r in carried_rows(tmp_path / "fy26.xlsx") if r[3].startswith("the FY26 template asks")]
    assert came_from == [("plan.docx, 1. Instructional Priority, under 'What are the meaningful changes in educator "
                          "practice that are the foc…'")]
    assert not any("row" in c and "cell" in c for c in came_from)
    unplaced = [r for r in carried_rows(tmp_path / "fy26.xlsx") if r[1] == "not placed"]
    assert all(", row " not in r[0] for r in unplaced)  # text under no prompt: where it sits, by the text above
