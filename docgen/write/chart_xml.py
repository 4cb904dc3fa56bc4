"""Native, editable charts for Word and PowerPoint: the chart part and the workbook that holds its numbers.

python-pptx writes the chart XML (``ChartXmlWriter``) and its embedded
workbook from plain chart data; docgen adds the title, the legend at the
bottom, type sizes for a page or a slide, and the link to the workbook, so
a person can right-click the chart in Word or PowerPoint and *Edit Data*.
The same chart part serves both: DrawingML charts are shared by the two.
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen.write import opc

CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Chart:
    """A line chart: its title, categories (dates), series of numbers (None where a point has none), unit."""

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    percent: bool = False
    description: str = ""  # the alternative text: what the chart shows, in words and numbers

    def parts(self, font_pt: int) -> tuple[bytes, bytes]:
        """Return (chart XML, embedded .xlsx) with text of ``font_pt`` points."""
        from pptx.chart.data import CategoryChartData  # python-pptx's chart writer: only when a chart is made
        from pptx.chart.xmlwriter import ChartXmlWriter
        from pptx.enum.chart import XL_CHART_TYPE

        data = CategoryChartData(number_format='0"%"' if self.percent else "General")
        data.categories = list(self.categories)
        for name, values in self.series:
            data.add_series(name, list(values))
        return _finish(ChartXmlWriter(XL_CHART_TYPE.LINE_MARKERS, data).xml, self.title, font_pt), data.xlsx_blob


def _finish(xml: str, title: str, font_pt: int) -> bytes:
    """Return python-pptx's chart XML with docgen's title, a legend at the bottom, ``font_pt`` type and the link to
    its workbook, edited as XML (not as text, whose spacing python-pptx may change in any release)."""
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"))
    chart = root.find(f"{{{_C}}}chart")
    size = str(font_pt * 100 + 200)
    heading = etree.fromstring(
        f'<c:title xmlns:c="{_C}" xmlns:a="{_A}"><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>'
        f'<a:defRPr sz="{size}" b="1"/></a:pPr><a:r><a:rPr lang="en-US" sz="{size}" b="1"/><a:t/></a:r></a:p>'
        '</c:rich></c:tx><c:overlay val="0"/></c:title>')
    heading.find(f".//{{{_A}}}t").text = title
    chart.insert(0, heading)  # CT_Chart: the title comes first, before autoTitleDeleted
    for position in root.iter(f"{{{_C}}}legendPos"):
        position.set("val", "b")
    for run in root.iter(f"{{{_A}}}defRPr"):
        if run.get("sz") == "1800":  # python-pptx's default text size for the chart
            run.set("sz", str(font_pt * 100))
    link = etree.SubElement(root, f"{{{_C}}}externalData", nsmap={"r": _R})
    link.set(f"{{{_R}}}id", "rId1")
    etree.SubElement(link, f"{{{_C}}}autoUpdate").set("val", "0")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_chart_parts(files: dict[str, bytes], overrides: list[str], folder: str, number: int, chart: bytes,
                    workbook: bytes) -> str:
    """Add chart ``number``'s part, its relationships and its workbook to a package under ``folder`` ("word",
    "ppt"); return the chart part's name as the part placing it names it, relative to ``folder``."""
    files[f"{folder}/charts/chart{number}.xml"] = chart
    files[f"{folder}/charts/_rels/chart{number}.xml.rels"] = opc.relationships(
        [opc.relationship("rId1", "package", f"../embeddings/Microsoft_Excel_Worksheet{number}.xlsx")])
    files[f"{folder}/embeddings/Microsoft_Excel_Worksheet{number}.xlsx"] = workbook
    overrides.append(opc.override(f"/{folder}/charts/chart{number}.xml", CHART_TYPE))
    if number == 1:  # the package holds a workbook: say what .xlsx parts are, once
        overrides.append(f'<Default Extension="xlsx" ContentType="{XLSX_TYPE}"/>')
    return f"charts/chart{number}.xml"


def graphic(rid: str) -> str:
    """Return the a:graphic that places chart ``rid`` (in a Word inline or a slide's graphic frame)."""
    return (f'<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="{_C}">'
            f'<c:chart xmlns:c="{_C}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
            f'r:id="{rid}"/></a:graphicData></a:graphic>')
