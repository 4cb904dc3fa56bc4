"""Routes for a plan's ways in and out: preview, downloads, workbook upload, Word import, roll-forward, versions.

Every document is made by docgen.api, exactly as the command line makes it;
uploads are capped in size and read by the same guarded readers.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ... import api, output, pdf, variants
from ...errors import DocgenError, WorkbookError
from .. import compare, workflow
from .. import form as plan_form
from ..pages import MAX_UPLOAD_BYTES, Site, flash, page, redirect
from ..storage import plans, reviews
from ..storage.accounts import District, User
from ..storage.db import Database

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "eml": "message/rfc822",
}
DOWNLOADS = ("docx", "pptx", "docx.pdf", "pptx.pdf", "xlsx", "eml")


def pdf_available() -> bool:
    """Return True when LibreOffice is installed on the server, so PDFs can be made."""
    try:
        pdf.soffice()
    except DocgenError:
        return False
    return True


def pdf_of(name: str, data: bytes, instead: str) -> bytes:
    """Return a document's PDF, made by LibreOffice; when it is not installed, say to download ``instead``."""
    if not pdf_available():
        raise DocgenError(f"PDFs need LibreOffice on the server, and it is not installed; download {instead} instead.")
    return next(iter(pdf.pdfs({name: data}).values()))


def last_year_plan(db: Database, district: District) -> plans.PlanRow | None:
    """Return the district's most recent plan in an older template that has content (to roll forward), or None."""
    current = workflow.current_variant().id
    return next((p for p in plans.plans_of(db, district.id) if p.variant < current and p.latest), None)


def attachment(data: bytes, name: str, kind: str) -> Response:
    """Return a download, its file name safe in the header (RFC 6266, with the UTF-8 form for any language)."""
    fallback = re.sub(r"[^A-Za-z0-9 ._()-]", "_", name)
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=CONTENT_TYPES[kind], headers={"content-disposition": disposition})


def _version(site: Site, request: Request, district: District) -> tuple[workflow.PlanState, int]:
    """Return the plan state at ?version=N (default: the latest) and N."""
    state = workflow.state(site.db, district)
    wanted = request.query_params.get("version", "")
    if wanted.isdigit() and int(wanted) != state.row.latest:
        plan = plans.load_version(site.db, state.row, int(wanted))
        if plan is None:
            raise HTTPException(404)
        state = workflow.PlanState(state.row, plan, state.variant, api.check_plan(plan))
        return state, int(wanted)
    return state, state.row.latest


@page
def preview(site: Site, request: Request, form):
    """The plan in the official order, as the documents will show it, before downloading."""
    user, district = site.district(request, "view-plan")
    state, number = _version(site, request, district)
    site.audit(user, "viewed the plan", district, f"preview of version {number}")
    return site.render(request, "preview.html", user=user, district=district, state=state, number=number,
                       groups=plan_form.groups(state.variant, state.plan, state.findings))


@page
def download(site: Site, request: Request, form):
    """Download the Word or PowerPoint plan, its PDF, the intake workbook, or the submitted email draft."""
    user, district = site.district(request, "view-plan")
    kind = request.path_params["kind"]
    if kind not in DOWNLOADS:
        raise HTTPException(404)
    state, number = _version(site, request, district)
    variant = state.variant
    title = variant.document_title(district.name)
    site.audit(user, "downloaded", district, f"{kind} of version {number}")
    try:
        if kind in ("docx", "pptx"):
            name, data = next(iter(api.plan_files(state.plan, variant, (kind,)).items()))
            return attachment(data, name, kind)
        if kind == "xlsx":
            return attachment(api.workbook_bytes(state.plan), output.safe_filename(title, ".xlsx"), "xlsx")
        if kind == "eml":
            return _email_draft(site, district, state, request.query_params.get("attach", "docx"))
        return _pdf(site, district, state, number, kind.split(".")[0])
    except DocgenError as exc:
        flash(request, str(exc), "error")
        return redirect(f"/districts/{district.id}")


EMAIL_ATTACHMENTS = {"docx": ("docx",), "pptx": ("pptx",), "both": ("docx", "pptx")}


def _email_draft(site: Site, district: District, state: workflow.PlanState, attach: str) -> Response:
    """Return the submitted version's email draft, carrying the plan in the format the district chose."""
    if attach not in EMAIL_ATTACHMENTS:
        raise HTTPException(404)
    submission = plans.open_submission(site.db, state.row.id)
    if submission is None:
        raise DocgenError("The email draft is made when the plan is submitted; submit it first.")
    plan = plans.load_version(site.db, state.row, submission["number"])
    chosen = EMAIL_ATTACHMENTS[attach]
    files = api.submission_files(plan, api.check_plan(plan), f"{district.name}'s plan", chosen, chosen)
    name = next(n for n in files if n.endswith(".eml"))
    return attachment(files[name], name, "eml")


def _pdf(site: Site, district: District, state: workflow.PlanState, number: int, fmt: str) -> Response:
    """Return the PDF of a version's Word plan or deck, made once by LibreOffice and kept for the next download."""
    name, data = next(iter(api.plan_files(state.plan, state.variant, (fmt,)).items()))
    # "-ua": a tagged PDF/UA file, never one cached before docgen tagged its PDFs
    cache = site.data / "cache" / str(district.id) / f"{state.row.variant}-v{number}-{fmt}-ua.pdf"
    if not cache.exists():
        output.write_all(cache.parent, {cache.name: pdf_of(name, data, "the Word or PowerPoint file")}, force=True)
    return attachment(cache.read_bytes(), pdf.pdf_name(name), "pdf")


def store_upload(site: Site, owner: str, upload, allowed: tuple[str, ...]) -> Path:
    """Save an uploaded file in the data folder (uploads/<owner>/<time>/<name>) and return its path."""
    name = Path(getattr(upload, "filename", "") or "").name
    if not name.lower().endswith(allowed):
        raise DocgenError(f"Choose a file ending in {' or '.join(allowed)}" + (f"; '{name}' is not one" if name else ""))
    data = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise DocgenError(f"'{name}' is larger than {MAX_UPLOAD_BYTES // 2**20} MB; a plan file is far smaller.")
    folder = site.data / "uploads" / owner / time.strftime("%Y%m%d-%H%M%S")
    safe = output.safe_filename(Path(name).stem, Path(name).suffix.lower())
    return output.write_all(folder, {safe: data}, force=True)[0]


def upload_message(site: Site, exc: DocgenError) -> str:
    """Return an upload's error message without the server's data folder in it."""
    return str(exc).replace(str(site.data), "").lstrip("/")


def upload_problems(site: Site, request: Request, user: User, district: District, exc: WorkbookError) -> Response:
    """Return the page listing an uploaded workbook's problems by sheet and cell (status 400)."""
    return site.render(request, "upload_problems.html", status=400, user=user, district=district,
                       file=Path(str(exc.path)).name, problems=exc.problems)


@page
def upload(site: Site, request: Request, form):
    """Upload a filled workbook: read by the same reader as the command line; its problems named by sheet and cell."""
    user, district = site.district(request, "edit-plan")
    try:
        path = store_upload(site, str(district.id), form.get("workbook"), (".xlsx", ".xlsm"))
        plan = api.read_plan(path)
        note = f"uploaded {path.name}"
        if plan.variant != workflow.current_variant().id:
            plan = api.roll_plan_forward(plan).plan
            note += f" (a {variants.load(plan.variant).plan_year} workbook, carried into this year's template)"
        if plan.district.name and plan.district.name.casefold() != district.name.casefold():
            note += f"; the workbook named the district '{plan.district.name}'"
        number, _ = workflow.replace(site.db, district, user, plan, "upload", note)
        site.audit(user, "changed the plan", district, f"{note} (version {number})")
    except WorkbookError as exc:
        return upload_problems(site, request, user, district, exc)
    except DocgenError as exc:
        flash(request, upload_message(site, exc), "error")
        return redirect(f"/districts/{district.id}")
    flash(request, f"Read {path.name}: saved as version {number}.", "success")
    return redirect(f"/districts/{district.id}/plan")


@page
def import_word(site: Site, request: Request, form):
    """Import last year's Word plan: answers move to this year's prompts; what moved or found no place is listed."""
    user, district = site.district(request, "edit-plan")
    try:
        path = store_upload(site, str(district.id), form.get("document"), (".docx",))
        found, moved = api.imported_plan(path, shown_name=path.name)
        number, state = workflow.replace(site.db, district, user, moved.plan, "import", f"imported {path.name}")
        site.audit(user, "changed the plan", district, f"imported {path.name} (version {number})")
    except DocgenError as exc:
        flash(request, upload_message(site, exc), "error")
        return redirect(f"/districts/{district.id}")
    return site.render(request, "carried.html", user=user, district=district, number=number, moved=moved,
                       found=found, source=path.name, to_do=moved.to_do(state.variant))


@page
def roll_forward(site: Site, request: Request, form):
    """Start this year's plan from last year's plan in the app."""
    user, district = site.district(request, "edit-plan")
    old = last_year_plan(site.db, district)
    if old is None:
        flash(request, "There is no earlier plan of this district here to start from.", "error")
        return redirect(f"/districts/{district.id}")
    try:
        moved = api.roll_plan_forward(plans.load_version(site.db, old))
        number, state = workflow.replace(site.db, district, user, moved.plan, "roll-forward",
                                     f"started from the {variants.load(old.variant).plan_year} plan")
        site.audit(user, "changed the plan", district, f"rolled forward last year's plan (version {number})")
    except DocgenError as exc:
        flash(request, str(exc), "error")
        return redirect(f"/districts/{district.id}")
    return site.render(request, "carried.html", user=user, district=district, number=number, moved=moved,
                       found=None, source=f"the {variants.load(old.variant).plan_year} plan",
                       to_do=moved.to_do(state.variant))


@page
def versions(site: Site, request: Request, form):
    """Every saved version: who saved it, when, from where, and its check counts; any can be restored."""
    user, district = site.district(request, "view-plan")
    state = workflow.state(site.db, district)
    return site.render(request, "versions.html", user=user, district=district, state=state,
                       versions=plans.versions(site.db, state.row.id),
                       submission=plans.open_submission(site.db, state.row.id))


@page
def restore(site: Site, request: Request, form):
    """Restore an earlier version: it becomes the newest version (nothing in between is lost)."""
    user, district = site.district(request, "edit-plan")
    state = workflow.state(site.db, district)
    number = int(request.path_params["number"])
    plan = plans.load_version(site.db, state.row, number)
    if plan is None:
        flash(request, f"There is no version {number}.", "error")
        return redirect(f"/districts/{district.id}/versions")
    try:
        new, _ = workflow.replace(site.db, district, user, plan, "restore", f"restored version {number}")
        site.audit(user, "changed the plan", district, f"restored version {number} as version {new}")
    except DocgenError as exc:
        flash(request, str(exc), "error")
        return redirect(f"/districts/{district.id}/versions")
    flash(request, f"Version {number} is restored as version {new}.", "success")
    return redirect(f"/districts/{district.id}/plan")


@page
def compare_versions(site: Site, request: Request, form):
    """What changed between two versions (default: since the version that got feedback, or was submitted), or
    since last year's plan, section by section."""
    user, district = site.district(request, "view-plan")
    state = workflow.state(site.db, district)
    listed = plans.versions(site.db, state.row.id)
    query = request.query_params
    last_year = last_year_plan(site.db, district)
    if query.get("last_year") == "1" and last_year:
        old = api.roll_plan_forward(plans.load_version(site.db, last_year)).plan
        labels = (f"the {variants.load(last_year.variant).plan_year} plan", f"version {state.row.latest}")
        new, first, second = state.plan, None, state.row.latest
    else:
        feedback = reviews.last_feedback(site.db, state.row.id)
        submission = plans.open_submission(site.db, state.row.id)
        default = feedback["version"] if feedback else (submission["number"] if submission else state.row.latest - 1)
        first = _number(query.get("from"), max(default, 1))
        second = _number(query.get("to"), state.row.latest)
        old, new = plans.load_version(site.db, state.row, first), plans.load_version(site.db, state.row, second)
        if old is None or new is None:
            raise HTTPException(404)
        labels = (f"version {first}", f"version {second}")
    site.audit(user, "compared versions", district, f"{labels[0]} with {labels[1]}")
    return site.render(request, "compare.html", user=user, district=district, state=state, versions=listed,
                       first=first, second=second, labels=labels, last_year=last_year,
                       sections=compare.compare(state.variant, old, new))


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


ROUTES = [
    Route("/districts/{district:int}/preview", preview, methods=["GET"]),
    Route("/districts/{district:int}/compare", compare_versions, methods=["GET"]),
    Route("/districts/{district:int}/download/{kind}", download, methods=["GET"]),
    Route("/districts/{district:int}/upload", upload, methods=["POST"]),
    Route("/districts/{district:int}/import", import_word, methods=["POST"]),
    Route("/districts/{district:int}/roll-forward", roll_forward, methods=["POST"]),
    Route("/districts/{district:int}/versions", versions, methods=["GET"]),
    Route("/districts/{district:int}/versions/{number:int}/restore", restore, methods=["POST"]),
]
