"""A region's dashboard: its districts' plans of a year, filtered and sorted as the query asks, and its export.

The consultant's dashboard and its workbook export read the same rows in the
same order, so what is downloaded is what was on the screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict
from urllib.parse import urlencode

from docgen.model.plan import STATUSES as CHECKIN_STATUSES
from docgen.variants import Variant
from docgen.web.services import progress, years
from docgen.web.storage import plans, reviews
from docgen.web.storage.db import Database
from docgen.web.storage.plans import STATUSES
from docgen.write import xlsx_intake

SORTS = {
    "name": lambda r: r.name.casefold(),
    "status": lambda r: (STATUSES.index(r.status), r.name.casefold()),
    "errors": lambda r: (-(r.errors or 0), -(r.warnings or 0), r.name.casefold()),
    "identified": lambda r: (-len(r.identified), r.name.casefold()),
    "updated": lambda r: (r.updated_at or "", r.name.casefold()),
    "submitted": lambda r: (r.submitted_at or "", r.name.casefold()),
}
EXPORT_COLUMNS = [("District", 36), ("Status", 14), ("Errors", 8), ("Warnings", 9), ("Identified schools", 8),
                  ("Categories", 50), ("Last change", 22), ("Submitted", 22), ("Feedback sent", 22),
                  ("Changed since feedback", 12), *((f"Benchmarks {s.lower()}", 10) for s in CHECKIN_STATUSES),
                  ("Last check-in", 14)]


class Filters(TypedDict):
    """The dashboard's filters and order, as read from the page's query."""

    year: Variant
    status: str
    errors: bool
    changed: bool
    sort: str
    desc: bool
    off_track: bool
    since: str


@dataclass
class Dashboard:
    """What the dashboard shows: every row of the year, the rows kept in order, the filters, the check-in counts."""

    rows: list[plans.DashboardRow]
    shown: list[plans.DashboardRow]
    filters: Filters
    checkins: dict[int, progress.YearCounts]

    @property
    def variant(self) -> Variant:
        return self.filters["year"]

    def counts(self) -> dict[str, int]:
        """Return how many of the region's plans are in each status."""
        return {status: sum(r.status == status for r in self.rows) for status in STATUSES}

    def query(self) -> str:
        """Return the filters and order as a query string (what the export link keeps)."""
        return urlencode(kept(self.filters))

    def sort_links(self) -> dict[str, str]:
        """Return each column's sort link: the same filters and year, by that column (turned around if it is the
        one sorted by)."""
        links = {}
        for key in SORTS:
            query = {**kept(self.filters), "sort": key}
            query.pop("desc", None)
            if self.filters["sort"] == key and not self.filters["desc"]:
                query["desc"] = "1"
            links[key] = "?" + urlencode(query)
        return links


def dashboard(db: Database, region: str, query: Mapping[str, str]) -> Dashboard:
    """Return the region's dashboard for a page's query (year, status, errors, changed, off_track, since, sort)."""
    variant = years.chosen(query.get("year"))
    rows = plans.dashboard(db, region, variant.id)
    year = progress.counts_by_district(db, region, variant)
    filters: Filters = {"year": variant, "status": query.get("status", ""), "errors": query.get("errors") == "1",
               "changed": query.get("changed") == "1", "sort": query.get("sort", "name"),
               "desc": query.get("desc") == "1", "off_track": query.get("off_track") == "1",
               "since": progress.since_param(query.get("since"))}
    none = progress.YearCounts({})
    shown = [r for r in rows if (not filters["status"] or r.status == filters["status"])
             and (not filters["errors"] or (r.errors or 0) > 0)
             and (not filters["changed"] or r.changed_since_feedback)
             and (not filters["off_track"] or year.get(r.district_id, none).off_track)
             and (not filters["since"] or year.get(r.district_id, none).last < filters["since"])]
    shown.sort(key=SORTS.get(filters["sort"], SORTS["name"]), reverse=filters["desc"])
    return Dashboard(rows, shown, filters, year)


def kept(filters: Filters) -> dict[str, str]:
    """Return the filters and order as a query's values, only those set (what a sort link or the export keeps)."""
    values = {"year": "" if years.is_current(filters["year"]) else filters["year"].id, "status": filters["status"],
              "errors": "1" if filters["errors"] else "", "changed": "1" if filters["changed"] else "",
              "off_track": "1" if filters["off_track"] else "", "since": filters["since"],
              "sort": "" if filters["sort"] == "name" else filters["sort"], "desc": "1" if filters["desc"] else ""}
    return {key: value for key, value in values.items() if value}


def export(board: Dashboard) -> bytes:
    """Return the dashboard's rows, as filtered and sorted, as a workbook (the writer of batch's summary.xlsx)."""
    year = board.checkins
    table = [[r.name, r.status, r.errors if r.errors is not None else "", r.warnings if r.warnings is not None else "",
              len(r.identified), "; ".join(r.identified), r.updated_at or "", r.submitted_at or "",
              r.feedback_sent_at or "", "yes" if r.changed_since_feedback else "",
              *_checkin_cells(year.get(r.district_id))]
             for r in board.shown]
    return xlsx_intake.write_table("Dashboard", [c for c, _ in EXPORT_COLUMNS], table,
                                       [w for _, w in EXPORT_COLUMNS])


def _checkin_cells(counts: progress.YearCounts | None) -> list[int | str]:
    """Return a district's check-in counts by status and its newest check-in's date, blank when it has none."""
    if counts is None:
        return ["" for _ in range(len(CHECKIN_STATUSES) + 1)]
    return [*(counts.counts[s] for s in CHECKIN_STATUSES), counts.last]


def waiting(db: Database, region: str):
    """Return the comment threads of the region waiting for a consultant's answer."""
    return reviews.waiting_threads(db, "consultant", region=region)
