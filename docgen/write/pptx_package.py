"""Assemble a deck's .pptx package: the slim base deck's parts plus slides, notes and properties written as text.

python-pptx spends most of a deck's build time on its part objects (cloning
placeholders, finding free part names, serializing every part again on save).
Every deck docgen writes is the base deck (templates/base/plan.pptx, read once
per process) with slides and their notes added, so the package is put together
here as text (see opc).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from lxml import etree

from docgen.errors import TemplateError
from docgen.variants import templates_dir
from docgen.write import chart_xml, opc
from docgen.write.docx_xml import esc
from docgen.write.opc import Properties, override, relationship

BASE_DECK = "base/plan.pptx"  # 16:9, three layouts and a notes master (scripts/make_base_documents.py)

_NS = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
_DECLS = f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="{_NS["p"]}" xmlns:r="{_NS["r"]}"'
_PML = "application/vnd.openxmlformats-officedocument.presentationml."
_EMPTY_SLIDE_LIST = re.compile(r"<p:sldIdLst\s*/>")  # where the base deck lists its (no) slides
_GROUP = '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'


@dataclass
class Slide:
    """One slide: its layout (index in the slide master's list), its shapes as XML in reading order, its notes."""

    layout: int
    shapes: list[str] = field(default_factory=list)
    notes: str = ""
    charts: list[tuple[bytes, bytes]] = field(default_factory=list)  # (chart part, its embedded workbook)

    def add_chart(self, chart_xml: bytes, workbook: bytes) -> str:
        """Return the relationship id a graphic frame on this slide names chart ``chart_xml`` by."""
        self.charts.append((chart_xml, workbook))
        return f"rIdChart{len(self.charts)}"


@dataclass(frozen=True)
class _Base:
    parts: dict[str, bytes]  # every part of the base deck, by name, in package order
    layouts: list[str]  # each layout as a slide names it ("../slideLayouts/slideLayout1.xml"), in the master's order
    notes_master: str  # the notes master as a notes slide names it ("" when the deck has none: no notes then)
    next_rel: int  # the first relationship id number free in presentation.xml.rels
    recolour: dict[str, str] = field(default_factory=dict)  # docgen's hex colour -> the theme colour it becomes
    own_cover: bool = False  # the cover's title and subtitle take the layout's place and style, not docgen's


@cache
def _base() -> _Base:
    """Return the base deck's parts and what the writer needs to know of them, read once per process."""
    path = templates_dir() / BASE_DECK
    parts = opc.read_parts(path)
    try:
        rels = opc.part_relationships(parts, "ppt/presentation.xml")
        master = next(target for kind, target in rels.values() if kind == "slideMaster")
        notes_master = next(target for kind, target in rels.values() if kind == "notesMaster")
        master_rels = opc.part_relationships(parts, master)
        layout_ids = etree.fromstring(parts[master]).findall("p:sldLayoutIdLst/p:sldLayoutId", _NS)
        layouts = [_from_slides(master_rels[item.get(f"{{{_NS['r']}}}id")][1]) for item in layout_ids]
        if not _EMPTY_SLIDE_LIST.search(parts["ppt/presentation.xml"].decode()):
            raise ValueError("presentation.xml should hold an empty <p:sldIdLst/>")
    except (KeyError, StopIteration, ValueError, etree.XMLSyntaxError) as exc:
        raise TemplateError(path, f"not a base deck docgen can use ({exc}); regenerate it with "
                                  "scripts/make_base_documents.py") from None
    return _Base(parts, layouts, _from_slides(notes_master), opc.free_relationship_number(rels))


def _from_slides(part: str) -> str:
    """Return how a part under ppt/slides/ or ppt/notesSlides/ names ``part`` ("ppt/x/y.xml" -> "../x/y.xml")."""
    return "../" + part.split("/", 1)[1]


def write(slides: list[Slide], properties: Properties, base: _Base | None = None) -> bytes:
    """Return the .pptx bytes of the base deck (or a district's design, pptx_theme) holding ``slides``."""
    base = base or _base()
    files = dict(base.parts)
    slide_ids, slide_rels, overrides = [], [], []
    notes_count = charts = 0
    for number, slide in enumerate(slides, start=1):
        rid = f"rId{base.next_rel + number - 1}"
        slide_ids.append(f'<p:sldId id="{255 + number}" r:id="{rid}"/>')
        slide_rels.append(relationship(rid, "slide", f"slides/slide{number}.xml"))
        overrides.append(override(f"/ppt/slides/slide{number}.xml", _PML + "slide+xml"))
        rels = [relationship("rId1", "slideLayout", base.layouts[slide.layout])]
        if slide.notes and base.notes_master:
            notes_count += 1
            notes = f"notesSlides/notesSlide{notes_count}.xml"
            rels.append(relationship("rId2", "notesSlide", f"../{notes}"))
            overrides.append(override(f"/ppt/{notes}", _PML + "notesSlide+xml"))
            files[f"ppt/{notes}"] = _notes_xml(slide.notes)
            files[f"ppt/notesSlides/_rels/notesSlide{notes_count}.xml.rels"] = opc.relationships([
                relationship("rId1", "notesMaster", base.notes_master),
                relationship("rId2", "slide", f"../slides/slide{number}.xml")])
        for k, (chart, workbook) in enumerate(slide.charts, start=1):
            charts += 1
            part = chart_xml.add_chart_parts(files, overrides, "ppt", charts, chart, workbook)
            rels.append(relationship(f"rIdChart{k}", "chart", f"../{part}"))
        files[f"ppt/slides/slide{number}.xml"] = _slide_xml(_in_theme(slide, base))
        files[f"ppt/slides/_rels/slide{number}.xml.rels"] = opc.relationships(rels)
    files["ppt/presentation.xml"] = _EMPTY_SLIDE_LIST.sub(f"<p:sldIdLst>{''.join(slide_ids)}</p:sldIdLst>",
                                                         base.parts["ppt/presentation.xml"].decode(), count=1).encode()
    files["ppt/_rels/presentation.xml.rels"] = opc.added(base.parts["ppt/_rels/presentation.xml.rels"],
                                                         "</Relationships>", "".join(slide_rels))
    files["[Content_Types].xml"] = opc.added(base.parts["[Content_Types].xml"], "</Types>", "".join(overrides))
    files["docProps/core.xml"] = opc.core_properties(properties)
    files["docProps/app.xml"] = opc.app_properties(
        f"<PresentationFormat>Widescreen</PresentationFormat><Slides>{len(slides)}</Slides>"
        f"<Notes>{notes_count}</Notes><HiddenSlides>0</HiddenSlides>")
    return opc.zip_package(files)


def _in_theme(slide: Slide, base: _Base) -> list[str]:
    """Return a slide's shapes in the base's colours; a cover in a district's design keeps only its text."""
    shapes = slide.shapes
    for colour, scheme in base.recolour.items():
        shapes = [s.replace(f'<a:srgbClr val="{colour}"/>', f'<a:schemeClr val="{scheme}"/>') for s in shapes]
    if base.own_cover and slide.layout == 0:
        shapes = [re.sub(r"<a:solidFill>.*?</a:solidFill>", "", re.sub(r"<p:spPr>.*?</p:spPr>", "<p:spPr/>", s))
                  .replace("<a:noAutofit/>", "<a:normAutofit/>") for s in shapes]
    return shapes


def _slide_xml(shapes: list[str]) -> bytes:
    return (f"{opc.XML_HEADER}<p:sld {_DECLS}><p:cSld><p:spTree>{_GROUP}<p:grpSpPr/>{''.join(shapes)}</p:spTree>"
            "</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>").encode()


def _notes_xml(notes: str) -> bytes:
    """Return a notes slide: the slide image, the notes (a paragraph a line) and the slide number,
    as PowerPoint has them."""
    paragraphs = "".join(f"<a:p><a:r><a:t>{esc(line)}</a:t></a:r></a:p>" if line else "<a:p/>"
                         for line in notes.split("\n"))
    locked = '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
    return (f"{opc.XML_HEADER}<p:notes {_DECLS}><p:cSld><p:spTree>{_GROUP}<p:grpSpPr><a:xfrm><a:off x=\"0\" y=\"0\"/>"
            '<a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
            f'<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/>{locked}'
            '<p:nvPr><p:ph type="sldImg" idx="2"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>'
            f'<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/>{locked}'
            '<p:nvPr><p:ph type="body" idx="3" sz="quarter"/></p:nvPr></p:nvSpPr><p:spPr/>'
            f"<p:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</p:txBody></p:sp>"
            f'<p:sp><p:nvSpPr><p:cNvPr id="4" name="Slide Number Placeholder 3"/>{locked}'
            '<p:nvPr><p:ph type="sldNum" idx="5" sz="quarter"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>'
            "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>").encode()
