"""Read rows out of text a district typed where the template has a table, or beside a school's name.

Districts often delete a table and type its rows as a bulleted list ("Science, grades 6-8: learning and
preparing ...", "Raise MCAS math achievement from 36% to 40%"), and type a school's code, grades and
category in the same cell as its name. word.py calls these readers; each returns None (or leaves a
value blank) unless the text clearly is such a row, so an ordinary sentence is never turned into one.
The importer lists the original text in Carried over next to every row read this way.
"""

from __future__ import annotations

import re

from docgen.model.plan import Curriculum, OutcomeTarget, School
from docgen.read.word_document import match_score, normal_form
from docgen.variants import ColumnSpec, Variant

# What people write for each subject, beyond the list's own values.
SUBJECTS = {
    "ELA": ("ela", "english language arts", "english", "reading", "literacy", "writing"),
    "Math": ("math", "mathematics", "maths", "algebra", "geometry"),
    "Science": ("science", "ste", "biology", "chemistry", "physics"),
    "History and social science": ("history", "social studies", "social science", "civics"),
    "World languages": ("world language", "world languages", "spanish", "french"),
    "Arts": ("arts", "art", "music"),
    "Health and physical education": ("health", "physical education"),
    "Digital literacy and computer science": ("computer science", "digital literacy"),
}
GROUPS = {
    "Students with disabilities": ("students with disabilities", "swd", "special education"),
    "English learners and former ELs": ("english learners", "english learner", "els", "multilingual learners"),
    "Low income": ("low income", "low-income", "economically disadvantaged"),
    "High needs": ("high needs", "high-needs"),
    "Lowest performing students": ("lowest performing",),
}
_GRADE = r"(?:PK|Pre-?K|K|\d{1,2})"
GRADES = re.compile(rf"\b(?:grades?|gr\.?)\s*({_GRADE}(?:\s*(?:-|–|—|to|through)\s*{_GRADE})?)\b"
                    rf"|\b({_GRADE}\s*(?:-|–|—)\s*{_GRADE})\b", re.IGNORECASE)
NUMBER = r"\d+(?:\.\d+)?\s*%?"
FROM_TO = re.compile(rf"\s*\bfrom\s+(?:an?\s+)?(?:\w+\s+)?({NUMBER})\s*(?:\([^)]*\)\s*)?to\s+(?:an?\s+)?(?:\w+\s+)?"
                     rf"({NUMBER})", re.IGNORECASE)
CODE = re.compile(r"\b\d{8}\b")


def grades_in(text: str) -> str:
    """Return the grade span ``text`` names ("grades 6-8" -> "6-8"), or ""."""
    found = GRADES.search(text)
    if not found:
        return ""
    span = found.group(1) or found.group(2)
    return re.sub(r"\s*(?:–|—|to|through)\s*|\s*-\s*", "-", span).upper().replace("PRE-K", "PK")


def _named(text: str, names: dict[str, tuple[str, ...]], values: tuple[str, ...]) -> str:
    """Return the value whose name or usual wording ``text`` mentions first, or ""."""
    hits = []
    for value in values:
        for phrase in (value, *names.get(value, ())):
            found = re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text, re.IGNORECASE)
            if found:
                hits.append((found.start(), -len(phrase), value))
    return min(hits)[2] if hits else ""


def curriculum_row(text: str, v: Variant) -> Curriculum | None:
    """Return the curricula row a list item such as "Science, grades 6-8: launching. ..." is, or None."""
    lead = re.split(r"[:.;–—]", text, maxsplit=1)[0]
    subjects = tuple(dict.fromkeys((*v.lists["subject"].values, *SUBJECTS)))
    subject, grades = _named(lead, SUBJECTS, subjects), grades_in(lead)
    if not subject or not grades:
        return None
    status = _named(text, {}, v.lists["hqim_status"].values)
    return Curriculum(subject=subject, grades=grades, status=status, description=text)


def outcome_row(text: str, v: Variant) -> OutcomeTarget | None:
    """Return the outcome target a sentence naming a measure and a number from/to is, or None."""
    found = FROM_TO.search(text)
    if not found or len(text[:found.start()].split()) < 3:
        return None
    measure = (text[:found.start()] + text[found.end():]).strip(" .;,")
    measure = re.sub(r"\s+(?:will\s+)?(?:rises?|increases?|grows?|improves?|goes up|go up)$", "", measure)
    group = _named(text, GROUPS, v.lists["student_group"].values) or "All students"
    return OutcomeTarget(measure=measure, student_group=group, school="District", baseline=found.group(1).strip(),
                         target=found.group(2).strip(), accountability="Yes" if re.search(r"\bMCAS\b", text) else "")


def school_in_cell(cell: str, v: Variant) -> tuple[School, list[str]]:
    """Return the school a targeted-support cell names (with any code, grades, category, plan link) and the rest.

    "Ellis Pond Middle School (09990305, grades 6-8)\\nUnderperforming\\nhttps://..." gives the name,
    code, grades, category and link; lines that are none of these are returned to be kept elsewhere.
    """
    lines = [line.strip().lstrip("- ").strip() for line in cell.split("\n") if line.strip()]
    first = lines[0] if lines else ""
    school = School(name=first)
    aside = re.search(r"\s*\(([^)]*)\)\s*$", first)
    if aside and (CODE.search(aside.group(1)) or grades_in(aside.group(1))):
        school.name = first[:aside.start()].strip()
        code = CODE.search(aside.group(1))
        school.org_code = code.group(0) if code else ""
        school.grades = grades_in(aside.group(1))
    rest = []
    categories = v.lists["accountability_category"]
    for line in lines[1:]:
        category = categories.meant(line)
        if category and not school.category:
            school.category = category
        elif re.fullmatch(r"https?://\S+", line) and not school.plan_link:
            school.plan_link = line
        else:
            rest.append(line)
    return school, rest


def column_for(header: str, columns: tuple[ColumnSpec, ...], v: Variant, taken: set[str]) -> ColumnSpec | None:
    """Return the column (not yet taken) whose header ``header`` is, tolerantly, or None."""
    norm = normal_form(header)
    scored = []
    for column in columns:
        wanted = normal_form(v.text(column.header))
        if column.key not in taken:  # a header shortened to its first words ("How often?") still names it
            scored.append((1.0 if len(norm) >= 8 and wanted.startswith(norm) else match_score(norm, wanted), column))
    best = max(scored, key=lambda pair: pair[0], default=(0, None))
    return best[1] if best[0] > 0 else None
