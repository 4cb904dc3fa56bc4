"""Score a plan reader on one corpus document: where did each piece of the district's text land?

Each piece (corpus_plans.Piece) gets one verdict:

- ``right``: its text is in the field it belongs in (in the value, or in a cell
  of that column for a table);
- ``unsure``: it is in the Carried-over list marked for the person to check
  (kind "check" or "choose again"), or moved elsewhere with a note, or is in
  another field that the reader highlighted (``Moved.highlight``) to check;
- ``unplaced``: it is in the Carried-over list as unplaced;
- ``wrong``: it is in another field, with nothing saying so;
- ``lost``: it is nowhere.

A document the reader refuses (a DocgenError, one line) gets ``refused`` for
every piece: nothing is lost silently, but nothing is read either. Any other
exception is a crash, which the test reports as a failure.

Texts are compared normalised: case, spacing, quotes, dashes and bullets do
not count, and a piece is found in a field when it is contained in it on word
boundaries. Found anywhere else, a short piece (under SHORT words) must be a
whole value or line: "Math" inside another answer is chance, not a misplacement.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from docgen import variants
from docgen.errors import DocgenError
from docgen.model import values

from .corpus_plans import CARRIED, VARIANT, Piece, fields_of, lines

SHORT = 4  # words: a piece shorter than this must match a whole value or line to count as placed elsewhere
VERDICTS = ("right", "unsure", "unplaced", "wrong", "lost", "refused")
UNSURE_KINDS = ("check", "choose again", "moved")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                         "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
                         "\u00a0": " ", "\u2026": "...", "\u200b": None, "\u200c": None, "\u200d": None,
                         "\u00ad": None, "\ufeff": None})


def normal(text: str) -> str:
    """Return ``text`` as compared: NFKC, straight quotes, no zero-width marks or bullets, one space, folded case."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES)
    return " ".join(" ".join(lines(text)).split()).casefold().strip(" .;:")


def contains(haystack: str, needle: str) -> bool:
    """Return True when normalised ``needle`` is in normalised ``haystack`` on word boundaries."""
    needle = normal(needle)
    if not needle:
        return True
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", normal(haystack)) is not None


def holds(value: str, text: str) -> bool:
    """Return True when ``value`` holds the piece ``text`` somewhere it was not expected.

    A piece of four words or more is held when contained; a shorter one ("Math",
    "Yes", "3-8") only when it is the whole value, a whole line of it, or what
    follows a line's "Label:", since short words recur by chance in any text.
    """
    if len(normal(text).split()) >= SHORT:
        return contains(value, text)
    wanted = normal(text)
    candidates = [value, *str(value).split("\n")]
    return any(normal(c) == wanted or normal(c.partition(":")[2]) == wanted for c in candidates)


@dataclass
class Reading:
    """What a reader made of one document: the plan's fields by key and the Carried-over list, or a refusal."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    carried: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    flagged: set[str] = field(default_factory=set)  # field keys the reader highlighted for the person to check
    refused: str = ""  # the one-line message when the reader refused the document


def read(path: Path, shown_name: str | None = None) -> Reading:
    """Read ``path`` with docgen's plan readers (api.imported_plan) and return what it made of it.

    A DocgenError is a refusal; anything else propagates (a crash is a bug in the reader).
    """
    from docgen import api

    try:
        _found, moved = api.imported_plan(path, shown_name=shown_name or path.name)
    except DocgenError as error:
        return Reading(refused=str(error))
    values: dict[str, list[str]] = {}
    for key, value in fields_of(moved.plan):
        values.setdefault(key, []).append(str(value))
    flagged = {re.sub(r"\[\d+\]", "[*]", key) for key in moved.highlight}
    return Reading(values, [(c.kind, c.text) for c in moved.carried], flagged)


def forms(piece: Piece) -> set[str]:
    """Return the texts that count as ``piece`` in its field: as typed, and as the plan stores it.

    A reader that stores "every month" as the list's "Monthly", or "6/20/2025"
    as "June 20, 2025", has read it right (docgen's own values.clean decides).
    """
    variant = variants.load(VARIANT)
    head, _, name = piece.key.rpartition(".")
    table = head.split("[")[0].split(".")[-1]
    if head == "district":
        spec = next((f for f in variant.district_fields if f.key == name), None)
    elif table in variant.tables:
        spec = next((c for c in variant.tables[table].columns if c.key == name), None)
    else:
        spec = variant.field(name)
    found = {piece.text}
    if spec is not None:
        try:
            found.add(values.clean(variant, spec, piece.text))
        except DocgenError:
            pass
    return found


def verdict(piece: Piece, reading: Reading) -> str:
    """Return where ``piece`` landed in ``reading`` (one of VERDICTS)."""
    if reading.refused:
        return "refused"
    if piece.key != CARRIED and any(contains(v, text) for v in reading.fields.get(piece.key, ())
                                    for text in forms(piece)):
        return "right"
    kinds = {kind for kind, text in reading.carried if holds(text, piece.text)}
    if piece.key == CARRIED and kinds:
        return "right"
    if kinds & set(UNSURE_KINDS):
        return "unsure"
    if kinds:
        return "unplaced"
    elsewhere = {key for key, values in reading.fields.items() if key != piece.key
                 for v in values if holds(v, piece.text)}
    if elsewhere & reading.flagged:
        return "unsure"
    if elsewhere:
        return "wrong"
    return "lost"


@dataclass
class Score:
    """The verdicts on one document's pieces."""

    document: str
    split: str
    kind: str
    counts: Counter = field(default_factory=Counter)
    misses: list[tuple[str, Piece]] = field(default_factory=list)  # (verdict, piece) for every piece not right
    refused: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, name: str) -> float:
        return self.counts[name] / self.total if self.total else 0.0


def score(document: str, split: str, kind: str, pieces: list[Piece], reading: Reading) -> Score:
    """Return the verdict counts for ``pieces`` in ``reading``."""
    result = Score(document, split, kind, refused=reading.refused)
    for piece in pieces:
        found = verdict(piece, reading)
        result.counts[found] += 1
        if found != "right":
            result.misses.append((found, piece))
    return result


def total(scores: list[Score], name: str, split: str, kind: str = "") -> Score:
    """Return the pooled counts of ``scores`` (every piece weighs the same, whatever its document)."""
    pooled = Score(name, split, kind)
    for s in scores:
        pooled.counts.update(s.counts)
    return pooled


def table(scores: list[Score]) -> str:
    """Return the shares per document, then per split and overall, as a plain-text table."""
    head = f"{'document':<44} {'split':<8} {'kind':<5} {'pieces':>6} " + " ".join(f"{v:>8}" for v in VERDICTS)
    rows = [head, "-" * len(head)]

    def row(s: Score) -> str:
        return (f"{s.document:<44} {s.split:<8} {s.kind:<5} {s.total:>6} "
                + " ".join(f"{s.share(v):>8.0%}" for v in VERDICTS))

    rows += [row(s) for s in scores]
    rows.append("-" * len(head))
    for split in sorted({s.split for s in scores}, reverse=True):
        rows.append(row(total([s for s in scores if s.split == split], f"ALL {split}", split)))
    rows.append(row(total(scores, "ALL documents", "all")))
    return "\n".join(rows)
