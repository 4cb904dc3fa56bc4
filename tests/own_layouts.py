"""Plans written in districts' own layouts, made with python-docx and python-pptx, for the own-layout readers' tests.

Each maker writes the same plan content (``PLAN``) in a different layout: own headings and reworded
prompts, a goals table with its own headers, bullets, label-and-answer tables, a text box, a page header,
a comment, tracked changes; a deck in a district's own design. ``EXPECTED`` says where each piece belongs.
"""

from __future__ import annotations

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

WPS_MC = ('xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
DISTRICT = "Maple Ridge Public Schools"
STATEMENT = ("All students in grades 6-8, especially English learners, will engage in grade-level math tasks daily "
             "using Illustrative Mathematics with strong discourse routines.")
IMPACT = "Teachers will plan lessons together each week and students will explain their reasoning in every lesson."
GAPS = ("English learners in grades 6-8 meet expectations in math at 12 percent compared with 41 percent of all "
        "students.")
ANALYSIS = ("Our MCAS and i-Ready data show that English learners and students with disabilities are the most "
            "disadvantaged by current practices, with the widest disparities at Birch Middle School.")
HEADLINES = ("Common planning time is used mostly for logistics rather than for looking at student work, and "
             "classroom observations show few opportunities for student discourse.")
INPUT = ("We surveyed 600 families and held focus groups with students and teachers; they asked for more support "
         "for English learners in math class, which shaped this priority.")
ONGOING = "A family advisory council will meet quarterly to review progress data and give feedback."
DISTRICT_ACTIONS = "Provide monthly coaching cycles and protect weekly common planning time."
SCHOOL_ACTIONS = "Principals observe math classes every week and give feedback within two days."
CLASSROOM_ACTIONS = "Teachers use the curriculum's discourse routines in every lesson."
FUNDING = "Title I and Title III funds pay for two math coaches."
INEQUITIES = ("Our budget review found that Birch Middle School has fewer coaching hours per teacher than other "
              "schools; we will shift coaching hours to Birch this year.")
OUTCOMES = [("MCAS math meeting or exceeding expectations", "English learners", "District", "12%", "20%"),
            ("MCAS math meeting or exceeding expectations", "All students", "Birch Middle School", "35%", "40%")]
BENCHMARKS = [("Percent of classrooms using discourse routines", "Classroom", "Math coaches", "Monthly", "70%"),
              ("i-Ready growth for English learners", "District", "Assistant superintendent", "Three times a year",
               "50% of typical growth by January")]
TARGETED = [("Birch Middle School", "An extra coach two days a week and biweekly data meetings with the principal.")]

EXPECTED = {"statement": STATEMENT, "desired_impact": IMPACT, "equity_gaps": GAPS, "outcomes_district": ANALYSIS,
            "systemic_headlines": HEADLINES, "stakeholder_input": INPUT, "stakeholder_ongoing": ONGOING,
            "district_actions": DISTRICT_ACTIONS, "school_actions": SCHOOL_ACTIONS,
            "classroom_actions": CLASSROOM_ACTIONS, "funding": FUNDING, "resource_inequities": INEQUITIES}


def _table(document, rows, header=True):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
            if r == 0 and header:
                for run in table.cell(r, c).paragraphs[0].runs:
                    run.bold = True
    return table


def headings_and_goal_table(path):
    """Own headings (numbered, reworded), text under them, bullets, a goals table with its own headers."""
    d = docx.Document()
    d.add_heading(f"{DISTRICT}", 0)
    d.add_paragraph("District Improvement Focus 2025-2026")
    d.add_paragraph("June 12, 2025")
    d.add_heading("Section A: Our Instructional Priority", 1)
    d.add_paragraph(STATEMENT)
    d.add_heading("Desired Impact", 2)
    d.add_paragraph(IMPACT)
    d.add_heading("Equity Gaps We Will Close", 2)
    d.add_paragraph(GAPS, style="List Bullet")
    d.add_heading("Section B: What Our Data Tell Us", 1)
    d.add_paragraph("District themes:").runs[0].bold = True
    d.add_paragraph(ANALYSIS)
    d.add_paragraph("Adult practice headlines:").runs[0].bold = True
    d.add_paragraph(HEADLINES)
    d.add_heading("Section C: Listening to Our Community", 1)
    d.add_paragraph(INPUT)
    d.add_paragraph("Ongoing involvement:").runs[0].bold = True
    d.add_paragraph(ONGOING)
    d.add_heading("Section D: Goals for the Year", 1)
    _table(d, [("Metric", "Students", "Where", "Spring 2025", "Spring 2026 goal"), *OUTCOMES])
    d.add_heading("Section E: Who Does What", 1)
    for who, what in (("District leaders", DISTRICT_ACTIONS), ("School leaders", SCHOOL_ACTIONS),
                      ("Teachers", CLASSROOM_ACTIONS)):
        d.add_paragraph(f"{who}: {what}", style="List Bullet")
    d.add_heading("Section F: Progress Monitoring", 1)
    _table(d, [("Milestone", "Level", "Owner", "When", "Midyear evidence"), *BENCHMARKS])
    d.add_heading("Section G: Budget and Resources", 1)
    d.add_paragraph(f"Funding: {FUNDING}")
    d.add_paragraph(INEQUITIES)
    d.add_heading("Section H: Support for Our Priority Schools", 1)
    _table(d, [("School", "What we will do differently"), *TARGETED])
    d.save(path)
    return path


def label_tables_with_extras(path):
    """Label-and-answer tables, the district named in the page header, a text box, a comment, a tracked change."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = f"{DISTRICT} · Instructional Plan"
    d.add_paragraph("Instructional Prioritization Plan").runs[0].bold = True
    p = d.add_paragraph("Priority statement: ")
    p.add_run(STATEMENT)
    d.add_comment(p.runs[1], text="Tighten this before June", author="Dr. Lee")
    _table(d, [("Desired impact", IMPACT), ("Equity gaps", GAPS)], header=False)
    d.add_paragraph("Stakeholder Engagement").runs[0].bold = True
    _table(d, [("Input we received", INPUT), ("How stakeholders stay involved", ONGOING)], header=False)
    d.add_paragraph("Role Clarity").runs[0].bold = True
    _table(d, [("District leaders", DISTRICT_ACTIONS), ("School leaders", SCHOOL_ACTIONS),
               ("Classroom educators", CLASSROOM_ACTIONS)], header=False)
    d.add_paragraph("Resources").runs[0].bold = True
    box = d.add_paragraph()
    box._p.append(parse_xml(
        f'<w:r {nsdecls("w", "wp", "a")} {WPS_MC}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:inline><wp:extent cx="4000000" cy="600000"/><wp:docPr id="5" name="Box"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>'
        f'<w:txbxContent><w:p><w:r><w:t>Funding sources: {FUNDING}</w:t></w:r></w:p></w:txbxContent>'
        '</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Funding sources: {FUNDING}</w:t></w:r></w:p>'
        '</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>'))
    tracked = d.add_paragraph()
    tracked._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="A" w:date="2025-06-01T00:00:00Z"><w:r><w:t>{INEQUITIES}</w:t>'
        '</w:r></w:ins>'))
    tracked._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="2" w:author="A" w:date="2025-06-01T00:00:00Z"><w:r><w:delText>An old '
        'sentence nobody wants.</w:delText></w:r></w:del>'))
    d.save(path)
    return path


def prompts_kept_own_layout(path):
    """The official prompts kept word for word as bold paragraphs, answers below, goals as a bulleted list."""
    from docgen import variants

    v = variants.load("fy26")
    prompt = {s.id: v.text(s.prompt) for s in v.sections}
    d = docx.Document()
    d.add_paragraph(f"{DISTRICT} - Instructional Prioritization Plan, SY 2025-26")
    d.add_paragraph("Submitted June 27, 2025")
    d.add_paragraph(prompt["priority"]).runs[0].bold = True
    d.add_paragraph(STATEMENT)
    d.add_paragraph(IMPACT)
    d.add_paragraph(GAPS)
    d.add_paragraph(prompt["stakeholders"]).runs[0].bold = True
    d.add_paragraph(INPUT)
    d.add_paragraph(ONGOING)
    d.add_paragraph(prompt["outcomes"]).runs[0].bold = True
    for measure, group, school, baseline, target in OUTCOMES:
        d.add_paragraph(f"Raise {measure} for {group.lower()} at {school} from {baseline} to {target}.",
                        style="List Bullet")
    d.add_paragraph(prompt["roles"]).runs[0].bold = True
    for who, what in (("District leaders", DISTRICT_ACTIONS), ("School leaders", SCHOOL_ACTIONS),
                      ("Classroom educators", CLASSROOM_ACTIONS)):
        d.add_paragraph(f"{who}: {what}")
    d.add_paragraph(prompt["resources"]).runs[0].bold = True
    d.add_paragraph(FUNDING)
    d.add_paragraph(INEQUITIES)
    d.save(path)
    return path


def own_design_deck(path):
    """A deck in a district's own design: its own titles, text in any shape, a goals table, a continued slide."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    deck = Presentation()
    blank, title_only = deck.slide_layouts[6], deck.slide_layouts[5]
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = DISTRICT
    cover.placeholders[1].text = "Instructional Priority 2025-26 · June 18, 2025"

    def slide(title, lines, notes=""):
        s = deck.slides.add_slide(title_only)
        s.shapes.title.text = title
        box = s.shapes.add_textbox(Inches(0.5), Inches(1.5), Inches(9), Inches(4)).text_frame
        box.word_wrap = True
        for i, line in enumerate(lines):
            p = box.paragraphs[0] if i == 0 else box.add_paragraph()
            p.text = line
            p.font.size = Pt(16)
        if notes:
            s.notes_slide.notes_text_frame.text = notes
        return s

    slide("Our Instructional Priority", [STATEMENT], notes="Say: this is our elevator pitch.")
    slide("Desired Impact", [IMPACT])
    slide("Equity and Opportunity Gaps", [GAPS])
    slide("Stakeholder Engagement", [INPUT])
    slide("Stakeholder Engagement (continued)", [ONGOING])
    goals = deck.slides.add_slide(title_only)
    goals.shapes.title.text = "Annual Goals"
    rows = [("Metric", "Students", "Where", "Spring 2025", "Spring 2026 goal"), *OUTCOMES]
    table = goals.shapes.add_table(len(rows), 5, Inches(0.5), Inches(1.5), Inches(9), Inches(3)).table
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    slide("Roles and Responsibilities", [f"District leaders: {DISTRICT_ACTIONS}", f"School leaders: {SCHOOL_ACTIONS}",
                                         f"Classroom educators: {CLASSROOM_ACTIONS}"])
    side = deck.slides.add_slide(blank)
    box = side.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(9), Inches(1)).text_frame
    box.text = "Resources"
    box.paragraphs[0].runs[0].font.bold = True
    body = side.shapes.add_textbox(Inches(0.5), Inches(1.5), Inches(9), Inches(3)).text_frame
    body.text = f"Funding: {FUNDING}"
    body.add_paragraph().text = INEQUITIES
    deck.save(path)
    return path


def official_style_deck(path):
    """A deck laid out as DESE's template deck: a slide per section titled as the guidance, its prompt in small
    type, the district's answers below the template's labels, the outcomes and benchmarks tables with its headers."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    from docgen import variants

    v = variants.load("fy26")
    sections = {s.id: s for s in v.sections}
    deck = Presentation()
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = "District Instructional Prioritization Plan"
    cover.placeholders[1].text = f"{DISTRICT}\nJune 20, 2025"

    def section_slide(section_id, labelled=(), table=None):
        s = deck.slides.add_slide(deck.slide_layouts[5])
        s.shapes.title.text = v.text(sections[section_id].heading)
        prompt = s.shapes.add_textbox(Inches(0.4), Inches(1.2), Inches(9.2), Inches(1)).text_frame
        prompt.word_wrap = True
        prompt.text = v.text(sections[section_id].prompt)
        prompt.paragraphs[0].font.size = Pt(9)
        body = s.shapes.add_textbox(Inches(0.4), Inches(2.4), Inches(9.2), Inches(4)).text_frame
        body.word_wrap = True
        first = True
        for label, answer in labelled:
            for value, bold in ((label, True), (answer, False)):
                p = body.paragraphs[0] if first else body.add_paragraph()
                first = False
                p.text = value
                p.runs[0].font.bold = bold
        if table:
            grid = s.shapes.add_table(len(table), len(table[0]), Inches(0.4), Inches(2.4), Inches(9.2),
                                      Inches(2)).table
            for r, row in enumerate(table):
                for c, value in enumerate(row):
                    grid.cell(r, c).text = value

    section_slide("priority", [("Instructional priority", STATEMENT),
                               ("Desired impact on instruction and student learning", IMPACT),
                               ("Equity and opportunity gaps this priority will address", GAPS)])
    section_slide("analysis", [("Themes for the district", ANALYSIS), ("Headlines related to adult practice",
                                                                       HEADLINES)])
    section_slide("stakeholders", [("Input received and how it informed the priority and this plan", INPUT),
                                   ("How stakeholders will be involved in implementation and monitoring", ONGOING)])
    headers = [v.text(c.header) for c in v.tables["outcomes"].columns][:5]
    section_slide("outcomes", table=[headers, *OUTCOMES])
    section_slide("roles", [("District leaders", DISTRICT_ACTIONS), ("School leaders", SCHOOL_ACTIONS),
                            ("Classroom educators", CLASSROOM_ACTIONS)])
    headers = [v.text(c.header) for c in v.tables["benchmarks"].columns]
    section_slide("monitoring", table=[headers, *BENCHMARKS])
    inequities = v.text(v.field("resource_inequities").label)
    section_slide("resources", [("Funding sources", FUNDING), (inequities, INEQUITIES)])
    section_slide("targeted", table=[["School", "Additional actions and how they advance the priority"], *TARGETED])
    deck.save(path)
    return path
