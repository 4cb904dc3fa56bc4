"""Lay one section of the plan deck over as many slides as it needs, the way a careful person would.

Content fills a slide top to bottom and continues on a "(continued)" slide
when the next piece would not fit. The rules:

- a label stays with at least the first two lines of its answer;
- a paragraph split across slides leaves at least two lines on each, and a
  list item's rest goes on indented without its mark again;
- an answer that goes on over a slide break is labelled again,
  "Label (continued)", so the reader never meets text without its question;
- a table repeats its header row on every slide, may shrink its type a
  point or two to stay on one slide, and starts on a new slide when not even
  its header and first row would fit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from docgen.errors import DocgenError
from docgen.variants import TableSpec
from docgen.write import pptx_xml, textfit
from docgen.write.pptx_layout import (
    ACCENT,
    BAND_FILL,
    BODY_BOTTOM,
    BODY_TOP,
    BODY_W,
    CELL_BULLET_INDENT,
    CELL_MARGIN_X,
    CELL_MARGIN_Y,
    GREY,
    INSET,
    MARGIN,
    NAVY,
    PROMPT_FILL,
    PROMPT_PT,
    SAFETY,
    TABLE_PT,
    TABLE_PT_SMALLEST,
    TITLE_H,
    TITLE_PT,
    TITLE_TOP,
    WHITE,
    Para,
    answer_paras,
    first_sentence,
    label_para,
    paragraphs_xml,
    row_height,
    sentence_split,
    split_row,
)
from docgen.write.pptx_package import Slide

MAX_LAYOUT_STEPS = 200_000  # a plan takes a few thousand; more means the layout is not progressing
MIN_LINES = 2  # fewest lines of a paragraph left on either side of a slide break
SPILL_ROWS = 2  # a table whose last slide holds this many rows or fewer tries smaller type
TEXT_W = BODY_W - 2 * INSET
LABEL_ROOM = 0.5  # inches a "Label (continued)" takes at the top of a continued slide


@dataclass
class _Grid:
    """A table measured at one type size: column widths, header cells, and body rows of paragraphs."""

    widths: list[float]
    header: list[list[Para]]
    body: list[list[list[Para]]]
    size: float

    @property
    def header_h(self) -> float:
        return row_height(self.header, self.widths, self.size)

    def height(self) -> float:
        return self.header_h + sum(row_height(row, self.widths, self.size) for row in self.body)


@dataclass
class _Packing:
    """Where a table's rows go: on the slide begun or not (``move_first``), then one list of rows per slide."""

    move_first: bool
    pages: list

    @property
    def slides_opened(self) -> int:
        return len(self.pages) - 1 + self.move_first


class SlideFlow:
    """Fills content slides for one section, opening a "(continued)" slide whenever the next piece would not fit."""

    def __init__(self, deck, title: str, prompt: str, notes: str):
        self.deck, self.base_title, self.prompt, self.notes = deck, title, prompt, notes
        self.count = 0
        self.slide: Slide | None = None
        self.shapes: list[str] = []  # XML of the current slide's shapes, added when the slide is done
        self.decorations: list[str] = []  # the accent line and the footer: read after the content
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
        return 100 + len(self.decorations) + len(self.shapes)

    def open_slide(self) -> None:
        if self.slide is not None:
            self.finish()
        self.count += 1
        title = self.base_title if self.count == 1 else (
            f"{self.base_title} (continued)" if self.count == 2 else f"{self.base_title} (continued {self.count - 1})")
        title_size = TITLE_PT
        while title_size > 18 and len(textfit.wrap(title, TEXT_W, title_size, True)) > 1:
            title_size -= 2
        self.slide = self.deck.content_slide(title, title_size, self.notes)
        self.shapes = []
        line = pptx_xml.rectangle(self.next_id(), MARGIN, TITLE_TOP + TITLE_H + 0.05, BODY_W, 0.04, ACCENT)
        self.decorations = [line, self.deck.decorate(self.next_id() + 1)]
        self.y = BODY_TOP
        if self.count == 1 and self.prompt:
            self.prompt_box()

    def prompt_box(self) -> None:
        para = Para(self.prompt, size=PROMPT_PT, italic=True, color=GREY)
        height = para.height(TEXT_W) + 2 * INSET
        max_height = (BODY_BOTTOM - BODY_TOP) * 0.45
        while height > max_height and para.size > 9:
            para = replace(para, size=para.size - 1)
            height = para.height(TEXT_W) + 2 * INSET
        self.shapes.append(pptx_xml.textbox(self.next_id(), MARGIN, self.y, BODY_W, height / SAFETY,
                                            paragraphs_xml([para]), INSET, fill=PROMPT_FILL))
        self.y += height / SAFETY + 0.15

    @property
    def room(self) -> float:
        """Return the height left for text on this slide, inches, less what is already gathered."""
        return (BODY_BOTTOM - self.y) * SAFETY - 2 * INSET - self.pending_h

    @property
    def full_room(self) -> float:
        """Return the height a fresh "(continued)" slide has for text, inches."""
        return (BODY_BOTTOM - BODY_TOP) * SAFETY - 2 * INSET - LABEL_ROOM

    @property
    def empty(self) -> bool:
        """True on a slide that holds nothing yet but its title and perhaps a label."""
        return self.y <= BODY_TOP and all(p.keep_with_next for p in self.pending)

    def hold(self, para: Para) -> None:
        """Gather ``para`` for the next text box."""
        self.pending.append(para)
        self.pending_h += para.height(TEXT_W)

    # text

    def text(self, paras: list[Para]) -> None:
        queue = list(paras)
        while queue:
            self.step()
            para = queue.pop(0)
            if self.fits(para, queue[0] if queue else None):
                self.hold(para)
                continue
            head, tail = self.cut(para)
            if head is not None:
                self.hold(head)
            elif self.widowed(para, queue[0] if queue else None):
                tail = self.pending.pop()  # the list's last two items go on together, never one alone
                self.pending_h -= tail.height(TEXT_W)
                queue.insert(0, para)
            self.open_slide()
            queue.insert(0, tail)
            if tail.label and not tail.keep_with_next:
                queue.insert(0, label_para(f"{tail.label} (continued)"))

    def widowed(self, para: Para, following: Para | None) -> bool:
        """True when ``para``, a list's last item, would go alone onto the next slide and the item before can go too."""
        last_item = para.kind != "para" and not para.rest and (
            following is None or following.kind == "para" or following.keep_with_next)
        if not last_item or len(self.pending) < 2:
            return False
        before, rest = self.pending[-1], self.pending[-2]
        return before.kind == para.kind and not before.keep_with_next and not rest.keep_with_next

    def fits(self, para: Para, following: Para | None) -> bool:
        """Return whether ``para`` fits here; a label fits only with the first lines of its answer below it."""
        needed = para.height(TEXT_W)
        if para.keep_with_next and following is not None:
            lines = len(following.lines(TEXT_W))
            first = lines if lines < 2 * MIN_LINES else MIN_LINES  # what must come with it: all, or a legal head
            needed += first * textfit.line_height(following.size) + following.space_before / 72
        return needed <= self.room

    def cut(self, para: Para) -> tuple[Para | None, Para]:
        """Return the lines of ``para`` to place on this slide (or None) and the rest for the next."""
        lines_free = int((self.room - para.space_before / 72) // textfit.line_height(para.size))
        if not para.keep_with_next:
            fit = min(lines_free, len(para.lines(TEXT_W)) - MIN_LINES)
            if fit >= MIN_LINES:  # at a sentence's end; between lines only if no slide holds its first sentence
                at_sentence = sentence_split(para, TEXT_W, fit, MIN_LINES)
                if at_sentence is not None:
                    return at_sentence
                if self.empty or first_sentence(para).height(TEXT_W) > self.full_room:
                    return para.split(TEXT_W, fit)
                return None, para
        if self.empty:  # not even a fresh slide holds it: place what fits rather than stop
            return para.split(TEXT_W, max(lines_free, 1))
        return None, para

    def flush(self) -> None:
        """Place the paragraphs gathered so far as one fixed-size text box."""
        if not self.pending:
            return
        height = self.pending_h + 2 * INSET
        self.shapes.append(pptx_xml.textbox(self.next_id(), MARGIN, self.y, BODY_W, height / SAFETY,
                                            paragraphs_xml(self.pending), INSET))
        self.y += height / SAFETY + 0.1
        self.pending, self.pending_h = [], 0.0

    # tables

    def grid(self, spec: TableSpec, rows: list, size: float) -> _Grid:
        """Return the table's cells as paragraphs of ``size`` points."""
        columns = spec.columns
        total = sum(max(c.width, 12) for c in columns)
        widths = [BODY_W * max(c.width, 12) / total for c in columns]
        header = [[Para(line, size=size, bold=True, color=WHITE) for line in self.deck.t(c.header).split("\n")]
                  for c in columns]
        body = []
        for item in rows or []:
            cells = []
            for c in columns:
                value = getattr(item, c.key)
                if spec.key == "targeted_support" and c.key == "school":
                    value = self.deck.plan.school_summary(value)
                cells.append(answer_paras(value, size=size, indent_step=CELL_BULLET_INDENT) if value else [])
            body.append(cells)
        if not body:
            body = [[[Para("Not answered yet.", size=size, italic=True, color=GREY)]] + [[] for _ in columns[1:]]]
        return _Grid(widths, header, body, size)

    @property
    def table_room(self) -> float:
        return (BODY_BOTTOM - self.y) * SAFETY

    def table(self, spec: TableSpec, rows: list) -> None:
        """Place a table, at the largest type size (down to TABLE_PT_SMALLEST) that needs the fewest slides.

        Smaller type is tried only when the table spills a row or two onto a
        slide of their own: a point or two cannot save a slide otherwise.
        """
        self.flush()
        best = None
        for size in range(int(TABLE_PT), TABLE_PT_SMALLEST - 1, -1):
            grid = self.grid(spec, rows, size)
            packed = self.pack(grid)
            if best is None or packed.slides_opened < best[1].slides_opened:
                best = (grid, packed)
            if best[1].slides_opened == 0 or len(best[1].pages[-1]) > SPILL_ROWS:
                break
        assert best is not None  # the range of sizes is never empty
        grid, packed = best
        if packed.move_first:
            self.open_slide()
        for number, placed in enumerate(packed.pages):
            if number:
                self.open_slide()
            self.add_table(grid, placed, self.y)
            self.y += (grid.header_h + sum(h for _, h in placed)) / SAFETY + 0.15

    def pack(self, grid: _Grid) -> _Packing:
        """Return the table's rows slide by slide, starting here.

        Whole rows go on while they fit; a row is split only when it is taller
        than a slide of its own. A table whose header and first lines do not
        fit here starts on the next slide.
        """
        line_h = textfit.line_height(grid.size)
        full = (BODY_BOTTOM - BODY_TOP) * SAFETY
        room, fresh = self.table_room, self.y <= BODY_TOP
        queue = list(grid.body)
        first_h = min(row_height(queue[0], grid.widths, grid.size), MIN_LINES * line_h + 2 * CELL_MARGIN_Y)
        move_first = not fresh and grid.header_h + first_h > room
        if move_first:
            room, fresh = full, True
        pages = []
        while queue:
            self.step()
            placed, height = [], grid.header_h
            while queue:
                self.step()
                row_h = row_height(queue[0], grid.widths, grid.size)
                if height + row_h <= room:
                    placed.append((queue.pop(0), row_h))
                    height += row_h
                    continue
                if placed or (not fresh and grid.header_h + row_h <= full):
                    break  # the row fits on a slide of its own: move it whole to the next slide
                free_lines = int((room - height - 2 * CELL_MARGIN_Y) // line_h)
                head, tail = split_row(queue[0], grid.widths, max(free_lines, 1), grid.size)
                if head is not None:
                    queue[0] = tail
                    placed.append((head, row_height(head, grid.widths, grid.size)))
                break
            if placed:
                pages.append(placed)
            elif not pages:
                move_first = True  # its first row would fit only on a slide of its own
            room, fresh = full, True
        return _Packing(move_first, pages)

    def add_table(self, grid: _Grid, placed: list, top: float) -> None:
        rows = []
        for r, (cells, height) in enumerate([(grid.header, grid.header_h), *placed]):
            fill = NAVY if r == 0 else (BAND_FILL if r % 2 == 0 else WHITE)
            rows.append(pptx_xml.table_row(height, "".join(
                pptx_xml.cell(paragraphs_xml(paras or [Para("", size=grid.size)]), fill, CELL_MARGIN_X, CELL_MARGIN_Y)
                for paras in cells)))
        total_h = grid.header_h + sum(h for _, h in placed)
        self.shapes.append(pptx_xml.table(self.next_id(), MARGIN, top, grid.widths, total_h, "".join(rows)))

    def finish(self) -> None:
        self.flush()
        assert self.slide is not None, "finish() closes the slide open_slide() opened"
        self.slide.shapes.extend(self.shapes + self.decorations)  # spTree order is reading order: title, content, rest
        self.shapes, self.decorations = [], []
