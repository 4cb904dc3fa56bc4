"""The feedback letter as data: what docgen/compose/feedback.py composes and every letter writer reads.

The Word letter (write/docx_letter.py), the review page's preview
(docgen/web/pages/partials/letter.html) and a team's own letterhead
(templating/letter.py) all read one ``Letter``; none of them parses another
writer's output back into data. Its text is plain text: each writer escapes
it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# How a paragraph reads: body text, headings, the letterhead's lines, a quotation of the plan, small print,
# a list item, or a note to the consultant (a draft's, in brackets, deleted before the letter is sent).
# Where a paragraph's words come from: the letter's frame (templates/letter/letter.yaml), the plan (the
# district's own words), the consultant's review, a finding of the check, DESE's catalogue of supports.
SOURCES = ("frame", "plan", "consultant", "finding", "catalogue")
ROLES = ("body", "heading", "subheading", "letterhead", "date", "address", "quote", "small", "note", "bullet",
         "number", "signature", "appendix")


@dataclass(frozen=True)
class Para:
    """One paragraph: ``lead`` (words set in bold) then ``text``; its role (see ROLES) and its list level.

    ``source`` says where its words come from (see SOURCES), so every sentence of a letter can be traced.
    """

    text: str
    role: str = "body"
    level: int = 0
    lead: str = ""
    source: str = "frame"


@dataclass(frozen=True)
class Table:
    """A table: its header cells and its rows of plain-text cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Ask:
    """One thing the letter asks of a section, from one rule's findings (several places in one sentence).

    ``rules`` and ``quotes`` say where it comes from: the rule ids, and the plan's own words it quotes.
    ``question`` is True when it is worded as a question (a judgement is asked, never asserted).
    """

    text: str
    severity: str
    rules: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    question: bool = True


@dataclass(frozen=True)
class Refinement:
    """A section of the plan and what the letter asks of it: the consultant's words, then the checks' asks."""

    section: str
    title: str
    consultant: tuple[Para, ...] = ()
    asks: tuple[Ask, ...] = ()


@dataclass(frozen=True)
class Support:
    """A DESE support suggested for this plan, and why it fits (in the plan's own facts)."""

    name: str
    provider: str
    what: str
    fits: str


@dataclass(frozen=True)
class AppendixRow:
    component: str
    status: str
    asks: str


@dataclass(frozen=True)
class PriorityLine:
    label: str  # "Priority #1:" when there are two, else ""
    statement: str
    focus: str  # "Focus: grades K-6 English language arts, for ..." or ""


@dataclass(frozen=True)
class Part:
    """A titled part of the letter's body (Strengths, Refinements, ...), as paragraphs."""

    heading: str
    paras: tuple[Para, ...]


@dataclass
class Letter:
    """The whole letter. ``day`` is the date it is written on (what supports and dates are measured against)."""

    title: str
    draft: bool
    day: date | None
    date: str
    letterhead: tuple[str, ...]
    draft_note: str
    address: tuple[str, ...]
    re_line: str
    salutation: str
    opening: tuple[Para, ...]
    priorities: tuple[PriorityLine, ...]
    summary: tuple[Para, ...]
    parts: tuple[Part, ...]
    sign_off: str
    signature: tuple[str, ...]
    appendix_title: str
    appendix_header: tuple[str, ...]
    appendix: tuple[AppendixRow, ...]
    appendix_note: str
    refinements: tuple[Refinement, ...] = ()
    supports: tuple[Support, ...] = ()
    sections_unchecked: tuple[str, ...] = field(default=())  # section titles no rule examines

    def head(self) -> list[Para]:
        """Return the paragraphs before the first titled part: date, address, greeting, the priorities, summary."""
        paras = [Para(self.date, "date"), Para("\n".join(self.address), "address", source="plan"),
                 Para("", lead=self.re_line), Para(self.salutation), *self.opening]
        for p in self.priorities:
            paras.append(Para(f"{p.label} {p.statement}".strip(), "quote", source="plan"))
            if p.focus:
                paras.append(Para(p.focus, "small", source="plan"))
        return [*paras, *self.summary]

    def flow(self) -> list[Para | Table]:
        """Return the letter in reading order: what a writer that lays it out page by page shows."""
        items: list[Para | Table] = [Para(self.draft_note, "note")] if self.draft_note else []
        items += [Para(line, "letterhead", level=i) for i, line in enumerate(self.letterhead)]
        items += self.head()
        for part in self.parts:
            items.append(Para(part.heading, "heading"))
            items += part.paras
        items += [Para(self.sign_off), Para("\n".join(self.signature), "signature")]
        items.append(Para(self.appendix_title, "appendix"))
        items.append(Table(self.appendix_header, tuple((r.component, r.status, r.asks) for r in self.appendix)))
        items.append(Para(self.appendix_note, "small"))
        return items

    def text(self) -> str:
        """Return the letter as plain text, a paragraph a line (tests and golden files read it)."""
        lines = []
        for item in self.flow():
            if isinstance(item, Table):
                lines += [" | ".join(item.header), *(" | ".join(row) for row in item.rows)]
            else:
                mark = {"heading": "# ", "subheading": "## ", "bullet": "- ", "number": "1. "}.get(item.role, "")
                lines.append("  " * item.level * (item.role in ("bullet", "number")) + mark + item.lead + item.text)
        return "\n".join(lines)
