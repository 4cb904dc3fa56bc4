"""Stakeholder engagement and resources: input received from the identified schools, involvement that goes on,
the budget review's inequities and how the plan addresses them.

The blanks are errors (the guidance asks each question of every plan); the rest read what the answers say
(whom they name, whether input was received or is still to come, whether an inequity is acted on) and are
warnings worded as questions.
"""

from __future__ import annotations

import re

from docgen.checks.resolve import cadence
from docgen.checks.rules import Context, Hit, check, unanswered
from docgen.checks.words import joined, placeholder, quote

PAST = re.compile(r"\b\w{3,}ed\b|\b(told|said|met|heard|held|gave|took|spoke|shared|wrote|made|found|saw|came|"
                  r"went|sent|asked|were|was|did|had|led|ran|brought|chose|felt|knew|thought|sought|got)\b",
                  re.IGNORECASE)
FUTURE = re.compile(r"\b(will|plan to|plans to|intend\w*|going to|next year|this fall|upcoming)\b", re.IGNORECASE)


@check("stakeholder-input-gathered")
def stakeholder_input_gathered(ctx: Context):
    """The guidance asks what input the district received: an answer only about input still to be gathered."""
    for p in ctx.plan.priorities:
        for key in ("stakeholder_input", "stakeholder_identified_schools"):
            answer = p.answer(key)
            if answer and not placeholder(answer) and FUTURE.search(answer) and not PAST.search(answer):
                yield Hit(f"p{p.number}.{key}", {"quote": quote(answer)}, prefix=ctx.prefix(p))
# What involving stakeholders, rather than informing them, says.
PARTICIPATE = re.compile(r"\b(review\w*|meet\w*|met|advis\w*|co-?design\w*|co-?creat\w*|feedback|input|survey\w*|"
                         r"focus groups?|councils?|committees?|join\w*|participat\w*|discuss\w*|consult\w*|"
                         r"listen\w*|hear\w*|ask\w*|partner\w*)\b", re.IGNORECASE)
# A review that found nothing to address.
NONE_FOUND = re.compile(r"\bno (significant |major |notable )?inequit|\bdid not (find|identify)|\bnone (were )?found|"
                        r"\bfound no\b", re.IGNORECASE)
# What acting on an inequity says: a change made or to be made.
ACTS = re.compile(r"\b(mov\w*|add\w*|fund\w*|reallocat\w*|realign\w*|shift\w*|hir\w*|assign\w*|invest\w*|"
                  r"increas\w*|redirect\w*|prioritiz\w*|provid\w*|allocat\w*|staff\w*|creat\w*|expand\w*|"
                  r"restor\w*|target\w*|giv\w*|offer\w*)\b", re.IGNORECASE)


@check("stakeholder-identified-schools")
def stakeholder_identified_schools(ctx: Context):
    """No input from the identified schools' stakeholders; the general input naming an identified school makes it
    a warning (the answer may be there, under the other prompt)."""
    if ctx.identified():
        for hit in unanswered(ctx, "stakeholder_identified_schools"):
            p = ctx.plan.priorities[int(hit.at[1:].split(".")[0]) - 1]
            named = ctx.fact(f"p{p.number}.stakeholder_input").schools
            hit.severity = "warning" if any(ctx.plan.schools.index(s) in named for s in ctx.identified()) else ""
            yield hit


@check("resource-inequities")
def resource_inequities(ctx: Context):
    yield from unanswered(ctx, "resource_inequities")


@check("resource-inequities-identified-schools")
def resource_inequities_identified_schools(ctx: Context):
    schools = ctx.identified()
    if not schools:
        return
    names = " and ".join(s.name for s in schools)
    for p in ctx.plan.priorities:
        answer = p.answer("resource_inequities")
        if not answer or placeholder(answer):  # a blank or a placeholder is reported by its own rule
            continue
        if not any(ctx.mentions(answer, s) for s in schools) and "identified" not in answer.casefold():
            yield Hit(f"p{p.number}.resource_inequities", {"schools": names, "quote": quote(answer)},
                      prefix=ctx.prefix(p))


@check("stakeholder-ongoing-involved")
def stakeholder_ongoing_involved(ctx: Context):
    """Ongoing involvement that only informs ("posted on the website") names no way in and no rhythm."""
    for p in ctx.plan.priorities:
        answer = p.answer("stakeholder_ongoing")
        if answer and not placeholder(answer) and not PARTICIPATE.search(answer) and not cadence(answer):
            yield Hit(f"p{p.number}.stakeholder_ongoing", {"quote": quote(answer)}, prefix=ctx.prefix(p))


@check("resource-inequities-addressed")
def resource_inequities_addressed(ctx: Context):
    """Inequities described with nothing the district will do about them."""
    for p in ctx.plan.priorities:
        answer = p.answer("resource_inequities")
        if answer and not placeholder(answer) and not FUTURE.search(answer) and not ACTS.search(answer) and \
                not NONE_FOUND.search(answer):
            yield Hit(f"p{p.number}.resource_inequities", {"quote": quote(answer)}, prefix=ctx.prefix(p))


@check("stakeholder-identified-named")
def stakeholder_identified_named(ctx: Context):
    """Input "from the identified schools" that names only other schools is not their stakeholders' input."""
    identified = {ctx.plan.schools.index(s) for s in ctx.identified()}
    if not identified:
        return
    for p in ctx.plan.priorities:
        answer = p.answer("stakeholder_identified_schools")
        named = ctx.fact(f"p{p.number}.stakeholder_identified_schools").schools
        if answer and named and not named & identified and not re.search(r"\bidentified\b", answer, re.IGNORECASE):
            yield Hit(f"p{p.number}.stakeholder_identified_schools",
                      {"named": joined(sorted(ctx.plan.schools[i].name for i in named)),
                       "identified": joined(s.name for s in ctx.identified())}, prefix=ctx.prefix(p))
