"""Routes for the Word templates people design (docs/templates.md): a district's plan, a region's letterhead.

Upload one (checked at once: its problems by paragraph, or it is in use),
download it back, or go back to docgen's own layout. A district's template is
the district's to change (edit-plan); a region's letterhead is its
consultants' or an administrator's (set-letter-template, asked of the region).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from docgen.errors import DocgenError
from docgen.web.pages import Site, attachment, flash, page, redirect
from docgen.web.services import templates

HOME = "/districts/{district}"
LETTER = "set-letter-template"


def _checked(site: Site, request: Request, kind: str, owner: str, back: str, form):
    """Store and check the upload; the problems page (422) when check finds any, else back with a note."""
    user, district = request.state.user, request.state.district
    checked = templates.upload(site.db, site.data, user, kind, owner, form.get("template"))
    what = "plan template" if kind == "plan" else f"letter template of {owner}"
    if checked.problems:
        site.audit(user, "refused a template", district, f"{what}: {checked.name}, {len(checked.problems)} problems")
        return site.render(request, "template_problems.html", status=422, user=user, district=district,
                           file=checked.name, problems=checked.problems, back=back, uploaded=True, own_layout=None)
    site.audit(user, "set a template", district, f"{what}: {checked.name}")
    note = f"Your template is in use: {checked.name}."
    if checked.never_shown:
        note += (f" It never shows {', '.join(checked.never_shown)}: a download refuses while one of them holds "
                 "text, and offers docgen's own layout instead.")
    flash(request, note, "success")
    return redirect(back)


def _download(site: Site, request: Request, kind: str, owner: str):
    name, data = templates.uploaded(site.db, site.data, kind, owner)
    return attachment(data, name, "docx")


@page("edit-plan", back=HOME)
def plan_upload(site: Site, request: Request, form):
    """Upload the district's plan template (made with ``docgen template new``): every Word plan is filled into it."""
    district = request.state.district
    return _checked(site, request, "plan", str(district.id), f"/districts/{district.id}", form)


@page("view-plan")
def plan_download(site: Site, request: Request, form):
    """The district's plan template, as it was uploaded."""
    return _download(site, request, "plan", str(request.state.district.id))


@page("edit-plan", back=HOME)
def plan_remove(site: Site, request: Request, form):
    """Go back to docgen's own layout for the district's Word plan."""
    user, district = request.state.user, request.state.district
    templates.remove(site.db, site.data, "plan", str(district.id))
    site.audit(user, "removed a template", district, "plan template")
    flash(request, "The Word plan is in docgen's own layout again.", "success")
    return redirect(f"/districts/{district.id}")


def _region(site: Site, request: Request) -> str:
    """Return the route's {region} when the user may set its letter template (a consultant of another: 403)."""
    region = templates.require_region(site.db, request.path_params["region"])
    site.require(request, LETTER, region=region)
    return region


def _region_page(request: Request) -> str:
    return "/admin/districts" if request.state.user.role == "admin" else "/region"


@page(LETTER)
def letter_upload(site: Site, request: Request, form):
    """Upload the region's letter template (``docgen template new --letter``): every letter is filled into it."""
    region = _region(site, request)
    try:
        return _checked(site, request, "letter", region, _region_page(request), form)
    except DocgenError as exc:  # no file, not a .docx, too large, refused by the package guard
        flash(request, str(exc).replace(f"{site.data}/", ""), "error")
        return redirect(_region_page(request))


@page(LETTER)
def letter_download(site: Site, request: Request, form):
    """The region's letter template, as it was uploaded."""
    return _download(site, request, "letter", _region(site, request))


@page(LETTER)
def letter_remove(site: Site, request: Request, form):
    """Go back to docgen's own letter layout for the region."""
    region = _region(site, request)
    templates.remove(site.db, site.data, "letter", region)
    site.audit(request.state.user, "removed a template", None, f"letter template of {region}")
    flash(request, f"Letters of {region} are in docgen's own layout again.", "success")
    return redirect(_region_page(request))


ROUTES = [
    Route("/districts/{district:id}/template", plan_upload, methods=["POST"]),
    Route("/districts/{district:id}/template.docx", plan_download, methods=["GET"]),
    Route("/districts/{district:id}/template/remove", plan_remove, methods=["POST"]),
    Route("/regions/{region}/letter-template", letter_upload, methods=["POST"]),
    Route("/regions/{region}/letter-template.docx", letter_download, methods=["GET"]),
    Route("/regions/{region}/letter-template/remove", letter_remove, methods=["POST"]),
]
