"""The checks behind the review rules, one small function each, registered by rule id.

A check reads the plan and yields a Hit for each problem: where it is (a key
of Plan.where), the names its message uses, and a severity of its own when the
finding rests on a reading the check cannot be sure of. The wording, severity
and the guidance sentence live in templates/checks/rules.yaml. ``Context``
gives every check the plan's facts (``ctx.fact(key)``) and the schools a cell
names (``ctx.meant(typed)``). To add a rule: write a function with
``@check("new-id")`` and give it an entry in rules.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from docgen.checks import facts as read_facts
from docgen.checks.facts import Facts
from docgen.checks.resolve import Resolved, assessments_in, mentioned_schools, resolve_school, roles_in, school_names
from docgen.checks.resolve import cadence as resolve_cadence
from docgen.checks.words import grades_shown, groups_in, items_in, placeholder, quote, students
from docgen.model.plan import Plan, Priority, School
from docgen.variants import Variant

CHECKS: dict[str, Callable[[Context], Iterator[Hit]]] = {}
MONITORS = re.compile(r"\b(monitor|review|track|analy[sz]|examin|look(s|ed)? at|check|observ|collect|report)\w*",
                      re.IGNORECASE)
IDENTIFIED = re.compile(r"focused|targeted|broad|comprehensive|underperforming|\b(csi|tsi|atsi)\b|"
                        r"requiring assistance", re.IGNORECASE)
NOT_IDENTIFIED = re.compile(r"\bnot requiring\b|\bno(t)? (assistance|intervention)\b", re.IGNORECASE)
EXPLAINED_WORDS = 5  # "N/A - we did not hold sessions": a reason, not a placeholder alone
WEB_ADDRESS = re.compile(r"https?://|www\.", re.IGNORECASE)
MANY_ACTIONS = 5
NARRATIVE_WORDS = 40  # a change of direction's data narrative: a few sentences, with numbers
ROLE_LEVELS = (("district_actions", "district leaders"), ("school_actions", "school leaders"),
               ("classroom_actions", "classroom educators"))


@dataclass
class Hit:
    """One problem found by a check: where it is (a Plan.where key) and the values its wording uses."""

    at: str = ""
    values: dict = field(default_factory=dict)
    through: str = ""  # with ``at``, the last of a run of cells the finding is about ("p1.benchmarks[3].level")
    section: str = ""  # overrides the rule's section
    prefix: str = ""  # "Priority #2: " when the plan has two priorities
    severity: str = ""  # overrides the rule's: "warning" when the finding rests on reading a name the check could
    # not be sure of (an error is only for what the plan certainly does not do)


@dataclass
class Context:
    plan: Plan
    variant: Variant
    covered: set[str]  # field keys a dedicated rule checks
    fields: frozenset[str] = frozenset()  # the variant's answer keys and (table, column) pairs, found once
    columns: frozenset[tuple[str, str]] = frozenset()
    required: list[tuple] | None = None  # required_answers_of, once found
    _facts: read_facts.Lazy | None = None
    _meant: dict[str, list[School]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.fields = frozenset(f.key for s in self.variant.sections for f in s.fields)
        self.columns = frozenset((t.key, c.key) for t in self.variant.tables.values() for c in t.columns)

    def has_field(self, key: str) -> bool:
        return key in self.fields

    def has_column(self, table: str, key: str) -> bool:
        return (table, key) in self.columns

    def prefix(self, priority: Priority) -> str:
        return f"Priority #{priority.number}: " if len(self.plan.priorities) > 1 else ""

    def identified(self) -> list[School]:
        return [s for s in self.plan.schools if self.is_identified(s)]

    def is_identified(self, school: School) -> bool:
        """Return True when a school's category is one requiring assistance or intervention, however typed
        ("Focused/targeted support (TSI)", "underperforming"), never "Not requiring assistance or intervention"."""
        return school.requires_assistance or bool(IDENTIFIED.search(school.category) and
                                                  not NOT_IDENTIFIED.search(school.category))

    def fact(self, key: str) -> Facts:
        """Return the facts of one answer or cell (a Plan.where key), read the first time a rule asks."""
        if self._facts is None:
            self._facts = read_facts.Lazy(self.plan)
        return self._facts.get(key) or Facts()

    def school_of(self, typed: str) -> Resolved:
        """Return what a School cell names: a listed school, the district, or nothing (with a guess)."""
        return resolve_school(typed, tuple(s.name for s in self.plan.schools), self.plan.district.name)

    def meant(self, typed: str) -> list[School]:
        """Return the schools a School cell is about: the one it names, every school of a level it names ("All
        elementary schools"), the identified ones ("All identified schools"), else those it mentions."""
        if typed not in self._meant:  # asked of every row by several rules: read once per check
            names = school_names(tuple(s.name for s in self.plan.schools), self.plan.district.name)
            found = self.school_of(typed)
            if found.kind == "unknown" and re.search(r"\bidentified\b", typed, re.IGNORECASE) and \
                    not names.mentioned(typed):
                self._meant[typed] = self.identified()
            else:
                self._meant[typed] = [self.plan.schools[i] for i in sorted(names.meant(typed))]
        return self._meant[typed]

    def mentioned(self, text: str) -> set[int]:
        return mentioned_schools(text, tuple(s.name for s in self.plan.schools), self.plan.district.name)

    def mentions(self, text: str, school: School) -> bool:
        """Return True when ``text`` names the school: in full, by its distinctive words, or its initials."""
        return self.plan.schools.index(school) in self.mentioned(text)

    def is_district(self, typed: str) -> bool:
        return self.school_of(typed).kind in ("district", "blank")

    def unresolved(self, rows) -> list[str]:
        """Return the School cells of ``rows`` that name no listed school and not the district."""
        return [r.school for r in rows if self.school_of(r.school).kind == "unknown" and not self.meant(r.school)]


def check(rule_id: str):
    """Register the decorated function as the check for ``rule_id``."""

    def register(function):
        CHECKS[rule_id] = function
        return function

    return register


def same_group(a: str, b: str) -> bool:
    """Return True when two group names mean the same group: the same DESE group by any alias, or one in the other."""
    known_a, known_b = groups_in(a), groups_in(b)
    if known_a and known_b:
        return bool(set(known_a) & set(known_b))
    a, b = " ".join(a.split()).casefold(), " ".join(b.split()).casefold()
    return bool(a and b) and (a == b or a in b or b in a)


# --- identified schools ------------------------------------------------------------------


@check("school-in-targeted-support")
def school_in_targeted_support(ctx: Context):
    rows = [row for p in ctx.plan.priorities for row in p.targeted_support]
    if ctx.unresolved(rows):
        return  # a name that does not resolve may be this school: unknown-school asks about it
    for school in ctx.identified():
        if not any(school in ctx.meant(r.school) for r in rows):
            listed = " and ".join(dict.fromkeys(r.school.strip(" :") for r in rows if r.school.strip(" :")))
            yield Hit("p1.targeted_support", {"school": school.name, "category": school.category, "listed": listed})


@check("school-in-analysis")
def school_in_analysis(ctx: Context):
    if not ctx.has_field("outcomes_schools"):
        return
    texts = " ".join(p.answer("outcomes_schools") for p in ctx.plan.priorities)
    elsewhere = " ".join(p.answer(k) for p in ctx.plan.priorities for k in ("outcomes_district", "equity_gaps"))
    for school in ctx.identified():  # certain when the themes are blank and nothing names it; a reading otherwise
        if not ctx.mentions(texts, school):
            yield Hit("p1.outcomes_schools", {"school": school.name, "category": school.category,
                                              "quote": quote(texts, 10) if texts.strip() else ""},
                      severity="warning" if texts.strip() or ctx.mentions(elsewhere, school) else "")


@check("school-has-target")
def school_has_target(ctx: Context):
    rows = [row for p in ctx.plan.priorities for row in p.outcomes]
    if ctx.unresolved(rows):
        return  # a name that does not resolve may be this school: unknown-school asks about it
    for school in ctx.identified():
        index = ctx.plan.schools.index(school)
        if not any((school in ctx.meant(r.school) or index in ctx.fact(f"p{p.number}.outcomes[{i}].measure").schools)
                   and (r.target or r.measure) for p in ctx.plan.priorities for i, r in enumerate(p.outcomes)):
            yield Hit("p1.outcomes", {"school": school.name, "category": school.category,
                                      "measure": quote(rows[0].measure, 10) if rows else ""})


@check("school-plan-link")
def school_plan_link(ctx: Context):
    """An Underperforming or IAG school links its plan: in its own column, or in its targeted support row."""
    for i, school in enumerate(ctx.plan.schools):
        if school.plan_link and not placeholder(school.plan_link):  # "pending" or "see attached" is no link
            continue
        if any(WEB_ADDRESS.search(r.actions) for p in ctx.plan.priorities for r in p.targeted_support
               if school in ctx.meant(r.school)):
            continue
        if re.search(r"\bunderperforming\b", school.category, re.IGNORECASE) and \
                not re.search(r"\bchronically\b", school.category, re.IGNORECASE):
            yield Hit(f"schools[{i}]", {"school": school.name, "why": "is Underperforming",
                                        "plan": "Sustainable Improvement Plan", "typed": school.plan_link})
        elif said_yes(school.iag):
            yield Hit(f"schools[{i}]", {"school": school.name, "why": "is applying for the Intensive Assistance Grant",
                                        "plan": "IAG school plan", "typed": school.plan_link})


# --- outcomes --------------------------------------------------------------------------------


@check("aggregate-target")
def aggregate_target(ctx: Context):
    for p in ctx.plan.priorities:
        if ctx.unresolved(p.outcomes):
            continue  # a name that does not resolve may be the district's: unknown-school asks about it
        if not any(ctx.is_district(r.school) and _all_students(r.student_group) for r in p.outcomes):
            yield Hit(f"p{p.number}.outcomes", {"measure": quote(p.outcomes[0].measure, 10) if p.outcomes else ""},
                      prefix=ctx.prefix(p))


def _all_students(group: str) -> bool:
    """Return True when an outcome row's group is all students (or left blank, or the district's name for it)."""
    folded = " ".join(group.split()).casefold()
    return folded in ("", "district", "districtwide", "all schools", "aggregate", "total") or \
        groups_in(group) == ["All students"]


@check("group-targets")
def group_targets(ctx: Context):
    """A prioritized group with no target row: in the Student group column, or named in the row's measure.

    A row whose group names no group docgen knows may be that group: then it is asked, as a warning.
    """
    for p in ctx.plan.priorities:
        unread = any(r.student_group.strip() and not groups_in(r.student_group) and not
                     _all_students(r.student_group) for r in p.outcomes)
        for group in groups_in(p.answer("student_groups")):
            if group != "All students" and not any(same_group(r.student_group, group) or
                                                   group in groups_in(f"{r.measure} {r.target}") for r in p.outcomes):
                yield Hit(f"p{p.number}.outcomes", {"group": group, "students": students(group),
                                                    "typed": quote(p.answer("student_groups"))}, prefix=ctx.prefix(p),
                          severity="warning" if unread else "")


@check("outcome-measure-and-target")
def outcome_measure_and_target(ctx: Context):
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.outcomes):
            missing = [name for name, value in (("measure", row.measure), ("target", row.target)) if not value]
            measure = ctx.fact(f"p{p.number}.outcomes[{i}].measure")
            target = ctx.fact(f"p{p.number}.outcomes[{i}].target")
            if missing == ["target"] and measure.numbers and measure.when or \
                    missing == ["measure"] and (target.assessments or target.subjects):
                continue  # "45% meeting expectations on MCAS ELA by spring 2026" holds both in one cell
            if missing:
                yield Hit(f"p{p.number}.outcomes[{i}]", {"n": i + 1, "missing": " or ".join(missing),
                                                        "row": quote(row.measure or row.target or row.student_group)},
                          prefix=ctx.prefix(p))


@check("accountability-target")
def accountability_target(ctx: Context):
    """No target marked as an accountability target: certain when every row says "No"; when the column is left
    blank, a plan whose measures name an accountability measure (MCAS) is taken at its word, and one whose do not
    is asked, as a warning."""
    for p in ctx.plan.priorities:
        if any(said_yes(r.accountability) for r in p.outcomes):
            continue
        marked = all(r.accountability.strip() for r in p.outcomes) and p.outcomes
        if not marked and any(a.kind == "state annual" for r in p.outcomes for a in assessments_in(r.measure)):
            continue
        yield Hit(f"p{p.number}.outcomes", {"measure": quote(p.outcomes[0].measure, 10) if p.outcomes else ""},
                  prefix=ctx.prefix(p), severity="" if marked or not p.outcomes else "warning")


# --- monitoring ------------------------------------------------------------------------------


@check("benchmark-count")
def benchmark_count(ctx: Context):
    for p in ctx.plan.priorities:
        if not 2 <= len(p.benchmarks) <= 4:
            yield Hit(f"p{p.number}.benchmarks", {"count": len(p.benchmarks), "first": quote(p.benchmarks[0].benchmark)
                                                  if p.benchmarks else ""}, prefix=ctx.prefix(p))


@check("benchmark-owner-frequency")
def benchmark_owner_frequency(ctx: Context):
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.benchmarks):
            missing = []  # "Principals review walkthrough data monthly" says who and how often in one cell
            if not row.monitored_by and not (MONITORS.search(row.benchmark) and
                                             ctx.fact(f"p{p.number}.benchmarks[{i}].benchmark").roles):
                missing.append("who monitors it")
            if not row.frequency and not (resolve_cadence(row.benchmark) or resolve_cadence(row.on_track)):
                missing.append("how often")
            if missing:
                yield Hit(f"p{p.number}.benchmarks[{i}]", {"n": i + 1, "missing": " or ".join(missing),
                                                          "benchmark": quote(row.benchmark)}, prefix=ctx.prefix(p))


def said_yes(value: str) -> bool:
    """Return True for a Yes typed any way ("Yes", "yes", "Y", "x", "✓")."""
    return value.strip().casefold() in ("yes", "y", "x", "✓", "✔", "true", "1")


def levels_of(ctx: Context, row) -> set[str]:
    """Return the levels a benchmark is at: its Level cell as typed ("School level", "District/School") read
    against the variant's levels, or, when blank, the level of who monitors it."""
    values = ctx.variant.lists["level"].values if "level" in ctx.variant.lists else ()
    typed = row.level.strip()
    if not typed:
        found = _level_of(row)
        return {found} if found else set()
    if re.match(r"\s*all\b", typed, re.IGNORECASE):
        return set(values)  # "All levels", "All"
    return {v for v in values if v.casefold() in typed.casefold()} or {typed}


def _level_of(row) -> str:
    """Return the level a benchmark with a blank Level cell is at, read from who monitors it, or "".

    The resolver's role levels are district, school and classroom, the variant's Level values in lower case.
    """
    found = roles_in(row.monitored_by)  # the first role named leads: "Math teachers with the coach" are teachers
    return found[0][1].capitalize() if found else ""


@check("benchmark-levels")
def benchmark_levels(ctx: Context):
    if not ctx.has_column("benchmarks", "level"):
        return
    for p in ctx.plan.priorities:
        levels = set().union(*(levels_of(ctx, row) for row in p.benchmarks)) if p.benchmarks else set()
        if p.benchmarks and not levels:
            continue  # no level given and none to read from who monitors: a plan made without the column
        rows = len(p.benchmarks)
        at, through = (f"p{p.number}.benchmarks[0].level", f"p{p.number}.benchmarks[{rows - 1}].level") if rows \
            else (f"p{p.number}.benchmarks", "")  # no benchmarks: point at the row to add one in
        for level in ctx.variant.lists["level"].values:
            if level not in levels:
                yield Hit(at, {"level": level.lower()}, through=through, prefix=ctx.prefix(p))


# --- the priority ----------------------------------------------------------------------------


@check("priority-focus")
def priority_focus(ctx: Context):
    wanted = [(key, name) for key, name in (("subject", "subject"), ("grades", "grade(s)"),
                                            ("student_groups", "student group(s)")) if ctx.has_field(key)]
    for p in ctx.plan.priorities:
        said = ctx.fact(f"p{p.number}.statement")
        in_statement: dict[str, list[str]] = {
            "subject": list(said.subjects), "grades": [grades_shown(set(said.grades))] if said.grades else [],
            "student_groups": sorted(set(said.groups) - {"All students"})}
        for key, name in wanted:
            if not p.answer(key):  # the statement may name it: then the cell is blank, not the focus (a warning)
                named = in_statement[key]
                shown = f"grades {named[0]}" if key == "grades" and named else " and ".join(named)
                yield Hit(f"p{p.number}.{key}", {"missing": name, "quote": quote(p.answer("statement")),
                                                 "said": shown}, prefix=ctx.prefix(p),
                          severity="warning" if named else "")


def unanswered(ctx: Context, key: str):
    """Yield a Hit for each priority that leaves ``key`` blank (none when the template has no such prompt)."""
    if ctx.has_field(key):
        for p in ctx.plan.priorities:
            if not p.answer(key):
                yield Hit(f"p{p.number}.{key}", {"statement": quote(p.answer("statement"))}, prefix=ctx.prefix(p))


@check("direction-chosen")
def direction_chosen(ctx: Context):
    """No choice among recommit, adjust and change direction; a rationale that says which one makes it a warning."""
    choices = ctx.variant.lists["direction"].values if "direction" in ctx.variant.lists else ()
    words = re.compile(r"\b(" + "|".join(re.escape(c) for c in choices) + r")", re.IGNORECASE) if choices else None
    for hit in unanswered(ctx, "direction"):
        p = ctx.plan.priorities[int(hit.at[1:].split(".")[0]) - 1]
        found = words.search(p.answer("direction_rationale")) if words else None
        hit.severity = "warning" if found else ""
        hit.values["said"] = found.group(0) if found else ""
        yield hit


@check("change-direction-narrative")
def change_direction_narrative(ctx: Context):
    for p in ctx.plan.priorities:
        if not re.match(r"\s*chang", p.answer("direction"), re.IGNORECASE):  # "Change direction", "Changing"
            continue
        narrative = p.answer("direction_rationale")  # its own field: the themes elsewhere are not the narrative
        if len(narrative.split()) < NARRATIVE_WORDS or not re.search(r"\d", narrative):
            yield Hit(f"p{p.number}.direction_rationale", {"quote": quote(narrative) if narrative else ""},
                      prefix=ctx.prefix(p))


@check("role-clarity-levels")
def role_clarity_levels(ctx: Context):
    for p in ctx.plan.priorities:
        for key, level in ROLE_LEVELS:
            if ctx.has_field(key) and not p.answer(key):
                yield Hit(f"p{p.number}.{key}", {"level": level, "statement": quote(p.answer("statement"))},
                          prefix=ctx.prefix(p))


@check("role-clarity-less-is-more")
def role_clarity_less_is_more(ctx: Context):
    for p in ctx.plan.priorities:
        for key, level in ROLE_LEVELS:
            count = items_in(p.answer(key))
            if count > MANY_ACTIONS:
                yield Hit(f"p{p.number}.{key}", {"level": level, "count": count, "quote": quote(p.answer(key), 8)},
                          prefix=ctx.prefix(p))


# --- the plan as a whole ---------------------------------------------------------------------


@check("at-most-two-priorities")
def at_most_two_priorities(ctx: Context):
    if len(ctx.plan.priorities) > 2:
        yield Hit("", {"count": len(ctx.plan.priorities)})


def required_answers_of(ctx: Context) -> list[tuple]:
    """Return (section, field, Plan.where key, answer, prefix) for every required prompt of every priority.

    Found once per plan: three rules read them.
    """
    if ctx.required is None:
        ctx.required = list(_required_answers(ctx))
    return ctx.required


def _required_answers(ctx: Context):
    for section in ctx.variant.sections:
        for f in section.fields:
            if not f.required:
                continue
            if section.scope == "district":
                yield section, f, f"answers.{f.key}", ctx.plan.answer(f.key), ""
            else:
                for p in ctx.plan.priorities:
                    yield section, f, f"p{p.number}.{f.key}", p.answer(f.key), ctx.prefix(p)


def first_line(ctx: Context, f) -> str:
    return ctx.variant.text(f.label).split("\n")[0]


@check("required-answers")
def required_answers(ctx: Context):
    for section, f, at, value, prefix in required_answers_of(ctx):
        if not value and f.key not in ctx.covered:
            yield Hit(at, {"label": first_line(ctx, f)}, section=section.id, prefix=prefix)


@check("placeholder-answers")
def placeholder_answers(ctx: Context):
    for section, f, at, value, prefix in required_answers_of(ctx):  # "N/A" can fairly answer an optional prompt
        if not ctx.identified() and "identified" in ctx.variant.text(f.label):
            continue  # "N/A: no school is identified" answers a prompt about identified schools
        found = placeholder(value) if value else ""
        if found:  # "N/A - we did not use DESE supports this year" explains itself: whether it answers is a judgement
            explained = found.casefold().replace("/", "") == "na" and len(value.split()) >= EXPLAINED_WORDS
            yield Hit(at, {"label": first_line(ctx, f), "text": f"'{quote(value, 8)}'", "placeholder": found,
                           "short": quote(first_line(ctx, f), 7)},
                      section=section.id, prefix=prefix, severity="warning" if explained else "")
