"""The feedback letter on a consultant team's own letterhead: its fields, its values, its starting template.

The letter's words stay docgen's (feedback.py composes a letter_model.Letter
from the plan, the checks and the consultant's review); a Word letter
template decides how they look. The Letter's parts are what a letterhead
arranges: the letterhead lines, date, address, opening, each titled
section, the signature and the appendix's rows. A section's text keeps its
lists ("- " lines), which a paragraph holding the tag alone turns back into
Word lists.
"""

from __future__ import annotations

from docgen.model.letter import Letter, Para, Table
from docgen.model.plan import Plan
from docgen.templating.schema import TEXT, ListOf, Record
from docgen.variants import Variant
from docgen.write import docx_letter

LETTER_PARTS = ("title", "letterhead", "draft_note", "date", "address", "opening", "signature", "appendix_title",
                "appendix_note")
_SECTION = {"heading": TEXT, "text": TEXT}
_APPENDIX = {"component": TEXT, "status": TEXT, "detail": TEXT}
_MARKS = {"bullet": "- ", "number": "1. "}


def letter_fields(variant: Variant) -> dict:
    """Return the tree of names a letter template may use."""
    district = {f.key: TEXT for f in variant.district_fields}
    letter = {**{k: TEXT for k in LETTER_PARTS}, "sections": ListOf(_SECTION), "appendix": ListOf(_APPENDIX)}
    return {"letter": letter, "district": district, "consultant": {"name": TEXT, "title": TEXT, "region": TEXT},
            "plan_year": TEXT, "school_year": TEXT}


def letter_values(plan: Plan, variant: Variant, letter: Letter) -> dict:
    """Return the letter's parts as the names ``letter_fields`` gives them."""
    opening = [_line(p) for p in letter.head()[2:]]  # after the date and the address, which have fields of their own
    parts = {
        "title": letter.title, "letterhead": "\n".join(letter.letterhead), "draft_note": letter.draft_note,
        "date": letter.date, "address": "\n".join(letter.address), "opening": "\n".join(opening),
        "signature": "\n".join(letter.signature), "appendix_title": letter.appendix_title,
        "appendix_note": letter.appendix_note,
        "sections": [Record({"heading": part.heading, "text": "\n".join(_line(p) for p in part.paras)})
                     for part in letter.parts],
        "appendix": [Record({"component": r.component, "status": r.status, "detail": r.asks})
                     for r in letter.appendix],
    }
    review = plan.review
    return {
        "letter": Record(parts),
        "district": Record({f.key: getattr(plan.district, f.key, "") for f in variant.district_fields}),
        "consultant": Record({"name": review.consultant_name if review else "",
                              "title": review.consultant_title if review else "",
                              "region": review.region if review else ""}),
        "plan_year": variant.plan_year,
        "school_year": variant.school_year,
    }


def _line(para: Para) -> str:
    """Return a paragraph as a line of a section's text: a list item keeps its mark and its depth."""
    mark = _MARKS.get(para.role, "")
    return "  " * max(para.level - 1, 0) * bool(mark) + mark + para.lead + para.text


_GUIDE = (
    "This part is a guide: docgen removes it (everything from 'if false' to 'endif') when it fills the letter.",
    ("Put your letterhead, logo, fonts and signature block around the tags (the names between double curly braces). "
    "A paragraph holding one tag alone becomes that part's paragraphs and lists, in the paragraph's style. The "
    "letter's words come from docgen: the consultant's review and the checks of the plan."),
    "Check your template with: docgen template check --letter YOUR-LETTERHEAD.docx",
    ("The parts you can show: letter.title, letter.letterhead, letter.draft_note, letter.date, letter.address, "
    "letter.opening, letter.sections (each s.heading and s.text), letter.signature, letter.appendix_title, "
    "letter.appendix (each a.component, a.status, a.detail), letter.appendix_note; district.name, "
    "district.superintendent and the other district fields; consultant.name, consultant.title, consultant.region; "
    "plan_year, school_year."),
)


def _template_items() -> list[Para | Table]:
    """Return the letterhead template's paragraphs: docgen's letter layout, with tags where its parts go."""
    return [
        Para("{%p if false %}"), Para("How to use this letter template", "heading"), *(Para(g) for g in _GUIDE),
        Para("{%p endif %}"),
        Para("{{ letter.letterhead }}", "letterhead", level=1),
        Para("{%p if letter.draft_note %}"), Para("{{ letter.draft_note }}", "note"), Para("{%p endif %}"),
        Para("{{ letter.date }}", "date"), Para("{{ letter.address }}", "address"), Para("{{ letter.opening }}"),
        Para("{%p for s in letter.sections %}"), Para("{{ s.heading }}", "heading"), Para("{{ s.text }}"),
        Para("{%p endfor %}"),
        Para("Sincerely,"), Para("{{ letter.signature }}", "signature"),
        Para("{{ letter.appendix_title }}", "appendix"),
        Table(("Component of the guidance", "Status", "Details"),
              (("{%tr for a in letter.appendix %}", "", ""), ("{{ a.component }}", "{{ a.status }}", "{{ a.detail }}"),
               ("{%tr endfor %}", "", ""))),
        Para("{{ letter.appendix_note }}", "small"),
    ]


def letter_template() -> bytes:
    """Return a Word letter template laid out as docgen's own letter, with tags where its parts go."""
    return docx_letter.document(_template_items(), title="{{ letter.title }}", author="SSoS", draft=False)
