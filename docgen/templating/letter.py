"""The feedback letter on a consultant team's own letterhead: its fields, its values, its starting template.

The letter's words stay docgen's (templates/letter/letter.html.j2, drafted
from the checks and the consultant's review); a Word letter template decides
how they look. The letter is cut into the parts a letterhead arranges: the
letterhead lines, date, address, opening, each titled section, the signature
and the appendix's rows. A section's text keeps its lists ("- " lines),
which a paragraph holding the tag alone turns back into Word lists.
"""

from __future__ import annotations

from ..builders import docx_letter
from ..builders.docx_letter import Block, Table
from ..model import Plan
from ..variants import Variant
from .schema import TEXT, ListOf, Record

LETTER_PARTS = ("title", "letterhead", "draft_note", "date", "address", "opening", "signature", "appendix_title",
                "appendix_note")
_SECTION = {"heading": TEXT, "text": TEXT}
_APPENDIX = {"component": TEXT, "status": TEXT, "detail": TEXT}


def letter_fields(variant: Variant) -> dict:
    """Return the tree of names a letter template may use."""
    district = {f.key: TEXT for f in variant.district_fields}
    letter = {**{k: TEXT for k in LETTER_PARTS}, "sections": ListOf(_SECTION), "appendix": ListOf(_APPENDIX)}
    return {"letter": letter, "district": district, "consultant": {"name": TEXT, "title": TEXT, "region": TEXT},
            "plan_year": TEXT, "school_year": TEXT}


def letter_values(plan: Plan, variant: Variant, html: str, title: str) -> dict:
    """Return the letter (its HTML as docgen renders it) cut into the parts ``letter_fields`` names."""
    letter: dict = {k: "" for k in LETTER_PARTS} | {"title": title, "sections": [], "appendix": []}
    lines: dict[str, list[str]] = {"letterhead": [], "opening": []}
    section: Record | None = None
    for item in docx_letter.parse(html):
        if isinstance(item, Table):
            letter["appendix"] = [_appendix_row(row) for row in item.rows if not all(h for h, _ in row)]
            continue
        words = _text(item.runs)
        if item.css in ("letterhead",):
            lines["letterhead"].append(words)
        elif item.css in ("draft", "date", "address", "signature"):
            letter[{"draft": "draft_note"}.get(item.css, item.css)] = words
        elif item.tag == "h1" and item.css == "new-page":
            letter["appendix_title"], section = words, None
        elif item.tag == "h1":
            section = Record({"heading": words, "text": ""})
            letter["sections"].append(section)
        elif section is None and letter["appendix_title"]:
            letter["appendix_note"] = _joined(letter["appendix_note"], words)
        elif section is None:
            lines["opening"].append(words)
        elif words.strip().rstrip(",").casefold() != "sincerely":  # the template signs off in its own words
            section["text"] = _joined(section["text"], _line(item, words))
    letter["letterhead"] = "\n".join(lines["letterhead"])
    letter["opening"] = "\n".join(lines["opening"])
    review = plan.review
    return {
        "letter": Record(letter),
        "district": Record({f.key: getattr(plan.district, f.key, "") for f in variant.district_fields}),
        "consultant": Record({"name": review.consultant_name if review else "",
                              "title": review.consultant_title if review else "",
                              "region": review.region if review else ""}),
        "plan_year": variant.plan_year,
        "school_year": variant.school_year,
    }


def _text(runs) -> str:
    return "".join(text for text, _bold, _italic in runs).strip()


def _joined(text: str, line: str) -> str:
    return f"{text}\n{line}" if text else line


def _line(block: Block, words: str) -> str:
    if block.tag == "li":
        return "  " * max(block.depth - 1, 0) + ("1. " if block.ordered else "- ") + words
    return words


def _appendix_row(row) -> Record:
    cells = [_text(runs) for _header, runs in row]
    return Record({"component": cells[0] if cells else "", "status": cells[1] if len(cells) > 1 else "",
                   "detail": "; ".join(c for c in cells[2:] if c)})


LETTER_TEMPLATE_HTML = """\
<p>{%p if false %}</p>
<h1>How to use this letter template</h1>
<p>This part is a guide: docgen removes it (everything from 'if false' to 'endif') when it fills the letter.</p>
<p>Put your letterhead, logo, fonts and signature block around the tags (the names between double curly braces). \
A paragraph holding one tag alone becomes that part's paragraphs and lists, in the paragraph's style. The \
letter's words come from docgen: the consultant's review and the checks of the plan.</p>
<p>Check your template with: docgen template check --letter YOUR-LETTERHEAD.docx</p>
<p>The parts you can show: letter.title, letter.letterhead, letter.draft_note, letter.date, letter.address, \
letter.opening, letter.sections (each s.heading and s.text), letter.signature, letter.appendix_title, \
letter.appendix (each a.component, a.status, a.detail), letter.appendix_note; district.name, \
district.superintendent and the other district fields; consultant.name, consultant.title, consultant.region; \
plan_year, school_year.</p>
<p>{%p endif %}</p>
<p class="letterhead">{{ letter.letterhead }}</p>
<p>{%p if letter.draft_note %}</p>
<p class="draft">{{ letter.draft_note }}</p>
<p>{%p endif %}</p>
<p class="date">{{ letter.date }}</p>
<p class="address">{{ letter.address }}</p>
<p>{{ letter.opening }}</p>
<p>{%p for s in letter.sections %}</p>
<h1>{{ s.heading }}</h1>
<p>{{ s.text }}</p>
<p>{%p endfor %}</p>
<p>Sincerely,</p>
<p class="signature">{{ letter.signature }}</p>
<h1 class="new-page">{{ letter.appendix_title }}</h1>
<table>
<tr><th>Component of the guidance</th><th>Status</th><th>Details</th></tr>
<tr><td>{%tr for a in letter.appendix %}</td><td></td><td></td></tr>
<tr><td>{{ a.component }}</td><td>{{ a.status }}</td><td>{{ a.detail }}</td></tr>
<tr><td>{%tr endfor %}</td><td></td><td></td></tr>
</table>
<p class="small">{{ letter.appendix_note }}</p>
"""


def letter_template() -> bytes:
    """Return a Word letter template laid out as docgen's own letter, with tags where its parts go."""
    return docx_letter.build(LETTER_TEMPLATE_HTML, title="{{ letter.title }}", author="SSoS", draft=False)
