"""DrawingML fragments as text: text boxes, rectangles and tables, escaped, parsed once per slide.

Like docx_xml for Word: python-pptx creates the presentation, slides, title
placeholders and notes; the shapes that carry the district's text are written
as XML and added to the slide in one parse.
"""

from __future__ import annotations

from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.util import Inches

from .docx_xml import esc

_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # PowerPoint's "Medium Style 2 - Accent 1"


def emu(inches: float) -> int:
    return int(Inches(inches))


def run(text: str, size_pt: float, bold: bool = False, italic: bool = False, color: str | None = None) -> str:
    fill = f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>' if color else ""
    flags = (' b="1"' if bold else "") + (' i="1"' if italic else "")
    return f'<a:r><a:rPr lang="en-US" sz="{int(size_pt * 100)}"{flags} dirty="0">{fill}</a:rPr><a:t>{esc(text)}</a:t></a:r>'


def paragraph(runs: str, space_before_pt: float = 0, bullet: str | None = None, number_start: int | None = None,
              numbered: bool = False, indent_in: float = 0, hanging_in: float = 0, align: str | None = None) -> str:
    """Return an a:p; a bullet or a number is a real list mark with a hanging indent."""
    attrs = ""
    if bullet or numbered:
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


def rectangle(shape_id: int, x: float, y: float, w: float, h: float, color: str) -> str:
    """Return a filled rectangle without an outline (the title band and the accent bar)."""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="Rectangle {shape_id}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
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


def set_title(sp, title: str, size_pt: float, color: str, x: float, y: float, w: float, h: float,
              inset: float) -> None:
    """Place a title placeholder and give it one bold, left-aligned line of ``title``, vertically centred."""
    ns = nsdecls("p", "a")
    sp.replace(sp.find(f"{{{_P}}}spPr"), parse_xml(f"<p:spPr {ns}>{_xfrm(x, y, w, h)}</p:spPr>"))
    old = sp.find(f"{{{_P}}}txBody")
    ins = emu(inset)
    body = parse_xml(
        f'<p:txBody {ns}><a:bodyPr wrap="square" lIns="{ins}" tIns="{ins}" rIns="{ins}" bIns="{ins}" anchor="ctr">'
        f'<a:noAutofit/></a:bodyPr><a:lstStyle/><a:p><a:pPr algn="l"/>'
        f'{run(title, size_pt, bold=True, color=color)}</a:p></p:txBody>')
    if old is not None:
        sp.replace(old, body)
    else:
        sp.append(body)


def add_shapes(slide, fragments: list[str]) -> None:
    """Parse the fragments in one go and append them to the slide's shape tree, in order."""
    if not fragments:
        return
    tree = parse_xml(f"<p:spTree {nsdecls('p', 'a')}>{''.join(fragments)}</p:spTree>")
    sp_tree = slide.shapes._spTree
    for child in list(tree):
        sp_tree.append(child)
