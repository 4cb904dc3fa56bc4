"""Hostile and odd inputs: one clear line and exit 1, nothing written; odd names made safe; no half files."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile

import openpyxl
import pytest

from docgen import api
from docgen.output import safe_filename

from .conftest import SAMPLE
from .test_workbook import answer_rows

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def entity_bomb(path):
    """The sample workbook with a 'billion laughs' entity declaration in its shared strings."""
    with zipfile.ZipFile(SAMPLE) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                lol = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 9))
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


BUILD = ("import sys; from docgen import api; "
         "api.build(sys.argv[1], sys.argv[2], force=True)")


def assert_whole_office_files(folder):
    for path in folder.iterdir():
        if path.name.startswith("."):
            continue  # a temporary name, never a final one
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None, path


def test_a_build_killed_halfway_leaves_no_partial_file_under_a_final_name(sample, tmp_path):
    out = tmp_path / "out"
    for attempt in range(20):
        process = subprocess.Popen([sys.executable, "-c", BUILD, str(sample), str(out)])
        time.sleep(0.05 + 0.03 * (attempt % 10))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if out.exists():
            assert_whole_office_files(out)


def test_two_builds_of_one_workbook_at_once_leave_complete_files(sample, tmp_path):
    out = tmp_path / "out"
    for _ in range(20):
        processes = [subprocess.Popen([sys.executable, "-c", BUILD, str(sample), str(out)]) for _ in range(2)]
        assert [p.wait() for p in processes] == [0, 0]
        assert_whole_office_files(out)
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
            "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.docx",
            "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.pptx"]


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
    "xml cut in half": (lambda d: d[: len(d) // 2], "its content is damaged (incomplete or broken XML); open it in "
                                                    "Word and save it again"),
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
    from docgen import output

    stale = out / f"{output.TEMP_PREFIX}{output._HOST}-{dead.stdout.strip()}-abcd1234{output.TEMP_SUFFIX}"
    stale.write_bytes(b"half a document")
    api.build(SAMPLE, out, formats=("docx",))
    assert not stale.exists()
    assert [p.name for p in out.iterdir()] == [
        "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.docx"]


def test_two_builds_at_once_without_force_never_replace_each_other(sample, tmp_path):
    build = ("import sys; from docgen import api, errors\n"
             "try: api.build(sys.argv[1], sys.argv[2], formats=('docx',))\n"
             "except errors.OutputError: sys.exit(1)")
    for round_ in range(10):
        out = tmp_path / f"out{round_}"
        processes = [subprocess.Popen([sys.executable, "-c", build, str(sample), str(out)]) for _ in range(2)]
        assert sorted(p.wait() for p in processes) == [0, 1]  # exactly one wins; the other is told it exists
        assert len(list(out.iterdir())) == 1
