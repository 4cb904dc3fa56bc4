"""The reading corpus (issue 29): real districts' writing, laid out as districts lay out their plans, read back.

Every document is made from tests/corpus/ at test time and read with
``api.imported_plan``; each piece of district text gets a verdict (right,
unsure, unplaced, wrong, lost; refused for a document the readers refuse).
What is true today is asserted; the target (TARGET_RIGHT of the pieces in the
right field, on the tuning and the held-out documents alike) is an expected
failure until the readers of issue 29 land. Run with ``-s`` to see the table
(also written to output/reading_corpus.txt), or ``python -m tests.corpus.report``. Held-out documents are counted, never
quoted, in any message here.
"""

from __future__ import annotations

import re
import zipfile

import pytest

from tests.conftest import soffice_or_skip
from tests.corpus import corpus_plans, make_documents, report
from tests.corpus.held_out import styles as held_out_styles
from tests.corpus.reading_score import Score, contains, read, score, table, total

TARGET_RIGHT = 0.90  # issue 29: at least 90% of the district's text pieces land in the right field
LOST_AT_MOST = 7
"""Pieces lost with issue 29's readers (read29): none in the tuning documents (the three the official template's
reader lost are read now), seven in two held-out documents of the 'memo' style, which the readers before issue 29
refused whole (so nothing of them was read, and nothing counted lost). Counted, never looked at: the held-out
documents stay unseen. It may fall, never rise."""
NOT_YET = "readers of issue 29 not merged yet"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    return make_documents.make_all(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def scores(made) -> list[Score]:
    return [score(m.spec.name, m.spec.split, m.spec.kind, m.pieces, read(m.path)) for m in made]


def document_text(path) -> str:
    """Return every run of text in a .docx or .pptx (body, tables, text boxes, headers, notes), one per line."""
    with zipfile.ZipFile(path) as package:
        parts = [n for n in package.namelist() if re.fullmatch(r"(word|ppt)/.*\.xml", n)]
        texts = []
        for name in sorted(parts):
            xml = package.read(name).decode("utf-8")
            for paragraph in re.findall(r"<(?:w|a):p[ >].*?</(?:w|a):p>", xml, flags=re.S):
                texts.append("".join(re.findall(r"<(?:w|a):t(?: [^>]*)?>([^<]*)</(?:w|a):t>", paragraph)))
    return "\n".join(texts).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def test_the_corpus_has_twelve_districts_and_a_third_held_out():
    specs = make_documents.DOCUMENTS
    held_out = [s for s in specs if s.split == "held-out"]
    assert len(make_documents.districts()) >= 12
    assert len(specs) >= 12 and len([s for s in specs if not s.pdf]) >= 12
    assert 0.3 <= len(held_out) / len(specs) <= 0.4
    assert {s.kind for s in specs} == {"docx", "pptx", "pdf"}
    assert len({s.style for s in specs}) >= 6


def test_held_out_documents_share_no_district_and_no_style_with_tuning():
    tuning_districts, held_districts = corpus_plans.tuning_districts(), corpus_plans.held_out_districts()
    assert not set(tuning_districts) & set(held_districts)
    for spec in make_documents.DOCUMENTS:
        if spec.split == "held-out":
            assert spec.district in held_districts and spec.style in held_out_styles.STYLES, spec.name
        else:
            assert spec.district in tuning_districts and spec.style in make_documents.TUNING_STYLES, spec.name


def test_each_piece_gets_the_verdict_of_where_it_landed():
    from tests.corpus.corpus_plans import CARRIED, Piece
    from tests.corpus.reading_score import Reading, verdict

    reading = Reading({"p1.statement": ["Every student reads grade-level text daily."],
                       "p1.subject": ["ELA"], "p1.outcomes[*].target": ["30% (spring 2026)", "14%"],
                       "p1.equity_gaps": ["Math gaps are widest for English learners in grade 6."]},
                      [("check", "Subject: Math"), ("unplaced", "Thank the team before starting."),
                       ("unplaced", "Families asked for reading nights in Spanish.")])
    assert verdict(Piece("p1.statement", "every student reads grade‑level text daily", True), reading) == "right"
    assert verdict(Piece("p1.outcomes[*].target", "14%", False), reading) == "right"  # any row of the column
    assert verdict(Piece("p1.subject", "Math", False), reading) == "unsure"  # a whole "Label: value" line
    assert verdict(Piece(CARRIED, "Thank the team before starting.", False), reading) == "right"
    assert verdict(Piece("p1.stakeholder_input", "Families asked for reading nights in Spanish.", False),
                   reading) == "unplaced"
    assert verdict(Piece("p1.outcomes_district", "Every student reads grade-level text", False), reading) == "wrong"
    reading.flagged.add("p1.statement")  # the reader highlighted the field it put it in, to check
    assert verdict(Piece("p1.outcomes_district", "Every student reads grade-level text", False), reading) == "unsure"
    assert verdict(Piece("p1.grades", "6", False), reading) == "lost"  # "grade 6" elsewhere is chance
    assert verdict(Piece("p1.grades", "K-5", False), Reading(refused="x.pptx: not a plan")) == "refused"


def test_every_district_names_its_sources_and_its_adapted_fields():
    for district in make_documents.districts().values():
        keys = {key.split("[")[0] for key, _ in district.fields()}
        assert district.sources and all(s["url"].startswith("http") for s in district.sources), district.id
        assert district.adapted and district.adapted <= keys, (district.id, district.adapted - keys)


def test_every_piece_expected_is_in_its_document(made):
    for m in made:
        text = document_text(m.path)
        missing = [p for p in m.pieces if not contains(text, p.text)]
        assert not missing, (m.spec.name, len(missing) if m.spec.split == "held-out" else missing[:3])
        assert len(m.pieces) >= 40, m.spec.name


def test_every_document_is_read_or_refused_in_one_line(scores):
    for s in scores:
        assert s.total
        if s.refused:
            assert "\n" not in s.refused and "Traceback" not in s.refused, s.document
            assert s.document.split("-")[0] in s.refused.casefold().replace(" ", "-"), s.refused


def test_the_shares_are_printed_and_kept(scores):
    text = table(scores)
    print("\n" + text)
    report.REPORT.parent.mkdir(exist_ok=True)
    report.REPORT.write_text(text + "\n", encoding="utf-8")
    assert "ALL tuning" in text and "ALL held-out" in text and "ALL documents" in text
    assert sum(s.total for s in scores) >= 600


def test_no_more_pieces_are_lost_than_today(scores):
    lost = {s.document: s.counts["lost"] for s in scores if s.counts["lost"]}
    assert sum(lost.values()) <= LOST_AT_MOST, lost


@pytest.mark.xfail(strict=False, reason=NOT_YET)
def test_nothing_is_lost(scores):
    assert not any(s.counts["lost"] for s in scores), {s.document: s.counts["lost"] for s in scores}


@pytest.mark.xfail(strict=False, reason=NOT_YET)
@pytest.mark.parametrize("split", ["tuning", "held-out"])
def test_most_pieces_land_in_the_right_field(scores, split):
    pooled = total([s for s in scores if s.split == split], split, split)
    assert pooled.share("right") >= TARGET_RIGHT, f"{split}: {pooled.share('right'):.0%} right"


@pytest.mark.slow
def test_pdf_exports_are_read_or_refused_in_one_line(tmp_path):
    soffice_or_skip()  # the PDFs are LibreOffice's exports of the corpus's Word files and decks
    found = make_documents.districts()
    pdfs = [make_documents.make(spec, tmp_path, found) for spec in make_documents.DOCUMENTS if spec.pdf]
    scores = [score(m.spec.name, m.spec.split, "pdf", m.pieces, read(m.path)) for m in pdfs]
    print("\n" + table(scores))
    for s in scores:
        assert s.total and ("\n" not in s.refused)

