"""Files in and out of the web app: stored uploads, PDFs made by LibreOffice, last year's plan to start from.

Shared by the district's and the consultant's routes, so that no route module
imports another's helpers.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from docgen.errors import DocgenError, OutputError, StorageFull, TooManyUploads
from docgen.model.plan import Plan
from docgen.processes.slots import Slots
from docgen.web import metrics
from docgen.web.services.workflow import current_variant
from docgen.web.storage import checkins, plans, uploads
from docgen.web.storage.accounts import District
from docgen.web.storage.db import Database
from docgen.write import output, pdf

MAX_UPLOAD_BYTES = 10 * 2**20  # a plan workbook or Word file; refused above, before it is parsed
UPLOAD_QUOTA_MB = 200  # per owner folder (a district): what its stored uploads may take together
UPLOADS_KEPT = 20  # per owner folder: the newest uploads kept, older ones removed after each new one
UPLOADS_PER_MINUTE = 10  # per account
FREE_FLOOR_BYTES = 500 * 2**20  # below this much free space on the data disk, no upload or PDF is made
PDF_SLOTS = max(2, os.cpu_count() or 1)  # LibreOffice conversions at once, across every worker process
PDF_WAIT_SECONDS = 20.0  # how long a PDF waits for a free slot before the server says it is busy


def free_bytes(folder: Path) -> int:
    """Return the free space on the disk holding ``folder`` (the tests replace this to stand for a full disk)."""
    return shutil.disk_usage(folder).free


def check_free_space(folder: Path) -> None:
    """Refuse to store a file when the data disk is nearly full, so that SQLite (typed text) can still write."""
    if free_bytes(folder) < FREE_FLOOR_BYTES:
        raise StorageFull("The server's disk is nearly full, so uploads and PDFs are refused for now; typed text "
                          "still saves. Tell the administrator, or download the Word or PowerPoint file instead.")


class UploadPace:
    """At most ``limit`` uploads per account in any ``window`` seconds, counted in the database (storage/uploads.py),
    so every server process and every app server on one database counts the same uploads.

    That bounds how fast one account can fill the disk, which is all it is for; the quota bounds how much.
    """

    def __init__(self, db: Database, limit: int = UPLOADS_PER_MINUTE, window: float = 60.0, clock=time.time):
        self.db, self.limit, self.window, self.clock = db, limit, window, clock

    def allow(self, account: int) -> None:
        """Count an upload by ``account``; raise TooManyUploads when it is over the limit (not counted then)."""
        if not uploads.count_if_below(self.db, account, self.clock(), self.window, self.limit):
            raise TooManyUploads(f"You uploaded {self.limit} files in the last minute, the most the server "
                                 "takes; wait a minute, then upload again.")


def pdf_available() -> bool:
    """Return True when LibreOffice is installed on the server, so PDFs can be made."""
    try:
        pdf.soffice()
    except DocgenError:
        return False
    return True


def pdf_slots(data_folder: Path) -> Slots:
    """Return the PDF conversions every worker process of the server shares: PDF_SLOTS at once, a district half."""
    return Slots(Path(data_folder) / "tmp" / "pdf-slots", PDF_SLOTS, max(1, PDF_SLOTS // 2), wait=PDF_WAIT_SECONDS)


def pdf_of(name: str, data: bytes, instead: str, data_folder: Path, owner: str) -> bytes:
    """Return a document's PDF, made by LibreOffice; when it is not installed, say to download ``instead``.

    Refused when the data disk is below its free-space floor (LibreOffice and the PDF cache write there), and
    with ServerBusy (503) when the server already makes as many PDFs as it allows, or ``owner`` (a district)
    its share of them. LibreOffice sees the data folder (the database, every district's uploads) empty."""
    check_free_space(Path(data_folder))
    if not pdf_available():
        raise DocgenError(f"PDFs need LibreOffice on the server, and it is not installed; download {instead} instead.")
    with metrics.conversion() as conversion:  # the one place the web app asks for a PDF
        conversion.started()
        made = pdf.pdfs({name: data}, slots=pdf_slots(data_folder), owner=owner, hidden=(Path(data_folder),))
        return next(iter(made.values()))


def last_year_plan(db: Database, district: District) -> plans.PlanRow | None:
    """Return the district's most recent plan in an older template that has content (to roll forward), or None."""
    current = current_variant().id
    return next((p for p in plans.plans_of(db, district.id) if p.variant < current and p.latest), None)


def with_its_checkins(db: Database, row: plans.PlanRow) -> Plan:
    """Return a year's latest plan carrying that year's check-ins: roll-forward lists them as last year's evidence
    beside "What will be the same or different... and why", as it does from a workbook's Check-ins sheet."""
    plan = plans.load_version(db, row)
    assert plan is not None  # last_year_plan gives only plans with a saved version
    return replace(plan, checkins=[s.checkin for s in checkins.of_district(db, row.district_id, row.variant)])


def store_upload(data_folder: Path, owner: str, upload, allowed: tuple[str, ...],
                 quota_bytes: int = UPLOAD_QUOTA_MB * 2**20) -> Path:
    """Save an uploaded file in the data folder (uploads/<owner>/<time>/<name>) and return its path.

    Refused, before anything is written, when the data disk is below its free-space floor or when the owner's
    stored uploads and this one would be more than ``quota_bytes``."""
    name = Path(getattr(upload, "filename", "") or "").name
    if not name.lower().endswith(allowed):
        named = f"; '{name}' is not one" if name else ""
        raise DocgenError(f"Choose a file ending in {' or '.join(allowed)}{named}")
    data = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise DocgenError(f"'{name}' is larger than {MAX_UPLOAD_BYTES // 2**20} MB; a plan file is far smaller.")
    check_free_space(Path(data_folder))
    owned = Path(data_folder) / "uploads" / owner
    used = sum(f.stat().st_size for f in _files_in(owned))
    if used + len(data) > quota_bytes:
        raise StorageFull(f"'{name}' was not stored: this district's uploads may take {quota_bytes // 2**20} MB "
                          f"and {used / 2**20:.0f} MB are used. Ask the administrator to raise the quota.")
    return keep(owned, name, data)


def keep(owned: Path, name: str, data: bytes) -> Path:
    """Write a file under an owner's folder, in a new time-named folder, by a safe form of ``name``; return its path."""
    safe = output.safe_filename(Path(name).stem or "file", Path(name).suffix.lower())
    return output.write_all(_new_folder(owned), {safe: data}, force=True)[0]


def _new_folder(owned: Path) -> Path:
    """Return a new time-named folder under ``owned`` (made here, so no other upload can claim it).

    Two uploads of the same second would otherwise share a folder, and the second would replace the first's file
    of the same name: a refused template would delete the one in use, a replaced one its successor."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        folder = owned / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            folder.mkdir(parents=True)
            return folder
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot create the upload folder {folder}: {exc.strerror or exc}") from None
    raise StorageFull(f"'{owned.name}' has too many uploads in one second; try again in a moment.")


@contextmanager
def used_upload(site, user, owner: str, upload, allowed: tuple[str, ...]) -> Iterator[Path]:
    """Store an upload (after the account's rate limit) and give its path to the ``with`` block that reads it.

    When the block raises (not a workbook, problems, a locked plan) the file is
    removed, with its folder when empty: only uploads that were used are kept.
    After a used one, the owner's uploads beyond the newest ``site.uploads_kept`` are removed."""
    site.upload_pace.allow(user.id)
    path = store_upload(site.data, owner, upload, allowed, site.upload_quota_mb * 2**20)
    try:
        yield path
    except BaseException:
        discard(path)
        raise
    prune(Path(site.data) / "uploads" / owner, site.uploads_kept)


def discard(path: Path) -> None:
    """Remove a stored upload and its time folder when nothing else is in it."""
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:  # not empty: two uploads of one second stored before folders were made unique
        pass


def prune(owned: Path, keep: int) -> None:
    """Remove the owner's uploads older than its newest ``keep`` (and the folders left empty)."""
    stored = sorted(_files_in(owned), key=lambda f: (f.stat().st_mtime_ns, str(f)))
    for old in stored[:max(len(stored) - keep, 0)]:
        discard(old)


def _files_in(owned: Path) -> list[Path]:
    """Return the files stored under an owner's uploads folder (none when it does not exist yet)."""
    return [f for f in owned.rglob("*") if f.is_file()] if owned.is_dir() else []
