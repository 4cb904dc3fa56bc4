"""Word templates people upload (docs/templates.md): a district's plan design, a region's letterhead.

An upload is stored the way workbooks are (files.store_upload: its name,
its size cap) and checked at once (templating.check_template: the package
guard, macros refused, every tag's problem by paragraph); only a template
without problems is put in use. Every download of that district's Word plan
(or that region's letter) is then filled into it.

Templates are untrusted: a fill with a template runs in a child process
(limits.call) under FILL_SECONDS and a memory limit, so the server's own
process never holds what a hostile template allocates, and one that runs over
is stopped and named as a loop to look for.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import NamedTuple

from docgen import api, templating, variants
from docgen.errors import DocgenError, NotFound, OverMemory, OverTime, TemplateProblems
from docgen.processes import limits
from docgen.processes.slots import Slots
from docgen.web.services import files
from docgen.web.services.workflow import current_variant
from docgen.web.storage import accounts, templates
from docgen.web.storage.accounts import District, User
from docgen.web.storage.db import Database
from docgen.write import output

FILL_SECONDS = 20.0  # a plan fills in well under a second; longer means the template loops
FILL_SLOTS = max(2, os.cpu_count() or 1)  # fills with a template at once, across every worker process
FILL_WAIT_SECONDS = 20.0  # how long a fill waits for a free slot before the server says it is busy
# limits.call starts children by forkserver from a threaded server (forking one is unsafe), with these loaded
multiprocessing.get_context("forkserver").set_forkserver_preload(["docgen.api", "docgen.templating"])


class Checked(NamedTuple):
    """An uploaded template as check found it: its problems (none: it is in use) and the fields it never shows."""

    name: str
    problems: list[str]
    never_shown: list[str]


def path_of(db: Database, data: Path, kind: str, owner: str) -> Path | None:
    """Return where the template of ``kind`` that ``owner`` uses is kept, or None when it uses docgen's own layout."""
    row = templates.template(db, kind, owner)
    return Path(data) / row.file if row else None


def upload(db: Database, data: Path, user: User, kind: str, owner: str, upload_file) -> Checked:
    """Store and check an uploaded template; put it in use when check finds no problem in it."""
    folder = f"templates/{kind}-{output.safe_filename(owner, '')}"
    path = files.store_upload(data, folder, upload_file, (".docx",))
    try:
        report, never_shown = templating.check_template(path, current_variant(), for_letter=kind == "letter")
    except DocgenError:  # not a Word file, macros, a zip bomb: refused, and not kept
        files.discard(path)
        raise
    if report.problems:
        files.discard(path)
        return Checked(path.name, list(report.problems), never_shown)
    before = templates.template(db, kind, owner)
    templates.set_template(db, kind, owner, str(path.relative_to(data)), path.name, user.id)
    _delete(data, before)  # only now: a refused or failed upload leaves the one in use untouched
    return Checked(path.name, [], never_shown)


def remove(db: Database, data: Path, kind: str, owner: str) -> None:
    """Go back to docgen's own layout for ``owner``'s documents of ``kind``, and delete the template's file."""
    before = templates.template(db, kind, owner)
    templates.remove_template(db, kind, owner)
    _delete(data, before)


def pdf_design(template: Path | None) -> str:
    """Return the part of a cached PDF's name that says which template its Word plan was filled into ("" for none).

    A template's upload folder is new for every upload, so a PDF made with a replaced template is never served."""
    return f"-{template.parent.name}" if template else ""


def _delete(data: Path, row: templates.TemplateRow | None) -> None:
    """Delete a template no longer in use: its file, its upload folders once empty, and the PDFs cached from it.

    Those PDFs are removed rather than kept: their names name the old template, so no download would serve them
    again, and the district's old design should not stay on the server after the district replaced it."""
    if row is None:
        return
    old = Path(data) / row.file
    files.discard(old)
    try:
        old.parent.parent.rmdir()  # templates/<kind>-<owner>, when no template of it is left
    except OSError:  # the new template is in it
        pass
    if row.kind == "plan":
        for cached in (Path(data) / "cache" / row.owner).glob(f"*{pdf_design(old)}-ua.pdf"):
            cached.unlink(missing_ok=True)


def plan_files(db: Database, data: Path, district: District, plan, variant, formats, own_layout=False) -> dict:
    """Return the plan documents in ``formats``; the Word plan in the district's template when it has one."""
    template = None if own_layout or "docx" not in formats else path_of(db, data, "plan", str(district.id))
    if template is None:
        return api.plan_files(plan, variant, formats)
    return _limited(data, f"district {district.id}", template, _plan_files, plan, variant.id, tuple(formats),
                    str(template))


def submission_files(db: Database, data: Path, district: District, plan, findings, source: str, formats, attach,
                     own_layout=False) -> dict:
    """Return the submitted plan's files and email draft (api.submission_files), in the district's template."""
    template = None if own_layout or "docx" not in (*formats, *attach) else path_of(db, data, "plan", str(district.id))
    if template is None:
        return api.submission_files(plan, findings, source, formats, attach)
    return _limited(data, f"district {district.id}", template, api.submission_files, plan, findings, source,
                    tuple(formats), tuple(attach), str(template))


def letter_file(db: Database, data: Path, region: str, plan, variant, findings, own_layout=False) -> tuple[str, bytes]:
    """Return the letter's file name and .docx bytes; on the region's letterhead template when it has one."""
    template = None if own_layout else path_of(db, data, "letter", region)
    if template is None:
        return api.letter_file(plan, variant, findings)
    return _limited(data, f"region {region}", template, _letter_file, plan, variant.id, findings, str(template))


def _plan_files(plan, variant_id: str, formats: tuple, template: str) -> dict:
    return api.plan_files(plan, variants.load(variant_id), formats, template=template)


def _letter_file(plan, variant_id: str, findings, template: str) -> tuple[str, bytes]:
    return api.letter_file(plan, variants.load(variant_id), findings, template=template)


def fill_slots(data: Path) -> Slots:
    """Return the template fills every worker process of the server shares: FILL_SLOTS at once, an owner half."""
    return Slots(Path(data) / "tmp" / "fill-slots", FILL_SLOTS, max(1, FILL_SLOTS // 2), wait=FILL_WAIT_SECONDS,
                 what="documents from templates")


def _limited(data: Path, owner: str, template: Path, function, *args):
    """Return ``function(*args)`` run in a child process under FILL_SECONDS and a memory limit (limits.call),
    in one of the server's fill slots (``owner``, a district or a region, takes at most its share of them: twenty
    downloads at once from one district do not take every core).

    A TemplateProblems names the template by its uploaded name, not where the server keeps it; running over the
    time limit (OverTime) is named as a loop to look for.
    """
    try:
        with fill_slots(data).hold(owner):
            return limits.call(function, args, FILL_SECONDS, what="filling")
    except OverTime:
        stopped = (f"filling took longer than {FILL_SECONDS:g} seconds and was stopped; look for a loop in the "
                   "template that never ends")
        raise TemplateProblems(template.name, [stopped]) from None
    except TemplateProblems as exc:
        raise TemplateProblems(template.name, exc.problems) from None
    except OverMemory as exc:
        raise TemplateProblems(template.name, [f"{exc}; look for a loop in the template that repeats too often"]) \
            from None


def uploaded(db: Database, data: Path, kind: str, owner: str) -> tuple[str, bytes]:
    """Return (file name, bytes) of the template in use for ``kind`` ("plan", "letter") of ``owner``, as uploaded;
    NotFound when there is none."""
    row = templates.template(db, kind, owner)
    if row is None or not (data / row.file).is_file():
        raise NotFound("There is no template uploaded here; the documents are in docgen's own layout.")
    return row.name, (data / row.file).read_bytes()


def require_region(db: Database, region: str) -> str:
    """Return ``region`` when it is one of the web app's regions; NotFound for any other name."""
    if region not in accounts.regions(db):
        raise NotFound(f"There is no region '{region[:40]}' here.")
    return region
