"""Every PDF docgen makes is tagged PDF/UA: what a screen reader and the Matterhorn Protocol's machine checks read.

The plan's, the deck's and the letter's PDFs (the CLI's --pdf and the web downloads all go through docgen.pdf)
are opened with pikepdf and their structure is read: the structure tree, /MarkInfo, the language, the XMP title
and PDF/UA identifier, the title shown instead of the file name, headings, table header cells and the
alternative text of every figure.
"""

from __future__ import annotations

from collections import Counter

import pikepdf
import pytest

from docgen import api
from docgen.write import pdf

from .conftest import SAMPLE, soffice_or_skip


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """The three PDFs of the sample plan: the Word plan, the slides and the feedback letter (name -> pikepdf.Pdf)."""
    soffice_or_skip()
    out = tmp_path_factory.mktemp("pdf-ua")
    files = [*api.build(SAMPLE, out), *api.letter(SAMPLE, out)]
    made = pdf.pdfs({path.name: path.read_bytes() for path in files})
    assert sorted(made) == ["Cranberry Harbor Public Schools FY26 Feedback Letter.pdf",
                            "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan (slides).pdf",
                            "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.pdf"]
    for name, data in made.items():
        (out / name).write_bytes(data)
    return {name: pikepdf.open(out / name) for name in made}


def elements(document: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Return every structure element of ``document``, depth first."""
    tree = document.Root.StructTreeRoot
    found, todo = [], [tree.get("/K")]
    while todo:
        node = todo.pop()
        if isinstance(node, pikepdf.Array):
            todo.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            todo.append(node.get("/K"))
    return found


def kind(node: pikepdf.Dictionary, roles) -> str:
    """Return an element's standard type: its own, or the one the role map gives a Word style's name."""
    name = str(node.S)
    return str(roles.get(name, name))


def test_every_pdf_is_tagged_pdf_ua_with_its_title_and_language(pdfs):
    for name, document in pdfs.items():
        root = document.Root
        assert "/StructTreeRoot" in root, name
        assert root.MarkInfo.Marked is True, name
        assert str(root.Lang) == "en-US", name
        assert root.ViewerPreferences.DisplayDocTitle is True, name
        meta = document.open_metadata()
        assert meta["pdfuaid:part"] == "1", name
        assert meta["dc:title"].startswith("Cranberry Harbor Public Schools FY26 "), name
        assert str(document.docinfo.Title) == meta["dc:title"], name


def test_headings_are_headings_and_tables_have_header_cells(pdfs):
    for name, document in pdfs.items():
        roles = document.Root.StructTreeRoot.get("/RoleMap", pikepdf.Dictionary())
        nodes = elements(document)
        kinds = Counter(kind(n, roles) for n in nodes)
        assert kinds["/H1"] + kinds["/H"] >= 1, (name, kinds)
        data_tables = 0
        for table in (n for n in nodes if kind(n, roles) == "/Table"):
            rows = [n for n in direct(table) if kind(n, roles) == "/TR"]
            first = [kind(n, roles) for n in direct(rows[0])] if rows else []
            if len(first) < 2:
                continue  # a form: its first row is one prompt across it, as docgen's accessibility check says
            assert set(first) == {"/TH"}, f"{name}: a data table whose first row is not header cells: {first}"
            data_tables += 1
        assert data_tables >= 1, (name, kinds)


def direct(node: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """Return the structure elements right under ``node`` (a table's rows, a row's cells), through THead/TBody."""
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    found = []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += direct(kid) if str(kid.S) in ("/THead", "/TBody", "/TFoot") else [kid]
    return found


def test_the_plan_names_its_sections_as_headings(pdfs):
    plan = pdfs["Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.pdf"]
    roles = plan.Root.StructTreeRoot.get("/RoleMap", pikepdf.Dictionary())
    kinds = Counter(kind(n, roles) for n in elements(plan))
    assert kinds["/H1"] >= 2 and kinds["/H2"] >= 2, kinds


def test_every_figure_on_the_slides_has_alternative_text(pdfs):
    for name, document in pdfs.items():
        figures = [n for n in elements(document) if str(n.S) == "/Figure"]
        for figure in figures:
            assert str(figure.get("/Alt", "")).strip(), f"{name}: a figure without alternative text"
    slides = pdfs["Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan (slides).pdf"]
    assert [n for n in elements(slides) if str(n.S) == "/Figure"], "the deck's accent lines are figures with /Alt"
