"""Read a Word file in any layout as Pieces: paragraphs, list items, headings, tables, text boxes, page headers.

The official-template reader (word.py) walks the template's own structure;
this one assumes nothing about it. Headings are known by their style (Heading
1-9, Title) or outline level, labels by bold type or a closing colon; tables
are kept whole; text boxes are read where they are anchored; tracked changes
count as accepted (inserted text read, deleted text not); comments are listed
aside, never read as answers; the page header and footer are kept aside too
(they often name the district).
"""

from __future__ import annotations

from pathlib import Path

from docx.oxml.ns import qn

from docgen import text
from docgen.read.pieces import LISTED, Piece, Pieces
from docgen.read.word_document import _kind, comments, open_document

W_P, W_TBL, W_T, W_SDT = qn("w:p"), qn("w:tbl"), qn("w:t"), qn("w:sdt")
TXBX = qn("w:txbxContent")
_REMOVED = {qn("w:del"), qn("w:moveFrom")}
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = _REMOVED | {TXBX, _FALLBACK}


def read(path: Path) -> Pieces:
    """Return the pieces of the Word file at ``path`` (through the package guard), in reading order."""
    document = open_document(path)
    walker = _Walker({s.style_id: s for s in document.styles})
    found = Pieces(format="docx", title=document.core_properties.title or "", comments=comments(document))
    for section in document.sections:
        for part, name in ((section.header, "page header"), (section.footer, "page footer")):
            try:
                element = part._element if not part.is_linked_to_previous else None
            except (AttributeError, KeyError, ValueError):
                element = None
            if element is not None:
                walker.aside(element, name)
    walker.walk(document.element.body)
    found.items = walker.asides + walker.items
    return found


def _text(p) -> str:
    """Return a paragraph's own accepted text: not deleted text, not the text of boxes anchored in it."""
    parts = []
    for node in p.iter(W_T, qn("w:tab"), qn("w:br"), qn("w:cr")):
        skipped = False
        for ancestor in node.iterancestors():
            if ancestor is p:
                break
            if ancestor.tag in _SKIP:
                skipped = True
                break
        if not skipped:
            parts.append(node.text or "" if node.tag == W_T else ("\t" if node.tag == qn("w:tab") else "\n"))
    return text.clean("".join(parts))


def _bold(p, styles) -> bool:
    """True when every run with text in the paragraph is bold (by run formatting or the paragraph's style)."""
    style_bold = False
    p_pr = p.find(qn("w:pPr"))
    style_id = ""
    if p_pr is not None and p_pr.find(qn("w:pStyle")) is not None:
        style_id = p_pr.find(qn("w:pStyle")).get(qn("w:val"))
    style = styles.get(style_id)
    if style is not None:
        try:
            style_bold = bool(style.font.bold)
        except (AttributeError, ValueError):
            style_bold = False
    runs = [r for r in p.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(W_T)).strip()]
    if not runs:
        return False
    for r in runs:
        b = r.find(f"{qn('w:rPr')}/{qn('w:b')}")
        if b is None and not style_bold:
            return False
        if b is not None and b.get(qn("w:val")) in ("0", "false"):
            return False
    return True


def _heading_level(p, styles) -> int:
    p_pr = p.find(qn("w:pPr"))
    if p_pr is None:
        return 0
    outline = p_pr.find(qn("w:outlineLvl"))
    ps = p_pr.find(qn("w:pStyle"))
    style = styles.get(ps.get(qn("w:val"))) if ps is not None else None
    name = (style.name or "") if style is not None else ""
    if name in ("Title",):
        return 1
    if name == "Subtitle":
        return 2
    if name.startswith("Heading") and name[7:].strip().isdigit():
        return int(name[7:].strip())
    if outline is not None and (outline.get(qn("w:val")) or "").isdigit() and int(outline.get(qn("w:val"))) < 9:
        return int(outline.get(qn("w:val"))) + 1
    return 0


class _Walker:
    def __init__(self, styles):
        self.styles = styles
        normal = next((st for st in styles.values() if (st.name or "") == "Normal"), None)
        try:
            self.normal = normal.font.size.pt if normal is not None and normal.font.size else 11.0
        except (AttributeError, ValueError):
            self.normal = 11.0
        self.style_names = {k: (s.name or "") for k, s in styles.items()}
        self.items: list[Piece] = []
        self.asides: list[Piece] = []
        self.paragraphs = 0
        self.tables = 0
        self.boxes = 0

    def walk(self, body) -> None:
        for child in body:
            if child.tag == W_P:
                self.paragraphs += 1
                self.paragraph(child, f"paragraph {self.paragraphs}")
            elif child.tag == W_TBL:
                self.tables += 1
                self.table(child, f"table {self.tables}")
            elif child.tag == W_SDT:  # a content control: its content, in place
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.walk(content)

    def paragraph(self, p, where: str) -> None:
        value = _text(p)
        kind = _kind(p, self.style_names)
        level = _heading_level(p, self.styles) or self.by_size(p)
        lines = [line.strip() for line in value.split("\n") if line.strip()]
        bold = bool(lines) and _bold(p, self.styles)
        lead = "" if bold or level or len(lines) != 1 else _run_in(p, lines[0])
        if lead:  # "**Funding:** Title I and ..." : a run-in label, then its answer
            self.items.append(Piece(lead, where, label=True))
            lines = [lines[0][len(lead):].lstrip(" :.-–—")]
        for i, line in enumerate(lines):
            label = bold and len(line.split()) <= 15 and not LISTED.match(line)
            self.items.append(Piece(line, where, kind if i == 0 else "para", heading=level, label=label))
        for box in p.iter(TXBX):
            if any(a.tag == _FALLBACK for a in box.iterancestors()):
                continue  # the same box again, for programs that cannot read the first
            self.boxes += 1
            for inner in box.iter(W_P):
                self.paragraph(inner, f"text box {self.boxes}")

    def by_size(self, p) -> int:
        """Return 1 or 2 for a paragraph in type clearly larger than the body's (a heading typed by hand), else 0."""
        sizes = []
        for r in p.iter(qn("w:r")):
            if not "".join(t.text or "" for t in r.iter(W_T)).strip():
                continue
            sz = r.find(f"{qn('w:rPr')}/{qn('w:sz')}")
            sizes.append(int(sz.get(qn("w:val"))) / 2 if sz is not None and (sz.get(qn("w:val")) or "").isdigit()
                         else self.style_size(p))
        if not sizes or min(sizes) < self.normal + 2:
            return 0
        return 1 if min(sizes) >= self.normal + 6 else 2

    def style_size(self, p) -> float:
        p_pr = p.find(qn("w:pPr"))
        ps = p_pr.find(qn("w:pStyle")) if p_pr is not None else None
        style = self.styles.get(ps.get(qn("w:val"))) if ps is not None else None
        try:
            size = style.font.size if style is not None else None
        except (AttributeError, ValueError):
            size = None
        return size.pt if size is not None else self.normal

    def table(self, tbl, where: str) -> None:
        rows = []
        for tr in tbl.iter(qn("w:tr")):
            if tr.getparent() is not tbl:
                continue
            rows.append([self.cell_text(tc) for tc in tr if tc.tag == qn("w:tc")])
        rows = [row for row in rows if any(cell.strip() for cell in row)]
        if rows:
            self.items.append(Piece("", where, rows=rows))

    def cell_text(self, tc) -> str:
        lines = []
        for p in tc.iter(W_P):
            value = "\n".join(line.strip() for line in _text(p).split("\n") if line.strip())
            if value:
                bullet = _kind(p, self.style_names) == "bullet" and not LISTED.match(value)
                lines.append(("- " if bullet else "") + value)
        return "\n".join(lines)

    def aside(self, element, name: str) -> None:
        for p in element.iter(W_P):
            value = " ".join(_text(p).split())
            if value and all(value != a.text for a in self.asides):
                self.asides.append(Piece(value, name, aside=name))


def _run_in(p, line: str) -> str:
    """Return a run-in label: the bold words a paragraph opens with, ending in a colon, full stop or dash ("")."""
    lead = []
    for r in p.iter(qn("w:r")):
        value = "".join(t.text or "" for t in r.iter(W_T))
        if not value:
            continue
        b = r.find(f"{qn('w:rPr')}/{qn('w:b')}")
        if b is None or b.get(qn("w:val")) in ("0", "false"):
            break
        lead.append(value)
    said = "".join(lead)
    if not said.strip() or len(said.split()) > 10 or not line.startswith(said.strip()):
        return ""
    rest = line[len(said.strip()):]
    ends = said.rstrip().endswith((":", ".", "—", "–")) or rest.lstrip().startswith((":", "—", "–", "- "))
    return said.strip().rstrip(":.—– ") if ends and rest.strip(" :.-–—") else ""
