"""Uploads are bounded: a refused one is not kept, a district has a quota and keeps its newest, an account has a
rate limit, and a nearly full disk refuses uploads and PDFs while typed text still saves."""

from __future__ import annotations

from docgen.web.app import create_app
from docgen.web.services import files

from .test_district import district_id, save


def stored(app, district: int) -> list[str]:
    """Return the names of the files kept under the district's uploads folder."""
    folder = app.state.site.data / "uploads" / str(district)
    return sorted(f.name for f in folder.rglob("*") if f.is_file()) if folder.exists() else []


def test_a_refused_upload_leaves_nothing_under_uploads(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    answer = client.post(f"/districts/{a}/upload", files={"workbook": ("plan.xlsx", b"just text")},
                         follow_redirects=True)
    assert "is not an Excel workbook (.xlsx)" in answer.text
    answer = client.post(f"/districts/{a}/import", files={"document": ("plan.docx", b"just text")},
                         follow_redirects=True)
    assert answer.status_code == 200
    uploads = app.state.site.data / "uploads"
    assert not uploads.exists() or not any(uploads.rglob("*.*"))  # no file and no folder left behind
    assert not (uploads / str(a)).exists() or not any((uploads / str(a)).iterdir())


def test_only_the_newest_uploads_of_a_district_are_kept(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    app.state.site.uploads_kept = 2
    workbook = client.get(f"/districts/{a}/download/xlsx").content
    for n in (1, 2, 3):
        answer = client.post(f"/districts/{a}/upload", files={"workbook": (f"plan {n}.xlsx", workbook)})
        assert answer.status_code == 303
    assert stored(app, a) == ["plan 2.xlsx", "plan 3.xlsx"]


def test_an_upload_over_the_districts_quota_is_refused_and_not_stored(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    app.state.site.upload_quota_mb = 1
    answer = client.post(f"/districts/{a}/upload", files={"workbook": ("big.xlsx", b"0" * (2**20 + 1))})
    assert answer.status_code == 507
    assert "this district&#39;s uploads may take 1 MB" in answer.text and "raise the quota" in answer.text
    assert stored(app, a) == []


def test_too_many_uploads_in_a_minute_answer_429(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    app.state.site.upload_pace = files.UploadPace(app.state.site.db, limit=3)
    for _ in range(3):
        answer = client.post(f"/districts/{a}/upload", files={"workbook": ("plan.xlsx", b"just text")})
        assert answer.status_code == 303  # refused as no workbook, but counted
    answer = client.post(f"/districts/{a}/upload", files={"workbook": ("plan.xlsx", b"just text")})
    assert answer.status_code == 429 and "wait a minute, then upload again" in answer.text
    other = client_for("district_b").post(f"/districts/{district_id(app, 'b')}/upload",
                                          files={"workbook": ("plan.xlsx", b"just text")})
    assert other.status_code == 303  # another account has its own count


def test_a_nearly_full_disk_refuses_uploads_and_pdfs_but_saves_typed_text(app, client_for, monkeypatch):
    client, a = client_for("district_a"), district_id(app, "a")
    monkeypatch.setattr(files, "free_bytes", lambda folder: files.FREE_FLOOR_BYTES - 1)
    workbook = client.get(f"/districts/{a}/download/xlsx").content
    answer = client.post(f"/districts/{a}/upload", files={"workbook": ("plan.xlsx", workbook)})
    assert answer.status_code == 507 and "disk is nearly full" in answer.text
    assert stored(app, a) == []
    answer = client.get(f"/districts/{a}/download/docx.pdf")
    assert answer.status_code == 507 and "disk is nearly full" in answer.text
    answer = save(client, a, "p1.subject", "Mathematics")
    assert answer.status_code == 200 and answer.json()["ok"] is not False


def test_the_quota_serve_was_given_reaches_every_workers_site(app):
    site = app.state.site
    assert site.upload_quota_mb == files.UPLOAD_QUOTA_MB == 200
    site.db.set_setting("upload_quota_mb", "50")  # what docgen serve --upload-quota-mb 50 keeps
    assert create_app(site.data).state.site.upload_quota_mb == 50
