"""Load a template variant (templates/<id>/spec.yaml) into typed, validated spec objects.

A variant is data: its sections, verbatim prompts, answer fields and tables.
The workbook, the builders and the checks all read the same Variant. This
module says what a Variant is and finds the installed ones; spec_reader.py
reads a spec.yaml into one, reporting a mistake with the file, line and key
before anything is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2

from docgen import text
from docgen.errors import TemplateError, VariantNotFound


def templates_dir() -> Path:
    """Return the folder holding the variant folders: docgen/templates when installed, else ./templates."""
    try:
        return Path(str(resources.files("docgen.templates")))
    except ModuleNotFoundError:  # imported straight from a source checkout, where templates/ sits beside docgen/
        return Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class ChoiceList:
    name: str
    values: tuple[str, ...]
    strict: bool = True
    aliases: tuple[tuple[str, str], ...] = ()  # (what people write, the value it means): "3x per year"

    def match(self, value: str) -> str | None:
        """Return the list's own spelling of ``value`` (ignoring case and spacing), or None if absent."""
        wanted = _fold(value)
        return next((v for v in self.values if _fold(v) == wanted), None)

    def meant(self, value: str) -> str | None:
        """Return the value ``value`` clearly means: itself, or one of the spec's aliases, loosely written.

        Used where people typed freely (an imported Word plan): "3x per year"
        and "three times per year" both mean "Three times a year ...".
        """
        found = self.match(value)
        if found:
            return found
        wanted = _loose(value)
        return next((v for alias, v in self.aliases if _loose(alias) == wanted), None) or \
            next((v for v in self.values if _loose(v) == wanted), None)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str = "text"
    list: str | None = None
    required: bool = True
    layout: str = "block"  # "block": label row over answer row; "side": label beside answer
    own_label: bool = False  # the label is docgen's: the template asks this inside a prompt, with no label of its own
    min_words: int = 0  # an answer far shorter than the prompt asks is a warning (checks: short-answer)


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str
    width: int = 20
    list: str | None = None
    required: bool = False
    default: str = ""
    kind: str = "text"  # "text", or "grades" (a grade span Excel may have turned into a date)
    new: bool = False  # added this year: a workbook made before it may lack the column, and reads it as blank


@dataclass(frozen=True)
class TableSpec:
    key: str
    sheet: str
    title: str
    scope: str
    help: str
    columns: tuple[ColumnSpec, ...]


@dataclass(frozen=True)
class PartSpec:
    prompt: str = ""
    bullets: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    tips: tuple[str, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    table: str | None = None


@dataclass(frozen=True)
class SectionSpec:
    id: str
    scope: str
    heading: str
    prompt: str
    bullets: tuple[str, ...]
    notes: tuple[str, ...]
    tips: tuple[str, ...]
    parts: tuple[PartSpec, ...]
    after: tuple[str, ...]
    sheet: str = ""

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        """Return every answer field of the section, in order."""
        return tuple(f for part in self.parts for f in part.fields)


_RENDERED_KEPT = 4_096


@dataclass(frozen=True)
class Variant:
    id: str
    spec_path: str
    values: dict
    cover: tuple[str, ...]
    cover_note: str
    file_title: str
    priority_heading: str
    second_priority_note: tuple[str, ...]
    lists: dict[str, ChoiceList]
    district_sheet: str
    district_title: str
    district_fields: tuple[FieldSpec, ...]
    tables: dict[str, TableSpec]
    sections: tuple[SectionSpec, ...]
    carry_over: dict[str, str]  # an older template's field key -> the field here that receives its answer
    # text() results by (source, context): a document asks for the same prompts hundreds of times per build
    _rendered: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def plan_year(self) -> str:
        return self.values["plan_year"]

    @property
    def school_year(self) -> str:
        return self.values["school_year"]

    @property
    def source(self) -> str:
        return self.values["source"]

    def field(self, key: str):
        """Return the FieldSpec answering ``key`` in any section, or None."""
        return next((f for s in self.sections for f in s.fields if f.key == key), None)

    def sections_in(self, scope: str) -> tuple[SectionSpec, ...]:
        """Return the sections answered once per plan ("district") or per priority ("priority")."""
        return tuple(s for s in self.sections if s.scope == scope)

    def document_title(self, district: str) -> str:
        """Return the plan's title, which also names its files: "<District> FY26 Instructional Prioritization Plan"."""
        return self.text(self.file_title, district=district)

    def text(self, source: str, **context) -> str:
        """Return one of this spec's strings rendered with the spec's values plus ``context``.

        ``number`` (the priority's number) is 1 unless given.
        """
        if "{" not in source:  # most prompts: nothing to render
            return source
        key = (source, *sorted(context.items()))
        found = self._rendered.get(key)
        if found is None:
            try:
                found = text.render(source, {"number": 1, **self.values, **context})
            except jinja2.TemplateError as exc:
                raise TemplateError(self.spec_path, f"{exc} in {source!r}") from None
            if len(self._rendered) > _RENDERED_KEPT:  # a server renders district names as people type them
                self._rendered.clear()
            self._rendered[key] = found
        return found


# --- loading -------------------------------------------------------------------------


def names() -> list[str]:
    """Return the ids of the installed variants, oldest first (fy25 before fy26)."""
    return list(_names())


@cache
def _names() -> tuple[str, ...]:
    """The variant folders, listed once per process (a new year's folder is seen at the next start)."""
    return tuple(sorted(p.name for p in templates_dir().iterdir() if (p / "spec.yaml").is_file()))


def newest() -> str:
    """Return the id of the newest variant."""
    return names()[-1]


@cache
def load(variant_id: str) -> Variant:
    """Return the validated Variant for ``variant_id``; raise VariantNotFound or TemplateError."""
    from docgen.variants import spec_reader  # it builds this module's classes

    if variant_id not in names():
        raise VariantNotFound(f"unknown variant '{variant_id}'; choose one of: {', '.join(names())}")
    return spec_reader.read(templates_dir() / variant_id / "spec.yaml", f"templates/{variant_id}/spec.yaml")


def _fold(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().casefold()


_NUMBER_WORDS = {"once": "1 times", "twice": "2 times", "one": "1", "two": "2", "three": "3", "four": "4",
                 "six": "6", "eight": "8", "every other": "every 2", "per": "a", "each": "every"}


def _loose(value: str) -> str:
    """Return ``value`` reduced to its meaning for matching: "3x per year." and "three times a year" agree."""
    value = _fold(value).replace("/", " a ")
    value = re.sub(r"(\d)\s*x\b", r"\1 times", value)
    value = re.sub(r"[^\w\s-]", " ", value)
    for word, same in _NUMBER_WORDS.items():
        value = re.sub(rf"\b{word}\b", same, value)
    return " ".join(value.split())


def for_school_year(school_year: str) -> Variant:
    """Return the variant whose school year matches ``school_year`` ("2025-2026", "2025-26"), else the newest."""
    wanted = first_year(school_year)
    for variant_id in reversed(names()):
        variant = load(variant_id)
        if wanted is not None and first_year(variant.school_year) == wanted:
            return variant
    return load(newest())


def first_year(school_year: str) -> int | None:
    """Return the year a school year starts in: 2025 for "2025-2026", "2025-26", "SY25-26" or "FY26 (2025-26)"."""
    match = re.search(r"(?<!\d)(20\d\d|\d\d)\s*[-\u2013\u2014/]\s*(?:20)?\d\d(?!\d)", school_year or "")
    if match:
        return int(match.group(1)) % 100 + 2000
    match = re.search(r"(20\d\d)", school_year or "")
    return int(match.group(1)) if match else None
