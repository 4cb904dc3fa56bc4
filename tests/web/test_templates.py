"""A district's own Word plan template and a region's letterhead in the web app (issue 23, docs/templates.md).

A district uploads a template made with `docgen template new` on its home
page: check runs at once and names every problem by paragraph, or the
template is in use and every Word plan download is filled into it. A
consultant or an administrator does the same with the region's letterhead.
"""

from __future__ import annotations

import email
import io
import tempfile
import zipfile

import docx
import pytest

from docgen import api
from docgen.web.services import templates
from docgen.web.storage import accounts, plans

from ..conftest import assert_valid_office, docx_lines
from .test_consultant import finished_job

ADDED = "A message from our superintendent: every plan is our own."
LETTERHEAD = "Southeast Regional SSoS Team, 75 Pleasant Street, Malden"
STATEMENT = "Every student in grades 3-8, and especially students with disabilities and English learners"


def _paragraph_with(document, text):
    paragraphs = [*document.paragraphs, *(p for t in document.tables for r in t.rows for c in r.cells
                                          for p in c.paragraphs)]
    return next(p for p in paragraphs if text in p.text)


def _template(tmp_path, change=None, letter=False):
    """Return `docgen template new` (--letter) as bytes, a line of the district's own on top, then ``change``."""
    path = api.new_template(tmp_path / ("letterhead.docx" if letter else "ours.docx"), for_letter=letter, force=True)
    document = docx.Document(str(path))
    document.paragraphs[0].insert_paragraph_before(LETTERHEAD if letter else ADDED)
    if change:
        change(document)
    document.save(str(path))
    return path.read_bytes()


def _upload(client, url, data, name="ours.docx"):
    return client.post(url, files={"template": (name, data, "application/octet-stream")})


def _text(data: bytes) -> str:
    """Return a downloaded Word file's text, in reading order (the tests' docx_lines reads a file)."""
    with tempfile.NamedTemporaryFile(suffix=".docx") as file:
        file.write(data)
        file.flush()
        return "\n".join(docx_lines(file.name))


def test_a_district_uploads_its_template_and_its_word_plan_is_filled_into_it(app, client_for, tmp_path):
    client, a = client_for("district_a"), app.state.districts["a"].id
    assert "The Word plan is in docgen's own layout" in client.get(f"/districts/{a}").text
    data = _template(tmp_path)
    answer = _upload(client, f"/districts/{a}/template", data)
    assert answer.status_code == 303 and answer.headers["location"] == f"/districts/{a}"
    home = client.get(f"/districts/{a}").text
    assert "Your template is in use: ours.docx" in home and f"/districts/{a}/template.docx" in home
    assert client.get(f"/districts/{a}/template.docx").content == data  # downloaded back as it was uploaded
    plan = client.get(f"/districts/{a}/download/docx")
    assert plan.status_code == 200, plan.text
    text = _text(plan.content)
    assert ADDED in text and STATEMENT in text and "Cranberry Harbor Public Schools" in text and "{{" not in text
    (tmp_path / "filled.docx").write_bytes(plan.content)
    assert_valid_office(tmp_path / "filled.docx")
    own = client.get(f"/districts/{a}/download/docx?layout=docgen")
    assert ADDED not in _text(own.content) and STATEMENT in _text(own.content)
    assert client.post(f"/districts/{a}/template/remove").status_code == 303
    assert ADDED not in _text(client.get(f"/districts/{a}/download/docx").content)
    assert "The Word plan is in docgen's own layout" in client.get(f"/districts/{a}").text


def test_a_bad_template_is_not_used_and_each_problem_is_named_by_paragraph(app, client_for, tmp_path):
    client, a = client_for("district_a"), app.state.districts["a"].id

    def typos(document):
        for run in _paragraph_with(document, "{{ district.name }}").runs:
            run.text = run.text.replace("{{ district.name }}", "{{ district.nmae }}")
        for run in _paragraph_with(document, "{{ district.org_code }}").runs:
            run.text = run.text.replace("{{ district.org_code }}", "{% if district.org_code %}")

    answer = _upload(client, f"/districts/{a}/template", _template(tmp_path, typos))
    assert answer.status_code == 422
    assert "ours.docx is not in use" in answer.text and "2 problems" in answer.text
    assert "did you mean &#39;name&#39;?" in answer.text and "paragraph" in answer.text
    assert "The Word plan is in docgen's own layout" in client.get(f"/districts/{a}").text
    assert ADDED not in _text(client.get(f"/districts/{a}/download/docx").content)


def test_an_upload_that_is_no_word_template_is_refused_like_a_workbook(app, client_for, tmp_path):
    client, a = client_for("district_a"), app.state.districts["a"].id
    answer = _upload(client, f"/districts/{a}/template", b"not a zip", name="ours.docm")
    assert answer.status_code == 303
    assert "Choose a file ending in .docx; &#39;ours.docm&#39; is not one" in client.get(f"/districts/{a}").text
    answer = _upload(client, f"/districts/{a}/template", b"not a zip")
    assert answer.status_code == 303 and "The Word plan is in docgen's own layout" in client.get(f"/districts/{a}").text


def test_a_template_that_leaves_out_a_filled_field_offers_docgens_own_layout(app, client_for, tmp_path):
    client, a = client_for("district_a"), app.state.districts["a"].id

    def drop_the_code(document):
        for run in _paragraph_with(document, "{{ district.org_code }}").runs:
            run.text = run.text.replace("{{ district.org_code }}", "")

    answer = _upload(client, f"/districts/{a}/template", _template(tmp_path, drop_the_code))
    assert answer.status_code == 303
    assert "It never shows district.org_code" in client.get(f"/districts/{a}").text
    refused = client.get(f"/districts/{a}/download/docx")
    assert refused.status_code == 422
    assert "the template never shows district.org_code" in refused.text
    assert f"/districts/{a}/download/docx?layout=docgen" in refused.text
    own = client.get(f"/districts/{a}/download/docx?layout=docgen")
    assert own.status_code == 200 and "09990000" in _text(own.content)


def test_a_template_that_never_stops_filling_is_stopped_with_a_clear_message(app, client_for, tmp_path, monkeypatch):
    monkeypatch.setattr(templates, "FILL_SECONDS", 1)
    client, a = client_for("district_a"), app.state.districts["a"].id

    def loop(document):
        _paragraph_with(document, "{{ district.org_code }}").runs[0].text = (
            "{% for a in range(99999) %}{% for b in range(99999) %}{{ district.org_code }}{% endfor %}{% endfor %}")

    assert _upload(client, f"/districts/{a}/template", _template(tmp_path, loop)).status_code == 303
    answer = client.get(f"/districts/{a}/download/docx")
    assert answer.status_code == 422
    assert "filling took longer than 1 seconds and was stopped; look for a loop in the template" in answer.text
    assert "layout=docgen" in answer.text


def test_the_submitted_email_draft_carries_the_plan_in_the_districts_template(app, client_for, tmp_path):
    client, a = client_for("district_a"), app.state.districts["a"].id
    assert _upload(client, f"/districts/{a}/template", _template(tmp_path)).status_code == 303
    assert client.post(f"/districts/{a}/submit").status_code == 303
    draft = email.message_from_bytes(client.get(f"/districts/{a}/download/eml").content)
    attached = next(p for p in draft.walk() if (p.get_filename() or "").endswith(".docx"))
    assert ADDED in _text(attached.get_payload(decode=True))


def _submitted(app):
    db = app.state.site.db
    plans.submit(db, plans.plan_row(db, app.state.districts["a"].id, "fy26"),
                 accounts.user_by_email(db, "a@cranberry.example.org").id)


def test_a_consultant_sets_the_regions_letterhead_and_every_letter_of_the_region_uses_it(app, client_for, tmp_path):
    _submitted(app)
    client, a = client_for("consultant_a"), app.state.districts["a"].id
    assert "Letters are in docgen's own layout" in client.get("/region").text
    answer = _upload(client, "/regions/Southeast/letter-template", _template(tmp_path, letter=True), "letterhead.docx")
    assert answer.status_code == 303 and answer.headers["location"] == "/region"
    assert "Your template is in use: letterhead.docx" in client.get("/region").text
    letter = client.get(f"/districts/{a}/review/letter.docx")
    assert letter.status_code == 200, letter.text
    text = _text(letter.content)
    assert LETTERHEAD in text and "Dear" in text and "Cranberry Harbor Public Schools" in text
    (tmp_path / "letter.docx").write_bytes(letter.content)
    assert_valid_office(tmp_path / "letter.docx")
    assert LETTERHEAD not in _text(client.get(f"/districts/{a}/review/letter.docx?layout=docgen").content)
    assert "Letter template of Southeast" in client_for("admin").get("/admin/districts").text


@pytest.mark.parametrize("role, status", [("consultant_b", 403), ("district_a", 403), ("admin", 303)])
def test_only_the_regions_consultants_and_administrators_set_its_letterhead(app, client_for, tmp_path, role, status):
    answer = _upload(client_for(role), "/regions/Southeast/letter-template", _template(tmp_path, letter=True))
    assert answer.status_code == status
    used = client_for("consultant_a").get("/region").text
    assert ("Your template is in use" in used) == (status == 303)


def test_a_district_user_cannot_upload_another_districts_template(app, client_for, tmp_path):
    b = app.state.districts["b"].id
    assert _upload(client_for("district_a"), f"/districts/{b}/template", _template(tmp_path)).status_code == 404
    assert _upload(client_for("consultant_a"), f"/districts/{app.state.districts['a'].id}/template",
                   _template(tmp_path)).status_code == 403


def test_download_all_fills_the_districts_template_and_the_regions_letterhead(app, client_for, tmp_path):
    district, a = client_for("district_a"), app.state.districts["a"].id
    assert _upload(district, f"/districts/{a}/template", _template(tmp_path)).status_code == 303
    _submitted(app)
    consultant = client_for("consultant_a")
    letterhead = _template(tmp_path, letter=True)
    assert _upload(consultant, "/regions/Southeast/letter-template", letterhead).status_code == 303
    job = consultant.post("/region/download-all").headers["location"]
    progress = finished_job(consultant, job)
    assert "Ready: 1 plans built" in progress
    archive = zipfile.ZipFile(io.BytesIO(consultant.get(f"{job}/download").content))
    plan = next(n for n in archive.namelist() if n.endswith("Plan.docx"))
    letter = next(n for n in archive.namelist() if n.endswith("Letter.docx"))
    assert ADDED in _text(archive.read(plan)) and STATEMENT in _text(archive.read(plan))
    assert LETTERHEAD in _text(archive.read(letter))


def _stored(app) -> list[str]:
    """Return the template files kept under the data folder, by name (the folders left, too, as 'folder/')."""
    folder = app.state.site.data / "uploads" / "templates"
    return sorted(f"{p.relative_to(folder)}{'/' if p.is_dir() else ''}" for p in folder.rglob("*")) \
        if folder.is_dir() else []


def test_only_the_plan_template_in_use_is_kept_on_disk(app, client_for, tmp_path):
    client, a = client_for("district_a"), app.state.districts["a"].id
    first = _template(tmp_path)
    assert _upload(client, f"/districts/{a}/template", first).status_code == 303
    in_use = templates.path_of(app.state.site.db, app.state.site.data, "plan", str(a))
    cached = app.state.site.data / "cache" / str(a) / f"fy26-v1-docx{templates.pdf_design(in_use)}-ua.pdf"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"%PDF- made with the first template")
    second = _template(tmp_path, lambda d: d.paragraphs[0].insert_paragraph_before("Our second design"))
    assert _upload(client, f"/districts/{a}/template", second).status_code == 303  # same name, same second
    assert len(_stored(app)) == 3 and _stored(app)[-1].endswith("/ours.docx")  # one folder, one file
    assert client.get(f"/districts/{a}/template.docx").content == second
    assert not in_use.exists() and not in_use.parent.exists() and not cached.exists()
    assert "Our second design" in _text(client.get(f"/districts/{a}/download/docx").content)
    assert client.post(f"/districts/{a}/template/remove").status_code == 303
    assert _stored(app) == []
    assert client.get(f"/districts/{a}/template.docx").status_code == 404


def test_a_refused_replacement_keeps_the_template_in_use_on_disk(app, client_for, tmp_path):
    client, a = client_for("district_a"), app.state.districts["a"].id
    data = _template(tmp_path)
    assert _upload(client, f"/districts/{a}/template", data).status_code == 303
    kept = _stored(app)

    def typo(document):
        for run in _paragraph_with(document, "{{ district.name }}").runs:
            run.text = run.text.replace("{{ district.name }}", "{{ district.nmae }}")

    assert _upload(client, f"/districts/{a}/template", _template(tmp_path, typo)).status_code == 422
    assert _upload(client, f"/districts/{a}/template", b"not a zip").status_code == 303
    assert _stored(app) == kept and client.get(f"/districts/{a}/template.docx").content == data
    assert ADDED in _text(client.get(f"/districts/{a}/download/docx").content)


def test_only_the_letter_template_in_use_is_kept_on_disk(app, client_for, tmp_path):
    client = client_for("consultant_a")
    url = "/regions/Southeast/letter-template"
    assert _upload(client, url, _template(tmp_path, letter=True), "letterhead.docx").status_code == 303
    first = _stored(app)
    second = _template(tmp_path, lambda d: d.paragraphs[0].insert_paragraph_before("New letterhead"), letter=True)
    assert _upload(client, url, second, "letterhead 2026.docx").status_code == 303
    assert len(_stored(app)) == 3 and _stored(app)[-1].endswith("/letterhead 2026.docx") and _stored(app) != first
    assert client.get(f"{url}.docx").content == second
    assert client.post(f"{url}/remove").status_code == 303
    assert _stored(app) == []
