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
from dataclasses import dataclass
from functools import cached_property

from docgen.checks import resolve
from docgen.checks.words import grade_set, grades_shown, groups_in
from docgen.model.plan import Plan

MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}
SEASONS = {"fall": 10, "autumn": 10, "winter": 1, "spring": 4, "summer": 7, "midyear": 1, "mid-year": 1}
_MONTH = r"\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*+\.?"
_SCHOOL_YEAR = re.compile(r"\b(?:(sy|fy|school year)\s*)?((?:19|20)?\d\d)\s*[-\u2013\u2014/]\s*((?:20)?\d\d)\b",
                          re.IGNORECASE)
_FISCAL = re.compile(r"\b(fy|sy)\s?'?((?:20)?\d\d)\b(?!\s*[-\u2013/])", re.IGNORECASE)
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
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:(\s*(?:%|percent\b|percentage points?\b|"
                     r"points?\b|pts?\b|pp\b|of\s+\d+|out of\s+\d+))|(?![\w]))", re.IGNORECASE)  # "5pp", "45 %"
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


class Facts:
    """What one answer or cell says, typed; each kind of fact is read the first time it is asked for.

    ``rhythm`` reads a cadence too, for a "how often" cell (elsewhere "spring 2026" is a date, not a rhythm);
    ``grades_cell`` reads a Grade(s) cell, whose "6-8" is grades, not numbers; ``names`` and ``district`` are the
    school list, to read which schools the text names.
    """

    def __init__(self, text: str = "", rhythm: bool = False, grades_cell: bool = False,
                 names: tuple[str, ...] = (), district: str = ""):
        self.text, self.rhythm, self.grades_cell = text, rhythm, grades_cell
        self.names, self.district = names, district

    @cached_property
    def _dated(self) -> tuple[list[When], str]:
        found: list[When] = []
        rest = _read_when(self.text, found) if self.text else ""
        return found, rest

    @property
    def when(self) -> list[When]:
        return self._dated[0]

    @cached_property
    def _graded(self) -> tuple[frozenset[int], str]:
        if self.grades_cell:
            return frozenset(grade_set(self.text)), ""
        rest = self._dated[1]
        spans = list(_GRADES.finditer(rest))
        for m in reversed(spans):
            rest = rest[:m.start()] + " " * (m.end() - m.start()) + rest[m.end():]
        return frozenset(g for m in spans for g in grade_set(m.group(0))), rest

    @property
    def grades(self) -> frozenset[int]:
        return self._graded[0]

    @cached_property
    def numbers(self) -> list[Number]:
        if not self.text or self.grades_cell:
            return []
        if not _DIGIT.search(self.text):  # only number words ("two", "half"): no date or grade to set aside first
            return _numbers(self.text, self.text)
        return _numbers(self._graded[1], self.text)

    @cached_property
    def subjects(self) -> tuple[str, ...]:
        return resolve.subjects_in(self.text) if self.text else ()

    @cached_property
    def named_subjects(self) -> tuple[str, ...]:
        """Return the subjects the text names by name ("math", "ELA", "reading"), not in passing ("writing")."""
        return resolve.subjects_in(self.text, named=True) if self.text else ()

    @cached_property
    def groups(self) -> tuple[str, ...]:
        return tuple(groups_in(self.text)) if self.text else ()

    @cached_property
    def assessments(self) -> tuple[str, ...]:
        return tuple(a.name for a in resolve.assessments_in(self.text)) if self.text else ()

    @cached_property
    def _rhythm(self) -> resolve.Cadence | None:
        return resolve.cadence(self.text) if self.rhythm and self.text else None

    @property
    def cadence(self) -> str:
        return self._rhythm.name if self._rhythm else ""

    @property
    def per_year(self) -> int | None:
        return self._rhythm.per_year if self._rhythm else None

    @cached_property
    def roles(self) -> tuple[str, ...]:
        return tuple(name for name, _ in resolve.roles_in(self.text)) if self.text else ()

    @cached_property
    def funding(self) -> tuple[str, ...]:
        return resolve.funding_in(self.text) if self.text else ()

    @cached_property
    def direction(self) -> str:
        """Return "up", "down", or "" (no direction word, or both)."""
        up, down = bool(UP.search(self.text)), bool(DOWN.search(self.text))
        return "up" if up and not down else "down" if down and not up else ""

    @cached_property
    def quantifiers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q.casefold() for q in QUANTIFIERS.findall(self.text)))

    @cached_property
    def schools(self) -> frozenset[int]:
        """Return the positions in the school list of the schools the text names."""
        if not self.names or not self.text:
            return frozenset()
        found = resolve.mentioned_schools(self.text, self.names, self.district)
        named = resolve.resolve_school(self.text, self.names, self.district) if len(self.text) < 80 else None
        if named and named.kind == "school" and named.index is not None:
            found = found | {named.index}
        return frozenset(found)

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


def read_text(text: str, rhythm: bool = False) -> Facts:
    """Return the facts of one text, read as they are asked for ("43% (spring 2026)" -> a percentage, a season)."""
    return Facts(text, rhythm)


def _read_when(text: str, found: list[When]) -> str:
    """Append every date and school year in ``text`` to ``found``; return the text with them blanked out.

    Read in order of precision (a school year before a bare year), each found span blanked so that it is read
    once; a text with no year-like digits skips straight to the months ("By January").
    """
    rest = text
    for pattern, read in _WHEN_READERS if _YEARISH.search(text) else ():
        taken = []
        for m in pattern.finditer(rest):
            when = read(m)
            if when is not None:
                found.append(when)
                taken.append((m.start(), m.end()))
        for start, end in reversed(taken):
            rest = rest[:start] + " " * (end - start) + rest[end:]
    if _ANY_MONTH.search(rest):
        found += [When(m.group(0).strip(), None, MONTHS[m.group(1).casefold()[:3]], "month")
                  for m in _MONTH_ALONE.finditer(rest)]
    return rest


def _school_year(m: re.Match) -> When | None:
    first, second = _full_year(m.group(2)), _full_year(m.group(3))
    if second in (first + 1, first + 1 - 2000) or second % 100 == (first + 1) % 100:
        return When(m.group(0).strip(), first, None, "school year")
    return None


def _numeric_date(m: re.Match) -> When | None:
    month, year = int(m.group(1)), _full_year(m.group(3))
    return When(m.group(0), school_year_of(year, month), month, "date") if 1 <= month <= 12 else None


def _dated(kind: str, months: dict):
    def read(m: re.Match) -> When:
        month = months[m.group(1).casefold()[:3] if months is MONTHS else m.group(1).casefold()]
        return When(m.group(0), school_year_of(int(m.group(2)), month), month, kind)
    return read


_YEARISH = re.compile(r"\d\d")
_DIGIT = re.compile(r"\d")
_ANY_MONTH = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
_WHEN_READERS = (
    (_SCHOOL_YEAR, _school_year),
    (_FISCAL, lambda m: When(m.group(0), _full_year(m.group(2)) - 1, None, "school year")),  # FY26, SY26: 2025-26
    (_MONTH_YEAR, _dated("date", MONTHS)),
    (_SEASON_YEAR, _dated("season", SEASONS)),
    (_NUMERIC_DATE, _numeric_date),
    (_COHORT, lambda m: When(m.group(0), None, None, "cohort")),  # "class of 2026": a group's name, not a date
    (_MONTH_DAY, lambda m: When(m.group(0), None, MONTHS[m.group(1).casefold()[:3]], "month")),
    (_BARE_YEAR, lambda m: When(m.group(0), int(m.group(1)) - 1, None, "year")),  # "by 2026": the year ending then
)


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


def cells(plan: Plan) -> dict[str, tuple[str, bool]]:
    """Return every answer and table cell of ``plan`` that holds text: {Plan.where key: (text, read schools in it)}.

    Nothing is parsed here: the checks read a cell's facts only when a rule asks (``Lazy``).
    """
    out: dict[str, tuple[str, bool]] = {f"district.{key}": (value, False) for key, value in vars(plan.district).items()
                                        if key in ("date", "school_year")}
    for key, value in plan.answers.items():
        out[f"answers.{key}"] = (value, True)
    for i, school in enumerate(plan.schools):
        out[f"schools[{i}].grades"] = (school.grades, False)
        out[f"schools[{i}].reason"] = (school.reason, False)
    for i, row in enumerate(plan.curricula):
        for column, value in vars(row).items():
            out[f"curricula[{i}].{column}"] = (value, True)
    for p in plan.priorities:
        for key, value in p.answers.items():
            out[f"p{p.number}.{key}"] = (value, True)
        for table in ("outcomes", "benchmarks", "targeted_support"):
            for i, row in enumerate(getattr(p, table)):
                for column, value in vars(row).items():
                    out[f"p{p.number}.{table}[{i}].{column}"] = (value, column in ("school", "actions",
                                                                                  "monitored_by", "measure"))
    return {key: found for key, found in out.items() if found[0] and found[0].strip()}


class Lazy:
    """A plan's facts, each cell read the first time a rule asks for it: most rules ask about few cells."""

    def __init__(self, plan: Plan):
        self.cells = cells(plan)
        self.names = tuple(s.name for s in plan.schools)
        self.district = plan.district.name
        self.read: dict[str, Facts] = {}

    def get(self, key: str) -> Facts | None:
        if key not in self.read:
            if key not in self.cells:
                return None
            value, schools = self.cells[key]
            self.read[key] = read_cell(key, value, self.names if schools else (), self.district)
        return self.read[key]


def read_cell(key: str, value: str, names: tuple[str, ...], district: str) -> Facts:
    """Return the facts of one cell: a Grade(s) cell holds grades, not numbers; a "how often" cell a cadence."""
    return Facts(value, rhythm=key.endswith(".frequency"), grades_cell=key.endswith("grades"), names=names,
                 district=district)


def read(plan: Plan) -> dict[str, Facts]:
    """Return the facts of every answer and table cell of ``plan``, keyed like ``Plan.where`` (for --facts)."""
    lazy = Lazy(plan)
    return {key: lazy.get(key) or Facts() for key in lazy.cells}
