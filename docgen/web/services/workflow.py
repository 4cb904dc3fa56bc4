"""A district's plan on the server: load it, change it, save it as a version, submit and reopen it.

Routes call these; these call storage for the saved versions and docgen.api
for everything a plan is checked or built with, so the web app checks and
builds exactly as the command line does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from docgen import api, variants
from docgen.checks import Finding
from docgen.errors import EditConflict, NotFound, PlanLocked
from docgen.model.plan import Plan
from docgen.read import plan_edits, sizes
from docgen.variants import Variant
from docgen.web import metrics
from docgen.web.services import changes
from docgen.web.services.presence import WINDOW
from docgen.web.storage import audit, plans, presence
from docgen.web.storage.accounts import District, User
from docgen.web.storage.db import Database

LOCKED = ("submitted", "in review", "feedback sent")  # a plan in these states is reopened before it changes


@dataclass
class PlanState:
    """A district's plan as the pages show it: its row, the latest version, and what check finds in it."""

    row: plans.PlanRow
    plan: Plan
    variant: Variant
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def locked(self) -> bool:
        return self.row.status in LOCKED


def current_variant() -> Variant:
    """Return the template this year's plans are written in (the newest variant)."""
    return variants.load(variants.newest())


def state(db: Database, district: District, variant_id: str | None = None) -> PlanState:
    """Return a district's plan for the year (this year's: an empty one if nothing is saved yet) with its findings.

    An earlier year is only read, so one with no saved plan is NotFound rather than a new empty plan.
    """
    variant = variants.load(variant_id) if variant_id else current_variant()
    if variant.id == current_variant().id:
        row = plans.ensure_plan(db, district.id, variant.id)
    else:
        found = plans.plan_row(db, district.id, variant.id)
        if found is None or not found.latest:
            raise NotFound(f"{district.name} has no {variant.plan_year} plan here.")
        row = found
    plan = plans.load_version(db, row) or plan_edits.new_plan(variant, district.name, district.org_code)
    return PlanState(row, plan, variant, check(plan))


def summarize(plan: Plan, findings: list[Finding] | None = None) -> plans.Summary:
    """Return a version's check counts and identified schools (stored beside it for the lists)."""
    findings = check(plan) if findings is None else findings
    errors = sum(f.severity == "error" for f in findings)
    identified = "; ".join(s.category for s in plan.schools if s.requires_assistance)
    return plans.Summary(errors, len(findings) - errors, identified)


def save(db: Database, district: District, user: User | None, edit: Callable[[Plan], Plan], source: str,
         note: str = "", allow_locked: bool = False, status: str | None = None,
         audit_detail: str | None = None) -> tuple[int, PlanState]:
    """Apply ``edit`` to the district's latest plan and save the result; return (version number, state).

    A person's saves from the form a few minutes apart are one version, an
    editing session, labelled with what it changed (plans.change); any other
    save is a new version. ``audit_detail``: the audit line written with a
    session's new version, in the same transaction (once per session, not per
    keystroke). A submitted plan is not changed (PlanLocked) unless ``allow_locked``.
    """
    variant = current_variant()
    row = plans.ensure_plan(db, district.id, variant.id)
    if row.status in LOCKED and not allow_locked:
        raise PlanLocked("The plan was submitted to SSoS. Reopen it to make changes; it will then be submitted again.")

    def edit_latest(latest: Plan | None) -> Plan:
        edited = edit(latest or plan_edits.new_plan(variant, district.name, district.org_code))
        sizes.refuse_oversized(edited)  # whatever the door: the form, an upload, a restore, an import
        return edited

    reviewed: dict[int, list[Finding]] = {}

    def summarize_once(plan: Plan) -> plans.Summary:  # the findings are reused for the answer, not recomputed
        reviewed[id(plan)] = check(plan)
        return summarize(plan, reviewed[id(plan)])

    session = None
    if source == "form" and user is not None:
        on_new = None
        if audit_detail is not None:
            def on_new(c, number: int) -> None:
                audit.record_in(c, user, "changed the plan", district.id, f"{audit_detail} (version {number})")
        alone = not presence.others_here(db, district.id, user.id, time.time() - WINDOW)  # else exact conflicts
        session = plans.Session(user.id, changes.change_label, on_new, alone)
    number, plan, _ = plans.change(db, row, edit_latest, summarize_once, source, user.id if user else None, note,
                                   status, session)
    metrics.saved("plan")
    row = plans.plan_row(db, district.id, variant.id)
    findings = reviewed.get(id(plan))
    return number, PlanState(row, plan, variant, check(plan) if findings is None else findings)


def check(plan: Plan) -> list[Finding]:
    """Return the automatic checks' findings on ``plan`` (counted for the metrics)."""
    metrics.checked()
    return api.check_plan(plan)


def set_field(db: Database, district: District, user: User, name: str, value: str,
              base: int | None = None) -> tuple[int, PlanState]:
    """Save one form field (checked like a workbook cell; FieldProblem names the field when it is refused).

    ``base`` is the version the editor's text started from: if another save
    changed this field since, the save is refused (EditConflict, with both
    texts and who saved the other) rather than replacing it. Saves of other
    fields since then merge as before. Without ``base`` the field is simply set.
    """
    variant = current_variant()
    cleaned = plan_edits.clean_value(variant, plan_edits.locate(variant, name), value)  # before the write lock
    started = _field_at(db, district, variant, name, base)

    def edit(plan: Plan) -> Plan:
        theirs = plan_edits.value_of(plan, variant, name)
        if started is not None and theirs != started and theirs != cleaned:
            raise _conflict(db, district, variant, name, value, theirs, base)
        return plan_edits.apply(plan, variant, name, value)

    return save(db, district, user, edit, "form", audit_detail=f"an editing session in the form, from {name}")


def _field_at(db: Database, district: District, variant: Variant, name: str, base: int | None) -> object:
    """Return the field's value in version ``base`` (an empty plan's for 0; None without a base or such version)."""
    if base is None:
        return None
    row = plans.ensure_plan(db, district.id, variant.id)
    if base == 0:
        plan: Plan | None = plan_edits.new_plan(variant, district.name, district.org_code)
    else:
        plan = plans.load_version(db, row, base) if base <= row.latest else None
    return plan_edits.value_of(plan, variant, name) if plan is not None else None


def _conflict(db: Database, district: District, variant: Variant, name: str, mine: str, theirs: object,
              base: int) -> EditConflict:
    """Return the refusal of a save over someone else's: their text, who saved it, when, in which version."""
    row = plans.ensure_plan(db, district.id, variant.id)
    other = plans.changed_by(db, row, base, lambda plan: plan_edits.value_of(plan, variant, name))
    return EditConflict(name, mine, "" if theirs is None else str(theirs), other.user_email if other else "",
                        other.created_at if other else "", other.number if other else row.latest)


def replace(db: Database, district: District, user: User, plan: Plan, source: str, note: str) -> tuple[int, PlanState]:
    """Save a whole plan (an upload, an import, a restored version) as the next version, keeping the district name.

    A consultant's review in it (a reviewed workbook uploaded by the district)
    is not part of the district's plan: reviews belong to submitted versions.
    """
    plan.where = {}
    plan.review = None
    plan.district.name = district.name
    return save(db, district, user, lambda _: plan, source, note)


def submit(db: Database, district: District, user: User) -> None:
    """Freeze the latest version as submitted; raise PlanNotReady while check finds errors."""
    current = state(db, district)
    if current.locked:
        raise PlanLocked("The plan is already submitted.")
    api.submission_files(current.plan, current.findings, f"{district.name}'s plan")  # refuses while errors remain
    plans.submit(db, current.row, user.id)


def reopen(db: Database, district: District, user: User) -> None:
    """Reopen a submitted plan: a new draft version, to be submitted again."""
    current = state(db, district)
    if not current.locked:
        raise PlanLocked("The plan is not submitted.")
    plans.reopen(db, current.row, user.id)
    save(db, district, user, lambda plan: plan, "reopen", "reopened after submission", status="draft")
