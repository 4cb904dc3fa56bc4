"""Read last year's plan from a Word file typed into the official template (or written by docgen).

People type plans their own way: answers under the prompt in the same cell,
extra blank paragraphs, bullets, edited prompts, extra table rows, a second
priority pasted below. So the reader does not trust positions. It walks the
document's text in reading order, recognises the template's prompts by
tolerant matching against the variant spec, and files the text that follows a
prompt under that prompt's field. Tables whose header row matches one of the
spec's tables are read row by row. Text it cannot place is kept and reported.
Tracked changes count as accepted: inserted text is read, deleted text is not.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from .. import text, variants
from ..errors import DocgenError, FileRefused
from ..model import PRIORITY_TABLES, TABLE_ROWS, District, Plan, Priority, School
from ..variants import FieldSpec, Variant
from . import package

MATCH = 0.8  # share of a prompt's words a paragraph must contain (and similar length) to count as that prompt
_W_P, _W_T, _W_TBL = qn("w:p"), qn("w:t"), qn("w:tbl")


class ImportError_(DocgenError):
    """A Word file that cannot be read as a plan."""


@dataclass
class Line:
    """One paragraph of the source, in reading order, with where it sits."""

    text: str
    where: str
    kind: str = "para"  # "para", "bullet" or "number"
    header: bool = False  # from a table row marked as a header row (column names, not answers)


@dataclass
class Grid:
    """A table whose header row matched one of the spec's tables."""

    key: str
    rows: list[list[str]]
    where: str


@dataclass
class Imported:
    plan: Plan
    variant: Variant
    matched: list[str] = field(default_factory=list)  # prompts found
    missing: list[str] = field(default_factory=list)  # prompts not found
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (where, text) not filed under any prompt
    origins: dict[str, str] = field(default_factory=dict)  # plan key -> "paragraph 12, under '...'"


# --- reading the document -------------------------------------------------------------------


def open_document(path: Path):
    """Return the python-docx Document, or raise one clear error for files that are not .docx plans.

    The file passes the same guard as workbooks first (size caps, no DTDs or
    entities), so a hostile file is refused before python-docx parses it.
    """
    path = Path(path)
    try:
        parts = package.read(path, package.DOCUMENT)
    except FileRefused as exc:
        raise ImportError_(str(exc)) from None
    if "word/document.xml" not in parts:
        raise ImportError_(f"{path}: {_what_else(parts)}")
    try:
        return docx.Document(str(path))
    except etree.LxmlError:
        raise ImportError_(f"{path}: {package.DAMAGED.format(what=package.DOCUMENT.what, app='Word')}") from None
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ImportError_(f"{path}: cannot be read as a Word document (.docx): {exc}") from None


def _what_else(parts: dict[str, bytes]) -> str:
    """Return what a package that is not a Word document is, and what to do with it."""
    if "xl/workbook.xml" in parts:
        return ("is an Excel workbook, not a Word plan; to start this year's workbook from last year's, use "
                "'docgen roll-forward OLD.xlsx -o NEW.xlsx'")
    if "ppt/presentation.xml" in parts:
        return ("is a PowerPoint presentation; 'docgen import' reads the Word plan (.docx): import that file "
                "instead")
    return "is not a Word document (.docx)"


def paragraph_text(p) -> str:
    """Return a paragraph's accepted text: inserted text counts, deleted text and comments do not."""
    parts = []
    for node in p.iter(_W_T, qn("w:tab"), qn("w:br"), qn("w:cr")):
        if any(a.tag == qn("w:del") for a in node.iterancestors()):
            continue
        parts.append(node.text or "" if node.tag == _W_T else ("\t" if node.tag == qn("w:tab") else "\n"))
    return text.clean("".join(parts)).replace("\n", " ")


def _kind(p, style_names: dict[str, str]) -> str:
    p_pr = p.find(qn("w:pPr"))
    style = ""
    if p_pr is not None:
        ps = p_pr.find(qn("w:pStyle"))
        style = style_names.get(ps.get(qn("w:val")), "") if ps is not None else ""
        if p_pr.find(qn("w:numPr")) is not None and "Number" not in style:
            return "bullet"
    if "List Number" in style:
        return "number"
    if "List" in style or "Bullet" in style:
        return "bullet"
    return "para"


class _Walker:
    """Turns the document body into Lines and Grids in reading order."""

    def __init__(self, document, variant: Variant):
        self.v = variant
        self.styles = {s.style_id: s.name for s in document.styles}
        self.items: list = []
        self.paragraphs = 0
        self.tables = 0
        self.headers = {key: [_norm(variant.text(c.header)) for c in t.columns] for key, t in variant.tables.items()}
        self.walk(document.element.body)

    def walk(self, body) -> None:
        for child in body:
            if child.tag == _W_P:
                self.paragraphs += 1
                self.line(child, f"paragraph {self.paragraphs}")
            elif child.tag == _W_TBL:
                self.tables += 1
                self.table(child, f"table {self.tables}")

    def line(self, p, where: str, header: bool = False) -> None:
        value = paragraph_text(p).strip()
        if value:
            self.items.append(Line(value, where, _kind(p, self.styles), header))

    def cells_of(self, tr) -> list:
        cells = []
        for tc in tr.iter(qn("w:tc")):
            if tc.getparent() is tr:
                cells.append(tc)
        return cells

    def table(self, tbl, where: str) -> None:
        rows = [tr for tr in tbl.iter(qn("w:tr")) if tr.getparent() is tbl]
        texts = [[self.cell_text(tc) for tc in self.cells_of(tr)] for tr in rows]
        for index, row in enumerate(texts[:2]):
            key = self.header_key(row)
            if key:
                body = [r for r in texts[index + 1:] if any(c.strip() for c in r)]
                self.items.append(Grid(key, body, where))
                return
        for r, tr in enumerate(rows, start=1):
            header = tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
            for c, tc in enumerate(self.cells_of(tr), start=1):
                for p in tc.iter(_W_P):
                    self.line(p, f"{where}, row {r}, cell {c}", header)

    def cell_text(self, tc) -> str:
        lines = []
        for p in tc.iter(_W_P):
            value = paragraph_text(p)
            if value.strip():
                kind = _kind(p, self.styles)
                lines.append(("- " if kind == "bullet" and not _looks_listed(value) else "") + value.strip())
        return "\n".join(lines)

    def header_key(self, row: list[str]) -> str | None:
        """Return the spec table whose column headers this row holds (most of them, tolerantly), or None."""
        cells = [_norm(c) for c in row if c.strip()]
        if not cells:
            return None
        best, score = None, 0.0
        for key, headers in self.headers.items():
            hits = sum(1 for c in cells if any(_similar(c, h) for h in headers))
            share = hits / max(len(headers), len(cells))
            if hits >= min(2, len(headers)) and share > score:
                best, score = key, share
        return best if score >= 0.5 else None


# --- matching prompts --------------------------------------------------------------------------


def _norm(value: str) -> str:
    value = value.casefold().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    value = re.sub(r"[^\w\s#]", " ", value)
    return " ".join(value.split())


def _words(value: str) -> set[str]:
    return set(value.split())


def _score(a: str, b: str) -> float:
    """Return how surely normalised ``a`` is ``b`` lightly edited (0: not at all; 2: exactly).

    ``a`` must hold most of b's words at a similar length; among candidates,
    the one sharing the largest share of all words wins.
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 2.0
    wa, wb = _words(a), _words(b)
    shared = len(wa & wb)
    if shared / len(wb) < MATCH or not 0.6 <= len(a) / len(b) <= 1.6:
        return 0.0
    return shared / len(wa | wb)


def _similar(a: str, b: str) -> bool:
    return _score(a, b) > 0


@dataclass
class _Prompt:
    """A piece of template text, what it stands for, and its order in the template."""

    norm: str
    shown: str
    scope: str  # "district", "priority", "district-info", "boilerplate", "priority-heading"
    fields: tuple[FieldSpec, ...] = ()
    order: int = 0
    district_key: str = ""


def _catalogue(v: Variant) -> list[_Prompt]:
    found: list[_Prompt] = []

    def add(value: str, scope: str, fields=(), district_key="", number=1):
        shown = v.text(value, number=number).split("\n")
        for i, line in enumerate(shown):
            norm = _norm(line)
            if norm:
                found.append(_Prompt(norm, line, scope, tuple(fields) if i == len(shown) - 1 else (),
                                     len(found), district_key))

    for line in (*v.cover, v.cover_note, v.district_title, *v.second_priority_note):
        add(line, "boilerplate")
    for f in v.district_fields:
        add(f.label, "district-info", district_key=f.key)
    for number in (1, 2):
        add(v.priority_heading, "priority-heading", number=number)
    for section in v.sections:
        scope = section.scope
        first_fields = section.parts[0].fields if section.parts and not section.parts[0].prompt else ()
        add(section.heading, "boilerplate")
        # a prompt's own notes, bullets and tips keep pointing at its fields: answers follow them
        for line in (section.prompt, *section.bullets, *section.notes, *section.tips):
            if line:
                add(line, scope if first_fields else "boilerplate", first_fields)
        for line in section.after:
            add(line, "boilerplate")
        for part in section.parts:
            for line in (part.prompt, *part.bullets, *part.notes, *part.tips):
                if line:
                    add(line, scope if part.fields else "boilerplate", part.fields)
            for f in part.fields:
                add(f.label, scope, (f,))
    add("TIPS:", "boilerplate")
    return found


def _best(line: str, catalogue: list[_Prompt]) -> tuple[_Prompt | None, str]:
    """Return the template text ``line`` is (or starts with), and whatever the person typed after it."""
    norm = _norm(line)
    score, best = max(((_score(norm, p.norm), -p.order) for p in catalogue), default=(0, 0))
    if score > 0:
        return catalogue[-best], ""
    for prompt in sorted(catalogue, key=lambda p: -len(p.norm)):  # "Prompt text: the answer" on one line
        if len(prompt.norm) >= 12 and norm.startswith(prompt.norm) and len(norm) > len(prompt.norm) + 1:
            cut = _cut_after(line, prompt.shown)
            if cut:
                return prompt, cut
    return None, ""


def _cut_after(line: str, prompt: str) -> str:
    """Return the text typed after ``prompt`` on the same line."""
    wanted = len(_norm(prompt))
    for i in range(len(prompt) - 5, len(line) + 1):
        if len(_norm(line[:i])) >= wanted:
            return line[i:].strip(" :-–\t")
    return ""


def _looks_listed(value: str) -> bool:
    return bool(re.match(r"^\s*([-*•◦▪]|\d{1,2}[.)])\s+", value))


# --- filing text under prompts -----------------------------------------------------------------


def detect_variant(document) -> Variant:
    """Return the variant whose prompts the document holds most of (FY25 or FY26 layout)."""
    lines = []
    for p in document.element.body.iter(_W_P):
        value = paragraph_text(p)
        if value.strip():
            lines.append(_norm(value))
    best, score = None, 0
    for variant_id in variants.names():
        v = variants.load(variant_id)
        prompts = [p for p in _catalogue(v) if p.scope in ("priority", "district") and len(p.norm) > 20]
        hits = sum(1 for p in prompts if any(_similar(line, p.norm) or line.startswith(p.norm) for line in lines))
        if hits > score:
            best, score = v, hits
    if best is None or score < 3:
        return None
    return best


def read(path: Path, variant: Variant | None = None) -> Imported:
    """Return the plan in a Word file, which prompts were found, and the text that could not be placed."""
    document = open_document(path)
    v = variant or detect_variant(document)
    if v is None:
        raise ImportError_(f"{path}: does not look like a district instructional prioritization plan: none of the "
                           "template's prompts were found")
    walker = _Walker(document, v)
    return _File(v, walker.items).result()


class _File:
    """Files each Line under the field of the last prompt seen, and each Grid into its table."""

    def __init__(self, v: Variant, items: list):
        self.v = v
        self.items = items
        self.catalogue = _catalogue(v)
        self.plan = Plan(variant=v.id, district=District(school_year=v.school_year))
        self.result_ = Imported(self.plan, v)
        self.answers: dict[int, dict[str, list[str]]] = {1: {}}
        self.tables: dict[int, dict[str, list]] = {1: {k: [] for k in PRIORITY_TABLES}}
        self.number = 1
        self.last_order = -1
        self.target: tuple[str, tuple[FieldSpec, ...]] | None = None
        self.seen: set[str] = set()
        self.counters: dict[tuple[int, str], int] = {}  # numbered-list position per answer

    def result(self) -> Imported:
        for item in self.items:
            if isinstance(item, Grid):
                self.grid(item)
            else:
                self.line(item)
        self.finish()
        return self.result_

    def line(self, line: Line) -> None:
        value = line.text
        district = re.match(r"^\s*(District name|Date)\s*:\s*(.*)$", value, re.IGNORECASE)
        if district:
            rest = district.group(2).strip(" _")
            if rest:
                setattr(self.plan.district, "name" if district.group(1).lower() == "district name" else "date", rest)
            self.target = None
            return
        prompt, rest = _best(value, self.catalogue)
        if prompt is None:
            if not line.header:  # a header row's column names are not answers
                self.content(line, value)
            return
        self.seen.add(prompt.norm)
        if prompt.scope == "priority-heading":
            self.switch(2 if "2" in prompt.shown else 1)
        elif prompt.scope == "priority" and prompt.order < self.last_order - 5 and self.number == 1 \
                and self.has_priority_text():
            self.switch(2)  # the template's sections again: a second priority pasted below the first
        if prompt.scope == "priority":
            self.last_order = prompt.order
        if prompt.scope == "district-info":
            self.target = ("district-info", prompt.district_key)
        elif prompt.fields:
            self.target = (prompt.scope, prompt.fields)
        else:
            self.target = None
        if rest:
            self.content(line, rest)

    def switch(self, number: int) -> None:
        if number != self.number:
            self.number = number
            self.answers.setdefault(number, {})
            self.tables.setdefault(number, {k: [] for k in PRIORITY_TABLES})
            self.last_order = -1

    def has_priority_text(self) -> bool:
        return any(self.answers.get(1, {}).values()) or any(self.tables[1].values())

    def content(self, line: Line, value: str) -> None:
        if self.target is None:
            self.result_.unplaced.append((line.where, value))
            return
        scope, fields = self.target
        if scope == "district-info":
            if not getattr(self.plan.district, fields):
                setattr(self.plan.district, fields, value)
            return
        spec = self.pick(fields, value)
        store = self.plan.answers if scope == "district" else None
        count_key = (self.number if store is None else 0, spec.key)
        if line.kind == "number" and not _looks_listed(value):
            self.counters[count_key] = self.counters.get(count_key, 0) + 1
            text_value = f"{self.counters[count_key]}. {value}"
        else:
            self.counters.pop(count_key, None)
            text_value = ("- " if line.kind == "bullet" and not _looks_listed(value) else "") + value
        if spec.kind == "choice":
            choice = self.v.lists[spec.list].match(value)
            if choice is None:
                self.result_.unplaced.append((line.where, value))
                return
            text_value = choice
        if store is not None:
            self.plan.answers[spec.key] = (self.plan.answers.get(spec.key, "") + "\n" + text_value).strip("\n")
            self.result_.origins.setdefault(f"answers.{spec.key}", line.where)
        else:
            self.answers[self.number].setdefault(spec.key, []).append(text_value)
            self.result_.origins.setdefault(f"p{self.number}.{spec.key}", line.where)
        if spec.kind == "choice":
            rest = tuple(f for f in fields if f is not spec)
            self.target = (scope, rest) if rest else None

    def pick(self, fields: tuple[FieldSpec, ...], value: str) -> FieldSpec:
        """Return the field among those of one prompt that this text answers: a choice if it is one."""
        for f in fields:
            if f.kind == "choice" and self.v.lists[f.list].match(value):
                return f
        return next((f for f in fields if f.kind != "choice"), fields[0])

    def grid(self, grid: Grid) -> None:
        spec = self.v.tables[grid.key]
        row_type = TABLE_ROWS[grid.key]
        rows = []
        for cells in grid.rows:
            values = {}
            for i, column in enumerate(spec.columns):
                if i < len(cells):
                    values[column.key] = cells[i] if i < len(spec.columns) - 1 else "\n".join(cells[i:])
            for column in spec.columns:
                value = values.get(column.key, "")
                if column.list and value:
                    first = value.split("\n")[0].lstrip("- ")
                    value = self.v.lists[column.list].match(first) or value
                values[column.key] = value
            if grid.key == "targeted_support":
                values["school"] = values.get("school", "").split("\n")[0].lstrip("- ")
            rows.append(row_type(**values))
        if grid.key == "schools":
            self.plan.schools.extend(rows)
        elif grid.key == "curricula":
            self.plan.curricula.extend(rows)
        else:
            self.tables[self.number][grid.key].extend(rows)
        self.target = None

    def finish(self) -> None:
        for number in sorted(self.answers):
            answers = {k: "\n".join(v) for k, v in self.answers[number].items()}
            tables = self.tables.get(number, {})
            if number > 1 and not any(answers.values()) and not any(tables.values()):
                continue
            priority = Priority(number=len(self.plan.priorities) + 1, answers=answers)
            for key in PRIORITY_TABLES:
                setattr(priority, key, tables.get(key, []))
            self.plan.priorities.append(priority)
        if not self.plan.priorities:
            self.plan.priorities.append(Priority(number=1))
        if not self.plan.schools:  # no schools table: take the names from the targeted support rows
            names = dict.fromkeys(r.school for p in self.plan.priorities for r in p.targeted_support if r.school)
            self.plan.schools = [School(name=name) for name in names]
        prompts = [p for p in self.catalogue if p.scope in ("priority", "district") and p.fields]
        self.result_.matched = [p.shown for p in prompts if p.norm in self.seen]
        self.result_.missing = [p.shown for p in prompts if p.norm not in self.seen]
