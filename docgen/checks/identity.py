"""Checks of who the plan is from and which schools it names: the cover, the school list, school names in tables.

These catch what a consultant notices on the first page: a plan with no date,
a school year that is not the template's, a DESE code that lost its leading
zero in a spreadsheet, a school with no accountability category (it would
silently stop counting as identified), and a school name in a table that
matches no school on the list, with the nearest name suggested.
"""

from __future__ import annotations

import re

from docgen.checks.facts import read_text
from docgen.checks.rules import Context, Hit, check
from docgen.variants import first_year

ORG_CODE = re.compile(r"\d{8}")


@check("plan-date")
def plan_date(ctx: Context):
    if not ctx.plan.district.date.strip():
        yield Hit("district.date")


@check("school-year")
def school_year(ctx: Context):
    """The school year typed is the template's: "2025-26", "SY25-26", "FY26", "FY 2026" all read as 2025-26.

    A school year that cannot be read as one is asked about (a warning), not refused.
    """
    typed = ctx.plan.district.school_year.strip()
    if not typed:
        return
    years = {w.school_year for w in read_text(typed).when if w.kind == "school year"}
    if first_year(ctx.variant.school_year) not in years:
        yield Hit("district.school_year", {"typed": typed, "year": ctx.variant.school_year},
                  severity="" if years else "warning")


@check("org-code")
def org_code(ctx: Context):
    codes = [("district.org_code", "the district", ctx.plan.district.org_code)]
    codes += [(f"schools[{i}].org_code", s.name or f"school {i + 1}", s.org_code)
              for i, s in enumerate(ctx.plan.schools)]
    for at, whose, code in codes:
        code = code.strip()
        if code and not ORG_CODE.fullmatch(code):
            lost_zero = code.isdigit() and len(code) < 8
            yield Hit(at, {"whose": whose, "code": code,
                           "fixed": code.zfill(8) if lost_zero else "", "lost_zero": lost_zero})


@check("school-category")
def school_category(ctx: Context):
    for i, school in enumerate(ctx.plan.schools):
        if school.name and not school.category:
            yield Hit(f"schools[{i}].category", {"school": school.name})


def _schools_in_tables(ctx: Context):
    """Yield (hit, guessed) for every School cell of a priority's tables that names no listed school nor the district.

    The resolver reads names as districts write them ("Ellis Pond MS", "the Kuss", "Morgan:", the district's own
    name, "Districtwide"); a cell that still names none is asked about, with the nearest listed name when one is
    close: never an error, since a name is a reading.
    """
    names = ", ".join(s.name for s in ctx.plan.schools if s.name) or "none yet"
    for p in ctx.plan.priorities:
        for table in ("targeted_support", "outcomes"):
            if not ctx.has_column(table, "school"):
                continue
            asked = set()  # each name once per table: at its first row
            for i, row in enumerate(getattr(p, table)):
                typed = " ".join(row.school.split())
                if typed.casefold() in asked:
                    continue
                asked.add(typed.casefold())
                found = ctx.school_of(typed)
                if found.kind in ("school", "district", "level", "blank") or \
                        (found.kind == "unknown" and ctx.meant(typed)):
                    continue
                guess = ctx.plan.schools[found.guess] if found.guess is not None else None
                yield Hit(f"p{p.number}.{table}[{i}].school",
                          {"typed": typed, "table": ctx.variant.tables[table].title.lower(),
                           "nearest": guess.name if guess else "", "schools": names,
                           "ambiguous": found.kind == "ambiguous"},
                          section=_section_of(ctx, table), prefix=ctx.prefix(p)), guess is not None


def _section_of(ctx: Context, table: str) -> str:
    return next((s.id for s in ctx.variant.sections for part in s.parts if part.table == table), "general")


@check("school-name-typo")
def school_name_typo(ctx: Context):
    """A school name that is nearly one on the list may be a typo: asked, with the nearest name."""
    yield from (hit for hit, typo in _schools_in_tables(ctx) if typo)


@check("unknown-school")
def unknown_school(ctx: Context):
    """A school name like none on the list: perhaps a school the list leaves out."""
    yield from (hit for hit, typo in _schools_in_tables(ctx) if not typo)
