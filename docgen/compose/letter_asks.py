"""What the letter asks of each section: the check's findings, said once each, judgements asked as questions.

A finding's advice reads "what the check saw: what the district should
answer?". Findings of one rule that end in the same question become one
sentence that lists every place; a finding that is a judgement (a warning)
is put to the district as a question about the check's reading, never as a
fact; and no sentence is said twice in one letter.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from types import SimpleNamespace

from docgen.model.letter import Ask
from docgen.model.plan import Plan
from docgen.text import join_words

_PRIORITY = re.compile(r"^Priority #(\d+): ")
_IT = re.compile(r"\bit\b")
_NUMBERED = re.compile(r"^Priority #(\d+)\b")
# Words that start a clause in the checks' wording and read in lower case mid-sentence. Anything else (a school,
# a person, a quotation, "Priority #2") keeps its capital.
_LOWER = {"the", "no", "none", "a", "an", "both", "as", "for", "in", "under", "its", "this", "each", "every",
          "neither", "benchmark", "benchmarks", "monitoring", "outcome", "classroom", "curriculum", "it", "there"}
_QUESTION_WORDS = {"what", "which", "who", "whom", "how", "when", "where", "why", "is", "are", "can", "could", "do",
                   "does", "should", "will", "would", "have", "has", "did"}
_LEAD_IN = re.compile(r"^(As written|As we read it),\s*")  # the check's own hedge, which the question already says
_IDENTIFIED = re.compile(r"\b(the identified schools|schools identified as requiring assistance or intervention)\b")


def asks(findings: Iterable, plan: Plan, frame: Callable[..., str],
         priorities: dict[int, str] | None = None) -> dict[str, list[Ask]]:
    """Return, by section id, what the letter asks: one Ask per rule and question, no sentence said twice.

    The plan's identified schools are named where a finding speaks of "the
    identified schools", a quoted row that several rows share says which row
    it is, and an ask about a priority that quotes none of the plan names the
    priority's focus (``priorities``: "grades 7-8 mathematics" by number), so
    no two districts' letters ask the same sentence. ``frame`` renders the
    letter's own words (templates/letter/letter.yaml).
    """
    identified = join_words([s.name for s in plan.schools if s.requires_assistance and s.name])
    groups: dict[tuple[str, str], list] = {}
    for f in findings:
        groups.setdefault((f.section, f.rule), []).append(_which_row(f, plan))
    said: set[str] = set()
    result: dict[str, list[Ask]] = {}
    for (section, rule), found in groups.items():
        for severity, wording in _worded(found, frame):
            if identified:
                wording = _name_identified(wording, identified)
            wording = _focus_named(_categories_mid_sentence(wording, plan), priorities or {})
            kept = [s for s in sentences(wording) if _key(s) not in said]
            said.update(_key(s) for s in kept)
            if kept:
                wording = " ".join(kept)
                result.setdefault(section, []).append(Ask(wording, severity, (rule,), tuple(quotes_in(wording)),
                                                          question="?" in wording))
    for section_asks in result.values():  # each priority's asks together, the plan as a whole first
        section_asks.sort(key=lambda a: int(m.group(1)) if (m := _NUMBERED.match(a.text)) else 0)
    return result


_ROW = re.compile(r"^p(\d+)\.(outcomes|benchmarks)\[(\d+)\]")
_TELLS_APART = {"outcomes": ("student_group", "school"), "benchmarks": ("level",)}


def _which_row(finding, plan: Plan):
    """Return the finding, its advice saying which row it is when it quotes words several rows share.

    "For 'MCAS ELA, grades 3-6', the target reads 'Improve'" is about one of
    three rows with that measure: the row's student group and school say which.
    """
    match = _ROW.match(getattr(finding, "at", "") or "")
    if match is None:  # not about a row of a priority's table
        return finding
    priority = next((p for p in plan.priorities if p.number == int(match.group(1))), None)
    if priority is None:
        return finding
    rows = getattr(priority, match.group(2))
    index = int(match.group(3))
    if index >= len(rows):
        return finding
    first = dataclasses.fields(rows[index])[0].name
    shared = getattr(rows[index], first)
    said = _advice(finding)
    if not shared or sum(getattr(r, first) == shared for r in rows) < 2 or f"'{shared}'" not in said:
        return finding
    apart = ", ".join(v for key in _TELLS_APART[match.group(2)] if (v := getattr(rows[index], key, "").strip()))
    if not apart:
        return finding
    quoted = f"'{shared}'"
    advice = said.replace(quoted, f"{quoted} ({apart})", 1)
    return SimpleNamespace(**{**{k: getattr(finding, k, "") for k in _READ}, "advice": advice})


_READ = ("rule", "severity", "section", "message", "advice", "at", "question")


def _advice(finding) -> str:
    """Return what the letter says of a finding: its advice for the letter, else the check's message."""
    return getattr(finding, "advice", "") or finding.message


def _worded(found: list, frame) -> list[tuple[str, str]]:
    """Return one rule's findings as sentences: those ending in the same question joined, places listed."""
    merged: dict[tuple, list] = {}
    for f in found:
        own = (getattr(f, "question", "") or "").strip() if f.severity == "warning" else ""
        prefix, advice = _split_prefix(own or _advice(f))
        prefix = prefix or _split_prefix(_advice(f))[0]  # a question of its own keeps its priority
        statement, question, tail = split_question(advice)
        key = (f.severity, bool(own), question.casefold(), tail) if question and not own else (f.severity, own, advice)
        merged.setdefault(key, []).append((prefix, statement, question, tail))
    result = []
    for (severity, own, *_), items in merged.items():
        _, _, question, tail = items[0]
        prefixes = {p for p, *_ in items}
        label = next(iter(prefixes)) if len(prefixes) == 1 else ""
        statements = [s + (f" ({frame('in_priority', number=p)})" if p and not label else "") for p, s, _, _ in items]
        unique = list(dict.fromkeys(s for s in statements if s))
        statement = "; ".join([*unique[:1], *(_lower_first(s) for s in unique[1:])])
        if len(unique) > 1:  # one question about several places: "look at it" becomes "look at each"
            question = _IT.sub("each", question, count=1)
        if severity == "warning" and not own:
            text = _as_question(statement, question, tail, frame)
        else:
            text = (f"{statement}: {question}" if statement and question else (statement or question)) + tail
        result.append((severity, f"Priority #{label}: {_capitalise(text)}" if label else _capitalise(text)))
    return result


def _categories_mid_sentence(wording: str, plan: Plan) -> str:
    """Return the wording with a school's accountability category in brackets in lower case, as mid-sentence words
    read: "Granite Street Elementary School (in need of focused/targeted support)"."""
    for category in {s.category for s in plan.schools if s.category[:1].isupper()}:
        wording = wording.replace(f"({category}", f"({category[:1].lower()}{category[1:]}")
    return wording


def _focus_named(wording: str, priorities: dict[int, str]) -> str:
    """Return "Priority #2 (grades 7-8 mathematics): ..." for an ask that quotes nothing of the plan."""
    match = _PRIORITY.match(wording)
    if not match or quotes_in(wording) or not priorities.get(int(match.group(1))):
        return wording
    return f"Priority #{match.group(1)} ({priorities[int(match.group(1))]}): {wording[match.end():]}"


def _name_identified(wording: str, identified: str) -> str:
    """Return the wording with "the identified schools" followed by their names, outside the plan's quoted words."""
    inside = _quoted(wording)
    for match in reversed(list(_IDENTIFIED.finditer(wording))):
        if not inside[match.start()]:
            wording = f"{wording[:match.end()]} ({identified}){wording[match.end():]}"
    return wording


def _as_question(statement: str, question: str, tail: str, frame) -> str:
    """Return a judgement put to the district: "As we read it, <the check's reading>; is that so, and if so, ...?"."""
    if not statement:
        return question + tail
    reading = "; ".join(_lower_first(_LEAD_IN.sub("", s)) for s in statement.split("; "))
    if not question:
        return frame("question_from_message", reading=reading.rstrip("."))
    return frame("question_from_reading", reading=reading, question=_lower_question(question)) + tail


def _split_prefix(text: str) -> tuple[str, str]:
    """Return ("2", rest) for "Priority #2: rest", else ("", text)."""
    match = _PRIORITY.match(text)
    return (match.group(1), text[match.end():]) if match else ("", text)


def split_question(text: str) -> tuple[str, str, str]:
    """Return (what the check saw, the question it asks, what follows the question) of an advice sentence.

    "Benchmark 2, 'X', has no owner: who will bring it? Less is more." ->
    ("Benchmark 2, 'X', has no owner", "who will bring it?", " Less is more."). A
    colon inside the plan's quoted words does not split.
    """
    inside = _quoted(text)
    marks = [i for i, c in enumerate(text) if c == "?" and not inside[i]]
    if not marks:
        return text.rstrip(), "", ""
    end = marks[-1] + 1
    start = 0
    for i in range(end - 1):
        if not inside[i] and text[i:i + 2] in (": ", "; ", ". ", "? "):
            start = i + 2
    statement = text[:start].rstrip(":; ").rstrip()
    if text[start - 2:start] == ". ":
        statement += "."
    return statement.rstrip("."), text[start:end], text[end:]


def sentences(text: str) -> list[str]:
    """Return the sentences of a text, not splitting inside the plan's quoted words."""
    inside = _quoted(text)
    result, start = [], 0
    for i, c in enumerate(text):
        numbered = c == "." and text[:i].rsplit(" ", 1)[-1].isdigit()  # "under 6. Monitoring": a section's number
        if c in ".?!" and not inside[i] and not numbered and (
                i + 1 == len(text) or (text[i + 1] == " " and i + 2 < len(text) and text[i + 2].isupper())):
            result.append(text[start:i + 1].strip())
            start = i + 1
    if text[start:].strip():
        result.append(text[start:].strip())
    return result


def quotes_in(text: str) -> list[str]:
    """Return the plan's words a sentence quotes ('...')."""
    inside, found, current = _quoted(text), [], []
    for i, c in enumerate(text):
        if inside[i]:
            current.append(c)
        elif current:
            found.append("".join(current).strip("'"))
            current = []
    return [q for q in found if q]


def _quoted(text: str) -> list[bool]:
    """Return for each character whether it is inside a single-quoted quotation of the plan.

    A quotation opens with ' after a space or bracket and closes with ' before a
    space or punctuation; an apostrophe inside a word (district's) does neither.
    """
    inside, mask, opened = False, [], False
    for i, c in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if c == "'" and not inside and (before.isspace() or before in "([\"") and not after.isspace():
            inside, opened = True, True
        elif c == "'" and inside and not opened and not before.isspace() and (after.isspace() or after in ".,;:)?!"):
            mask.append(True)
            inside = False
            continue
        opened = False
        mask.append(inside)
    return mask


def _lower_first(text: str) -> str:
    word = text.split(" ", 1)[0].rstrip(",")
    return text[:1].lower() + text[1:] if word.casefold() in _LOWER and word[:1].isupper() else text


def _lower_question(text: str) -> str:
    word = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if word.casefold() in _QUESTION_WORDS else text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _key(sentence: str) -> str:
    return " ".join(sentence.casefold().split())
