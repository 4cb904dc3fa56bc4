"""Make the corpus, read every document with docgen's plan readers, and print the shares: the lead's figures.

    python -m tests.corpus.report [--pdf] [--misses] [--out FOLDER]

``--pdf`` adds the PDF exports (needs LibreOffice); ``--misses`` lists every
tuning piece not read right (held-out pieces are counted, never shown, so the
figure stays a measure of generalisation). The table is also written to
output/reading_corpus.txt.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .make_documents import Made, make_all
from .reading_score import Score, read, score, table

REPORT = Path(__file__).resolve().parents[2] / "output" / "reading_corpus.txt"


def scores_of(documents: list[Made]) -> list[Score]:
    """Read each made document and score it."""
    return [score(m.spec.name, m.spec.split, m.spec.kind, m.pieces, read(m.path)) for m in documents]


def misses(scores: list[Score]) -> str:
    """List the tuning pieces not read right, by document (held-out ones never appear)."""
    found = []
    for s in scores:
        if s.split != "tuning":
            continue
        found += [f"{s.document}: {v:<8} {p.key:<32} {p.text[:70]}" for v, p in s.misses if v != "refused"]
        if s.refused:
            found.append(f"{s.document}: refused: {s.refused}")
    return "\n".join(found)


def main(argv: list[str]) -> int:
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else None
    with tempfile.TemporaryDirectory() as scratch:
        scores = scores_of(make_all(out or Path(scratch), pdf="--pdf" in argv))
    text = table(scores)
    print(text)
    if "--misses" in argv:
        print("\n" + misses(scores))
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
