"""The state's view of every region: plans by status against the due date and the feedback month, priorities by
subject and grade span, prioritized student groups, identified schools by category and whether a priority reaches
them, and the benchmarks' latest check-ins; each count with the districts behind it.

Each district is read once into Facts (its latest version is decoded once per server process: versions never
change, so the facts of a version id are kept), and every table is a count of the facts that have a value.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from docgen import variants
from docgen.errors import NotFound
from docgen.model.plan import STATUSES as CHECKIN_STATUSES
from docgen.variants import Variant
from docgen.web.services import progress
from docgen.web.services.workflow import current_variant
from docgen.web.storage import plans, statewide
from docgen.web.storage.db import Database
from docgen.write import xlsx_intake

TOTAL = "All regions"
NO_REGION = "No region"
_FACTS_KEPT = 8192
_by_version: dict[int, dict[str, frozenset[str]]] = {}  # version id -> what its plan says (versions never change)
_counted: dict[tuple[str, str], tuple[int, list, list]] = {}  # (database, year) -> (its change number, facts, tables)


@dataclass
class Facts:
    """One district as the state view counts it: each measure's values (a district counts once per value)."""

    district_id: int
    name: str
    region: str
    values: dict[str, frozenset[str]] = field(default_factory=dict)


MEASURES = {  # key -> heading
    "status": "Plans by status",
    "timing": "Against the due date and the feedback month",
    "subject": "Priorities by subject",
    "grades": "Priorities by grade span",
    "group": "Prioritized student groups",
    "category": "Identified schools by category (districts with one)",
    "unreached": "Identified schools no priority reaches, by category",
    "checkin": "Benchmarks at midyear (districts with a benchmark whose latest check-in is ...)",
}


def due_date(variant: Variant | None = None) -> date:
    """Return a year's (default: this year's) due date ("June 30, 2025"), else June 30 before its school year."""
    variant = variant or current_variant()
    try:
        return datetime.strptime(variant.values.get("due_date", ""), "%B %d, %Y").date()
    except ValueError:
        first = re.search(r"20\d\d", variant.school_year)
        return date(int(first.group()) - 1 if first else date.today().year, 6, 30)


def view(db: Database, year: Variant | None = None) -> tuple[list[Facts], list[Table]]:
    """Return a year's Facts and their tables, counted again only once something they count has changed.

    Each process keeps the last count of each year beside the database's
    change number (storage's counted_changes, moved by a trigger on every
    table the view reads) and asks for that number on each request, so the
    view is never stale and a busy server does not count 400 districts for
    every visit. A change during a count only makes the next visit count again.
    """
    year = year or current_variant()
    changes = statewide.counted_changes(db)
    key = (str(db.path), year.id)
    kept = _counted.get(key)
    if kept is None or kept[0] != changes:
        found = facts(db, year)
        kept = (changes, found, tables(found))
        _counted[key] = kept
    return kept[1], kept[2]


def facts(db: Database, year: Variant | None = None) -> list[Facts]:
    """Return every district's Facts for a year's plans (default: this year's)."""
    year = year or current_variant()
    due = due_date(year)
    feedback_by = date(due.year, 8, 31).isoformat()
    checkins = progress.counts_by_district(db, variant=year)
    variant = year.id
    found = []
    for row in statewide.districts(db, variant):
        status = row["status"] if row["latest"] else "not started"
        values = {"status": frozenset({status}), "timing": frozenset(_timing(row, due.isoformat(), feedback_by))}
        if row["version_id"]:
            values.update(_plan_values(db, row["version_id"], variant))
        counts = checkins.get(row["id"])
        values["checkin"] = frozenset(s for s in CHECKIN_STATUSES if counts and counts.counts[s])
        found.append(Facts(row["id"], row["name"], row["region"] or NO_REGION, values))
    return found


def _timing(row, due: str, feedback_by: str) -> list[str]:
    submitted, sent = (row["submitted_at"] or "")[:10], (row["sent"] or "")[:10]
    out = [("Submitted by the due date" if submitted <= due else "Submitted after the due date") if submitted
           else "Not submitted"]
    if sent:
        out.append("Feedback sent by the end of August" if sent <= feedback_by else "Feedback sent after August")
    return out


def _plan_values(db: Database, version_id: int, variant: str) -> dict[str, frozenset[str]]:
    """Return what a version's plan says for the measures, read once per version id."""
    kept = _by_version.get(version_id)
    if kept is None:
        data = statewide.version_data(db, version_id)
        if data is None:  # the year was purged (records.py) since the districts were read: nothing to count
            return {}
        plan = plans.decode(data, variant)
        spans = [_grades(p.answer("grades")) for p in plan.priorities]
        identified = [s for s in plan.schools if s.requires_assistance]
        subjects = variants.load(variant).lists.get("subject")
        kept = {"subject": frozenset(canonical_subject(part, subjects) for p in plan.priorities
                                     for part in _subjects(p.answer("subject"), subjects)),
                "grades": frozenset(_clean(p.answer("grades")) for p in plan.priorities if p.answer("grades")),
                "group": frozenset(_clean(g) for p in plan.priorities
                                   for g in re.split(r"[;\n]", p.answer("student_groups")) if g.strip()),
                "category": frozenset(s.category for s in identified),
                "unreached": frozenset(s.category for s in identified
                                       if not any(_grades(s.grades) & span for span in spans))}
        if len(_by_version) > _FACTS_KEPT:
            _by_version.clear()
        _by_version[version_id] = kept
    return kept


def _subjects(text: str, subjects) -> list[str]:
    """Return the subjects one answer names: "Math and science; ELA" -> ["Math", "science", "ELA"] (a list value
    holding "and", "History and social science", stays whole)."""
    if subjects is not None and subjects.match(text or ""):
        return [text]
    return [p.strip() for p in re.split(r"[,;/\n&]| and (?=\w)", text or "") if p.strip(" .-")]


def canonical_subject(text: str, subjects=None) -> str:
    """Return one subject however it is spelt, in the variant's own list's spelling where it names one of them.

    "Mathematics", "math" and "Maths" are the list's "Math" (one is the
    start of the other, three letters at least); "English Language Arts" is
    "ELA" (its initials); anything else is kept, tidied. To be replaced by
    check's own resolver (docgen/checks/resolve.py, ``subject(text)``) once
    it lands, so the state view and check count subjects alike.
    """
    cleaned = _clean(text)
    folded = cleaned.casefold()
    words = re.findall(r"[a-z]+", folded)
    for value in getattr(subjects, "values", ()):
        own = value.casefold()
        shorter, longer = sorted((own, folded), key=len)
        starts = len(shorter) >= 3 and longer.startswith(shorter) and (
            " " not in longer or longer[len(shorter):len(shorter) + 1] in ("", " "))  # "Math"s, "History" and ...
        if own == folded or starts or (len(words) > 1 and "".join(w[0] for w in words) == own):
            return value
    return cleaned


def _clean(text: str) -> str:
    text = " ".join(text.replace("–", "-").split()).strip(" .-")
    return text[:1].upper() + text[1:]


def _grades(text: str) -> set[int]:
    """Return the grades a span names ("K-5" -> 0..5, "9-12", "PK-8", "3, 4"), PK as -1 and K as 0."""
    numbers = {"PK": -1, "PRE-K": -1, "K": 0}
    out: set[int] = set()
    for part in re.split(r"[,;/]| and ", (text or "").upper()):
        ends = [e.strip() for e in re.split(r"\s*[-–]\s*|\s+TO\s+", part.strip()) if e.strip()]
        grades = [g for g in (numbers.get(e, int(e) if e.isdigit() else None) for e in ends) if g is not None]
        if grades and len(grades) == len(ends):  # every end a grade: "K-5", not "K-five"
            out |= set(range(min(grades), max(grades) + 1))
    return out


@dataclass
class Table:
    """One measure: its values as rows, each with a count per region and in total."""

    key: str
    title: str
    regions: list[str]
    rows: list[tuple[str, dict[str, int]]]  # (value, {region or TOTAL: districts})

    def most(self) -> int:
        return max((counts[TOTAL] for _, counts in self.rows), default=0)


def tables(found: list[Facts]) -> list[Table]:
    """Return one table per measure, values in order of how many districts have them."""
    regions = sorted({f.region for f in found})
    out = []
    for key, title in MEASURES.items():
        counts: dict[str, Counter] = {}
        for f in found:
            for value in f.values.get(key, ()):
                counter = counts.setdefault(value, Counter())
                counter[f.region] += 1
                counter[TOTAL] += 1
        order = list(plans.STATUSES) if key == "status" else None
        values = sorted(counts, key=lambda v: (order.index(v) if order and v in order else 99, -counts[v][TOTAL], v))
        out.append(Table(key, title, regions, [(v, {r: counts[v][r] for r in [*regions, TOTAL]}) for v in values]))
    return out


def matching(found: list[Facts], region: str, key: str, value: str) -> list[Facts]:
    """Return the districts behind one count: of ``region`` (or every region) with ``value`` for ``key``."""
    return [f for f in found if (not region or region == TOTAL or f.region == region)
            and (not key or value in f.values.get(key, ()))]


EXPORT_COLUMNS = [("Measure", 40), ("Value", 50), ("Region", 20), ("Districts", 10)]


def require_measure(key: str) -> None:
    """Refuse (404) a measure the state view does not count; no measure means every district."""
    if key and key not in MEASURES:
        raise NotFound(f"The state view counts no measure '{key[:40]}'.")


def export(db: Database, year: Variant | None = None) -> tuple[bytes, int]:
    """Return every count of the state view as one workbook table (measure, value, region and all regions,
    districts), and how many counts it holds."""
    rows = [[table.title, value, region, counts[region]] for table in view(db, year)[1]
            for value, counts in table.rows for region in [*table.regions, TOTAL]]
    return xlsx_intake.write_table("State view", [c for c, _ in EXPORT_COLUMNS], rows,
                                       [w for _, w in EXPORT_COLUMNS]), len(rows)
