"""The DESE supports a letter suggests: the catalogue (templates/letter/resources.yaml) matched to one plan.

A support is suggested when it serves what this plan needs (a rule the
check raised, a section with refinements, the plan's subjects, grades and
student groups), when DESE already offers it on the letter's date, and
while what it offers is still ahead of that date. Each suggestion says
what in this plan it is for, in the plan's own facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

import yaml

from docgen import text, variants
from docgen.checks.words import grade_set, groups_in
from docgen.errors import TemplateError
from docgen.model.letter import Support
from docgen.model.plan import Plan, Priority
from docgen.text import join_words

RESOURCES_FILE = "letter/resources.yaml"
MAX_RESOURCES = 4
MAX_REASONS = 2  # per support: the strongest, so the sentence stays short
NEED_WEIGHTS = {"rule": 3, "section": 2, "trait": 2}
SUBJECT_WORDS = {"math": r"\bmath", "ela": r"\b(ela|english language arts|literacy|reading|writing)\b",
                 "science": r"\bscience\b"}


@dataclass(frozen=True)
class Resource:
    id: str
    name: str
    provider: str
    what: str
    serves: dict[str, str]
    aliases: tuple[str, ...] = ()
    offered: str = ""  # ISO date DESE first offered it; a letter dated before it does not cite it
    ends: str = ""  # ISO date its last session ends; after it, the support is not suggested ...
    after: str = ""  # ... unless what stays available is said here (an institute's published materials)
    subjects: tuple[str, ...] = ()  # only for a plan with a priority in one of these subjects (ela, math, science)
    groups: tuple[str, ...] = ()  # ... for one of these student groups (as DESE names them)
    grades: str = ""  # ... in these grades

    def named_in(self, answers: str, folded: str) -> bool:
        """Return True when the plan's text names this support: its name or an alias, as whole words.

        ``folded`` is ``answers`` casefolded; an alias in capitals (an acronym, "IPI") must appear in capitals.
        """
        for name in (self.name, *self.aliases):
            haystack, wanted = (answers, name) if name.isupper() else (folded, name.casefold())
            start = haystack.find(wanted)  # str.find, then a look at both ends: a regex here is 20 x slower
            while start != -1:
                end = start + len(wanted)
                before = haystack[start - 1] if start else " "
                after = haystack[end] if end < len(haystack) else " "
                if not before.isalnum() and not after.isalnum():
                    return True
                start = haystack.find(wanted, start + 1)
        return False

    def fits(self, priority: Priority) -> bool:
        """Return True when the support is for this priority's subject, groups and grades (or for any)."""
        focus = " ".join(priority.answer(k) for k in ("statement", "subject")).casefold()
        if self.subjects and not any(re.search(SUBJECT_WORDS.get(s, rf"\b{s}\b"), focus) for s in self.subjects):
            return False
        typed = " ".join(priority.answer(k) for k in ("statement", "student_groups"))
        if self.groups and not set(self.groups) & set(groups_in(typed)):
            return False
        wanted, has = grade_set(self.grades), grade_set(priority.answer("grades"))
        return not (wanted and has and not wanted & has)


@cache
def resources() -> tuple[Resource, ...]:
    """Return the catalogue of DESE supports in templates/letter/resources.yaml."""
    path = variants.templates_dir() / RESOURCES_FILE
    shown = f"templates/{RESOURCES_FILE}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return tuple(Resource(id=r["id"], name=r["name"], provider=r["from"], what=r["what"], serves=dict(r["serves"]),
                              aliases=tuple(r.get("aliases", ())), offered=str(r.get("offered", "")),
                              ends=str(r.get("ends", "")), after=r.get("after", ""),
                              subjects=tuple(r.get("for", {}).get("subjects", ())),
                              groups=tuple(r.get("for", {}).get("groups", ())),
                              grades=str(r.get("for", {}).get("grades", ""))) for r in raw)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise TemplateError(shown, f"not valid YAML: {exc.problem}", line=line) from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise TemplateError(shown, f"each resource needs id, name, from, what and serves ({exc})") from None


def available(on: date | None) -> list[Resource]:
    """Return the supports on offer on the letter's date ``on``: not yet offered, or over, is left out
    (an institute that is over is offered as what stays available, its ``after``)."""
    result = []
    for r in resources():
        if on and r.offered and date.fromisoformat(r.offered) > on:
            continue
        if r.ends and on and date.fromisoformat(r.ends) < on:
            if r.after:
                result.append(replace(r, what=r.after, ends=""))
            continue
        result.append(r)
    return result


def traits(plan: Plan) -> dict[str, list[int]]:
    """Return what is true of the plan that a support can serve, each with the priorities it comes from."""
    found: dict[str, list[int]] = {}
    if any(s.requires_assistance for s in plan.schools):
        found["identified-schools"] = []
    if any(s.category == "Underperforming" for s in plan.schools):
        found["underperforming"] = []
    if plan.curricula:
        found["hqim-not-yet"] = []
    if len(plan.priorities) > 1:
        found["two-priorities"] = []
    for p in plan.priorities:
        focus = " ".join(p.answer(k) for k in ("statement", "subject")).casefold()
        groups = groups_in(" ".join(p.answer(k) for k in ("statement", "student_groups")))
        kinds = {"math": bool(re.search(SUBJECT_WORDS["math"], focus)),
                 "ela": bool(re.search(SUBJECT_WORDS["ela"], focus)),
                 "students-with-disabilities": "Students with disabilities" in groups,
                 "english-learners": "English learners and former ELs" in groups}
        kinds["math-students-with-disabilities"] = kinds["math"] and kinds["students-with-disabilities"]
        for kind in (k for k, true in kinds.items() if true):
            found.setdefault(kind, []).append(p.number)
    return found


def plan_text(plan: Plan) -> str:
    """Return every answer of the plan as one text, to see which supports it already names."""
    tables = [value for p in plan.priorities for key in ("targeted_support", "benchmarks", "outcomes")
              for row in getattr(p, key) for value in vars(row).values()]
    return "\n".join([*plan.answers.values(), *(v for p in plan.priorities for v in p.answers.values()), *tables])


def matched(plan: Plan, rules: dict[str, str], sections: dict[str, str], on: date | None, frame,
            anchors: dict[str, str]) -> list[Support]:
    """Return the supports that best serve this plan, each saying what in the plan it is for.

    ``rules`` maps each rule the letter asks about to its section, ``sections``
    each section the letter asks about (or the consultant refines) to its
    title; ``anchors`` names the plan's facts a trait stands for ("Priority #2
    (grades 6-8 mathematics, for students with disabilities)"). A support the
    plan already names (the district attended the institute) is not suggested again.
    """
    plan_traits = traits(plan)
    weights = {f"section:{sid}": NEED_WEIGHTS["section"] for sid in sections}
    weights |= {f"rule:{rule}": NEED_WEIGHTS["rule"] for rule in rules}
    weights |= {f"trait:{trait}": NEED_WEIGHTS["trait"] for trait in plan_traits}
    answers = plan_text(plan)
    folded = answers.casefold()
    scored = []
    for order, resource in enumerate(available(on)):
        if resource.named_in(answers, folded) or not any(resource.fits(p) for p in plan.priorities):
            continue
        met = [need for need in resource.serves if need in weights]
        ruled = {f"section:{rules[n[5:]]}" for n in met if n.startswith("rule:")}
        met = sorted((n for n in met if n not in ruled),  # a rule's reason says more than its section's
                     key=lambda need: (-weights[need], not need.startswith("trait:"),
                                       _in_plan_order(anchors.get(need[6:], "")) if need.startswith("trait:") else 0))
        if met:
            scored.append((-sum(weights[n] for n in met), order, resource, met[:MAX_REASONS]))
    scored.sort(key=lambda item: item[:2])
    values = {"schools": anchors.get("identified-schools", "")}
    result = []
    for _, _, resource, met in scored[:MAX_RESOURCES]:
        reasons = [text.render(resource.serves[need], values) for need in met]
        asked = list(dict.fromkeys(sections.get(n[8:], "") if n.startswith("section:") else sections.get(
            rules.get(n[5:], ""), "") for n in met if not n.startswith("trait:")))
        places = [anchors.get(n[6:], "") for n in met if n.startswith("trait:")]
        if any(asked):
            places.append(frame("support_questions", section=join_words([a for a in asked if a])))
        places = sorted(dict.fromkeys(p for p in places if p), key=_in_plan_order)
        fits = frame("support_fits", supports_for=join_words(places), reasons="; ".join(reasons)) if places else ""
        result.append(Support(resource.name, resource.provider, frame("support", what=resource.what), fits))
    return result


def _in_plan_order(place: str) -> int:
    """Return where a place comes in the letter: the priorities by number, then the rest as they came."""
    number = re.match(r"Priority #(\d+)", place)
    return int(number.group(1)) if number else 99
