"""The districts whose letters the letter tests read: the sample, Granite Falls with planted mistakes, Mill River.

Each letter is dated (``ON``): what it suggests and which dates it gives depend on the day, never on the clock.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import yaml

from docgen import api
from docgen.model.plan import plan_from_dict

DATA = Path(__file__).parent / "data"
ON = date(2025, 8, 14)


def district(name: str) -> dict:
    """Return a district of tests/data as plain data (granite_falls, mill_river)."""
    return yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))


def granite_falls_with_mistakes() -> dict:
    """Return Granite Falls with the mistakes a busy district team makes, several of a kind.

    A role typed where the name goes; a target with no number; two benchmarks reviewed 'Ongoing'; a benchmark
    with no midyear target; 'TBD' as an owner; the budget answer left as 'See attached'; an identified school
    left out of the targeted support table; a school whose category was lost.
    """
    data = copy.deepcopy(district("granite_falls"))
    data["district"]["superintendent"] = "Interim Superintendent"
    first, second = data["priorities"]
    first["outcomes"][1]["target"] = "Improve"
    first["benchmarks"][0]["frequency"] = "Ongoing"
    first["benchmarks"][1]["frequency"] = "Ongoing"
    first["benchmarks"][2]["on_track"] = ""
    second["benchmarks"][1]["monitored_by"] = "TBD"
    first["answers"]["resource_inequities"] = "See attached budget narrative."
    first["targeted_support"] = [r for r in first["targeted_support"] if "Granite Street" not in r["school"]]
    data["schools"][3]["category"] = ""
    return data


def plans() -> dict:
    """Return the letters' plans by name: the sample (reviewed), Granite Falls with mistakes, Mill River (drafts)."""
    return {"sample": api.example_plan(),
            "granite_falls": plan_from_dict(granite_falls_with_mistakes(), "fy26"),
            "mill_river": plan_from_dict(district("mill_river"), "fy26")}


def letter(plan, on: date | None = ON):
    """Return the composed letter of ``plan`` with its findings, dated ``on``."""
    return api.compose_letter(plan, api.check_plan(plan), on)
