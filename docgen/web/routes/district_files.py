"""Routes for a plan's ways in and out: preview, downloads, workbook upload, Word import, roll-forward, versions.

Every document is made by docgen.api, exactly as the command line makes it;
uploads are capped in size and read by the same guarded readers.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from docgen import api, variants
from docgen.errors import DocgenError
from docgen.read import received as received_plans
from docgen.web import form as plan_form
from docgen.web.pages import Site, attachment, flash, int_param, page, redirect
from docgen.web.routes import replacing as replacement
from docgen.web.services import compare, files, received, replacing, templates, workflow, years
from docgen.web.storage import plans
from docgen.web.storage.accounts import District
from docgen.write import output, pdf

HOME, VERSIONS = "/districts/{district}", "/districts/{district}/versions"
DOWNLOADS = ("docx", "pptx", "docx.pdf", "pptx.pdf", "xlsx", "eml")
IMPORTED = (".docx", ".pptx", ".pdf")  # a plan written in Word or PowerPoint, or either's PDF: api.received_plan


def _version(site: Site, request: Request, district: District) -> tuple[workflow.PlanState, int]:
    """Return the plan state of the ?year= (default: this year) at ?version=N (default: the latest) and N."""
    state = workflow.state(site.db, district, years.chosen(request.query_params.get("year")).id)
    wanted = int_param(request.query_params.get("version"), state.row.latest)
    if wanted != state.row.latest:
        plan = plans.load_version(site.db, state.row, wanted)
        if plan is None:
            raise HTTPException(404)
        state = workflow.PlanState(state.row, plan, state.variant, api.check_plan(plan))
    return state, wanted


@page("view-plan")
def preview(site: Site, request: Request, form):
    """The plan in the official order, as the documents will show it, before downloading."""
    user, district = request.state.user, request.state.district
    state, number = _version(site, request, district)
    site.audit(user, "viewed the plan", district, f"preview of {state.variant.plan_year} version {number}")
    return site.render(request, "preview.html", user=user, district=district, state=state, number=number,
                       this_year=years.is_current(state.variant),
                       groups=plan_form.groups(state.variant, state.plan, state.findings))


@page("view-plan", back=HOME)
def download(site: Site, request: Request, form):
    """Download the Word or PowerPoint plan, its PDF, the intake workbook, or the submitted email draft."""
    user, district = request.state.user, request.state.district
    kind = request.path_params["kind"]
    if kind not in DOWNLOADS:
        raise HTTPException(404)
    state, number = _version(site, request, district)
    variant = state.variant
    title = variant.document_title(district.name)
    site.audit(user, "downloaded", district, f"{kind} of {variant.plan_year} version {number}")
    # docgen's own layout, not the district's template: when asked, and for an earlier year (whose fields the
    # template, made for this year's, may not all show)
    own = request.query_params.get("layout") == "docgen" or not years.is_current(variant)
    if kind in ("docx", "pptx"):
        made = templates.plan_files(site.db, site.data, district, state.plan, variant, (kind,), own)
        name, data = next(iter(made.items()))
        return attachment(data, name, kind)
    if kind == "xlsx":
        return attachment(api.workbook_bytes(state.plan), output.safe_filename(title, ".xlsx"), "xlsx")
    if kind == "eml":
        if not years.is_current(variant):
            raise HTTPException(404)  # the email draft is this year's submission's
        return _email_draft(site, district, state, request.query_params.get("attach", "docx"), own)
    return _pdf(site, district, state, number, kind.split(".")[0], own)


EMAIL_ATTACHMENTS = {"docx": ("docx",), "pptx": ("pptx",), "both": ("docx", "pptx")}


def _email_draft(site: Site, district: District, state: workflow.PlanState, attach: str, own: bool) -> Response:
    """Return the submitted version's email draft, carrying the plan in the format the district chose."""
    if attach not in EMAIL_ATTACHMENTS:
        raise HTTPException(404)
    submission = plans.open_submission(site.db, state.row.id)
    if submission is None:
        raise DocgenError("The email draft is made when the plan is submitted; submit it first.")
    plan = plans.load_version(site.db, state.row, submission["number"])
    chosen = EMAIL_ATTACHMENTS[attach]
    made = templates.submission_files(site.db, site.data, district, plan, api.check_plan(plan),
                                      f"{district.name}'s plan", chosen, chosen, own)
    name = next(n for n in made if n.endswith(".eml"))
    return attachment(made[name], name, "eml")


def _pdf(site: Site, district: District, state: workflow.PlanState, number: int, fmt: str, own: bool) -> Response:
    """Return the PDF of a version's Word plan or deck, made once by LibreOffice and kept for the next download
    (one PDF per template the Word plan was filled into); a kept one is served without filling the plan again."""
    name = api.plan_file_names(state.plan, state.variant, (fmt,))[fmt]
    template = None if own or fmt != "docx" else templates.path_of(site.db, site.data, "plan", str(district.id))
    design = templates.pdf_design(template)  # the template's upload folder, new for each upload
    # "-ua": a tagged PDF/UA file, never one cached before docgen tagged its PDFs
    cache = site.data / "cache" / str(district.id) / f"{state.row.variant}-v{number}-{fmt}{design}-ua.pdf"
    if not cache.exists():
        made = templates.plan_files(site.db, site.data, district, state.plan, state.variant, (fmt,), own)
        name, data = next(iter(made.items()))
        made = files.pdf_of(name, data, "the Word or PowerPoint file", site.data, str(district.id))
        output.write_all(cache.parent, {cache.name: made}, force=True)
    return attachment(cache.read_bytes(), pdf.pdf_name(name), "pdf")


@page("edit-plan", back=HOME)
def upload(site: Site, request: Request, form):
    """Upload a filled workbook: read by the same reader as the command line; its problems named by sheet and cell."""
    user, district = request.state.user, request.state.district
    with files.used_upload(site, user, str(district.id), form.get("workbook"), (".xlsx", ".xlsm")) as path:
        plan = api.read_plan(path)  # a WorkbookError: app.py lists its problems by sheet and cell
        note = f"uploaded {path.name}"
        if plan.variant != workflow.current_variant().id:
            plan = api.roll_plan_forward(plan).plan
            note += f" (a {variants.load(plan.variant).plan_year} workbook, carried into this year's template)"
        if plan.district.name and plan.district.name.casefold() != district.name.casefold():
            note += f"; the workbook named the district '{plan.district.name}'"
        outcome = replacing.ask_or_replace(site.db, district, user, plan, "upload", note)
    return replacement.answer(site, request, outcome, f"Uploading {path.name}",
                              f"Read {path.name}: saved as version {{number}}.")


@page("edit-plan", back=HOME)
def import_word(site: Site, request: Request, form):
    """Import a plan written in Word, PowerPoint or PDF (last year's, or this year's in the district's own layout):
    answers move to this year's prompts; what moved, what the reader was unsure of and what found no place is listed,
    and the file is kept with its reading, for the district to confirm."""
    user, district = request.state.user, request.state.district
    with files.used_upload(site, user, str(district.id), form.get("document"), IMPORTED) as path:
        found, moved = api.imported_plan(path, shown_name=path.name)
        reading, number = received.receive(site.db, site.data, district, user, path, path.name, "upload",
                                           moved=moved)
    variant = workflow.current_variant()
    return site.render(request, "carried.html", user=user, district=district, number=number, moved=moved,
                       found=found, source=path.name, to_do=moved.to_do(variant), reading=reading,
                       tally=received_plans.tally(moved))


@page("edit-plan", back=HOME)
def roll_forward(site: Site, request: Request, form):
    """Start this year's plan from last year's plan in the app."""
    user, district = request.state.user, request.state.district
    old = files.last_year_plan(site.db, district)
    if old is None:
        flash(request, "There is no earlier plan of this district here to start from.", "error")
        return redirect(f"/districts/{district.id}")
    moved = api.roll_plan_forward(files.with_its_checkins(site.db, old))
    year = variants.load(old.variant).plan_year
    report = replacing.carry_report(f"The {year} plan", moved)
    outcome = replacing.ask_or_replace(site.db, district, user, moved.plan, "roll-forward",
                                       f"started from the {year} plan", report)
    return replacement.answer(site, request, outcome, f"Starting from the {year} plan", "")


@page("view-plan")
def versions(site: Site, request: Request, form):
    """Every saved version: who saved it, when, from where, and its check counts; any can be restored."""
    user, district = request.state.user, request.state.district
    year = years.chosen(request.query_params.get("year"))
    state = workflow.state(site.db, district, year.id)
    return site.render(request, "versions.html", user=user, district=district, state=state,
                       this_year=years.is_current(year), can=site.can(user, district, year),
                       versions=plans.versions(site.db, state.row.id),
                       submission=plans.open_submission(site.db, state.row.id))


@page("edit-plan", back=VERSIONS)
def restore(site: Site, request: Request, form):
    """Restore an earlier version: it becomes the newest version (nothing in between is lost)."""
    user, district = request.state.user, request.state.district
    state = workflow.state(site.db, district)
    number = request.path_params["number"]
    plan = plans.load_version(site.db, state.row, number)
    if plan is None:
        flash(request, f"There is no version {number}.", "error")
        return redirect(f"/districts/{district.id}/versions")
    outcome = replacing.ask_or_replace(site.db, district, user, plan, "restore", f"restored version {number}")
    return replacement.answer(site, request, outcome, f"Restoring version {number}",
                              f"Version {number} is restored as version {{number}}.")


@page("view-plan")
def compare_versions(site: Site, request: Request, form):
    """What changed between two versions (default: since the version that got feedback, or was submitted), or
    since last year's plan, section by section."""
    user, district = request.state.user, request.state.district
    query = request.query_params
    year = years.chosen(query.get("year"))
    state = workflow.state(site.db, district, year.id)
    listed = plans.versions(site.db, state.row.id)
    last_year = files.last_year_plan(site.db, district) if years.is_current(year) else None
    if query.get("last_year") == "1" and last_year:
        old = api.roll_plan_forward(plans.load_version(site.db, last_year)).plan
        labels = (f"the {variants.load(last_year.variant).plan_year} plan", f"version {state.row.latest}")
        new, first, second = state.plan, None, state.row.latest
    else:
        default, since = compare.default_from(site.db, state.row)  # the consultant's review, or the submission
        first = int_param(query.get("from"), default)
        second = int_param(query.get("to"), state.row.latest)
        old, new = plans.load_version(site.db, state.row, first), plans.load_version(site.db, state.row, second)
        if old is None or new is None:
            raise HTTPException(404)
        labels = (since if first == default else f"version {first}", f"version {second}")
    site.audit(user, "compared versions", district, f"{labels[0]} with {labels[1]}")
    return site.render(request, "compare.html", user=user, district=district, state=state, versions=listed,
                       this_year=years.is_current(year),
                       first=first, second=second, labels=labels, last_year=last_year,
                       sections=compare.compare(state.variant, old, new))


ROUTES = [
    Route("/districts/{district:id}/preview", preview, methods=["GET"]),
    Route("/districts/{district:id}/compare", compare_versions, methods=["GET"]),
    Route("/districts/{district:id}/download/{kind}", download, methods=["GET"]),
    Route("/districts/{district:id}/upload", upload, methods=["POST"]),
    Route("/districts/{district:id}/import", import_word, methods=["POST"]),
    Route("/districts/{district:id}/roll-forward", roll_forward, methods=["POST"]),
    Route("/districts/{district:id}/versions", versions, methods=["GET"]),
    Route("/districts/{district:id}/versions/{number:id}/restore", restore, methods=["POST"]),
]
