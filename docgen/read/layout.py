"""The intake workbook's layout, from the variant spec: which sheet holds what, row by row.

The writer lays a workbook out from these rows and the reader reads one back
against them, so the two can never disagree. Form sheets (District, HQIM,
Priority 1 and 2, Consultant review) hold a hidden key in column A, a label
or prompt in column B and the answer in column C. Table sheets hold a title,
a help line, a hidden row of column keys, the headers, then one row per entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen.variants import ColumnSpec, FieldSpec, TableSpec, Variant

START_SHEET = "Start here"
CARRIED_SHEET = "Carried over"
REVIEW_SHEET = "Consultant review"
LISTS_SHEET = "Lists"
PRIORITY_COLUMN = "Priority"
PRIORITY_KEY = "priority"
SECTION_KEY = "section:"
KEY_ROW = 3  # hidden row on table sheets naming each column's field, above the visible headers
HEADER_ROW = KEY_ROW + 1
FIRST_DATA_ROW = HEADER_ROW + 1
MAX_PRIORITIES = 2
MAX_TABLE_ROWS = 5000  # rows read from one table sheet; a plan's tables hold a few dozen
TABLE_ROWS_PREPARED = 200  # rows given drop-downs on each table sheet
ANSWER_COLUMN = 3  # column C
REVIEW_FIELDS = (  # key, label, kind
    ("consultant_name", "Consultant name", "line"),
    ("consultant_title", "Consultant title", "line"),
    ("region", "SSoS region", "line"),
    ("review_date", "Review date", "date"),
    ("summary", "Overall summary of the plan", "text"),
)
REVIEW_COLUMNS = ("strengths", "refinements", "next_steps")
REVIEW_HEADERS = ("Section", "Strengths", "Refinements", "Next steps")


def priority_sheet(number: int) -> str:
    """Return the name of the sheet holding priority ``number``'s answers."""
    return f"Priority {number}"


@dataclass(frozen=True)
class Row:
    """One row of a form sheet: what kind it is, its key (column A) and the texts of columns B, C, ..."""

    kind: str  # title, note, header, heading, prompt, field, link, blank, section
    texts: tuple[str, ...] = ()
    key: str = ""
    field: FieldSpec | None = None
    table: TableSpec | None = None

    @property
    def text(self) -> str:
        return self.texts[0] if self.texts else ""


def field_label(variant: Variant, f: FieldSpec, number: int = 1) -> str:
    """Return the label a field's row shows in column B ("(optional)" after optional ones)."""
    return variant.text(f.label, number=number) + ("" if f.required else " (optional)")


def form_sheets(variant: Variant) -> dict[str, list[Row]]:
    """Return every form sheet's rows in order, by sheet name, the Consultant review sheet last."""
    sheets = {variant.district_sheet: _form_top(variant.district_title,
                                                "Who is submitting this plan. The district name names the output "
                                                "files.") + [_field_row(variant, f) for f in variant.district_fields]}
    for section in variant.sections_in("district"):
        rows = sheets.setdefault(section.sheet, _form_top(section.sheet, "Answered once for the whole district."))
        rows += _section_rows(variant, section, None)
    for number in range(1, MAX_PRIORITIES + 1):
        note = ("The district's instructional priority: answer every yellow cell." if number == 1 else
                "Only if the district has a second instructional priority. Otherwise leave this sheet blank.")
        rows = _form_top(priority_sheet(number), note)
        for section in variant.sections_in("priority"):
            rows += _section_rows(variant, section, number)
        sheets[priority_sheet(number)] = rows
    sheets[REVIEW_SHEET] = review_rows(variant)
    return sheets


def review_rows(variant: Variant) -> list[Row]:
    """Return the Consultant review sheet's rows: who reviewed, then a row per section of the plan."""
    rows = _form_top("Consultant review (SSoS)",
                     "For the SSoS Leadership Consultant. The plan documents ignore "
                     "this sheet; 'docgen letter' turns it into the August feedback letter.")
    rows += [_field_row(variant, FieldSpec(key=key, label=label, kind=kind)) for key, label, kind in REVIEW_FIELDS]
    rows += [Row("blank"), Row("header", REVIEW_HEADERS)]
    rows += [Row("section", (variant.text(s.heading),), key=SECTION_KEY + s.id) for s in variant.sections]
    return rows


def table_columns(variant: Variant, table: TableSpec) -> list[tuple[str, int, ColumnSpec | None]]:
    """Return a table sheet's columns: (header, width, spec), the Priority column (spec None) first if it has one."""
    first = [(PRIORITY_COLUMN, 10, None)] if table.scope == "priority" else []
    return first + [(variant.text(c.header), c.width, c) for c in table.columns]


def table_help(table: TableSpec) -> str:
    """Return the help line under a table sheet's title."""
    return table.help + (f" {PRIORITY_COLUMN}: 1 or 2 (blank means 1)." if table.scope == "priority" else "")


def sheet_order(variant: Variant) -> list[str | TableSpec]:
    """Return the plan's sheets in workbook order: form sheet names, and table specs where their sheets go.

    District, its loose tables (Schools), each district section's sheet and its
    tables (HQIM, HQIM curricula), Priority 1 and 2, their tables, Consultant review.
    """
    used = {p.table for s in variant.sections for p in s.parts if p.table}
    order: list[str | TableSpec] = [variant.district_sheet]
    order += [t for t in variant.tables.values() if t.scope == "district" and t.key not in used]
    for sheet in dict.fromkeys(s.sheet for s in variant.sections_in("district")):
        order.append(sheet)
        order += [variant.tables[p.table] for s in variant.sections_in("district") if s.sheet == sheet
                  for p in s.parts if p.table]
    order += [priority_sheet(n) for n in range(1, MAX_PRIORITIES + 1)]
    order += [variant.tables[p.table] for s in variant.sections_in("priority") for p in s.parts if p.table]
    return [*dict.fromkeys(order), REVIEW_SHEET]


def _form_top(title: str, note: str) -> list[Row]:
    return [Row("title", (title,)), Row("note", (note,)), Row("header", ("Prompt", "Your answer"))]


def _field_row(variant: Variant, f: FieldSpec, number: int | None = None) -> Row:
    return Row("field", (field_label(variant, f, number or 1),), key=f.key, field=f)


def _section_rows(variant: Variant, section, number: int | None) -> list[Row]:
    rows = [Row("heading", (variant.text(section.heading),))]
    n = number or 1
    if section.prompt and section.prompt != section.heading:
        rows.append(Row("prompt", (_prompt_text(variant, section, n),)))
    for part in section.parts:
        if part.prompt:
            rows.append(Row("prompt", (_prompt_text(variant, part, n),)))
        rows += [_field_row(variant, f, number) for f in part.fields]
        if part.table:
            t = variant.tables[part.table]
            which = f" Rows with {PRIORITY_COLUMN} {number}." if number else ""
            rows.append(Row("link", (f"{t.title}: fill the table on sheet '{t.sheet}'.{which}",), table=t))
    return rows


def _prompt_text(variant: Variant, spec, number: int) -> str:
    """Return a section's or part's prompt, bullets, notes and tips as the lines of one cell."""
    lines = [variant.text(spec.prompt, number=number)]
    lines += [f"• {variant.text(b, number=number)}" for b in spec.bullets]
    lines += [variant.text(n, number=number) for n in spec.notes]
    if spec.tips:
        lines += ["TIPS:", *(f"• {variant.text(tip, number=number)}" for tip in spec.tips)]
    return "\n".join(lines)
