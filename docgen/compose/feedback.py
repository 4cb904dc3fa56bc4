"""Compose the consultant's feedback letter: the plan's own words, the check's findings and the review, as a Letter.

This module decides what the letter says; its frame (the words every letter
shares) is data in templates/letter/letter.yaml; docgen/model/letter.py is
what it fills, which the Word letter, the web preview and a team's
letterhead each read. Every sentence comes from the frame, the plan, a
finding or the consultant: nothing here claims what nobody checked.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import cache, lru_cache

import jinja2
import yaml

from docgen import text, variants
from docgen.checks import Finding, load_rules
from docgen.checks.words import grade_set, groups_in, own_groups_in, students
from docgen.compose.letter_asks import asks as letter_asks
from docgen.compose.letter_supports import matched, traits
from docgen.compose.salutation import greeting
from docgen.errors import TemplateError
from docgen.model.letter import AppendixRow, Letter, Para, Part, PriorityLine, Refinement
from docgen.model.plan import Plan, Priority
from docgen.model.values import parse_date
from docgen.text import join_words
from docgen.variants import Variant

FRAME_FILE = "letter/letter.yaml"
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
SUBJECT_NAMES = {"ela": "English language arts", "math": "mathematics"}
FEEDBACK_MONTH = "August"  # when the spec names none: the guidance promises "feedback in August"


@cache
def frame_source() -> dict:
    """Return the letter's own words (templates/letter/letter.yaml)."""
    path = variants.templates_dir() / FRAME_FILE
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise TemplateError(f"templates/{FRAME_FILE}", f"not valid YAML: {exc.problem}", line=line) from None


def forget_frame() -> None:
    """Forget the frame read from templates/letter/letter.yaml, so the next letter reads it again (tests edit it)."""
    frame_source.cache_clear()
    _framed.cache_clear()


def frame(key: str, **values) -> str:
    """Return the frame's words at ``key`` ("status.error", "next_steps.fall"), filled with ``values``."""
    return _framed(key, tuple(sorted(values.items())))


@lru_cache(maxsize=2048)
def _framed(key: str, items: tuple) -> str:
    """Return ``frame`` for values as a tuple: most of a letter's frame is the same from letter to letter."""
    values = dict(items)
    node = frame_source()
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise TemplateError(f"templates/{FRAME_FILE}", f"'{key}' is missing", key=key)
        node = node[part]
    try:
        if isinstance(node, list):
            return "\n".join(text.render(str(item), values) for item in node)
        return " ".join(text.render(str(node), values).split())
    except jinja2.TemplateError as exc:
        raise TemplateError(f"templates/{FRAME_FILE}", exc.message or str(exc), key=key) from None


def letter_title(plan: Plan, variant: Variant) -> str:
    """Return the letter's title and file name: "<District> FY26 Feedback Letter"."""
    return frame("title", district=plan.district.name, plan_year=variant.plan_year)


def compose(plan: Plan, variant: Variant, findings: list[Finding], on: date | None = None) -> Letter:
    """Return the letter for ``plan``: dated ``on`` if given, else the review's date, else the feedback month."""
    review = plan.review
    titles = {"general": frame("whole_plan"), **{s.id: variant.text(s.heading) for s in variant.sections}}
    order = ["general", *(s.id for s in variant.sections)]
    start_year = _start_year(variant)
    month = variant.values.get("feedback_month") or FEEDBACK_MONTH
    shown_date = _long_date(on) if on else (review.review_date if review and review.review_date
                                            else f"{month} {start_year}")
    day = on or letter_day(shown_date)
    draft = review is None
    asked = letter_asks(findings, plan, frame, {p.number: focus(p, with_groups=False) for p in plan.priorities})
    comments = {sid: c for sid, c in (review.sections.items() if review else ()) if sid in titles}
    refinements = tuple(Refinement(sid, titles[sid], _paras(comments[sid].refinements) if sid in comments else (),
                                   tuple(asked.get(sid, ())))
                        for sid in order if asked.get(sid) or (sid in comments and comments[sid].refinements))
    examined = {getattr(rule, "section", "") for rule in load_rules().values()}
    unchecked = [titles[sid] for sid in order if sid != "general" and sid not in examined]
    two = len(plan.priorities) > 1
    values = {"district": plan.district.name, "district_possessive": text.possessive(plan.district.name),
              "plan_year": variant.plan_year, "school_year": variant.school_year, "two": two,
              "one": len(plan.priorities) == 1,
              "region": review.region if review else ""}
    rules = {rule for s in refinements for a in s.asks for rule in a.rules}
    supports = matched(plan, {f.rule: f.section for f in findings if f.rule in rules},
                       {r.section: r.title for r in refinements}, day, frame, _anchors(plan))
    parts = [_strengths(review, titles, order, draft),
             _refinements_part(refinements, draft, unchecked),
             Part(frame("headings.supports"), (Para(frame("supports_intro")), *(
                 Para(s.what + (" " + s.fits if s.fits else ""), "bullet", 1, lead=f"{s.name} ({s.provider}): ",
                      source="catalogue")
                 for s in supports))) if supports else None,
             _next_steps(plan, variant, review, titles, order, start_year, two)]
    underway = [s for s in order if s != "general" or any(f.section == "general" for f in findings)]
    return Letter(
        title=letter_title(plan, variant), draft=draft, day=day, date=shown_date,
        letterhead=tuple(frame("letterhead", **values).split("\n")),
        draft_note=frame("draft_note") if draft else "",
        address=(plan.district.superintendent.strip() or frame("addressee"), plan.district.name),
        re_line=frame("re_line", **values), salutation=frame("salutation", greeting=greeting(
            plan.district.superintendent)),
        opening=(Para(frame("opening", **values)),),
        priorities=_priority_lines(plan, two),
        summary=_paras(review.summary) if review and review.summary else (),
        parts=tuple(p for p in parts if p is not None),
        sign_off=frame("sign_off"),
        signature=tuple(frame("signature", consultant_name=review.consultant_name if review else "",
                              consultant_title=review.consultant_title if review else "", **values).split("\n")),
        appendix_title=frame("headings.appendix"), appendix_header=tuple(frame_source()["appendix_header"]),
        appendix=tuple(_appendix_row(sid, titles[sid], next((r for r in refinements if r.section == sid), None),
                                     draft, sid in examined, bool(review)) for sid in underway),
        appendix_note=frame("appendix_note", **values),
        refinements=refinements, supports=tuple(supports), sections_unchecked=tuple(unchecked))


def _start_year(variant: Variant) -> int:
    """Return the year the plan's school year starts in ("2025-2026" -> 2025)."""
    match = re.search(r"20\d\d", variant.school_year)
    if match is None:
        raise TemplateError(f"templates/{variant.id}/spec.yaml", f"school_year '{variant.school_year}' names no year")
    return int(match.group(0))


def _priority_lines(plan: Plan, two: bool) -> tuple[PriorityLine, ...]:
    """Return each priority in the district's words with its focus; a focus the one before shares is said once."""
    lines, before = [], None
    for p in plan.priorities:
        said = focus(p)
        shown = (frame("focus_same", number=before.number) if before and said == focus(before)
                 else frame("focus", focus=said)) if said else ""
        lines.append(PriorityLine(frame("priority_label", number=p.number) if two else "",
                                  p.answer("statement") or frame("no_statement"), shown))
        before = p
    return tuple(lines)


def _strengths(review, titles, order, draft) -> Part | None:
    """Return the Strengths part: the consultant's, or in a draft a note asking for them; else nothing at all."""
    found = [Para(review.sections[sid].strengths, "bullet", 1, lead=f"{titles[sid]}. ", source="consultant")
             for sid in order if review and sid in review.sections and review.sections[sid].strengths]
    if not found and not draft:
        return None
    return Part(frame("headings.strengths"), tuple(found) or (Para(frame("strengths_draft"), "note"),))


def _refinements_part(refinements, draft: bool, unchecked: list[str]) -> Part:
    paras: list[Para] = []
    if unchecked and draft:
        paras.append(Para(frame("unchecked_draft", sections=join_words(unchecked)), "note"))
    if not refinements:
        paras.append(Para(frame("refinements_none_draft"), "note") if draft else Para(frame("refinements_none")))
        return Part(frame("headings.refinements"), tuple(paras))
    paras.append(Para(frame("refinements_intro")))
    for r in refinements:
        paras.append(Para(r.title, "subheading"))
        paras += r.consultant
        paras += [Para(a.text, "bullet", 1, source="finding") for a in r.asks]
    return Part(frame("headings.refinements"), tuple(paras))


def _next_steps(plan, variant, review, titles, order, start_year: int, two: bool) -> Part:
    due = parse_date(variant.values.get("due_date", ""))
    this_due = f"{calendar.month_name[due.month]} {due.day}, {due.year}" if due else f"June 30, {start_year}"
    sip = [s.name for s in plan.schools if s.category == "Underperforming" and s.name]
    paras = [Para(review.sections[sid].next_steps, "bullet", 1, lead=f"{titles[sid]}: ", source="consultant")
             for sid in order if review and sid in review.sections and review.sections[sid].next_steps]
    paras += [Para(frame("next_steps.fall", fall=frame("dates.fall", year=start_year), two=two), "bullet", 1),
              Para(frame("next_steps.midyear", midyear=frame("dates.midyear", year=start_year + 1)), "bullet", 1),
              Para(frame("next_steps.due", next_guidance=frame("dates.next_guidance", year=start_year + 1),
                         this_due=this_due,
                         sip_schools=join_words(sip), sip_plural=len(sip) > 1), "bullet", 1),
              Para(frame("closing"))]
    return Part(frame("headings.next_steps"), tuple(paras))


def _appendix_row(sid: str, title: str, refinement: Refinement | None, draft: bool, examined: bool,
                  reviewed: bool) -> AppendixRow:
    """Return a section's row of the appendix: its status, and what the letter asks of it, in words.

    No row ever says a section meets the guidance: a check cannot know it. A
    draft says what the consultant still has to read.
    """
    asks = refinement.asks if refinement else ()
    errors = sum(a.severity == "error" for a in asks)
    questions = len(asks) - errors
    consultant = bool(refinement and refinement.consultant)
    number = title.split(".")[0]
    section = frame("section_named", number=number) if re.fullmatch(r"\d+[a-z]?", number) else title
    if errors:
        status = frame("status.error")
    elif questions:
        status = frame("status.questions")
    elif consultant:
        status = frame("status.consultant")
    elif reviewed or not draft:
        status = frame("status.reviewed")
    else:
        status = frame("status.quiet_draft" if examined else "status.unchecked_draft", section=section)
    listed = [_count(errors, *frame_source()["asks"]["error"]), _count(questions, *frame_source()["asks"]["warning"]),
              frame("asks.consultant") if consultant else ""]
    said = join_words([x for x in listed if x])
    return AppendixRow(title, status, said[:1].upper() + said[1:] if said else frame("asks.nothing"))


def _count(n: int, one: str, many: str) -> str:
    if not n:
        return ""
    return f"{NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else n} {one if n == 1 else many}"


def _paras(typed: str) -> tuple[Para, ...]:
    """Return the consultant's multi-line text as paragraphs and list items."""
    roles = {"bullet": "bullet", "number": "number", "para": "body"}
    return tuple(Para(b.text, roles[b.kind], b.level + 1 if b.kind != "para" else 0, source="consultant")
                 for b in text.blocks(typed))


def _anchors(plan: Plan) -> dict[str, str]:
    """Return the plan's own facts each trait a support can serve stands for (what a suggestion is for)."""
    short = {p.number: focus(p, with_groups=False) for p in plan.priorities}
    two = len(plan.priorities) > 1
    result = {}
    for trait, numbers in traits(plan).items():
        result[trait] = join_words([frame("priority_named", two=two, number=n, focus=short[n]) for n in numbers])
    identified = [s.name for s in plan.schools if s.requires_assistance and s.name]
    result["identified-schools"] = join_words(identified)
    result["underperforming"] = join_words([s.name for s in plan.schools if s.category == "Underperforming"])
    result["hqim-not-yet"] = join_words([frame("curriculum_named", subject=c.subject, grades=c.grades)
                                         for c in plan.curricula])
    result["two-priorities"] = frame("two_priorities_named", focuses="; ".join(short.values())) if two else ""
    return result


def focus(priority: Priority, with_groups: bool = True) -> str:
    """Return a priority's focus as a phrase: "grades K-3 English language arts, for low-income students"
    (without ``with_groups``: "grades K-3 English language arts")."""
    subject, grades = _subject(priority.answer("subject")), _grades(priority.answer("grades"))
    groups = _groups(priority.answer("student_groups")) if with_groups else ""
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
    # the plan's group as it names it: "ELs" are English learners; "former" only when the district says so
    named = [students(g).replace(" and former English learners", "" if "former" not in typed.lower() else
                                 " (including former English learners)")
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


def _long_date(day: date) -> str:
    return f"{calendar.month_name[day.month]} {day.day}, {day.year}"
