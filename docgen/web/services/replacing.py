"""Nothing replaced without asking: a whole plan over a draft with text waits for a yes, and is undone in one step.

An upload, an import of last year's Word plan, a roll-forward and a restore
each make a whole plan. Over an empty draft it is saved at once; over a draft
with text the person is first told what it would replace (how many answers
and table rows, in which sections) and asked; after it is saved, *Undo* makes
the version before it the newest again (nothing in between is lost).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.errors import DocgenError, NotFound
from docgen.model.plan import Plan
from docgen.web.services import changes, workflow
from docgen.web.storage import plans, replacements
from docgen.web.storage.accounts import District, User
from docgen.web.storage.db import Database

REPLACING = ("upload", "import", "roll-forward", "restore")  # the sources that replace a whole plan


@dataclass
class Asked:
    """A plan waiting for the person's yes: what it would replace, and the token its answer names."""

    token: str
    summary: changes.Replacement
    base: int
    note: str
    report: dict = field(default_factory=dict)


@dataclass
class Replaced:
    """A plan saved over the draft: its version number, the plan as the pages show it, and what to report."""

    number: int
    state: workflow.PlanState
    report: dict = field(default_factory=dict)


def carry_report(source: str, moved, found=None) -> dict:
    """Return what an import or roll-forward reports after it is saved (what moved, what to fill in), as data that
    can wait with the plan: the same lines the Carried over sheet holds."""
    report = {"source": source, "to_do": list(moved.to_do(workflow.current_variant())),
              "carried": [{"source": c.source, "destination": c.destination, "text": c.text, "note": c.note}
                          for c in moved.carried]}
    if found is not None:
        report["found"] = f"Found {len(found.matched)} of {len(found.matched) + len(found.missing)} prompts."
    return report


def ask_or_replace(db: Database, district: District, user: User, plan: Plan, source: str, note: str,
                   report: dict | None = None) -> Asked | Replaced:
    """Save ``plan`` over the district's draft at once when the draft has no text it would change; otherwise keep it
    waiting and return what it would replace (Asked), for the person to confirm or cancel."""
    current = workflow.state(db, district)
    if current.locked:
        workflow.save(db, district, user, lambda p: p, source)  # raises PlanLocked, as any change would
    summary = changes.replacement_summary(current.plan if current.row.latest else None, plan)
    if not summary.anything:
        number, state = workflow.replace(db, district, user, plan, source, note)
        return Replaced(number, state, report or {})
    token = replacements.add(db, current.row.id, user.id, current.row.latest, plan, source, note, report or {},
                             plans.digest(db, current.row))
    return Asked(token, summary, current.row.latest, note, report or {})


def confirm(db: Database, district: District, user: User, token: str) -> Replaced:
    """Save the waiting plan named ``token`` over the draft, unless the draft changed since the person was asked."""
    row = plans.ensure_plan(db, district.id, workflow.current_variant().id)
    pending = replacements.take(db, token, row.id, row.variant, user.id)
    if pending is None:
        raise NotFound("That replacement was already answered, or waited more than a day: nothing was replaced.")
    if pending.base != row.latest or pending.base_digest != plans.digest(db, row):  # a session's save changes it too
        raise DocgenError(f"The plan was saved again (version {row.latest}) after you were asked: nothing was "
                          "replaced. Start again to see what it would replace now.")
    number, state = workflow.replace(db, district, user, pending.plan, pending.source, pending.note)
    return Replaced(number, state, pending.report)


def cancel(db: Database, district: District, user: User, token: str) -> None:
    """Forget the waiting plan named ``token``: the draft stays as it is."""
    row = plans.ensure_plan(db, district.id, workflow.current_variant().id)
    replacements.take(db, token, row.id, row.variant, user.id)


def undoable(db: Database, row: plans.PlanRow) -> plans.Version | None:
    """Return the newest version when it replaced a whole plan and a version before it exists (to offer Undo)."""
    if row.latest < 2:
        return None
    newest = plans.versions(db, row.id, limit=1)
    return newest[0] if newest and newest[0].source in REPLACING else None


def undo(db: Database, district: District, user: User, number: int) -> int:
    """Make the version before ``number`` the newest again, if ``number`` is still the newest and replaced a whole
    plan; return the new version's number."""
    row = plans.ensure_plan(db, district.id, workflow.current_variant().id)
    newest = undoable(db, row)
    if newest is None or newest.number != number:
        raise DocgenError(f"Version {number} is no longer the newest: restore an earlier version from the list "
                          "of versions instead.")
    before = plans.load_version(db, row, number - 1)
    assert before is not None  # versions are never deleted
    new, _ = workflow.replace(db, district, user, before, "undo", f"undid version {number} ({newest.note})")
    return new
