"""Make the corpus's documents from the district YAML files, deterministically, into a folder.

``DOCUMENTS`` lists every document: its district, its layout style and that
style's look. The split is fixed by where things live, not by chance: a
held-out document is a held-out district (held_out/districts/) laid out in a
held-out style (held_out/styles.py); a tuning document uses only tuning
districts and tuning styles. Neither ever borrows from the other.

    python -m tests.corpus.make_documents FOLDER [--pdf]

writes them all (PDFs too with --pdf, which needs LibreOffice).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import deck_styles, word_styles
from .corpus_plans import DistrictPlan, Piece, held_out_districts, tuning_districts
from .held_out import styles as held_out_styles
from .looks import LOOKS


@dataclass(frozen=True)
class Spec:
    """One corpus document: which district, laid out how, and whether it is a PDF export of that layout."""

    name: str
    district: str
    style: str
    look: str
    split: str  # "tuning" or "held-out"
    pdf: bool = False

    @property
    def kind(self) -> str:
        return "pdf" if self.pdf else STYLES[self.style][1]


STYLES = {  # style name -> (function, file kind)
    "own_headings": (word_styles.own_headings, "docx"),
    "prompts_kept": (word_styles.prompts_kept, "docx"),
    "official_edited": (word_styles.official_edited, "docx"),
    "deck_sections": (deck_styles.deck_sections, "pptx"),
    "official_deck": (deck_styles.official_deck, "pptx"),
    **{name: (function, kind) for name, (function, kind) in held_out_styles.STYLES.items()},
}
TUNING_STYLES = ("own_headings", "prompts_kept", "official_edited", "deck_sections", "official_deck")

DOCUMENTS = [
    Spec("worcester-own-layout", "worcester", "own_headings", "worcester", "tuning"),
    Spec("holyoke-prompts-kept", "holyoke", "prompts_kept", "plain", "tuning"),
    Spec("lawrence-official-edited", "lawrence", "official_edited", "lawrence", "tuning"),
    Spec("brockton-deck", "brockton", "deck_sections", "brockton", "tuning"),
    Spec("fall-river-own-layout", "fall_river", "own_headings", "fall_river", "tuning"),
    Spec("new-bedford-deck", "new_bedford", "deck_sections", "new_bedford", "tuning"),
    Spec("pittsfield-prompts-kept", "pittsfield", "prompts_kept", "no_labels", "tuning"),
    Spec("haverhill-official-edited", "haverhill", "official_edited", "haverhill", "tuning"),
    Spec("pittsfield-docgen-deck", "pittsfield", "official_deck", "pittsfield_deck", "tuning"),
    Spec("holyoke-own-layout", "holyoke", "own_headings", "holyoke", "tuning"),
    Spec("worcester-own-layout-pdf", "worcester", "own_headings", "worcester", "tuning", pdf=True),
    Spec("brockton-deck-pdf", "brockton", "deck_sections", "brockton", "tuning", pdf=True),
    *held_out_styles.documents(Spec),
]


@dataclass
class Made:
    """A document written to disk and the pieces of district text in it."""

    spec: Spec
    path: Path
    pieces: list[Piece]


def districts() -> dict[str, DistrictPlan]:
    """Return every corpus district by id."""
    return {**tuning_districts(), **held_out_districts()}


def make(spec: Spec, folder: Path, found: dict[str, DistrictPlan] | None = None) -> Made:
    """Write one document into ``folder`` (a PDF through LibreOffice for a PDF spec) and return it."""
    district = (found or districts())[spec.district]
    function, kind = STYLES[spec.style]
    path = folder / f"{spec.name.removesuffix('-pdf')}.{kind}"
    pieces = function(district, path, LOOKS.get(spec.look) or held_out_styles.LOOKS[spec.look])
    if spec.pdf:  # speaker notes are not in a PDF export
        path, pieces = to_pdf(path, folder / f"{spec.name}.pdf"), [p for p in pieces if p.where != "notes"]
    return Made(spec, path, pieces)


def make_all(folder: Path, pdf: bool = False) -> list[Made]:
    """Write every document (PDFs only when ``pdf``) into ``folder`` and return them in DOCUMENTS order."""
    found = districts()
    return [make(spec, folder, found) for spec in DOCUMENTS if pdf or not spec.pdf]


def to_pdf(source: Path, target: Path) -> Path:
    """Convert ``source`` to ``target`` with LibreOffice, in a profile of its own so it never meets another soffice."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise RuntimeError("LibreOffice (soffice) is needed to make the corpus's PDFs")
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([office, f"-env:UserInstallation=file://{scratch}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", scratch, str(source)], check=True, capture_output=True, timeout=180)
        shutil.move(Path(scratch) / f"{source.stem}.pdf", target)
    return target


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "output/corpus")
    out.mkdir(parents=True, exist_ok=True)
    for made in make_all(out, pdf="--pdf" in sys.argv):
        print(f"{made.spec.split:<8} {made.path}  ({len(made.pieces)} pieces)")
