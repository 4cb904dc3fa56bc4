"""docgen batch: a folder of workbooks -> each district's files, a summary, and PDFs in one LibreOffice call."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from docgen import batch

from .conftest import ROOT, SAMPLE, soffice_or_skip


@pytest.fixture
def folder(tmp_path):
    """Three good workbooks, one corrupt file and an Excel lock file."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "cranberry-harbor.xlsx")
    shutil.copy(ROOT / "data" / "cranberry-harbor-2024-25.xlsx", folder / "last-year.xlsx")
    shutil.copy(SAMPLE, folder / "third.xlsx")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (folder / "~$third.xlsx").write_bytes(b"lock")
    return folder


def summary_rows(path):
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_batch_builds_good_workbooks_and_reports_the_bad_one(folder, tmp_path, run):
    out = tmp_path / "out"
    result = run("batch", folder, "-o", out, "--jobs", "2")
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["cranberry-harbor", "last-year", "summary.xlsx", "third"]
    assert sorted(p.name for p in (out / "third").iterdir()) == [
        "Cranberry Harbor Public Schools FY26 Feedback Letter.docx",
        "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.docx",
        "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.pptx"]
    assert len(list((out / "last-year").iterdir())) == 2  # no consultant review, so no letter
    header, rows = summary_rows(out / "summary.xlsx")
    assert header == ("Workbook", "District", "Status", "Files written", "Errors", "Warnings", "Message")
    by_name = {row[0]: row for row in rows}
    assert sorted(by_name) == ["broken.xlsx", "cranberry-harbor.xlsx", "last-year.xlsx", "third.xlsx"]
    assert by_name["broken.xlsx"][2] == "failed"
    assert "is not an Excel workbook (.xlsx)" in by_name["broken.xlsx"][6]
    assert by_name["third.xlsx"][2:6] == ("built", by_name["third.xlsx"][3], 0, 0)
    assert "4 workbooks: 3 built, 0 skipped (up to date), 1 failed" in result.output
    assert "[4/4]" in result.output  # plain progress lines when not on a terminal


def test_rerun_skips_up_to_date_districts_unless_forced(folder, tmp_path, run):
    out = tmp_path / "out"
    run("batch", folder, "-o", out, "--jobs", "1")
    again = run("batch", folder, "-o", out, "--jobs", "1")
    assert "0 built, 3 skipped (up to date), 1 failed" in again.output
    os.utime(folder / "third.xlsx")  # the district edited its workbook
    edited = run("batch", folder, "-o", out, "--jobs", "1")
    assert "1 built, 2 skipped (up to date), 1 failed" in edited.output
    forced = run("batch", folder, "-o", out, "--jobs", "1", "--force")
    assert "3 built, 0 skipped (up to date), 1 failed" in forced.output


def test_outputs_do_not_depend_on_the_number_of_jobs(folder, tmp_path):
    one = batch.run(folder, tmp_path / "one", jobs=1)
    two = batch.run(folder, tmp_path / "two", jobs=2)
    assert [r.files for r in one] == [r.files for r in two]
    folders = batch.district_folders(Path(""), batch.workbooks_in(folder))
    for result in one:
        for name in result.files:
            first = tmp_path / "one" / folders[folder / result.workbook] / name
            second = tmp_path / "two" / folders[folder / result.workbook] / name
            assert first.read_bytes() == second.read_bytes(), name


def test_batch_pdfs_come_from_one_libreoffice_call_per_worker(folder, tmp_path, monkeypatch):
    soffice_or_skip()
    from docgen import pdf

    calls = []
    real_popen = pdf.subprocess.Popen
    monkeypatch.setattr(pdf.subprocess, "Popen", lambda *a, **k: calls.append(a) or real_popen(*a, **k))
    (folder / "broken.xlsx").unlink()
    (folder / "last-year.xlsx").unlink()
    results = batch.run(folder, tmp_path / "out", jobs=2, make_pdf=True)
    assert len(calls) == 2  # 8 documents, one LibreOffice per worker
    assert len({a[0][1] for a in calls}) == 2  # each with its own profile
    names = sorted((tmp_path / "out" / "third").iterdir())
    assert [p.name for p in names if p.suffix == ".pdf"] == [
        "Cranberry Harbor Public Schools FY26 Feedback Letter.pdf",
        "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan (slides).pdf",
        "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.pdf"]
    assert all(r.status == "built" for r in results)


def test_pdf_without_libreoffice_names_the_package_to_install(sample, tmp_path, run, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run("build", sample, "-o", tmp_path / "out", "--pdf")
    assert result.exit_code == 1
    assert "--pdf needs LibreOffice" in result.output and "apt-get install libreoffice-writer-nogui" in result.output
    assert not (tmp_path / "out").exists()
