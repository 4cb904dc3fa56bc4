"""Check a plan against the guidance: rules as data (templates/checks/rules.yaml) plus small checks.

``check(plan, variant)`` returns findings grouped by section in document
order, errors first. The same findings drive ``docgen check`` (for districts)
and the consultant's feedback letter. The checks read the plan as facts
(``facts.py``: numbers by kind, dates by school year, grades, names resolved by
``resolve.py``) and hold them against each other across sections; a finding
that rests on a reading rather than a certainty is a warning.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache

import jinja2
import yaml

from docgen import variants
from docgen.checks import agreement, coverage, engagement, evidence, focus, identity, measurable, rules  # noqa: F401  (registers)
from docgen.errors import TemplateError
from docgen.model.plan import Plan
from docgen.variants import Variant

RULES_FILE = "checks/rules.yaml"
SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    section: str
    guidance: str
    message: str
    advice: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One thing a plan does not do that the guidance asks for."""

    rule: str
    severity: str
    section: str
    section_title: str
    message: str
    location: str
    guidance: str
    advice: str
    at: str = ""  # what it is about, as a key of Plan.where ("p1.benchmarks[0]"): the web form links to that field

    def as_dict(self) -> dict:
        return asdict(self)


@cache
def load_rules() -> dict[str, Rule]:
    """Return the rules in templates/checks/rules.yaml, checked against the registered checks."""
    path = variants.templates_dir() / RULES_FILE
    shown = f"templates/{RULES_FILE}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise TemplateError(shown, f"not valid YAML: {exc.problem}", line=mark.line + 1 if mark else None) from None
    result = {}
    for rule_id, data in raw.items():
        if rule_id not in rules.CHECKS:
            raise TemplateError(shown, f"rule '{rule_id}' has no check in docgen/checks/rules.py", key=rule_id)
        try:
            rule = Rule(id=rule_id, fields=tuple(data.pop("fields", ())), **data)
        except TypeError as exc:
            raise TemplateError(shown, f"rule '{rule_id}': {exc}", key=rule_id) from None
        if rule.severity not in SEVERITIES:
            raise TemplateError(shown, f"severity must be error or warning, got '{rule.severity}'", key=rule_id)
        result[rule_id] = rule
    missing = set(rules.CHECKS) - set(result)
    if missing:
        raise TemplateError(shown, f"no wording for the check(s): {', '.join(sorted(missing))}")
    return result


def check(plan: Plan, variant: Variant) -> list[Finding]:
    """Return every finding for ``plan``, grouped by section in document order, errors first."""
    all_rules = load_rules()
    covered = {key for rule in all_rules.values() for key in rule.fields}
    context = rules.Context(plan, variant, covered)
    titles = {"general": "The plan as a whole", **{s.id: variant.text(s.heading) for s in variant.sections}}
    order = ["general", *(s.id for s in variant.sections)]
    findings = []
    for rule_id, check in rules.CHECKS.items():
        rule = all_rules[rule_id]
        for hit in check(context):
            section = hit.section or rule.section
            values = {**hit.values, "variant": variant.id}
            findings.append(Finding(
                rule=rule.id,
                severity=hit.severity or rule.severity,
                section=section,
                section_title=titles.get(section, section),
                message=hit.prefix + _render(rule, "message", values),
                location=_location(plan.where, hit.at, hit.through),
                guidance=rule.guidance,
                advice=hit.prefix + _render(rule, "advice", values),
                at=hit.at,
            ))
    findings.sort(key=lambda f: (order.index(f.section) if f.section in order else len(order),
                                 SEVERITIES.index(f.severity)))
    return findings


def _location(where: dict[str, str], at: str, through: str) -> str:
    """Return where a finding points: one cell, or a run of cells in one column ("sheet 'Monitoring', cells C5:C8")."""
    first = where.get(at, "") if at else ""
    last = where.get(through, "") if through else ""
    head, _, cell = first.rpartition(", cell ")
    last_head, _, last_cell = last.rpartition(", cell ")
    if head and head == last_head and cell != last_cell:
        return f"{head}, cells {cell}:{last_cell}"
    return first


def _render(rule: Rule, part: str, values: dict) -> str:
    try:
        from docgen.text import render

        return render(getattr(rule, part), values)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"templates/{RULES_FILE}", f"{exc}", key=f"{rule.id}.{part}") from None
