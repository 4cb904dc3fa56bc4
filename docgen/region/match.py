"""Which of a region's districts a received plan is from: its DESE code, the name it gives, the sender, the file name.

Districts write their name as they please ("Cranberry Harbor Public Schools",
"CHPS", "Town of Cranberry Harbor"), and file names carry it with
underscores, a year and "final_v2"; so names are compared with rapidfuzz's
token-set ratio (a listed name found whole among the words scores 100) and a
match must stand clear of the next best. Words most of the region's names
share ("Public Schools", "Regional") are dropped for a second comparison, so
"Cedar_Point_FY26_plan.docx" finds "Cedar Point Public Schools". A sender's domain counts only when
one district of the region has it, and never a public mail provider's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process, utils

GENERIC_SHARE = 0.5  # a word in more than this share of the region's names (and in 3 or more) tells none apart
NAME_CUTOFF = 88  # token-set ratio a name or file name must reach
CLEAR_BY = 6  # ... and by how much it must beat the next district
# Domains shared by everyone who has no organisation's mail: never a district's clue
PUBLIC_MAIL = frozenset({"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
                         "yahoo.com", "icloud.com", "me.com", "aol.com", "comcast.net", "verizon.net", "proton.me",
                         "protonmail.com"})


@dataclass(frozen=True)
class RegionDistrict:
    """A district of the region as the intake knows it."""

    name: str
    org_code: str = ""
    contact_email: str = ""
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """A district found for a plan (None when none is), how it was found, and the name the plan gave."""

    district: RegionDistrict | None
    how: str  # "DESE code in the plan", "named in the plan", "sender's domain", "file name", ""
    named: str = ""


@dataclass
class Region:
    """The region's districts, with the name and domain indexes a match needs."""

    districts: list[RegionDistrict]
    _by_domain: dict[str, RegionDistrict] = field(init=False, repr=False)
    _names: list[str] = field(init=False, repr=False)  # each name, then each name without the generic words
    _owner: list[int] = field(init=False, repr=False)  # the district of each of _names

    def __post_init__(self) -> None:
        words = [set(utils.default_process(d.name).split()) for d in self.districts]
        counts: dict[str, int] = {}
        for named in words:
            for word in named:
                counts[word] = counts.get(word, 0) + 1
        generic = {w for w, n in counts.items() if n >= 3 and n > GENERIC_SHARE * len(self.districts)}
        self._names, self._owner = [d.name for d in self.districts], list(range(len(self.districts)))
        for index, named in enumerate(words):
            if named - generic and named & generic:
                self._names.append(" ".join(sorted(named - generic)))
                self._owner.append(index)
        owners: dict[str, set[str]] = {}
        for district in self.districts:
            for domain in _domains_of(district):
                owners.setdefault(domain, set()).add(district.name)
        by_name = {d.name: d for d in self.districts}
        self._by_domain = {domain: by_name[next(iter(names))] for domain, names in owners.items() if len(names) == 1}

    def match(self, named: str, org_code: str, senders: list[str], file_name: str) -> Match:
        """Return the district a plan is from: by its DESE code, the name it gives, a sender's domain, its file name."""
        named = " ".join((named or "").split())
        code = (org_code or "").strip()
        by_code = next((d for d in self.districts if code and d.org_code and d.org_code == code.zfill(8)), None)
        if by_code:
            return Match(by_code, "DESE code in the plan", named)
        by_name = self.by_name(named)
        if by_name:
            return Match(by_name, "named in the plan", named)
        unmatched = f" (the plan names '{named}')" if named else ""  # for the consultant to judge
        for sender in senders:
            domain = sender.rpartition("@")[2].casefold()
            found = self._by_domain.get(domain) or self._by_domain.get(_parent(domain))
            if found:
                return Match(found, "sender's domain" + unmatched, named)
        by_file = self.by_name(re.sub(r"[_\-.+]+", " ", Path(file_name).stem))
        return Match(by_file, "file name" + unmatched if by_file else "", named)

    def by_name(self, text: str) -> RegionDistrict | None:
        """Return the one district whose name ``text`` gives (fuzzy, clear of the others), or None."""
        if not text.strip() or not self.districts:
            return None
        scores: dict[int, float] = {}
        for _, score, at in process.extract(text, self._names, scorer=fuzz.token_set_ratio,
                                            processor=utils.default_process, limit=None):
            owner = self._owner[at]
            scores[owner] = max(score, scores.get(owner, 0))
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < NAME_CUTOFF:
            return None
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < CLEAR_BY:
            return None
        return self.districts[ranked[0][0]]


def _domains_of(district: RegionDistrict) -> set[str]:
    """Return the district's mail domains: those listed, and its contact email's unless a public provider's."""
    found = {d.casefold() for d in district.domains}
    contact = district.contact_email.rpartition("@")[2].casefold()
    if contact and contact not in PUBLIC_MAIL:
        found.add(contact)
    return found


def _parent(domain: str) -> str:
    """Return a domain one level up ("hs.harbor.k12.ma.us" -> "harbor.k12.ma.us"): schools' own subdomains."""
    return domain.partition(".")[2]
