"""Routes for a consultant's review of a submitted plan: the review page, its autosave, the letter, feedback sent.

The review is the same data as the workbook's 'Consultant review' sheet: the
reviewed plan downloads as a workbook carrying it, and a workbook carrying a
review uploads into it. An earlier year's review (``?year=``) is only read:
its page, its letter and its workbook.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from docgen import api
from docgen.errors import DocgenError
from docgen.read.layout import REVIEW_FIELDS
from docgen.web import form as plan_form
from docgen.web.pages import Site, attachment, flash, int_param, page, redirect
from docgen.web.services import files, progress, reviewing, templates, years
from docgen.web.storage import reviews
from docgen.write import output, pdf

REVIEW = "/districts/{district}/review"


@page("review-plan")
def review_page(site: Site, request: Request, form):
    """Each section of the submitted version beside the consultant's boxes; the letter's preview below."""
    user, district = request.state.user, request.state.district
    variant = _year(request)
    current = reviewing.state(site.db, district, variant, user)  # nothing submitted: "Nothing to review yet"
    site.audit(user, "viewed the review", district, f"{variant.plan_year} version {current.version}")
    groups = plan_form.groups(current.variant, current.plan, current.findings)
    by_spec = {}
    for group in groups:
        for section in group.sections:
            by_spec.setdefault(section.spec_id, []).append((group, section))
    return site.render(request, "review.html", user=user, district=district, current=current, by_spec=by_spec,
                       sections=current.variant.sections, review_fields=REVIEW_FIELDS,
                       threads=reviews.threads(site.db, current.row.id),
                       history=reviews.history(site.db, current.row.id),
                       latest=current.row.latest,
                       letter=reviewing.letter(current),
                       pdf_ready=files.pdf_available(), year=progress.year_of(site.db, district, variant),
                       y=variant, this_year=years.is_current(variant))


def _year(request: Request):
    """Return the plan year a page of the review reads (``?year=``, default this year's)."""
    return years.chosen(request.query_params.get("year"))


@page("review-plan", answers_json=True)
def save(site: Site, request: Request, form):
    """Save one box of the review as the consultant types (JSON for the page's script)."""
    user, district = request.state.user, request.state.district
    name, value = str(form.get("name", "")), str(form.get("value", ""))
    version = reviewing.save_field(site.db, district, user, name, value)  # refused: app.py answers 422 or 409
    site.audit(user, "reviewed", district, f"version {version}: {name}")
    return JSONResponse({"ok": True, "version": version})


@page("review-plan")
def letter_preview(site: Site, request: Request, form):
    """The letter as HTML from the letter's own template (refreshed as the consultant writes).

    htmx gets the letter alone, for the review page; opened on its own (a new tab) it is a page of its own.
    """
    user, district = request.state.user, request.state.district
    current = reviewing.state(site.db, district, _year(request))
    letter = reviewing.letter(current)
    if request.headers.get("hx-request"):
        return site.render(request, "partials/letter.html", letter=letter)
    return site.render(request, "letter.html", user=user, district=district, letter=letter)


@page("review-plan", back=REVIEW)
def letter_download(site: Site, request: Request, form):
    """The letter as a Word file (made as ``docgen letter`` makes it), or its PDF where LibreOffice is installed.

    ``?sent=N`` is the letter sent on version N, made from the review as it stood when it was sent.
    """
    user, district = request.state.user, request.state.district
    kind = request.path_params["kind"]
    current = reviewing.state(site.db, district, _year(request))
    plan, version = current.plan, current.version
    sent = request.query_params.get("sent")
    if sent is not None:
        version = int_param(sent, 0)
        plan = reviewing.sent_letter_plan(site.db, district, version, current.variant)
    own = request.query_params.get("layout") == "docgen"  # docgen's own layout, not the region's letterhead
    name, data = templates.letter_file(site.db, site.data, district.region, plan, current.variant,
                                       api.check_plan(plan) if sent is not None else current.findings, own)
    if kind == "pdf":
        name, data = pdf.pdf_name(name), files.pdf_of(name, data, "the Word letter", site.data,
                                                                str(district.id))
    site.audit(user, "downloaded the letter", district, f"version {version}{' as sent' if sent else ''}, {kind}")
    return attachment(data, name, "pdf" if kind == "pdf" else "docx")


@page("review-plan", back="/districts/{district}")
def feedback_sent(site: Site, request: Request, form):
    """Record that the feedback letter went to the district today."""
    user, district = request.state.user, request.state.district
    current = reviewing.state(site.db, district)
    if current.review.is_empty:
        flash(request, "Write the review first: the letter is still the DRAFT made from check alone.", "error")
        return redirect(f"/districts/{district.id}/review")
    current = reviewing.mark_sent(site.db, district, user)
    site.audit(user, "marked feedback sent", district, f"version {current.version}")
    flash(request, f"Feedback to {district.name} is recorded as sent today.", "success")
    return redirect("/region")


@page("review-plan")
def workbook(site: Site, request: Request, form):
    """The reviewed plan as an intake workbook, its 'Consultant review' sheet filled."""
    user, district = request.state.user, request.state.district
    current = reviewing.state(site.db, district, _year(request))
    plan = current.plan
    plan.review = current.review
    site.audit(user, "downloaded the reviewed workbook", district, f"version {current.version}")
    title = current.variant.document_title(district.name) + " (reviewed)"
    return attachment(api.workbook_bytes(plan), output.safe_filename(title, ".xlsx"), "xlsx")


@page("review-plan", back=REVIEW)
def upload(site: Site, request: Request, form):
    """Fill the review from a workbook's 'Consultant review' sheet (the plan itself is not changed)."""
    user, district = request.state.user, request.state.district
    with files.used_upload(site, user, str(district.id), form.get("workbook"), (".xlsx", ".xlsm")) as path:
        review = api.read_plan(path).review  # a WorkbookError: app.py lists its problems by sheet and cell
        if review is None:
            raise DocgenError(f"{path.name}: its 'Consultant review' sheet is empty; nothing was changed")
        version = reviewing.save_whole(site.db, district, user, review)
    site.audit(user, "uploaded a review", district, f"version {version}, from {path.name}")
    flash(request, f"The review is filled from {path.name}.", "success")
    return redirect(f"/districts/{district.id}/review")


ROUTES = [
    Route("/districts/{district:id}/review", review_page, methods=["GET"]),
    Route("/districts/{district:id}/review/save", save, methods=["POST"]),
    Route("/districts/{district:id}/review/letter", letter_preview, methods=["GET"]),
    Route("/districts/{district:id}/review/letter.{kind:str}", letter_download, methods=["GET"]),
    Route("/districts/{district:id}/review/sent", feedback_sent, methods=["POST"]),
    Route("/districts/{district:id}/review/workbook", workbook, methods=["GET"]),
    Route("/districts/{district:id}/review/upload", upload, methods=["POST"]),
]
