"""docgen batch: a folder of workbooks -> each district's files, a summary, and PDFs in one LibreOffice call."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from docgen.region import batch

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
    from docgen.processes import sandbox

    calls = []
    real_popen = sandbox.subprocess.Popen
    monkeypatch.setattr(sandbox.subprocess, "Popen", lambda *a, **k: calls.append(a) or real_popen(*a, **k))
    (folder / "broken.xlsx").unlink()
    (folder / "last-year.xlsx").unlink()
    results = batch.run(folder, tmp_path / "out", jobs=2, make_pdf=True)
    calls = [a for a in calls if any("soffice" in arg for arg in a[0])]  # not the sandbox's probe of unshare
    assert len(calls) == 2  # 8 documents, one LibreOffice per worker
    profiles = {next(arg for arg in a[0] if arg.startswith("-env:UserInstallation")) for a in calls}
    assert len(profiles) == 2  # each with its own profile
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


def test_a_district_that_runs_over_its_time_limit_fails_and_the_batch_goes_on(folder, tmp_path, monkeypatch):
    import time

    from docgen import api

    def stuck_on_third(plan, variant, formats, **options):
        if plan.district.name.endswith("(third)"):
            time.sleep(600)  # stuck: only the time limit ends it (a built result here would fail the test)
        # the others are built at once, so the time limit is never what decides them, however busy the machine
        return {api.plan_file_names(plan, variant, formats)[f]: b"built" for f in formats}

    wb = openpyxl.load_workbook(folder / "third.xlsx")
    next(c for c in wb["District"]["C"] if c.row == 4).value = "Cranberry Harbor Public Schools (third)"
    wb.save(folder / "third.xlsx")
    monkeypatch.setattr(api, "plan_files", stuck_on_third)  # the forked workers inherit it
    results = batch.run(folder, tmp_path / "out", jobs=2, time_limit=2)
    by_name = {r.workbook: r for r in results}
    assert by_name["third.xlsx"].status == "failed"
    assert "took longer than 2 seconds and was stopped" in by_name["third.xlsx"].message
    assert by_name["cranberry-harbor.xlsx"].status == by_name["last-year.xlsx"].status == "built"


def test_workbooks_whose_names_meet_get_distinct_folders(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a:b.xlsx", "a - b.xlsx"):
        shutil.copy(SAMPLE, folder / name)
    results = batch.run(folder, tmp_path / "out", jobs=1)
    assert [r.status for r in results] == ["built", "built"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a - b", "a - b (2)", "summary.xlsx"]


def test_an_output_folder_inside_the_input_folder_is_not_read_as_districts(folder, tmp_path):
    (folder / "broken.xlsx").unlink()
    first = batch.run(folder, folder, jobs=1)
    second = batch.run(folder, folder, jobs=1)
    assert [r.workbook for r in second] == [r.workbook for r in first] == [
        "cranberry-harbor.xlsx", "last-year.xlsx", "third.xlsx"]
    assert [r.status for r in second] == ["skipped"] * 3


def test_a_rerun_builds_whatever_this_run_asks_for_that_is_missing(folder, tmp_path):
    (folder / "broken.xlsx").unlink()
    out = tmp_path / "out"
    batch.run(folder, out, jobs=1, formats=("docx",))
    results = batch.run(folder, out, jobs=1)  # now the decks too
    assert [r.status for r in results] == ["built"] * 3
    deck = next((out / "third").glob("*.pptx"))
    deck.unlink()  # an interrupted run left the district without its deck
    results = batch.run(folder, out, jobs=1)
    assert [r.status for r in results] == ["skipped", "skipped", "built"] and deck.exists()


def test_a_rerun_with_pdf_makes_the_pdfs(folder, tmp_path):
    soffice_or_skip()
    for name in ("broken.xlsx", "last-year.xlsx", "cranberry-harbor.xlsx"):
        (folder / name).unlink()
    out = tmp_path / "out"
    batch.run(folder, out, jobs=1)
    results = batch.run(folder, out, jobs=1, make_pdf=True)
    assert [r.status for r in results] == ["built"]
    assert sorted(p.suffix for p in (out / "third").iterdir()).count(".pdf") == 3  # plan, slides, letter


def test_a_folder_holding_no_workbook_is_said_so_and_writes_nothing(tmp_path, run):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "~$plan.xlsx").write_bytes(b"lock")  # an Excel lock file is not a workbook
    (folder / "notes.txt").write_text("hello")
    result = run("batch", folder, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {folder}: holds no workbook (.xlsx) to build"
    assert not (tmp_path / "out").exists()  # no empty summary.xlsx
