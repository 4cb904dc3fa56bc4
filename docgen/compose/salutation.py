"""How the letter greets the superintendent, from whatever the district typed where the name goes.

People type a name ("Renata Alves"), a name with a title or degree ("Dr.
Jane Smith", "Maria de la Cruz, Ed.D."), a name with the role ("Jane Smith,
Interim Superintendent"), the role alone ("Superintendent", "Interim
Superintendent"), a placeholder ("TBD") or nothing. The greeting is a title
and the last name when there is a name, else the role, never the role twice.
"""

from __future__ import annotations

import re

_TITLES = {"dr": "Dr.", "mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "miss": "Miss", "mx": "Mx."}
_DEGREE = re.compile(r"(?i)^(ed\.?\s?d|ph\.?\s?d|d\.?\s?ed)\.?$")
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_PARTICLES = {"de", "del", "della", "der", "di", "da", "du", "la", "le", "van", "von", "st.", "bin", "al"}
# Words of a role, not of a name: what districts type beside or instead of the superintendent's name.
_ROLE = {"superintendent", "superintendent-director", "interim", "acting", "assistant", "deputy", "associate",
         "co-superintendent", "of", "schools", "school", "the", "district", "public", "office", "and", "director",
         "executive", "chief", "officer", "ceo", "regional", "for"}
_QUALIFIERS = {"interim", "acting"}
_NOBODY = {"tbd", "tba", "n/a", "na", "vacant", "none", "unknown", "-", "?", "pending"}


def greeting(typed: str) -> str:
    """Return whom the letter greets: "Dr. Okafor-Lindqvist", "Superintendent Alves", "Interim Superintendent".

    "Dr. Teresa Okafor-Lindqvist, Superintendent of Schools" -> "Dr. Okafor-Lindqvist";
    "Maria de la Cruz, Ed.D." -> "Dr. de la Cruz"; "Renata Alves" -> "Superintendent Alves";
    "Interim Superintendent" -> "Interim Superintendent"; "" or "TBD" -> "Superintendent".
    """
    typed = re.sub(r"\([^)]*\)|\S+@\S+", " ", typed or "")
    parts = [p.strip() for p in typed.split(",") if p.strip()]
    title, role = "", ""
    name: list[str] = []
    for part in parts:
        words = part.split()
        if words and all(_DEGREE.match(w) for w in words):
            title = title or "Dr."
            continue
        if words and words[0].rstrip(".").casefold() in _TITLES:
            title = title or _TITLES[words.pop(0).rstrip(".").casefold()]
        roles = [w for w in words if w.casefold() in _ROLE]
        rest = [w for w in words if w.casefold() not in _ROLE and w.casefold() not in _NOBODY]
        if roles and not role:
            role = _role(roles)
        while rest and rest[-1].rstrip(".").casefold() in _SUFFIXES:
            rest.pop()
        if rest and not name:
            name = rest
    if not name:
        return role or "Superintendent"
    last = [_cased(name.pop())]
    while name and name[-1].casefold() in _PARTICLES:  # "de la Cruz", "van der Berg"
        last.insert(0, name.pop().casefold())
    if title:
        return f"{title} {' '.join(last)}"
    plain = role.split()[-1] if role else "Superintendent"  # "Interim Superintendent Alves" reads oddly: the office
    return f"{plain} {' '.join(last)}"


def _role(words: list[str]) -> str:
    """Return the role the words name, as a greeting says it: "Interim Superintendent", "Superintendent-Director"."""
    folded = [w.casefold() for w in words]
    office = next((w for w in words if w.casefold().startswith(("superintendent", "co-superintendent"))), "")
    if not office:
        return ""
    qualifier = next((w.capitalize() for w in words if w.casefold() in _QUALIFIERS), "")
    if "assistant" in folded or "deputy" in folded:  # the letter is to the superintendent, not the assistant
        qualifier = ""
    office = "-".join(p.capitalize() for p in office.split("-"))
    return f"{qualifier} {office}".strip()


def _cased(word: str) -> str:
    """Return a name typed all in capitals or all in lower case as a name is written ("SMITH" -> "Smith")."""
    if word.isupper() or word.islower():
        return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))
    return word
