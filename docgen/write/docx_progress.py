"""Write the midyear progress report as a Word document: each benchmark, its check-ins, a chart, the targets.

It is what a leadership team brings to the midyear check-in meeting with
its SSoS consultants: for each priority, each interim benchmark with its
level, who monitors it and what "on track at midyear" looks like, every
check-in so far with its status, a native chart of the numbers against the
benchmark's target (alternative text states the values), and what the
district said it will adjust; then the outcome targets restated.
"""

from __future__ import annotations

from docgen.model import progress
from docgen.model.plan import Plan
from docgen.variants import Variant
from docgen.write import chart_xml, docx_common, docx_package
from docgen.write import docx_xml as xml
from docgen.write.docx_common import HEADER_FILL, LABEL_FILL, STYLE_IDS

CHART_W, CHART_H = int(6.0 * 914400), int(3.0 * 914400)  # EMU
_FACTS = (("Level", "level"), ("Who monitors it", "monitored_by"), ("How often", "frequency"),
          ("On track at midyear looks like", "on_track"))


def title(plan: Plan, variant: Variant) -> str:
    """Return the report's title and file name: "<District> FY26 Midyear Progress Report"."""
    return f"{plan.district.name} {variant.plan_year} Midyear Progress Report"


def build(plan: Plan, variant: Variant) -> bytes:
    """Return the midyear progress report for ``plan`` and its check-ins as .docx bytes."""
    name = title(plan, variant)
    doc = docx_common.new_document(title=name, author=plan.district.contact_name or plan.district.name,
                                   subject=f"{variant.plan_year} instructional prioritization plan: midyear progress",
                                   footer=name)
    body = _cover(plan, variant)
    for priority in plan.priorities:
        body.append(_heading(f"Priority #{priority.number}: {priority.answer('statement') or '(no statement yet)'}", 1))
        for item in [b for b in progress.benchmarks_of(plan) if b.priority is priority]:
            body += _benchmark(item, doc)
        body += _targets(priority)
    doc.body = body
    return docx_package.write(doc)


def _heading(text: str, level: int) -> str:
    return xml.para(xml.run(text), style=STYLE_IDS[f"Heading {level}"], keep_next=True)


def _cover(plan: Plan, variant: Variant) -> list[str]:
    counts = progress.status_counts(plan)
    latest = progress.last_checkin(plan)
    summary = ", ".join(f"{n} {label.lower()}" for label, n in counts.items() if n)
    return [
        xml.para(xml.run("Midyear Progress Report"), style=STYLE_IDS["Title"]),
        xml.para(xml.run(plan.district.name, bold=True, size_pt=14, color=docx_common.NAVY)),
        xml.para(xml.run(f"{variant.plan_year} District Instructional Prioritization Plan · {variant.school_year}")),
        xml.para(xml.run(f"Check-ins through {progress.long_date(latest)}" if latest else "No check-ins yet")),
        xml.para(xml.run("Benchmarks at their latest check-in: ", bold=True) + xml.run(summary or "none yet")),
    ]


def _benchmark(item: progress.BenchmarkYear, doc) -> list[str]:
    out = [_heading(f"{item.title}: {item.benchmark.benchmark or '(not written yet)'}", 2)]
    out.append(_facts(item))
    out.append(xml.para(space_after_pt=0, line_twips=160))
    if item.checkins:
        out.append(_checkins_table(item))
        out.append(xml.para(space_after_pt=0, line_twips=160))
    else:
        out.append(xml.para(xml.run("No check-in recorded yet.", italic=True)))
    chart = chart_of(item)
    if chart:
        out.append(_chart_paragraph(doc, chart, len(doc.charts) + 1))
    elif item.checkins:
        out.append(xml.para(xml.run("No chart: the check-ins record no numbers.", italic=True)))
    notes = [c for c in item.checkins if c.note]
    if notes:
        out.append(xml.para(xml.run("What we will adjust", bold=True), keep_next=True))
        out += [xml.para(xml.run(f"{progress.long_date(c.date)}: ", bold=True) + xml.run(c.note),
                         style=STYLE_IDS["List Bullet"]) for c in notes]
    return out


def _facts(item: progress.BenchmarkYear) -> str:
    widths = [docx_common.inches(2.2), docx_common.BODY_WIDTH - docx_common.inches(2.2)]
    rows = [xml.row(xml.cell(xml.para(xml.run("Item", bold=True)), widths[0], fill=HEADER_FILL)
                    + xml.cell(xml.para(xml.run("What the plan says", bold=True)), widths[1], fill=HEADER_FILL),
                    header=True)]
    for label, key in _FACTS:
        rows.append(xml.row(xml.cell(xml.para(xml.run(label, bold=True)), widths[0], fill=LABEL_FILL)
                            + xml.cell(xml.para(xml.run(getattr(item.benchmark, key) or "(not written)")), widths[1]),
                            cant_split=True))
    return xml.table(widths, "".join(rows))


def _checkins_table(item: progress.BenchmarkYear) -> str:
    headers = ("Date", "What the data showed", "Status", "What we will adjust")
    widths = docx_common.column_widths([14, 24, 12, 40])
    rows = [xml.row("".join(xml.cell(xml.para(xml.run(h, bold=True, size_pt=10)), w, fill=HEADER_FILL)
                            for h, w in zip(headers, widths, strict=True)), header=True)]
    for c in item.checkins:
        values = (progress.long_date(c.date), c.value, c.status, c.note)
        rows.append(xml.row("".join(xml.cell(xml.para(xml.run(v, size_pt=10)), w)
                                    for v, w in zip(values, widths, strict=True)), cant_split=True))
    return xml.table(widths, "".join(rows))


def chart_of(item: progress.BenchmarkYear) -> chart_xml.Chart | None:
    """Return the benchmark's chart (its numbers over the year against its midyear target), or None without numbers."""
    if not item.has_numbers():
        return None
    points = item.points()
    target = item.target
    percent = any(n is not None and n.unit == "%" for _, n in points) or bool(target and target.unit == "%")
    series = [("What the data showed", tuple(n.value if n else None for _, n in points))]
    if target is not None:
        series.append(("Midyear target", tuple(target.value for _ in points)))
    shown = "; ".join(f"{day}: {n}" if n else f"{day}: no number" for day, n in points)
    aim = f" The midyear target is {target}." if target is not None else ""
    description = f"Line chart of {item.title}. {shown}.{aim}"
    return chart_xml.Chart(f"{item.title}: the data against its target", tuple(d for d, _ in points),
                           tuple(series), percent, description)


def _chart_paragraph(doc, chart: chart_xml.Chart, number: int) -> str:
    rid = doc.add_chart(*chart.parts(font_pt=10))
    drawing = (f'<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{CHART_W}" '
               f'cy="{CHART_H}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{1000 + number}" '
               f'name="Chart {number}" descr="{xml.esc(chart.description)}"/><wp:cNvGraphicFramePr/>'
               f"{chart_xml.graphic(rid)}</wp:inline></w:drawing>")
    return xml.para(f"<w:r>{drawing}</w:r>", keep_next=False)


def _targets(priority) -> list[str]:
    if not priority.outcomes:
        return []
    headers = ("Measure", "Student group", "School or District", "Baseline", "Target")
    keys = ("measure", "student_group", "school", "baseline", "target")
    widths = docx_common.column_widths([30, 18, 18, 14, 14])
    rows = [xml.row("".join(xml.cell(xml.para(xml.run(h, bold=True, size_pt=10)), w, fill=HEADER_FILL)
                            for h, w in zip(headers, widths, strict=True)), header=True)]
    for target in priority.outcomes:
        rows.append(xml.row("".join(xml.cell(xml.para(xml.run(getattr(target, k), size_pt=10)), w)
                                    for k, w in zip(keys, widths, strict=True)), cant_split=True))
    return [_heading(f"Priority #{priority.number}: the outcome targets", 2), xml.table(widths, "".join(rows)),
            xml.para(space_after_pt=0, line_twips=160)]
