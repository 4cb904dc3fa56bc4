"""The plan as a web form, generated from the variant spec: sections in document order, fields, tables.

Nothing here is written per year: a new variant folder gives a new form. Each
field's name is its place in the plan (``p1.statement``,
``p1.benchmarks[0].level``), which sources.plan_edits reads back, and each
finding of check is placed beside the field or table it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docgen.checks import Finding
from docgen.model.plan import Plan
from docgen.read.layout import field_label
from docgen.read.plan_edits import date_input_value
from docgen.variants import SectionSpec, TableSpec, Variant


def field_id(name: str) -> str:
    """Return the HTML id of a field, table or row named like a Plan.where key.

    "p1.benchmarks[0]" -> "f-p1-benchmarks-0".
    """
    return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


@dataclass
class FormField:
    name: str
    label: str
    kind: str  # text, line, grades, choice, date, email
    value: str
    choices: tuple[str, ...] = ()
    strict: bool = True
    required: bool = False
    findings: list[Finding] = field(default_factory=list)

    @property
    def id(self) -> str:
        return field_id(self.name)

    @property
    def input_value(self) -> str:
        return date_input_value(self.value) if self.kind == "date" else self.value


@dataclass
class FormTable:
    name: str  # "p1.benchmarks" or "schools"
    key: str
    number: int | None
    title: str
    help: str
    headers: list[str]
    rows: list[list[FormField]]
    findings: list[Finding] = field(default_factory=list)

    @property
    def id(self) -> str:
        return field_id(self.name)


@dataclass
class FormPart:
    prompt: str
    bullets: list[str]
    notes: list[str]
    tips: list[str]
    fields: list[FormField]
    table: FormTable | None = None


@dataclass
class FormSection:
    id: str
    heading: str
    prompt: str
    bullets: list[str]
    notes: list[str]
    tips: list[str]
    parts: list[FormPart]
    after: list[str]
    findings: list[Finding] = field(default_factory=list)
    spec_id: str = ""  # the spec's section ("monitoring") of this form section ("p1-monitoring")


@dataclass
class FormGroup:
    """A run of sections under one heading: the district, or one priority."""

    id: str
    heading: str
    sections: list[FormSection]
    number: int | None = None


def section_title(variant: Variant, section_id: str) -> str:
    """Return a form section's heading for people: "p1-monitoring" -> "6. Monitoring Implementation (Priority #1)"."""
    number, _, spec_id = section_id.partition("-") if re.fullmatch(r"p\d-.+", section_id) else ("", "", section_id)
    spec = next((s for s in variant.sections if s.id == spec_id), None)
    if spec is None:
        return variant.district_title if section_id == "district" else section_id
    heading = variant.text(spec.heading)
    return f"{heading} (Priority #{number[1:]})" if number else heading


def groups(variant: Variant, plan: Plan, findings: list[Finding]) -> list[FormGroup]:
    """Return the plan's form in document order: about the district, district sections, then each priority."""
    builder = _Builder(variant, plan, findings)
    return builder.groups()


class _Builder:
    def __init__(self, variant: Variant, plan: Plan, findings: list[Finding]):
        self.v, self.plan, self.findings = variant, plan, findings

    def t(self, source: str, number: int = 1) -> str:
        return self.v.text(source, district=self.plan.district.name, number=number)

    def about(self, at: str) -> list[Finding]:
        return [f for f in self.findings if f.at == at]

    def groups(self) -> list[FormGroup]:
        district = FormSection(
            id="district", heading=self.t(self.v.district_title), prompt="", bullets=[], notes=[], tips=[],
            parts=[FormPart("", [], [], [], [self.field(f"district.{f.key}", f, getattr(self.plan.district, f.key))
                                             for f in self.v.district_fields])], after=[], spec_id="district")
        if "schools" in self.v.tables:
            district.parts.append(FormPart("", [], [], [], [], self.table(self.v.tables["schools"], None)))
        first = FormGroup("about", "",  # the district's own section heads it: no banner above
                          [district, *(self.section(s, None) for s in self.v.sections_in("district"))])
        result = [first]
        for priority in self.plan.priorities:
            n = priority.number
            result.append(FormGroup(f"priority-{n}", self.t(self.v.priority_heading, n),
                                    [self.section(s, n) for s in self.v.sections_in("priority")], n))
        return result

    def section(self, spec: SectionSpec, number: int | None) -> FormSection:
        n = number or 1
        prompt = self.t(spec.prompt, n) if spec.prompt and spec.prompt != spec.heading else ""
        parts = []
        for part in spec.parts:
            answers = self.plan.answers if number is None else self.plan.priorities[number - 1].answers
            prefix = "answers" if number is None else f"p{number}"
            fields = [self.field(f"{prefix}.{f.key}", f, answers.get(f.key, ""), n) for f in part.fields]
            table = self.table(self.v.tables[part.table], number) if part.table else None
            parts.append(FormPart(self.t(part.prompt, n) if part.prompt else "", [self.t(b, n) for b in part.bullets],
                                  [self.t(x, n) for x in part.notes], [self.t(x, n) for x in part.tips], fields, table))
        section_id = spec.id if number is None else f"p{number}-{spec.id}"
        general = [f for f in self.findings if f.section == spec.id and not f.at
                   and (number is None or f.message.startswith(f"Priority #{number}:")
                        or len(self.plan.priorities) == 1)]
        return FormSection(section_id, self.t(spec.heading, n), prompt, [self.t(b, n) for b in spec.bullets],
                           [self.t(x, n) for x in spec.notes], [self.t(x, n) for x in spec.tips], parts,
                           [self.t(x, n) for x in spec.after], general, spec.id)

    def field(self, name: str, spec, value: str, number: int = 1) -> FormField:
        choices = self.v.lists[spec.list] if spec.list else None
        label = field_label(self.v, spec, number).removesuffix(" (optional)") if hasattr(spec, "label") \
            else self.t(spec.header)
        return FormField(name, label, getattr(spec, "kind", "text") if not choices else "choice", value,
                         choices.values if choices else (), choices.strict if choices else True,
                         getattr(spec, "required", False), self.about(name))

    def table(self, spec: TableSpec, number: int | None) -> FormTable:
        owner = self.plan if number is None else self.plan.priorities[number - 1]
        name = spec.key if number is None else f"p{number}.{spec.key}"
        rows = [[self.field(f"{name}[{i}].{c.key}", c, getattr(row, c.key)) for c in spec.columns]
                for i, row in enumerate(getattr(owner, spec.key))]
        found = [f for f in self.findings if f.at == name or f.at.startswith(f"{name}[")]
        return FormTable(name, spec.key, number, self.t(spec.title), spec.help,
                         [self.t(c.header) for c in spec.columns], rows, found)
