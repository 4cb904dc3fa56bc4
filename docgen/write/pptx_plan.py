"""Write a Plan as the PowerPoint option of the official plan: a 16:9 deck a superintendent can present.

Each section gets a short, unique slide title, the guidance's prompt in small
type, and the district's answer as real bullets; benchmarks, outcomes and
schools are real tables with header rows. Text is measured with Calibri's
advance widths (textfit) and anything that would overflow continues on a
"(continued)" slide, so no text ever runs off a slide. The full prompt and tips
go into each slide's speaker notes.
"""

from __future__ import annotations

from docgen.model.plan import Plan, Priority
from docgen.variants import SectionSpec, Variant
from docgen.write import pptx_package, pptx_xml, textfit
from docgen.write.docx_plan import NO_TARGETED_SUPPORT
from docgen.write.opc import Properties
from docgen.write.pptx_flow import SlideFlow
from docgen.write.pptx_layout import (
    BODY_W,
    FOOTER_PT,
    GREY,
    INSET,
    MARGIN,
    NAVY,
    SLIDE_W,
    TITLE_H,
    TITLE_TOP,
    WHITE,
    Para,
    answer_paras,
    label_para,
)
from docgen.write.pptx_package import Slide

LAYOUT_TITLE, LAYOUT_SECTION, LAYOUT_TITLE_ONLY = 0, 1, 2


def build(plan: Plan, variant: Variant, theme=None) -> bytes:
    """Return the plan as a 16:9 PowerPoint deck (.pptx bytes), in a district's design (pptx_theme.Theme) if given."""
    deck = _Deck(plan, variant)
    deck.write()
    textfit.wrap.cache_clear()  # wrapped lines are reused within a deck, rarely across districts
    return pptx_package.write(deck.slides, Properties(
        title=variant.document_title(plan.district.name),
        subject=f"{variant.plan_year} District Instructional Prioritization Plan",
        author=plan.district.contact_name or plan.district.name), theme.base if theme else None)


class _Deck:
    def __init__(self, plan: Plan, variant: Variant):
        self.plan, self.v = plan, variant
        self.slides: list[Slide] = []
        self.number = 1
        self.titles: set[str] = set()
        self.footer = _fitted_footer(f"{plan.district.name} · {variant.plan_year} Instructional Prioritization Plan")

    def t(self, source: str) -> str:
        return self.v.text(source, district=self.plan.district.name, number=self.number)

    # slides

    def write(self) -> None:
        self.title_slide()
        self.district_slides()
        for section in self.v.sections_in("district"):
            self.section(section, self.plan.answers, None, suffix="")
        many = len(self.plan.priorities) > 1
        for priority in self.plan.priorities:
            self.number = priority.number
            heading = self.t(self.v.priority_heading)
            self.divider(heading, priority)
            suffix = f" (Priority #{priority.number})" if many else ""
            for section in self.v.sections_in("priority"):
                self.section(section, priority.answers, priority, suffix)

    def unique(self, title: str) -> str:
        candidate, n = title, 2
        while candidate in self.titles:
            candidate, n = f"{title} ({n})", n + 1
        self.titles.add(candidate)
        return candidate

    def new_slide(self, layout: int, notes: str = "") -> Slide:
        self.slides.append(Slide(layout, notes=notes))
        return self.slides[-1]

    def content_slide(self, title: str, size: float, notes: str) -> Slide:
        """Return a new "Title Only" slide with its title placed and styled."""
        slide = self.new_slide(LAYOUT_TITLE_ONLY, notes)
        slide.shapes.append(pptx_xml.title(self.unique(title), size, NAVY, MARGIN, TITLE_TOP, BODY_W, TITLE_H, INSET))
        return slide

    def title_slide(self) -> None:
        """The cover: the plan's name on a navy band, then district, program and year, date and contact."""
        d = self.plan.district
        cover = [self.t(line) for line in self.v.cover]
        slide = self.new_slide(LAYOUT_TITLE, notes=self.t(self.v.cover_note))
        heading = self.unique(cover[1] if len(cover) > 1 else cover[0])
        band = f'<a:p><a:pPr algn="l"/>{pptx_xml.run(heading, 40, bold=True, color=WHITE)}</a:p>'
        slide.shapes.append(pptx_xml.placeholder(  # the title itself is the band, so it stays first to read
            2, "Title 1", '<p:ph type="ctrTitle"/>', 0, 0, SLIDE_W, 3.6, band,
            pptx_xml.body_pr(left_right=MARGIN, anchor="ctr"), fill=NAVY))
        lines = [(d.name, 28, True, NAVY), (f"{cover[0]} · {cover[-1]}", 18, False, GREY)]
        if d.date:
            lines.append((d.date, 16, False, GREY))
        contact = ", ".join(x for x in (d.contact_name, d.contact_email) if x)
        if contact:
            lines.append((f"Contact: {contact}", 16, False, GREY))
        lines = [self.fitted_line(line, BODY_W - 2 * INSET) for line in lines]
        paragraphs = "".join(pptx_xml.paragraph(pptx_xml.run(value, size, bold=bold, color=color), align="l")
                             for value, size, bold, color in lines)
        slide.shapes.append(pptx_xml.placeholder(3, "Subtitle 2", '<p:ph type="subTitle" idx="1"/>', MARGIN, 3.9,
                                                 BODY_W, 2.8, paragraphs, pptx_xml.body_pr()))

    def fitted_line(self, line, width):
        """Shrink a title-slide line's type until it fits on one or two lines of ``width``."""
        value, size, bold, color = line
        while size > 12 and len(textfit.wrap(value, width, size, bold)) > 2:
            size -= 2
        return value, size, bold, color

    def divider(self, heading: str, priority: Priority) -> None:
        slide = self.new_slide(LAYOUT_SECTION, notes=self.t(self.v.priority_heading))
        slide.shapes.append(pptx_xml.title(self.unique(heading), 36, NAVY, MARGIN, 2.4, BODY_W, 1.3))
        focus = " · ".join(priority.answer(k) for k in ("subject", "grades", "student_groups") if priority.answer(k))
        size = 20
        while focus and size > 12 and len(textfit.wrap(focus, BODY_W - 2 * INSET, size)) > 2:
            size -= 2
        if focus and len(textfit.wrap(focus, BODY_W - 2 * INSET, size)) <= 2:
            slide.shapes.append(pptx_xml.placeholder(3, "Text Placeholder 2", '<p:ph type="body" idx="1"/>', MARGIN,
                                                     3.8, BODY_W, 1.2,
                                                     f"<a:p>{pptx_xml.run(focus, size, color=GREY)}</a:p>"))
        slide.shapes.append(self.decorate(100))

    def district_slides(self) -> None:
        d = self.plan.district
        flow = [Para(value, lead=f"{self.t(f.label)}: ", space_before=4)
                for f in self.v.district_fields if f.key not in ("name", "date") and (value := getattr(d, f.key))]
        schools = self.v.tables.get("schools")
        tables = [(schools, self.plan.schools)] if schools else []
        self.flow(self.t(self.v.district_title), "", self.t(self.v.district_title), [("text", flow)] + [
            ("table", t) for t in tables])

    def section(self, section: SectionSpec, answers: dict, priority: Priority | None, suffix: str) -> None:
        prompt_lines = [self.t(section.prompt)] if section.prompt and section.prompt != section.heading else []
        prompt_lines += [f"• {self.t(b)}" for b in section.bullets]
        notes = list(prompt_lines) + [self.t(n) for n in section.notes]
        if section.tips:
            notes += ["TIPS:", *(f"• {self.t(tip)}" for tip in section.tips)]
        content: list[tuple[str, object]] = []
        for part in section.parts:
            paras = []
            if part.prompt:
                notes += ["", self.t(part.prompt), *(f"• {self.t(b)}" for b in part.bullets),
                          *(self.t(n) for n in part.notes)]
                if part.tips:
                    notes += ["TIPS:", *(f"• {self.t(tip)}" for tip in part.tips)]
            for f in part.fields:
                value = answers.get(f.key, "")
                if not value:
                    continue
                label = self.t(f.label).replace("\n", " ")
                paras.append(label_para(label))
                paras.extend(answer_paras(value, label=label))
            if paras:
                content.append(("text", paras))
            if part.table:
                rows = getattr(priority if priority else self.plan, part.table)
                if not rows and part.table == "targeted_support":  # a sentence, not a table of empty rows
                    content.append(("text", [Para(NO_TARGETED_SUPPORT)]))
                    continue
                content.append(("table", (self.v.tables[part.table], rows)))
        if not content:
            content.append(("text", [Para("Not answered yet.", italic=True, color=GREY)]))
        prompt = " ".join(prompt_lines)  # none when the section has only part prompts (they go to the notes)
        self.flow(self.t(section.heading) + suffix, prompt, "\n".join(notes), content)

    # layout of one section across as many slides as it needs

    def flow(self, title: str, prompt: str, notes: str, content) -> None:
        page = SlideFlow(self, title, prompt, notes)
        for kind, item in content:
            if kind == "text":
                page.text(item)
            else:
                spec, rows = item
                page.table(spec, rows)
        page.finish()

    def decorate(self, shape_id: int) -> str:
        """Return the footer line for the newest slide: district, plan and slide number."""
        runs = pptx_xml.run(f"{self.footer}   {len(self.slides)}", 10, color=GREY)
        return pptx_xml.textbox(shape_id, MARGIN, 6.95, BODY_W, 0.35, pptx_xml.paragraph(runs, align="r"), INSET)


def _fitted_footer(footer: str) -> str:
    """Return the footer cut with "…" to fit one line beside a slide number of up to four digits (measured once)."""
    width = BODY_W - 2 * INSET - textfit.text_width("   9999…", FOOTER_PT)
    if textfit.text_width(footer, FOOTER_PT) <= width:
        return footer
    return footer[:textfit.longest_prefix(footer, width, FOOTER_PT)].rstrip() + "…"
