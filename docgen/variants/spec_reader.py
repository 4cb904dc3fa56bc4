"""Read one spec.yaml into a Variant, checking it as it goes: the first mistake is reported with its line and key.

variants.py holds what a Variant is and finds the installed ones; this module
turns a spec's YAML into one, so a new year's template that misspells a key or
a Jinja name stops with ``templates/fy27/spec.yaml, line 22, cover[2]: ...``.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import yaml

from docgen import text
from docgen.errors import TemplateError
from docgen.model.plan import PRIORITY_TABLES, TABLE_ROWS, District, field_names
from docgen.variants import ChoiceList, ColumnSpec, FieldSpec, PartSpec, SectionSpec, TableSpec, Variant

FIELD_KINDS = ("text", "line", "grades", "choice", "date", "email")
_REQUIRED_NAMES = ("id", "plan_year", "school_year", "school_year_short", "source", "due_date", "submit_to")
_OPTIONAL_NAMES = ("guidance_date", "school_year_ends", "feedback_month")  # the planning window, the letter's month
_CONTEXT_NAMES = _REQUIRED_NAMES + _OPTIONAL_NAMES
_TEMPLATE_NAMES = frozenset(_CONTEXT_NAMES) | {"district", "number"}


def read(path: Path, shown: str) -> Variant:
    """Return the Variant in the spec file ``path`` (named ``shown`` in messages); raise TemplateError."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise TemplateError(shown, f"not valid YAML: {exc.problem}", line=mark.line + 1 if mark else None) from None
    return _Builder(shown).variant(data)


class _Mapping(dict):
    line = None


class _Str(str):
    line = None


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe YAML loader whose mappings and strings remember the line they start on: libyaml's parser where
    PyYAML has it (a cold `docgen build` spent most of its time parsing the spec in Python), else PyYAML's own."""


def _construct_mapping(loader, node):
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


def _construct_str(loader, node):
    value = _Str(loader.construct_scalar(node))
    value.line = node.start_mark.line + 1
    return value


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)


class _Builder:
    """Turns the raw YAML of one spec into a Variant, reporting the first mistake with its line."""

    def __init__(self, shown: str):
        self.shown = shown

    def fail(self, node, key: str, message: str):
        raise TemplateError(self.shown, message, line=getattr(node, "line", None), key=key.lstrip("."))

    def need(self, mapping, key: str, where: str, kind=str):
        if not isinstance(mapping, dict) or key not in mapping:
            self.fail(mapping, where, f"'{key}' is required")
        value = mapping[key]
        if not isinstance(value, kind):
            self.fail(mapping, f"{where}.{key}", f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    def string(self, mapping, key: str, where: str, default: str | None = None) -> str:
        if default is not None and key not in mapping:
            return default
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            value = self.need(mapping, key, where)
        self.template(mapping, f"{where}.{key}", value)
        return value

    def strings(self, mapping, key: str, where: str) -> tuple[str, ...]:
        values = mapping.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            self.fail(mapping, f"{where}.{key}", "expected a list of strings")
        for i, value in enumerate(values):
            self.template(mapping, f"{where}.{key}[{i}]", value)
        return tuple(values)

    def template(self, mapping, where: str, source: str):
        node = source if getattr(source, "line", None) else mapping
        try:
            unknown = text.undeclared_names(source) - _TEMPLATE_NAMES
        except jinja2.TemplateSyntaxError as exc:
            self.fail(node, where, f"template error: {exc.message}")
        if unknown:
            self.fail(node, where, f"'{sorted(unknown)[0]}' is undefined (known: {', '.join(sorted(_TEMPLATE_NAMES))})")

    def variant(self, data) -> Variant:
        if not isinstance(data, dict):
            self.fail(data, "top level", "expected a mapping of spec keys")
        values = {name: str(self.string(data, name, "")) for name in _REQUIRED_NAMES}
        values.update({name: str(data.get(name, "")) for name in _OPTIONAL_NAMES})
        lists = self.lists(self.need(data, "lists", "", dict))
        district = self.need(data, "district", "", dict)
        district_fields = self.fields(district, "district", lists)
        for f in district_fields:
            if f.key not in field_names(District):
                self.fail(district, f"district.{f.key}",
                          f"no such district field; use one of: {', '.join(field_names(District))}")
        tables = self.tables(self.need(data, "tables", "", dict), lists)
        sections = tuple(
            self.section(s, f"sections[{i}]", lists, tables)
            for i, s in enumerate(self.need(data, "sections", "", list))
        )
        self.unique_keys(data, sections)
        return Variant(
            id=values["id"],
            spec_path=self.shown,
            values=values,
            cover=self.strings(data, "cover", ""),
            cover_note=self.string(data, "cover_note", "", default=""),
            file_title=self.string(data, "file_title", ""),
            priority_heading=self.string(data, "priority_heading", ""),
            second_priority_note=self.strings(data, "second_priority_note", ""),
            lists=lists,
            district_sheet=self.string(district, "sheet", "district"),
            district_title=self.string(district, "title", "district"),
            district_fields=district_fields,
            tables=tables,
            sections=sections,
            carry_over=self.carry_over(data, sections),
        )

    def lists(self, raw) -> dict[str, ChoiceList]:
        result = {}
        for name, spec in raw.items():
            values = tuple(str(v) for v in self.need(spec, "values", f"lists.{name}", list))
            aliases = spec.get("aliases") or {}
            if not isinstance(aliases, dict) or any(v not in values for v in aliases):
                self.fail(spec, f"lists.{name}.aliases", "must map values of the list to what people write for them")
            pairs = tuple((str(a), value) for value, written in aliases.items() for a in written)
            result[name] = ChoiceList(name, values, bool(spec.get("strict", True)), pairs)
        return result

    def fields(self, raw, where: str, lists) -> tuple[FieldSpec, ...]:
        result = []
        for i, f in enumerate(self.need(raw, "fields", where, list)):
            at = f"{where}.fields[{i}]"
            spec = FieldSpec(
                key=self.string(f, "key", at),
                label=self.string(f, "label", at),
                kind=self.string(f, "kind", at, default="text"),
                list=f.get("list"),
                required=bool(f.get("required", True)),
                layout=self.string(f, "layout", at, default="side" if f.get("kind", "text") != "text" else "block"),
                own_label=bool(f.get("own_label", False)),
                min_words=int(f.get("min_words", 0)),
            )
            if spec.kind not in FIELD_KINDS:
                self.fail(f, at, f"kind must be one of {', '.join(FIELD_KINDS)}, got '{spec.kind}'")
            if (spec.kind == "choice") != (spec.list is not None):
                self.fail(f, at, "a 'choice' field needs a 'list', and only a choice field has one")
            if spec.list is not None and spec.list not in lists:
                self.fail(f, at, f"unknown list '{spec.list}'")
            if spec.layout not in ("block", "side"):
                self.fail(f, at, f"layout must be 'block' or 'side', got '{spec.layout}'")
            result.append(spec)
        return tuple(result)

    def tables(self, raw, lists) -> dict[str, TableSpec]:
        result = {}
        for key, t in raw.items():
            at = f"tables.{key}"
            if key not in TABLE_ROWS:
                self.fail(t, at, f"no such table; use one of: {', '.join(TABLE_ROWS)}")
            columns = []
            for i, c in enumerate(self.need(t, "columns", at, list)):
                col = ColumnSpec(
                    key=self.string(c, "key", f"{at}.columns[{i}]"),
                    header=self.string(c, "header", f"{at}.columns[{i}]"),
                    width=int(c.get("width", 20)),
                    list=c.get("list"),
                    required=bool(c.get("required", False)),
                    default=str(c.get("default", "")),
                    kind=self.string(c, "kind", f"{at}.columns[{i}]", default="text"),
                    new=bool(c.get("new", False)),
                )
                if col.kind not in ("text", "grades"):
                    self.fail(c, f"{at}.columns[{i}]", f"kind must be 'text' or 'grades', got '{col.kind}'")
                if col.key not in field_names(TABLE_ROWS[key]):
                    self.fail(c, f"{at}.columns[{i}]",
                              f"no such column '{col.key}'; use one of: {', '.join(field_names(TABLE_ROWS[key]))}")
                if col.list is not None and col.list not in lists:
                    self.fail(c, f"{at}.columns[{i}]", f"unknown list '{col.list}'")
                columns.append(col)
            scope = "priority" if key in PRIORITY_TABLES else "district"
            result[key] = TableSpec(key, self.string(t, "sheet", at), self.string(t, "title", at), scope,
                                    self.string(t, "help", at, default=""), tuple(columns))
        return result

    def section(self, raw, where: str, lists, tables) -> SectionSpec:
        scope = self.string(raw, "scope", where)
        if scope not in ("district", "priority"):
            self.fail(raw, f"{where}.scope", f"scope must be 'district' or 'priority', got '{scope}'")
        parts = []
        for i, p in enumerate(self.need(raw, "parts", where, list)):
            at = f"{where}.parts[{i}]"
            table = p.get("table")
            if table is not None and (table not in tables or tables[table].scope != scope):
                self.fail(p, at, f"table '{table}' is not a {scope} table defined under 'tables'")
            parts.append(PartSpec(
                prompt=self.string(p, "prompt", at, default=""),
                bullets=self.strings(p, "bullets", at),
                notes=self.strings(p, "notes", at),
                tips=self.strings(p, "tips", at),
                fields=self.fields(p, at, lists) if "fields" in p else (),
                table=table,
            ))
        section = SectionSpec(
            id=self.string(raw, "id", where),
            scope=scope,
            heading=self.string(raw, "heading", where),
            prompt=self.string(raw, "prompt", where, default=""),
            bullets=self.strings(raw, "bullets", where),
            notes=self.strings(raw, "notes", where),
            tips=self.strings(raw, "tips", where),
            parts=tuple(parts),
            after=self.strings(raw, "after", where),
            sheet=self.string(raw, "sheet", where, default=""),
        )
        if scope == "district" and not section.sheet:
            self.fail(raw, where, "a district section needs a 'sheet' name")
        return section

    def carry_over(self, data, sections) -> dict[str, str]:
        raw = data.get("carry_over", {})
        if not isinstance(raw, dict):
            self.fail(data, "carry_over", "expected a mapping of old field key: new field key")
        keys = {f.key for s in sections for f in s.fields} | set(data.get("tables") or {})  # a table takes rows
        for old, new in raw.items():
            if new not in keys:
                self.fail(raw, f"carry_over.{old}", f"'{new}' is not a field or table of this template")
        return {str(k): str(v) for k, v in raw.items()}

    def unique_keys(self, data, sections):
        for scope in ("district", "priority"):
            seen = set()
            for section in sections:
                for f in section.fields if section.scope == scope else ():
                    if f.key in seen:
                        self.fail(data, f"sections.{section.id}", f"field key '{f.key}' is used twice")
                    seen.add(f.key)
