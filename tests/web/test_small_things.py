"""The small things people met in the web app (issue 31, item 8): each as a person would notice it."""

from __future__ import annotations

import json

from docgen import api

from .conftest import seed_plan
from .test_district import district_id, save
from .test_progress import CHECKINS, record


def test_a_new_checkin_starts_with_no_status_chosen_and_dates_read_as_every_other_date(app, client_for):
    client, path = record(app, client_for)
    page = client.get(path).text
    assert '<option value="" selected>Choose a status</option>' in page  # skipping it reports nothing
    assert "October 15, 2025" in page and ">2025-10-15<" not in page
    assert client.post(f"{path}/checkins", data={**CHECKINS[0], "status": ""}).status_code == 303
    assert "Status:" in client.get(path).text  # refused, naming the field: no status is reported for the person


def test_the_state_view_counts_math_and_mathematics_as_one_subject(app, client_for):
    db = app.state.site.db
    plan = api.example_plan()
    plan.review = None
    plan.district.name = "Beacon Falls Public Schools"
    plan.priorities[0].answers["subject"] = "Mathematics"
    seed_plan(db, district_id(app, "b"), plan)
    save(client_for("district_a"), district_id(app, "a"), "p1.subject", "Math")
    state = client_for("state")
    listed = state.get("/state/districts?measure=subject&value=Math").text
    assert "Cranberry Harbor Public Schools" in listed and "Beacon Falls Public Schools" in listed
    assert "value=Mathematics" not in state.get("/state").text


def test_after_add_a_row_the_side_summary_counts_follow(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    answer = client.post(f"/districts/{a}/plan/rows", data={"table": "outcomes", "number": "1", "action": "add"},
                         headers={"hx-request": "true"})
    checked = json.loads(answer.headers["HX-Trigger-After-Settle"])["docgen:checked"]
    assert checked["errors"] >= 1  # the new, empty row has an error, and the counts say so at once
    versions = client.get(f"/districts/{a}/versions").text
    assert "1 errors" not in versions and "1 warnings" not in versions


def test_a_new_review_starts_with_the_consultants_name_title_and_region(app, client_for):
    from docgen.web.storage import accounts, plans

    from .test_consultant import submit

    db = app.state.site.db
    submit(app, client_for)
    consultant, a = client_for("consultant_a"), district_id(app, "a")
    assert 'value="Southeast"' in consultant.get(f"/districts/{a}/review").text  # the account's region at first
    for name, value in (("review.consultant_name", "Dr. Alana Brightwater"),
                        ("review.consultant_title", "SSoS Leadership Consultant")):
        consultant.post(f"/districts/{a}/review/save", data={"name": name, "value": value})
    other = accounts.add_district(db, "Ellis Pond Public Schools", "09960000", "Southeast")
    plan = api.example_plan()
    plan.review = None
    plan.district.name = other.name
    row = seed_plan(db, other.id, plan)
    plans.submit(db, plans.plan_row(db, other.id, row.variant), None)
    page = consultant.get(f"/districts/{other.id}/review").text
    assert 'value="Dr. Alana Brightwater"' in page and 'value="SSoS Leadership Consultant"' in page
    consultant.post(f"/districts/{other.id}/review/save", data={"name": "review.summary", "value": "Clear."})
    from docgen.web.storage import reviews

    saved, _ = reviews.load_review(db, plans.plan_row(db, other.id, "fy26").id, 1)
    assert (saved.consultant_name, saved.region, saved.summary) == ("Dr. Alana Brightwater", "Southeast", "Clear.")


def test_the_submit_banner_agrees_with_the_improvement_plan_note(app, client_for):
    from .test_consultant import submit

    client = submit(app, client_for)
    page = client.get(f"/districts/{district_id(app, 'a')}").text
    assert "attach nothing more" not in page
    assert "Underperforming: the renewed Sustainable Improvement Plan" in page  # the note below asks for it
    banner = page.split('id="submission"')[0]  # and the banner above says the same (Ellis Pond is Underperforming)
    assert "the renewed Sustainable Improvement Plan of Ellis Pond Middle School goes with it" in banner
