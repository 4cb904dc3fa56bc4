"""DrawingML fragments as text: placeholders, text boxes, rectangles and tables, escaped.

Like docx_xml for Word: every shape on a slide is written as XML text, and
pptx_package puts the slides into the package; nothing is parsed or
serialized again on the way.
"""

from __future__ import annotations

from docgen.write.docx_xml import esc, keep_spans

TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # PowerPoint's "Medium Style 2 - Accent 1"
EMU_PER_INCH = 914400


def emu(inches: float) -> int:
    return int(inches * EMU_PER_INCH)


def run(text: str, size_pt: float, bold: bool = False, italic: bool = False, color: str | None = None) -> str:
    fill = f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>' if color else ""
    flags = (' b="1"' if bold else "") + (' i="1"' if italic else "")
    return (f'<a:r><a:rPr lang="en-US" sz="{int(size_pt * 100)}"{flags} dirty="0">{fill}</a:rPr>'
            f'<a:t>{esc(keep_spans(text))}</a:t></a:r>')


def paragraph(runs: str, space_before_pt: float = 0, bullet: str | None = None, number_start: int | None = None,
              numbered: bool = False, indent_in: float = 0, hanging_in: float = 0, align: str | None = None) -> str:
    """Return an a:p; a bullet or a number is a real list mark with a hanging indent."""
    attrs = ""
    if bullet or numbered or indent_in:
        attrs += f' marL="{emu(indent_in)}" indent="{-emu(hanging_in)}"'
    if align:
        attrs += f' algn="{align}"'
    spacing = f'<a:spcBef><a:spcPts val="{int(space_before_pt * 100)}"/></a:spcBef>' if space_before_pt else ""
    if bullet:
        mark = f'<a:buChar char="{esc(bullet)}"/>'
    elif numbered:
        start = f' startAt="{number_start}"' if number_start and number_start > 1 else ""
        mark = f'<a:buAutoNum type="arabicPeriod"{start}/>'
    else:
        mark = "<a:buNone/>"
    return f"<a:p><a:pPr{attrs}>{spacing}{mark}</a:pPr>{runs}</a:p>"


def _xfrm(x: float, y: float, w: float, h: float, tag: str = "a:xfrm") -> str:
    return f'<{tag}><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></{tag}>'


def textbox(shape_id: int, x: float, y: float, w: float, h: float, paragraphs: str, inset: float,
            fill: str | None = None) -> str:
    """Return a p:sp text box of fixed size (no autofit), so what we measured is what is drawn."""
    fill_xml = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else "<a:noFill/>"
    ins = emu(inset)
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="TextBox {shape_id}"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
            f'</p:nvSpPr><p:spPr>{_xfrm(x, y, w, h)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill_xml}</p:spPr>'
            f'<p:txBody><a:bodyPr wrap="square" lIns="{ins}" tIns="{ins}" rIns="{ins}" bIns="{ins}" rtlCol="0">'
            f'<a:noAutofit/></a:bodyPr><a:lstStyle/>{paragraphs or "<a:p/>"}</p:txBody></p:sp>')


DECORATIVE = ('<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
              '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
              '</a:ext></a:extLst>')


def rectangle(shape_id: int, x: float, y: float, w: float, h: float, color: str) -> str:
    """Return a filled rectangle without an outline (the accent bar under a title), marked decorative.

    PowerPoint reads the decorative mark and skips the shape; LibreOffice's PDF
    export reads the description, so a tagged PDF's figure has its alternative text.
    """
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="Rectangle {shape_id}" descr="Decorative accent line">'
            f'{DECORATIVE}</p:cNvPr><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
            f'<p:spPr>{_xfrm(x, y, w, h)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
            f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p/></p:txBody></p:sp>')


def cell(paragraphs: str, fill: str, margin_x: float, margin_y: float) -> str:
    mx, my = emu(margin_x), emu(margin_y)
    return (f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{paragraphs or "<a:p/>"}</a:txBody>'
            f'<a:tcPr marL="{mx}" marR="{mx}" marT="{my}" marB="{my}"><a:solidFill><a:srgbClr val="{fill}"/>'
            f'</a:solidFill></a:tcPr></a:tc>')


def table_row(height: float, cells: str) -> str:
    return f'<a:tr h="{emu(height)}">{cells}</a:tr>'


def table(shape_id: int, x: float, y: float, widths: list[float], height: float, rows: str) -> str:
    """Return a p:graphicFrame holding a real table whose first row is its header row."""
    grid = "".join(f'<a:gridCol w="{emu(w)}"/>' for w in widths)
    return (f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="Table {shape_id}"/>'
            f'<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
            f'{_xfrm(x, y, sum(widths), height, "p:xfrm")}<a:graphic>'
            f'<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl>'
            f'<a:tblPr firstRow="1"><a:tableStyleId>{TABLE_STYLE}</a:tableStyleId></a:tblPr>'
            f'<a:tblGrid>{grid}</a:tblGrid>{rows}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>')


def body_pr(inset: float | None = None, left_right: float | None = None, anchor: str | None = None) -> str:
    """Return a wrapping, never auto-fitted a:bodyPr: what we measured is what is drawn."""
    attrs = ' wrap="square"'
    if inset is not None:
        ins = emu(inset)
        attrs += f' lIns="{ins}" tIns="{ins}" rIns="{ins}" bIns="{ins}"'
    elif left_right is not None:
        attrs += f' lIns="{emu(left_right)}" rIns="{emu(left_right)}"'
    if anchor:
        attrs += f' anchor="{anchor}"'
    return f"<a:bodyPr{attrs}><a:noAutofit/></a:bodyPr>"


def placeholder(shape_id: int, name: str, ph: str, x: float, y: float, w: float, h: float, paragraphs: str,
                body: str = "<a:bodyPr/>", fill: str | None = None) -> str:
    """Return a p:sp filling the layout's placeholder ``ph`` (``<p:ph type="title"/>``), placed and with its text."""
    fill_xml = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else ""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f'<p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr>{_xfrm(x, y, w, h)}{fill_xml}</p:spPr>'
            f'<p:txBody>{body}<a:lstStyle/>{paragraphs or "<a:p/>"}</p:txBody></p:sp>')


def title(text: str, size_pt: float, color: str, x: float, y: float, w: float, h: float,
          inset: float | None = None) -> str:
    """Return a slide's title placeholder: one bold, left-aligned line of ``text``, vertically centred."""
    para = f'<a:p><a:pPr algn="l"/>{run(text, size_pt, bold=True, color=color)}</a:p>'
    return placeholder(2, "Title 1", '<p:ph type="title"/>', x, y, w, h, para, body_pr(inset, anchor="ctr"))
