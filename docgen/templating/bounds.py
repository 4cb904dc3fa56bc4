"""How much a template fill may write: a plan's Word XML is a few megabytes, so a fill writing far more is a loop.

A template is a program (Jinja loops over the plan's lists), and one that
loops over ``range(99999)`` twice, or repeats a long answer in a loop, would
write gigabytes of XML before its time limit. docxtpl renders each part to
one string; ``render`` renders it piece by piece instead and stops at
MAX_FILLED_BYTES over the whole document, naming the part and the tag that was
filling when it stopped (docxtpl puts each Word paragraph on its own line of
the Jinja source, so the template's line is the paragraph, and its tags are
what the message shows).
"""

from __future__ import annotations

import re

from docgen.errors import FillTooLarge

MAX_FILLED_BYTES = 32 * 2**20  # all parts of one filled document; a long plan's are under 5 MB
_TAG = re.compile(r"\{[{%].*?[%}]\}")


class Budget:
    """What one document's fill may still write, over all its parts."""

    def __init__(self, limit: int = MAX_FILLED_BYTES):
        self.limit, self.used = limit, 0


def render(template, context: dict, source: str, part: str, budget: Budget) -> str:
    """Return ``template`` (compiled from ``source``) rendered with ``context``; raise FillTooLarge past the budget."""
    pieces = []
    generator = template.generate(context)
    for piece in generator:
        budget.used += len(piece)
        if budget.used > budget.limit:
            tag = _tag_at(generator, template, source)
            generator.close()
            raise FillTooLarge(f"{part}: filling wrote more than {budget.limit // 2**20} MB, far more than any plan, "
                               f"and was stopped at {tag}; look for a loop in the template that repeats too often")
        pieces.append(piece)
    return "".join(pieces)


def _tag_at(generator, template, source: str) -> str:
    """Return the tags of the template line (a paragraph) the suspended ``generator`` was rendering."""
    frame, current = None, generator
    while current is not None and getattr(current, "gi_frame", None) is not None:
        if "__jinja_template__" in current.gi_frame.f_globals:
            frame = current.gi_frame
        current = current.gi_yieldfrom
    if frame is None:
        return "a tag"
    lines = source.splitlines()
    line = template.get_corresponding_lineno(frame.f_lineno)
    text = re.sub(r"<[^>]+>", "", lines[line - 1]) if 0 < line <= len(lines) else ""
    found = _TAG.findall(text)
    return f"the tag {' '.join(found[:3])[:200]}" if found else "a tag"
