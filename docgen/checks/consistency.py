"""Checks a close reader makes by comparing a plan's parts: a target below its own baseline, a target dated
before the school year it is for, a benchmark "monitored" by everyone, two priorities for the same context.

All are warnings: each compares numbers or names the check reads from free text, and a district may have a
reason (a measure where lower is better, a second priority for another subject in the same grades).
"""

from __future__ import annotations

import re

from ..variants import first_year
from .rules import Context, Hit, check
from .words import grade_set, quote

PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
YEAR = re.compile(r"\b(20\d\d)\b")
SCHOOL_YEAR = re.compile(r"20\d\d\s*[-\u2013/]\s*(20)?\d\d\b")
LOWER_IS_BETTER = re.compile(r"absen|chronic|suspen|referral|dropout|drop-out|below|pull-?out|not meeting|"
                             r"retention|tardi|exclusion|discipline|fail|gap|separate", re.IGNORECASE)
NO_ONE = {"staff", "all staff", "everyone", "all", "team", "the team", "teams", "admin", "administration",
          "administrators", "leadership", "district", "school", "stakeholders", "various", "everybody"}


def _only_percent(text: str) -> float | None:
    found = PERCENT.findall(text)
    return float(found[0]) if len(found) == 1 else None


@check("target-below-baseline")
def target_below_baseline(ctx: Context):
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.outcomes):
            base, target = _only_percent(row.baseline), _only_percent(row.target)
            if base is not None and target is not None and target < base and not LOWER_IS_BETTER.search(row.measure):
                yield Hit(f"p{p.number}.outcomes[{i}].target", {"measure": quote(row.measure, 10), "n": i + 1,
                                                               "baseline": row.baseline.strip(),
                                                               "target": row.target.strip()}, prefix=ctx.prefix(p))


@check("target-year")
def target_year(ctx: Context):
    """A target dated before the plan's school year ends ("45% (spring 2025)" in the 2025-2026 plan)."""
    start = first_year(ctx.variant.school_year)
    if not start:
        return
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.outcomes):
            if SCHOOL_YEAR.search(row.target):  # "45% (2025-26)": a school year, not a calendar year
                years = [(first_year(row.target) or 0) + 1]
            else:
                years = [int(y) for y in YEAR.findall(row.target)]
            if years and max(years) <= start:
                yield Hit(f"p{p.number}.outcomes[{i}].target", {"measure": quote(row.measure, 10),
                                                               "target": row.target.strip(),
                                                               "year": ctx.variant.school_year},
                          prefix=ctx.prefix(p))


@check("benchmark-owner-vague")
def benchmark_owner_vague(ctx: Context):
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.benchmarks):
            if " ".join(row.monitored_by.split()).casefold().strip(".") in NO_ONE:
                yield Hit(f"p{p.number}.benchmarks[{i}].monitored_by", {"n": i + 1, "who": row.monitored_by.strip(),
                                                                       "benchmark": quote(row.benchmark)},
                          prefix=ctx.prefix(p))


@check("second-priority-same-context")
def second_priority_same_context(ctx: Context):
    """Two priorities with the same subject and grades do not address different contexts of identified schools."""
    if len(ctx.plan.priorities) != 2:
        return
    first, second = ctx.plan.priorities
    grades = [grade_set(p.answer("grades")) for p in (first, second)]
    subjects = [" ".join(p.answer("subject").split()).casefold() for p in (first, second)]
    if grades[0] and grades[0] == grades[1] and subjects[0] and subjects[0] == subjects[1]:
        yield Hit("p2.grades", {"subject": second.answer("subject").strip(), "grades": second.answer("grades").strip()})
