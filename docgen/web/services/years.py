"""Plan years: which year a page shows, and the years a district's home lists.

A plan, its submission, its review and its check-ins belong to a plan year:
the variant's id ("fy26", its school year 2025-2026). Pages show the current
year (the newest variant) unless ``?year=`` names another. An earlier year is
read-only on every page: its plan was submitted, reviewed and followed through
its own school year, so what was sent and said stays as it was. Every change
(a save, a submission, a review, a check-in) is made to the current year.
"""

from __future__ import annotations

from docgen import variants
from docgen.errors import NotFound
from docgen.variants import Variant
from docgen.web.services.workflow import current_variant
from docgen.web.storage import plans
from docgen.web.storage.accounts import District
from docgen.web.storage.db import Database


def chosen(value: str | None) -> Variant:
    """Return the plan year a page's ``?year=`` names (the current year when it names none); 404 for another."""
    if not value:
        return current_variant()
    if value not in variants.names():
        years = ", ".join(variants.load(v).plan_year for v in variants.names())
        raise NotFound(f"There is no plan year '{value[:20]}' here; the years are {years}.")
    return variants.load(value)


def is_current(variant: Variant) -> bool:
    """Return whether ``variant`` is this year's (the one plans are written, reviewed and followed in now)."""
    return variant.id == current_variant().id


def in_year(url: str, variant: Variant) -> str:
    """Return ``url`` as the page of ``variant``'s year: itself for the current year, else with ``year=`` added."""
    if is_current(variant):
        return url
    path, hash_mark, fragment = url.partition("#")
    return f"{path}{'&' if '?' in path else '?'}year={variant.id}{hash_mark}{fragment}"


def listed(db: Database, district: District) -> list[tuple[Variant, plans.YearRow | None]]:
    """Return the district's plan years, newest first: the current year (even before anything is saved in it)
    and every earlier year with a saved plan, each with its row."""
    rows = {row.variant: row for row in plans.years_of(db, district.id) if row.variant in variants.names()}
    current = current_variant()
    shown = [(current, rows.pop(current.id, None))]
    return shown + [(variants.load(v), row) for v, row in sorted(rows.items(), reverse=True) if v < current.id]

