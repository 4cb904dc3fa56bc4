"""Reading what people type: grade spans, student groups, placeholders, counts of actions, short quotes.

The checks compare a plan's parts with each other ("does any priority cover
grades 6-8?", "is there a target for low-income students?"), so the same
thing written in the ordinary ways people write it must read as the same
thing: "K-5, 7" and "Grades 3 through 5" are grade sets; "low-income
students", "Low income" and "economically disadvantaged" are one group;
"especially newcomers" qualifies a group, it is not one.
"""

from __future__ import annotations

import re
from functools import lru_cache

# --- grade spans ---------------------------------------------------------------------------

_GRADE = r"(pre-?kindergarten|kindergarten|pre-?k|pk|k|\d{1,2})"
_SPAN = re.compile(_GRADE + r"(?:\s*(?:-|–|—|to|through|thru)\s*" + _GRADE + r")?", re.IGNORECASE)
_GRADE_WORDS = re.compile(r"\b(grades?|gr\.?|and|&)\b", re.IGNORECASE)


def _grade_number(token: str) -> int | None:
    token = token.casefold().replace("-", "")
    if token in ("prek", "pk", "prekindergarten"):
        return -1
    if token in ("k", "kindergarten"):
        return 0
    number = int(token)
    return number if 0 <= number <= 12 else None


def grade_set(text: str) -> set[int]:
    """Return the grades a span names (PK is -1, K is 0): "K-3" -> {0..3}, "K-5, 7" -> {0..5, 7}; "" -> set().

    Text that holds no grade ("all grades", "districtwide") gives the empty set,
    which the checks read as "unknown", never as "none".
    """
    return set(_grade_set(text))


@lru_cache(maxsize=1024)
def _grade_set(text: str) -> frozenset[int]:
    grades: set[int] = set()
    cleaned = _GRADE_WORDS.sub(" ", re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text))  # "3rd-5th" is 3-5
    for match in _SPAN.finditer(cleaned):
        first = _grade_number(match.group(1))
        last = _grade_number(match.group(2)) if match.group(2) else first
        if first is None or last is None:
            continue
        grades.update(range(min(first, last), max(first, last) + 1))
    return frozenset(grades)


def grades_named(grades: set[int]) -> str:
    """Return a grade set with its word: {10} -> "grade 10", {3, 4, 5} -> "grades 3-5"."""
    shown = grades_shown(grades)
    return f"grade {shown}" if len(grades) == 1 and shown not in ("K", "PK") else f"grades {shown}"


def grades_shown(grades: set[int]) -> str:
    """Return a grade set as people write it: {0, 1, 2, 3, 7} -> "K-3, 7"."""
    names = {-1: "PK", 0: "K"}
    runs: list[list[int]] = []
    for g in sorted(grades):
        if runs and g == runs[-1][-1] + 1:
            runs[-1].append(g)
        else:
            runs.append([g])
    return ", ".join(names.get(r[0], str(r[0])) + (f"-{names.get(r[-1], str(r[-1]))}" if len(r) > 1 else "")
                     for r in runs)


# --- student groups ------------------------------------------------------------------------

# Each group DESE reports, with what districts write for it. Matched as whole words, casefolded.
GROUPS: dict[str, tuple[str, ...]] = {
    "All students": ("all students", "all", "aggregate", "all grades", "every student", "all learners"),
    "High needs": ("high needs", "high-needs", "high need"),
    "Low income": ("low income", "low-income", "economically disadvantaged", "econ dis", "econ. dis.", "frl",
                   "free and reduced lunch", "free/reduced lunch", "free or reduced lunch", "econ. disadvantaged",
                   "econ. disadv.", "econ disadv", "economically disadv.",
                   "students from low-income families", "low-income families", "students in poverty"),
    "English learners and former ELs": ("english learners", "english learner", "former els", "former el", "els",
                                        "el", "ells", "ell", "english language learners", "multilingual learners",
                                        "multilingual learner", "mls", "ml", "mll", "mlls",
                                        "multilingual students", "multilingual", "emergent multilingual learners",
                                        "emergent bilingual", "emergent bilinguals", "lep", "leps",
                                        "limited english proficient", "limited english proficiency",
                                        "dual language learners", "dlls",
                                        "newcomers", "newcomer", "flep", "fel"),
    "Students with disabilities": ("students with disabilities", "student with disabilities", "swd", "swds",
                                   "students with ieps", "students with an iep", "students on ieps", "ieps", "iep",
                                   "special education", "sped", "disabilities", "special needs"),
    "American Indian or Alaska Native": ("american indian", "alaska native", "native american"),
    "Asian": ("asian", "asian american"),
    "African American/Black": ("african american", "african-american", "black"),
    "Hispanic/Latino": ("hispanic", "latino", "latina", "latinx", "latine"),
    "Multi-race, non-Hispanic/Latino": ("multi-race", "multiracial", "multi-racial", "two or more races"),
    "Native Hawaiian or Pacific Islander": ("native hawaiian", "pacific islander"),
    "White": ("white",),
    "Lowest performing students": ("lowest performing", "lowest-performing", "lowest 25%", "bottom quartile"),
}
def trie_pattern(words) -> str:
    """Return a regular expression matching any of ``words``, as a trie: "ell|ells|els" -> "e(?:l(?:ls?|s))".

    Python's re tries each branch of a long alternation at every position; a trie shares prefixes, so the check
    reads a plan's hundreds of cells against hundreds of names in a few milliseconds.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def whole_words(words) -> re.Pattern:
    """Return a pattern finding any of ``words`` as whole words (not inside "co-teach" or "sells")."""
    return re.compile(r"(?<![\w-])(" + trie_pattern(words) + r")(?![\w-])")


_GROUP_OF = {alias.casefold(): group for group, aliases in GROUPS.items() for alias in aliases}


@lru_cache(maxsize=1)
def _group_pattern() -> re.Pattern:
    """The groups' names, matched in casefolded text (compiled on first use)."""
    return whole_words(_GROUP_OF)
QUALIFIERS = re.compile(r"^\s*(especially|including|in particular|particularly|with a focus on|focusing on|"
                        r"notably|such as|and|with)\b", re.IGNORECASE)

def groups_in(text: str) -> list[str]:
    """Return the DESE groups ``text`` names, in order, once each: "low-income students and ELs" -> two groups."""
    return list(_groups_in(text))


@lru_cache(maxsize=4096)
def _groups_in(text: str) -> tuple[str, ...]:
    found = [_GROUP_OF[m.group(1)] for m in _group_pattern().finditer(text.casefold())]
    return tuple(dict.fromkeys(found))


def own_groups_in(text: str) -> list[str]:
    """Return the parts of a group list that name no DESE group and are not qualifiers: a district's own group.

    "English learners, especially newcomers; Grade 3 readers" -> ["Grade 3 readers"].
    """
    parts = [p.strip(" .") for p in re.split(r"[;\n,()]", text) if p.strip(" .")]
    return [p for p in parts if not groups_in(p) and not QUALIFIERS.match(p)]


_GROUPS_IN_A_SENTENCE = {
    "all students": "all students", "high needs": "high-needs students", "low income": "low-income students",
    "english learners and former els": "English learners and former English learners",
    "students with disabilities": "students with disabilities",
    "multi-race, non-hispanic/latino": "multi-race, non-Hispanic/Latino students",
    "lowest performing students": "the lowest-performing students",
}


def students(group: str) -> str:
    """Return a student group as it reads mid-sentence: "Low income" -> "low-income students".

    "Asian" -> "Asian students".

    Accountability groups named after people keep their capitals; a group the
    district named itself ("Grade 3 readers") is kept as typed.
    """
    key = " ".join(group.split()).casefold()
    if key in _GROUPS_IN_A_SENTENCE:
        return _GROUPS_IN_A_SENTENCE[key]
    if re.search(r"student|learner|reader|children|youth|\bels?\b", key):
        return group
    return f"{group} students"


# --- placeholders --------------------------------------------------------------------------

# A placeholder as the whole answer: nothing else is said.
WHOLE = re.compile(r"^\s*(tbd|tba|tbc|n/?a|none|todo|to do|see above|same as above|see below|see attached|"
                   r"\?+|x+|-+|\.+|lorem ipsum.*|coming soon|pending|various|as needed|to be determined|"
                   r"to be decided|will be determined|same as last year|see last year'?s plan|ongoing|"
                   r"forthcoming|in progress|under development|will follow|to follow)\s*[.!]?\s*$",
                   re.IGNORECASE | re.DOTALL)
# A placeholder that starts an answer: what follows points elsewhere or excuses it ("N/A - we did not ...").
START = re.compile(r"^\s*(?:(tbd|tba|n/a|to be determined|lorem ipsum|coming soon|same as last year)\b\s*[-–—:,.;(]|"
                   r"(see (?:the )?attached|see above|see below|refer to the attached|please see attached)\b)",
                   re.IGNORECASE)


@lru_cache(maxsize=8192)
def placeholder(text: str) -> str:
    """Return the placeholder an answer is or starts with ("TBD", "See attached"), or ""."""
    if WHOLE.match(text):
        return text.strip()
    match = START.match(text)
    return (match.group(1) or match.group(2)) if match else ""


# --- counting --------------------------------------------------------------------------------

_LIST_ITEM = re.compile(r"^(\s*)([-*•·]|\d+[.)]|[a-z][.)])\s+", re.IGNORECASE)


def items_in(text: str) -> int:
    """Return how many things an answer lists: its top-level list items, else its sentences and semicolon clauses.

    A sentence that is itself a list of four or more short items ("coaching,
    PLCs, walkthroughs, data meetings and family nights") counts its items
    when that is more. "- A\\n- B\\n  - detail" is 2; a paragraph of four
    sentences is 4; "In August, teachers, coaches and principals attend the
    institute." is 1.
    """
    return _items_in(text)


@lru_cache(maxsize=4096)
def _items_in(text: str) -> int:
    lines = [line for line in text.split("\n") if line.strip()]
    marked = [_LIST_ITEM.match(line) for line in lines]
    if any(marked):
        indents = [len(m.group(1)) for m in marked if m]
        items = [line[m.end():] for line, m in zip(lines, marked, strict=True) if m and len(m.group(1)) == min(indents)]
        return max(len(items), *(listed_items(item) for item in items))
    sentences = [c for line in lines for c in re.split(r"(?<=[.!?])\s+", line)]
    clauses = sum(len([c for c in re.split(r";\s*", s) if len(c.split()) >= 2]) for s in sentences)
    return max(clauses, *(listed_items(s) for s in sentences)) if sentences else 0


LIST_LENGTH = 4  # "a, b and c" inside a sentence reads as one thing; four or more short items are a list
LIST_ITEM_WORDS = 8  # "build co-taught sections into the master schedule" is one item
_PARENTHESES = re.compile(r"\([^()]*\)")
_SEPARATOR = re.compile(r"\s*,\s+|\s*;\s*")  # not "1,200"
_JOINED = re.compile(r"^(?:and|or|and/or|&)\s+", re.IGNORECASE)
# An item that starts like this continues the sentence ("including special educators"): the commas are a clause's.
_CONTINUES = re.compile(r"^(including|such as|especially|particularly|in particular|with|without|which|who|whose|"
                        r"where|when|while|that|so|because|since|if|unless|as|by|in order|e\.g\.|i\.e\.|for example|"
                        r"for instance|like|than|but|then|after|before|until|to)\b", re.IGNORECASE)
# A verb like these in an item makes it a clause ("teachers will meet weekly"), not a listed thing.
_CLAUSE = re.compile(r"\b(will|shall|must|should|would|can|could|may|might|is|are|was|were|be|been|has|have|had|"
                     r"does|do|did)\b", re.IGNORECASE)
# A lead-in ending in a preposition's object lists topics of one action ("PD on phonics, fluency, ...").
_TOPICS = re.compile(r"\b(on|about|of|for|across|around|between|among)\s+\S+(\s+\S+)?$", re.IGNORECASE)


@lru_cache(maxsize=8192)
def listed_items(sentence: str) -> int:
    """Return how many short items a sentence lists, separated by commas or semicolons; 0 when it is no such list.

    "We will fund coaching, PLCs, walkthroughs, data meetings and family nights." is 5: a lead-in ("We will fund
    coaching") and short noun or verb phrases. A sentence whose commas belong to clauses ("In August, the
    district will train all teachers, including special educators, on the units.") or whose list is followed
    by its verb ("Adams, Brown, Carver and Dunn teachers meet weekly to plan units together.") is 0.
    """
    text = _PARENTHESES.sub("", sentence).strip().rstrip(".!?;, ")
    lead, colon, rest = text.partition(": ")
    parts = [_JOINED.sub("", p.strip()) for p in _SEPARATOR.split(rest if colon else text)]
    parts = [p for p in parts if re.search(r"[^\W\d_]", p)]  # "October 1, 2025": the year is no item
    items = parts if colon else parts[1:]
    if not colon and parts and _TOPICS.search(parts[0]):
        return 0
    last = re.split(r"\s+(?:and|or|&)\s+", items[-1]) if items else []
    middle = [len(p.split()) for p in items[:-1]] or [LIST_ITEM_WORDS]
    if any(len(half.split()) > max(middle) + 2 for half in last):
        return 0  # the list is the sentence's subject and its verb follows: "..., Ellis and Fox teachers meet weekly"
    count = len(parts) + len(last) - 1
    short = all(len(p.split()) <= LIST_ITEM_WORDS and not _CONTINUES.match(p) and not _CLAUSE.search(p) for p in items)
    return count if short and count >= LIST_LENGTH else 0


def numbered_items(text: str) -> int:
    """Return how many numbered items ("1.", "2)", "(3)") an answer has."""
    return len(re.findall(r"(?:^|\n|\s)\(?\d+[.)]\s+\S", text))


# --- quoting -------------------------------------------------------------------------------


def joined(names) -> str:
    """Return names as a sentence lists them: ["a", "b", "c"] -> "a, b and c"."""
    names = list(names)
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + (names[-1] if names else "")

QUOTE_WORDS = 12


def quote(text: str, words: int = QUOTE_WORDS) -> str:
    """Return an answer's first words, exactly as typed, for the letter to quote ("Improve", "Learning walks ...")."""
    first = " ".join(text.split("\n")[0].split()) or " ".join(text.split())
    first = _LIST_ITEM.sub("", first)
    kept = first.split()
    return " ".join(kept[:words]).rstrip(",;:") + ("..." if len(kept) > words else "")
