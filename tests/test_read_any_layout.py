"""Promises of the readers for what districts really send: their own Word layout, a PowerPoint deck, a PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from docgen import api, variants
from docgen.model.plan import plan_from_dict, plan_to_dict
from tests import own_layouts as own

FY26 = variants.load("fy26")
DATA = Path(__file__).parent / "data"


def _yaml_plan(name: str):
    return plan_from_dict(yaml.safe_load((DATA / name).read_text(encoding="utf-8")), "fy26")


def _placed_or_listed(found, moved, value: str) -> bool:
    """True when ``value`` is in a field of the plan or in the Carried over list."""
    data = str(plan_to_dict(moved.plan))
    return value[:60] in data or any(value[:60] in c.text for c in moved.carried)


def test_a_word_plan_in_its_own_layout_files_each_answer_under_its_field_by_meaning(tmp_path):
    found, moved = api.imported_plan(own.headings_and_goal_table(tmp_path / "Maple Ridge plan.docx"))
    p = moved.plan.priorities[0]
    assert found.own_layout
    for key in ("statement", "desired_impact", "outcomes_district", "systemic_headlines", "stakeholder_input",
                "funding", "resource_inequities"):
        assert own.EXPECTED[key] in p.answer(key), key
    assert moved.plan.district.name == own.DISTRICT and moved.plan.district.date == "June 12, 2025"


def test_a_goals_table_and_a_milestones_table_are_read_as_rows_whatever_their_headers_say(tmp_path):
    _, moved = api.imported_plan(own.headings_and_goal_table(tmp_path / "plan.docx"))
    p = moved.plan.priorities[0]
    assert [(o.measure, o.baseline, o.target) for o in p.outcomes] == [(m, b, t) for m, _, _, b, t in own.OUTCOMES]
    assert p.outcomes[1].school == "Birch Middle School"
    assert p.benchmarks[0].monitored_by == "Math coaches" and p.benchmarks[1].frequency.startswith("Three times")
    assert p.targeted_support[0].school == "Birch Middle School"


def test_nothing_is_lost_every_piece_is_in_a_field_or_listed_with_its_origin(tmp_path):
    for make in (own.headings_and_goal_table, own.label_tables_with_extras):
        found, moved = api.imported_plan(make(tmp_path / f"{make.__name__}.docx"))
        for value in own.EXPECTED.values():
            if value in (own.HEADLINES, own.ANALYSIS) and make is own.label_tables_with_extras:
                continue  # this layout leaves the analysis out
            assert _placed_or_listed(found, moved, value), (make.__name__, value)
        assert all(c.source for c in moved.carried)
        assert set(moved.tally) == {"placed", "unsure", "unplaced"} and moved.tally["placed"] > 0


def test_text_boxes_are_read_once_tracked_deletions_not_at_all_comments_listed_aside(tmp_path):
    found, moved = api.imported_plan(own.label_tables_with_extras(tmp_path / "plan.docx"))
    p = moved.plan.priorities[0]
    assert p.answer("funding") == own.FUNDING
    assert own.INEQUITIES in p.answer("resource_inequities")
    assert "An old sentence" not in str(plan_to_dict(moved.plan))
    comment = [c for c in moved.carried if "Tighten this" in c.text]
    assert comment and comment[0].kind == "unplaced" and "comment" in comment[0].source
    assert moved.plan.district.name == own.DISTRICT  # from the page header


def test_a_placement_the_reader_is_unsure_of_is_marked_to_confirm(tmp_path):
    _, moved = api.imported_plan(own.label_tables_with_extras(tmp_path / "plan.docx"))
    unsure = [c for c in moved.carried if c.kind == "check" and c.note.startswith("unsure:")]
    assert unsure and all(c.note.startswith("unsure:") for c in unsure)
    assert moved.tally["unsure"] >= 1
    assert any(note.startswith("unsure") for note in moved.highlight.values())


@pytest.mark.parametrize("plan_of", [api.example_plan, lambda: _yaml_plan("mill_river.yaml"),
                                     lambda: _yaml_plan("granite_falls.yaml")], ids=["example", "two", "granite"])
def test_docgens_own_deck_reads_back_with_every_answer_in_place(tmp_path, plan_of):
    plan = plan_of()
    files = api.plan_files(plan, FY26, ("pptx",))
    path = tmp_path / "deck.pptx"
    path.write_bytes(next(iter(files.values())))
    found, moved = api.imported_plan(path)
    a, b = plan_to_dict(plan), plan_to_dict(moved.plan)
    assert b["district"] == a["district"]
    assert b["answers"] == {k: v for k, v in a["answers"].items() if v}
    assert b["schools"] == a["schools"] and b["curricula"] == a["curricula"]
    for mine, theirs in zip(a["priorities"], b["priorities"], strict=True):
        assert {k: v for k, v in theirs["answers"].items() if v} == {k: v for k, v in mine["answers"].items() if v}
        for table in ("outcomes", "benchmarks", "targeted_support"):
            assert theirs[table] == mine[table], table
    assert all(c.kind == "unplaced" for c in moved.carried)  # the cover's lines and the speaker notes, kept


def test_a_deck_laid_out_as_deses_template_deck_reads_every_answer_into_its_field(tmp_path):
    _, moved = api.imported_plan(own.official_style_deck(tmp_path / "deck.pptx"))
    p = moved.plan.priorities[0]
    for key, value in own.EXPECTED.items():
        assert p.answer(key) == value, key
    assert len(p.outcomes) == 2 and len(p.benchmarks) == 2 and p.targeted_support[0].school == "Birch Middle School"
    assert moved.tally["unplaced"] == 0 and moved.tally["unsure"] == 0


def test_a_deck_in_the_districts_own_design_joins_continued_slides_and_keeps_speaker_notes_aside(tmp_path):
    _, moved = api.imported_plan(own.own_design_deck(tmp_path / "deck.pptx"))
    p = moved.plan.priorities[0]
    assert p.answer("statement") == own.STATEMENT and p.answer("equity_gaps") == own.GAPS
    assert own.ONGOING in p.answer("stakeholder_input") + p.answer("stakeholder_ongoing")  # the continued slide
    assert [(o.baseline, o.target) for o in p.outcomes] == [("12%", "20%"), ("35%", "40%")]
    notes = [c for c in moved.carried if "speaker notes" in c.source]
    assert notes and notes[0].kind == "unplaced" and notes[0].text == "Say: this is our elevator pitch."
    assert moved.plan.district.date == "June 18, 2025"


def test_official_prompts_kept_in_an_own_layout_place_the_answers_and_read_listed_targets_as_rows(tmp_path):
    _, moved = api.imported_plan(own.prompts_kept_own_layout(tmp_path / "plan.docx"))
    p = moved.plan.priorities[0]
    assert own.STATEMENT in p.answer("statement") and own.INPUT in p.answer("stakeholder_input")
    assert own.INEQUITIES in p.answer("resource_inequities") and p.answer("district_actions") == own.DISTRICT_ACTIONS
    assert [(o.baseline, o.target) for o in p.outcomes] == [("12%", "20%"), ("35%", "40%")]
    rows = [c for c in moved.carried if "Outcomes" in c.destination]
    assert rows and all(c.note.startswith("unsure:") for c in rows)  # read as rows: the person confirms them


def test_benchmarks_typed_as_bullets_with_their_details_and_goals_as_sentences_become_rows(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("Monitoring Our Progress", 1)
    d.add_paragraph("Percent of classrooms using discourse routines", style="List Bullet")
    d.add_paragraph("Classroom · Math coaches · Monthly · On track: 70% by January")
    d.add_heading("Goals", 1)
    d.add_paragraph("SMART goal 1: Increase the share of English learners in grades 3-8 meeting expectations in math "
                    "from 12% to 20% by spring 2026.", style="List Number")
    d.save(tmp_path / "plan.docx")
    _, moved = api.imported_plan(tmp_path / "plan.docx")
    p = moved.plan.priorities[0]
    b = p.benchmarks[0]
    assert (b.benchmark, b.level, b.monitored_by, b.frequency) == (
        "Percent of classrooms using discourse routines", "Classroom", "Math coaches", "Monthly")
    assert "70% by January" in b.on_track
    assert (p.outcomes[0].baseline, p.outcomes[0].target) == ("12%", "20% by spring 2026")  # its date kept
    assert not p.outcomes[0].measure.startswith("SMART")
    assert {"p1.benchmarks[0].benchmark", "p1.outcomes[0].measure"} <= set(moved.highlight)  # rows to confirm


def test_check_build_and_letter_take_a_word_plan_or_a_deck_and_write_nothing_unasked(tmp_path, run):
    source = own.headings_and_goal_table(tmp_path / "plan.docx")
    result = run("check", source)
    assert "cannot be read as an Excel workbook" not in result.output and result.output.startswith(own.DISTRICT)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.docx"]
    built = run("build", source, "-o", tmp_path / "out")
    assert built.exit_code == 0, built.output
    assert len(list((tmp_path / "out").iterdir())) == 2
    letter = run("letter", source, "-o", tmp_path / "letter")
    assert letter.exit_code == 0, letter.output


def test_an_imported_plan_without_a_district_name_still_builds_and_asks_for_it(tmp_path, run):
    import docx

    d = docx.Document()
    d.add_heading("Our Instructional Priority", 1)
    d.add_paragraph(own.STATEMENT)
    path = tmp_path / "plan.docx"
    d.save(path)
    _, moved = api.imported_plan(path)
    assert "district.name" in moved.highlight and "district.date" in moved.highlight  # orange: fill these in
    result = run("import", path, "-o", tmp_path / "plan.xlsx")
    assert result.exit_code == 0, result.output
    built = run("build", tmp_path / "plan.xlsx", "-o", tmp_path / "out")
    assert built.exit_code == 0, built.output


@pytest.mark.parametrize("name, content, message", [
    ("old.ppt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old PowerPoint 97-2003 file (.ppt)"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Word 97-2003 document (.doc)"),
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"), "password"),
    ("plan.pdf", b"%PDF-1.4 broken", "cannot be read as a PDF"),
])
def test_a_file_docgen_cannot_read_gets_one_line_from_every_door(tmp_path, run, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    for command in ("check", "build", "import"):
        result = run(command, path)
        assert result.exit_code == 1
        assert message in result.output and len(result.output.strip().splitlines()) == 1, result.output


def test_a_scanned_pdf_gets_one_line_saying_so(tmp_path, run):
    import pypdfium2  # noqa: F401  # only to skip when absent

    pytest.importorskip("PIL")
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path)
    result = run("check", path)
    assert result.exit_code == 1 and "scanned PDF" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_pdf_of_a_plan_in_its_own_layout_reads_its_tables_even_without_rules(tmp_path):
    source = own.headings_and_goal_table(tmp_path / "plan.docx")  # python-docx tables have no borders
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    _, moved = api.imported_plan(tmp_path / "plan.pdf")
    p = moved.plan.priorities[0]
    assert [(o.baseline, o.target) for o in p.outcomes] == [("12%", "20%"), ("35%", "40%")]
    assert [b.level for b in p.benchmarks] == ["Classroom", "District"]
    assert p.targeted_support[0].school == "Birch Middle School"
    assert p.answer("statement") == own.STATEMENT and moved.plan.district.name == own.DISTRICT


def _cells(path) -> list:
    import openpyxl

    return [(ws.title, row) for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows(values_only=True)]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("plan_of", [api.example_plan, lambda: _yaml_plan("mill_river.yaml")],
                         ids=["example", "two priorities"])
def test_a_pdf_of_docgens_word_plan_gives_the_same_workbook_as_the_word_file(tmp_path, run, plan_of):
    plan = plan_of()
    docx_path = tmp_path / "plan.docx"
    docx_path.write_bytes(next(iter(api.plan_files(plan, FY26, ("docx",)).values())))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
                   check=True, capture_output=True, timeout=180)
    assert run("import", docx_path, "-o", tmp_path / "from-word.xlsx").exit_code == 0
    assert run("import", tmp_path / "plan.pdf", "-o", tmp_path / "from-pdf.xlsx").exit_code == 0
    assert _cells(tmp_path / "from-pdf.xlsx") == _cells(tmp_path / "from-word.xlsx")
