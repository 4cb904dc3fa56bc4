"""Write the midyear progress report as a deck for the leadership team's check-in meeting.

The deck follows the plan deck's flow (pptx_plan, pptx_flow): text is
measured, tables repeat their header and continue on "(continued)" slides,
nothing runs off a slide. After a slide of every benchmark at a glance, each
priority has its divider, then each benchmark a slide of what the plan says
and its check-ins, and a slide with a native, editable chart of its numbers
against its midyear target (the speaker notes and the chart's alternative
text state the values). The outcome targets close each priority.
"""

from __future__ import annotations

from types import SimpleNamespace

from docgen.model import progress
from docgen.model.plan import Plan
from docgen.variants import ColumnSpec, TableSpec, Variant
from docgen.write import chart_xml, pptx_package, pptx_xml, textfit
from docgen.write.docx_progress import chart_of, title
from docgen.write.opc import Properties
from docgen.write.pptx_layout import BODY_BOTTOM, BODY_TOP, BODY_W, GREY, MARGIN, NAVY, SLIDE_W, WHITE, Para
from docgen.write.pptx_plan import LAYOUT_TITLE, _Deck, _fitted_footer

_CHECKINS = TableSpec("checkins", "", "", "", "", (
    ColumnSpec("date", "Date", 14), ColumnSpec("value", "What the data showed", 24),
    ColumnSpec("status", "Status", 12), ColumnSpec("note", "What we will adjust", 40)))
_GLANCE = TableSpec("glance", "", "", "", "", (
    ColumnSpec("name", "Benchmark", 40), ColumnSpec("level", "Level", 12),
    ColumnSpec("status", "Latest status", 14), ColumnSpec("date", "Last check-in", 16)))


def build(plan: Plan, variant: Variant) -> bytes:
    """Return the midyear progress deck for ``plan`` and its check-ins (.pptx bytes)."""
    deck = _ProgressDeck(plan, variant)
    deck.write()
    textfit.wrap.cache_clear()
    return pptx_package.write(deck.slides, Properties(
        title=title(plan, variant), subject=f"{variant.plan_year} instructional prioritization plan: midyear progress",
        author=plan.district.contact_name or plan.district.name))


class _ProgressDeck(_Deck):
    def __init__(self, plan: Plan, variant: Variant):
        super().__init__(plan, variant)
        self.footer = _fitted_footer(title(plan, variant))

    def write(self) -> None:
        self.cover()
        items = progress.benchmarks_of(self.plan)
        rows = [SimpleNamespace(name=f"{b.title}: {b.benchmark.benchmark}", level=b.benchmark.level,
                                status=b.latest.status if b.latest else "No check-in yet",
                                date=progress.long_date(b.latest.date) if b.latest else "") for b in items]
        self.flow("Benchmarks at a glance", "", "Each interim benchmark and its latest check-in.",
                  [("table", (_GLANCE, rows))])
        for priority in self.plan.priorities:
            self.number = priority.number
            self.divider(self.t(self.v.priority_heading), priority)
            for item in [b for b in items if b.priority is priority]:
                self.benchmark(item)
            if priority.outcomes and "outcomes" in self.v.tables:
                self.flow(f"Priority #{priority.number}: the outcome targets", "", "The plan's outcome targets.",
                          [("table", (self.v.tables["outcomes"], priority.outcomes))])

    def cover(self) -> None:
        d = self.plan.district
        slide = self.new_slide(LAYOUT_TITLE, notes="The midyear check-in on the plan's interim benchmarks.")
        heading = pptx_xml.run(self.unique("Midyear Progress Report"), 40, bold=True, color=WHITE)
        band = f'<a:p><a:pPr algn="l"/>{heading}</a:p>'
        slide.shapes.append(pptx_xml.placeholder(2, "Title 1", '<p:ph type="ctrTitle"/>', 0, 0, SLIDE_W, 3.6, band,
                                                 pptx_xml.body_pr(left_right=MARGIN, anchor="ctr"), fill=NAVY))
        latest = progress.last_checkin(self.plan)
        lines = [(d.name, 28, True, NAVY), (f"{self.v.plan_year} plan · {self.v.school_year}", 18, False, GREY),
                 (f"Check-ins through {progress.long_date(latest)}" if latest else "No check-ins yet", 16, False, GREY)]
        paragraphs = "".join(pptx_xml.paragraph(pptx_xml.run(v, s, bold=b, color=c), align="l")
                             for v, s, b, c in (self.fitted_line(line, BODY_W) for line in lines))
        slide.shapes.append(pptx_xml.placeholder(3, "Subtitle 2", '<p:ph type="subTitle" idx="1"/>', MARGIN, 3.9,
                                                 BODY_W, 2.8, paragraphs, pptx_xml.body_pr()))

    def benchmark(self, item: progress.BenchmarkYear) -> None:
        b = item.benchmark
        facts = [Para(value, lead=f"{label}: ", space_before=4) for label, value in (
            ("Level", b.level), ("Who monitors it", b.monitored_by), ("How often", b.frequency),
            ("On track at midyear looks like", b.on_track)) if value]
        rows = [SimpleNamespace(date=progress.long_date(c.date), value=c.value, status=c.status, note=c.note)
                for c in item.checkins]
        content: list[tuple[str, object]] = [("text", facts)]
        content.append(("table", (_CHECKINS, rows)) if rows else
                       ("text", [Para("No check-in recorded yet.", italic=True, color=GREY, space_before=8)]))
        self.flow(item.title, b.benchmark, f"{item.title}: {b.benchmark}", content)
        chart = chart_of(item)
        if chart:
            self.chart_slide(chart)

    def chart_slide(self, chart: chart_xml.Chart) -> None:
        slide = self.content_slide(chart.title, 24, chart.description)
        rid = slide.add_chart(*chart.parts(font_pt=14))
        x, y, w, h = (pptx_xml.emu(v) for v in (MARGIN, BODY_TOP, BODY_W, BODY_BOTTOM - BODY_TOP))
        described = pptx_xml.esc(chart.description)
        slide.shapes.append(
            f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="10" name="Chart" descr="{described}"/>'
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
            f'<p:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></p:xfrm>{chart_xml.graphic(rid)}'
            "</p:graphicFrame>")
        slide.shapes.append(self.decorate(100))
