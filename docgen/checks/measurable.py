"""Checks that a plan is specific and measurable: targets with numbers and baselines, precise midyear
benchmarks on a real cadence, owners who are people, no placeholder in any table cell, a plan dated in
its planning window, and the counts the guidance advises (2-3 headlines, one priority per statement).

An error here is certain (a target with no number, a blank midyear column, "TBD" as who monitors);
where the check judges wording (a vague cadence, a midyear standard with no number), it warns.
"""

from __future__ import annotations

import re
from functools import lru_cache

from docgen.checks.facts import read_text
from docgen.checks.rules import Context, Hit, check, first_line, required_answers_of, same_group
from docgen.checks.words import groups_in, items_in, numbered_items, own_groups_in, placeholder, quote
from docgen.model import values

QUANTITY = re.compile(r"\b(double|doubled|twice|all|every|none|each|no)\b", re.IGNORECASE)
# A midyear standard that says only that things go well: "all students are making progress".
VAGUE_STANDARD = re.compile(r"\b(progress\w*|improv\w*|growth|grow\w*|better|increas\w*|gains?|on track|"
                            r"successful\w*|effective\w*|consistent\w*|fidelity|engag\w*|strong\w*|meaningful\w*|"
                            r"appropriate\w*|good|well|understand\w*|aware\w*|comfortable|familiar)\b", re.IGNORECASE)
NO_BASELINE_SAID = re.compile(r"baseline|new (measure|assessment|survey|tool)|first (year|administration|time)|"
                              r"not yet|no prior|set in|established in", re.IGNORECASE)
OBSERVABLE_WORDS = 5  # "every co-taught pair plans each unit" says what is seen; "All students" does not
LATE_MONTHS = {4, 5, 6, 7, 8}
LATE_ONCE = re.compile(r"\s*(spring|april|may|june|eoy|end of (the )?(school )?year)\s*\.?", re.IGNORECASE)
MIDYEAR = re.compile(r"mid-?year|\bmoy\b|midpoint|winter", re.IGNORECASE)
# A target measured against a number the plan does not restate ("meet the state average"): asked, not refused.
REFERENCE = re.compile(r"\bstate\b|statewide|\bdese\b|accountability|typical growth|stretch growth|comparable|"
                       r"\bpeers?\b|national", re.IGNORECASE)
FROM_TO = re.compile(r"\bfrom\s+\S*\d", re.IGNORECASE)
VAGUE_CADENCE = re.compile(r"^\s*(ongoing|on-going|as needed|as-needed|regularly|periodically|throughout the year|"
                           r"continuous(ly)?|when needed|as appropriate|varies|flexible|tbd|n/?a)\s*\.?\s*$",
                           re.IGNORECASE)
CADENCE = re.compile(r"daily|week|month|quarter|annual|year|semester|trimester|term|cycle|unit|window|round|"
                     r"biweekly|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|fall|winter|spring|"
                     r"boy|moy|eoy|every \w+ (days|weeks|months)", re.IGNORECASE)
parse_date = lru_cache(maxsize=256)(values.parse_date)  # the spec's dates are read for every plan
SEVERAL_PRIORITIES = re.compile(r"\b(two|three|four|five|six|seven|several|multiple|[2-9])\s+(instructional\s+|key\s+"
                                r"|district\s+)?priorities\b", re.IGNORECASE)
MANY_HEADLINES = 3
STUDENT_LEARNING = re.compile(r"\b(assessments?|scores?|scoring|proficien\w*|screener|diagnostic|dibels|i-ready|"
                              r"iready|mcas|map growth|at or above|reading levels?|attendance|absen\w*|growth|"
                              r"achievement|exit tickets?|work samples?|writing samples?|students? "
                              r"(complete|completing|meet|meeting|read|reading|score|pass|show|demonstrate|discuss|explain|write)\w*|"
                              r"credits?|on-track|grades? of|course pass\w*|survey)\b", re.IGNORECASE)
ADULT_PRACTICE = re.compile(r"\b(teachers?|teams?|coach\w*|principals?|educators?|leaders?|planning|plans?|"
                            r"observ\w*|learning walks?|lessons?|routines?|schedul\w*|meetings?|feedback|pd|"
                            r"professional|co-?teach\w*|classrooms? (use|show)|instruction)\b", re.IGNORECASE)


def _outcome_rows(ctx: Context):
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.outcomes):
            yield p, i, row


@check("target-number")
def target_number(ctx: Context):
    """A target says how much: "Improve", "increase reading" or "narrow the gap by 2027-28" is a direction.

    Years, dates and grades are facts of their own kinds, so "By the end of the 2027-28 school year" holds no
    number; "every student" and "half" say how much.
    """
    for p, i, row in _outcome_rows(ctx):
        typed = row.target.strip()
        facts = ctx.fact(f"p{p.number}.outcomes[{i}].target")
        if typed and not placeholder(typed) and not facts.numbers and not QUANTITY.search(typed):
            yield Hit(f"p{p.number}.outcomes[{i}].target", {"n": i + 1, "target": quote(typed, 8),
                                                           "measure": quote(row.measure, 10),
                                                           "year_only": bool(facts.when),
                                                           "reference": bool(REFERENCE.search(typed))},
                      prefix=ctx.prefix(p), severity="warning" if REFERENCE.search(typed) else "")


@check("target-baseline")
def target_baseline(ctx: Context):
    if not ctx.has_column("outcomes", "baseline"):
        return
    for p, i, row in _outcome_rows(ctx):
        said = " ".join((row.measure, row.target))
        target = ctx.fact(f"p{p.number}.outcomes[{i}].target")
        measure = ctx.fact(f"p{p.number}.outcomes[{i}].measure")
        if len([n for n in target.numbers if n.kind != "count"]) >= 2 or FROM_TO.search(said) or \
                any(n.kind == "percentage" for n in measure.numbers) and measure.when:
            continue  # "from 39% to 43%", "MCAS ELA (2024: 31%)": the baseline is in another cell
        if row.target and row.measure and not row.baseline.strip() and not NO_BASELINE_SAID.search(said):
            yield Hit(f"p{p.number}.outcomes[{i}].baseline", {"n": i + 1, "measure": quote(row.measure, 10),
                                                             "target": quote(row.target, 8)}, prefix=ctx.prefix(p))


@check("benchmark-on-track")
def benchmark_on_track(ctx: Context):
    if not ctx.has_column("benchmarks", "on_track"):
        return
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.benchmarks):
            if row.benchmark and not row.on_track.strip():
                said = ctx.fact(f"p{p.number}.benchmarks[{i}].benchmark")
                if said.numbers and (said.when or MIDYEAR.search(row.benchmark)):
                    continue  # "By January, 80% of lessons ...": the midyear standard is in the benchmark's cell
                yield Hit(f"p{p.number}.benchmarks[{i}].on_track", {"n": i + 1, "benchmark": quote(row.benchmark)},
                          prefix=ctx.prefix(p), severity="warning" if said.numbers else "")


def _imprecise(ctx: Context, at: str, typed: str) -> bool:
    """Return True when a midyear standard gives no number (years, dates and grades are not numbers) and either
    no quantifier ("every", "none") or only a vague one ("all students are making progress")."""
    if not typed.strip() or placeholder(typed):
        return False
    facts = ctx.fact(at)
    if facts.numbers:
        return False
    observable = len(typed.split()) >= OBSERVABLE_WORDS  # "All students" names who, not what will be seen
    return not facts.quantifiers or not observable or bool(VAGUE_STANDARD.search(typed))


@check("on-track-precise")
def on_track_precise(ctx: Context):
    """A midyear standard with no number, or only "all" of something vague, is hard to call on track: a warning.

    One finding per priority, naming every such benchmark: a consultant writes this comment once.
    """
    for p in ctx.plan.priorities:
        vague = [i for i, row in enumerate(p.benchmarks)
                 if _imprecise(ctx, f"p{p.number}.benchmarks[{i}].on_track", row.on_track)]
        if vague:
            first = p.benchmarks[vague[0]]
            others = [str(i + 1) for i in vague[1:]]
            yield Hit(f"p{p.number}.benchmarks[{vague[0]}].on_track",
                      {"n": vague[0] + 1, "on_track": quote(first.on_track), "benchmark": quote(first.benchmark),
                       "more": ", ".join(others[:-1]) + (" and " if len(others) > 1 else "") + (others[-1] if others
                                                                                                else "")},
                      through=f"p{p.number}.benchmarks[{vague[-1]}].on_track", prefix=ctx.prefix(p))


@check("benchmark-cadence")
def benchmark_cadence(ctx: Context):
    frequencies = ctx.variant.lists.get("frequency")
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.benchmarks):
            typed = row.frequency.strip()
            rhythm = ctx.fact(f"p{p.number}.benchmarks[{i}].frequency")
            late = rhythm.per_year == 1 and all(w.month in LATE_MONTHS for w in read_text(typed).when) and \
                bool(read_text(typed).when) or LATE_ONCE.fullmatch(typed)
            yearly = rhythm.cadence == "annually" or bool(late)  # an interim benchmark is read during the year
            if not typed or (frequencies and frequencies.meant(typed) and not yearly):
                continue
            if yearly or VAGUE_CADENCE.match(typed) or not CADENCE.search(typed):
                yield Hit(f"p{p.number}.benchmarks[{i}].frequency", {"n": i + 1, "frequency": typed,
                                                                    "benchmark": quote(row.benchmark),
                                                                    "yearly": yearly}, prefix=ctx.prefix(p))


def _rows(ctx: Context):
    """Yield (Plan.where key of the row, table spec, row, prefix) for every row of every table."""
    for key, table in ctx.variant.tables.items():
        owners = [(ctx.plan, "", "")] if table.scope == "district" else \
            [(p, f"p{p.number}.", ctx.prefix(p)) for p in ctx.plan.priorities]
        for owner, head, prefix in owners:
            for i, row in enumerate(getattr(owner, key, [])):
                yield f"{head}{key}[{i}]", table, row, prefix


SKIPPED_COLUMNS = ("plan_link",)  # the plan-link rules say it better
CHOICE_LISTS = ("yes_no", "level")  # a choice among a few: "N/A" chooses, it holds nothing's place
NOT_APPLICABLE = re.compile(r"^\s*(n/?a|none|not applicable)\s*\.?\s*$", re.IGNORECASE)  # a new measure, perhaps
SAYS_WHY = re.compile(r"^\s*\S+\s*[.!]?\s*$")


@check("hollow-cells")
def hollow_cells(ctx: Context):
    """A placeholder in any table cell ("TBD" monitors it, "See attached" as the actions) answers nothing."""
    sections = {part.table: s.id for s in ctx.variant.sections for part in s.parts if part.table}
    for at, table, row, prefix in _rows(ctx):
        for number, column in enumerate(table.columns):
            value = getattr(row, column.key, "")
            choice = column.list in CHOICE_LISTS  # "N/A" as an Accountability answer means no
            found = placeholder(value) if value and column.key not in SKIPPED_COLUMNS and not choice else ""
            if not found or (column.key == "frequency" and VAGUE_CADENCE.match(value)):
                continue  # the cadence rule says "ongoing" better
            if column.key in ("baseline", "target") and not SAYS_WHY.match(value):
                continue  # "N/A (new measure in 2025-26)" says why there is no baseline
            about = getattr(row, table.columns[0].key) if number else ""
            index = at.rsplit("[", 1)[1].rstrip("]")
            yield Hit(f"{at}.{column.key}", {"table": table.title.lower(), "column": ctx.variant.text(column.header),
                                             "text": quote(value, 8), "row": int(index) + 1,
                                             "about": quote(about, 10) if about else f"row {int(index) + 1}"},
                      section=sections.get(table.key, "general"), prefix=prefix,
                      severity="warning" if column.key == "baseline" and NOT_APPLICABLE.match(value) else "")


@check("targeted-actions")
def targeted_actions(ctx: Context):
    for p in ctx.plan.priorities:
        for i, row in enumerate(p.targeted_support):
            if row.school.strip() and not row.actions.strip():
                yield Hit(f"p{p.number}.targeted_support[{i}].actions", {"school": row.school.strip()},
                          prefix=ctx.prefix(p))


@check("plan-date-window")
def plan_date_window(ctx: Context):
    """The plan is dated after the guidance came out and before the school year it plans for ends."""
    typed = ctx.plan.district.date.strip()
    start = parse_date(ctx.variant.values.get("guidance_date", ""))
    end = parse_date(ctx.variant.values.get("school_year_ends", ""))
    when = parse_date(typed) if typed else None
    if when and start and end and not start <= when <= end:
        yield Hit("district.date", {"typed": typed, "start": ctx.variant.values["guidance_date"],
                                    "end": ctx.variant.values["school_year_ends"], "early": when < start})


@check("one-priority-per-statement")
def one_priority_per_statement(ctx: Context):
    for p in ctx.plan.priorities:
        statement = p.answer("statement")
        several = SEVERAL_PRIORITIES.search(statement)
        if several or numbered_items(statement) >= 2:
            yield Hit(f"p{p.number}.statement", {"quote": several.group(0) if several else quote(statement),
                                                  "numbered": not several}, prefix=ctx.prefix(p))


@check("headline-count")
def headline_count(ctx: Context):
    if not ctx.has_field("systemic_headlines"):
        return
    for p in ctx.plan.priorities:
        answer = p.answer("systemic_headlines")
        count = items_in(answer)
        if count > MANY_HEADLINES or (count == 1 and answer and not placeholder(answer)):
            yield Hit(f"p{p.number}.systemic_headlines", {"count": count,
                                                          "quote": quote(p.answer("systemic_headlines"), 8)},
                      prefix=ctx.prefix(p))


@check("one-system-prioritized")
def one_system_prioritized(ctx: Context):
    if not ctx.has_field("systemic_priority"):
        return
    for p in ctx.plan.priorities:
        answer = p.answer("systemic_priority")
        if numbered_items(answer) >= 2 or items_in(answer) >= 2 and answer.lstrip().startswith(("-", "*", "•")):
            yield Hit(f"p{p.number}.systemic_priority", {"quote": quote(answer, 8)}, prefix=ctx.prefix(p))


@check("subject-measures")
def subject_measures(ctx: Context):
    """A priority measured by another subject's targets (ELA by math, math by science) may not show its own
    progress: asked once per priority, about all its targets or about the first that measures another subject.
    Subjects are read by the resolver: "Mathematics", "Math" and "numeracy" are one subject."""
    for p in ctx.plan.priorities:
        own = set(ctx.fact(f"p{p.number}.subject").subjects)
        named = [(i, r.measure, set(ctx.fact(f"p{p.number}.outcomes[{i}].measure").named_subjects))
                 for i, r in enumerate(p.outcomes) if r.measure]
        other = [(i, measure) for i, measure, subjects in named if subjects and not subjects & own]
        if not own or not other:
            continue
        none = not any(subjects & own for _, _, subjects in named)
        i, measure = other[0]
        yield Hit(f"p{p.number}.outcomes" if none else f"p{p.number}.outcomes[{i}].measure",
                  {"subject": p.answer("subject"), "measure": quote(measure, 10), "none": none},
                  prefix=ctx.prefix(p))


@check("benchmark-kinds")
def benchmark_kinds(ctx: Context):
    """Monitoring watches both what adults do and what students learn."""
    for p in ctx.plan.priorities:
        texts = [r.benchmark + " " + r.on_track for r in p.benchmarks if r.benchmark]
        if len(texts) < 2:
            continue
        missing = [kind for kind, words in (("adult practice", ADULT_PRACTICE), ("student learning", STUDENT_LEARNING))
                   if not any(words.search(t) for t in texts)]
        for kind in missing:
            yield Hit(f"p{p.number}.benchmarks", {"kind": kind, "first": quote(p.benchmarks[0].benchmark)},
                      prefix=ctx.prefix(p))


@check("own-group-target")
def own_group_target(ctx: Context):
    """A group the district named itself ("Grade 3 readers") with no target row that names it: a warning."""
    for p in ctx.plan.priorities:
        for group in own_groups_in(p.answer("student_groups")):
            if not groups_in(group) and not any(same_group(r.student_group, group) or group.casefold() in
                                                r.measure.casefold() for r in p.outcomes):
                yield Hit(f"p{p.number}.outcomes", {"group": group}, prefix=ctx.prefix(p))


@check("short-answer")
def short_answer(ctx: Context):
    """An answer far shorter than its prompt asks (the field's min_words in spec.yaml) is a warning."""
    for section, f, at, value, prefix in required_answers_of(ctx):
        if not f.min_words or not value or value.count(" ") >= f.min_words:  # enough spaces: enough words
            continue
        words = len(value.split())
        if words < f.min_words and not placeholder(value):
            yield Hit(at, {"label": first_line(ctx, f), "words": words, "quote": quote(value, 10)},
                      section=section.id, prefix=prefix)


STUDENT_VOICE = re.compile(r"\b(students?|youth|pupils?|scholars)\b(?!\s+with\s+(disabilities|ieps?))", re.IGNORECASE)
LINK = re.compile(r"https?://|www\.|\w\.(org|gov|net|com|edu|us)\b|sharepoint|drive\.google", re.IGNORECASE)


@check("stakeholder-students")
def stakeholder_students(ctx: Context):
    """The tip asks districts to talk with a handful of students; an engagement section that never mentions them."""
    keys = ("stakeholder_input", "stakeholder_identified_schools", "stakeholder_ongoing")
    for p in ctx.plan.priorities:
        said = " ".join(p.answer(k) for k in keys)
        if said.strip() and not STUDENT_VOICE.search(said.replace("families of students", "")):
            yield Hit(f"p{p.number}.stakeholder_input", {"quote": quote(p.answer("stakeholder_input"), 10)},
                      prefix=ctx.prefix(p))


@check("plan-link-not-a-link")
def plan_link_not_a_link(ctx: Context):
    """A school plan "link" that is a file name or a note, not an address, cannot be followed by a reader."""
    for i, school in enumerate(ctx.plan.schools):
        typed = school.plan_link.strip()
        if typed and not placeholder(typed) and not LINK.search(typed):
            yield Hit(f"schools[{i}].plan_link", {"school": school.name, "typed": typed})


@check("focus-group-all-students")
def focus_group_all_students(ctx: Context):
    """"All students" as the only group names no group the priority is for; the guidance asks which ones."""
    for p in ctx.plan.priorities:
        typed = p.answer("student_groups")
        if typed and groups_in(typed) == ["All students"] and not own_groups_in(typed):
            yield Hit(f"p{p.number}.student_groups", {"typed": typed.strip()}, prefix=ctx.prefix(p))
