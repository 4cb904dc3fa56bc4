"""The measures of the plan deck: slide geometry, type sizes, and paragraphs that know their own height.

Text is measured with Calibri's advance widths (textfit), so the slide flow can
decide before writing anything what fits where. Kept apart from the flow so
the numbers a designer would change live in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from docgen import text
from docgen.write import pptx_xml, textfit

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
TABLE_PT_SMALLEST = 10  # a table may shrink to this to stay on one slide
BULLET_INDENT = 0.3  # inches per list level
CELL_BULLET_INDENT = 0.15  # per list level inside a table cell, where columns can be narrow
NUMBER_INDENT = 0.25  # per list level of a numbered list, so "10." never touches its text
MIN_TEXT_WIDTH = 0.3  # inches of a line always left for text, however deep the list level
CELL_MARGIN_X, CELL_MARGIN_Y = 0.1, 0.05
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
    label: str = ""  # the label of the answer this paragraph belongs to, for a "(continued)" slide
    rest: bool = False  # the rest of a list item begun on the slide before: indented, without its mark again

    @property
    def step(self) -> float:
        """Return the indent per list level: a number ("10.") needs more room than a bullet."""
        return max(self.indent_step, NUMBER_INDENT) if self.kind == "number" else self.indent_step

    @property
    def indent(self) -> float:
        return self.step * (self.level + 1) if self.kind != "para" else 0.0

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
            return head, replace(self, text=" ".join([words[0][cut:], *words[1:]]), space_before=0, rest=True)
        head = replace(self, text=" ".join(words[:low]), keep_with_next=False)
        tail = replace(self, text=" ".join(words[low:]), space_before=0, rest=True)
        return head, tail


def sentence_split(para: Para, width: float, max_lines: int, min_lines: int) -> tuple[Para, Para] | None:
    """Return ``para`` cut after the last whole sentence that fits in ``max_lines`` lines (at least ``min_lines``).

    None when no sentence ends there: the caller then moves the paragraph on, or
    cuts it between lines when not even a fresh slide holds its first sentence.
    """
    head, _ = para.split(width, max_lines)
    if head is None:
        return None
    words = para.text.split(" ")
    for count in range(len(head.text.split(" ")), 0, -1):
        if _SENTENCE_END.search(words[count - 1]):
            shown = " ".join(words[:count])
            if len(textfit.wrap(para.lead + shown, para.text_width(width), para.size, para.bold)) < min_lines:
                return None
            if count == len(words):
                return None
            return (replace(para, text=shown, keep_with_next=False),
                    replace(para, text=" ".join(words[count:]), space_before=0, rest=True))
    return None


def first_sentence(para: Para) -> Para:
    """Return the paragraph's first sentence (all of it when it has one only)."""
    words = para.text.split(" ")
    count = next((i + 1 for i, word in enumerate(words) if _SENTENCE_END.search(word)), len(words))
    return replace(para, text=" ".join(words[:count]))


_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*$")


def answer_paras(value: str, size: float = ANSWER_PT, indent_step: float = BULLET_INDENT,
                 label: str = "") -> list[Para]:
    """Return an answer's paragraphs: lines become paragraphs, list lines real bullets or numbers."""
    paras: list[Para] = []
    counters: dict[int, int] = {}
    for block in text.blocks(value):
        if block.kind == "number":
            counters[block.level] = counters.get(block.level, 0) + 1
            counters = {lvl: n for lvl, n in counters.items() if lvl <= block.level}
        elif block.kind == "para":
            counters = {}
        paras.append(Para(block.text, size=size, kind=block.kind, level=block.level, label=label,
                          number=counters.get(block.level, 0), space_before=3, indent_step=indent_step))
    return paras


def label_para(label: str) -> Para:
    """Return an answer's label, kept on the slide of the answer's first lines."""
    return Para(label, size=LABEL_PT, bold=True, color=NAVY, space_before=6, keep_with_next=True)


def row_height(cells: list[list[Para]], widths: list[float], size: float = TABLE_PT) -> float:
    """Return a table row's height in inches: its tallest cell, with the cell margins."""
    lines = [sum(p.height(w - 2 * CELL_MARGIN_X) for p in paras) for paras, w in zip(cells, widths, strict=False)]
    return max([*lines, textfit.line_height(size)]) + 2 * CELL_MARGIN_Y + 0.02


def split_row(cells, widths, max_lines: int, size: float = TABLE_PT):
    """Split a table row too tall for the slide: the first ``max_lines`` lines of every cell, and the rest."""
    heads, tails, any_head = [], [], False
    budget_h = max_lines * textfit.line_height(size)
    for paras, width in zip(cells, widths, strict=False):
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


def paragraphs_xml(paras: list[Para]) -> str:
    """Return paragraphs as DrawingML: run formatting, spacing, and real bullet or number marks.

    A numbered list that starts a text box, or resumes after the rest of a long
    item, states the number it starts at, so it counts on across slides.
    """
    out, previous = [], None
    for para in paras:
        runs = pptx_xml.run(para.lead, para.size, bold=True, color=NAVY) if para.lead else ""
        runs += pptx_xml.run(para.text, para.size, para.bold, para.italic, para.color)
        marked = not para.rest
        continues = (previous is not None and previous.kind == "number" and not previous.rest
                     and previous.level == para.level)
        out.append(pptx_xml.paragraph(
            runs, space_before_pt=para.space_before,
            bullet=BULLET_MARKS[min(para.level, 2)] if marked and para.kind == "bullet" else None,
            numbered=marked and para.kind == "number", number_start=None if continues else para.number,
            indent_in=para.indent, hanging_in=para.step * 0.8 if marked else 0))
        previous = para
    return "".join(out)
