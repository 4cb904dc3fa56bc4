"""Read a plan from whatever a district sent: Word (the official template or its own layout), PowerPoint, PDF.

The one dispatch every door uses (``docgen import``, ``check``, ``build``,
``letter``, api.imported_plan): the file's content, not its name, says what it
is, and the package guard (package.py) turns away old binary files, passwords
and bombs with one line each. A Word file in the official template is read by
word.py exactly as before; every other file by own_layout.py, which files its
pieces by meaning. When a Word file holds some of the template's prompts but
not its layout, both readers run and the one that places more of the
district's text wins.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docgen import variants
from docgen.errors import FileRefused
from docgen.read import package

if TYPE_CHECKING:  # the Office libraries load only when a document is read (docgen check of a workbook needs none)
    from docgen.read.word import Imported

PDF_MAGIC = b"%PDF-"
NAMED = {".xlsx": "an Excel workbook (.xlsx)", ".docx": "a Word document (.docx)",
         ".pptx": "a PowerPoint presentation (.pptx)", ".pdf": "a PDF"}
READS = "docgen reads plans as .xlsx, .docx, .pptx or .pdf"


def kind_of(path: Path) -> str:
    """Return what the file is by its content: "xlsx", "docx", "pptx", "pdf"; raise one line for anything else."""
    path = Path(path)
    if not path.exists():
        raise FileRefused(path, "file not found")
    if path.is_dir():
        raise FileRefused(path, "is a folder, not a plan (.xlsx, .docx, .pptx or .pdf)")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    suffix = path.suffix.lower().lstrip(".")
    if head.startswith(package.OLE_SIGNATURE):  # an old binary file or a password: the guard says which, by kind
        package.read(path, {"xls": package.WORKBOOK, "ppt": package.PRESENTATION}.get(suffix, package.DOCUMENT))
    import zipfile

    named = NAMED.get(path.suffix.lower(), "a plan")
    if not head:
        raise FileRefused(path, f"is empty (0 bytes); it is not {named}")
    if not zipfile.is_zipfile(path):
        raise FileRefused(path, f"is not {named}: {READS}")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    for kind, part in (("xlsx", "xl/workbook.xml"), ("docx", "word/document.xml"), ("pptx", "ppt/presentation.xml")):
        if part in names:
            return kind
    raise FileRefused(path, f"is not {named} (a zip file of something else): {READS}")


def document_kind(path: Path) -> str | None:
    """Return "docx", "pptx" or "pdf" for a plan document, None for anything the workbook reader should judge.

    An old binary Word or PowerPoint file (or a password-protected one) is
    refused here with the guard's one line; a workbook, a CSV, an old .xls,
    a missing file are left to the workbook reader, whose messages they are.
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        kind = kind_of(path)
    except FileRefused:
        if path.suffix.lower() in (".doc", ".ppt", ".docx", ".pptx", ".pdf"):
            raise
        return None
    return None if kind == "xlsx" else kind


def read(path: Path, variant_id: str | None = None, shown_name: str | None = None) -> Imported:  # noqa: F821
    """Return a district's plan document read into the plan model (an Imported: plan, origins, what is unsure)."""
    path = Path(path)
    kind = kind_of(path)
    v = variants.load(variant_id or variants.newest())
    name = shown_name or str(path)  # in messages: what the person gave
    if kind == "docx":
        return _word(path, v, name)
    if kind == "pptx":
        from docgen.read import pptx_pieces

        return _own(pptx_pieces.read(path), v, name)
    if kind == "pdf":
        from docgen.read import pdf_pieces, template_items

        pieces = pdf_pieces.read(path)
        return _better(template_items.read(pieces), lambda: _own(pieces, v, name))
    from docgen.read.word_document import ImportError_

    raise ImportError_(f"{path}: is an Excel workbook, not a Word plan; to start this year's workbook from last "
                       "year's, use 'docgen roll-forward OLD.xlsx -o NEW.xlsx'")


def _own(pieces, v, name: str) -> Imported:
    from docgen.read.own_layout import OwnLayout

    return OwnLayout(v).read(pieces, name)


def _word(path: Path, v, name: str) -> Imported:
    """Read a Word file: the official template's reader when it places the text, else the own-layout reader."""
    from docgen.read import docx_pieces, word
    from docgen.read.word_document import ImportError_

    official = None
    try:
        official = word.read(path)
    except ImportError_ as exc:
        if "does not look like" not in str(exc):
            raise
    found = _better(official, lambda: _own(docx_pieces.read(path), v, name))
    if not found.plan.district.name:  # the template's reader reads the body only: the letterhead may name it
        _name_from(docx_pieces.read(path), found, name)
    return found


def _name_from(pieces, found: Imported, name: str) -> None:  # noqa: F821
    """Take the district's name from a page header, the title or the file name, marked for the person to check."""
    from docgen.read import own_cover

    for where, text in [(p.where, p.text) for p in pieces.items if p.aside] + [("the file's title", pieces.title),
                                                                               ("the file name", Path(name).name)]:
        said = own_cover.on_cover(text)[0] or own_cover.name_in(text, file_name=where == "the file name")
        if said:
            found.plan.district.name = said
            found.unsure.append(("district.name", where, said, f"the district's name, taken from {where}: check it"))
            return


def _better(official: Imported | None, own_reading) -> Imported:  # noqa: F821
    """Return the template reading when it found most prompts, else whichever places more of the text."""
    if official is not None:
        official.tally = tally_of(official)
        placed, left = official.tally["placed"] + official.tally["unsure"], official.tally["unplaced"]
        if len(official.missing) <= len(official.matched) or left <= max(2, 0.2 * (placed + left)):
            return official  # the template's prompts, and the text under them: read as the template
    own = own_reading()
    if official is None:
        return own
    placed_official = official.tally["placed"] / max(1, sum(official.tally.values()))
    placed_own = own.tally["placed"] / max(1, sum(own.tally.values()))
    return official if placed_official >= placed_own else own


def tally_of(found: Imported) -> dict[str, int]:
    """Count an official-template reading's pieces: answers and rows placed, those to check, those not placed."""
    plan = found.plan
    placed = sum(1 for value in plan.answers.values() if value)
    placed += sum(1 for p in plan.priorities for value in p.answers.values() if value)
    placed += sum(len(getattr(p, t)) for p in plan.priorities for t in ("outcomes", "benchmarks", "targeted_support"))
    placed += len(plan.schools) + len(plan.curricula)
    unsure = len(found.shared) + len(found.as_rows) + len(found.to_choose) + len(found.outside) + len(found.unsure)
    return {"placed": max(0, placed - unsure), "unsure": unsure, "unplaced": len(found.unplaced)}
