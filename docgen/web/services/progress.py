"""A district's plan year on the server: its submitted plan's benchmarks, the check-ins on them, the report.

Check-ins are recorded only on the benchmarks of a submitted plan (the open
submission, else the last one made), kept by storage/checkins.py beside the
plan, and put into ``plan.checkins`` only for the midyear progress report and
the counts, so no version of the plan changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from docgen import api
from docgen.errors import BadRequest, DocgenError, NotFound
from docgen.model import progress, values
from docgen.model.plan import STATUSES, CheckIn, Plan
from docgen.variants import Variant
from docgen.web.services.workflow import current_variant
from docgen.web.storage import checkins, plans
from docgen.web.storage.accounts import District
from docgen.web.storage.db import Database, now

MAX_NOTE = 5000
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}$")


@dataclass
class Year:
    """A district's plan year as the Progress page shows it."""

    year: str  # the variant's id: "fy26"
    plan: Plan | None  # the submitted plan with its check-ins, or None before a submission
    version: int | None
    stored: list[checkins.StoredCheckIn]

    def benchmarks(self) -> list[progress.BenchmarkYear]:
        return progress.benchmarks_of(self.plan) if self.plan else []

    def stored_for(self, item: progress.BenchmarkYear) -> list[checkins.StoredCheckIn]:
        """Return the stored check-ins on one benchmark, in date order."""
        return [s for s in self.stored if (s.checkin.priority, s.checkin.benchmark) == (item.priority.number,
                                                                                          item.number)]


def submitted_plan(db: Database, district: District, year: str) -> tuple[Plan | None, int | None]:
    """Return the district's submitted plan of ``year`` and its version number (the open submission, else the
    last one), or (None, None)."""
    row = plans.plan_row(db, district.id, year)
    if row is None:
        return None, None
    number = checkins.submitted_version(db, row.id)
    return (plans.load_version(db, row, number), number) if number else (None, None)


def year_of(db: Database, district: District, variant: Variant | None = None) -> Year:
    """Return the district's submitted plan of a year (default: this year) with every check-in recorded on it."""
    year = (variant or current_variant()).id
    plan, version = submitted_plan(db, district, year)
    stored = checkins.of_district(db, district.id, year)
    if plan is not None:
        plan = replace(plan, checkins=[s.checkin for s in stored])
    return Year(year, plan, version, stored)


def checkin_from(form, year: Year) -> CheckIn:
    """Return the check-in a form describes; raise DocgenError naming every field to fix, all at once."""
    if year.plan is None:
        raise DocgenError("Check-ins are recorded on a submitted plan's benchmarks; submit the plan first.")
    typed = {k: str(form.get(k, "")) for k in ("benchmark", "date", "value", "status", "note")}
    choices = {f"{b.priority.number}-{b.number}": b for b in year.benchmarks()}
    value, refused = values.checkin(typed["date"], typed["value"], typed["status"], typed["note"], STATUSES)
    problems = [] if typed["benchmark"].strip() in choices else ["Benchmark: choose one of the plan's benchmarks"]
    problems += [f"{values.CHECKIN_LABELS[key]}: {problem}" for key, problem in refused.items()]
    if problems:
        raise DocgenError("Not saved. " + "; ".join(problems) + ".")
    chosen = choices[typed["benchmark"].strip()]
    return CheckIn(chosen.priority.number, chosen.number, value["date"], value["value"], value["status"],
                   value["note"])


def _iso_date(text: str) -> bool:
    if not _ISO.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def require_checkin(db: Database, district: District, checkin_id: int) -> tuple[int, int]:
    """Return (priority, benchmark) of one of the district's check-ins of this year; stop (404) for any other,
    an earlier year's included (those are only read)."""
    found = checkins.benchmark_of(db, district.id, current_variant().id, checkin_id)
    if found is None:
        raise NotFound("There is no such check-in for this district this year (it may have been removed).")
    return found


def record(db: Database, district: District, form, user_id: int) -> tuple[CheckIn, str]:
    """Record the check-in a form describes on this year's submitted plan; return it and when it was saved."""
    checkin = checkin_from(form, year_of(db, district))
    checkins.add(db, district.id, current_variant().id, checkin, user_id)
    return checkin, now()


def change(db: Database, district: District, checkin_id: int, form, user_id: int) -> tuple[CheckIn, str]:
    """Change one of the district's check-ins of this year to what a form says; return it and when it was saved."""
    require_checkin(db, district, checkin_id)
    checkin = checkin_from(form, year_of(db, district))
    checkins.update(db, district.id, checkin_id, checkin, user_id)
    return checkin, now()


def remove(db: Database, district: District, checkin_id: int) -> tuple[int, int]:
    """Remove one of the district's check-ins of this year (and the notes on it); return its (priority, benchmark)."""
    found = require_checkin(db, district, checkin_id)
    checkins.delete(db, district.id, checkin_id)
    return found


def note(db: Database, district: District, checkin_id: int, user_id: int, body: str) -> int:
    """Add a consultant's note to one of the district's check-ins of this year; return the check-in's priority."""
    priority, _ = require_checkin(db, district, checkin_id)
    body = body.strip()
    if not body or len(body) > MAX_NOTE:
        raise DocgenError(f"Write a note of 1 to {MAX_NOTE:,} characters.")
    checkins.add_note(db, checkin_id, user_id, body)
    return priority


def report_files(db: Database, district: District, variant: Variant | None = None) -> dict[str, bytes]:
    """Return the midyear progress report (.docx and .pptx by name) of a year's submitted plan and its check-ins."""
    year = year_of(db, district, variant)
    if year.plan is None:
        raise DocgenError("The midyear progress report is made from a submitted plan; submit the plan first.")
    return api.progress_files(year.plan)


@dataclass
class YearCounts:
    """A district's benchmarks by the status of their latest check-in, and the date of its newest check-in."""

    counts: dict[str, int]
    last: str = ""

    @property
    def off_track(self) -> bool:
        return self.counts.get("Off track", 0) > 0


def counts_by_district(db: Database, region: str | None = None,
                       variant: Variant | None = None) -> dict[int, YearCounts]:
    """Return a year's (default: this year's) check-in counts of every district that has check-ins (in ``region``,
    or everywhere)."""
    found: dict[int, YearCounts] = {}
    for row in checkins.latest_by_benchmark(db, (variant or current_variant()).id, region):
        entry = found.setdefault(row["district_id"], YearCounts(dict.fromkeys(STATUSES, 0)))
        if row["status"] in entry.counts:
            entry.counts[row["status"]] += 1
        entry.last = max(entry.last, row["date"])
    return found


def since_param(value: str | None) -> str:
    """Return a ``since`` query's date ("2025-10-01"), or "" when it is absent; refuse (400) anything else."""
    if not value:
        return ""
    if not _iso_date(value):
        raise BadRequest(f"'{value[:40]}' is not a date such as 2025-10-01.")
    return value
