"""Files in and out of the web app: stored uploads, PDFs made by LibreOffice, last year's plan to start from.

Shared by the district's and the consultant's routes, so that no route module
imports another's helpers.
"""

from __future__ import annotations

import time
from pathlib import Path

from ... import output, pdf
from ...errors import DocgenError
from ..storage import plans
from ..storage.accounts import District
from ..storage.db import Database
from .workflow import current_variant

MAX_UPLOAD_BYTES = 10 * 2**20  # a plan workbook or Word file; refused above, before it is parsed


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
    current = current_variant().id
    return next((p for p in plans.plans_of(db, district.id) if p.variant < current and p.latest), None)


def store_upload(data_folder: Path, owner: str, upload, allowed: tuple[str, ...]) -> Path:
    """Save an uploaded file in the data folder (uploads/<owner>/<time>/<name>) and return its path."""
    name = Path(getattr(upload, "filename", "") or "").name
    if not name.lower().endswith(allowed):
        named = f"; '{name}' is not one" if name else ""
        raise DocgenError(f"Choose a file ending in {' or '.join(allowed)}{named}")
    data = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise DocgenError(f"'{name}' is larger than {MAX_UPLOAD_BYTES // 2**20} MB; a plan file is far smaller.")
    folder = Path(data_folder) / "uploads" / owner / time.strftime("%Y%m%d-%H%M%S")
    safe = output.safe_filename(Path(name).stem, Path(name).suffix.lower())
    return output.write_all(folder, {safe: data}, force=True)[0]
