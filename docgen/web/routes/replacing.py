"""Routes for replacing a whole plan: the page that asks first, its yes and no, and Undo.

Upload, import, roll-forward and restore (routes/district_files.py) hand
their plan to ``answer``: saved at once over an empty draft, else the person
is shown what it would replace and asked. After a replacement the plan page
offers *Undo* until the next save.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from docgen.web.pages import Site, flash, page, redirect
from docgen.web.services import replacing

HOME = "/districts/{district}"


def answer(site: Site, request: Request, outcome: replacing.Asked | replacing.Replaced, what: str, done: str):
    """Answer a replacement: the page asking first (``what``: "Importing Plan.docx"), or, once saved, the carry
    report of an import or roll-forward, or the plan with ``done`` ("saved as version {number}") said."""
    user, district = request.state.user, request.state.district
    if isinstance(outcome, replacing.Asked):
        site.audit(user, "was asked before replacing the plan", district, outcome.note)
        return site.render(request, "confirm_replace.html", user=user, district=district, asked=outcome, what=what,
                           report=outcome.report)
    site.audit(user, "changed the plan", district, f"{what} (version {outcome.number})")
    return replaced(site, request, outcome, done)


def replaced(site: Site, request: Request, outcome: replacing.Replaced, done: str):
    """The page after a replacement: the carry report (with Undo) or the plan, ``done`` flashed."""
    user, district = request.state.user, request.state.district
    if "carried" in outcome.report:
        return site.render(request, "replaced.html", user=user, district=district, number=outcome.number,
                           report=outcome.report, undo=replacing.undoable(site.db, outcome.state.row))
    flash(request, done.format(number=outcome.number), "success")
    return redirect(f"/districts/{district.id}/plan")


@page("edit-plan", back=HOME)
def confirm(site: Site, request: Request, form):
    """Yes: the waiting plan replaces the draft (unless the draft was saved again meanwhile)."""
    user, district = request.state.user, request.state.district
    outcome = replacing.confirm(site.db, district, user, request.path_params["token"])
    site.audit(user, "changed the plan", district, f"replaced the draft, when asked (version {outcome.number})")
    return replaced(site, request, outcome, "The draft is replaced: saved as version {number}.")


@page("edit-plan", back=HOME)
def cancel(site: Site, request: Request, form):
    """No: the waiting plan is forgotten and the draft stays as it is."""
    user, district = request.state.user, request.state.district
    replacing.cancel(site.db, district, user, request.path_params["token"])
    flash(request, "Nothing was replaced: your draft is as it was.", "success")
    return redirect(f"/districts/{district.id}/plan")


@page("edit-plan", back="/districts/{district}/plan")
def undo(site: Site, request: Request, form):
    """Undo a replacement in one step: the version before it becomes the newest again."""
    user, district = request.state.user, request.state.district
    number = request.path_params["number"]
    new = replacing.undo(site.db, district, user, number)
    site.audit(user, "changed the plan", district, f"undid version {number} (version {new})")
    flash(request, f"Undone: the plan is as it was before version {number} (saved as version {new}).", "success")
    return redirect(f"/districts/{district.id}/plan")


ROUTES = [
    Route("/districts/{district:id}/replace/{token:str}", confirm, methods=["POST"]),
    Route("/districts/{district:id}/replace/{token:str}/cancel", cancel, methods=["POST"]),
    Route("/districts/{district:id}/versions/{number:id}/undo", undo, methods=["POST"]),
]
