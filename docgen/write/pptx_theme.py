"""A district's own PowerPoint design as the deck's base: its masters, layouts, theme colours, fonts and logo.

``docgen build --deck-theme OURS.pptx`` lays the plan into the district's
file instead of docgen's base deck. Its slides are dropped and everything
else is kept (slide masters and layouts with their pictures, the theme, the
notes master). Docgen's three kinds of slide take the district's layouts by
their type, the way PowerPoint names them:

- the cover: the "Title Slide" layout (type ``title``), its title and
  subtitle placed and styled by the layout, not by docgen;
- a priority's divider: "Section Header" (``secHead``), else as content;
- every other slide: "Title Only" (``titleOnly``), else "Title and Content"
  (``obj``), else "Blank", else the first layout.

Docgen's navy and blue become the theme's Accent 1 and Accent 2. Text is
measured with Calibri's widths, so a theme whose fonts docgen has no
metrics for is given Calibri for the deck (and says so) rather than let a
line run off a slide. Slides must be 16:9, as docgen lays them out. A theme
holding macros or controls is refused, and links outside the file (a logo
linked by URL) are removed (read/scrub.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from docgen.errors import FileRefused
from docgen.read import package, scrub
from docgen.write import opc
from docgen.write.pptx_layout import ACCENT, NAVY, SLIDE_W
from docgen.write.pptx_package import _NS, _Base, _from_slides

MEASURED_FONTS = {"calibri", "carlito"}  # fonts textfit has advance widths for (Carlito is metric-compatible)
_WIDESCREEN = round(SLIDE_W * 914400)
_LAYOUT_CHOICES = (("title",), ("secHead", "titleOnly", "obj", "blank"), ("titleOnly", "obj", "blank"))
_SLIDE_PARTS = re.compile(r"ppt/(slides|notesSlides)/(_rels/)?\w+\d+\.xml(\.rels)?")


@dataclass
class Theme:
    """A district's deck design, ready to hold docgen's slides, and what docgen had to change in it."""

    base: _Base
    notices: list[str] = field(default_factory=list)


def read(path) -> Theme:
    """Return the design of the .pptx at ``path`` as a base deck; raise FileRefused when docgen cannot use it."""
    path = Path(path)
    every_part = package.read_all(path, package.PRESENTATION)  # the guard every file passes: bombs, DTDs, pictures
    scrub.refuse_active(path, every_part, "PowerPoint")  # macros (a .pptm renamed), ActiveX, OLE objects
    parts = {name: data for name, data in scrub.clean_parts(every_part).items() if not _SLIDE_PARTS.fullmatch(name)}
    presentation = parts["ppt/presentation.xml"].decode("utf-8")
    size = re.search(r'<p:sldSz cx="(\d+)" cy="(\d+)"', presentation)
    if not size or abs(int(size.group(1)) / int(size.group(2)) - 16 / 9) > 0.01:
        raise FileRefused(path, "has slides that are not 16:9; docgen lays the plan out on widescreen slides: in "
                                "PowerPoint choose Design > Slide Size > Widescreen (16:9), save, and try again")
    rels = opc.part_relationships(parts, "ppt/presentation.xml")
    parts["ppt/presentation.xml"] = _without_slides(presentation, rels).encode("utf-8")
    parts["ppt/_rels/presentation.xml.rels"] = _without_slide_rels(parts["ppt/_rels/presentation.xml.rels"])
    parts["[Content_Types].xml"] = re.sub(rb'<Override PartName="/ppt/(slides|notesSlides)/[^"]+"[^>]*/>', b"",
                                          parts["[Content_Types].xml"])
    theme = Theme(_base_of(path, parts))
    theme.notices += _measured_fonts(parts)
    return theme


def _without_slides(presentation: str, rels: dict) -> str:
    """Return presentation.xml with no slide listed, nor any section or custom show naming one."""
    presentation = re.sub(r"<p:sldIdLst>.*?</p:sldIdLst>|<p:sldIdLst\s*/>", "<p:sldIdLst/>", presentation,
                          flags=re.DOTALL)
    if "<p:sldIdLst/>" not in presentation:  # a file that never had a slide list: put one where PowerPoint does
        presentation = re.sub(r"(<p:sldSz )", r"<p:sldIdLst/>\1", presentation, count=1)
    presentation = re.sub(r"<p:custShowLst>.*?</p:custShowLst>", "", presentation, flags=re.DOTALL)
    return re.sub(r"<p14:sectionLst .*?</p14:sectionLst>", "", presentation, flags=re.DOTALL)


def _without_slide_rels(rels_xml: bytes) -> bytes:
    return re.sub(rb'<Relationship [^>]*Type="[^"]*/relationships/slide"[^>]*/>', b"", rels_xml)


def _base_of(path: Path, parts: dict[str, bytes]) -> _Base:
    rels = opc.part_relationships(parts, "ppt/presentation.xml")
    try:
        master = next(target for kind, target in rels.values() if kind == "slideMaster")
    except StopIteration:
        raise FileRefused(path, "has no slide master to lay the plan into; save it from PowerPoint again") from None
    master_rels = opc.part_relationships(parts, master)
    layout_ids = etree.fromstring(parts[master]).findall("p:sldLayoutIdLst/p:sldLayoutId", _NS)
    layouts = [master_rels[item.get(f"{{{_NS['r']}}}id")][1] for item in layout_ids]
    types = [etree.fromstring(parts[layout]).get("type", "") for layout in layouts]
    chosen = [_from_slides(layouts[_pick(types, wanted)]) for wanted in _LAYOUT_CHOICES]
    notes_master = next((target for kind, target in rels.values() if kind == "notesMaster"), None)
    return _Base(parts, chosen, _from_slides(notes_master) if notes_master else "", opc.free_relationship_number(rels),
                 recolour={NAVY: "accent1", ACCENT: "accent2"}, own_cover=True)


def _pick(types: list[str], wanted: tuple[str, ...]) -> int:
    for kind in wanted:
        if kind in types:
            return types.index(kind)
    return 0


def _measured_fonts(parts: dict[str, bytes]) -> list[str]:
    """Give the theme Calibri where its fonts have no metrics in docgen; return what was changed, as a notice."""
    notices = []
    for name in [n for n in parts if re.fullmatch(r"ppt/theme/theme\d+\.xml", n)]:
        xml = parts[name].decode("utf-8")
        fonts = re.findall(r"<a:(major|minor)Font>\s*<a:latin typeface=\"([^\"]*)\"", xml)
        unknown = sorted({face for _, face in fonts if face.casefold() not in MEASURED_FONTS})
        if not unknown:
            continue
        parts[name] = re.sub(r'(<a:(?:major|minor)Font>\s*<a:latin typeface=")[^"]*(")', r"\1Calibri\2",
                             xml).encode("utf-8")
        notices.append(f"the theme's fonts ({', '.join(unknown)}) have no metrics in docgen, so the deck uses "
                       "Calibri, which it measures, and no text can run off a slide")
    return list(dict.fromkeys(notices))
