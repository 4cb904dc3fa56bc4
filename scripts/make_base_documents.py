"""Regenerate templates/base/plan.docx and plan.pptx: the slim packages every document starts from.

python-docx's bundled default document carries ~880 KB of styles (styles.xml
and stylesWithEffects.xml) that would be re-zipped into every file we write.
This keeps only the styles docgen uses, sets the house look once (Calibri,
navy headings, tight list spacing, en-US), and drops the thumbnail, custom XML
and effects parts. The deck keeps python-pptx's default theme at 16:9 with
only the three layouts docgen uses (title, section header, title only) and a
notes master for the speaker notes, without the 4:3 thumbnail and printer
settings. Run it after changing the house styles:

    python scripts/make_base_documents.py
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from lxml import etree

BASE = Path(__file__).resolve().parent.parent / "templates" / "base"
TARGET = BASE / "plan.docx"
DECK = BASE / "plan.pptx"
DECK_LAYOUTS = ("Title Slide", "Section Header", "Title Only")
NAVY = RGBColor(0x1F, 0x38, 0x64)
KEEP_STYLES = {
    "Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Title", "TitleChar", "Heading1", "Heading2",
    "Heading3", "Heading1Char", "Heading2Char", "Heading3Char", "ListParagraph", "ListBullet", "ListBullet2",
    "ListBullet3", "ListNumber", "ListNumber2", "ListNumber3", "TableGrid", "Header", "HeaderChar", "Footer",
    "FooterChar",
}
DROP_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/", "word/webSettings.xml")
DECK_DROP_PARTS = ("docProps/thumbnail.jpeg", "ppt/printerSettings/")
MAIN_PART = {"word": "document.xml", "ppt": "presentation.xml"}  # the part whose relationships name the others


def house_styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.08
    normal.paragraph_format.widow_control = True  # no single line of a paragraph alone at a page's top or foot
    for name, size in (("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 12), ("Title", 24)):
        style = styles[name]
        style.font.name = "Calibri"
        style.font.size = Pt(size)
        style.font.color.rgb = NAVY
        style.paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.space_before = Pt(18)
    styles["Heading 2"].paragraph_format.space_before = Pt(12)
    styles["Heading 2"].paragraph_format.space_after = Pt(6)
    styles["Title"].paragraph_format.space_after = Pt(6)
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2", "List Number 3"):
        styles[name].paragraph_format.space_after = Pt(2)


def slim_styles(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for latent in root.findall(qn("w:latentStyles")):
        root.remove(latent)
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEEP_STYLES:
            root.remove(style)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def without_dropped(xml: bytes, attribute: str, prefix: str, drop=DROP_PARTS) -> bytes:
    """Remove relationship or content-type entries pointing at dropped parts."""
    root = etree.fromstring(xml)
    for child in list(root):
        target = (child.get(attribute) or "").lstrip("/")
        if any((prefix + target).replace("word/../", "").startswith(d) for d in drop):
            root.remove(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def slimmed(raw: io.BytesIO, drop, folder: str) -> bytes:
    """Return the package in ``raw`` without the ``drop`` parts and the entries that point at them."""
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            name = item.filename
            if any(name.startswith(d) for d in drop):
                continue
            data = source.read(name)
            if name == "word/styles.xml":
                data = slim_styles(data)
            elif name == "[Content_Types].xml":
                data = without_dropped(data, "PartName", "", drop)
            elif name == "_rels/.rels":
                data = without_dropped(data, "Target", "", drop)
            elif name == f"{folder}/_rels/{MAIN_PART[folder]}.rels":
                data = without_dropped(data, "Target", f"{folder}/", drop)
            target.writestr(name, data)
    return out.getvalue()


def main() -> None:
    doc = Document()
    house_styles(doc)
    raw = io.BytesIO()
    doc.save(raw)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(slimmed(raw, DROP_PARTS, "word"))
    print(f"wrote {TARGET} ({TARGET.stat().st_size:,} bytes)")
    make_deck()


def make_deck() -> None:
    from pptx import Presentation
    from pptx.oxml.ns import nsdecls
    from pptx.oxml.ns import qn as pqn
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    del prs.part._element.find(pqn("p:sldSz")).attrib["type"]  # python-pptx's default says 4:3
    for layout in list(prs.slide_layouts):
        if layout.name not in DECK_LAYOUTS:
            prs.slide_layouts.remove(layout)
    # python-pptx adds the notes master (and its theme) when a slide first asks for notes; the slide then goes
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    assert slide.notes_slide is not None
    prs.part.drop_rel(prs.slides._sldIdLst[0].rId)
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[0])
    notes_master = next(rId for rId, rel in prs.part.rels.items() if rel.reltype.endswith("/notesMaster"))
    masters = prs.part._element.find(pqn("p:sldMasterIdLst"))  # the schema lists the notes master right after
    masters.addnext(etree.fromstring(f'<p:notesMasterIdLst {nsdecls("p", "r")}><p:notesMasterId r:id="{notes_master}"/>'
                                     '</p:notesMasterIdLst>'))
    raw = io.BytesIO()
    prs.save(raw)
    DECK.write_bytes(slimmed(raw, DECK_DROP_PARTS, "ppt"))
    print(f"wrote {DECK} ({DECK.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
