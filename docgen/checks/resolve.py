"""One resolver for the names and words of a plan: schools, the district, groups, subjects, assessments, cadences,
roles and funding sources, written the way districts write them.

Used by the checks, and meant for every other reader of plans (import, the web
form, the region and state views): ``subject("Mathematics") == subject("Math")
== "Math"``; ``group("ELLs") == "English learners and former ELs"``;
``SchoolNames(names, district).resolve("Ellis Pond MS")`` finds Ellis Pond
Middle School. A name is read by its distinctive words (what is left without
"Elementary", "MS", "School", a leading "The", a label's colon), so short
names, abbreviations and hyphens resolve exactly; rapidfuzz offers a best
guess for the rest, which callers report as a question, never as an error.
No web or Office imports: this module is plain text in, names out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rapidfuzz import fuzz, process

from docgen.checks import vocabulary
from docgen.checks.vocabulary import Assessment
from docgen.checks.words import groups_in, whole_words

GUESS_SCORE = 80  # rapidfuzz WRatio of the distinctive words above which an unresolved name is offered as a guess


# --- word tables -> matchers ---------------------------------------------------------------------------------------


class Matcher:
    """Find the canonical names of a word table in text: lowercase names ignore case, capitalised ones do not."""

    def __init__(self, table: dict[str, tuple[str, ...]]):
        pairs = [(alias, name) for name, aliases in table.items() for alias in aliases]
        self.of = {alias: name for alias, name in pairs if alias == alias.casefold()}
        self.exact = {alias: name for alias, name in pairs if alias != alias.casefold()}

    @cached_property
    def loose(self) -> re.Pattern | None:
        """The lowercase names, matched in casefolded text (compiled on first use: commands that never check a
        plan do not pay for it)."""
        return whole_words(self.of) if self.of else None

    @cached_property
    def strict(self) -> re.Pattern | None:
        """The names written in capitals, matched as written."""
        return whole_words(self.exact) if self.exact else None

    def found(self, text: str) -> list[tuple[int, str, str]]:
        """Return (position, canonical name, the words as matched, casefolded) for every name in ``text``."""
        found = []
        if self.loose:
            folded = text.casefold()
            found += [(m.start(), self.of[m.group(1)], m.group(1)) for m in self.loose.finditer(folded)
                      if not _followed_by_group(m.group(1), folded, m.end())]
        if self.strict:
            found += [(m.start(), self.exact[m.group(1)], m.group(1).casefold()) for m in self.strict.finditer(text)]
        return sorted(found)

    def spans(self, text: str) -> list[tuple[int, str]]:
        """Return (position, canonical name) for every name in ``text``, in order."""
        return [(at, name) for at, name, _ in self.found(text)]

    def names(self, text: str) -> tuple[str, ...]:
        """Return the canonical names in ``text``, in order, once each."""
        return tuple(dict.fromkeys(name for _, name in self.spans(text)))


_AFTER = {word: re.compile(r"\s+(?:" + "|".join(re.escape(a) for a in after) + r")\b")
          for word, after in vocabulary.NOT_SUBJECT_AFTER.items()}


def _followed_by_group(alias: str, folded: str, end: int) -> bool:
    """Return True when a subject word is part of a group's name: "English" in "English learners"."""
    after = _AFTER.get(alias)
    return bool(after and after.match(folded, end))


_SUBJECTS = Matcher(vocabulary.SUBJECTS)
_ASSESSMENTS = Matcher({name: aliases for name, (_, aliases) in vocabulary.ASSESSMENTS.items()})
_CADENCES = Matcher({name: aliases for name, (_, aliases) in vocabulary.CADENCES.items()})
_ROLES = Matcher({name: aliases for name, (_, aliases) in vocabulary.ROLES.items()})
_FUNDING = Matcher({name: aliases for name, (_, aliases) in vocabulary.FUNDING.items()})
_MONTHS = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b\.?", re.IGNORECASE)
_TIMES = {"once": 1, "twice": 2, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_COUNTED = re.compile(r"\b(?:(\d+|one|two|three|four|five|six)\s*(?:x|times)|(once|twice))\s*(?:a|per|/|each|every)?"
                      r"\s*(years?|yearly|annually|yr|months?|monthly|mo|weeks?|weekly|wk)\b", re.IGNORECASE)
_VAGUE = re.compile(r"^\s*(" + "|".join(re.escape(v) for v in vocabulary.VAGUE_CADENCES) + r")\s*\.?\s*$",
                    re.IGNORECASE)


@lru_cache(maxsize=4096)
def subjects_in(text: str, named: bool = False) -> tuple[str, ...]:
    """Return the subjects ``text`` names: "ELA and Mathematics" -> ("ELA", "Math"); "English learners" -> ().

    ``named`` keeps only a subject's names ("ELA", "literacy", "math"), not the words that often serve another
    subject ("explain their reasoning in writing" in a math lesson is no ELA).
    """
    if named:
        return tuple(dict.fromkeys(name for _, name, alias in _SUBJECTS.found(text)
                                   if alias not in vocabulary.SUBJECT_WORDS_IN_PASSING))
    return _SUBJECTS.names(text)


def subject(text: str) -> str | None:
    """Return the one subject a name means ("Mathematics" -> "Math", "literacy" -> "ELA"), or None."""
    found = subjects_in(text)
    return found[0] if found else None


def group(text: str) -> str | None:
    """Return the DESE student group a name means ("ELLs", "multilingual learners" -> English learners), or None.

    A qualifier does not make a new group: "English learners, especially newcomers" is English learners.
    """
    found = groups_in(text)
    return found[0] if found else None


@lru_cache(maxsize=4096)
def assessments_in(text: str) -> tuple[Assessment, ...]:
    """Return the assessments and data sources ``text`` names, each with its kind, subjects, grades and rhythm."""
    return tuple(vocabulary.ASSESSMENTS[name][0] for name in _ASSESSMENTS.names(text))


def assessment(text: str) -> Assessment | None:
    """Return the assessment a name means ("iReady" -> i-Ready, interim, three times a year), or None."""
    found = assessments_in(text)
    return found[0] if found else None


@dataclass(frozen=True)
class Cadence:
    name: str  # "monthly", "3 named months", "vague"
    per_year: int  # 0 when vague


@lru_cache(maxsize=2048)
def cadence(text: str) -> Cadence | None:
    """Return how often ``text`` says: "Every two weeks" -> biweekly (18 a year); "Oct, Jan, Apr" -> 3 a year.

    "Ongoing" and "as needed" give a vague cadence (0 a year); text that names no rhythm gives None.
    """
    if _VAGUE.match(text):
        return Cadence("vague", 0)
    counted = _COUNTED.search(text)  # "3x yearly", "2 times per month", "twice a month"
    if counted:
        word = (counted.group(1) or counted.group(2)).casefold()
        unit = counted.group(3).casefold()
        times = (int(word) if word.isdigit() else _TIMES[word]) * (10 if unit.startswith("mo") else
                                                                    36 if unit.startswith("w") else 1)
        return Cadence("annually" if times == 1 else f"{times} times a year", times)
    names = _CADENCES.names(text)
    if names:
        return Cadence(names[0], vocabulary.CADENCES[names[0]][0])
    months = {m.group(1).casefold()[:3] for m in _MONTHS.finditer(text)}
    if months:
        return Cadence(f"{len(months)} named month{'s' if len(months) > 1 else ''}", len(months))
    seasons = set(re.findall(r"\b(fall|autumn|winter|spring|boy|moy|eoy)\b", text, re.IGNORECASE))
    return Cadence(f"{len(seasons)} season(s)", len(seasons)) if seasons else None


@lru_cache(maxsize=2048)
def roles_in(text: str) -> tuple[tuple[str, str], ...]:
    """Return (role, level) for each role ``text`` names: "Principals and coaches" -> Principal and Coach, school."""
    return tuple((name, vocabulary.ROLES[name][0]) for name in _ROLES.names(text))


def role(text: str) -> str | None:
    """Return the role a name means ("APs" -> Principal, "ILT" -> Principal, "Director of ELA" -> District
    director), or None."""
    found = roles_in(text)
    return found[0][0] if found else None


@lru_cache(maxsize=1024)
def funding_in(text: str) -> tuple[str, ...]:
    """Return the funding sources ``text`` names ("Title I and ESSER III" -> ("Title I", "ESSER"))."""
    return _FUNDING.names(text)


def funding_ends(source: str) -> int | None:
    """Return the first calendar year of the last school year a funding source pays for, or None if it continues."""
    return vocabulary.FUNDING[source][0]


# --- schools and the district --------------------------------------------------------------------------------------

LEVEL_WORDS = {"elementary": "elementary", "elem": "elementary", "es": "elementary", "primary": "elementary",
               "middle": "middle", "ms": "middle", "junior": "middle", "jr": "middle", "intermediate": "intermediate",
               "upper": "upper", "high": "high", "hs": "high", "senior": "high", "shs": "high"}
GENERIC = {"the", "school", "schools", "sch", "public", "academy", "of", "and", "at", "for", "s", "grade", "grades",
           "k", "pk"}
DISTRICT_WORDS = GENERIC | {"district", "regional", "ps", "sd", "rsd", "unified", "city", "town", "vocational",
                            "technical", "county", "community"}
KIND_WORDS = ("elementary", "middle", "intermediate", "school", "academy", "community", "primary")
ABBREVIATIONS = {"st": "street", "mt": "mount", "ft": "fort", "ave": "avenue", "rd": "road", "jfk": "kennedy"}
AGGREGATE_WORDS = {"all", "schools", "school", "district", "districtwide", "wide", "whole", "total", "aggregate",
                   "system", "systemwide", "buildings", "grades", "students", "the", "overall", "dw", "k", "pk",
                   "across", "every", "each", "level", "network", "entire", "combined", "dist"}


def _tokens(text: str) -> list[str]:
    words = re.sub(r"[^\w]+", " ", text.casefold().replace("'", "").replace("\u2019", "")).split()
    return [ABBREVIATIONS.get(w, _misspelt_kind(w)) for w in words]


@lru_cache(maxsize=4096)
def _misspelt_kind(word: str) -> str:
    """Return a misspelt level or kind word as it is spelt ("elementry" -> "elementary"); other words unchanged."""
    if len(word) < 5 or word in LEVEL_WORDS or word in GENERIC:
        return word
    found = process.extractOne(word, KIND_WORDS, scorer=fuzz.ratio, score_cutoff=85)
    return found[0] if found else word


@dataclass(frozen=True)
class _Name:
    words: frozenset[str]  # distinctive words
    order: tuple[str, ...]  # the same, in order, for finding it in text
    level: str
    initials: str


def _name(text: str, generic: set[str] = GENERIC) -> _Name:
    text = re.sub(r"\([^)]*\)", " ", text)
    tokens = _tokens(text)
    level = next((LEVEL_WORDS[t] for t in tokens if t in LEVEL_WORDS), "")
    kept = tuple(t for t in tokens if t not in generic and t not in LEVEL_WORDS and not t.isdigit())
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", text) if w.casefold() not in ("the", "of", "and"))
    return _Name(frozenset(kept), kept, level, initials.casefold() if len(initials) >= 3 else "")


@dataclass(frozen=True)
class Resolved:
    """What a typed school name means: a listed school, the district as a whole, or nothing, with a guess."""

    kind: str  # "school", "district", "level" (every school of one level), "blank", "ambiguous", "unknown"
    index: int | None = None  # the school's position in the list, for "school"
    guess: int | None = None  # for "unknown": the school it is most like, when it is close
    score: float = 0.0


class SchoolNames:
    """A district's school list and its own name, to resolve what a table cell or an answer calls them."""

    def __init__(self, names: list[str] | tuple[str, ...], district: str = ""):
        self.names = tuple(names)
        self.district_name = district
        self.parsed = [_name(n) for n in self.names]
        self.district = _name(district, DISTRICT_WORDS) if district.strip() else None
        self._choices = {i: " ".join(p.order) for i, p in enumerate(self.parsed) if p.order}
        self.own = [_own_words(self, i) for i in range(len(self.parsed))]

    def resolve(self, typed: str) -> Resolved:
        """Return what ``typed`` names: "Riverbend Elementary", "Ellis Pond MS", "the Kuss", "Morgan:" each name
        their school; "Districtwide", "All schools" and the district's own name name the district."""
        return _resolve(self, " ".join(typed.split()))

    def mentioned(self, text: str) -> set[int]:
        """Return the positions of the schools ``text`` names anywhere, by their distinctive words or initials."""
        return set(_mentioned(self, text))

    def meant(self, typed: str) -> set[int]:
        """Return the schools a cell is about: the one it resolves to, else every school it mentions."""
        found = _resolve_cached(self.names, self.district_name, " ".join(typed.split()))
        if found.kind == "school" and found.index is not None:
            return {found.index}
        if found.kind == "level":
            level = _name(typed).level
            return {i for i, p in enumerate(self.parsed) if p.level == level}
        return self.mentioned(typed) if found.kind in ("unknown", "ambiguous") else set()


@lru_cache(maxsize=64)
def school_names(names: tuple[str, ...], district: str = "") -> SchoolNames:
    """Return the resolver of one district's school list (cached: every cell of a plan asks the same list)."""
    return SchoolNames(names, district)


@lru_cache(maxsize=4096)
def _resolve_cached(names: tuple[str, ...], district: str, typed: str) -> Resolved:
    return school_names(names, district).resolve(typed)


def resolve_school(typed: str, names: list[str] | tuple[str, ...], district: str = "") -> Resolved:
    """Return what ``typed`` names among ``names`` (cached: the checks ask about every row several times)."""
    return _resolve_cached(tuple(names), district, " ".join(typed.split()))


def _resolve(self: SchoolNames, typed: str) -> Resolved:
    if not typed.strip(" -–:;.,"):
        return Resolved("blank")
    typed_name = _name(typed)
    tokens = [t for t in _tokens(re.sub(r"\([^)]*\)", " ", typed)) if not t.isdigit()]
    if tokens and all(t in AGGREGATE_WORDS for t in tokens):
        return Resolved("district")
    if self.district and typed_name.words and not typed_name.level and \
            _name(typed, DISTRICT_WORDS).words == self.district.words:
        return Resolved("district")
    words = typed_name.words
    if not words - AGGREGATE_WORDS and typed_name.level:  # "All elementary schools": every school of a level
        return Resolved("level")
    if words:
        exact = [i for i, p in enumerate(self.parsed) if p.words == words and _levels_agree(typed_name, p)]
        within = exact or [i for i, p in enumerate(self.parsed) if words <= p.words and _levels_agree(typed_name, p)]
        if len(within) == 1:
            return Resolved("school", within[0], score=100.0)
        if len(within) > 1:
            return Resolved("ambiguous", guess=within[0])
    key = re.sub(r"[^a-z]", "", typed.casefold())
    by_initials = [i for i, p in enumerate(self.parsed) if p.initials and key in (p.initials, p.initials.rstrip("s"))]
    if len(by_initials) == 1:
        return Resolved("school", by_initials[0], score=100.0)
    if self.district and key and key == self.district.initials:
        return Resolved("district")
    best = process.extractOne(" ".join(typed_name.order), self._choices, scorer=fuzz.WRatio,
                              score_cutoff=GUESS_SCORE) if typed_name.order and self._choices else None
    return Resolved("unknown", guess=best[2] if best else None, score=best[1] if best else 0.0)


def _levels_agree(typed: _Name, listed: _Name) -> bool:
    return not typed.level or not listed.level or typed.level == listed.level or \
        {typed.level, listed.level} <= {"middle", "intermediate", "upper"}


@lru_cache(maxsize=2048)
def _mentioned_cached(names: tuple[str, ...], district: str, text: str) -> frozenset[int]:
    return frozenset(_mentioned(school_names(names, district), text))


def mentioned_schools(text: str, names: list[str] | tuple[str, ...], district: str = "") -> set[int]:
    """Return the positions in ``names`` of the schools ``text`` names anywhere (cached)."""
    return set(_mentioned_cached(tuple(names), district, text))


def _mentioned(self: SchoolNames, text: str) -> list[int]:
    flat = " " + " ".join(_tokens(text)) + " "
    capitalised = {w.casefold() for w in re.findall(r"\b[A-Z][\w'-]{2,}", text)}
    found = []
    for i, parsed in enumerate(self.parsed):
        if parsed.order and f" {' '.join(parsed.order)} " in flat:
            found.append(i)
        elif parsed.initials and re.search(rf"\b{re.escape(parsed.initials.upper())}\b", text):
            found.append(i)
        elif capitalised & self.own[i]:
            found.append(i)  # "the Kuss": a capitalised word only this school's name has
    return found


def _own_words(self: SchoolNames, i: int) -> set[str]:
    """Return the words of a school's name that no other school and not the district has (proper nouns)."""
    others = set().union(*(p.words for j, p in enumerate(self.parsed) if j != i)) if len(self.parsed) > 1 else set()
    district = self.district.words if self.district else frozenset()
    return {w for w in self.parsed[i].words if len(w) >= 3 and w not in others and w not in district}
