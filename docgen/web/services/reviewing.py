"""A consultant's review of a submitted plan: load it, save it a field at a time, its letter, feedback sent.

The review is the plan model's Review, exactly what the workbook's
'Consultant review' sheet holds, so the web review, the workbook and
``docgen letter`` are the same data and the same letter.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cached_property

from docgen import api
from docgen.checks import Finding
from docgen.errors import NotFound, NotSubmitted, ValueRefused
from docgen.model import values
from docgen.model.plan import Plan, Review, SectionReview
from docgen.read.layout import REVIEW_COLUMNS, REVIEW_FIELDS, REVIEW_HEADERS
from docgen.read.plan_edits import FieldProblem, date_input_value
from docgen.variants import FieldSpec, Variant
from docgen.web import metrics
from docgen.web.services import workflow, years
from docgen.web.storage import checkins, plans, reviews
from docgen.web.storage.accounts import District, User
from docgen.web.storage.db import Database


@dataclass
class ReviewState:
    """The submitted version under review, its review, and what check finds in it.

    ``written_on`` is the version the review's text was written on: the
    version itself, or an earlier submission when the district reopened and
    resubmitted (the review is carried to the newer version, never lost).
    ``reopened`` is set while the district has the plan open again: the page
    then shows the last submitted version and its review.
    """

    row: plans.PlanRow
    version: int
    plan: Plan  # the submitted version, with ``review`` set when a word of it is written
    variant: Variant
    review: Review
    feedback_sent_at: str | None
    written_on: int | None = None
    reopened: bool = False
    prefill: dict[str, str] = field(default_factory=dict)  # a new review's name, title, region: the consultant's own

    @cached_property
    def findings(self) -> list[Finding]:
        """What check finds in the submitted version (run only for the pages that show it, not for a save)."""
        return workflow.check(self.plan)

    @property
    def carried(self) -> bool:
        """True when the review was written on an earlier submitted version than the one shown."""
        return self.written_on is not None and self.written_on != self.version

    def value(self, name: str) -> str:
        """Return a review field's value by its form name ("review.summary", "review.sections.priority.strengths")."""
        parts = name.split(".")
        if len(parts) == 2:
            value = getattr(self.review, parts[1]) or self.prefill.get(parts[1], "")
            return date_input_value(value) if parts[1] == "review_date" else value
        section = self.review.sections.get(parts[2])
        return getattr(section, parts[3]) if section else ""


def state(db: Database, district: District, variant: Variant | None = None, user: User | None = None) -> ReviewState:
    """Return the review of the district's submitted version of a year (default: this year's, the open submission,
    or while the district has reopened it, the last one submitted; an earlier year's is its last submission);
    raise NotSubmitted when nothing was ever submitted."""
    variant = variant or workflow.current_variant()
    if years.is_current(variant):
        plan_row = plans.ensure_plan(db, district.id, variant.id)
    else:
        found = plans.plan_row(db, district.id, variant.id)
        if found is None:
            raise NotFound(f"{district.name} has no {variant.plan_year} plan here.")
        plan_row = found
    submission = plans.open_submission(db, plan_row.id)
    number = submission["number"] if submission else checkins.submitted_version(db, plan_row.id)
    if number is None:
        raise NotSubmitted(f"{district.name} has not submitted its {variant.plan_year} plan yet; its draft can be "
                           "read, and commented on.", years.in_year(f"/districts/{district.id}/plan", variant))
    plan, review, row, written_on = reviewed_version(db, plan_row, number)
    fresh = review is None and user is not None and years.is_current(variant)
    return ReviewState(plan_row, number, plan, variant, review or Review(), row["feedback_sent_at"] if row else None,
                       written_on, reopened=submission is None and years.is_current(variant),
                       prefill=signature(db, user) if fresh else {})


def signature(db: Database, user: User) -> dict[str, str]:
    """Return how a consultant signs a new review: name, title and region as in their latest review of any plan,
    the region from their account when there is none."""
    latest = reviews.latest_by(db, user.id)
    found = {key: getattr(latest, key) for key in SIGNATURE} if latest is not None else {}
    if not found.get("region") and user.region:
        found["region"] = user.region
    return {key: value for key, value in found.items() if value}


SIGNATURE = ("consultant_name", "consultant_title", "region")


def reviewed_version(db: Database, plan_row: plans.PlanRow, number: int):
    """Return (plan, review, review's row, version the review was written on) of a submitted version; the plan
    carries the review once a word is written.

    A version with no review of its own carries the newest review of an
    earlier version (the district reopened and resubmitted): the consultant
    goes on from it, and its row (its sent date) stays the earlier version's.
    The letter is made from that plan, so this is how both the review page
    and "Download all" load a version.
    """
    plan = plans.load_version(db, plan_row, number)
    review, row = reviews.load_review(db, plan_row.id, number)
    written_on = (row["written_on"] or number) if row is not None else None
    if review is None:
        review, earlier = reviews.latest_review(db, plan_row.id, number)
        written_on = earlier["version"] if earlier is not None else None
    plan.review = review if review is not None and not review.is_empty else None
    return plan, review, row, written_on


def apply(variant: Variant, review: Review, name: str, value: str) -> Review:
    """Return a copy of ``review`` with one form field set; raise FieldProblem for a name or value it cannot take."""
    parts = name.split(".")
    fields = {key: FieldSpec(key=key, label=label, kind=kind) for key, label, kind in REVIEW_FIELDS}
    columns = dict(zip(REVIEW_COLUMNS, REVIEW_HEADERS[1:], strict=True))
    if len(parts) == 2 and parts[0] == "review" and parts[1] in fields:
        spec = fields[parts[1]]
    elif len(parts) == 4 and parts[:2] == ["review", "sections"] and parts[2] in {s.id for s in variant.sections} \
            and parts[3] in columns:
        spec = FieldSpec(key=parts[3], label=columns[parts[3]])
    else:
        raise FieldProblem(name, "no such part of the review")
    try:
        value = values.clean(variant, spec, value)
    except ValueRefused as exc:
        raise FieldProblem(name, str(exc)) from None
    review = copy.deepcopy(review)
    if len(parts) == 2:
        setattr(review, parts[1], value)
        return review
    section = review.sections.setdefault(parts[2], SectionReview())
    setattr(section, parts[3], value)
    if not any(vars(section).values()):
        del review.sections[parts[2]]
    return review


def save_field(db: Database, district: District, user: User, name: str, value: str) -> int:
    """Save one field of the review; return the version it reviews (the plan moves to 'in review').

    A review carried from an earlier version is saved as the newer
    version's, remembering the version it was written on; the earlier
    version's review stays as it was.
    """
    current = state(db, district, user=user)
    review = copy.deepcopy(current.review)
    for key, signed in current.prefill.items():  # the first save of a new review keeps the name it showed
        setattr(review, key, getattr(review, key) or signed)
    reviews.save_review(db, current.row.id, current.version, apply(current.variant, review, name, value),
                        user.id, current.written_on)
    metrics.saved("review")
    return current.version


def save_whole(db: Database, district: District, user: User, review: Review) -> int:
    """Store a whole review (read from an uploaded workbook's Consultant review sheet); return its version."""
    current = state(db, district)
    reviews.save_review(db, current.row.id, current.version, review, user.id)
    metrics.saved("review")
    return current.version


def mark_sent(db: Database, district: District, user: User) -> ReviewState:
    """Record the letter as sent today on the version under review (a carried review is first stored as its own)."""
    current = state(db, district)
    if current.carried or reviews.load_review(db, current.row.id, current.version)[0] is None:
        reviews.save_review(db, current.row.id, current.version, current.review, user.id, current.written_on)
    reviews.mark_feedback_sent(db, current.row.id, current.version, user.id)
    return current


def sent_letter_plan(db: Database, district: District, version: int, variant: Variant | None = None) -> Plan:
    """Return a version as it was reviewed when its letter was sent (the letter is made from this), or NotFound."""
    variant = variant or workflow.current_variant()
    row = plans.plan_row(db, district.id, variant.id)
    review = reviews.sent_review(db, row.id, version) if row is not None else None
    plan = plans.load_version(db, row, version) if review is not None else None
    if plan is None:
        raise NotFound(f"No letter was sent on version {version} of {district.name}'s plan.")
    plan.review = review
    return plan


def letter(current: ReviewState):
    """Return the letter as data (a letter_model.Letter), the same the Word letter is written from, to preview."""
    return api.compose_letter(current.plan, current.findings)
