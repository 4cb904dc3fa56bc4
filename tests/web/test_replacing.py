"""Nothing replaced without asking: a whole plan over a draft with text says what it replaces, asks, and undoes."""

from __future__ import annotations

import io
import re

from playwright.sync_api import expect

from docgen import api, variants
from docgen.web.services import changes
from docgen.web.storage import plans

from .conftest import free_port, kill, start
from .test_district import district_id, save


def confirm(client, answer):
    """Say yes on the page that asks before replacing the draft; return the answer to that yes."""
    assert answer.status_code == 200 and "Replace the draft?" in answer.text, answer.text[:400]
    action = re.search(r'action="(/districts/\d+/replace/[\w-]+)"', answer.text).group(1)
    return client.post(action)


def test_the_summary_counts_the_answers_and_rows_a_plan_would_replace():
    plan = api.example_plan()
    other = api.example_plan()
    other.priorities[0].answers["statement"] = "Another priority"
    other.priorities[0].outcomes = other.priorities[0].outcomes[:1]
    replaced = changes.replacement_summary(plan, other)
    assert replaced.answers == 1 and replaced.rows == len(plan.priorities[0].outcomes) - 1
    assert replaced.sentence().startswith("1 answer and ")
    assert not changes.replacement_summary(None, plan).anything
    assert not changes.replacement_summary(plan, plan).anything


def test_restoring_over_a_draft_asks_first_and_undo_puts_the_draft_back(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    db = app.state.site.db
    save(client, a, "p1.statement", "A rewrite we keep")
    asked = client.post(f"/districts/{a}/versions/1/restore")
    assert "Restoring version 1 would replace 1 answer of your draft (version 2)" in asked.text
    assert plans.plan_row(db, a, "fy26").latest == 2  # nothing saved yet
    assert confirm(client, asked).status_code == 303
    row = plans.plan_row(db, a, "fy26")
    assert row.latest == 3 and plans.load_version(db, row).priorities[0].answer("statement") != "A rewrite we keep"
    page = client.get(f"/districts/{a}/plan").text
    assert "Undo: back to version 2" in page
    assert client.post(f"/districts/{a}/versions/3/undo").status_code == 303
    row = plans.plan_row(db, a, "fy26")
    assert row.latest == 4 and plans.load_version(db, row).priorities[0].answer("statement") == "A rewrite we keep"
    assert "Undo: back to" not in client.get(f"/districts/{a}/plan").text
    assert client.post(f"/districts/{a}/versions/3/undo").status_code == 303  # no longer the newest: refused
    assert plans.plan_row(db, a, "fy26").latest == 4


def test_keep_my_draft_replaces_nothing_and_a_stale_yes_is_refused(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    db = app.state.site.db
    save(client, a, "p1.statement", "Mine")
    asked = client.post(f"/districts/{a}/versions/1/restore")
    cancel = re.search(r'action="(/districts/\d+/replace/[\w-]+/cancel)"', asked.text).group(1)
    assert client.post(cancel).status_code == 303
    assert plans.plan_row(db, a, "fy26").latest == 2
    asked = client.post(f"/districts/{a}/versions/1/restore")
    save(client, a, "p1.statement", "Mine, again")  # saved after being asked (in place, the same session): the yes
    # no longer holds
    assert confirm(client, asked).status_code == 303
    row = plans.plan_row(db, a, "fy26")
    assert row.latest == 2 and plans.load_version(db, row).priorities[0].answer("statement") == "Mine, again"


def test_uploading_over_an_empty_draft_does_not_ask(app, client_for):
    client, b = client_for("district_b"), district_id(app, "b")
    workbook = io.BytesIO(api.workbook_bytes(api.example_plan()))
    answer = client.post(f"/districts/{b}/upload", files={"workbook": ("ours.xlsx", workbook.getvalue())})
    assert answer.status_code == 303 and plans.plan_row(app.state.site.db, b, "fy26").latest == 1


def test_in_the_browser_an_import_over_a_draft_asks_then_undo_restores_it(app, tmp_path, chromium):
    last_year = api.plan_files(api.example_plan("fy25"), variants.load("fy25"), ("docx",))
    word = tmp_path / "2024-25 plan.docx"
    word.write_bytes(next(iter(last_year.values())))
    port = free_port()
    process = start(tmp_path / "data", port)
    url, page = f"http://127.0.0.1:{port}", chromium
    try:
        page.goto(f"{url}/login")
        page.get_by_label("Email").fill("a@cranberry.example.org")
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_label("Password").press("Enter")
        page.wait_for_url("**/districts/*")
        page.goto(f"{url}/districts/{district_id(app, 'a')}")
        page.locator('input[name="document"]').set_input_files(str(word))
        page.locator('form[action$="/import"] button[type="submit"]').press("Enter")
        expect(page.get_by_role("heading", name="Replace the draft?")).to_be_visible()
        expect(page.get_by_text(re.compile(r"would replace \d+ answers? and \d+ table rows?"))).to_be_visible()
        page.get_by_role("button", name="Replace the draft").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=re.compile("is in this year's plan"))).to_be_visible()
        undo = page.get_by_role("button", name="Undo: back to version 1")
        undo.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Undone: the plan is as it was before version 2")).to_be_visible()
    finally:
        kill(process)


def test_what_changed_starts_from_the_consultants_review_or_the_submission(app, client_for):
    district, a = client_for("district_a"), district_id(app, "a")
    save(district, a, "p1.subject", "Science")
    assert "From version 1 to version 2" in district.get(f"/districts/{a}/compare").text  # never itself
    assert district.post(f"/districts/{a}/submit").status_code == 303
    client_for("consultant_a").post(f"/districts/{a}/review/save", data={"name": "review.summary", "value": "Good."})
    district.post(f"/districts/{a}/reopen")
    save(district, a, "p1.subject", "Mathematics")
    page = district.get(f"/districts/{a}/compare").text
    assert "From version 2, the consultant&#39;s review to version 4" in page and "Mathematics</ins>" in page
