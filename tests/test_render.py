"""Outputs open in a real office suite: LibreOffice converts them to PDF with the text intact."""

from __future__ import annotations

import re
import shutil
import subprocess

from .conftest import soffice_or_skip


def to_pdf(document, workdir):
    """Convert ``document`` to PDF with LibreOffice headless in a private profile; return the PDF path."""
    soffice = soffice_or_skip()
    profile = workdir / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(workdir), str(document)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = workdir / (document.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 10_000
    return pdf


def pdf_text(pdf) -> str:
    if not shutil.which("pdftotext"):
        return ""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def pdf_pages(pdf) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def test_sample_plan_converts_to_pdf(sample, tmp_path, run):
    assert run("build", sample, "-o", tmp_path / "out").exit_code == 0
    document = next((tmp_path / "out").glob("*.docx"))
    pdf = to_pdf(document, tmp_path)
    assert 6 <= pdf_pages(pdf) <= 12
    text = pdf_text(pdf)
    if text:
        flat = re.sub(r"\s+", " ", text)
        assert "District Instructional Prioritization Plan" in flat
        assert "8. Targeted Support for Priority Schools" in flat
        assert "Page 1 of" in flat


def test_sample_deck_converts_with_one_page_per_slide(sample, tmp_path, run):
    from pptx import Presentation

    assert run("build", sample, "-o", tmp_path / "out", "--format", "pptx").exit_code == 0
    deck = next((tmp_path / "out").glob("*.pptx"))
    slides = len(Presentation(str(deck)).slides)
    # title, district, HQIM, priority divider, and at least one slide for each of sections 1-8
    assert slides >= 4 + 8
    pdf = to_pdf(deck, tmp_path)
    assert pdf_pages(pdf) == slides
