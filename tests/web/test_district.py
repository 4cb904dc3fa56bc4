"""A district's plan in the web app: the form from the spec, autosave, tables, uploads, imports, versions, submit."""

from __future__ import annotations

import email as email_module
import io
import re
from dataclasses import fields
from email import policy as email_policy
from urllib.parse import quote

import docx
import openpyxl
import pytest

from docgen import api, variants
from docgen.model.plan import PRIORITY_TABLES
from docgen.read import plan_edits
from docgen.web.services import workflow
from docgen.web.storage import plans

from ..conftest import GOLDEN, ROOT, SAMPLE, docx_lines, soffice_or_skip
from ..test_render import pdf_text


def district_id(app, which: str) -> int:
    return app.state.districts[which].id


def save(client, district: int, name: str, value: str):
    """Save a field as the page does after it was opened (a save that says no version is refused otherwise)."""
    if district not in getattr(client, "opened", set()):
        client.get(f"/districts/{district}/plan")
        client.opened = {*getattr(client, "opened", set()), district}
    return client.post(f"/districts/{district}/plan/save", data={"name": name, "value": value})


def test_the_form_holds_every_prompt_and_tip_word_for_word(app, client_for):
    page = client_for("district_a").get(f"/districts/{district_id(app, 'a')}/plan").text
    text = re.sub(r"\s+", " ", page.replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&"))
    for line in (GOLDEN / "fy26_guidance_prompts.txt").read_text(encoding="utf-8").splitlines():
        assert line.strip() in text, line[:80]


def test_every_field_has_a_label_tied_to_it(app, client_for):
    page = client_for("district_a").get(f"/districts/{district_id(app, 'a')}/plan").text
    controls = re.findall(r'<(?:textarea|select|input)[^>]*\bdata-autosave\b[^>]*>', page)
    assert len(controls) > 60
    for control in controls:
        ident = re.search(r'id="([^"]+)"', control).group(1)
        assert f'for="{ident}"' in page or "aria-label=" in control, control[:120]


def test_a_save_is_a_version_and_check_runs_after_it(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    answer = save(client, a, "p1.subject", "")
    assert answer.status_code == 200 and answer.json()["version"] == 2
    assert any("subject" in f["message"] for f in answer.json()["findings"])  # the rule that wants a subject
    assert answer.json()["findings"][0]["id"].startswith("f-")
    answer = save(client, a, "p1.subject", "Mathematics and science")
    assert answer.json()["version"] == 2 and answer.json()["errors"] == 0  # the same editing session
    save(client, a, "p1.equity_gaps", "Gaps")
    listed = client.get(f"/districts/{a}/versions").text
    assert "a@cranberry.example.org" in listed and ">2<" in listed.replace(" ", "")
    assert "edited in the form: Priority 1: subject, equity gaps" in listed


def test_a_session_ends_after_a_pause_or_when_someone_else_saves(app, client_for):
    from docgen.web.storage import audit

    client, a, db = client_for("district_a"), district_id(app, "a"), app.state.site.db
    for n in range(5):
        assert save(client, a, "p1.subject", "Algebra" + "!" * n).json()["version"] == 2
    assert [e["detail"] for e in audit.entries(db, action="changed the plan")] == [
        "an editing session in the form, from p1.subject (version 2)"]  # one audit line for the session
    with db.transaction() as c:  # eleven minutes pass
        c.execute("UPDATE versions SET updated_at = '2020-01-01T00:00:00+00:00' WHERE number = 2")
    assert save(client, a, "p1.subject", "Mathematics").json()["version"] == 3
    variant = workflow.current_variant()
    plans.change(db, plans.plan_row(db, a, "fy26"), lambda p: plan_edits.apply(p, variant, "p1.grades", "K-5"),
                 workflow.summarize, "form", None)  # someone else saves
    assert save(client, a, "p1.subject", "Mathematics!").json()["version"] == 5  # after another's save: a new one


@pytest.mark.parametrize("name, value, message", [
    ("p1.direction", "Recomit", "must be one of: Recommit, Adjust, Change direction; got 'Recomit'"),
    ("district.contact_email", "x,bcc:evil@attacker.example", "must be one email address"),
    ("p1.statement", "x" * 40_000, "at most 32,767"),
    ("p3.statement", "x", "at most 2 priorities"),
    ("nothing.here", "x", "no such field"),
])
def test_a_value_the_workbook_would_refuse_is_refused_naming_the_field(app, client_for, name, value, message):
    answer = save(client_for("district_a"), district_id(app, "a"), name, value)
    assert answer.status_code == 422 and message in answer.json()["message"]


def test_rows_are_added_and_removed_and_a_second_priority_added(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    added = client.post(f"/districts/{a}/plan/rows", data={"table": "benchmarks", "number": "1", "action": "add"})
    assert added.status_code == 200 and 'name="p1.benchmarks[3].benchmark"' in added.text
    assert save(client, a, "p1.benchmarks[3].benchmark", "Fourth benchmark").status_code == 200
    removed = client.post(f"/districts/{a}/plan/rows",
                          data={"table": "benchmarks", "number": "1", "action": "remove", "index": "0"})
    assert "Fourth benchmark" in removed.text and 'name="p1.benchmarks[3].benchmark"' not in removed.text
    assert client.post(f"/districts/{a}/plan/priorities", data={"action": "add"}).status_code == 303
    page = client.get(f"/districts/{a}/plan").text
    assert 'id="priority-2"' in page and 'name="p2.statement"' in page


def test_a_plan_typed_only_in_the_form_builds_the_same_word_plan_as_the_workbook(app, client_for, tmp_path):
    """Every answer of the sample, typed field by field into an empty plan, gives the sample's DOCX text."""
    client, b = client_for("district_b"), district_id(app, "b")
    sample = api.read_plan(SAMPLE)
    values = {f"district.{k.name}": getattr(sample.district, k.name) for k in fields(sample.district)
              if k.name != "name"}
    values |= {f"answers.{k}": v for k, v in sample.answers.items()}
    for table in ("schools", "curricula"):
        for i, row in enumerate(getattr(sample, table)):
            client.post(f"/districts/{b}/plan/rows", data={"table": table, "action": "add"})
            values |= {f"{table}[{i}].{k.name}": getattr(row, k.name) for k in fields(row)}
    for priority in sample.priorities:
        n = priority.number
        values |= {f"p{n}.{k}": v for k, v in priority.answers.items()}
        for table in PRIORITY_TABLES:
            for i, row in enumerate(getattr(priority, table)):
                client.post(f"/districts/{b}/plan/rows", data={"table": table, "number": str(n), "action": "add"})
                values |= {f"p{n}.{table}[{i}].{k.name}": getattr(row, k.name) for k in fields(row)}
    for name, value in values.items():
        if name == "district.date":
            value = "2025-06-20"  # what the date input sends
        assert save(client, b, name, value).status_code == 200, name
    web = client.get(f"/districts/{b}/download/docx").content
    built = api.plan_files(sample, variants.load("fy26"), ("docx",))
    (tmp_path / "web.docx").write_bytes(web)
    (tmp_path / "workbook.docx").write_bytes(next(iter(built.values())))
    from_web = [line.replace("Beacon Falls Public Schools", "Cranberry Harbor Public Schools")
                for line in docx_lines(tmp_path / "web.docx")]
    assert from_web == docx_lines(tmp_path / "workbook.docx")


def test_web_to_workbook_to_web_loses_nothing(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    save(client, a, "p1.statement", "- First line with {{ braces }} & <tags>\n  - nested\n1. numbered =SUM(A1)")
    workbook = client.get(f"/districts/{a}/download/xlsx").content
    before = plans.load_version(app.state.site.db, plans.plan_row(app.state.site.db, a, "fy26"))
    answer = client.post(f"/districts/{a}/upload", files={"workbook": ("round-trip.xlsx", workbook)})
    assert answer.status_code == 303
    after = plans.load_version(app.state.site.db, plans.plan_row(app.state.site.db, a, "fy26"))
    assert after == before


def test_an_uploaded_workbook_with_problems_lists_them_by_sheet_and_cell(app, client_for, tmp_path):
    wb = openpyxl.load_workbook(SAMPLE)
    wb["Schools"]["D5"] = "Focused"
    wb["Priority 1"]["D10"] = "a note"
    data = io.BytesIO()
    wb.save(data)
    client, a = client_for("district_a"), district_id(app, "a")
    answer = client.post(f"/districts/{a}/upload", files={"workbook": ("ours.xlsx", data.getvalue())})
    assert answer.status_code == 400
    assert "<td>Schools</td><td>D5</td>" in answer.text and "<td>Priority 1</td><td>D10</td>" in answer.text
    assert "got &#39;Focused&#39;" in answer.text
    assert plans.plan_row(app.state.site.db, a, "fy26").latest == 1  # nothing saved


def test_an_upload_that_is_no_workbook_or_too_large_is_refused(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    answer = client.post(f"/districts/{a}/upload", files={"workbook": ("plan.xlsx", b"just text")},
                         follow_redirects=True)
    assert "is not an Excel workbook (.xlsx)" in answer.text
    answer = client.post(f"/districts/{a}/upload", files={"workbook": ("big.xlsx", b"0" * (12 * 2**20))})
    assert answer.status_code == 413  # refused before it is read; the page itself says so before uploading
    page = client.get(f"/districts/{a}").text
    assert 'data-max-bytes="10485760"' in page


def test_last_years_word_plan_imports_and_says_what_moved(app, client_for):
    client, b = client_for("district_b"), district_id(app, "b")
    last_year = api.plan_files(api.example_plan("fy25"), variants.load("fy25"), ("docx",))
    answer = client.post(f"/districts/{b}/import", files={"document": ("2024-25 plan.docx",
                                                                       next(iter(last_year.values())))})
    assert answer.status_code == 200 and "2024-25 plan.docx is in this year's plan" in answer.text
    assert "To fill in" in answer.text
    assert "Priority 1: &#39;This year the district will&#39;: choose again for this year" in answer.text
    plan = plans.load_version(app.state.site.db, plans.plan_row(app.state.site.db, b, "fy26"))
    assert plan.variant == "fy26" and plan.priorities[0].answer("statement")
    assert plan.district.name == "Beacon Falls Public Schools"  # the account's district, whatever the file says


def test_versions_can_be_restored(app, client_for):
    from .test_replacing import confirm

    client, a = client_for("district_a"), district_id(app, "a")
    original = plans.load_version(app.state.site.db, plans.plan_row(app.state.site.db, a, "fy26"))
    save(client, a, "p1.statement", "A rewrite we regret")
    assert confirm(client, client.post(f"/districts/{a}/versions/1/restore")).status_code == 303  # asked first
    row = plans.plan_row(app.state.site.db, a, "fy26")
    assert row.latest == 3 and plans.load_version(app.state.site.db, row) == original


def test_submit_only_without_errors_freezes_the_version_and_offers_the_email(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    save(client, a, "district.date", "")
    client.post(f"/districts/{a}/submit")
    assert plans.plan_row(app.state.site.db, a, "fy26").status == "draft"  # an error remains: not submitted
    save(client, a, "district.date", "June 26, 2025")
    assert client.post(f"/districts/{a}/submit").status_code == 303
    row = plans.plan_row(app.state.site.db, a, "fy26")
    assert row.status == "submitted" and row.submitted_at
    assert save(client, a, "p1.subject", "ELA").status_code == 409  # frozen
    email = client.get(f"/districts/{a}/download/eml")
    assert email.status_code == 200 and b"To: ssos1@mass.gov" in email.content
    for attach, suffixes in (("docx", [".docx"]), ("pptx", [".pptx"]), ("both", [".docx", ".pptx"])):
        sent = client.get(f"/districts/{a}/download/eml", params={"attach": attach})
        message = email_module.message_from_bytes(sent.content, policy=email_policy.default)
        assert sorted(part.get_filename()[-5:] for part in message.iter_attachments()) == suffixes
    assert client.get(f"/districts/{a}/download/eml", params={"attach": "xlsx"}).status_code == 404
    assert client.post(f"/districts/{a}/reopen").status_code == 303
    assert save(client, a, "p1.subject", "ELA").status_code == 200
    assert plans.plan_row(app.state.site.db, a, "fy26").status == "draft"


def test_downloads_are_the_documents_docgen_builds(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    word = client.get(f"/districts/{a}/download/docx")
    assert word.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
    assert "Cranberry%20Harbor%20Public%20Schools%20FY26%20Instructional%20Prioritization%20Plan.docx" in \
        word.headers["content-disposition"]
    document = docx.Document(io.BytesIO(word.content))
    assert document.core_properties.title == "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan"
    expected = api.plan_files(api.example_plan(), variants.load("fy26"), ("docx", "pptx"))
    assert word.content in expected.values()
    assert client.get(f"/districts/{a}/download/pptx").content in expected.values()


def test_pdf_downloads_are_made_by_libreoffice_once_and_kept(app, client_for, tmp_path):
    soffice_or_skip()
    client, a = client_for("district_a"), district_id(app, "a")
    for kind, name in (("docx.pdf", "Plan.pdf"), ("pptx.pdf", "Plan (slides).pdf")):
        answer = client.get(f"/districts/{a}/download/{kind}")
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
        assert answer.content.startswith(b"%PDF") and quote(name) in answer.headers["content-disposition"]
        (tmp_path / name).write_bytes(answer.content)
        assert "Cranberry Harbor Public Schools" in pdf_text(tmp_path / name)
        assert client.get(f"/districts/{a}/download/{kind}").content == answer.content  # from the cache


def test_the_pages_send_security_headers_and_safe_cookies(app, client_for):
    client = client_for("nobody")
    page = client.get("/login")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    signed_in = client_for("district_a")
    cookie = next(c for c in signed_in.cookies.jar if c.name == "docgen_session")
    assert cookie.has_nonstandard_attr("HttpOnly") or "httponly" in {k.lower() for k in cookie._rest}
    assert "<script>" not in signed_in.get(f"/districts/{district_id(app, 'a')}/plan").text  # no inline script


def test_a_form_without_its_csrf_token_is_refused(app, client_for):
    client = client_for("district_a")
    client.token = "forged"
    answer = client.post(f"/districts/{district_id(app, 'a')}/plan/save", data={"name": "p1.subject", "value": "x"})
    assert answer.status_code == 403 and "expired" in answer.text


def test_sign_in_attempts_are_limited_per_account(app, client_for):
    client = client_for("nobody")
    for _ in range(5):
        client.post("/login", data={"email": "a@cranberry.example.org", "password": "wrong"})
    answer = client.post("/login", data={"email": "a@cranberry.example.org",
                                         "password": "correct horse battery staple"})
    assert answer.status_code == 401 and "Too many attempts" in answer.text


def test_district_text_is_shown_as_text(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    save(client, a, "p1.statement", '<script>alert("x")</script> {{ 7*7 }}')
    for path in ("/plan", "/preview"):
        page = client.get(f"/districts/{a}{path}").text
        assert '<script>alert("x")</script>' not in page and "&lt;script&gt;" in page and "{{ 7*7 }}" in page


def test_a_workbook_from_the_sample_uploads(app, client_for):
    client, b = client_for("district_b"), district_id(app, "b")
    answer = client.post(f"/districts/{b}/upload", files={"workbook": ("ours.xlsx", (ROOT / "data" /
                                                                                      "cranberry-harbor.xlsx").read_bytes())})
    assert answer.status_code == 303
    plan = plans.load_version(app.state.site.db, plans.plan_row(app.state.site.db, b, "fy26"))
    assert plan.district.name == "Beacon Falls Public Schools" and len(plan.schools) == 3


def test_saves_at_once_never_lose_each_others_change(app, client_for):
    from concurrent.futures import ThreadPoolExecutor

    client, a = client_for("district_a"), district_id(app, "a")
    names = ["p1.statement", "p1.desired_impact", "p1.equity_gaps", "p1.outcomes_district", "p1.systemic_headlines",
             "p1.stakeholder_input", "p1.district_actions", "p1.school_actions", "p1.classroom_actions",
             "p1.funding"]
    with ThreadPoolExecutor(len(names)) as pool:
        answers = list(pool.map(lambda name: save(client, a, name, f"typed at once into {name}"), names))
    assert [r.status_code for r in answers] == [200] * len(names)
    assert {r.json()["version"] for r in answers} == {2}  # one person's saves: one editing session's version
    plan = plans.load_version(app.state.site.db, plans.plan_row(app.state.site.db, a, "fy26"))
    assert all(plan.priorities[0].answer(n.split(".")[1]) == f"typed at once into {n}" for n in names)


def test_a_district_beyond_its_quota_of_saved_versions_is_told_and_nothing_is_lost(app, client_for):
    client, a, db = client_for("district_a"), district_id(app, "a"), app.state.site.db
    db.set_setting("version_quota_mb", "0.001")  # about a kilobyte: the sample's one version is beyond it
    refused = save(client, a, "p1.subject", "Science")
    assert refused.status_code == 507
    assert "saved versions have reached their quota (0.001 MB)" in refused.json()["message"]
    assert plans.plan_row(db, a, "fy26").latest == 1
    db.set_setting("version_quota_mb", "25")
    assert save(client, a, "p1.subject", "Science").json()["version"] == 2
