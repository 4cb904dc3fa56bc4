"""Rules that hold one section's facts against another's, as a consultant reads a plan as a whole.

Section 1 (the priority) must agree with its own cells (subject, grades,
groups) and be carried into section 2 (the analysis names its groups), 4 (the
targets measure its subject in its grades), 5 and 6 (the actions and
benchmarks are about its subject); a target for a school the plan never
supports, and a second priority the first already covers, are asked about.
Every rule here reads facts (``facts.py``) resolved by ``resolve.py``, never
phrases, and every one is a warning worded as a question: each depends on
reading a name or a judgement. Where a fact cannot be read, nothing is said.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from docgen.checks.rules import Context, Hit, check
from docgen.checks.words import grade_set, grades_named, grades_shown, joined, placeholder, quote, students
from docgen.variants import first_year

# Words of a vision rather than a priority: what the district hopes for every child, not what it will work on.
ASPIRATION = re.compile(r"\b(?:potential|empower\w*|thrive|thriving|succe\w*|future|world|citizens?|lifelong|"
                        r"excellen\w*|inspir\w*|vision|mission|college and career|21st|whole child|flourish\w*|"
                        r"belong\w*|joy\w*|passion\w*|dreams?|global|ready|readiness)\b", re.IGNORECASE)
SPECIFIC = {"All students"}
QUICK_DATA = re.compile(r"\d\s*(%|percent)|\b\d+\s+(of|out of)\s+\d", re.IGNORECASE)
HOPES = 2  # "reach their full potential and thrive" is a vision; "so that all students succeed" may end a priority
# A school's support said to be what every school gets: "the same supports as all other schools".
SAME_AS_ALL = re.compile(r"\b(same|identical)\b[^.]{0,30}\b(as|to)\b[^.]{0,20}\b(all|every|other|the)\s+(other\s+)?"
                         r"(schools?|buildings?|districtwide|district)\b", re.IGNORECASE)
SAME_TEXT = 90  # rapidfuzz token_set_ratio at or above which a school's actions repeat the districtwide ones


def _groups(facts) -> set[str]:
    return set(facts.groups) - SPECIFIC



def _priority_grades(ctx: Context, p) -> set[int]:
    return grade_set(p.answer("grades")) or set(ctx.fact(f"p{p.number}.statement").grades)


def _priority_subjects(ctx: Context, p) -> set[str]:
    return set(ctx.fact(f"p{p.number}.subject").subjects) or set(ctx.fact(f"p{p.number}.statement").subjects)


@check("priority-is-a-vision")
def priority_is_a_vision(ctx: Context):
    """A statement that names no subject, grade or group and speaks of hopes reads as a vision, not a priority."""
    for p in ctx.plan.priorities:
        statement = p.answer("statement")
        facts = ctx.fact(f"p{p.number}.statement")
        hopes = {m.casefold()[:6] for m in ASPIRATION.findall(statement)}
        if statement and not facts.subjects and not facts.grades and not _groups(facts) and \
                not facts.assessments and len(hopes) >= HOPES:
            yield Hit(f"p{p.number}.statement", {"quote": quote(statement)}, prefix=ctx.prefix(p))


@check("priority-cells-agree")
def priority_cells_agree(ctx: Context):
    """The statement and its Subject, Grade(s) and Student group(s) cells name the same focus."""
    for p in ctx.plan.priorities:
        said = ctx.fact(f"p{p.number}.statement")
        cells = {key: ctx.fact(f"p{p.number}.{key}") for key in ("subject", "grades", "student_groups")}
        grades = grade_set(p.answer("grades"))
        differences = []
        if said.named_subjects and cells["subject"].subjects and \
                not set(said.subjects) & set(cells["subject"].subjects):
            differences.append(("subject", joined(said.named_subjects), p.answer("subject").strip()))
        if said.grades and grades and not set(said.grades) <= grades:
            differences.append(("grades", grades_shown(set(said.grades)), p.answer("grades").strip()))
        named, listed = _groups(said), _groups(cells["student_groups"])
        if named and listed and not named & listed:
            differences.append(("student groups", joined(sorted(named)), p.answer("student_groups").strip()))
        for what, statement, cell in differences:
            key = {"subject": "subject", "grades": "grades", "student groups": "student_groups"}[what]
            yield Hit(f"p{p.number}.{key}", {"what": what, "statement": statement, "cell": cell},
                      section="priority", prefix=ctx.prefix(p))


@check("outcome-in-priority-grades")
def outcome_in_priority_grades(ctx: Context):
    """A target measured only in grades the priority does not teach, or that its school does not serve, cannot
    show the priority's progress there."""
    for p in ctx.plan.priorities:
        grades = _priority_grades(ctx, p)
        for i, row in enumerate(p.outcomes):
            measured = set(ctx.fact(f"p{p.number}.outcomes[{i}].measure").grades)
            schools = ctx.meant(row.school)
            served = grade_set(schools[0].grades) if len(schools) == 1 else set()
            outside = [(what, span) for what, span in (("the priority's", grades), (f"{schools[0].name}'s" if
                                                                                      served else "", served))
                       if span and measured and not measured & span]
            if outside:
                what, span = outside[0]
                yield Hit(f"p{p.number}.outcomes[{i}].measure", {"measure": quote(row.measure, 10), "whose": what,
                                                                "measured": grades_named(measured),
                                                                "grades": grades_named(span)}, prefix=ctx.prefix(p))


@check("subject-carried")
def subject_carried(ctx: Context):
    """Benchmarks and classroom actions are about the priority's subject, not another one."""
    for p in ctx.plan.priorities:
        own = _priority_subjects(ctx, p)
        if not own:
            continue
        places = [(f"p{p.number}.benchmarks[{i}].benchmark", f"benchmark {i + 1}", row.benchmark)
                  for i, row in enumerate(p.benchmarks)]
        places.append((f"p{p.number}.classroom_actions", "the classroom actions", p.answer("classroom_actions")))
        for at, where, text in places:
            facts = [ctx.fact(at)] if at.endswith("actions") else \
                [ctx.fact(at), ctx.fact(at.replace(".benchmark", ".on_track"))]
            named = set().union(*(f.named_subjects for f in facts))
            if named and not set().union(*(f.subjects for f in facts)) & own and not named & {"SEL"}:
                yield Hit(at, {"where": where, "named": joined(sorted(named)), "subject": joined(sorted(own)),
                               "quote": quote(text, 10)}, section="monitoring" if "benchmarks" in at else "roles",
                          prefix=ctx.prefix(p))


@check("focus-group-in-analysis")
def focus_group_in_analysis(ctx: Context):
    """The analysis says which groups are most disadvantaged: a group the priority is for should be among them."""
    for p in ctx.plan.priorities:
        keys = ("equity_gaps", "outcomes_district", "outcomes_schools", "statement", "desired_impact")
        analysed = set().union(*(_groups(ctx.fact(f"p{p.number}.{k}")) for k in keys))
        if not any(p.answer(k).strip() for k in keys[:3]):
            continue  # a blank analysis is required-answers' error
        missing = sorted(_groups(ctx.fact(f"p{p.number}.student_groups")) - analysed)
        if missing:  # one question per priority, naming every such group
            yield Hit(f"p{p.number}.outcomes_district", {"group": joined(students(g) for g in missing)},
                      prefix=ctx.prefix(p))


@check("school-target-unsupported")
def school_target_unsupported(ctx: Context):
    """A school-level target for a school the plan never supports: not identified, no targeted support, no action."""
    supported = {i for i, s in enumerate(ctx.plan.schools) if ctx.is_identified(s)}
    for p in ctx.plan.priorities:
        for row in p.targeted_support:
            supported |= {ctx.plan.schools.index(s) for s in ctx.meant(row.school)}
    targets = [(p, i, target, ctx.meant(target.school)) for p in ctx.plan.priorities
               for i, target in enumerate(p.outcomes)]
    alone = [(p, i, target, schools[0]) for p, i, target, schools in targets
             if len(schools) == 1 and ctx.plan.schools.index(schools[0]) not in supported]
    if alone:  # only then read the actions, which may name the school
        for p in ctx.plan.priorities:
            for key in ("district_actions", "school_actions", "classroom_actions", "staffing", "resource_inequities"):
                supported |= ctx.fact(f"p{p.number}.{key}").schools
    alone = [(p, i, target, school) for p, i, target, school in alone
             if ctx.plan.schools.index(school) not in supported]
    others = [s for s in ctx.plan.schools if not ctx.is_identified(s)]
    if alone and len({school.name for *_, school in alone}) <= max(1, len(others) // 2):  # not a target per school
        p, i, target, school = alone[0]
        yield Hit(f"p{p.number}.outcomes[{i}].school", {"school": school.name, "measure": quote(target.measure, 10)},
                  prefix=ctx.prefix(p))


@check("second-priority-same-context")
def second_priority_same_context(ctx: Context):
    """A second priority whose subject, grades and groups the first already covers adds no context of its own."""
    if len(ctx.plan.priorities) != 2:
        return
    first, second = ctx.plan.priorities
    subjects = [_priority_subjects(ctx, p) for p in (first, second)]
    grades = [_priority_grades(ctx, p) for p in (first, second)]
    groups = [_groups(ctx.fact(f"p{p.number}.student_groups")) for p in (first, second)]
    if not (subjects[1] and grades[0] and grades[1]):
        return
    same_subject = subjects[1] <= subjects[0]
    inside = grades[1] <= grades[0] and (grades[1] == grades[0] or not groups[0] or not groups[1] or
                                         groups[1] <= groups[0])
    if same_subject and inside:
        yield Hit("p2.grades", {"subject": second.answer("subject").strip(), "grades": grades_shown(grades[1]),
                                "first": grades_shown(grades[0])})


@check("targeted-actions-additional")
def targeted_actions_additional(ctx: Context):
    """A school's targeted support that repeats the districtwide actions adds nothing for that school."""
    for p in ctx.plan.priorities:
        everywhere = [p.answer(k) for k in ("district_actions", "school_actions", "classroom_actions") if p.answer(k)]
        for i, row in enumerate(p.targeted_support):
            actions = row.actions.strip()
            if len(actions.split()) < 4 or placeholder(actions):
                continue  # blank, short or a placeholder: targeted-actions and hollow-cells say it
            repeated = any(fuzz.token_set_ratio(actions, text) >= SAME_TEXT for text in everywhere)
            if repeated or SAME_AS_ALL.search(actions):
                meant = ctx.meant(row.school)
                school = meant[0].name if len(meant) == 1 else row.school.strip(" :")
                yield Hit(f"p{p.number}.targeted_support[{i}].actions", {"school": school,
                                                                        "quote": quote(actions, 10)},
                          prefix=ctx.prefix(p))


@check("analysis-names-data")
def analysis_names_data(ctx: Context):
    """The analysis of student outcomes says what data tells the district so: a number or a named assessment."""
    keys = ("outcomes_district", "outcomes_schools", "equity_gaps")
    for p in ctx.plan.priorities:
        written = [k for k in keys if p.answer(k) and not placeholder(p.answer(k))]
        if not written or any(QUICK_DATA.search(p.answer(k)) for k in written):
            continue  # "38%", "4 of 6": data at a glance, before reading every number's kind
        facts = [ctx.fact(f"p{p.number}.{k}") for k in written]
        if not any(f.assessments for f in facts) and not any(f.numbers for f in facts):
            yield Hit(f"p{p.number}.{written[0]}", {"quote": quote(p.answer(written[0]))}, prefix=ctx.prefix(p))


@check("equity-gaps-named")
def equity_gaps_named(ctx: Context):
    """The equity gaps the priority will address name whom they are between: a group or a school."""
    for p in ctx.plan.priorities:
        answer = p.answer("equity_gaps")
        facts = ctx.fact(f"p{p.number}.equity_gaps")
        if answer and not placeholder(answer) and not _groups(facts) and not facts.schools:
            yield Hit(f"p{p.number}.equity_gaps", {"quote": quote(answer)}, prefix=ctx.prefix(p))


@check("second-priority-identified")
def second_priority_identified(ctx: Context):
    """A second priority is for identified schools in another context: one whose grades no identified school
    teaches serves none of them."""
    if len(ctx.plan.priorities) != 2 or not ctx.identified():
        return
    grades = _priority_grades(ctx, ctx.plan.priorities[1])
    spans = [grade_set(s.grades) for s in ctx.identified()]
    if grades and all(spans) and not any(span & grades for span in spans):
        yield Hit("p2.grades", {"grades": grades_shown(grades),
                                "identified": joined(f"{s.name} ({s.grades.strip()})" for s in ctx.identified())})


HIGH_QUALITY = re.compile(r"\bhigh[- ]quality (instructional )?(materials|curricul\w*)|\bhqim\b", re.IGNORECASE)


@check("hqim-priority-agrees")
def hqim_priority_agrees(ctx: Context):
    """A priority taught "with our high-quality materials" in a subject and grades the HQIM section lists as not
    yet high quality: which is it?"""
    for p in ctx.plan.priorities:
        said = f"{p.answer('statement')} {p.answer('desired_impact')}"
        own, grades = _priority_subjects(ctx, p), _priority_grades(ctx, p)
        if not HIGH_QUALITY.search(said) or not own or not grades:
            continue
        for i, row in enumerate(ctx.plan.curricula):
            if set(ctx.fact(f"curricula[{i}].subject").subjects) & own and grade_set(row.grades) & grades:
                yield Hit(f"curricula[{i}].status", {"subject": row.subject.strip(), "grades": row.grades.strip(),
                                                     "status": row.status.strip() or "not yet high quality"},
                          section="hqim", prefix=ctx.prefix(p))
                break


@check("priority-year")
def priority_year(ctx: Context):
    """A statement whose deadlines are all past ("by spring 2025") reads as last year's priority carried over."""
    year = first_year(ctx.variant.school_year)
    for p in ctx.plan.priorities:
        statement = p.answer("statement")  # a deadline ("by spring 2025"), not a history ("adopted in 2024")
        dated = [w for w in ctx.fact(f"p{p.number}.statement").when if w.school_year is not None and
                 re.search(r"\b(by|until|before)\b[^.,;]{0,25}" + re.escape(w.text), statement, re.IGNORECASE)]
        if year and dated and all((w.school_year or 0) < year for w in dated):
            yield Hit(f"p{p.number}.statement", {"when": dated[0].text, "year": ctx.variant.school_year},
                      prefix=ctx.prefix(p))
