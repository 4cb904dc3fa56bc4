"""Checks that a priority is focused and its actions hold together, as a consultant reads a plan.

A priority broad enough to cover every subject in every grade cannot show
progress in one year; classroom actions that no school or district action
supports (coaching, planning time, a schedule, materials) or watches
(observation, feedback, data) are left to each teacher. Both are judgments of
wording, so both are warnings, and both stay quiet when a part is blank or a
placeholder: the rules for those report it better.
"""

from __future__ import annotations

import re

from docgen.checks import resolve
from docgen.checks.rules import Context, Hit, check
from docgen.checks.words import grade_set, grades_shown, groups_in, joined, own_groups_in, placeholder, quote

# What a school or district action that helps teachers do the classroom work says.
SUPPORT = re.compile(
    r"\b(coach\w*|professional (learning|development)|pd|pl|train\w*|workshops?|institutes?|"
    r"plan(ning)? (time|periods?|blocks?|meetings?|protocols?)|common planning|cpt|co-?plan\w*|plcs?|collaborative|"
    r"grade[- ]teams?|schedul\w*|protect\w*|materials?|units?|modules?|resources?|texts|books|kits|fund\w*|"
    r"hire\w*|hiring|staffing|interventionists?|specialists?|protocols?|model (lessons?|classrooms?)|modeling|"
    r"internaliz\w*|release time|substitutes?|tools?|rubrics?|guides?|templates?|mentor\w*|induction|lesson study|"
    r"peer|(team|grade[- ]level|department|data) meetings?|data teams?|ilts?|leadership teams?|allocat\w*|"
    r"purchas\w*|buy\w*|adopt\w*|invest\w*|partner\w*|consultants?|support\w* (for )?(teachers|educators|staff|"
    r"teams))\b", re.IGNORECASE)
# What a school or district action that watches how the classroom work goes says.
MONITOR = re.compile(r"\b(monitor\w*|observ\w*|walks?|walkthroughs?|walk-throughs?|visits?|look-?fors?|feedback|"
                     r"review\w*|data|check\w*|track\w*|audit\w*|conferenc\w*|debrief\w*|rounds|"
                     r"evaluat\w*|accountab\w*|fidelity|analy[sz]\w*|student work|screen\w*|assessments?|"
                     r"benchmarks?)\b", re.IGNORECASE)
SUPPORTING_LEVELS = (("school_actions", "school leaders"), ("district_actions", "district leaders"))

ALL_SUBJECTS = re.compile(r"^\s*(all|all subjects|all content areas|every subject|multiple|various|core subjects|"
                          r"all core subjects|cross-content|interdisciplinary)\s*\.?\s*$", re.IGNORECASE)
# A subject field that names instruction in general rather than a content area ("Tier 1 instruction", "Rigor").
GENERAL = re.compile(r"\b(instruction\w*|teaching|learning|tier\s*(1|i|one)|mtss|core|rigou?r\w*|engag\w*|standards|"
                     r"achievement|outcomes|excellence|content areas?|subjects|academics?)\b", re.IGNORECASE)
WHOLE_SPAN = 13  # K-12: every grade a district teaches


@check("classroom-actions-supported")
def classroom_actions_supported(ctx: Context):
    """Each classroom action is supported and monitored by school and district actions.

    A level whose actions neither support nor watch the classroom work is named; when both levels support it but
    neither says how it will be watched (observation, feedback, data), that is said instead.
    """
    for p in ctx.plan.priorities:
        classroom = p.answer("classroom_actions")
        if not classroom or placeholder(classroom):
            continue
        levels = [(key, level, text) for key, level in SUPPORTING_LEVELS
                  if (text := p.answer(key)) and not placeholder(text)]
        unsupported = [(key, level, text) for key, level, text in levels
                       if not SUPPORT.search(text) and not MONITOR.search(text)]
        values = {"classroom": quote(classroom, 10), "monitoring": False, "both": len(unsupported) == 2}
        if unsupported:
            key, level, text = unsupported[0]
            values.update(levels="school and district leaders" if len(unsupported) == 2 else level,
                          typed=quote(text, 10))
        elif len(levels) == 2 and not any(MONITOR.search(text) for _, _, text in levels):
            key = levels[0][0]
            values.update(levels="school and district leaders", typed="", monitoring=True)
        else:
            continue
        yield Hit(f"p{p.number}.{key}", values, prefix=ctx.prefix(p))


def _content_areas(text: str) -> list[str]:
    """Return the content areas ``text`` names, by the resolver: "ELA, math and science" is three; SEL, a focus of
    its own, is none."""
    return [name for name in resolve.subjects_in(text) if name != "SEL"]


def _scope(p) -> tuple[list[tuple[str, str]], bool]:
    """Return (what to name, what the plan says of it) for each of subject, grades and groups the priority leaves
    open, and whether the subject is instruction in general or everything ("Multiple", "Tier 1 instruction", three
    subjects) rather than a focus of its own that is not a subject ("Attendance").

    Grades are open when none is named or they run K-12; groups when only "All students" or none is named. What
    the plan says is in its words: "covers grades PK-12".
    """
    statement, subject, typed_groups = p.answer("statement"), p.answer("subject"), p.answer("student_groups")
    families = _content_areas(subject) or _content_areas(statement)
    general = bool(ALL_SUBJECTS.match(subject) or len(families) >= 3 or (not families and GENERAL.search(subject)))
    broad = []
    if general or not families:
        broad.append(("subject", f"has '{subject.strip()}' as its subject"))  # never blank: priority-focus says so
    grades = grade_set(p.answer("grades")) or grade_set(statement)
    if not grades or len(grades) >= WHOLE_SPAN:
        broad.append(("grades", f"covers grades {grades_shown(grades)}" if grades else "names no grades"))
    if not set(groups_in(f"{statement} {typed_groups}")) - {"All students"} and not own_groups_in(typed_groups):
        broad.append(("student groups", f"is for '{typed_groups.strip()}'" if typed_groups.strip()
                      else "names no student group"))
    return broad, general


@check("priority-focused")
def priority_focused(ctx: Context):
    """A priority too broad to show progress in a year: instruction in general (or every subject) in every grade or
    for all students, or a focus that is no subject, for all students in every grade.

    The subject anchors it: "K-12 math for all students" and "K-12 attendance
    for low-income students" are broad but focused on something.
    """
    for p in ctx.plan.priorities:
        statement = p.answer("statement")
        if not statement or placeholder(statement) or not p.answer("subject"):
            continue  # a blank subject is priority-focus's error
        broad, general = _scope(p)
        if broad and broad[0][0] == "subject" and len(broad) >= (2 if general else 3):
            names = [name for name, _ in broad]
            yield Hit(f"p{p.number}.statement", {"quote": quote(statement),
                                                 "scope": joined([how for _, how in broad]), "ask": joined(names)},
                      prefix=ctx.prefix(p))

