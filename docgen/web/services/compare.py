"""What changed between two versions of a plan: section by section, words inserted and deleted marked.

Both versions are laid out as the form lays them out (form.groups), so a
change is shown under the prompt it answers; table rows are compared by
position, each as one line of "column: value". District text is escaped
before any <ins> or <del> is added around it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from docgen.model.plan import Plan
from docgen.variants import Variant
from docgen.web import form
from docgen.web.storage import checkins, plans, reviews
from docgen.web.storage.db import Database

MAX_TOKENS = 6000  # longer answers are compared line by line: difflib's cost grows with the square of the length
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class Change:
    label: str
    html: Markup
    changed: bool


@dataclass
class SectionChanges:
    id: str
    heading: str
    changes: list[Change]
    status: str = ""  # "added" (only the newer version has it: a second priority added), "removed", or ""

    @property
    def changed(self) -> bool:
        """True when an answer changed, or the section itself came or went (even with nothing typed in it yet)."""
        return bool(self.status) or any(c.changed for c in self.changes)


def default_from(db: Database, row: plans.PlanRow) -> tuple[int, str]:
    """Return the version "What changed" starts from when none is chosen, and why: the version the consultant
    reviewed ("since the consultant's review"), else the last submitted ("since it was submitted"), else the one
    before the latest; never the latest itself, which would show nothing changed."""
    reviewed, submitted = reviews.last_reviewed(db, row.id), checkins.submitted_version(db, row.id)
    if reviewed and reviewed < row.latest:
        return reviewed, f"version {reviewed}, the consultant's review"
    if submitted and submitted < row.latest:
        return submitted, f"version {submitted}, as submitted"
    earlier = max(row.latest - 1, 1)
    return earlier, f"version {earlier}"


def compare(variant: Variant, old: Plan, new: Plan) -> list[SectionChanges]:
    """Return every section of either version with its answers compared (unchanged answers included, marked so)."""
    before, after = _sections(variant, old), _sections(variant, new)
    result = []
    for section_id in dict.fromkeys([*before, *after]):
        heading, old_answers = before.get(section_id, ("", {}))
        new_heading, new_answers = after.get(section_id, ("", {}))
        changes = [Change(label, diff(old_answers.get(label, ""), new_answers.get(label, "")),
                          old_answers.get(label, "") != new_answers.get(label, ""))
                   for label in dict.fromkeys([*old_answers, *new_answers])]
        status = "added" if section_id not in before else "removed" if section_id not in after else ""
        result.append(SectionChanges(section_id, new_heading or heading, changes, status))
    return result


def _sections(variant: Variant, plan: Plan) -> dict[str, tuple[str, dict[str, str]]]:
    """Return each section's heading and its answers by label, tables flattened to a line per row."""
    found = {}
    for group in form.groups(variant, plan, []):
        for section in group.sections:
            heading = f"{group.heading}: {section.heading}" if group.heading else section.heading
            answers: dict[str, str] = {}
            for part in section.parts:
                for field in part.fields:
                    answers[field.label] = field.value
                if part.table:
                    for i, row in enumerate(part.table.rows, start=1):
                        line = " · ".join(f"{header}: {f.value}"
                                          for header, f in zip(part.table.headers, row, strict=False) if f.value)
                        answers[f"{part.table.title}, row {i}"] = line
            found[section.id] = (heading, answers)
    return found


def diff(old: str, new: str) -> Markup:
    """Return ``new`` as HTML with the words ``old`` did not have in <ins> and the words it lost in <del>."""
    if old == new:
        return _text(new)
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    if len(a) + len(b) > MAX_TOKENS:
        a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            out.append(_text(added))
            continue
        if removed.strip() or (removed and op == "delete"):
            out.append(Markup("<del>{}</del>").format(_text(removed)))
        if added.strip() or (added and op == "insert"):
            out.append(Markup("<ins>{}</ins>").format(_text(added)))
    return Markup("").join(out)


def _text(value: str) -> Markup:
    return Markup(str(escape(value)).replace("\n", "<br>"))
