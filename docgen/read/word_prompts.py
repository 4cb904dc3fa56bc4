"""The official template's text as a catalogue, and tolerant matching of a document's lines against it.

word.py files the text of last year's plan under the template's prompts; this module says which line is
template text (a prompt, label, tip, heading: never an answer) even when the district renamed or lightly
reworded it ("Instructional Priority 1 (brief description):" for "Priority #1 (brief description):"), and
what a person typed after a prompt on the same line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen import variants
from docgen.read.word_document import match_score, normal_form, similar
from docgen.variants import FieldSpec, Variant


@dataclass
class Prompt:
    """A piece of template text, what it stands for, and its order in the template."""

    norm: str
    shown: str
    scope: str  # "district", "priority", "district-info", "boilerplate", "priority-heading"
    fields: tuple[FieldSpec, ...] = ()
    order: int = 0
    district_key: str = ""
    group: int = 0  # the lines of one prompt share a group
    section: str = ""  # the heading of the section it is in
    label_of: str = ""  # the field whose label this is
    table: str = ""  # the key of the spec table that answers this prompt


def catalogue(v: Variant) -> list[Prompt]:
    found: list[Prompt] = []
    heading = ""
    groups = iter(range(1_000_000))

    def add(value: str, scope: str, fields=(), district_key="", number=1, label_of="", table=""):
        shown, group = v.text(value, number=number).split("\n"), next(groups)
        for i, line in enumerate(shown):
            norm = normal_form(line)
            if norm:  # only a prompt's last line opens its answer: an edited prompt's rest is not an answer
                found.append(Prompt(norm, line, scope, tuple(fields) if i == len(shown) - 1 else (),
                                     len(found), district_key, group, heading, label_of, table))

    for line in (*v.cover, v.cover_note, v.district_title, *v.second_priority_note):
        add(line, "boilerplate")
    for f in v.district_fields:
        add(f.label, "district-info", district_key=f.key)
    for number in (1, 2):
        add(v.priority_heading, "priority-heading", number=number)
    for section in v.sections:
        scope = section.scope
        heading = v.text(section.heading)
        first_fields = section.parts[0].fields if section.parts and not section.parts[0].prompt else ()
        add(section.heading, "boilerplate")
        # a prompt's own notes, bullets and tips keep pointing at its fields: answers follow them
        for line in (section.prompt, *section.bullets, *section.notes, *section.tips):
            if line:
                add(line, scope if first_fields else "boilerplate", first_fields)
        for line in section.after:
            add(line, "boilerplate")
        for part in section.parts:
            table = part.table or ""
            for line in (part.prompt, *part.bullets, *part.notes, *part.tips):
                if line:
                    add(line, scope if part.fields else "boilerplate", part.fields, table=table)
            for f in part.fields:
                add(f.label, scope, (f,), label_of=f.key)
    add("TIPS:", "boilerplate")
    return found


def best(line: str, catalogue: list[Prompt]) -> tuple[Prompt | None, str]:
    """Return the template text ``line`` is (or starts with), and whatever the person typed after it."""
    norm = normal_form(line)
    score, best = max(((match_score(norm, p.norm), -p.order) for p in catalogue), default=(0, 0))
    if score > 0:
        return catalogue[-best], ""
    for prompt in sorted(catalogue, key=lambda p: -len(p.norm)):  # "Prompt text: the answer" on one line
        if len(prompt.norm) >= 12 and norm.startswith(prompt.norm) and len(norm) > len(prompt.norm) + 1:
            cut = _cut_after(line, prompt.shown)
            if cut:
                return prompt, cut
    return _renamed_label(line, catalogue)


def _renamed_label(line: str, catalogue: list[Prompt]) -> tuple[Prompt | None, str]:
    """Return the label a "Label, reworded: the answer" line starts with, and the answer; or (None, "").

    A line ending in a colon is a label, so there a label of two words or
    more may have gained a few ("Our instructional priority for 2025-26:").
    """
    head, colon, after = line.partition(":")
    if not colon or len(head) > 200 or not (after.strip() or len(head) <= 80):
        return None, ""
    norm = normal_form(head)
    labels = [p for p in catalogue if p.fields or p.scope == "district-info"]
    score, order = max(((match_score(norm, p.norm), -p.order) for p in labels), default=(0, 0))
    if score <= 0 and not after.strip():
        words = set(norm.split())
        score, order = max(((len(words & set(p.norm.split())) / len(words | set(p.norm.split())), -p.order)
                            for p in labels if len(p.norm.split()) >= 2 and set(p.norm.split()) <= words
                            and len(norm) <= 2.5 * len(p.norm)), default=(0, 0))
    return (catalogue[-order], after.strip()) if score > 0 else (None, "")


def short(shown: str) -> str:
    return shown if len(shown) <= 70 else shown[:69].rstrip() + "…"


def leading_choice(value: str, choices: tuple[str, ...]) -> str | None:
    """Return the choice ``value`` begins with as a word of its own ("Yes. We reviewed ..." -> "Yes"), or None."""
    for choice in sorted(choices, key=len, reverse=True):
        if re.match(rf"\s*{re.escape(choice)}(?=[\s.,;:!\u2013\u2014-]|$)", value, re.IGNORECASE):
            return choice
    return None


def _cut_after(line: str, prompt: str) -> str:
    """Return the text typed after ``prompt`` on the same line."""
    wanted = len(normal_form(prompt))
    for i in range(len(prompt) - 5, len(line) + 1):
        if len(normal_form(line[:i])) >= wanted:
            rest = line[i:]
            if not re.match(r"\s*[:\-–—?.!;)\t]", rest):  # "School leaders and their teams ...": the answer's own
                return ""  # first words, not a label before it
            return rest.lstrip(" :-–—?.!,;)\t").rstrip()
    return ""


ENOUGH = 3  # long prompts of a template a document must hold to be read as that template


def template_of(lines: list[str]) -> Variant | None:
    """Return the variant whose long prompts ``lines`` (in normal form) hold most of, at least ENOUGH; else None.
    One answer for a Word file and for a PDF of one (template_items)."""
    found, score = None, 0
    for variant_id in variants.names():
        v = variants.load(variant_id)
        prompts = [p for p in catalogue(v) if p.scope in ("priority", "district") and len(p.norm) > 20]
        hits = sum(1 for p in prompts if any(similar(line, p.norm) or line.startswith(p.norm) for line in lines))
        if hits > score:
            found, score = v, hits
    return found if score >= ENOUGH else None
