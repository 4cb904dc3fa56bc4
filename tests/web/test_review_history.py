"""The review belongs to the plan's history: a district that reopens and resubmits never takes the review away."""

from __future__ import annotations

import io

import docx
from playwright.sync_api import expect

from docgen import api
from docgen.web.auth import hash_password
from docgen.web.storage import accounts, plans, reviews
from docgen.web.storage.db import Database

from .conftest import free_port, kill, seed_plan, start
from .test_consultant import submit
from .test_district import district_id, save

SUMMARY = "A focused plan with clear targets."


def _letter_text(answer) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(answer.content)).paragraphs)


def test_the_review_stays_through_a_reopen_and_carries_to_the_resubmitted_version(app, client_for):
    district = submit(app, client_for)
    consultant, a = client_for("consultant_a"), district_id(app, "a")
    consultant.post(f"/districts/{a}/review/save", data={"name": "review.summary", "value": SUMMARY})
    assert district.post(f"/districts/{a}/reopen").status_code == 303
    reopened = consultant.get(f"/districts/{a}/review")
    assert reopened.status_code == 200 and SUMMARY in reopened.text
    assert "The district reopened its plan to make changes" in reopened.text
    save(district, a, "p1.subject", "Mathematics and science")
    assert district.post(f"/districts/{a}/submit").status_code == 303
    db, row = app.state.site.db, plans.plan_row(app.state.site.db, a, "fy26")
    resubmitted = plans.open_submission(db, row.id)["number"]
    page = consultant.get(f"/districts/{a}/review").text
    assert SUMMARY in page and "This review was written on version 1" in page
    assert f'href="/districts/{a}/compare?from=1&amp;to={resubmitted}"' in page
    changes = consultant.get(f"/districts/{a}/compare?from=1&to={resubmitted}").text
    assert "science</ins>" in changes.replace("<ins> and ", "<ins>and ")
    consultant.post(f"/districts/{a}/review/save", data={"name": "review.sections.priority.strengths",
                                                         "value": "Names its students."})
    carried, carried_row = reviews.load_review(db, row.id, resubmitted)
    assert carried.summary == SUMMARY and carried.sections["priority"].strengths == "Names its students."
    assert carried_row["written_on"] == 1
    first, _ = reviews.load_review(db, row.id, 1)
    assert first.summary == SUMMARY and "priority" not in first.sections  # the first version's review as it was


def test_a_sent_letter_is_never_rewritten(app, client_for):
    submit(app, client_for)
    consultant, a = client_for("consultant_a"), district_id(app, "a")
    consultant.post(f"/districts/{a}/review/save", data={"name": "review.summary", "value": SUMMARY})
    assert consultant.post(f"/districts/{a}/review/sent").status_code == 303
    consultant.post(f"/districts/{a}/review/save", data={"name": "review.summary", "value": "Written after sending."})
    page = consultant.get(f"/districts/{a}/review").text
    assert f'href="/districts/{a}/review/letter.docx?sent=1"' in page
    as_sent = _letter_text(consultant.get(f"/districts/{a}/review/letter.docx?sent=1"))
    assert SUMMARY in as_sent and "Written after sending." not in as_sent
    assert "Written after sending." in _letter_text(consultant.get(f"/districts/{a}/review/letter.docx"))
    unsent = consultant.get(f"/districts/{a}/review/letter.docx?sent=2", follow_redirects=False)
    assert unsent.status_code == 303  # back to the review page, which says no letter was sent on version 2


PASSWORD = "harbor view plans 2025"


def test_in_the_browser_the_review_survives_a_resubmit_with_its_changes_one_click_away(tmp_path, chromium):
    db = Database(tmp_path / "data")
    district = accounts.add_district(db, "Harbor View Public Schools", "09970000", "Southeast")
    plan = api.example_plan()
    plan.review = None
    plan.district.name = district.name
    seed_plan(db, district.id, plan)
    for email, role, of, region in (("maria@harborview.example.org", "district", district.id, ""),
                                    ("se@ssos.example.org", "consultant", None, "Southeast")):
        accounts.set_password_hash(db, accounts.add_user(db, email, role, of, region).id, hash_password(PASSWORD))
    port = free_port()
    process = start(tmp_path / "data", port)
    url, page = f"http://127.0.0.1:{port}", chromium
    try:
        def sign_in(email: str) -> None:
            page.context.clear_cookies()
            page.goto(f"{url}/login")
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_label("Password").press("Enter")
            page.wait_for_url(lambda u: "/login" not in u)

        sign_in("maria@harborview.example.org")
        page.goto(f"{url}/districts/{district.id}")
        page.get_by_role("button", name="Submit to SSoS").press("Enter")
        sign_in("se@ssos.example.org")
        page.goto(f"{url}/districts/{district.id}/review")
        summary = page.get_by_label("Overall summary of the plan (opens the letter)")
        summary.fill(SUMMARY)
        expect(page.locator("#save-state")).to_have_text("All changes saved")
        sign_in("maria@harborview.example.org")
        page.goto(f"{url}/districts/{district.id}")
        page.get_by_role("button", name="Reopen to make changes").press("Enter")
        page.wait_for_load_state()
        page.goto(f"{url}/districts/{district.id}/plan")
        page.locator("#f-p1-subject").fill("Mathematics and science")
        page.keyboard.press("Tab")
        expect(page.locator("#save-state")).to_have_text("All changes saved")
        page.goto(f"{url}/districts/{district.id}")
        page.get_by_role("button", name="Submit to SSoS").press("Enter")
        sign_in("se@ssos.example.org")
        page.goto(f"{url}/districts/{district.id}/review")
        expect(page.get_by_label("Overall summary of the plan (opens the letter)")).to_have_value(SUMMARY)
        note = page.locator("#review-history-note")
        expect(note).to_contain_text("This review was written on version 1")
        page.screenshot(path="/work/shots/review-after-resubmit.png", full_page=False)
        link = note.get_by_role("link", name="What changed since your review")
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/compare?from=1**")
        expect(page.locator(".diff ins").first).to_contain_text("science")
    finally:
        kill(process)
