"""What a district's document says of itself: the district's name, the plan's date, the priority's focus.

A plan in the district's own layout rarely has a "District name:" label. The
name is on the cover or the first page ("Maple Ridge Public Schools", "Mill
River Regional School District"), in the page header, the file's title or
its name ("Granite Falls FY26 plan.docx"); the date is the first one the
cover gives. The subject, grades and student groups the template asks for
apart are often said only in the priority's statement. Each of these readers
returns "" unless the text clearly says it; own_layout.py marks what they
find as unsure, to confirm.
"""

from __future__ import annotations

import re
from pathlib import Path

from docgen.read import word_rows
from docgen.read.pieces import DATE
from docgen.variants import Variant

# A Massachusetts district's name ends in one of these words (Public Schools, School District, Regional ...).
DISTRICT_NAME = re.compile(r"\b((?:[A-Z][\w.'-]*\s+){0,5}?(?:[A-Z][\w.'-]*)\s+(?:Public\s+Schools|School\s+District|"
                           r"Regional\s+(?:School\s+)?District|Schools))\b")
_PLAN_WORDS = frozenset("""instructional prioritization priority plan plans district final draft copy version v
fy sy for the of and revised updated official template ssos dese submission deck slides presentation""".split())
COVER_WORDS = 12  # a cover line naming the district or the date is short


def on_cover(text: str) -> tuple[str, str, bool]:
    """Return the district's name and the plan's date a short cover line gives, and whether that is all it says."""
    if len(text.split()) > COVER_WORDS:
        return "", "", False
    name, date = DISTRICT_NAME.search(text), DATE.search(text)
    said = len(name.group(1).split()) if name else 0
    said += len(date.group(0).split()) if date else 0
    return (" ".join(name.group(1).split()) if name else "", date.group(0) if date else "",
            bool(name or date) and len(text.split()) <= said + 2)


def name_in(value: str, file_name: bool = False) -> str:
    """Return the district's name a title or file name gives ("Granite Falls FY26 plan.docx" -> "Granite Falls")."""
    found = DISTRICT_NAME.search(value or "")
    if found:
        return " ".join(found.group(1).split())
    stem = Path(value or "").stem if file_name else value or ""
    kept = []
    for word in re.split(r"[\s_]+", stem):
        bare = word.strip("-.,()[]")
        if bare and not re.search(r"\d", bare) and bare.casefold() not in _PLAN_WORDS:
            kept.append(bare)
    name = " ".join(kept)
    return name if 1 <= len(kept) <= 6 and name[:1].isupper() else ""


def focus_in(statement: str, v: Variant) -> dict[str, str]:
    """Return the subject, grade span and student group a priority's statement names (each "" if none)."""
    topic = re.sub(r"\benglish\s+(?:language\s+)?learners?\b", "", statement, flags=re.IGNORECASE)
    return {"subject": word_rows._named(topic, word_rows.SUBJECTS, tuple(word_rows.SUBJECTS)),
            "grades": word_rows.grades_in(statement),
            "student_groups": "; ".join(_groups(statement, v))}


def _groups(statement: str, v: Variant) -> list[str]:
    """Return the student groups a statement names, in its order; "All students" only when it names no other."""
    found = []
    for value in v.lists["student_group"].values:
        for phrase in (value, *word_rows.GROUPS.get(value, ())):
            hit = re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", statement, re.IGNORECASE)
            if hit:
                found.append((hit.start(), value))
                break
    named = [value for _, value in sorted(found)]
    return [g for g in named if g != "All students"] or named


def field_of_value(text: str, v: Variant) -> tuple[str, str] | None:
    """Return (field key, value) for a short "Label: value" line whose value says which field it is, else None.

    "Content area: ELA" is the subject, "Grades: K-8" the grades, "Student
    focus: English learners; students with disabilities" the student groups,
    "Our decision this year: Adjust" the direction, whatever the label says.
    """
    head, colon, value = text.partition(":")
    value = value.strip().rstrip(".")
    if not colon or not value or len(head.split()) > 6 or len(value.split()) > 12:
        return None
    direction = v.lists["direction"].meant(value)
    if direction:
        return "direction", direction
    if re.fullmatch(r"(?:grades?\s*)?[PK\d][\w-]*(?:\s*(?:-|–|to|through)\s*\w+)?", value, re.IGNORECASE) and \
            word_rows.grades_in(f"grades {value}"):
        return "grades", value
    parts = [p.strip() for p in re.split(r"[;,]|\band\b", value) if p.strip()]
    if parts and all(word_rows._named(p, word_rows.GROUPS, v.lists["student_group"].values) for p in parts):
        return "student_groups", value
    if len(value.split()) <= 4 and word_rows._named(value, word_rows.SUBJECTS, tuple(word_rows.SUBJECTS)):
        return "subject", value
    return None


def district_line(text: str, district, v: Variant) -> tuple[str, str] | None:
    """Return (District field, value) for "Date: June 16, 2025", "Email: a@b.org", "Contact: ..." lines whose field
    is still empty and whose value is of its kind (a date, an address, a short name), else None."""
    head, colon, value = text.partition(":")
    value = value.strip()
    if not colon or not value or len(head.split()) > 4 or len(value.split()) > 12:
        return None
    mine = {w.casefold().rstrip("s") for w in re.findall(r"[A-Za-z]+", head)}
    for f in v.district_fields:
        label = {w.casefold().rstrip("s") for w in re.findall(r"[A-Za-z]+", v.text(f.label))}
        if not mine or not mine <= label or getattr(district, f.key):
            continue
        kind_fits = {"date": DATE.fullmatch(value.rstrip(".")) is not None,
                     "email": re.fullmatch(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", value) is not None}.get(f.kind, True)
        if kind_fits:
            return f.key, value
    return None
