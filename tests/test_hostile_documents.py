"""Hostile documents (issue 32): LibreOffice in a box, packages cleaned on the way in and out, fills with bounds.

Each test plants what an attack round planted and checks the promise docs/security.md ("The document pipeline")
makes: no request leaves a conversion, none outlives its deadline, no link outside the file and no code reaches
a download, no fill writes or allocates without bound, and the server is never taken by one district's PDFs.
"""

from __future__ import annotations

import http.server
import io
import os
import pickle
import resource
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from docgen import errors, templating, variants
from docgen.processes import limits, sandbox
from docgen.processes.slots import Slots
from docgen.read import package, scrub
from docgen.write import pdf, pptx_theme

from . import hostile_packages as hostile
from .conftest import SAMPLE, assert_valid_office, soffice_or_skip
from .test_deck_theme import LOGO, district_design


@pytest.fixture
def listener():
    """A web server on the loopback interface that records every request it is sent; yields (url, requests)."""
    requests: list[str] = []

    class Record(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server name
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def _template(variant_id: str | None = None) -> bytes:
    return templating.new_template(variants.load(variant_id or variants.newest()))


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


# --- LibreOffice in a box --------------------------------------------------------------------------------------

def test_a_boxed_program_reaches_no_network(tmp_path, listener):
    if not sandbox.network_wrapper():
        pytest.skip(sandbox.network_notice())
    url, requests = listener
    fetch = f"import urllib.request; urllib.request.urlopen('{url}/boxed', timeout=5)"
    outcome = sandbox.run([sys.executable, "-c", fetch], tmp_path, seconds=20)
    assert outcome.returncode != 0 and "URLError" in outcome.output
    assert requests == []
    unboxed = subprocess.run([sys.executable, "-c", fetch], capture_output=True)  # the listener itself works
    assert requests == ["/boxed"] and unboxed.returncode != 0  # (a 404)


def test_libreoffice_does_not_fetch_a_picture_linked_by_url_even_unscrubbed(tmp_path, listener, monkeypatch):
    soffice_or_skip()
    if not sandbox.network_wrapper():
        pytest.skip(sandbox.network_notice())
    url, requests = listener
    document = hostile.rewrite(_template(), hostile.linked_picture(f"{url}/logo.png"))
    monkeypatch.setattr(scrub, "clean", lambda data, name="": data)  # the box alone: LibreOffice sees the link
    [made] = pdf.convert([("linked.docx", document)])
    assert made.startswith(b"%PDF") and requests == []


def test_a_boxed_program_sees_the_hidden_folders_empty(tmp_path):
    if not sandbox.hiding_wrapper():
        pytest.skip("no mount namespace on this system")
    data = tmp_path / "data"
    data.mkdir()
    (data / "docgen.sqlite3").write_text("secrets")
    (tmp_path / "box").mkdir()
    look = f"import os; print(sorted(os.listdir({str(data)!r})))"
    hidden = sandbox.run([sys.executable, "-c", look], tmp_path / "box", seconds=20, hidden=(data,))
    assert hidden.returncode == 0 and hidden.output.strip() == "[]"
    seen = sandbox.run([sys.executable, "-c", look], tmp_path / "box", seconds=20)
    assert "docgen.sqlite3" in seen.output
    assert (data / "docgen.sqlite3").read_text() == "secrets"  # hidden from the box, untouched here


def test_a_program_past_its_deadline_is_killed_with_everything_it_started(tmp_path):
    start = time.monotonic()
    outcome = sandbox.run(["sh", "-c", "sleep 120 & echo $! > orphan; exec sleep 120"], tmp_path, seconds=1)
    assert outcome.timed_out and time.monotonic() - start < 10  # killed at its deadline, not when it ends
    orphan = int((tmp_path / "orphan").read_text())
    state = Path(f"/proc/{orphan}/stat")
    assert not state.exists() or state.read_text().split()[2] == "Z"  # gone (or dead, waiting to be reaped)


def test_a_boxed_program_cannot_take_more_memory_than_its_limit(tmp_path):
    outcome = sandbox.run([sys.executable, "-c", "b = bytearray(3 * 2**30)"], tmp_path, seconds=20,
                          memory_bytes=1024 * 2**20)
    assert outcome.returncode not in (0, None) and "MemoryError" in outcome.output


def test_a_conversion_over_its_deadline_raises_overtime(tmp_path, monkeypatch):
    soffice_or_skip()
    monkeypatch.setattr(pdf, "START_SECONDS", 0)
    monkeypatch.setattr(pdf, "SECONDS_PER_FILE", 0.01)
    with pytest.raises(errors.OverTime, match="took longer than 0.01 seconds"):
        pdf.convert([("plan.docx", _template())])


def test_the_server_makes_at_most_its_slots_of_pdfs_and_a_district_at_most_its_share(tmp_path):
    slots = Slots(tmp_path, total=3, share=2, wait=0.2, owner_wait=0.2)
    with slots.hold("district 1"), slots.hold("district 1"):
        with pytest.raises(errors.ServerBusy, match="try again in a minute") as busy:
            with slots.hold("district 1"):  # its share is taken; a slot is still free for another district
                pass
        assert busy.value.status == 503
        with slots.hold("district 2"):
            assert slots.in_use() == 3
            with pytest.raises(errors.ServerBusy):
                with slots.hold("district 3"):  # every slot is taken
                    pass
    assert slots.in_use() == 0


def test_a_slot_held_by_another_process_counts_and_is_freed_when_it_ends(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from docgen.processes.slots import Slots\n"
        f"with Slots({str(tmp_path)!r}, 1, 1).hold('district 9'):\n"
        "    print('held', flush=True); time.sleep(60)")], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(errors.ServerBusy):
            with Slots(tmp_path, 1, 1, wait=0.2).hold("district 1"):
                pass
    finally:
        holder.kill()
        holder.wait()
    with Slots(tmp_path, 1, 1, wait=2).hold("district 1"):  # the kernel released the killed process's lock
        pass


def _theme(tmp_path) -> Path:
    (tmp_path / "logo.png").write_bytes(LOGO)
    return district_design(tmp_path / "ours.pptx", tmp_path / "logo.png")


# --- Documents in and out, cleaned ------------------------------------------------------------------------------

def _built_with(tmp_path, run, *changes) -> dict[str, bytes]:
    template = tmp_path / "ours.docx"
    data = _template()
    for change in changes:
        data = hostile.rewrite(data, change)
    template.write_bytes(data)
    result = run("build", SAMPLE, "--template", template, "-o", tmp_path / "out", "--format", "docx")
    assert result.exit_code == 0, result.output
    [made] = (tmp_path / "out").glob("*.docx")
    return _parts(made.read_bytes())


def test_a_template_s_links_outside_the_file_and_fields_that_fetch_never_reach_the_plan(tmp_path, run):
    parts = _built_with(tmp_path, run, hostile.linked_picture("http://intranet.example/logo.png"),
                        hostile.remote_attached_template("https://evil.example/macros.dotm"),
                        hostile.links_and_fields("fileserver.example/share", "http://intranet.example/x.png"))
    everything = b"".join(parts.values())
    for planted in (b"intranet.example", b"evil.example", b"fileserver.example", b"DDEAUTO", b"INCLUDEPICTURE",
                    b"attachedTemplate", b"OLEObject"):
        assert planted not in everything, planted
    assert b"https://www.doe.mass.edu/" in parts["word/_rels/document.xml.rels"]  # a plain web link stays
    assert b"kept text" in parts["word/document.xml"]  # a field's shown text stays; its instruction does not
    external = [line for line in parts["word/_rels/document.xml.rels"].split(b"<Relationship ")
                if b'TargetMode="External"' in line]
    assert all(b"https://" in line or b"mailto:" in line for line in external)


def test_a_cleaned_template_still_makes_a_valid_word_file(tmp_path, run):
    _built_with(tmp_path, run, hostile.linked_picture("http://intranet.example/logo.png"),
                hostile.links_and_fields("fileserver.example/share", "http://intranet.example/x.png"))
    assert_valid_office(next((tmp_path / "out").glob("*.docx")))


@pytest.mark.parametrize(("change", "part"), [
    (hostile.macro_project(), "word/vbaProject.bin"),
    (hostile.macro_project("word/media/image9.png", "image/png"), "word/media/image9.png"),
    (hostile.macro_project("word/things.dat", "application/vnd.ms-office.vbaProject"), "word/things.dat"),
    (hostile.activex(), "word/activeX/activeX1.xml"),
])
def test_a_template_holding_code_is_refused_naming_the_part(tmp_path, run, change, part):
    template = tmp_path / "ours.docx"
    template.write_bytes(hostile.rewrite(_template(), change))
    result = run("template", "check", template)
    assert result.exit_code == 1
    assert "holds code docgen never runs" in result.output and part in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_deck_theme_holding_a_macro_project_is_refused(tmp_path):
    theme = _theme(tmp_path)
    theme.write_bytes(hostile.rewrite(theme.read_bytes(), hostile.macro_project("ppt/vbaProject.bin")))
    with pytest.raises(errors.FileRefused, match=r"holds code docgen never runs, in part .*ppt/vbaProject\.bin"):
        pptx_theme.read(theme)


def test_a_deck_theme_s_logo_linked_by_url_is_removed(tmp_path):
    theme = _theme(tmp_path)

    def linked_logo(parts):
        rels = next(n for n in parts if n.startswith("ppt/slideMasters/_rels/"))
        hostile.add_relationship(parts, rels, "rIdLogo", hostile.IMAGE_REL, "http://intranet.example/logo.png")

    theme.write_bytes(hostile.rewrite(theme.read_bytes(), linked_logo))
    base = pptx_theme.read(theme).base
    assert not any(b"intranet.example" in data for data in base.parts.values())


@pytest.mark.parametrize("change", [hostile.huge_png(), hostile.huge_jpeg()])
def test_a_picture_of_more_pixels_than_any_page_needs_is_refused(tmp_path, change):
    path = tmp_path / "ours.docx"
    path.write_bytes(hostile.rewrite(_template(), change))
    with pytest.raises(errors.FileRefused, match=r"holds a picture of 20,000 x 20,000 pixels|30,000 x 30,000") as e:
        package.read(path, package.DOCUMENT)
    assert "word/media/big." in str(e.value)


def test_a_picture_of_ordinary_size_passes(tmp_path):
    path = tmp_path / "ours.docx"
    path.write_bytes(hostile.rewrite(_template(), hostile.huge_png((4000, 3000))))
    assert package.read(path, package.DOCUMENT)


def test_the_guard_reads_every_part_not_only_xml_and_rels(tmp_path):
    path = tmp_path / "ours.docx"
    path.write_bytes(hostile.rewrite(_template(), hostile.xml_bomb_in("word/glossary.dat")))
    with pytest.raises(errors.FileRefused, match=r"entity declarations \(in part word/glossary\.dat\)"):
        package.read(path, package.DOCUMENT)


# --- Fills with bounds ------------------------------------------------------------------------------------------

def _looping_template(tmp_path, loop: str) -> Path:
    import docx

    from .test_templates import _paragraph_with
    path = tmp_path / "loop.docx"
    path.write_bytes(_template())
    document = docx.Document(str(path))
    _paragraph_with(document, "{{ district.org_code }}").runs[0].text = loop
    document.save(str(path))
    return path


def test_a_fill_that_writes_more_than_any_plan_is_stopped_naming_the_tag(tmp_path, run):
    template = _looping_template(tmp_path, "{{ district.org_code }}{% for a in range(99999) %}"
                                           "{{ district.name * 30000 }}{% endfor %}")  # a loop of 1 MB strings
    result = run("build", SAMPLE, "--template", template, "-o", tmp_path / "out", "--format", "docx")
    assert result.exit_code == 1
    assert "filling wrote more than 32 MB" in result.output and "{{ district.name * 30000 }}" in result.output
    assert "word/document.xml" in result.output
    assert not (tmp_path / "out").exists()


def test_a_fill_that_allocates_without_bound_is_stopped_in_its_own_process(tmp_path, run):
    template = _looping_template(tmp_path, "{{ district.org_code }}{{ (district.name * 100000000)|length }}")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = run("build", SAMPLE, "--template", template, "-o", tmp_path / "out", "--format", "docx")
    assert result.exit_code == 1 and "needed more than 1,024 MB of memory and was stopped" in result.output
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 500 * 1024  # KB: never in this process


def test_the_one_time_limit_raises_overtime_an_ordinary_docgen_error(tmp_path):
    with pytest.raises(errors.OverTime) as stopped:
        limits.call(time.sleep, (30,), seconds=0.5, what="sleeping")
    assert isinstance(stopped.value, errors.DocgenError) and not isinstance(stopped.value, KeyboardInterrupt)
    assert str(stopped.value) == "sleeping took longer than 0.5 seconds and was stopped"
    assert stopped.value.seconds == 0.5


def test_every_docgen_error_crosses_processes_whole():
    problems = errors.TemplateProblems("t.docx", ["one", "two"])
    again = pickle.loads(pickle.dumps(problems))
    assert type(again) is errors.TemplateProblems and again.problems == ["one", "two"] and str(again) == str(problems)
    busy = pickle.loads(pickle.dumps(errors.ServerBusy("busy")))
    assert busy.status == 503 and str(busy) == "busy"


def test_a_chart_s_embedded_workbook_is_not_code():
    parts = hostile.rewrite(_template(), hostile.macro_project(
        "word/embeddings/Microsoft_Excel_Worksheet.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    parts = _parts(parts)
    parts["word/embeddings/Microsoft_Excel_Worksheet.xlsx"] = b"PK\x03\x04 a workbook"
    scrub.refuse_active("ours.docx", parts, "Word")  # nothing raised
    parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    with pytest.raises(errors.FileRefused, match="oleObject1.bin"):
        scrub.refuse_active("ours.docx", parts, "Word")
