"""Every answer and table cell read into typed facts, beside the plan: what docgen understood, and why a rule fired.

A cell's facts are its numbers with their kind (a percentage, points, a scale
score, a growth percentile, a count, a share "4 of 6"), its dates and school
years (each with the school year it falls in), grade spans, subjects, student
groups, schools, assessments, cadence, roles, funding sources and direction
words. Years, dates and grades are read first, so "By the end of the 2027-28
school year" holds a school year and no number, and "grade 3" holds a grade.
``read(plan)`` gives them keyed like ``Plan.where`` ("p1.outcomes[0].target");
``docgen check --facts`` prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Plan
from . import resolve
from .words import grade_set, grades_shown, groups_in

MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}
SEASONS = {"fall": 10, "autumn": 10, "winter": 1, "spring": 4, "summer": 7, "midyear": 1, "mid-year": 1}
_MONTH = r"\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*+\.?"
_SCHOOL_YEAR = re.compile(r"\b(?:(sy|fy|school year)\s*)?((?:19|20)?\d\d)\s*[-\u2013\u2014/]\s*((?:20)?\d\d)\b",
                          re.IGNORECASE)
_FISCAL = re.compile(r"\b(fy|sy)\s?'?(\d\d)\b(?!\s*[-\u2013/])", re.IGNORECASE)
_MONTH_YEAR = re.compile(_MONTH + r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_SEASON_YEAR = re.compile(r"\b(fall|autumn|winter|spring|summer)\s+(?:of\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:20)?\d\d)\b")
_MONTH_DAY = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!\s*,?\s*(?:19|20)\d\d)", re.IGNORECASE)
_COHORT = re.compile(r"\b(?:(?:19|20)\d\d\s+(?:cohort|graduates|graduating class)|"
                     r"(?:cohort|class) of\s+(?:19|20)\d\d)\b", re.IGNORECASE)
_BARE_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_MONTH_ALONE = re.compile(r"\b(?:by|in|during|at|before|end of|mid-?)\s*" + _MONTH + r"(?!\s*\d)", re.IGNORECASE)
_GRADES = re.compile(r"\b(?:grades?|gr\.?)\s*((?:pre-?k|pk|k|\d{1,2})(?:\s*(?:-|\u2013|to|through|and|,)\s*"
                     r"(?:pre-?k|pk|k|\d{1,2}))*)|\b((?:pk|k)\s*[-\u2013]\s*\d{1,2})\b|"
                     r"\b(\d{1,2})(?:st|nd|rd|th)[- ]grade",
                     re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])(\s*(?:%|percent\b|percentage points?\b|"
                     r"points?\b|pts?\b|pp\b|of\s+\d+|out of\s+\d+))?", re.IGNORECASE)
WORD_VALUES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
               "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "half": 50, "a third": 33,
               "a quarter": 25}
_NUMBER_WORDS = re.compile(r"\b(" + "|".join(WORD_VALUES) + r")\b", re.IGNORECASE)
QUANTIFIERS = re.compile(r"\b(all|every|each|none|no|any)\b", re.IGNORECASE)
UP = re.compile(r"\b(increas\w*|improv\w*|rais\w*|grow\w*|ris\w*|gain\w*|more|higher|accelerat\w*|boost\w*)\b",
                re.IGNORECASE)
DOWN = re.compile(r"\b(decreas\w*|reduc\w*|narrow\w*|clos\w*|lower\w*|declin\w*|fewer|less|cut\w*|shrink\w*|"
                  r"eliminat\w*)\b", re.IGNORECASE)
GROWTH = re.compile(r"\bsgp\b|growth percentile", re.IGNORECASE)
SCALE = re.compile(r"scaled? scores?|\bss\b|scale", re.IGNORECASE)


@dataclass(frozen=True)
class Number:
    value: float
    kind: str  # "percentage", "points", "scale score", "growth percentile", "share", "count", "number"
    text: str


@dataclass(frozen=True)
class When:
    text: str
    school_year: int | None  # the first calendar year of the school year it falls in (2025 for 2025-26)
    month: int | None  # None for a school year as a whole
    kind: str  # "school year", "date", "season", "year", "month"


@dataclass
class Facts:
    """What one answer or cell says, typed."""

    numbers: list[Number] = field(default_factory=list)
    when: list[When] = field(default_factory=list)
    grades: frozenset[int] = frozenset()
    subjects: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    schools: frozenset[int] = frozenset()
    assessments: tuple[str, ...] = ()
    cadence: str = ""
    per_year: int | None = None
    roles: tuple[str, ...] = ()
    funding: tuple[str, ...] = ()
    direction: str = ""  # "up", "down", "" (none or both)
    quantifiers: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """Return the facts as short phrases, for ``docgen check --facts``."""
        out = [f"{n.kind} {n.value:g}" for n in self.numbers]
        out += [f"{w.kind} '{w.text}'" + (f" (school year {w.school_year}-{(w.school_year + 1) % 100:02d})"
                                          if w.school_year else "") for w in self.when]
        out += [f"grades {grades_shown(set(self.grades))}"] if self.grades else []
        for label, values in (("subject", self.subjects), ("group", self.groups), ("assessment", self.assessments),
                              ("role", self.roles), ("funding", self.funding), ("quantifier", self.quantifiers)):
            out += [f"{label} {v}" for v in values]
        out += [f"cadence {self.cadence} ({self.per_year} a year)"] if self.cadence else []
        out += [f"direction {self.direction}"] if self.direction else []
        return out


def school_year_of(year: int, month: int) -> int:
    """Return the school year (its first calendar year) a month falls in: July-December starts one."""
    return year if month >= 7 else year - 1


def _full_year(text: str) -> int:
    number = int(text)
    return number + 2000 if number < 100 else number


@lru_cache(maxsize=8192)
def read_text(text: str, rhythm: bool = False) -> Facts:
    """Return the facts of one answer or cell (cached: a plan is read once per check, a workbook's cells repeat).

    ``rhythm`` reads a cadence too, for a "how often" cell: elsewhere "spring 2026" is a date, not a rhythm.
    """
    facts = Facts()
    if not text.strip():
        return facts
    rest = _read_when(text, facts.when)
    spans = [m for m in _GRADES.finditer(rest)]
    facts.grades = frozenset(g for m in spans for g in grade_set(m.group(0)))
    for m in reversed(spans):
        rest = rest[:m.start()] + " " * (m.end() - m.start()) + rest[m.end():]
    facts.numbers = _numbers(rest, text)
    facts.subjects = resolve.subjects_in(text)
    facts.groups = tuple(groups_in(text))
    facts.assessments = tuple(a.name for a in resolve.assessments_in(text))
    found = resolve.cadence(text) if rhythm else None
    if found:
        facts.cadence, facts.per_year = found.name, found.per_year
    facts.roles = tuple(name for name, _ in resolve.roles_in(text))
    facts.funding = resolve.funding_in(text)
    up, down = bool(UP.search(text)), bool(DOWN.search(text))
    facts.direction = "up" if up and not down else "down" if down and not up else ""
    facts.quantifiers = tuple(dict.fromkeys(q.casefold() for q in QUANTIFIERS.findall(text)))
    return facts


def _read_when(text: str, found: list[When]) -> str:
    """Append every date and school year in ``text`` to ``found``; return the text with them blanked out."""
    chars = list(text)

    def take(m: re.Match, when: When) -> None:
        found.append(when)
        chars[m.start():m.end()] = " " * (m.end() - m.start())

    for m in _SCHOOL_YEAR.finditer(text):
        first, second = _full_year(m.group(2)), _full_year(m.group(3))
        if second in (first + 1, first + 1 - 2000) or second % 100 == (first + 1) % 100:
            take(m, When(m.group(0).strip(), first, None, "school year"))
    for m in _FISCAL.finditer("".join(chars)):
        year = _full_year(m.group(2))
        take(m, When(m.group(0), year - 1 if m.group(1).casefold() == "fy" else year, None, "school year"))
    for m in _MONTH_YEAR.finditer("".join(chars)):
        month, year = MONTHS[m.group(1).casefold()[:3]], int(m.group(2))
        take(m, When(m.group(0), school_year_of(year, month), month, "date"))
    for m in _SEASON_YEAR.finditer("".join(chars)):
        month, year = SEASONS[m.group(1).casefold()], int(m.group(2))
        take(m, When(m.group(0), school_year_of(year, month), month, "season"))
    for m in _NUMERIC_DATE.finditer("".join(chars)):
        month, year = int(m.group(1)), _full_year(m.group(3))
        if 1 <= month <= 12:
            take(m, When(m.group(0), school_year_of(year, month), month, "date"))
    for m in _COHORT.finditer("".join(chars)):  # "2025 cohort", "class of 2026": a group's name, not a date
        take(m, When(m.group(0), None, None, "cohort"))
    for m in _MONTH_DAY.finditer("".join(chars)):
        take(m, When(m.group(0), None, MONTHS[m.group(1).casefold()[:3]], "month"))
    for m in _BARE_YEAR.finditer("".join(chars)):
        take(m, When(m.group(0), int(m.group(1)) - 1, None, "year"))  # "by 2026": the school year ending then
    for m in _MONTH_ALONE.finditer("".join(chars)):
        found.append(When(m.group(0).strip(), None, MONTHS[m.group(1).casefold()[:3]], "month"))
    return "".join(chars)


def _numbers(rest: str, text: str) -> list[Number]:
    growth, scale = bool(GROWTH.search(text)), bool(SCALE.search(text))
    numbers = []
    for m in _NUMBER.finditer(rest):
        value = float(m.group(1).replace(",", ""))
        unit = (m.group(2) or "").strip().casefold()
        if unit.startswith(("%", "percent")) and "point" not in unit:
            kind = "percentage"
        elif unit.startswith(("point", "pt", "pp", "percentage point")):
            kind = "points"
        elif unit.startswith(("of", "out of")):
            kind = "share"
        elif growth and value <= 99:
            kind = "growth percentile"
        elif scale and 200 <= value <= 600:
            kind = "scale score"
        elif re.match(r"\s*[a-z]", rest[m.end():m.end() + 3], re.IGNORECASE):
            kind = "count"
        else:
            kind = "number"
        numbers.append(Number(value, kind, m.group(0).strip()))
    numbers += [Number(WORD_VALUES[w.group(1).casefold()], "percentage" if w.group(1).casefold() in
                       ("half", "a third", "a quarter") else "count", w.group(0)) for w in _NUMBER_WORDS.finditer(rest)]
    return numbers


def read(plan: Plan) -> dict[str, Facts]:
    """Return the facts of every answer and table cell of ``plan``, keyed like ``Plan.where``."""
    names = tuple(s.name for s in plan.schools)
    out: dict[str, Facts] = {}

    def add(key: str, value: str, schools: bool = True) -> None:
        if value and value.strip():
            facts = read_text(value, key.endswith(".frequency"))
            if key.endswith("grades"):  # a Grade(s) cell: "6-8" and "3, 5" are grades, not numbers
                facts = Facts(grades=frozenset(grade_set(value)), subjects=facts.subjects)
            if schools and names:
                facts = _with_schools(facts, value, names, plan.district.name)
            out[key] = facts

    for key, value in plan.answers.items():
        add(key, value)
    for i, school in enumerate(plan.schools):
        add(f"schools[{i}].grades", school.grades, schools=False)
        add(f"schools[{i}].reason", school.reason, schools=False)
    for i, row in enumerate(plan.curricula):
        for column, value in vars(row).items():
            add(f"curricula[{i}].{column}", value)
    for p in plan.priorities:
        for key, value in p.answers.items():
            add(f"p{p.number}.{key}", value)
        for table in ("outcomes", "benchmarks", "targeted_support"):
            for i, row in enumerate(getattr(p, table)):
                for column, value in vars(row).items():
                    add(f"p{p.number}.{table}[{i}].{column}", value, schools=column in ("school", "actions",
                                                                                          "monitored_by"))
    return out


def _with_schools(facts: Facts, text: str, names: tuple[str, ...], district: str) -> Facts:
    schools = resolve.mentioned_schools(text, names, district)
    found = resolve.resolve_school(text, names, district) if len(text) < 80 else None
    if found and found.kind == "school":
        schools = schools | {found.index}
    if not schools:
        return facts
    copy = Facts(**vars(facts))
    copy.schools = frozenset(schools)
    return copy
