"""The plan year after the plan: each interim benchmark with its check-ins, numbers, and status.

The guidance asks districts what they "would expect to see in your data on a
weekly, monthly or quarterly basis" and what "on track at midyear" looks
like; a check-in records what the data showed on a date. This module puts
each benchmark beside its check-ins for the midyear progress report (Word
and PowerPoint), the dashboards and next year's Carried over sheet. It reads
numbers out of what people typed ("58%", "4 of 6 teams": 58, 4) so a chart
can set them against the benchmark's own midyear target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from docgen.model.plan import STATUSES, Benchmark, CheckIn, Plan, Priority

_NUMBER = re.compile(r"(?<![\w.])(-?\d+(?:[.,]\d+)?)\s*(%|percent|points?|pts)?", re.IGNORECASE)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Number:
    """A number read from text, with its unit ("%" or "")."""

    value: float
    unit: str = ""

    def __str__(self) -> str:
        shown = f"{self.value:g}"
        return f"{shown}%" if self.unit == "%" else shown


@dataclass(frozen=True)
class BenchmarkYear:
    """One interim benchmark of a plan with every check-in on it so far, oldest first."""

    priority: Priority
    number: int  # 1-based within its priority
    benchmark: Benchmark
    checkins: tuple[CheckIn, ...]

    @property
    def title(self) -> str:
        """Return "Priority #1, benchmark 2"."""
        return f"Priority #{self.priority.number}, benchmark {self.number}"

    @property
    def target(self) -> Number | None:
        """Return the number in the benchmark's midyear on-track description, if it names one."""
        return number_in(self.benchmark.on_track)

    @property
    def latest(self) -> CheckIn | None:
        return self.checkins[-1] if self.checkins else None

    def points(self) -> list[tuple[str, Number | None]]:
        """Return (date as shown, number read from what the data showed) for each check-in."""
        return [(short_date(c.date), number_in(c.value)) for c in self.checkins]

    def has_numbers(self) -> bool:
        return any(n is not None for _, n in self.points())


def number_in(text: str) -> Number | None:
    """Return the first number in ``text`` ("58%" -> 58 %, "4 of 6 teams" -> 4), or None."""
    match = _NUMBER.search(text or "")
    if not match:
        return None
    unit = "%" if (match.group(2) or "").lower() in ("%", "percent") else ""
    return Number(float(match.group(1).replace(",", ".")), unit)


def benchmarks_of(plan: Plan) -> list[BenchmarkYear]:
    """Return every interim benchmark of the plan, priority by priority, each with its check-ins in date order."""
    out = []
    for priority in plan.priorities:
        for number, benchmark in enumerate(priority.benchmarks, start=1):
            found = [c for c in plan.checkins if c.priority == priority.number and c.benchmark == number]
            found.sort(key=lambda c: _date_key(c.date))
            out.append(BenchmarkYear(priority, number, benchmark, tuple(found)))
    return out


def status_counts(plan: Plan) -> dict[str, int]:
    """Return how many benchmarks' latest check-in is on track, not yet or off track, and how many have none."""
    counts = dict.fromkeys((*STATUSES, "No check-in"), 0)
    for item in benchmarks_of(plan):
        counts[item.latest.status if item.latest and item.latest.status in STATUSES else "No check-in"] += 1
    return counts


def last_checkin(plan: Plan) -> str:
    """Return the date of the newest check-in as recorded (ISO where it was one), or ""."""
    dated = sorted((c.date for c in plan.checkins if c.date), key=_date_key)
    return dated[-1] if dated else ""


def long_date(value: str) -> str:
    """Return an ISO date as "October 15, 2025"; anything else as typed."""
    match = _ISO.match(value or "")
    if not match:
        return value
    day = date(*map(int, match.groups()))
    return f"{day:%B} {day.day}, {day.year}"


def short_date(value: str) -> str:
    """Return an ISO date as "Oct 15"; anything else as typed (a chart's category)."""
    match = _ISO.match(value or "")
    if not match:
        return value
    day = date(*map(int, match.groups()))
    return f"{day:%b} {day.day}"


def checkin_label(item: BenchmarkYear) -> str:
    """Return how a benchmark is offered in a drop-down: "P1 B2: Learning walks show ...", cut to 80 characters."""
    text = " ".join(item.benchmark.benchmark.split())
    head = f"P{item.priority.number} B{item.number}: "
    return head + (text if len(head + text) <= 80 else text[: 79 - len(head)].rstrip() + "…")


def _date_key(value: str) -> tuple[int, str]:
    return (0, value) if _ISO.match(value or "") else (1, value or "")
