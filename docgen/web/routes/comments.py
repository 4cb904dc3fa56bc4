"""Routes for comments on sections: a consultant starts a thread, the district replies, either marks it resolved.

Threads are kept per section and per version (the version current when the
thread started). The district sees them beside the section in its form, the
consultant beside the section of the review; each side's home page lists the
threads waiting for it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .. import form as plan_form
from .. import workflow
from ..pages import Site, page
from ..storage import reviews

MAX_COMMENT = 5000


def section_ids(state: workflow.PlanState) -> set[str]:
    return {s.id for g in plan_form.groups(state.variant, state.plan, []) for s in g.sections}


def _section_threads(site: Site, request: Request, user, district, state, section: str):
    threads = [t for t in reviews.threads(site.db, state.row.id) if t.section == section]
    return site.render(request, "partials/comments.html", user=user, district=district, section=section,
                       threads=threads, can_comment=True)


@page
def add(site: Site, request: Request, form):
    """Start a thread on a section, or reply to one; answer with the section's threads as they now are."""
    user, district = site.district(request, "comment")
    state = workflow.state(site.db, district)
    body = str(form.get("body", "")).strip()
    thread = request.path_params.get("thread")
    if thread is not None:
        thread = int(thread)
        if reviews.thread_plan(site.db, thread) != state.row.id:
            return JSONResponse({"ok": False, "message": "no such thread"}, 404)
        section = next(t.section for t in reviews.threads(site.db, state.row.id) if t.id == thread)
    else:
        section = str(form.get("section", ""))
        if section not in section_ids(state):
            return JSONResponse({"ok": False, "message": "no such section"}, 422)
    if not body or len(body) > MAX_COMMENT:
        return JSONResponse({"ok": False, "message": f"write a comment of 1 to {MAX_COMMENT:,} characters"}, 422)
    reviews.add_comment(site.db, state.row.id, state.row.latest, section, user.id, body, thread)
    site.audit(user, "replied to a comment" if thread else "commented", district, section)
    return _section_threads(site, request, user, district, state, section)


@page
def resolve(site: Site, request: Request, form):
    """Mark a thread resolved (or open it again)."""
    user, district = site.district(request, "comment")
    state = workflow.state(site.db, district)
    thread = int(request.path_params["thread"])
    if reviews.thread_plan(site.db, thread) != state.row.id:
        return JSONResponse({"ok": False, "message": "no such thread"}, 404)
    resolved = str(form.get("resolved", "1")) == "1"
    reviews.resolve(site.db, thread, user.id, resolved)
    section = next(t.section for t in reviews.threads(site.db, state.row.id) if t.id == thread)
    site.audit(user, "resolved a comment" if resolved else "reopened a comment", district, section)
    return _section_threads(site, request, user, district, state, section)


ROUTES = [
    Route("/districts/{district:int}/comments", add, methods=["POST"]),
    Route("/districts/{district:int}/comments/{thread:int}/reply", add, methods=["POST"]),
    Route("/districts/{district:int}/comments/{thread:int}/resolve", resolve, methods=["POST"]),
]
