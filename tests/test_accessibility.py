"""docgen accessibility: every docgen output passes; broken files fail with a clear line."""

from __future__ import annotations

import json
import re
import subprocess

import docx
import pytest
from pptx import Presentation

from docgen import api

from .conftest import ROOT, SAMPLE, soffice_or_skip
from .test_render import pdf_text

SAMPLES = {"fy26": SAMPLE, "fy25": ROOT / "data" / "cranberry-harbor-2024-25.xlsx"}


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def outputs(request, tmp_path_factory):
    """Every document docgen writes for one sample: Word plan, deck and feedback letter."""
    out = tmp_path_factory.mktemp(request.param)
    return [*api.build(SAMPLES[request.param], out), *api.letter(SAMPLES[request.param], out)]


def test_every_output_passes(outputs, run):
    for path in outputs:
        result = run("accessibility", path)
        assert result.exit_code == 0, result.output
        assert result.output.strip() == f"{path}: passes the accessibility checks"


def docx_with_an_empty_heading(path):
    document = docx.Document()
    document.core_properties.title = "Edited plan"
    document.core_properties.language = "en-US"
    document.add_heading("1. Instructional Priority", 1)
    document.add_heading("", 2)
    document.save(str(path))
    return "paragraph 2: empty Heading 2"


def deck_with_a_slide_without_a_title(path):
    prs = Presentation()
    prs.core_properties.title = "Edited deck"
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "1. Instructional Priority"
    prs.slides.add_slide(prs.slide_layouts[6])  # blank layout: no title
    prs.save(str(path))
    return "slide 2: the slide has no title"


@pytest.mark.parametrize("name, make", [("edited.docx", docx_with_an_empty_heading),
                                        ("edited.pptx", deck_with_a_slide_without_a_title)],
                         ids=["empty heading", "slide without a title"])
def test_an_edited_file_that_breaks_one_rule_fails_with_a_clear_line(name, make, tmp_path, run):
    path = tmp_path / name
    problem = make(path)
    result = run("accessibility", path)
    assert result.exit_code == 1
    assert result.output.strip() == f"{path}: {problem}"


def test_skipped_heading_levels_and_missing_header_rows_are_reported(tmp_path, run):
    path = tmp_path / "edited.docx"
    document = docx.Document()
    document.add_heading("Plan", 1)
    document.add_heading("Details", 3)
    document.add_table(rows=2, cols=2)
    document.save(str(path))
    lines = run("accessibility", path).output.strip().splitlines()
    assert f"{path}: document properties: the document has no title" in lines
    assert any("Heading 3 'Details' follows Heading 1: heading levels skip a level" in line for line in lines)
    assert f"{path}: table 1: the first row is not marked as a header row" in lines


def test_not_an_office_file(tmp_path, run):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    result = run("accessibility", path)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}: is not a Word (.docx) or PowerPoint (.pptx) file")


def test_several_files_in_one_run_each_get_their_lines(outputs, tmp_path, run):
    broken = tmp_path / "notes.docx"
    broken.write_text("hello")
    result = run("accessibility", *outputs, broken)
    assert result.exit_code == 1  # one file could not be read; the others are still checked
    lines = result.output.strip().splitlines()
    assert [f"{path}: passes the accessibility checks" for path in outputs] == [line for line in lines
                                                                               if "passes" in line]
    assert any(line.startswith(f"Error: {broken}: ") for line in lines)
    report = json.loads(run("accessibility", *outputs, "--format", "json").stdout)
    assert report == [{"file": str(path), "problems": []} for path in outputs]


def words(value: str) -> str:
    return " ".join(re.sub(r"[^\w%]+", " ", value).split()).casefold()


def test_text_that_went_in_comes_out_of_libreoffice(outputs, tmp_path):
    """LibreOffice opens every output, and the sample's answers are in the PDF text."""
    soffice = soffice_or_skip()
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *map(str, outputs)], check=True, capture_output=True, timeout=300)
    texts = {p.suffix: words(pdf_text(tmp_path / (p.stem + ".pdf"))) for p in outputs if p.name.endswith("Plan.docx")
             or p.suffix == ".pptx"}
    if not all(texts.values()):
        pytest.skip("pdftotext is not installed")
    plan = api.read_plan(SAMPLES["fy26" if "FY26" in outputs[0].name else "fy25"])
    for value in plan.priorities[0].answers.values():
        for line in filter(None, (words(v) for v in value.split("\n"))):
            assert line in texts[".docx"], line[:60]
            assert " ".join(line.split()[:6]) in texts[".pptx"], line[:60]
