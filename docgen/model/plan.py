"""The plan: plain dataclasses between the readers (workbook) and the writers (builders).

Readers validate and normalise; writers trust what they get. Text values are
clean strings (no control characters); an unanswered prompt is ``""``.
Narrative and choice answers live in ``answers`` dicts keyed by the variant
spec's field keys, so a new year's prompts need no new model code.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

REQUIRING_ASSISTANCE = (
    "In need of focused/targeted support",
    "In need of broad/comprehensive support",
    "Underperforming",
    "Chronically underperforming",
)


@dataclass
class District:
    name: str = ""
    org_code: str = ""
    date: str = ""
    school_year: str = ""
    superintendent: str = ""
    contact_name: str = ""
    contact_email: str = ""


@dataclass
class School:
    name: str = ""
    org_code: str = ""
    grades: str = ""
    category: str = ""
    iag: str = ""  # "Yes" when the school applies for the Intensive Assistance Grant
    plan_link: str = ""
    reason: str = ""  # why DESE identified it ("Low-performing student groups: English learners"); old plans lack it

    @property
    def requires_assistance(self) -> bool:
        """Return True when the school's category is one of those requiring assistance or intervention."""
        return self.category in REQUIRING_ASSISTANCE


@dataclass
class Curriculum:
    """A subject and grade span whose curriculum is not yet high quality."""

    subject: str = ""
    grades: str = ""
    status: str = ""
    description: str = ""


@dataclass
class OutcomeTarget:
    measure: str = ""
    student_group: str = ""
    school: str = ""
    baseline: str = ""
    target: str = ""
    accountability: str = ""


@dataclass
class Benchmark:
    benchmark: str = ""
    level: str = ""
    monitored_by: str = ""
    frequency: str = ""
    on_track: str = ""


@dataclass
class TargetedSupport:
    school: str = ""
    actions: str = ""


STATUSES = ("On track", "Not yet", "Off track")


@dataclass
class CheckIn:
    """What a district's data showed on one interim benchmark on one date, through the plan year.

    A check-in belongs to the plan year, not to the plan: recording one never
    changes the submitted plan. ``benchmark`` counts from 1 within its priority.
    """

    priority: int = 1
    benchmark: int = 1
    date: str = ""
    value: str = ""  # what the data showed, as typed ("58%", "4 of 6 teams")
    status: str = ""  # one of STATUSES
    note: str = ""  # what the district will adjust


@dataclass
class Priority:
    number: int
    answers: dict[str, str] = field(default_factory=dict)
    outcomes: list[OutcomeTarget] = field(default_factory=list)
    benchmarks: list[Benchmark] = field(default_factory=list)
    targeted_support: list[TargetedSupport] = field(default_factory=list)

    def answer(self, key: str) -> str:
        """Return the answer for ``key``, or "" when it was left blank."""
        return self.answers.get(key, "")


@dataclass
class SectionReview:
    """A consultant's comments on one section of the plan."""

    strengths: str = ""
    refinements: str = ""
    next_steps: str = ""


@dataclass
class Review:
    """The SSoS consultant's review, from the workbook's review sheet; the plan documents ignore it."""

    consultant_name: str = ""
    consultant_title: str = ""
    region: str = ""
    review_date: str = ""
    summary: str = ""
    sections: dict[str, SectionReview] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """Return True when the consultant has written nothing yet."""
        texts = [self.consultant_name, self.summary, *(v for s in self.sections.values() for v in vars(s).values())]
        return not any(texts)


@dataclass
class Plan:
    variant: str
    district: District = field(default_factory=District)
    schools: list[School] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    curricula: list[Curriculum] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    review: Review | None = None
    checkins: list[CheckIn] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)
    """Where each value came from ("sheet 'Priority 1', cell C7"), keyed like ``p1.statement``."""

    def answer(self, key: str) -> str:
        """Return the district-level answer for ``key``, or "" when it was left blank."""
        return self.answers.get(key, "")

    def school(self, name: str) -> School | None:
        """Return the listed school called ``name`` (ignoring case and spacing), or None."""
        wanted = " ".join(name.split()).casefold()
        return next((s for s in self.schools if " ".join(s.name.split()).casefold() == wanted), None)

    def school_summary(self, name: str) -> str:
        """Return a school's name with its category and linked plan on the lines below, for table cells."""
        school = self.school(name)
        if school is None:
            return name
        return "\n".join([name, *(x for x in (school.category, school.plan_link) if x)])


# Each repeating table's row type, keyed by the attribute that holds its rows
# (on Plan for district tables, on Priority for priority tables).
TABLE_ROWS = {
    "schools": School,
    "curricula": Curriculum,
    "outcomes": OutcomeTarget,
    "benchmarks": Benchmark,
    "targeted_support": TargetedSupport,
}
PRIORITY_TABLES = ("outcomes", "benchmarks", "targeted_support")


def field_names(cls) -> tuple[str, ...]:
    """Return the names of a row or District dataclass's fields, in order."""
    return tuple(f.name for f in fields(cls))


def plan_from_dict(data: dict, variant: str) -> Plan:
    """Return a Plan from plain data (the shape of a variant's example.yaml)."""
    plan = Plan(variant=variant, district=District(**data.get("district", {})))
    plan.answers = {k: str(v) for k, v in data.get("answers", {}).items()}
    plan.schools = [School(**row) for row in data.get("schools", [])]
    plan.curricula = [Curriculum(**row) for row in data.get("curricula", [])]
    for number, pdata in enumerate(data.get("priorities", []), start=1):
        priority = Priority(number=number, answers={k: str(v) for k, v in pdata.get("answers", {}).items()})
        for table in PRIORITY_TABLES:
            setattr(priority, table, [TABLE_ROWS[table](**row) for row in pdata.get(table, [])])
        plan.priorities.append(priority)
    plan.checkins = [CheckIn(**row) for row in data.get("checkins", [])]
    if "review" in data:
        raw = dict(data["review"])
        sections = {k: SectionReview(**v) for k, v in raw.pop("sections", {}).items()}
        plan.review = Review(**{k: str(v) for k, v in raw.items()}, sections=sections)
    return plan


def plan_to_dict(plan: Plan) -> dict:
    """Return a Plan as plain data (the shape plan_from_dict reads), without where its values came from."""
    data = {
        "district": dict(vars(plan.district)),
        "answers": dict(plan.answers),
        "schools": [dict(vars(s)) for s in plan.schools],
        "curricula": [dict(vars(c)) for c in plan.curricula],
        "priorities": [{"answers": dict(p.answers),
                        **{t: [dict(vars(r)) for r in getattr(p, t)] for t in PRIORITY_TABLES}}
                       for p in plan.priorities],
    }
    if plan.checkins:
        data["checkins"] = [dict(vars(c)) for c in plan.checkins]
    if plan.review is not None:
        data["review"] = {**{k: v for k, v in vars(plan.review).items() if k != "sections"},
                          "sections": {k: dict(vars(v)) for k, v in plan.review.sections.items()}}
    return data
