"""Rules over the plan's numbers, dates, assessments, owners and funding: is each the kind its column needs, for
the year its column needs, and something that exists for that year?

A baseline and its target are numbers of one kind (a percentage against a
percentage, not a scale score), the target moves the right way for its
measure, annual targets are for this school year, midyear benchmarks fall at
midyear, an assessment is given in the grades and subject the row measures
and has results when the benchmark is read, a benchmark is watched by someone
at its own level, and a funding source still pays in the plan's year. All are
warnings worded as questions: each reads a number's meaning or a name.
"""

from __future__ import annotations

import re

from docgen.checks.facts import Facts, Number
from docgen.checks.resolve import assessments_in, funding_ends, funding_in, roles_in
from docgen.checks.rules import Context, Hit, check, levels_of, said_yes
from docgen.checks.words import grades_shown, groups_in, quote
from docgen.variants import first_year

LOWER_IS_BETTER = re.compile(r"absen|chronic|suspen|referral|dropout|drop-out|below|pull-?out|not meeting|"
                             r"retention|tardi|exclusion|discipline|fail|gap|separate|at risk|at-risk|red flag|"
                             r"removal|out of class|minutes outside", re.IGNORECASE)
COMPARABLE = ("percentage", "scale score", "growth percentile", "count", "share")
ACCOUNTABILITY = re.compile(r"graduat|dropout|drop-out|engagement rate|absent|absentee|advanced coursework|"
                            r"\bsgp\b|growth percentile|english language proficiency|accountability|"
                            r"progress toward", re.IGNORECASE)
EARLY_MONTHS = {9, 10, 11, 12, 1, 2, 3}
ENDED = re.compile(r"\b(ended|expired|expir\w*|sunset\w*|no longer|formerly|previously|replac\w*|moved|shifted|"
                   r"transition\w*|absorb\w*|after)\b", re.IGNORECASE)
STALE_YEARS = 2  # a FY26 plan, written in spring 2025, has spring 2024 results at least: 2022-23 is carried over


def _plan_year(ctx: Context) -> int | None:
    return first_year(ctx.variant.school_year)


def _one(facts: Facts) -> Number | None:
    numbers = [n for n in facts.numbers if n.kind in COMPARABLE or n.kind == "number"]
    return numbers[0] if len(numbers) == 1 else None


def _outcomes(ctx: Context):
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.outcomes):
            yield p, i, row, f"p{p.number}.outcomes[{i}]"


@check("target-below-baseline")
def target_below_baseline(ctx: Context):
    """A target that moves the wrong way from its baseline (or not at all) for its measure."""
    for p, i, row, at in _outcomes(ctx):
        base, target = _one(ctx.fact(f"{at}.baseline")), _one(ctx.fact(f"{at}.target"))
        if base is None or target is None or base.kind != target.kind or "point" in row.target.casefold():
            continue
        lower = bool(LOWER_IS_BETTER.search(row.measure))
        way = "same" if target.value == base.value else "down" if target.value < base.value else "up"
        if way == "same" or way == ("up" if lower else "down"):
            yield Hit(f"{at}.target", {"measure": quote(row.measure, 10), "n": i + 1, "baseline": row.baseline.strip(),
                                       "target": row.target.strip(), "way": way, "lower": lower},
                      prefix=ctx.prefix(p))


@check("target-kind")
def target_kind(ctx: Context):
    """A baseline and its target are numbers of the same kind, and a percentage is at most 100."""
    for p, _i, row, at in _outcomes(ctx):
        base, target = ctx.fact(f"{at}.baseline"), ctx.fact(f"{at}.target")
        over = [n for n in (*base.numbers, *target.numbers) if n.kind == "percentage" and n.value > 100]
        ones = [_one(f) for f in (base, target)]
        kinds = [one.kind if one else "" for one in ones]
        mixed = all(k in COMPARABLE for k in kinds) and kinds[0] != kinds[1]
        if over or mixed:
            yield Hit(f"{at}.target", {"measure": quote(row.measure, 10), "baseline": row.baseline.strip(),
                                       "target": row.target.strip(), "over": over[0].text if over else "",
                                       "kinds": " and ".join(kinds)}, prefix=ctx.prefix(p))


@check("target-year")
def target_year(ctx: Context):
    """An annual target dated in another school year: last year's carried over, or a target years away."""
    year = _plan_year(ctx)
    if not year:
        return
    for p in ctx.plan.priorities:  # one question per priority: a plan of three-year targets is one comment
        other = []
        for i, row in enumerate(p.outcomes):
            dated = [w.school_year for w in ctx.fact(f"p{p.number}.outcomes[{i}].target").when
                     if w.school_year is not None]
            if dated and year not in dated:
                other.append((i, row, max(dated) < year))
        if other:
            i, row, early = other[0]
            yield Hit(f"p{p.number}.outcomes[{i}].target", {"measure": quote(row.measure, 10),
                                                           "target": row.target.strip(), "more": len(other) - 1,
                                                           "year": ctx.variant.school_year, "early": early},
                      prefix=ctx.prefix(p))


@check("baseline-year")
def baseline_year(ctx: Context):
    """A baseline dated after the plan's school year begins to end, or after its own target."""
    year = _plan_year(ctx)
    if not year:
        return
    for p, _i, row, at in _outcomes(ctx):
        base = [w for w in ctx.fact(f"{at}.baseline").when if w.school_year is not None]
        target = [w for w in ctx.fact(f"{at}.target").when if w.school_year is not None]
        late = [w for w in base if (w.school_year or 0) > year or
                (w.school_year == year and w.month is not None and w.month in (4, 5, 6))]
        after = [w for w in base for t in target if _order(w, 0) > _order(t, 12)]
        stale = base and all((w.school_year or 0) < year - STALE_YEARS for w in base)
        if late or after or stale:
            yield Hit(f"{at}.baseline", {"measure": quote(row.measure, 10), "baseline": row.baseline.strip(),
                                         "target": row.target.strip(), "stale": bool(stale and not late and not after)},
                      prefix=ctx.prefix(p))


def _order(when, unknown_month: int) -> tuple[int, int]:
    """Return a date's place in time, months counted from July (fall 2025 comes before spring 2026)."""
    return when.school_year or 0, (when.month - 7) % 12 if when.month is not None else unknown_month


@check("on-track-midyear")
def on_track_midyear(ctx: Context):
    """The midyear "on track" is dated at midyear of this school year, not at its end or in another year."""
    year = _plan_year(ctx)
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.benchmarks):
            when = ctx.fact(f"p{p.number}.benchmarks[{i}].on_track").when
            other = [w for w in when if w.school_year is not None and year and w.school_year != year]
            months = [w.month for w in when if w.month is not None]
            late = months and not any(m in EARLY_MONTHS for m in months)
            if other or late:
                yield Hit(f"p{p.number}.benchmarks[{i}].on_track",
                          {"n": i + 1, "on_track": quote(row.on_track), "other": bool(other),
                           "year": ctx.variant.school_year}, prefix=ctx.prefix(p))


def _assessment_problem(facts: Facts, group: str) -> str:
    """Return what does not fit between a row's assessments and its grades, subject or group; "" when all fits."""
    for found in assessments_in(" ".join(facts.assessments)):
        if found.grades and facts.grades and not set(facts.grades) & set(found.grades):
            return f"{found.name} is not given in grades {grades_shown(set(facts.grades))}"
        if found.subjects and facts.subjects and not set(facts.subjects) & set(found.subjects):
            return f"{found.name} does not measure {' or '.join(facts.subjects)}"
        if found.name == "ACCESS for ELLs" and groups_in(group) and \
                "English learners and former ELs" not in groups_in(group):
            return f"ACCESS for ELLs is taken only by English learners, and the row is for '{group.strip()}'"
    return ""


@check("assessment-fits")
def assessment_fits(ctx: Context):
    """An assessment the plan uses is given in the grades, subject and group the row measures."""
    for p in ctx.plan.priorities:
        rows = [(f"p{p.number}.outcomes[{i}].measure", r.measure, r.student_group) for i, r in enumerate(p.outcomes)]
        rows += [(f"p{p.number}.benchmarks[{i}].benchmark", r.benchmark, "") for i, r in enumerate(p.benchmarks)]
        for at, text, group in rows:
            problem = _assessment_problem(ctx.fact(at), group)
            if problem:
                yield Hit(at, {"problem": problem, "quote": quote(text, 10)}, prefix=ctx.prefix(p))


@check("benchmark-data-in-time")
def benchmark_data_in_time(ctx: Context):
    """An interim benchmark read from data that is not there in time: a state test at midyear, a yearly test
    monthly."""
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.benchmarks):
            at = f"p{p.number}.benchmarks[{i}]"
            used = tuple(dict.fromkeys((*assessments_in(row.benchmark), *assessments_in(row.on_track))))
            if not used:
                continue
            rhythm = ctx.fact(f"{at}.frequency").per_year
            late = used and all(not a.midyear for a in used)
            # a yearly test read monthly; an interim one may have weekly parts (i-Ready lessons, growth checks)
            often = [a for a in used if a.per_year == 1 and rhythm and rhythm > 1 and len(used) == 1]
            if late or often:
                name = (used[0] if late else often[0]).name
                yield Hit(f"{at}.benchmark", {"n": i + 1, "assessment": name, "benchmark": quote(row.benchmark),
                                              "frequency": row.frequency.strip(), "late": bool(late)},
                          prefix=ctx.prefix(p))


@check("accountability-measure")
def accountability_measure(ctx: Context):
    """The rows marked as accountability targets measure something the accountability system measures."""
    for p in ctx.plan.priorities:
        marked = [r for r in p.outcomes if said_yes(r.accountability) and r.measure]
        if not marked:
            continue  # no row marked: accountability-target's error
        state = [r for r in marked if any(a.kind in ("state annual", "administrative") for a in
                                          assessments_in(r.measure)) or ACCOUNTABILITY.search(r.measure)]
        if not state:
            yield Hit(f"p{p.number}.outcomes", {"measure": quote(marked[0].measure, 10)}, prefix=ctx.prefix(p))


@check("funding-available")
def funding_available(ctx: Context):
    """A funding source the plan counts on that no longer pays in the plan's school year."""
    year = _plan_year(ctx)
    if not year:
        return
    for p in ctx.plan.priorities:
        for key in ("funding", "staffing", "partner_supports", "dese_supports"):
            counted = [s for s in re.split(r"(?<=[.;!?])\s+|\n", p.answer(key)) if not ENDED.search(s)]
            for source in funding_in(" ".join(counted)):  # "positions ESSER funded, now in the budget" is history
                ends = funding_ends(source)
                if ends is not None and ends < year:
                    yield Hit(f"p{p.number}.{key}", {"source": source, "year": ctx.variant.school_year,
                                                     "quote": quote(p.answer(key), 10)}, prefix=ctx.prefix(p))


@check("benchmark-owner-same")
def benchmark_owner_same(ctx: Context):
    """One owner for every benchmark, at every level: nobody at the school or in the classroom watches them."""
    for p in ctx.plan.priorities:
        rows = [r for r in p.benchmarks if r.monitored_by.strip()]
        owners = {_owner(r.monitored_by) for r in rows}
        levels = set().union(*(levels_of(ctx, r) for r in rows)) if rows else set()
        if len(rows) >= 2 and len(owners) == 1 and len(levels) >= 2:
            yield Hit(f"p{p.number}.benchmarks[0].monitored_by", {"who": rows[0].monitored_by.strip(),
                                                                 "count": len(rows)},
                      through=f"p{p.number}.benchmarks[{len(p.benchmarks) - 1}].monitored_by", prefix=ctx.prefix(p))


def _owner(typed: str) -> str:
    """Return who monitors, for comparing: the roles named ("Principals" and "principal" are one), else the text."""
    roles = roles_in(typed)
    return " + ".join(sorted({name for name, _ in roles})) if roles else " ".join(typed.split()).casefold().strip(". ")


NO_ONE = {"staff", "all staff", "everyone", "all", "team", "the team", "teams", "admin", "administration",
          "administrators", "leadership", "district", "school", "stakeholders", "various", "everybody"}


@check("benchmark-owner-vague")
def benchmark_owner_vague(ctx: Context):
    """A benchmark "monitored" by everyone is monitored by no one in particular."""
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.benchmarks):
            if " ".join(row.monitored_by.split()).casefold().strip(".") in NO_ONE:
                yield Hit(f"p{p.number}.benchmarks[{i}].monitored_by", {"n": i + 1, "who": row.monitored_by.strip(),
                                                                       "benchmark": quote(row.benchmark)},
                          prefix=ctx.prefix(p))
