"""What a heading, label or paragraph is about, by the words of the variant spec: section, field, table column.

A district's own layout titles and words its sections its own way ("Our
Goals", "Who does what", "Progress monitoring"). The vocabulary comes from the
spec (templates/<id>/spec.yaml): each section's heading, prompt, bullets, notes
and tips, each field's label and the questions of the prompt that ask for it,
each table's title, help and column headers. Words count by how distinctive
they are (a word every section uses says little), word forms are folded
("monitoring" = "monitor"), and whole phrases are compared with rapidfuzz, so
a reworded heading or a kept prompt is known without a list of phrases
matched to examples.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz

from docgen.variants import FieldSpec, Variant

STOP = frozenset("""a an and are as at be by can do does for from has have how in into is it its of on or our
our so that the their them these this those to was we what when where which who will with within you your
please any all each us also than then there they be been being would should could such its per via""".split())
_STEMMER = snowballstemmer.stemmer("english")
SURE = 0.72  # a cue at least this close names its section or field without doubt


@lru_cache(maxsize=20_000)
def fold(word: str) -> str:
    """Return a word's stem (Snowball, English): "monitoring", "monitored" and "monitor" share one."""
    return _STEMMER.stemWord(word.casefold().strip("'"))


@lru_cache(maxsize=20_000)
def words(value: str) -> list[str]:
    """Return the folded content words of ``value`` (no function words, no numbers alone)."""
    return [fold(w) for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", value.replace("’", "'"))
            if w.casefold() not in STOP and len(w) > 1]


@lru_cache(maxsize=20_000)
def plain(value: str) -> str:
    """Return ``value`` for phrase comparison: lower case, no numbering ("3." "Section 2:"), no punctuation."""
    value = re.sub(r"^\s*(?:section|part|step)?\s*(?:#?\d{1,2}|[ivx]{1,4}|[a-h])[.):]\s+", "", value, flags=re.I)
    value = re.sub(r"[^\w\s]", " ", value.casefold())
    return " ".join(value.split())


def lead_in(prompt: str) -> str:
    """Return the words a prompt opens with before its colon ("Student Outcomes: Based on ..." -> "Student Outcomes")"""
    head, colon, _ = prompt.partition(":")
    return head if colon and len(head.split()) <= 8 else ""


def questions(prompt: str) -> list[str]:
    """Return a prompt's sentences (its questions and requests), one by one."""
    return [s.strip() for s in re.split(r"(?<=[?.!])\s+", prompt) if len(s.split()) >= 3]


@dataclass
class Meaning:
    """What a piece of text names: a section and perhaps one of its fields, and how sure that is (0-1)."""

    section: str = ""
    field: FieldSpec | None = None
    district_key: str = ""
    score: float = 0.0


class Vocabulary:
    """A variant's words, by section and field, to tell what a piece of a district's own document is about."""

    def __init__(self, v: Variant):
        self.v = v
        self.names: dict[str, list[str]] = {}  # section id -> its names (heading, lead-ins)
        self.bags: dict[str, Counter] = {}  # section id -> folded words of everything it says
        self.field_names: dict[str, list[str]] = {}  # field key -> label and its questions
        self.field_bags: dict[str, Counter] = {}
        self.field_section: dict[str, str] = {}
        self.fields: dict[str, FieldSpec] = {}
        self.template_lines: list[str] = []  # every prompt, note and tip, to know template text kept in a document
        for section in v.sections:
            self._section(section)
        self.table_section = {part.table: s.id for s in v.sections for part in s.parts if part.table}
        self.idf = self._idf(self.bags.values())
        self.sizes = {id(b): sum(b.values()) or 1 for b in self.bags.values()}
        self.unknown = max(self.idf.values(), default=1.0)  # a heading's word no section uses weighs as the rarest
        self.district = {f.key: plain(v.text(f.label)) for f in v.district_fields}
        self.template_lines += [plain(v.text(line)) for line in (*v.cover, v.cover_note) if len(line.split()) >= 4]

    def _section(self, section) -> None:
        t = self.v.text
        heading = t(section.heading)
        names = [plain(heading)] + ([plain(lead_in(t(section.prompt)))] if lead_in(t(section.prompt)) else [])
        texts = [heading, t(section.prompt or ""), *map(t, section.bullets), *map(t, section.notes),
                 *map(t, section.tips)]
        for part in section.parts:
            part_text = t(part.prompt or "")
            texts += [part_text, *map(t, part.bullets), *map(t, part.notes), *map(t, part.tips)]
            if part.table:
                table = self.v.tables[part.table]
                texts += [t(table.title), t(table.help), *(t(c.header) for c in table.columns)]
                names.append(plain(t(table.title)))
            asked = questions(part_text) or questions(t(section.prompt or ""))
            for f in part.fields:
                label = t(f.label).split("\n")[0]
                texts.append(label)
                mine = [q for q in asked if set(words(label)) and set(words(label)) <= set(words(q))]
                if lead_in(part_text) and f is part.fields[0]:
                    mine.append(lead_in(part_text))
                self.fields[f.key] = f
                self.field_section[f.key] = section.id
                self.field_names[f.key] = [plain(label), *map(plain, mine)]
                self.field_bags[f.key] = Counter(w for x in (label, *mine) for w in words(x))
        sentences = [q for x in texts for q in questions(x)]  # a prompt's questions, kept one by one
        self.template_lines += [plain(x) for x in (*texts, *sentences) if len(x.split()) >= 4]
        self.names[section.id] = [n for n in names if n]
        self.bags[section.id] = Counter(w for x in texts for w in words(x))

    @staticmethod
    def _idf(bags) -> dict[str, float]:
        bags = list(bags)
        seen = Counter(w for bag in bags for w in set(bag))
        return {w: math.log((1 + len(bags)) / n) for w, n in seen.items()}

    # --- sections and fields --------------------------------------------------------------------

    def section_of(self, value: str, heading: bool = False) -> tuple[str, float]:
        """Return the section a heading names and how surely (0-1)."""
        text = plain(value)
        best, score = "", 0.0
        for sid, names in self.names.items():
            phrase = max((_phrase(text, n) for n in names), default=0.0)
            found = max(phrase, self._coverage(value, self.bags[sid], brief=True, whole=heading))
            if found > score:
                best, score = sid, found
        return best, score

    def _coverage(self, value: str, bag: Counter, brief: bool = True, whole: bool = False) -> float:
        """Return how much ``value``'s words belong to ``bag`` rather than to the other sections' (0-1).

        Each word votes for the sections in proportion to how often each uses
        it (relative to its length). For a heading (``brief``) every word
        counts, a word no section uses votes for none, and one word alone
        counts half (not in a heading set apart as one: ``whole``); for an answer, only words some section uses count,
        weighted by how distinctive they are.
        """
        mine = words(value)
        if not mine:
            return 0.0
        votes = weights = 0.0
        for w in mine:
            shares = {id(b): b[w] / self.sizes[id(b)] for b in self.bags.values() if b[w]}
            weight = self.idf.get(w, self.unknown if brief else 0.0)  # a word every section uses says little
            if shares:
                votes += weight * shares.get(id(bag), 0.0) / sum(shares.values())
                weights += weight
            elif brief:
                weights += weight
        if not weights:
            return 0.0
        return (min(1.0, len(set(mine)) / 2) if brief and not whole else 1.0) * votes / weights

    def field_of(self, value: str, section: str = "") -> tuple[FieldSpec | None, float]:
        """Return the field a label names (in ``section`` if given) and how surely (0-1)."""
        text = plain(value)
        best, score = None, 0.0
        for key, names in self.field_names.items():
            if section and self.field_section[key] != section:
                continue
            mine = set(words(value))
            inside = len(mine) >= 2 and mine <= set(words(names[0]))  # the label's own words, some left out
            alone = section and len(mine) == 1 and mine <= set(words(names[0])) and \
                self._only_label_with(next(iter(mine)), section)  # "School:" among District/School/Classroom
            phrase = max(max((_phrase(text, n) for n in names), default=0.0),
                         0.85 * self._label_cover(value, self.field_bags[key]), 0.8 if inside else 0.0,
                         0.75 if alone else 0.0)
            if phrase > score:
                best, score = self.fields[key], phrase
        return best, score

    def _only_label_with(self, word: str, section: str) -> bool:
        """True when exactly one field label of ``section`` holds ``word``: then the word alone names that field."""
        return sum(1 for k, s in self.field_section.items()
                   if s == section and word in set(words(self.field_names[k][0]))) == 1

    def _label_cover(self, value: str, bag: Counter) -> float:
        """Return the share of a label's words that a field's own words hold (a reworded label)."""
        mine = set(words(value))
        if not mine:
            return 0.0
        return len([w for w in mine if bag[w]]) / max(len(mine), len(bag) / 2)

    def field_for_text(self, value: str, section: str = "") -> tuple[FieldSpec | None, float]:
        """Return the text field (of ``section``, else of any) whose questions an answer's words are closest to.

        The margin (0-1) says how far ahead of the next field it is.
        """
        if not section:  # first the section whose words these are most, then its field
            ranked = sorted(((self._coverage(value, self.bags[sid], brief=False), sid) for sid in self.bags
                             if any(s == sid and self.fields[k].kind == "text"
                                    for k, s in self.field_section.items())), reverse=True)
            if not ranked or not ranked[0][0]:
                return None, 0.0
            field, margin = self.field_for_text(value, ranked[0][1])
            ahead = (ranked[0][0] - ranked[1][0]) / ranked[0][0] if len(ranked) > 1 else 1.0
            return field, min(margin, ahead) if margin else ahead / 2
        keys = [k for k, s in self.field_section.items() if s == section and self.fields[k].kind == "text"]
        if not keys:
            return None, 0.0
        idf = self._idf(self.field_bags[k] for k in keys)
        mine = Counter(words(value))
        scores = sorted(((sum(n * idf.get(w, 0) for w, n in mine.items() if self.field_bags[k][w]), k)
                         for k in keys), reverse=True)
        top, key = scores[0]
        runner = scores[1][0] if len(scores) > 1 else 0.0
        margin = (top - runner) / top if top else 0.0
        return self.fields[key], margin

    def cue(self, value: str, section: str = "", heading: bool = False) -> Meaning:
        """Return what a heading or label names: a field (preferring the current section's), or a section."""
        sid, s_score = self.section_of(value, heading)
        f, f_score = self.field_of(value, section) if section else (None, 0.0)
        g, g_score = self.field_of(value)
        if g_score > f_score + 0.1:
            f, f_score = g, g_score
        text = plain(value)
        mine = set(words(value)) if not section else set()  # on the cover, "Date", "Email" name the district's
        d_key, d_score = max(((k, max(_phrase(text, n), 0.8 if mine and mine <= set(words(n)) else 0.0))
                              for k, n in self.district.items()), key=lambda kv: kv[1])
        best = max(s_score, f_score, d_score)
        if d_score == best and d_score >= SURE:
            return Meaning(district_key=d_key, score=d_score)
        named = max((_phrase(text, n) for n in self.names.get(sid, ())), default=0.0) >= 0.95  # the section's name
        if f is not None and (f_score > s_score or f_score >= s_score - 0.05 and not named or f_score >= 0.99):
            return Meaning(self.field_section[f.key], f, score=f_score)
        if f is not None and f_score >= 0.5 and self.field_section[f.key] == sid and not named:
            return Meaning(sid, f, score=s_score)  # a field's label, in the section it names
        only = [k for k, s in self.field_section.items() if s == sid and self.fields[k].kind == "text"
                and set(words(value)) & set(words(self.field_names[k][0]))]
        if len(only) == 1 and not named:  # "Gaps we are closing": the one field of the section its words name
            return Meaning(sid, self.fields[only[0]], score=min(s_score, SURE - 0.01))
        return Meaning(sid, None, score=s_score)

    def is_title(self, value: str) -> bool:
        """True for the document's own title ("Instructional Priority Plan SY2025-26"): the plan's name, not a part."""
        mine = {w[:6] for w in plain(value).split()}
        titles = (*self.v.cover, self.v.file_title.replace("{{ district }}", ""))
        named = {w[:6] for t in titles for w in plain(self.v.text(t)).split() if w != "district"}
        return "plan" in mine and len(mine & named) >= 2  # "Instructional Priority Plan SY2025-26"

    def is_template_text(self, value: str) -> bool:
        """True when ``value`` is a prompt, note or tip of the template, kept as it was (or nearly)."""
        text = plain(value)
        if len(text.split()) < 4:
            return False
        return any(fuzz.ratio(text, line) >= 88 for line in self.template_lines
                   if 0.7 <= len(text) / max(len(line), 1) <= 1.4)


def _phrase(text: str, name: str) -> float:
    """Return how closely ``text`` says ``name`` (0-1): reworded, reordered, or with a few words added."""
    if not text or not name or not set(words(text)) & set(words(name)):  # letters alike, words unlike: no match
        return 0.0
    sort = fuzz.token_sort_ratio(text, name) / 100
    said, wanted = len(text.split()), len(name.split())
    if said >= 2 and wanted <= 12 and (name + " ").startswith(text + " "):  # a label's first words: shortened
        sort = max(sort, 0.8 + 0.2 * said / wanted)
    if wanted > 1 and wanted <= said + 1 and said <= 2 * wanted + 2:  # the name, with a few words added
        sort = max(sort, 0.95 * fuzz.token_set_ratio(text, name) / 100)
    return sort
