"""A consultant's review of a submitted plan: load it, save it a field at a time, its letter, feedback sent.

The review is the plan model's Review, exactly what the workbook's
'Consultant review' sheet holds, so the web review, the workbook and
``docgen letter`` are the same data and the same letter.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cached_property

from ... import api
from ...checks import Finding
from ...errors import NotFound, NotSubmitted, ValueRefused
from ...model import Plan, Review, SectionReview
from ...sources import values
from ...sources.layout import REVIEW_COLUMNS, REVIEW_FIELDS, REVIEW_HEADERS
from ...sources.plan_edits import FieldProblem, date_input_value
from ...variants import FieldSpec, Variant
from .. import metrics
from ..storage import checkins, plans, reviews
from ..storage.accounts import District, User
from ..storage.db import Database
from . import workflow, years


@dataclass
class ReviewState:
    """The submitted version under review, its review, and what check finds in it."""

    row: plans.PlanRow
    version: int
    plan: Plan  # the submitted version, with ``review`` set when a word of it is written
    variant: Variant
    review: Review
    feedback_sent_at: str | None

    @cached_property
    def findings(self) -> list[Finding]:
        """What check finds in the submitted version (run only for the pages that show it, not for a save)."""
        return workflow.check(self.plan)

    def value(self, name: str) -> str:
        """Return a review field's value by its form name ("review.summary", "review.sections.priority.strengths")."""
        parts = name.split(".")
        if len(parts) == 2:
            value = getattr(self.review, parts[1])
            return date_input_value(value) if parts[1] == "review_date" else value
        section = self.review.sections.get(parts[2])
        return getattr(section, parts[3]) if section else ""


def state(db: Database, district: District, variant: Variant | None = None) -> ReviewState:
    """Return the review of the district's submitted version of a year (default: this year's, the open submission;
    an earlier year's is its last submission); raise NotSubmitted when nothing is submitted."""
    variant = variant or workflow.current_variant()
    if years.is_current(variant):
        plan_row = plans.ensure_plan(db, district.id, variant.id)
        submission = plans.open_submission(db, plan_row.id)
        number = submission["number"] if submission else None
    else:
        found = plans.plan_row(db, district.id, variant.id)
        if found is None:
            raise NotFound(f"{district.name} has no {variant.plan_year} plan here.")
        plan_row, number = found, checkins.submitted_version(db, found.id)
    if number is None:
        raise NotSubmitted(f"{district.name} has not submitted its {variant.plan_year} plan yet; its draft can be "
                           "read, and commented on.", years.in_year(f"/districts/{district.id}/plan", variant))
    plan, review, row = reviewed_version(db, plan_row, number)
    return ReviewState(plan_row, number, plan, variant, review or Review(), row["feedback_sent_at"] if row else None)


def reviewed_version(db: Database, plan_row: plans.PlanRow, number: int):
    """Return (plan, review, review's row) of a submitted version; the plan carries the review once a word is written.

    The letter is made from that plan, so this is how both the review page
    and "Download all" load a version.
    """
    plan = plans.load_version(db, plan_row, number)
    review, row = reviews.load_review(db, plan_row.id, number)
    plan.review = review if review is not None and not review.is_empty else None
    return plan, review, row


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
    """Save one field of the review; return the version it reviews (the plan moves to 'in review')."""
    current = state(db, district)
    reviews.save_review(db, current.row.id, current.version, apply(current.variant, current.review, name, value),
                        user.id)
    metrics.saved("review")
    return current.version


def save_whole(db: Database, district: District, user: User, review: Review) -> int:
    """Store a whole review (read from an uploaded workbook's Consultant review sheet); return its version."""
    current = state(db, district)
    reviews.save_review(db, current.row.id, current.version, review, user.id)
    metrics.saved("review")
    return current.version


def letter(current: ReviewState):
    """Return the letter as data (a letter_model.Letter), the same the Word letter is written from, to preview."""
    return api.compose_letter(current.plan, current.findings)
