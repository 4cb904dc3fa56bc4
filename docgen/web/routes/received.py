"""Routes for plans received as files: a consultant adds a plan a district e-mailed; its reading is confirmed.

The reading page is the same whether the plan came by e-mail (added by a
consultant) or was uploaded by the district in its own layout (the "Import a
plan" form, ``district_files.import_word``): what was placed, each piece the
reader was unsure of with a way to confirm it or move it, and what found no place.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from docgen.errors import DocgenError
from docgen.model.values import email_problem, parse_date
from docgen.web.pages import Site, attachment, flash, page, redirect
from docgen.web.services import files, received

HOME = "/districts/{district}"
READING = "/districts/{district}/received/{received}"
SUFFIXES = (".docx", ".pptx", ".pdf", ".xlsx")  # what a district e-mails; each read by api.received_plan
KINDS = {".docx": "docx", ".pptx": "pptx", ".pdf": "pdf", ".xlsx": "xlsx"}


@page("receive-plan", back=HOME)
def add_emailed(site: Site, request: Request, form):
    """Add a plan the district e-mailed: the file kept, read, saved as its submission; then its reading to confirm."""
    user, district = request.state.user, request.state.district
    sender, day = (form.get("sender") or "").strip(), (form.get("received") or "").strip()
    if sender and email_problem(sender):
        raise DocgenError(f"Sender: '{sender[:80]}' is not one e-mail address ({email_problem(sender)})")
    if day and parse_date(day) is None:
        raise DocgenError(f"Received on: '{day[:40]}' is not a date")
    with files.used_upload(site, user, f"{district.id}-received", form.get("document"), SUFFIXES) as path:
        received_id, number = received.receive(site.db, site.data, district, user, path, path.name, "e-mail",
                                                sender, day)
    flash(request, f"Read {path.name}: saved as version {number}, the district's submission (received by e-mail).",
          "success")
    return redirect(f"/districts/{district.id}/received/{received_id}")


@page("confirm-reading")
def reading(site: Site, request: Request, form):
    """How a received plan was read: pieces placed, those to confirm or move, those that found no place."""
    user, district = request.state.user, request.state.district
    view = received.reading(site.db, district, request.path_params["received"])
    can = site.can(user, district)
    return site.render(request, "received.html", user=user, district=district, view=view, how=received.HOW,
                       may_decide=can[received.DECIDES[view.row.how]])


@page("confirm-reading", back=READING)
def decide(site: Site, request: Request, form):
    """Confirm an unsure piece where the reader put it, or move it to the answer chosen: by the consultant for an
    e-mailed plan, by the district for its own upload (received.DECIDES, asked of the one permission function)."""
    user, district = request.state.user, request.state.district
    received_id, number = request.path_params["received"], request.path_params["piece"]
    site.district(request, received.DECIDES[received.reading(site.db, district, received_id).row.how])
    said = received.decide(site.db, district, user, received_id, number - 1, (form.get("to") or "").strip())
    flash(request, f"Piece {number}: {said}", "success")
    following = received.reading(site.db, district, received_id).next_piece  # where the keyboard goes on from
    return redirect(f"/districts/{district.id}/received/{received_id}#"
                    + (f"piece-{following}" if following else "unsure-h"))


@page("view-plan")
def kept_file(site: Site, request: Request, form):
    """Download the file as it was received."""
    district = request.state.district
    name, data = received.kept_file(site.data, district, site.db, request.path_params["received"])
    kind = KINDS.get("." + name.rsplit(".", 1)[-1].lower(), "docx")
    return attachment(data, name, kind)


ROUTES = [
    Route("/districts/{district:id}/received", add_emailed, methods=["POST"]),
    Route("/districts/{district:id}/received/{received:id}", reading, methods=["GET"]),
    Route("/districts/{district:id}/received/{received:id}/pieces/{piece:id}", decide, methods=["POST"]),
    Route("/districts/{district:id}/received/{received:id}/file", kept_file, methods=["GET"]),
]
