"""WordprocessingML fragments as text: paragraphs, runs and tables, escaped.

Building thousands of runs and cells through python-docx's proxy objects costs
most of a plan's build time; writing the same elements as text costs a few
milliseconds, and docx_package puts them into the document as they are.
"""

from __future__ import annotations

import re

# A grade span ("3-8", "K-5", "PK-12", "grades 9-12") is one word to a reader: its hyphen must not end a line
# ("grades 3-" / "8" in a narrow column), so Word and PowerPoint get U+2011, the non-breaking hyphen.
GRADE_SPAN = re.compile(r"(?<![\w.\-/])(PK|K|\d{1,2})-(?=(?:K|\d{1,2})(?![\w\-/]|\.\d))")
NON_BREAKING_HYPHEN = "\u2011"


def keep_spans(text: str) -> str:
    """Return ``text`` with the hyphen of each grade span non-breaking ("3-8" -> "3\u20118"); other hyphens stay."""
    return GRADE_SPAN.sub(r"\1" + NON_BREAKING_HYPHEN, text) if "-" in text else text


def esc(text: str) -> str:
    """Return text safe inside an XML element or a double-quoted attribute (str.replace: the fastest way in CPython)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def run(text: str, bold: bool = False, italic: bool = False, size_pt: float | None = None,
        color: str | None = None, break_before: bool = False) -> str:
    """Return a w:r holding ``text`` (spaces kept), with the given character formatting."""
    props = []
    if bold:
        props.append("<w:b/>")
    if italic:
        props.append("<w:i/>")
    if color:
        props.append(f'<w:color w:val="{color}"/>')
    if size_pt:
        props.append(f'<w:sz w:val="{int(size_pt * 2)}"/>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    brk = "<w:br/>" if break_before else ""
    body = f'<w:t xml:space="preserve">{esc(keep_spans(text))}</w:t>' if text else ""
    return f"<w:r>{rpr}{brk}{body}</w:r>"


def para(runs: str = "", style: str | None = None, keep_next: bool = False, align: str | None = None,
         num_id: int | None = None, space_before_pt: float | None = None, space_after_pt: float | None = None,
         indent_twips: tuple[int, int] | None = None, page_break_before: bool = False, border_bottom: bool = False,
         line_twips: int | None = None) -> str:
    """Return a w:p; paragraph properties are written in the order the schema requires."""
    props = []
    if style:
        props.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        props.append("<w:keepNext/>")
    if page_break_before:
        props.append("<w:pageBreakBefore/>")
    if num_id is not None:
        props.append(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    if border_bottom:
        props.append('<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="4" w:color="1F3864"/></w:pBdr>')
    if space_before_pt is not None or space_after_pt is not None or line_twips is not None:
        attrs = ""
        if space_before_pt is not None:
            attrs += f' w:before="{int(space_before_pt * 20)}"'
        if space_after_pt is not None:
            attrs += f' w:after="{int(space_after_pt * 20)}"'
        if line_twips is not None:
            attrs += f' w:line="{line_twips}" w:lineRule="exact"'
        props.append(f"<w:spacing{attrs}/>")
    if indent_twips:
        props.append(f'<w:ind w:left="{indent_twips[0]}" w:right="{indent_twips[1]}"/>')
    if align:
        props.append(f'<w:jc w:val="{align}"/>')
    ppr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
    return f"<w:p>{ppr}{runs}</w:p>"


def cell(content: str, width_twips: int, fill: str | None = None, span: int = 1,
         open_edges: tuple[str, ...] = ()) -> str:
    """Return a w:tc; an empty cell still holds the paragraph Word requires.

    ``open_edges`` ("top", "bottom") leave out those borders, so that rows
    holding the paragraphs of one answer read as one cell.
    """
    props = f'<w:tcW w:w="{width_twips}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if open_edges:
        props += "<w:tcBorders>" + "".join(f'<w:{edge} w:val="nil"/>' for edge in ("top", "bottom")
                                            if edge in open_edges) + "</w:tcBorders>"
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content or '<w:p/>'}</w:tc>"


def row(cells: str, header: bool = False, cant_split: bool = False, min_height_twips: int | None = None) -> str:
    """Return a w:tr; a header row repeats on every page and is announced by screen readers."""
    props = ""
    if cant_split or header:
        props += "<w:cantSplit/>"
    if min_height_twips:
        props += f'<w:trHeight w:val="{min_height_twips}" w:hRule="atLeast"/>'
    if header:
        props += "<w:tblHeader/>"
    trpr = f"<w:trPr>{props}</w:trPr>" if props else ""
    return f"<w:tr>{trpr}{cells}</w:tr>"


def table(widths_twips: list[int], rows: str, center: bool = False) -> str:
    """Return a bordered w:tbl with fixed column widths."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths_twips)
    jc = '<w:jc w:val="center"/>' if center else ""
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths_twips)}" w:type="dxa"/>{jc}'
            f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
            f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>')
