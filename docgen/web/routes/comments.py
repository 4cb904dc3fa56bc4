"""Routes for comments on sections: a consultant starts a thread, the district replies, either marks it resolved.

Threads are kept per section and per version (the version current when the
thread started). The district sees them beside the section in its form, the
consultant beside the section of the review; each side's home page lists the
threads waiting for it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from docgen.web.pages import Site, page
from docgen.web.services import comments, workflow


def _section_threads(site: Site, request: Request, user, district, state, section: str):
    return site.render(request, "partials/comments.html", user=user, district=district, section=section,
                       threads=comments.threads_of(site.db, state, section), can_comment=True)


@page("comment", answers_json=True)
def add(site: Site, request: Request, form):
    """Start a thread on a section, or reply to one; answer with the section's threads as they now are."""
    user, district = request.state.user, request.state.district
    state = workflow.state(site.db, district)
    thread = request.path_params.get("thread")
    section = comments.add(site.db, state, user.id, str(form.get("body", "")), str(form.get("section", "")), thread)
    site.audit(user, "replied to a comment" if thread else "commented", district, section)
    return _section_threads(site, request, user, district, state, section)


@page("comment", answers_json=True)
def resolve(site: Site, request: Request, form):
    """Mark a thread resolved (or open it again)."""
    user, district = request.state.user, request.state.district
    state = workflow.state(site.db, district)
    resolved = str(form.get("resolved", "1")) == "1"
    section = comments.resolve(site.db, state, user.id, request.path_params["thread"], resolved)
    site.audit(user, "resolved a comment" if resolved else "reopened a comment", district, section)
    return _section_threads(site, request, user, district, state, section)


ROUTES = [
    Route("/districts/{district:id}/comments", add, methods=["POST"]),
    Route("/districts/{district:id}/comments/{thread:id}/reply", add, methods=["POST"]),
    Route("/districts/{district:id}/comments/{thread:id}/resolve", resolve, methods=["POST"]),
]
