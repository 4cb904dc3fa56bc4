"""Check a Word or PowerPoint file for the accessibility basics a state agency must publish with.

Works on any .docx or .pptx, ours or one a district edited: document title and
language, headings in order and never empty, header rows on data tables (a form
table, whose first row is one prompt across it, has no columns to head),
alternative text on pictures; on slides, a unique title on every slide, read first, and
header rows on tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.errors import DocgenError
from docgen.read import package

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def check_file(path: Path) -> list[Problem]:
    """Return the accessibility problems of a .docx or .pptx file (empty when it passes)."""
    path = Path(path)
    kinds = {".docx": (package.DOCUMENT, check_docx), ".pptx": (package.PRESENTATION, check_pptx)}
    if path.suffix.lower() not in kinds:
        if not path.exists():
            raise DocgenError(f"{path}: file not found")
        raise DocgenError(f"{path}: is not a Word (.docx) or PowerPoint (.pptx) file; "
                          "docgen accessibility checks those")
    kind, check = kinds[path.suffix.lower()]
    package.read(path, kind)  # refuses what is not such a file, or is built to exhaust memory, before parsing
    return check(path)


def check_docx(path: Path) -> list[Problem]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception:  # noqa: BLE001 - any unreadable package is the same answer to a person
        raise DocgenError(f"{path}: {package.DAMAGED.format(what=package.DOCUMENT.what, app='Word')}") from None
    problems = []
    props = document.core_properties
    if not (props.title or "").strip():
        problems.append(Problem("document properties", "the document has no title"))
    if not _docx_language(document):
        problems.append(Problem("document properties", "the document's language is not set (e.g. en-US)"))
    previous = 0
    for number, paragraph in enumerate(document.paragraphs, start=1):
        level = _heading_level(paragraph)
        if level is None:
            continue
        where = f"paragraph {number}"
        if not paragraph.text.strip():
            problems.append(Problem(where, f"empty Heading {level}"))
        if level > previous + 1:
            problems.append(Problem(where, f"Heading {level} '{paragraph.text[:60]}' follows "
                                           f"{'no heading' if not previous else f'Heading {previous}'}: "
                                           "heading levels skip a level"))
        previous = level
    for number, table in enumerate(document.tables, start=1):
        first = table._tbl.find(f"{W}tr")
        if first is not None and len(first.findall(f"{W}tc")) < 2:
            continue  # a form: its first row is a prompt across the table, not column headings
        tr_pr = first.find(f"{W}trPr") if first is not None else None
        if first is None or tr_pr is None or tr_pr.find(f"{W}tblHeader") is None:
            problems.append(Problem(f"table {number}", "the first row is not marked as a header row"))
    for number, frame in enumerate(document.element.body.iter(f"{WP}docPr"), start=1):
        if not (frame.get("descr") or frame.get("title") or "").strip():
            problems.append(Problem(f"picture {number}", "the picture has no alternative text"))
    return problems


def _heading_level(paragraph) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name.lower().startswith("heading ") and name.split()[-1].isdigit():
        return int(name.split()[-1])
    if name == "Title":
        return None
    return None


def _docx_language(document) -> str:
    if (document.core_properties.language or "").strip():
        return document.core_properties.language
    defaults = document.styles.element.find(f"{W}docDefaults")
    lang = defaults.find(f".//{W}lang") if defaults is not None else None
    return lang.get(f"{W}val", "") if lang is not None else ""


def check_pptx(path: Path) -> list[Problem]:
    from pptx import Presentation

    try:
        prs = Presentation(str(path))
    except Exception:  # noqa: BLE001 - any unreadable package is the same answer to a person
        raise DocgenError(f"{path}: {package.DAMAGED.format(what=package.PRESENTATION.what, app='PowerPoint')}") \
            from None
    problems = []
    if not (prs.core_properties.title or "").strip():
        problems.append(Problem("presentation properties", "the presentation has no title"))
    seen: dict[str, int] = {}
    for number, slide in enumerate(prs.slides, start=1):
        where = f"slide {number}"
        title = slide.shapes.title
        text = title.text_frame.text.strip() if title is not None and title.has_text_frame else ""
        if not text:
            problems.append(Problem(where, "the slide has no title"))
        elif text in seen:
            problems.append(Problem(where, f"the title '{text}' is also slide {seen[text]}'s: titles must be unique"))
        else:
            seen[text] = number
        shapes = [s for s in slide.shapes]
        if title is not None and shapes and shapes[0].shape_id != title.shape_id:
            problems.append(Problem(where, "the title is not first in reading order"))
        for shape in shapes:
            if shape.has_table and not shape.table.first_row:
                problems.append(Problem(where, f"table '{shape.name}' has no header row"))
            if shape.shape_type is not None and shape.shape_type == 13:  # picture
                descr = shape._element.xpath("./p:nvPicPr/p:cNvPr/@descr")
                if not descr or not descr[0].strip():
                    problems.append(Problem(where, f"picture '{shape.name}' has no alternative text"))
    return problems
