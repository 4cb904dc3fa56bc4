"""Write a Plan as the PowerPoint option of the official plan: a 16:9 deck a superintendent can present.

Each section gets a short, unique slide title, the guidance's prompt in small
type, and the district's answer as real bullets; benchmarks, outcomes and
schools are real tables with header rows. Text is measured with Calibri's
advance widths (textfit) and anything that would overflow continues on a
"(continued)" slide, so no text ever runs off a slide. The full prompt and tips
go into each slide's speaker notes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import text
from ..errors import DocgenError
from ..model import Plan, Priority
from ..variants import SectionSpec, TableSpec, Variant
from . import pptx_package, pptx_xml, textfit
from .opc import Properties
from .pptx_package import Slide

NAVY, ACCENT, PROMPT_FILL, BAND_FILL, GREY, WHITE = "1F3864", "2E75B6", "DEEAF6", "F2F5FA", "404040", "FFFFFF"

SLIDE_W = 13.333  # inches; the base deck is 16:9 (13.333 x 7.5)
MARGIN = 0.5
BODY_W = SLIDE_W - 2 * MARGIN
TITLE_TOP, TITLE_H = 0.3, 0.8
BODY_TOP = 1.3
BODY_BOTTOM = 6.75
INSET = 0.1  # text frame inset on every side, inches
SAFETY = 0.96  # use only this share of the measured room, for renderer differences

TITLE_PT, PROMPT_PT, LABEL_PT, ANSWER_PT, TABLE_PT, FOOTER_PT = 28, 12, 16, 16, 12, 10
BULLET_INDENT = 0.3  # inches per list level
CELL_BULLET_INDENT = 0.15  # per list level inside a table cell, where columns can be narrow
MIN_TEXT_WIDTH = 0.3  # inches of a line always left for text, however deep the list level
MAX_LAYOUT_STEPS = 200_000  # a plan takes a few thousand; more means the layout is not progressing
CELL_MARGIN_X, CELL_MARGIN_Y = 0.1, 0.05

LAYOUT_TITLE, LAYOUT_SECTION, LAYOUT_TITLE_ONLY = 0, 1, 2
BULLET_MARKS = ("•", "–", "▪")


@dataclass(frozen=True)
class Para:
    """One paragraph of slide text with the formatting that decides its size."""

    text: str
    size: float = ANSWER_PT
    bold: bool = False
    italic: bool = False
    color: str | None = None  # hex, "1F3864"
    kind: str = "para"  # "para", "bullet" or "number"
    level: int = 0
    space_before: float = 0.0  # points
    keep_with_next: bool = False
    number: int = 0  # for "number" paragraphs: the item's number in its list
    lead: str = ""  # a bold run before the text ("Superintendent: ")
    indent_step: float = BULLET_INDENT  # inches per list level

    @property
    def indent(self) -> float:
        return self.indent_step * (self.level + 1) if self.kind != "para" else 0.0

    def text_width(self, width: float) -> float:
        """Return the width the text wraps in: the box less the list indent, never less than MIN_TEXT_WIDTH."""
        return max(width - self.indent, MIN_TEXT_WIDTH)

    def lines(self, width: float) -> tuple[str, ...]:
        # measured all in bold when there is a bold lead: a little wider, never narrower, than the truth
        return textfit.wrap(self.lead + self.text, self.text_width(width), self.size, self.bold or bool(self.lead))

    def height(self, width: float) -> float:
        return len(self.lines(width)) * textfit.line_height(self.size) + self.space_before / 72

    def split(self, width: float, max_lines: int) -> tuple[Para | None, Para]:
        """Return the part of this paragraph that fits in ``max_lines`` lines, and the rest."""
        words = self.text.split(" ")
        low, high = 0, len(words)
        while low < high:  # most words whose wrap takes at most max_lines lines
            mid = (low + high + 1) // 2
            if len(textfit.wrap(" ".join(words[:mid]), self.text_width(width), self.size, self.bold)) <= max_lines:
                low = mid
            else:
                high = mid - 1
        if low == 0:  # not even the first word fits on a line: break it at characters
            if max_lines < 1:
                return None, self
            cut = textfit.longest_prefix(words[0], self.text_width(width), self.size, self.bold)
            head = replace(self, text=words[0][:cut], keep_with_next=False)
            return head, replace(self, text=" ".join([words[0][cut:], *words[1:]]), space_before=0)
        head = replace(self, text=" ".join(words[:low]), keep_with_next=False)
        tail = replace(self, text=" ".join(words[low:]), space_before=0)
        return head, tail


def answer_paras(value: str, size: float = ANSWER_PT, indent_step: float = BULLET_INDENT) -> list[Para]:
    """Return an answer's paragraphs: lines become paragraphs, list lines real bullets or numbers."""
    paras, counters = [], {}
    for block in text.blocks(value):
        if block.kind == "number":
            counters[block.level] = counters.get(block.level, 0) + 1
            counters = {lvl: n for lvl, n in counters.items() if lvl <= block.level}
        elif block.kind == "para":
            counters = {}
        paras.append(Para(block.text, size=size, kind=block.kind, level=block.level,
                          number=counters.get(block.level, 0), space_before=3, indent_step=indent_step))
    return paras


def build(plan: Plan, variant: Variant) -> bytes:
    """Return the plan as a 16:9 PowerPoint deck (.pptx bytes)."""
    deck = _Deck(plan, variant)
    deck.write()
    textfit.wrap.cache_clear()  # wrapped lines are reused within a deck, rarely across districts
    return pptx_package.write(deck.slides, Properties(
        title=variant.document_title(plan.district.name),
        subject=f"{variant.plan_year} District Instructional Prioritization Plan",
        author=plan.district.contact_name or plan.district.name))


class _Deck:
    def __init__(self, plan: Plan, variant: Variant):
        self.plan, self.v = plan, variant
        self.slides: list[Slide] = []
        self.number = 1
        self.titles: set[str] = set()
        self.footer = _fitted_footer(f"{plan.district.name} · {variant.plan_year} Instructional Prioritization Plan")

    def t(self, source: str) -> str:
        return self.v.text(source, district=self.plan.district.name, number=self.number)

    # slides

    def write(self) -> None:
        self.title_slide()
        self.district_slides()
        for section in self.v.sections_in("district"):
            self.section(section, self.plan.answers, None, suffix="")
        many = len(self.plan.priorities) > 1
        for priority in self.plan.priorities:
            self.number = priority.number
            heading = self.t(self.v.priority_heading)
            self.divider(heading, priority)
            suffix = f" (Priority #{priority.number})" if many else ""
            for section in self.v.sections_in("priority"):
                self.section(section, priority.answers, priority, suffix)

    def unique(self, title: str) -> str:
        candidate, n = title, 2
        while candidate in self.titles:
            candidate, n = f"{title} ({n})", n + 1
        self.titles.add(candidate)
        return candidate

    def new_slide(self, layout: int, notes: str = "") -> Slide:
        self.slides.append(Slide(layout, notes=notes))
        return self.slides[-1]

    def content_slide(self, title: str, size: float, notes: str) -> Slide:
        """Return a new "Title Only" slide with its title placed and styled."""
        slide = self.new_slide(LAYOUT_TITLE_ONLY, notes)
        slide.shapes.append(pptx_xml.title(self.unique(title), size, NAVY, MARGIN, TITLE_TOP, BODY_W, TITLE_H, INSET))
        return slide

    def title_slide(self) -> None:
        """The cover: the plan's name on a navy band, then district, program and year, date and contact."""
        d = self.plan.district
        cover = [self.t(line) for line in self.v.cover]
        slide = self.new_slide(LAYOUT_TITLE, notes=self.t(self.v.cover_note))
        heading = self.unique(cover[1] if len(cover) > 1 else cover[0])
        band = f'<a:p><a:pPr algn="l"/>{pptx_xml.run(heading, 40, bold=True, color=WHITE)}</a:p>'
        slide.shapes.append(pptx_xml.placeholder(  # the title itself is the band, so it stays first to read
            2, "Title 1", '<p:ph type="ctrTitle"/>', 0, 0, SLIDE_W, 3.6, band,
            pptx_xml.body_pr(left_right=MARGIN, anchor="ctr"), fill=NAVY))
        lines = [(d.name, 28, True, NAVY), (f"{cover[0]} · {cover[-1]}", 18, False, GREY)]
        if d.date:
            lines.append((d.date, 16, False, GREY))
        contact = ", ".join(x for x in (d.contact_name, d.contact_email) if x)
        if contact:
            lines.append((f"Contact: {contact}", 16, False, GREY))
        lines = [self.fitted_line(line, BODY_W - 2 * INSET) for line in lines]
        paragraphs = "".join(pptx_xml.paragraph(pptx_xml.run(value, size, bold=bold, color=color), align="l")
                             for value, size, bold, color in lines)
        slide.shapes.append(pptx_xml.placeholder(3, "Subtitle 2", '<p:ph type="subTitle" idx="1"/>', MARGIN, 3.9,
                                                 BODY_W, 2.8, paragraphs, pptx_xml.body_pr()))

    def fitted_line(self, line, width):
        """Shrink a title-slide line's type until it fits on one or two lines of ``width``."""
        value, size, bold, color = line
        while size > 12 and len(textfit.wrap(value, width, size, bold)) > 2:
            size -= 2
        return value, size, bold, color

    def divider(self, heading: str, priority: Priority) -> None:
        slide = self.new_slide(LAYOUT_SECTION, notes=self.t(self.v.priority_heading))
        slide.shapes.append(pptx_xml.title(self.unique(heading), 36, NAVY, MARGIN, 2.4, BODY_W, 1.3))
        focus = " · ".join(priority.answer(k) for k in ("subject", "grades", "student_groups") if priority.answer(k))
        size = 20
        while focus and size > 12 and len(textfit.wrap(focus, BODY_W - 2 * INSET, size)) > 2:
            size -= 2
        if focus and len(textfit.wrap(focus, BODY_W - 2 * INSET, size)) <= 2:
            slide.shapes.append(pptx_xml.placeholder(3, "Text Placeholder 2", '<p:ph type="body" idx="1"/>', MARGIN,
                                                     3.8, BODY_W, 1.2, f"<a:p>{pptx_xml.run(focus, size, color=GREY)}</a:p>"))
        slide.shapes.append(self.decorate(100))

    def district_slides(self) -> None:
        d = self.plan.district
        flow = [Para(value, lead=f"{self.t(f.label)}: ", space_before=4)
                for f in self.v.district_fields if f.key not in ("name", "date") and (value := getattr(d, f.key))]
        schools = self.v.tables.get("schools")
        tables = [(schools, self.plan.schools)] if schools else []
        self.flow(self.t(self.v.district_title), "", self.t(self.v.district_title), [("text", flow)] + [
            ("table", t) for t in tables])

    def section(self, section: SectionSpec, answers: dict, priority: Priority | None, suffix: str) -> None:
        prompt_lines = [self.t(section.prompt)] if section.prompt and section.prompt != section.heading else []
        prompt_lines += [f"• {self.t(b)}" for b in section.bullets]
        notes = list(prompt_lines) + [self.t(n) for n in section.notes]
        if section.tips:
            notes += ["TIPS:", *(f"• {self.t(tip)}" for tip in section.tips)]
        content: list[tuple[str, object]] = []
        for part in section.parts:
            paras = []
            if part.prompt:
                notes += ["", self.t(part.prompt), *(f"• {self.t(b)}" for b in part.bullets),
                          *(self.t(n) for n in part.notes)]
                if part.tips:
                    notes += ["TIPS:", *(f"• {self.t(tip)}" for tip in part.tips)]
            for f in part.fields:
                value = answers.get(f.key, "")
                if not value:
                    continue
                label = self.t(f.label).replace("\n", " ")
                paras.append(Para(label, size=LABEL_PT, bold=True, color=NAVY, space_before=6, keep_with_next=True))
                paras.extend(answer_paras(value))
            if paras:
                content.append(("text", paras))
            if part.table:
                rows = getattr(priority if priority else self.plan, part.table)
                content.append(("table", (self.v.tables[part.table], rows)))
        if not content:
            content.append(("text", [Para("Not answered yet.", italic=True, color=GREY)]))
        prompt = " ".join(prompt_lines)  # none when the section has only part prompts (they go to the notes)
        self.flow(self.t(section.heading) + suffix, prompt, "\n".join(notes), content)

    # layout of one section across as many slides as it needs

    def flow(self, title: str, prompt: str, notes: str, content) -> None:
        page = _Page(self, title, prompt, notes)
        for kind, item in content:
            if kind == "text":
                page.text(item)
            else:
                spec, rows = item
                page.table(spec, rows)
        page.finish()

    def decorate(self, shape_id: int) -> str:
        """Return the footer line for the newest slide: district, plan and slide number."""
        runs = pptx_xml.run(f"{self.footer}   {len(self.slides)}", 10, color=GREY)
        return pptx_xml.textbox(shape_id, MARGIN, 6.95, BODY_W, 0.35, pptx_xml.paragraph(runs, align="r"), INSET)


class _Page:
    """Fills content slides top to bottom, opening a "(continued)" slide whenever the next piece would not fit."""

    def __init__(self, deck: _Deck, title: str, prompt: str, notes: str):
        self.deck, self.base_title, self.prompt, self.notes = deck, title, prompt, notes
        self.count = 0
        self.slide = None
        self.shapes: list[str] = []  # XML of the current slide's shapes, added when the slide is done
        self.pending: list[Para] = []  # paragraphs gathered for the next text box
        self.pending_h = 0.0  # their height, inches
        self.steps = 0
        self.open_slide()

    def step(self) -> None:
        """Count one pass of a layout loop; stop with an error rather than run on if the layout stops progressing."""
        self.steps += 1
        if self.steps > MAX_LAYOUT_STEPS:
            raise DocgenError(f"the slides for '{self.base_title}' could not be laid out (the text does not fit "
                              "even one line of a slide); shorten the longest word or table cell")

    def next_id(self) -> int:
        return 100 + len(self.shapes)

    def open_slide(self) -> None:
        if self.slide is not None:
            self.finish()
        self.count += 1
        title = self.base_title if self.count == 1 else (
            f"{self.base_title} (continued)" if self.count == 2 else f"{self.base_title} (continued {self.count - 1})")
        title_size = TITLE_PT
        while title_size > 18 and len(textfit.wrap(title, BODY_W - 2 * INSET, title_size, True)) > 1:
            title_size -= 2
        self.slide = self.deck.content_slide(title, title_size, self.notes)
        self.shapes = [pptx_xml.rectangle(self.next_id(), MARGIN, TITLE_TOP + TITLE_H + 0.05, BODY_W, 0.04, ACCENT)]
        self.shapes.append(self.deck.decorate(self.next_id()))
        self.y = BODY_TOP
        if self.count == 1 and self.prompt:
            self.prompt_box()

    def prompt_box(self) -> None:
        para = Para(self.prompt, size=PROMPT_PT, italic=True, color=GREY)
        width = BODY_W
        height = para.height(width - 2 * INSET) + 2 * INSET
        max_height = (BODY_BOTTOM - BODY_TOP) * 0.45
        size = PROMPT_PT
        while height > max_height and size > 9:
            size -= 1
            para = replace(para, size=size)
            height = para.height(width - 2 * INSET) + 2 * INSET
        self.shapes.append(pptx_xml.textbox(self.next_id(), MARGIN, self.y, width, height / SAFETY,
                                            _paragraphs([para]), INSET, fill=PROMPT_FILL))
        self.y += height / SAFETY + 0.15

    @property
    def room(self) -> float:
        return (BODY_BOTTOM - self.y) * SAFETY - 2 * INSET

    def hold(self, para: Para) -> None:
        """Gather ``para`` for the next text box."""
        self.pending.append(para)
        self.pending_h += para.height(BODY_W - 2 * INSET)

    def text(self, paras: list[Para]) -> None:
        queue = list(paras)
        while queue:
            self.step()
            para = queue.pop(0)
            width = BODY_W - 2 * INSET
            used = self.pending_h
            needed = para.height(width)
            if para.keep_with_next and queue:
                needed += textfit.line_height(queue[0].size) + queue[0].space_before / 72
            if used + needed <= self.room:
                self.hold(para)
                continue
            lines_free = int((self.room - used - para.space_before / 72) // textfit.line_height(para.size))
            head, tail = (None, para) if para.keep_with_next or lines_free < 2 else para.split(width, lines_free)
            if head is not None:
                self.hold(head)
            if tail.kind == "number" and head is not None:
                tail = replace(tail, number=head.number)
            if head is None and not self.pending and self.y <= BODY_TOP:
                head, tail = para.split(width, max(lines_free, 1))  # a fresh slide: place what fits
                if head is not None:
                    self.hold(head)
            self.open_slide()
            queue.insert(0, tail)

    def flush(self) -> None:
        """Place the paragraphs gathered so far as one fixed-size text box."""
        if not self.pending:
            return
        height = self.pending_h + 2 * INSET
        self.shapes.append(pptx_xml.textbox(self.next_id(), MARGIN, self.y, BODY_W, height / SAFETY,
                                            _paragraphs(self.pending), INSET))
        self.y += height / SAFETY + 0.1
        self.pending, self.pending_h = [], 0.0

    def table(self, spec: TableSpec, rows: list) -> None:
        self.flush()
        deck = self.deck
        columns = spec.columns
        total = sum(max(c.width, 12) for c in columns)
        widths = [BODY_W * max(c.width, 12) / total for c in columns]
        header = [[Para(line, size=TABLE_PT, bold=True, color=WHITE) for line in deck.t(c.header).split("\n")]
                  for c in columns]
        body = []
        for item in rows or []:
            cells = []
            for c in columns:
                value = getattr(item, c.key)
                if spec.key == "targeted_support" and c.key == "school":
                    value = self.deck.plan.school_summary(value)
                cells.append(answer_paras(value, size=TABLE_PT, indent_step=CELL_BULLET_INDENT) if value else [])
            body.append(cells)
        if not body:
            body = [[[Para("Not answered yet.", size=TABLE_PT, italic=True, color=GREY)]] + [[] for _ in columns[1:]]]
        header_h = _row_height(header, widths)
        queue = list(body)
        while queue:
            self.step()
            if self.y > BODY_TOP and self.room < header_h + 0.8:
                self.open_slide()
            placed, top, height = [], self.y, header_h
            capacity = self.room + 2 * INSET
            while queue:
                self.step()
                row_h = _row_height(queue[0], widths)
                if height + row_h <= capacity:
                    placed.append((queue.pop(0), row_h))
                    height += row_h
                    continue
                fresh = (BODY_BOTTOM - BODY_TOP) * SAFETY
                if placed or (self.y > BODY_TOP and header_h + row_h <= fresh):
                    break  # the row fits on a slide of its own: move it whole to the next slide
                free_lines = int((capacity - height - 2 * CELL_MARGIN_Y) // textfit.line_height(TABLE_PT))
                head, tail = _split_row(queue[0], widths, max(free_lines, 1))
                if head is not None:
                    queue[0] = tail
                    row_h = _row_height(head, widths)
                    placed.append((head, row_h))
                    height += row_h
                break
            if placed:
                self.add_table(header, header_h, placed, widths, top)
                self.y = top + height / SAFETY + 0.15
            if queue:
                self.open_slide()

    def add_table(self, header, header_h, placed, widths, top) -> None:
        rows = []
        for r, (cells, height) in enumerate([(header, header_h), *placed]):
            fill = NAVY if r == 0 else (BAND_FILL if r % 2 == 0 else WHITE)
            rows.append(pptx_xml.table_row(height, "".join(
                pptx_xml.cell(_paragraphs(paras or [Para("", size=TABLE_PT)]), fill, CELL_MARGIN_X, CELL_MARGIN_Y)
                for paras in cells)))
        total_h = header_h + sum(h for _, h in placed)
        self.shapes.append(pptx_xml.table(self.next_id(), MARGIN, top, widths, total_h, "".join(rows)))

    def finish(self) -> None:
        self.flush()
        self.slide.shapes.extend(self.shapes)
        self.shapes = []


def _fitted_footer(footer: str) -> str:
    """Return the footer cut with "…" to fit one line beside a slide number of up to four digits (measured once)."""
    width = BODY_W - 2 * INSET - textfit.text_width("   9999…", FOOTER_PT)
    if textfit.text_width(footer, FOOTER_PT) <= width:
        return footer
    return footer[:textfit.longest_prefix(footer, width, FOOTER_PT)].rstrip() + "…"


def _row_height(cells: list[list[Para]], widths: list[float]) -> float:
    lines = [sum(p.height(w - 2 * CELL_MARGIN_X) for p in paras) for paras, w in zip(cells, widths)]
    return max([*lines, textfit.line_height(TABLE_PT)]) + 2 * CELL_MARGIN_Y + 0.02


def _split_row(cells, widths, max_lines: int):
    """Split a table row too tall for the slide: the first ``max_lines`` lines of every cell, and the rest."""
    heads, tails, any_head = [], [], False
    budget_h = max_lines * textfit.line_height(TABLE_PT)
    for paras, width in zip(cells, widths):
        inner = width - 2 * CELL_MARGIN_X
        head, tail, used = [], list(paras), 0.0
        while tail:
            h = tail[0].height(inner)
            if used + h <= budget_h:
                head.append(tail.pop(0))
                used += h
                continue
            lines_free = int((budget_h - used - tail[0].space_before / 72) // textfit.line_height(tail[0].size))
            part, rest = tail[0].split(inner, lines_free) if lines_free >= 1 else (None, tail[0])
            if part is not None:
                head.append(part)
                tail[0] = rest
            break
        any_head = any_head or bool(head)
        heads.append(head)
        tails.append(tail)
    return (heads if any_head else None), tails


def _paragraphs(paras: list[Para]) -> str:
    """Return paragraphs as DrawingML: run formatting, spacing, and real bullet or number marks."""
    out, previous = [], None
    for para in paras:
        runs = pptx_xml.run(para.lead, para.size, bold=True, color=NAVY) if para.lead else ""
        runs += pptx_xml.run(para.text, para.size, para.bold, para.italic, para.color)
        continues = previous is not None and previous.kind == "number" and previous.level == para.level
        out.append(pptx_xml.paragraph(
            runs, space_before_pt=para.space_before,
            bullet=BULLET_MARKS[min(para.level, 2)] if para.kind == "bullet" else None,
            numbered=para.kind == "number", number_start=None if continues else para.number,
            indent_in=para.indent, hanging_in=para.indent_step * 0.8))
        previous = para
    return "".join(out)
