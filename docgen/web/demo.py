"""Demo data for ``docgen serve --demo``: the sample district with its plans, and an account for each role."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from docgen import api
from docgen.model.plan import CheckIn, Plan, Review
from docgen.web.auth import hash_password
from docgen.web.services.workflow import LOCKED, summarize
from docgen.web.storage import accounts, checkins, plans, reviews
from docgen.web.storage.db import Database

REGION = "Southeast"
DISTRICT_EMAIL = "district@demo.example.org"
CONSULTANT_EMAIL = "consultant@demo.example.org"
ADMIN_EMAIL = "admin@demo.example.org"


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    password: str


# Other districts of the demo region, each at another point of the year: (name, what happened so far)
NEIGHBOURS = (("Brookline Falls Public Schools", "submitted"), ("Mill River Regional Schools", "in review"),
              ("Seaport Academy Charter School", "feedback sent"), ("North Bay Public Schools", "draft with errors"),
              ("Eastfield Public Schools", "not started"))


def seed(db: Database) -> list[Login]:
    """Load the sample district (this year's plan and last year's) and its region's neighbours once, and give
    each demo account a new password.

    Return the demo logins, to print: the passwords change at every start.
    """
    sample = api.example_plan()
    sample.review = None  # a review belongs to a submitted version, not to the district's plan
    district = accounts.district_named(db, sample.district.name)
    if district is None:
        district = accounts.add_district(db, sample.district.name, sample.district.org_code, REGION,
                                         sample.district.contact_email)
        last_year = api.example_plan("fy25")
        last_year.review = None
        for plan in (last_year, sample):
            row = plans.ensure_plan(db, district.id, plan.variant)
            plans.change(db, row, _whole(plan), summarize, "demo", None, "the sample district's plan")
        _last_year_followed(db, district.id)
        _neighbours(db)
    logins = []
    for role, email in (("district", DISTRICT_EMAIL), ("consultant", CONSULTANT_EMAIL), ("admin", ADMIN_EMAIL)):
        user = accounts.user_by_email(db, email) or accounts.add_user(
            db, email, role, district.id if role == "district" else None, REGION if role == "consultant" else "")
        password = secrets.token_urlsafe(9)
        accounts.set_password_hash(db, user.id, hash_password(password))
        accounts.set_disabled(db, user.id, False)
        logins.append(Login(role, email, password))
    return logins


# The sample district's FY25 year as it ended: the plan submitted, its feedback sent, check-ins on two benchmarks
LAST_YEAR_CHECKINS = (
    CheckIn(1, 1, "2024-10-15", "4 of 9 math teams", "Not yet", "Add a planning protocol to the October PLC."),
    CheckIn(1, 1, "2025-01-21", "7 of 9 math teams", "On track", ""),
    CheckIn(1, 2, "2025-01-21", "38% of observed lessons", "Off track",
            "Coaches model discourse routines in grades 6-8 before the March observations."),
)


def _last_year_followed(db: Database, district_id: int) -> None:
    """Submit the sample district's FY25 plan, send its feedback and record its check-ins, so an earlier year can be
    read on the home page and the dashboard."""
    row = _saved_row(db, district_id, "fy25")
    plans.submit(db, row, None)
    reviews.save_review(db, row.id, row.latest, Review(
        consultant_name="SSoS Leadership Consultant", summary="A focused math priority with a clear theory of "
        "action; the refinement for next year is a monitoring plan as precise as the priority."), None)
    reviews.mark_feedback_sent(db, row.id, row.latest, None)
    for checkin in LAST_YEAR_CHECKINS:
        checkins.add(db, district_id, "fy25", checkin, None)


def _whole(plan: Plan) -> Callable[[Plan | None], Plan]:
    """Return the edit that stores ``plan`` whole, whatever the latest version holds."""
    return lambda _: plan


def _saved_row(db: Database, district_id: int, variant: str) -> plans.PlanRow:
    """Return the plan row saved just above, re-read for the version number its save gave it."""
    row = plans.plan_row(db, district_id, variant)
    assert row is not None, f"the demo plan {variant} of district {district_id} was saved just above"
    return row


def _neighbours(db: Database) -> None:
    """Other districts of the region, so the consultant's dashboard shows every status."""
    for index, (name, stage) in enumerate(NEIGHBOURS, start=1):
        district = accounts.add_district(db, name, f"0999{index:02d}00", REGION)
        if stage == "not started":
            continue
        plan = api.example_plan()
        review, plan.review = plan.review or Review(), None
        plan.district.name = name
        if stage == "draft with errors":
            plan.priorities[0].benchmarks = plan.priorities[0].benchmarks[:1]
        row = plans.ensure_plan(db, district.id, plan.variant)
        plans.change(db, row, _whole(plan), summarize, "demo", None, "a demo plan")
        if stage in LOCKED:
            plans.submit(db, _saved_row(db, district.id, plan.variant), None)
        if stage in ("in review", "feedback sent"):
            review.summary = ("A clear, focused priority that names the students it is for. The main refinement is "
                              "to make the monitoring plan as precise as the priority.")
            reviews.save_review(db, row.id, 1, review, None)
        if stage == "feedback sent":
            reviews.mark_feedback_sent(db, row.id, 1, None)
