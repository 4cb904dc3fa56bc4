"""Write docgen's own Word plan as a template a person can redesign in Word (``docgen template new``).

The template is the official plan built from a plan whose every value is
its own tag (``{{ district.name }}``, ``{{ p.statement }}``), so it looks
exactly like the plan docgen writes. Then its repeating parts are marked:
each table's example row sits between ``{%tr for s in schools %}`` and
``{%tr endfor %}`` rows, the priority's headings and tables between
``{%p for p in priorities %}`` and ``{%p endfor %}`` (a second priority
appears only when the plan has one), and the note about an optional second
priority is kept only for a plan with one. A guide on the first page lists
every tag; it sits inside ``{%p if false %}`` and so never reaches a filled plan.
"""

from __future__ import annotations

import re

from docgen.model.plan import TABLE_ROWS, Plan, Priority, field_names
from docgen.templating import schema
from docgen.variants import Variant
from docgen.write import docx_package, docx_plan
from docgen.write import docx_xml as xml

_ROW = re.compile(r"<w:tr>(?:(?!<w:tr>).)*?</w:tr>", re.DOTALL)


def plan_template(variant: Variant) -> bytes:
    """Return the variant's Word plan as a template: .docx bytes with tags where a plan's values go."""
    doc = docx_plan.document(_tag_plan(variant), variant)
    body = [_mark_rows(block) for block in doc.body]
    body = _mark_priorities(body, variant)
    doc.body = _guide(variant) + body
    return docx_package.write(doc)


def _tag_plan(variant: Variant) -> Plan:
    fields = schema.plan_fields(variant)
    plan = Plan(variant=variant.id)
    for key in fields["district"]:
        setattr(plan.district, key, f"{{{{ district.{key} }}}}")
    plan.answers = {key: f"{{{{ plan.{key} }}}}" for key in fields["plan"]}
    for key, kind in fields.items():
        if isinstance(kind, schema.ListOf) and key != "priorities":
            setattr(plan, key, [_tag_row(key)])
    priority = Priority(number="{{ p.number }}")  # type: ignore[arg-type]  # the heading shows the tag
    for key, kind in fields["priorities"].item.items():
        if isinstance(kind, schema.ListOf):
            setattr(priority, key, [_tag_row(key)])
        elif key != "number":
            priority.answers[key] = f"{{{{ p.{key} }}}}"
    plan.priorities = [priority]
    return plan


def _tag_row(table: str):
    name = schema.ROW_NAMES[table]
    row_type = TABLE_ROWS[table]
    return row_type(**{key: f"{{{{ {name}.{key} }}}}" for key in field_names(row_type)})


def _mark_rows(block: str) -> str:
    """Put a table's example row (the one holding ``{{ s.`` tags) between {%tr for %} and {%tr endfor %} rows."""
    for table, name in schema.ROW_NAMES.items():
        if f"{{{{ {name}." not in block:
            continue
        source = table if table in ("schools", "curricula") else f"p.{table}"
        for row in _ROW.findall(block):
            if f"{{{{ {name}." in row:
                opening = _marker_row(row, f"{{%tr for {name} in {source} %}}")
                closing = _marker_row(row, "{%tr endfor %}")
                return block.replace(row, opening + row + closing, 1)
    return block


def _marker_row(row: str, tag: str) -> str:
    """Return a copy of ``row`` holding only ``tag`` in its first cell (docxtpl removes the whole row)."""
    emptied = re.sub(r"(<w:t(?: [^>]*)?>)[^<]*(</w:t>)", r"\1\2", row)
    return re.sub(r"(<w:t(?: [^>]*)?>)(</w:t>)", lambda m: m.group(1) + tag + m.group(2), emptied, count=1)


def _mark_priorities(body: list[str], variant: Variant) -> list[str]:
    """Repeat the priority's part once per priority; keep the optional-second-priority note for a plan of one."""
    start = next(i for i, block in enumerate(body) if "{{ p.number }}" in block)
    heading = f'<w:pStyle w:val="{docx_plan.HEADINGS[1]}"/>'  # the next top-level heading ends the priority
    end = next((i for i in range(start + 1, len(body)) if heading in body[i]), len(body))
    marked = [*body[:start], _tag_para("{%p for p in priorities %}"), *body[start:end], _tag_para("{%p endfor %}")]
    if end < len(body):
        marked += [_tag_para("{%p if priorities|length < 2 %}"), *body[end:], _tag_para("{%p endif %}")]
    return marked


def _tag_para(tag: str) -> str:
    return xml.para(xml.run(tag))


def _guide(variant: Variant) -> list[str]:
    """Return the first page's guide to the tags: kept out of every filled plan by {%p if false %}."""
    lines = [
        "How to use this template",
        "This page is a guide: docgen removes it (everything from 'if false' to 'endif') when it fills the template.",
        ("Change anything you like in Word: logo, colours, fonts, headers and footers, a cover page, text of your "
         "own, the order of sections. Keep the tags (the names between double curly braces) where the district's "
         "answers should appear. A paragraph holding one tag alone becomes the answer's paragraphs and lists, in "
         "that paragraph's style."),
        ("Rows between 'tr for' and 'tr endfor' repeat once per school, curriculum, target, benchmark or action; "
         "everything between 'p for p in priorities' and 'p endfor' repeats once per priority."),
        "Check your template with: docgen template check YOUR-TEMPLATE.docx",
        "The fields you can show:",
    ]
    out = [_tag_para("{%p if false %}"), xml.para(xml.run(lines[0]), style="Heading1")]
    out += [xml.para(xml.run(line)) for line in lines[1:]]
    out += [xml.para(xml.run(path), style="ListBullet") for path in _guide_names(variant)]
    out += [xml.para(xml.run(""), page_break_before=True), _tag_para("{%p endif %}")]
    return out


def _guide_names(variant: Variant) -> list[str]:
    names = []
    for path in schema.leaves(schema.plan_fields(variant)):
        head, _, last = path.rpartition(".")
        table = head.rsplit(".", 1)[-1]
        if table in schema.ROW_NAMES:
            names.append(f"{schema.ROW_NAMES[table]}.{last}  (one row of {table.replace('_', ' ')})")
        elif head == "priorities":
            names.append(f"p.{last}  (a priority)")
        else:
            names.append(path)
    return names
