"""A plan with a second priority shows both priorities, in both variants and both formats."""

from __future__ import annotations

import pytest
from pptx import Presentation

from docgen import api
from docgen.write import xlsx_intake

from .conftest import docx_lines


@pytest.mark.parametrize("variant", ["fy26", "fy25"])
def test_second_priority_appears_in_word_and_powerpoint(tmp_path, variant):
    plan = api.example_plan(variant)
    first = plan.priorities[0]
    second = type(first)(number=2, answers={k: f"Second: {v}" for k, v in first.answers.items() if k != "direction"},
                         outcomes=first.outcomes[:1], benchmarks=first.benchmarks[:2],
                         targeted_support=first.targeted_support[:1])
    second.answers["direction"] = "Change direction"
    plan.priorities.append(second)
    path = tmp_path / "two.xlsx"
    from docgen import variants

    path.write_bytes(xlsx_intake.write(variants.load(variant), plan))
    written = api.build(path, tmp_path / "out")
    docx_path = next(p for p in written if p.suffix == ".docx")
    lines = docx_lines(docx_path)
    expected = ("# Instructional Priority #1",
                "# Instructional Priority #2" if variant == "fy26" else "# OPTIONAL Priority #2")
    for heading in expected:
        assert heading in lines
    assert any(line.startswith("Second: ") for line in lines[lines.index(expected[1]):])
    deck = Presentation(str(next(p for p in written if p.suffix == ".pptx")))
    titles = [s.shapes.title.text_frame.text for s in deck.slides]
    assert "1. Instructional Priority (Priority #1)" in titles
    assert "1. Instructional Priority (Priority #2)" in titles
    assert len(titles) == len(set(titles))
