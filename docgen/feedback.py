"""Compose the consultant's August feedback letter: the review sheet, the rule findings and matched DESE supports.

This module decides what the letter says; templates/letter/letter.html.j2 says
it in words a consultant edits; builders/docx_letter.py makes it a Word file.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

import yaml

from . import text, variants
from .checks import Finding
from .checks.words import grade_set, groups_in, own_groups_in, students
from .errors import TemplateError
from .model import Plan
from .sources.values import parse_date
from .variants import Variant

LETTER_FOLDER = "letter"
LETTER_TEMPLATE = "letter.html.j2"
RESOURCES_FILE = "resources.yaml"
MIN_RESOURCES, MAX_RESOURCES = 2, 4
MAX_REASONS = 3  # per support, in the letter's "It fits because ..."
# How much each kind of need counts when matching supports.
NEED_WEIGHTS = {"rule": 3, "section": 2, "trait": 2}
STATUS = {"error": "Not yet met", "refine": "Meets, with refinements",
          None: "Meets the guidance"}
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
SUBJECT_NAMES = {"ela": "English language arts", "math": "mathematics"}
FEEDBACK_MONTH = "August"  # when the spec names none: the guidance promises "feedback in August"


@dataclass(frozen=True)
class Resource:
    id: str
    name: str
    provider: str
    what: str
    serves: dict[str, str]
    aliases: tuple[str, ...] = ()
    ends: str = ""  # ISO date its last session ends; after it, the support is not suggested ...
    after: str = ""  # ... unless what stays available is said here (an institute's published materials)

    def named_in(self, answers: str, folded: str) -> bool:
        """Return True when the plan's text names this support: its name or an alias, as whole words.

        ``folded`` is ``answers`` casefolded; an alias in capitals (an acronym,
        "IPI") must appear in capitals.
        """
        for name in (self.name, *self.aliases):
            text, wanted = (answers, name) if name.isupper() else (folded, name.casefold())
            start = text.find(wanted)
            while start != -1:
                end = start + len(wanted)
                if not (start and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum()):
                    return True
                start = text.find(wanted, start + 1)
        return False


@cache
def resources() -> tuple[Resource, ...]:
    """Return the catalogue of DESE supports in templates/letter/resources.yaml."""
    path = variants.templates_dir() / LETTER_FOLDER / RESOURCES_FILE
    shown = f"templates/{LETTER_FOLDER}/{RESOURCES_FILE}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return tuple(Resource(id=r["id"], name=r["name"], provider=r["from"], what=r["what"], serves=dict(r["serves"]),
                              aliases=tuple(r.get("aliases", ())), ends=str(r.get("ends", "")),
                              after=r.get("after", "")) for r in raw)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise TemplateError(shown, f"not valid YAML: {exc.problem}", line=line) from None
    except (KeyError, TypeError) as exc:
        raise TemplateError(shown, f"each resource needs id, name, from, what and serves ({exc})") from None


def letter_title(plan: Plan, variant: Variant) -> str:
    """Return the letter's title and file name: "<District> FY26 Feedback Letter"."""
    return f"{plan.district.name} {variant.plan_year} Feedback Letter"


def traits(plan: Plan) -> set[str]:
    """Return what is true of the plan that a DESE support can serve (see resources.yaml)."""
    found = set()
    if any(s.requires_assistance for s in plan.schools):
        found.add("identified-schools")
    if any(s.category == "Underperforming" for s in plan.schools):
        found.add("underperforming")
    if plan.curricula:
        found.add("hqim-not-yet")
    if len(plan.priorities) > 1:
        found.add("two-priorities")
    for p in plan.priorities:
        focus = " ".join(p.answer(k) for k in ("statement", "subject", "student_groups")).casefold()
        math = bool(re.search(r"\bmath", focus))
        disabilities = "disabilit" in focus
        if math:
            found.add("math")
        if re.search(r"\b(ela|english language arts|literacy|reading|writing)\b", focus):
            found.add("ela")
        if disabilities:
            found.add("students-with-disabilities")
        if math and disabilities:
            found.add("math-students-with-disabilities")
        if "english learner" in focus or "multilingual" in focus:
            found.add("english-learners")
    return found


def plan_text(plan: Plan) -> str:
    """Return every answer of the plan as one text, to see which supports it already names."""
    tables = [value for p in plan.priorities for key in ("targeted_support", "benchmarks", "outcomes")
              for row in getattr(p, key) for value in vars(row).values()]
    return "\n".join([*plan.answers.values(), *(v for p in plan.priorities for v in p.answers.values()), *tables])


def needs(plan: Plan, findings: list[Finding]) -> dict[str, int]:
    """Return the plan's needs (rule:, section:, trait:) with their weight."""
    result: dict[str, int] = {}
    for f in findings:
        result[f"rule:{f.rule}"] = NEED_WEIGHTS["rule"]
        result.setdefault(f"section:{f.section}", NEED_WEIGHTS["section"])
    if plan.review:
        for section_id, comments in plan.review.sections.items():
            if comments.refinements:
                result.setdefault(f"section:{section_id}", NEED_WEIGHTS["section"])
    for trait in traits(plan):
        result[f"trait:{trait}"] = NEED_WEIGHTS["trait"]
    return result


def available(on: date | None) -> list[Resource]:
    """Return the supports still on offer on the letter's date: one whose dates have passed is left out,
    or offered as what stays available (its ``after``)."""
    result = []
    for r in resources():
        if r.ends and on and date.fromisoformat(r.ends) < on:
            if r.after:
                result.append(replace(r, what=r.after))
            continue
        result.append(r)
    return result


def matched_resources(plan: Plan, findings: list[Finding], on: date | None = None) -> list[dict]:
    """Return the best-matching DESE supports (at least two), each with the reasons it fits this plan.

    A support the plan already names (the district attended the institute,
    or uses the network) is not suggested again, nor one that is over by ``on``.
    """
    wanted = needs(plan, findings)
    answers = plan_text(plan)
    folded = answers.casefold()
    offered = [r for r in available(on) if not r.named_in(answers, folded)]
    scored = []
    for order, resource in enumerate(offered):
        met = sorted((need for need in resource.serves if need in wanted),  # rules, then what the plan is about
                     key=lambda need: (-wanted[need], not need.startswith("trait:")))
        reasons = [resource.serves[need] for need in met[:MAX_REASONS]]  # the strongest, so the sentence stays short
        score = sum(wanted[need] for need in resource.serves if need in wanted)
        if score:
            scored.append((-score, order, resource, reasons))
    scored.sort(key=lambda item: item[:2])
    chosen = [(r, reasons) for _, _, r, reasons in scored[:MAX_RESOURCES]]
    for resource in offered:  # always offer at least two, starting with the general ones
        if len(chosen) >= MIN_RESOURCES:
            break
        if all(resource is not r for r, _ in chosen):
            chosen.append((resource, list(resource.serves.values())[-1:]))
    values = _plan_words(plan)
    return [{"name": r.name, "provider": r.provider, "what": r.what,
             "reasons": [text.render(reason, values) for reason in reasons]} for r, reasons in chosen]


def _plan_words(plan: Plan) -> dict[str, str]:
    """Return the plan's own words a support's reasons may use: its identified schools."""
    identified = [s.name for s in plan.schools if s.requires_assistance and s.name]
    return {"schools": join_words(identified) or "your schools"}


def context(plan: Plan, variant: Variant, findings: list[Finding]) -> dict:
    """Return everything the letter template needs, worded for a superintendent."""
    review = plan.review
    titles = {"general": "The plan as a whole", **{s.id: variant.text(s.heading) for s in variant.sections}}
    order = ["general", *(s.id for s in variant.sections)]
    start_year = int(re.search(r"20\d\d", variant.school_year).group(0))
    month = variant.values.get("feedback_month") or FEEDBACK_MONTH
    letter_date = review.review_date if review and review.review_date else f"{month} {start_year}"
    refinements = []
    for section_id in order:
        mine = [f for f in findings if f.section == section_id]
        comments = review.sections.get(section_id) if review else None
        consultant = comments.refinements if comments else ""
        if not mine and not consultant:
            continue
        refinements.append({
            "title": titles[section_id],
            "consultant": consultant,
            "advice": _unique(f.advice for f in mine if f.severity == "error"),
            "suggestions": _unique(f.advice for f in mine if f.severity == "warning"),
        })
    section_ids = [s for s in order if s != "general"]
    return {
        "draft": review is None,
        "district": plan.district,
        "plan_year": variant.plan_year,
        "school_year": variant.school_year,
        "letter_date": letter_date,
        "salutation": _salutation(plan.district.superintendent),
        "priorities": [{"number": p.number, "statement": p.answer("statement"), "focus": focus(p)}
                       for p in plan.priorities],
        "review": review,
        "strengths": [{"title": titles.get(sid, sid), "text": review.sections[sid].strengths}
                      for sid in section_ids if review and sid in review.sections and review.sections[sid].strengths],
        "refinements": refinements,
        "underperforming": [s.name for s in plan.schools if s.category == "Underperforming" and s.name],
        "resources": matched_resources(plan, findings, letter_day(letter_date)),
        "next_steps": [{"title": titles.get(sid, sid), "text": review.sections[sid].next_steps}
                       for sid in section_ids if review and sid in review.sections and review.sections[sid].next_steps],
        "dates": {"fall": f"Fall {start_year}", "midyear": f"January {start_year + 1}",
                  "spring": f"Spring {start_year + 1}", "due": _next_due(variant, start_year)},
        "appendix": [_appendix_row(titles[sid], [f for f in findings if f.section == sid],
                                   bool(review and sid in review.sections and review.sections[sid].refinements))
                     for sid in order if sid != "general" or any(f.section == "general" for f in findings)],
    }


def render(plan: Plan, variant: Variant, findings: list[Finding]) -> str:
    """Return the letter as the HTML the template produces."""
    folder = variants.templates_dir() / LETTER_FOLDER
    return text.render_html(folder, LETTER_TEMPLATE, f"templates/{LETTER_FOLDER}/{LETTER_TEMPLATE}",
                            context(plan, variant, findings))


def _appendix_row(title: str, findings: list[Finding], consultant: bool) -> dict:
    """Return a section's row of the appendix: its status, and what the letter asks of it, in words.

    A section where the consultant wrote refinements never reads "Meets the guidance".
    """
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    worst = "error" if errors else ("refine" if warnings or consultant else None)
    asks = [_count(errors, "requirement to address", "requirements to address"),
            _count(warnings, "suggestion", "suggestions"), "the consultant's refinements" if consultant else ""]
    return {"title": title, "status": STATUS[worst], "errors": errors, "warnings": warnings,
            "asks": join_words([a for a in asks if a]) or "nothing further"}


def _count(n: int, one: str, many: str) -> str:
    if not n:
        return ""
    return f"{NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else n} {one if n == 1 else many}"


def join_words(items: list[str]) -> str:
    """Return "a", "a and b", "a, b and c"; a list whose items hold "and" is joined with semicolons."""
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    if any(" and " in i for i in items):
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def focus(priority) -> str:
    """Return a priority's focus as a sentence: "grades K-3 English language arts, for low-income students"."""
    subject, grades = _subject(priority.answer("subject")), _grades(priority.answer("grades"))
    groups = _groups(priority.answer("student_groups"))
    head = " ".join(x for x in (grades, subject) if x)
    return (head + (f", for {groups}" if head and groups else groups)).strip()


def _subject(typed: str) -> str:
    folded = typed.strip().casefold()
    if folded in SUBJECT_NAMES:
        return SUBJECT_NAMES[folded]
    return typed.strip() if typed.strip()[:2].isupper() else typed.strip().lower()


def _grades(typed: str) -> str:
    typed = typed.strip()
    grades = grade_set(typed)
    if not typed or re.match(r"(?i)grades?\b|kindergarten|pre", typed):
        return typed
    if grades == {0}:
        return "kindergarten"
    return f"grade {typed}" if len(grades) == 1 else f"grades {typed}"


def _groups(typed: str) -> str:
    named = [students(g).replace(" and former English learners", " (including former English learners)")
             for g in groups_in(typed)] + own_groups_in(typed)
    return join_words(named) if named else typed.strip()


def letter_day(letter_date: str) -> date | None:
    """Return the letter's date; a month alone ("August 2025") counts as its last day, so nothing past is offered."""
    exact = parse_date(letter_date)
    if exact:
        return exact
    match = re.fullmatch(r"\s*([A-Za-z]+)\s+(\d{4})\s*", letter_date)
    names = [m.casefold() for m in calendar.month_name]
    if match and match.group(1).casefold() in names:
        year, month = int(match.group(2)), names.index(match.group(1).casefold())
        return date(year, month, calendar.monthrange(year, month)[1])
    return None


def _next_due(variant: Variant, start_year: int) -> str:
    """Return when next year's plan is due: this year's due date (the spec's due_date), one year on."""
    due = parse_date(variant.values.get("due_date", ""))
    if due is None:
        return f"June 30, {start_year + 1}"
    return f"{calendar.month_name[due.month]} {due.day}, {due.year + 1}"


def _salutation(superintendent: str) -> str:
    """Return how the letter greets the superintendent: a title and the last name.

    "Dr. Teresa Okafor-Lindqvist, Superintendent of Schools" -> "Dr. Okafor-Lindqvist";
    "Maria de la Cruz, Ed.D." -> "Dr. de la Cruz"; "Renata Alves" -> "Superintendent Alves";
    nothing -> "Superintendent".
    """
    name, *after = [part.strip() for part in superintendent.split(",")]
    words = name.split()
    title = words.pop(0) if words and words[0].rstrip(".").casefold() in _TITLES else ""
    if not title and any(re.fullmatch(r"(Ed|Ph|D)\.?\s?(D|Ed)\.?", part) for part in after):
        title = "Dr."
    while words and words[-1].rstrip(".").casefold() in _SUFFIXES:
        words.pop()
    if not words or (len(words) == 1 and words[0].casefold() == "superintendent"):
        return title or "Superintendent"
    last = [words.pop()]
    while words and words[-1].casefold() in _PARTICLES:  # "de la Cruz", "van der Berg"
        last.insert(0, words.pop())
    title = title if not title or title.endswith(".") or title.casefold() in ("miss", "mx") else title + "."
    return f"{title or 'Superintendent'} {' '.join(last)}"


_TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_PARTICLES = {"de", "del", "della", "der", "di", "da", "du", "la", "le", "van", "von", "st.", "bin", "al"}


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))
