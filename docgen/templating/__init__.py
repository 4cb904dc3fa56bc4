"""Documents in people's own designs: Word templates a district or a consultant team makes in Word.

``make`` and ``letter`` write docgen's own plan and letter as templates;
``fill`` fills one (through docxtpl, in a sandbox); ``tags`` checks its
tags, all problems at once and by paragraph; ``schema`` says which names a
plan template may use. The functions here are what api.py calls.
"""

from __future__ import annotations

from pathlib import Path

from docgen.errors import OverMemory, OverTime, TemplateProblems
from docgen.model.letter import Letter
from docgen.model.plan import Plan
from docgen.processes import limits
from docgen.templating import fill, letter, make, schema
from docgen.templating.tags import Report
from docgen.variants import Variant


def new_template(variant: Variant, for_letter: bool = False) -> bytes:
    """Return the variant's Word plan (or the feedback letter) as a template to redesign (.docx bytes)."""
    return letter.letter_template() if for_letter else make.plan_template(variant)


def fields_of(variant: Variant, for_letter: bool = False) -> dict:
    """Return the names a plan (or letter) template may use."""
    return letter.letter_fields(variant) if for_letter else schema.plan_fields(variant)


def must_show(fields: dict) -> list[str]:
    """Return the fields a template must show: a plan's every field; a letter's own words (not the conveniences)."""
    found = schema.leaves(fields)
    return [f for f in found if f.startswith("letter.")] if "letter" in fields else found


def check_template(path, variant: Variant, for_letter: bool = False) -> tuple[Report, list[str]]:
    """Return the template's report and the fields it must show but never does (``docgen template check``)."""
    fields = fields_of(variant, for_letter)
    report = fill.check(fill.TemplateFile.read(Path(path)), fields)
    return report, [f for f in must_show(fields) if f not in report.shown]


def fill_plan(plan: Plan, variant: Variant, path, allow_missing=()) -> bytes:
    """Return the plan filled into the template at ``path``; raise TemplateProblems, naming every problem."""
    return _fill(path, schema.plan_fields(variant), schema.plan_values(plan, variant), allow_missing)


def fill_letter(plan: Plan, variant: Variant, composed: Letter, path, allow_missing=()) -> bytes:
    """Return the letter (as feedback.compose made it) filled into the letterhead template at ``path``."""
    return _fill(path, letter.letter_fields(variant), letter.letter_values(plan, variant, composed), allow_missing)


def _fill(path, fields: dict, values: dict, allow_missing) -> bytes:
    """Check the template, then fill it; every problem is raised at once.

    A field that holds text but that the template never shows is a problem
    too (what the district or the consultant wrote would silently be left
    out), unless ``allow_missing`` names it.
    """
    template = fill.TemplateFile.read(Path(path))
    report = fill.check(template, fields)
    left_out = sorted(schema.filled_leaves(values) & set(must_show(fields)) - report.shown - set(allow_missing))
    problems = list(report.problems)
    if left_out and not problems:  # with tags in error, what they show is not known yet
        problems.append(f"the template never shows {', '.join(left_out)}, which this document fills in: add their "
                        f"tags, or pass --allow-missing {','.join(left_out)}")
    if problems:
        raise TemplateProblems(path, problems)
    seconds = fill.FILL_SECONDS
    try:  # in a child process with a time and a memory limit (limits.py), unless already in one
        return limits.call(fill.fill_file, (str(path), values), seconds, what="filling")
    except OverTime:
        stopped = f"filling took longer than {seconds:g} seconds and was stopped; look for a loop that never ends"
        raise TemplateProblems(path, [stopped]) from None
    except OverMemory as exc:
        raise TemplateProblems(path, [f"{exc}; look for a loop that repeats too often"]) from None
