"""Hostile and odd inputs: one clear line and exit 1, nothing written; odd names made safe; no half files."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from docgen import api, errors
from docgen.write.output import safe_filename

from .conftest import SAMPLE
from .test_workbook import answer_rows

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def entity_bomb(path):
    """The sample workbook with a 'billion laughs' entity declaration in its shared strings."""
    with zipfile.ZipFile(SAMPLE) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 9))
                data = data.replace(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>", b"", 1)
                data = (f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{lol}]>').encode() + \
                    data.replace(b"<sheets>", b"<sheets>&lol8;", 1)
            target.writestr(item, data)


def zip_bomb(path):
    """A small file that unpacks to 60 MB of zeros, named like a workbook."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 2**20))


HOSTILE = {
    "entity bomb": ("bomb.xlsx", entity_bomb, "contains XML entity declarations"),
    "zip bomb": ("zip.xlsx", zip_bomb, "unpacks to 60 MB"),
    "password": ("locked.xlsx", lambda p: p.write_bytes(OLE + b"\0" * 512 + "EncryptionInfo".encode("utf-16-le")),
                 "is protected with a password"),
    "old xls": ("old.xls", lambda p: p.write_bytes(OLE + b"\0" * 1024), "is an old Excel 97-2003 workbook (.xls)"),
    "csv": ("plan.csv", lambda p: p.write_text("District name,Cranberry Harbor\n"), "is a CSV file"),
    "empty": ("empty.xlsx", lambda p: p.write_bytes(b""), "is empty (0 bytes)"),
    "directory": ("folder.xlsx", lambda p: p.mkdir(), "is a folder, not an Excel workbook"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_and_odd_files_get_one_clear_line(case, tmp_path, run):
    name, make, message = HOSTILE[case]
    path = tmp_path / "in" / name
    path.parent.mkdir()
    make(path)
    out = tmp_path / "out"
    start = time.perf_counter()
    result = run("build", path, "-o", out)
    assert time.perf_counter() - start < 10  # fails fast, bombs included
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()
    assert sorted(p.name for p in path.parent.iterdir()) == [name]  # no temp files left beside it


def test_an_xlsm_workbook_is_read_for_its_data_only(tmp_path, run):
    path = tmp_path / "plan.xlsm"
    shutil.copy(SAMPLE, path)
    result = run("build", path, "-o", tmp_path / "out", "--format", "docx")
    assert result.exit_code == 0, result.output


def test_a_workbook_saved_by_libreoffice_calc_reads_the_same(tmp_path):
    from .conftest import soffice_or_skip

    soffice = soffice_or_skip()
    if not os.path.exists("/usr/lib/libreoffice/program/libsclo.so") and not os.environ.get("DOCGEN_REQUIRE_SOFFICE"):
        pytest.skip("LibreOffice Calc is not installed")
    source = tmp_path / "calc-in" / "plan.xlsx"
    source.parent.mkdir()
    shutil.copy(SAMPLE, source)
    out = tmp_path / "calc-out"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    resaved = out / "plan.xlsx"
    assert resaved.exists()
    original, calc = api.read_plan(SAMPLE), api.read_plan(resaved)
    original.where = calc.where = {}
    assert calc == original


def test_formulas_with_cached_values_read_as_their_values(sample):
    wb = openpyxl.load_workbook(sample)
    ws = wb["Outcomes"]
    ws["E5"] = "=\"38%\" & \" (spring 2024)\""
    wb.save(sample)
    # openpyxl writes no cached value; put one in as Excel would have
    with zipfile.ZipFile(sample) as source:
        items = {i.filename: source.read(i.filename) for i in source.infolist()}
    sheet = next(name for name, data in items.items() if name.startswith("xl/worksheets/") and b"spring 2024)" in data
                 and b"<f>" in data)
    items[sheet] = items[sheet].replace(b"</f><v></v>", b"</f><v>38% (spring 2024)</v>").replace(
        b"</f><v />", b"</f><v>38% (spring 2024)</v>")
    if b"<v>38% (spring 2024)</v>" not in items[sheet]:
        items[sheet] = items[sheet].replace(b"</f>", b"</f><v>38% (spring 2024)</v>", 1)
    items[sheet] = items[sheet].replace(b'<c r="E5" t="str"', b'<c r="E5" t="str"').replace(
        b'<c r="E5"', b'<c r="E5" t="str"', 1) if b't="str"' not in items[sheet] else items[sheet]
    with zipfile.ZipFile(sample, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)
    assert api.read_plan(sample).priorities[0].outcomes[0].baseline == "38% (spring 2024)"


# --- safe names and whole files ------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("../../etc/x", "etc - x FY26 Instructional Prioritization Plan.docx"),
    ("CON", "CON FY26 Instructional Prioritization Plan.docx"),
    ("a/b:c", "a - b - c FY26 Instructional Prioritization Plan.docx"),
    ("🎉🎉", "🎉🎉 FY26 Instructional Prioritization Plan.docx"),
])
def test_district_names_become_safe_file_names_inside_the_output_folder(name, expected, sample, tmp_path, run):
    wb = openpyxl.load_workbook(sample)
    dict(answer_rows(wb["District"]))["name"].value = name
    wb.save(sample)
    out = tmp_path / "deep" / "out"
    result = run("build", sample, "-o", out, "--format", "docx")
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == [expected]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted([expected, sample.name])


def test_reserved_and_very_long_names():
    assert safe_filename("CON", ".docx") == "CON_.docx"
    assert safe_filename("nul.txt", ".docx") == "nul.txt_.docx"
    long = safe_filename("Very Long District Name " * 20, ".docx")
    assert len(long) <= 160 and long.endswith(" Very.docx")  # cut at a word, under the limit
    assert safe_filename("...", ".docx") == "plan.docx"


PLAN_NAMES = ["Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.docx",
              "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.pptx"]


@pytest.fixture
def paused_build():
    """Return a function that starts a build stopped at a point of its writing (see tests/paused_build.py) and
    returns the process and its temporary file once the build is there; the processes are killed at the end."""
    started = []

    def start_paused(point, workbook, folder, force=True):
        process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("paused_build.py")), point,
                                    str(workbook), str(folder), "1" if force else "0"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started.append(process)
        ready = select.select([process.stdout], [], [], 120)[0]  # a safety limit only: it is there in seconds
        line = process.stdout.readline() if ready else ""
        if not line.startswith(f"{point}\t"):
            process.kill()
            raise AssertionError(f"the build never reached '{point}': {process.communicate()[1]}")
        return process, Path(line.rstrip("\n").split("\t", 1)[1])

    yield start_paused
    for process in started:
        process.kill()
        process.communicate()


def go_on(process) -> int:
    """Let a paused build finish; return its exit code."""
    process.stdin.write("\n")
    process.stdin.flush()
    return process.wait(timeout=120)


def final_names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def assert_whole_office_files(folder):
    for path in folder.iterdir():
        if path.name.startswith("."):
            continue  # a temporary name, never a final one
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None, path


@pytest.mark.parametrize("point, placed", [("write 1", 0), ("write 2", 0), ("place 2", 1)],
                         ids=["mid-way through the Word plan", "mid-way through the deck", "between the two renames"])
def test_a_build_killed_halfway_leaves_no_partial_file_under_a_final_name(point, placed, sample, tmp_path,
                                                                           paused_build):
    out = tmp_path / "out"
    process, temp = paused_build(point, sample, out)
    if point.startswith("write"):
        assert temp.stat().st_size > 0 and not zipfile.is_zipfile(temp)  # the kill lands on half a document
    process.kill()
    process.wait()
    assert temp.exists()  # it died there, before it could tidy up
    assert final_names(out) == PLAN_NAMES[:placed]
    assert_whole_office_files(out)
    api.build(sample, out, force=True)  # the next run removes what the killed one left
    assert sorted(p.name for p in out.iterdir()) == PLAN_NAMES
    assert_whole_office_files(out)


@pytest.mark.parametrize("point", ["write 2", "place 2"])
def test_two_builds_of_one_workbook_at_once_leave_complete_files(point, sample, tmp_path, paused_build):
    """A second build runs from start to end while the first is stopped at ``point``; then the first goes on."""
    out = tmp_path / "out"
    first, temp = paused_build(point, sample, out)
    api.build(sample, out, force=True)
    assert temp.exists()  # the second build left the running one's temporary file alone
    assert go_on(first) == 0
    assert sorted(p.name for p in out.iterdir()) == PLAN_NAMES  # and no temporary file is left
    assert_whole_office_files(out)


@pytest.mark.parametrize("point, winner", [("place 1", "second"), ("place 2", "first")])
def test_two_builds_at_once_without_force_never_replace_each_other(point, winner, sample, tmp_path, paused_build):
    """The first build stops past its check that the names are free; exactly one of the two writes the files."""
    out = tmp_path / "out"
    first, _ = paused_build(point, sample, out, force=False)
    try:
        api.build(sample, out)
        second = "built"
    except errors.OutputError as exc:
        second = str(exc)
    written = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
    code = go_on(first)
    if winner == "second":
        assert second == "built" and code == 1 and "already exists; add --force" in first.stderr.read()
        assert {p.name: p.read_bytes() for p in out.iterdir()} == written  # not replaced, nothing left beside
    else:
        assert "already exists; add --force" in second and code == 0
        assert sorted(p.name for p in out.iterdir()) == PLAN_NAMES
    assert_whole_office_files(out)


def test_a_formula_without_a_saved_value_is_an_error_naming_the_cell(sample, tmp_path, run):
    wb = openpyxl.load_workbook(sample)
    wb["Outcomes"]["E6"] = "=E5"  # openpyxl, like other programs, saves formulas without computing them
    wb.save(sample)
    result = run("build", sample, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "sheet 'Outcomes', cell E6: the formula has no saved value" in result.output
    assert not (tmp_path / "out").exists()


# --- hostile Word files: the same guards as workbooks ----------------------------------------------------


def _plan_docx(tmp_path):
    return api.build(SAMPLE, tmp_path / "plans", formats=("docx",))[0]


def _rewritten(source, target, part, change):
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            copy.writestr(item.filename, change(data) if item.filename == part else data)
    return target


HOSTILE_WORD = {
    "entity declaration": (lambda d: b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x "boom">]>' + d.split(b"?>", 1)[1],
                           "contains XML entity declarations"),
    "xml cut in half": (lambda d: d[: len(d) // 2], ("its content is damaged (incomplete or broken XML); open it in "
                                                     "Word and save it again")),
    "zip bomb": (lambda d: d.replace(b"<w:body>", b"<w:body>" + b" " * (60 * 2**20), 1), "unpacks to 60 MB"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_WORD))
@pytest.mark.parametrize("command", ["import", "accessibility"])
def test_hostile_word_files_get_one_line_fast(case, command, tmp_path, run):
    change, message = HOSTILE_WORD[case]
    path = _rewritten(_plan_docx(tmp_path), tmp_path / "hostile.docx", "word/document.xml", change)
    if case == "zip bomb":
        assert path.stat().st_size < 200_000  # small on disk, 60 MB unpacked
    start = time.perf_counter()
    result = run(*command.split(), path)
    assert time.perf_counter() - start < 10
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}: ") and message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1


def test_import_given_a_workbook_says_what_to_do(tmp_path, run):
    path = tmp_path / "last-year.docx"
    shutil.copy(SAMPLE, path)
    result = run("import", path)
    assert result.exit_code == 1
    assert "is an Excel workbook, not a Word plan" in result.output and "docgen roll-forward" in result.output


# --- files on disk ------------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path):
    """A 300 KB file system, mounted for the test (needs root, as in CI); skipped where mounting is not allowed."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small file system here")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_gives_one_line_and_leaves_no_temporary_file(tiny_disk, tmp_path, run):
    (tiny_disk / "filler").write_bytes(b"\0" * 260_000)
    result = run("build", SAMPLE, "-o", tiny_disk / "out")
    assert result.exit_code == 1
    assert result.output.strip().endswith("the disk is full; free some space and run it again"), result.output
    assert "Traceback" not in result.output
    assert [p.name for p in (tiny_disk / "out").iterdir()] == []


def test_a_full_disk_during_pdf_gives_one_line_and_leaves_nothing(tiny_disk, tmp_path, run):
    from .conftest import soffice_or_skip

    soffice_or_skip()
    (tiny_disk / "filler").write_bytes(b"\0" * 150_000)
    result = run("build", SAMPLE, "-o", tiny_disk / "out", "--pdf")
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1, result.output
    assert "the disk is full" in result.output
    assert not (tiny_disk / "out").exists() or [p.name for p in (tiny_disk / "out").iterdir()] == []


def test_an_existing_pdf_is_not_replaced_without_force(tmp_path, run):
    from .conftest import soffice_or_skip

    soffice_or_skip()
    out = tmp_path / "out"
    out.mkdir()
    pdf = out / "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.pdf"
    pdf.write_bytes(b"the district's own PDF")
    result = run("build", SAMPLE, "-o", out, "--pdf")
    assert result.exit_code == 1 and f"{pdf} already exists; add --force" in result.output
    assert pdf.read_bytes() == b"the district's own PDF" and [p.name for p in out.iterdir()] == [pdf.name]
    assert run("build", SAMPLE, "-o", out, "--pdf", "--force").exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("name", ["🎉" * 60, "学区" * 50, "é" * 140])
def test_names_long_in_bytes_are_cut_to_fit_the_file_system(name, sample, tmp_path, run):
    wb = openpyxl.load_workbook(sample)
    dict(answer_rows(wb["District"]))["name"].value = name
    wb.save(sample)
    result = run("build", sample, "-o", tmp_path / "out", "--format", "docx,pptx")
    assert result.exit_code == 0, result.output
    for path in (tmp_path / "out").iterdir():
        assert len(path.name.encode()) <= 240 and path.name.endswith((".docx", ".pptx"))
        assert len((path.stem + " (slides).pdf").encode()) <= 255


def test_a_killed_run_leaves_temporary_files_the_next_run_removes(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    from docgen.write import output

    stale = out / f"{output.TEMP_PREFIX}{output._HOST}-{dead.stdout.strip()}-abcd1234{output.TEMP_SUFFIX}"
    stale.write_bytes(b"half a document")
    api.build(SAMPLE, out, formats=("docx",))
    assert not stale.exists()
    assert [p.name for p in out.iterdir()] == [
        "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.docx"]
