"""The checker measured on the held-out corpus (tests/corpus/held_out_checks), written from the guidance alone by
someone who never saw the rules, and measured here once, after the rules were done: no rule was changed after.

A planted mistake is caught when the edited plan draws a finding (error or warning) the clean district does not; a
rewording draws a false error when it brings an error the clean district does not have. The figures are the ones
the report gives; the tests hold them so that a later change cannot quietly lose what is caught.
"""

from __future__ import annotations

from functools import cache

import pytest
import yaml

from docgen import api
from docgen.model.plan import plan_from_dict

from .test_held_out_corpus_loads import CORPUS, DISTRICTS, apply  # one loader of the blind corpus's edits


@cache
def clean(district: str) -> dict:
    return yaml.safe_load((CORPUS / f"{district}.yaml").read_text(encoding="utf-8"))


def entries(name: str) -> list[dict]:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


def findings(data: dict):
    return api.check_plan(plan_from_dict(data, "fy26"))


@cache
def clean_findings(district: str) -> frozenset[tuple[str, str, str]]:
    return frozenset((f.rule, f.severity, f.message) for f in findings(clean(district)))


def new_findings(entry: dict):
    """Return the findings the entry's change brings that its clean district does not have."""
    before = clean_findings(entry["district"])
    return [f for f in findings(apply(clean(entry["district"]), entry["change"]))
            if (f.rule, f.severity, f.message) not in before]


def caught_rate() -> tuple[int, int]:
    mistakes = entries("mistakes.yaml")
    return sum(bool(new_findings(m)) for m in mistakes), len(mistakes)


def false_errors() -> list[tuple[str, str]]:
    return [(r["id"], f.message) for r in entries("rewordings.yaml") for f in new_findings(r) if f.severity == "error"]


# Measured once, on 2026-12-07 at merge time, with the rules as they were: 63 of the 82 planted mistakes drew a new
# finding (77%; the tuned corpus: 135 of 135 by the rule expected), and none of the 54 rewordings drew an error.
CAUGHT_WHEN_MEASURED = 63


def test_no_ordinary_rewording_draws_an_error():
    assert false_errors() == []


def test_the_planted_mistakes_caught_are_not_fewer_than_when_measured():
    caught, total = caught_rate()
    assert total == 82
    assert caught >= CAUGHT_WHEN_MEASURED, f"{caught} of {total} caught, {CAUGHT_WHEN_MEASURED} when measured"


@pytest.mark.parametrize("district", DISTRICTS)
def test_each_clean_held_out_district_draws_no_error(district):
    assert [message for _, severity, message in clean_findings(district) if severity == "error"] == []


@pytest.mark.parametrize("district", DISTRICTS)
def test_each_clean_held_out_district_draws_at_most_three_warnings(district):
    found = clean_findings(district)
    if district == "wellsmere":  # measured: 4 (two midyear standards dated after January, among them)
        pytest.xfail(f"wellsmere draws {len(found)} warnings, the goal is at most 3")
    assert len(found) <= 3, sorted(found)
