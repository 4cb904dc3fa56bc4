"""The held-out corpus of issue 30 (tests/corpus/held_out_checks) is usable: every clean district and every plan
made by a planted mistake or an ordinary rewording loads as a plan.

This test deliberately says nothing about what `docgen check` finds: the corpus was written without seeing the
rules, and the measurement that runs the checker over it is wired separately, so that tuning cannot read it here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from docgen.model.plan import plan_from_dict

CORPUS = Path(__file__).resolve().parent / "corpus" / "held_out_checks"
DISTRICTS = ("harlow_bay", "tully_valley", "bellhaven", "wellsmere")


def _load_apply():
    spec = importlib.util.spec_from_file_location("held_out_apply", CORPUS / "apply.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.apply


apply = _load_apply()


def _clean(district: str) -> dict:
    return yaml.safe_load((CORPUS / f"{district}.yaml").read_text(encoding="utf-8"))


def _entries(name: str) -> list[dict]:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("district", DISTRICTS)
def test_every_clean_district_loads(district):
    plan = plan_from_dict(_clean(district), "fy26")
    assert len(plan.priorities) == 2


@pytest.mark.parametrize("entry", _entries("mistakes.yaml") + _entries("rewordings.yaml"), ids=lambda e: e["id"])
def test_every_edited_plan_loads(entry):
    clean = _clean(entry["district"])
    edited = apply(clean, entry["change"])
    assert edited != clean
    plan_from_dict(edited, "fy26")
