"""The pages and slides a realistic district gets read the way a person laid them out.

Mill River (tests/data/mill_river.yaml) has two priorities, three identified
schools and long answers with nested lists. Its plan and deck are rendered to
PDF by LibreOffice and read page by page: no prompt repeats over a page break,
every page begins and ends on a whole paragraph, no label ends a slide, an
answer continued on the next slide is labelled again, a split paragraph keeps
two lines on each side, and a "(continued)" slide follows only a full one.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from pptx import Presentation
from pptx.util import Pt

from docgen import api, variants
from docgen.model.plan import plan_from_dict

from .conftest import soffice_or_skip

MILL_RIVER = Path(__file__).parent / "data" / "mill_river.yaml"
MARK = re.compile(r"^(?:[•●▪◦o§–-]|\d+[.)]|[a-z][.)])\s+")  # a list mark or a heading number
BARE_MARK = re.compile("[\uf0b7\uf0a7•●▪◦o§–-]")
EMU = 914400


def _squash(value: str) -> str:
    """Text as compared across Word and PDF: one space between words, no hyphens (pdftotext joins wrapped ones;
    grade spans hold non-breaking ones),
    no zero-width break marks (Word's long links hold them)."""
    return " ".join(value.replace("-", "").replace("\u2011", "").replace("\u200b", "").split())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Build Mill River's plan and deck, and render both to PDF."""
    soffice = soffice_or_skip()
    out = tmp_path_factory.mktemp("mill_river")
    variant = variants.load("fy26")
    plan = plan_from_dict(yaml.safe_load(MILL_RIVER.read_text(encoding="utf-8")), "fy26")
    for name, data in api.plan_files(plan, variant, ("docx", "pptx")).items():
        (out / ("plan.docx" if name.endswith(".docx") else "deck.pptx")).write_bytes(data)
    (out / "letter.docx").write_bytes(api.letter_file(plan, variant, api.check_plan(plan))[1])
    subprocess.run([soffice, f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *(str(out / n) for n in ("plan.docx", "deck.pptx", "letter.docx"))],
                   check=True, capture_output=True, timeout=240)
    return out


def _pages(pdf: Path) -> list[list[str]]:
    """Return each page's non-blank text lines, in reading order, without the page footer."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info)[1])
    pages = []
    for page in range(1, count + 1):
        found = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                               capture_output=True, text=True, check=True).stdout
        pages.append([line.strip() for line in found.splitlines()
                      if line.strip() and "Instructional Prioritization Plan" not in line])
    return pages


def _fill(pdf: Path) -> list[float]:
    """Return how far down each page its text reaches, as a share of the page above the footer (0 to 1)."""
    found = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    shares = []
    for page in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', found, re.S):
        height = float(page[0])
        footer = height * 0.9
        bottoms = [float(y) for y in re.findall(r'yMax="([\d.]+)"', page[1]) if float(y) < footer]
        shares.append(max(bottoms, default=0) / footer)
    return shares


def _word_paragraphs(path: Path) -> list[str]:
    """Return every paragraph of a Word file, in the body and in table cells, squashed."""
    found = []

    def walk(container):
        for block in container.iter_inner_content():
            if isinstance(block, docx.table.Table):
                for row in block.rows:
                    for tc in dict.fromkeys(row._tr.tc_lst):  # a merged cell once, not once per column
                        walk(docx.table._Cell(tc, block))
            elif block.text.strip():
                found.append(_squash(MARK.sub("", block.text.strip())))

    walk(docx.Document(str(path)))
    return found


def test_no_word_prompt_repeats_over_a_page_break(rendered):
    pdf_text = _squash(" ".join(" ".join(lines) for lines in _pages(rendered / "plan.pdf")))
    word_text = " ".join(_word_paragraphs(rendered / "plan.docx"))
    variant = variants.load("fy26")
    for section in variant.sections:
        opening = _squash(MARK.sub("", variant.text(section.prompt)))[:60]
        assert word_text.count(opening) >= 1
        assert pdf_text.count(opening) == word_text.count(opening), f"'{opening}' is printed more often than written"


def test_every_word_page_begins_and_ends_on_a_whole_paragraph(rendered):
    word = _word_paragraphs(rendered / "plan.docx")
    for number, lines in enumerate(_pages(rendered / "plan.pdf"), start=1):
        lines = lines[1:] if BARE_MARK.fullmatch(lines[0]) else lines  # pdftotext puts a bullet on a line of its own
        first, last = _squash(MARK.sub("", lines[0])), _squash(lines[-1])
        assert any(p.startswith(first) for p in word), f"page {number} begins mid-paragraph: {lines[0]!r}"
        assert any(p.endswith(last) for p in word), f"page {number} ends mid-paragraph: {lines[-1]!r}"


def test_no_word_page_is_left_half_empty_before_the_next(rendered):
    shares = _fill(rendered / "plan.pdf")
    assert len(shares) > 10
    half_empty = [number for number, share in enumerate(shares[:-1], start=1) if share < 0.5]
    assert half_empty == [], f"pages {half_empty} end before half way"


def test_every_table_of_the_word_plan_shares_one_left_edge():
    """Prompt tables and data tables line up: none is centred, none indented differently."""
    plan = plan_from_dict(yaml.safe_load(MILL_RIVER.read_text(encoding="utf-8")), "fy26")
    data = next(iter(api.plan_files(plan, variants.load("fy26"), ("docx",)).values()))
    document = docx.Document(io.BytesIO(data))
    placements = set()
    for table in document.tables:
        pr = table._tbl.tblPr
        jc, ind = pr.find(docx.oxml.ns.qn("w:jc")), pr.find(docx.oxml.ns.qn("w:tblInd"))
        placements.add((jc.get(docx.oxml.ns.qn("w:val")) if jc is not None else "start",
                        ind.get(docx.oxml.ns.qn("w:w")) if ind is not None else "0"))
    assert len(document.tables) > 15 and len(placements) == 1 and "center" not in next(iter(placements))


def test_no_column_header_breaks_inside_a_word(rendered):
    words_in = {name: set(" ".join(" ".join(lines) for lines in _pages(rendered / f"{name}.pdf")).split())
                for name in ("plan", "letter")}
    for spec in variants.load("fy26").tables.values():
        for column in spec.columns:
            for word in variants.load("fy26").text(column.header).split():
                assert word in words_in["plan"], f"the header word '{word}' is broken in the Word plan"
    for word in ("Component", "Status", "What", "asks"):  # the letter's appendix
        assert word in words_in["letter"], f"the header word '{word}' is broken in the letter"


SPAN_START = re.compile(r"(?:^|[\s(])(?:PK|K|\d{1,2})[-\u2011]$")  # a line ending "grades 3-" (its "8" below)


@pytest.mark.parametrize("kind", ["docx", "pptx"])
def test_grade_spans_are_written_with_a_non_breaking_hyphen(kind):
    plan = plan_from_dict(yaml.safe_load(MILL_RIVER.read_text(encoding="utf-8")), "fy26")
    data = next(iter(api.plan_files(plan, variants.load("fy26"), (kind,)).values()))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = "".join(package.read(n).decode() for n in package.namelist()
                      if n.startswith(("word/document", "ppt/slides/slide")))
    assert "K\u20114" in xml and "9\u201112" in xml and "7\u20118 science" in xml
    assert not re.search(r"(?<![\w.\-/])(?:PK|K|\d{1,2})-(?:K|\d{1,2})(?![\w\-/])", xml)  # none left breakable


@pytest.mark.parametrize("document", ["plan.pdf", "deck.pdf"])
def test_no_grade_span_breaks_at_its_hyphen(rendered, document):
    broken = [(n, line, page[i + 1]) for n, page in enumerate(_pages(rendered / document), start=1)
              for i, line in enumerate(page[:-1]) if SPAN_START.search(line) and page[i + 1][:1].isdigit()]
    assert not broken, f"a grade span split over two lines: {broken[:3]}"


def _body_shapes(slide):
    """Return a slide's text boxes and tables between its title rule and its footer, top to bottom."""
    shapes = [s for s in slide.shapes if not s.is_placeholder and 1.2 * EMU < s.top < 6.9 * EMU
              and (s.has_text_frame and s.text_frame.text.strip() or s.has_table)]
    return sorted(shapes, key=lambda s: s.top)


def _is_label(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.font.bold and r.font.size == Pt(16) for r in runs)


def test_no_slide_ends_on_a_label_and_continued_answers_are_labelled_again(rendered):
    slides = list(Presentation(str(rendered / "deck.pptx")).slides)
    continued_labels = 0
    for slide in slides:
        title = slide.shapes.title.text_frame.text
        shapes = _body_shapes(slide)
        if not shapes:
            continue
        if shapes[-1].has_text_frame:
            assert not _is_label(shapes[-1].text_frame.paragraphs[-1]), f"'{title}' ends on a label"
        if "(continued" in title and shapes[0].has_text_frame:
            opening = shapes[0].text_frame.paragraphs[0]
            assert _is_label(opening), f"'{title}' begins with text that has no label above it"
            continued_labels += opening.text.endswith(" (continued)")
    assert continued_labels >= 2  # Mill River's long answers do run over


def test_a_continued_slide_follows_only_a_full_one(rendered):
    slides = list(Presentation(str(rendered / "deck.pptx")).slides)
    middle = (1.3 + 6.75) / 2
    for slide, following in zip(slides, slides[1:], strict=False):
        if "(continued" not in following.shapes.title.text_frame.text:
            continue
        bottom = max((s.top + s.height) / EMU for s in _body_shapes(slide))
        assert bottom > middle, f"'{slide.shapes.title.text_frame.text}' is less than half full before a continuation"


def _answer_paragraphs() -> list[str]:
    """Return every paragraph of every answer and table cell in Mill River's plan, squashed."""
    from docgen import text

    data = yaml.safe_load(MILL_RIVER.read_text(encoding="utf-8"))
    found = []

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.strip():
            found.extend(_squash(block.text) for block in text.blocks(value))

    walk(data)
    return found


def test_a_paragraph_split_over_slides_keeps_two_lines_on_each(rendered):
    paragraphs = _answer_paragraphs()

    def begins_one(line: str) -> bool:
        line = _squash(MARK.sub("", line))
        return any(p.startswith(line) for p in paragraphs)

    pages, splits = _pages(rendered / "deck.pdf"), 0
    for before, after in zip(pages, pages[1:], strict=False):
        label_end = next((i for i, line in enumerate(after[:4]) if line.endswith("(continued)") and i), None)
        if label_end is None or label_end + 1 >= len(after) or begins_one(after[label_end + 1]):
            continue  # not continued, or the answer goes on with a new paragraph
        splits += 1
        rest = after[label_end + 1:]
        tail = next((i for i, line in enumerate(rest) if begins_one(line)), len(rest))
        head = len(before) - max(i for i, line in enumerate(before) if begins_one(line))
        assert head >= 2, f"one line left at the foot of the slide before '{after[0]}'"
        assert tail >= 2, f"one line carried over to '{after[0]}'"
    assert splits  # Mill River's second priority has a paragraph too long for what is left of its slide


def _mill_river(**changes) -> dict:
    data = yaml.safe_load(MILL_RIVER.read_text(encoding="utf-8"))
    for key, value in changes.items():
        data["priorities"][0][key] = value
    return data


def _deck_titles(data: dict) -> list[str]:
    plan = plan_from_dict(data, "fy26")
    deck = next(iter(api.plan_files(plan, variants.load("fy26"), ("pptx",)).values()))
    return [s.shapes.title.text_frame.text for s in Presentation(io.BytesIO(deck)).slides]


def test_a_table_one_row_too_long_shrinks_a_point_rather_than_continue_with_one_row():
    seven = (_mill_river()["priorities"][0]["outcomes"] * 2)[:7]
    titles = _deck_titles(_mill_river(outcomes=seven))
    assert "4. Outcomes (Priority #1)" in titles
    assert not any(t.startswith("4. Outcomes (Priority #1) (continued") for t in titles)


def _table_prompts() -> list[str]:
    """Return each prompt (with its notes and tips) that a table answers, squashed, as the Word plan prints it."""
    variant, found = variants.load("fy26"), []
    for section in variant.sections:
        for i, part in enumerate(section.parts):
            if part.table:
                lines = [part.prompt, *part.bullets, *part.notes, *part.tips]
                if i == 0 and not part.prompt:
                    lines += [section.prompt, *section.bullets, *section.notes, *section.tips]
                found.append(_squash(MARK.sub("", " ".join(variant.text(line) for line in lines if line))))
    return found


def test_a_prompt_keeps_with_the_first_row_of_its_table(rendered):
    prompts = _table_prompts()
    for number, lines in enumerate(_pages(rendered / "plan.pdf")[:-1], start=1):
        last = _squash(MARK.sub("", lines[-1]))
        assert not any(last in prompt for prompt in prompts), f"page {number} ends on a prompt: {lines[-1]!r}"


def test_the_intro_line_stays_with_what_it_introduces(rendered):
    intro = _squash(variants.load("fy26").sections[1].after[0])
    for number, lines in enumerate(_pages(rendered / "plan.pdf")[:-1], start=1):
        assert not intro.endswith(_squash(lines[-1])), f"page {number} ends on '{intro}'"


def test_the_last_school_row_is_not_alone_on_a_page(rendered):
    schools = yaml.safe_load(MILL_RIVER.read_text(encoding="utf-8"))["schools"]
    pages = _pages(rendered / "plan.pdf")
    on_page = [next(i for i, lines in enumerate(pages) if s["org_code"] in " ".join(lines)) for s in schools[-2:]]
    assert on_page[0] == on_page[1], "the last row of the Schools table is alone on its page"


def test_long_links_break_only_at_slashes_dots_and_hyphens(rendered):
    text = subprocess.run(["pdftotext", str(rendered / "plan.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    links = [s["plan_link"] for s in yaml.safe_load(MILL_RIVER.read_text(encoding="utf-8"))["schools"]
             if s.get("plan_link")]
    for link in links:  # each character, then what follows it: nothing, a zero-width mark, or a line break
        pattern = "".join(f"({re.escape(c)}{'?' if c == '-' else ''})([\\s\u200b]*)" for c in link)
        printed = re.search(pattern, text)  # a hyphen at a line end may be dropped: pdftotext joins the word
        assert printed, f"{link} is not printed whole"
        breaks = [c for i, c in enumerate(link[:-1]) if printed.group(2 * i + 2).strip("\u200b")]
        assert breaks and set(breaks) <= set("/.-"), f"{link} is broken inside a word: {printed.group(0)!r}"


def _slide_paragraphs(slide) -> list:
    return [p for shape in _body_shapes(slide) if shape.has_text_frame for p in shape.text_frame.paragraphs
            if p.text.strip()]


def test_no_continued_slide_holds_a_single_bullet(rendered):
    for slide in Presentation(str(rendered / "deck.pptx")).slides:
        title = slide.shapes.title.text_frame.text
        if "(continued" in title and not any(s.has_table for s in _body_shapes(slide)):
            answers = [p for p in _slide_paragraphs(slide) if not _is_label(p)]
            assert len(answers) != 1 or p_is_plain(answers[0]), f"'{title}' holds a single bullet"


def p_is_plain(paragraph) -> bool:
    """True for a paragraph with no list mark (a bullet or number is written as a:buChar / a:buAutoNum)."""
    xml = paragraph._p.xml
    return "buChar" not in xml and "buAutoNum" not in xml


def test_an_answer_continued_on_the_next_slide_is_cut_at_a_sentence(rendered):
    paragraphs = _answer_paragraphs()
    slides = list(Presentation(str(rendered / "deck.pptx")).slides)
    cuts = 0
    for before, after in zip(slides, slides[1:], strict=False):
        if "(continued" not in after.shapes.title.text_frame.text:
            continue
        opening = next((p for p in _slide_paragraphs(after) if not _is_label(p)), None)
        if opening is None or any(p.startswith(_squash(opening.text)[:40]) for p in paragraphs):
            continue  # the slide begins a new paragraph
        cuts += 1
        last = _slide_paragraphs(before)[-1].text.rstrip()
        assert re.search(r"[.!?][\"”’)\]]*$", last), f"a sentence is split over slides: ...{last[-60:]!r}"
    assert cuts  # Mill River has answers longer than a slide


def test_table_text_is_never_below_10_points(rendered):
    sizes = set()
    for slide in Presentation(str(rendered / "deck.pptx")).slides:
        for shape in slide.shapes:
            if shape.has_table:
                sizes |= {r.font.size.pt for row in shape.table.rows for cell in row.cells
                          for p in cell.text_frame.paragraphs for r in p.runs if r.font.size}
    assert sizes and min(sizes) >= 10


@pytest.mark.parametrize("count", range(3, 40, 6))
def test_a_long_list_never_leaves_its_last_item_alone_on_a_continued_slide(count):
    items = "\n".join(f"- Item {i}: teachers plan each unit together and bring student work to the meeting."
                      for i in range(1, count + 1))
    plan = plan_from_dict(_mill_river(district_actions=items, school_actions="", classroom_actions=""), "fy26")
    deck = Presentation(io.BytesIO(next(iter(api.plan_files(plan, variants.load("fy26"), ("pptx",)).values()))))
    for slide in deck.slides:
        if "(continued" in slide.shapes.title.text_frame.text:
            answers = [p for p in _slide_paragraphs(slide) if not _is_label(p)]
            assert len(answers) != 1 or p_is_plain(answers[0]), f"{count} items: a single bullet continued alone"


@pytest.mark.parametrize("kind", ["docx", "pptx"])
def test_a_priority_with_no_targeted_support_rows_says_none_instead_of_an_empty_table(kind):
    from docgen.read import plan_edits
    from docgen.write.docx_plan import NO_TARGETED_SUPPORT

    variant = variants.load("fy26")
    plan = plan_edits.add_priority(api.example_plan())  # its second priority names no school
    assert plan.priorities[0].targeted_support and not plan.priorities[1].targeted_support
    data = next(iter(api.plan_files(plan, variant, (kind,)).values()))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = "".join(package.read(n).decode() for n in sorted(package.namelist())
                      if n.startswith(("word/document", "ppt/slides/slide")))
    header = variant.text(variant.tables["targeted_support"].columns[-1].header).split("\n")[0]
    assert xml.count(NO_TARGETED_SUPPORT) == 1
    assert xml.count(header) == 1  # the first priority's table only: no table of empty rows for the second
