"""Checks that the priorities reach every identified school: its grades, why DESE identified it, its curricula.

These read the plan's structure, not its wording: a grades 6-8 school under a
K-3 priority is not reached, whatever the prose says. Where a school's or a
priority's grades cannot be read, nothing is reported (no false alarm).
"""

from __future__ import annotations

import re

from docgen.checks.rules import Context, Hit, check
from docgen.checks.words import grade_set, grades_shown, groups_in

PARTICIPATION = re.compile(r"particip|tested|testing|opt[- ]?out", re.IGNORECASE)
GRADUATION = re.compile(r"graduat|dropout|drop-out|credit|on-track|ninth grade|9th grade", re.IGNORECASE)
LOWEST = re.compile(r"lowest|bottom|percentile", re.IGNORECASE)


def _priority_grades(ctx: Context) -> list[tuple[int, set[int]]]:
    return [(p.number, grade_set(p.answer("grades") or p.answer("statement"))) for p in ctx.plan.priorities]


@check("identified-grades-covered")
def identified_grades_covered(ctx: Context):
    """An identified school none of whose grades any priority covers is not reached by the plan."""
    spans = _priority_grades(ctx)
    if not spans or any(not grades for _, grades in spans):
        return  # a priority whose grades cannot be read may cover anything
    covered = set().union(*(grades for _, grades in spans))
    for i, school in enumerate(ctx.plan.schools):
        grades = grade_set(school.grades)
        if ctx.is_identified(school) and grades and not grades & covered:
            shown = "; ".join(f"Priority #{n}: grades {grades_shown(g)}" for n, g in spans) if len(spans) > 1 \
                else f"grades {grades_shown(spans[0][1])}"
            read_from_statement = any(not p.answer("grades") for p in ctx.plan.priorities)
            yield Hit(f"schools[{i}].grades", {"school": school.name, "grades": school.grades.strip(),
                                               "priorities": shown, "two": len(spans) > 1},
                      severity="warning" if read_from_statement else "")  # a statement's grades are a reading


def _school_text(ctx: Context, school) -> str:
    """Return what the plan says for one school: its target rows and its targeted support actions."""
    parts = []
    for p in ctx.plan.priorities:
        parts += [f"{r.measure} {r.student_group} {r.target}" for r in p.outcomes
                  if school in ctx.meant(r.school)]
        parts += [r.actions for r in p.targeted_support if school in ctx.meant(r.school)]
    return " ".join(parts)


@check("identified-reason-answered")
def identified_reason_answered(ctx: Context):
    """The plan answers why the school is identified: its named groups, its participation, its graduation rate."""
    if not any(s.reason.strip() and ctx.is_identified(s) for s in ctx.plan.schools):
        return
    priority_groups = {g for p in ctx.plan.priorities
                       for g in groups_in(f"{p.answer('student_groups')} {p.answer('statement')}")}
    for i, school in enumerate(ctx.plan.schools):
        reason = school.reason.strip()
        if not reason or not ctx.is_identified(school):
            continue
        said = _school_text(ctx, school)
        named = [g for g in groups_in(reason) if g not in ("All students", "Lowest performing students")]
        missing = [g for g in named if g not in priority_groups and g not in groups_in(said)]
        if missing:
            yield Hit(f"schools[{i}].reason", {"school": school.name, "reason": reason,
                                               "what": f"target or focus for {' and '.join(missing)}"})
        elif PARTICIPATION.search(reason) and not PARTICIPATION.search(said):
            yield Hit(f"schools[{i}].reason", {"school": school.name, "reason": reason,
                                               "what": "participation target or action"})
        elif GRADUATION.search(reason) and not GRADUATION.search(said):
            yield Hit(f"schools[{i}].reason", {"school": school.name, "reason": reason,
                                               "what": "graduation target or action"})


@check("hqim-identified-schools")
def hqim_identified_schools(ctx: Context):
    """A curriculum not yet high quality in an identified school's grades says what happens in that school."""
    for i, row in enumerate(ctx.plan.curricula):
        grades = grade_set(row.grades)
        if not grades:
            continue
        serving = [s for s in ctx.plan.schools if grade_set(s.grades) & grades]
        reached = [s for s in serving if ctx.is_identified(s)]
        if len(reached) == len(serving):
            continue  # only identified schools teach those grades: the description is about them
        text = row.description
        if reached and not any(ctx.mentions(text, s) for s in reached) and "identified" not in text.casefold():
            yield Hit(f"curricula[{i}].description", {"subject": row.subject, "grades": row.grades,
                                                      "schools": " and ".join(s.name for s in reached)})


@check("hqim-profiles-confirmed")
def hqim_profiles_confirmed(ctx: Context):
    if not ctx.has_field("profiles_confirmed"):
        return
    answer, note = ctx.plan.answer("profiles_confirmed"), ctx.plan.answer("profiles_note")
    if not answer or (answer == "No" and not note):  # a note with no Yes/No may say it: then asked
        yield Hit("answers.profiles_confirmed", {"answer": answer}, severity="warning" if note else "")


@check("hqim-curriculum-complete")
def hqim_curriculum_complete(ctx: Context):
    for i, row in enumerate(ctx.plan.curricula):
        described = row.description or not ctx.has_column("curricula", "description")
        missing = [name for name, value in (("subject", row.subject), ("grades", row.grades), ("status", row.status),
                                            ("description of the district's efforts", described)) if not value]
        if missing:
            about = " ".join(x for x in (row.subject, row.grades) if x) or row.description
            yield Hit(f"curricula[{i}]", {"n": i + 1, "missing": ", ".join(missing), "row": about})
