"""Routes for comments on sections: a consultant starts a thread, the district replies, either marks it resolved.

Threads are kept per section and per version (the version current when the
thread started). The district sees them beside the section in its form, the
consultant beside the section of the review; each side's home page lists the
threads waiting for it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ...errors import DocgenError, NotFound
from .. import form as plan_form
from ..pages import Site, page
from ..services import workflow
from ..storage import reviews

MAX_COMMENT = 5000


def section_ids(state: workflow.PlanState) -> set[str]:
    return {s.id for g in plan_form.groups(state.variant, state.plan, []) for s in g.sections}


def _section_threads(site: Site, request: Request, user, district, state, section: str):
    threads = [t for t in reviews.threads(site.db, state.row.id) if t.section == section]
    return site.render(request, "partials/comments.html", user=user, district=district, section=section,
                       threads=threads, can_comment=True)


@page("comment", answers_json=True)
def add(site: Site, request: Request, form):
    """Start a thread on a section, or reply to one; answer with the section's threads as they now are."""
    user, district = request.state.user, request.state.district
    state = workflow.state(site.db, district)
    body = str(form.get("body", "")).strip()
    thread = request.path_params.get("thread")
    if thread is not None:
        if reviews.thread_plan(site.db, thread) != state.row.id:
            raise NotFound("There is no such comment thread on this plan.")
        section = next(t.section for t in reviews.threads(site.db, state.row.id) if t.id == thread)
    else:
        section = str(form.get("section", ""))
        if section not in section_ids(state):
            raise DocgenError("There is no such section to comment on.")
    if not body or len(body) > MAX_COMMENT:
        raise DocgenError(f"Write a comment of 1 to {MAX_COMMENT:,} characters.")
    reviews.add_comment(site.db, state.row.id, state.row.latest, section, user.id, body, thread)
    site.audit(user, "replied to a comment" if thread else "commented", district, section)
    return _section_threads(site, request, user, district, state, section)


@page("comment", answers_json=True)
def resolve(site: Site, request: Request, form):
    """Mark a thread resolved (or open it again)."""
    user, district = request.state.user, request.state.district
    state = workflow.state(site.db, district)
    thread = request.path_params["thread"]
    if reviews.thread_plan(site.db, thread) != state.row.id:
        raise NotFound("There is no such comment thread on this plan.")
    resolved = str(form.get("resolved", "1")) == "1"
    reviews.resolve(site.db, thread, user.id, resolved)
    section = next(t.section for t in reviews.threads(site.db, state.row.id) if t.id == thread)
    site.audit(user, "resolved a comment" if resolved else "reopened a comment", district, section)
    return _section_threads(site, request, user, district, state, section)


ROUTES = [
    Route("/districts/{district:id}/comments", add, methods=["POST"]),
    Route("/districts/{district:id}/comments/{thread:id}/reply", add, methods=["POST"]),
    Route("/districts/{district:id}/comments/{thread:id}/resolve", resolve, methods=["POST"]),
]
