"""Comment threads on a plan's sections: started by a consultant, answered by the district, resolved by either.

A thread belongs to one section and to the plan (started on the version
current then). What may be commented on is the plan's own sections; a
thread id of another plan is NotFound, whoever asks.
"""

from __future__ import annotations

from docgen.errors import DocgenError, NotFound
from docgen.web import form as plan_form
from docgen.web.services.workflow import PlanState
from docgen.web.storage import reviews
from docgen.web.storage.db import Database

MAX_COMMENT = 5000


def section_ids(state: PlanState) -> set[str]:
    """Return the ids of the sections a comment may be on: the plan form's, in the plan's variant."""
    return {s.id for g in plan_form.groups(state.variant, state.plan, []) for s in g.sections}


def threads_of(db: Database, state: PlanState, section: str) -> list[reviews.Thread]:
    """Return the threads on one section of the plan, oldest first."""
    return [t for t in reviews.threads(db, state.row.id) if t.section == section]


def _section_of(db: Database, state: PlanState, thread: int) -> str:
    """Return the section of one of the plan's threads; NotFound for a thread of another plan."""
    if reviews.thread_plan(db, thread) != state.row.id:
        raise NotFound("There is no such comment thread on this plan.")
    return next(t.section for t in reviews.threads(db, state.row.id) if t.id == thread)


def add(db: Database, state: PlanState, user_id: int, body: str, section: str = "", thread: int | None = None) -> str:
    """Start a thread on ``section`` (or reply to ``thread``) with ``body``; return the section it is on."""
    body = body.strip()
    if thread is not None:
        section = _section_of(db, state, thread)
    elif section not in section_ids(state):
        raise DocgenError("There is no such section to comment on.")
    if not body or len(body) > MAX_COMMENT:
        raise DocgenError(f"Write a comment of 1 to {MAX_COMMENT:,} characters.")
    reviews.add_comment(db, state.row.id, state.row.latest, section, user_id, body, thread)
    return section


def resolve(db: Database, state: PlanState, user_id: int, thread: int, resolved: bool) -> str:
    """Mark one of the plan's threads resolved (or open it again); return its section."""
    section = _section_of(db, state, thread)
    reviews.resolve(db, thread, user_id, resolved)
    return section
