"""Nothing replaced without asking: a whole plan over a draft with text says what it replaces, asks, and undoes."""

from __future__ import annotations

import io
import re

from docgen import api
from docgen.web.services import changes
from docgen.web.storage import plans

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
