"""Read one table sheet of the intake workbook (Schools, Outcomes, Monitoring, ...) into rows of the plan.

Columns are found by the hidden key row above the headers, else by their
header, so a column a person inserted, moved or whose key row was deleted is
still read. A column the template does not have, or text above the headers,
is named as text that would be lost; a column of the template the sheet no
longer has (deleted, or dragged onto another) is named by its header, and a
school row without a name by its cell.
"""

from __future__ import annotations

from typing import Any

from docgen.model.plan import TABLE_ROWS
from docgen.model.values import shown
from docgen.read import layout
from docgen.read.cells import Cell, column_letter, grid_rows, normal
from docgen.read.reading import Reading
from docgen.variants import ColumnSpec, TableSpec

TABLE_ADVICE = "into the table's own columns"
NAMED_ROWS = {"schools"}  # tables whose rows are named things: a row without its name cannot be printed or checked
HEADER_SEARCH_ROWS = 10  # the key and header rows are near the top; a person may insert a few rows above them


class TableReader:
    """Reads one table sheet of a Reading, adding what it finds wrong to the reading's problems."""

    def __init__(self, reading: Reading, table: TableSpec):
        self.r, self.t, self.v = reading, table, reading.v
        self.grid = list(grid_rows(reading.book, table.sheet))

    def rows(self) -> list[tuple[int | None, object]]:
        """Return (priority number or None, row) for each filled row, and record where each came from."""
        t, r = self.t, self.r
        header_row, columns = self.columns()
        self.above_headers(header_row)
        self.missing_columns(columns)
        first = next((col for col, spec in columns.items() if spec is t.columns[0]), None)
        named = first is not None and t.key in NAMED_ROWS
        first = first or 1
        rows: list[tuple[int | None, Any]] = []  # (priority number, a row of TABLE_ROWS[t.key])
        last_row = header_row
        for cells in self.grid[header_row:]:
            if cells[0].row > header_row + layout.MAX_TABLE_ROWS:
                r.problem(f"more than {layout.MAX_TABLE_ROWS:,} rows; a plan's table holds a few dozen. Delete the "
                          "empty or stray rows below the table", t.sheet)
                break
            number, values = self.row_values(cells, columns)
            if not any(values.values()):
                continue
            if named and not values.get(t.columns[0].key):
                r.problem(f"this row has values but no '{self.v.text(t.columns[0].header)}'; type it, or clear the "
                          "row", t.sheet, f"{column_letter(first)}{cells[0].row}")
            for c in t.columns:
                if not values.get(c.key):
                    values[c.key] = c.default
            last_row = cells[0].row
            here = f"sheet '{t.sheet}', cell {column_letter(first)}{last_row}"
            if t.scope == "priority":
                number = number or 1
                index = sum(1 for n, _ in rows if n == number)
                self.record(f"p{number}.{t.key}[{index}]", here, cells, columns)
            else:
                self.record(f"{t.key}[{len(rows)}]", here, cells, columns)
            rows.append((number, TABLE_ROWS[t.key](**values)))
        empty = f"sheet '{t.sheet}', cell {column_letter(first)}{last_row + 1}"  # where a missing entry would go
        for key in ([f"p{n}.{t.key}" for n in range(1, layout.MAX_PRIORITIES + 1)] if t.scope == "priority"
                    else [t.key]):
            r.where[key] = empty
        return rows

    def missing_columns(self, columns: dict) -> None:
        """Note as one problem the columns of the template's table the sheet lacks, by their headers.

        A deleted column, or one dragged onto another, would otherwise give
        rows without it (schools with no name) and no word said. A column new
        this year (``new: true`` in the spec) may be missing from a workbook
        made before it: its cells read as blank.
        """
        if not columns:  # no header row at all: already said
            return
        found = set(columns.values())
        missing = [f"'{self.v.text(c.header)}'" for c in self.t.columns if c not in found and not c.new]
        if missing:
            names = f"column {missing[0]} is" if len(missing) == 1 else f"columns {', '.join(missing)} are"
            self.r.problem(f"the {names} missing; put {'it' if len(missing) == 1 else 'them'} back (Undo in Excel), "
                           "or copy the rows into a workbook made by 'docgen new-workbook'", self.t.sheet)

    def record(self, key: str, here: str, cells: list[Cell], columns: dict) -> None:
        """Remember where a row and each of its cells came from ("p1.benchmarks[0].level")."""
        self.r.where[key] = here
        for cell in cells:
            spec = columns.get(cell.column)
            if isinstance(spec, ColumnSpec):
                self.r.where[f"{key}.{spec.key}"] = f"sheet '{self.t.sheet}', cell {cell.coordinate}"

    def row_values(self, cells: list[Cell], columns: dict) -> tuple[int | None, dict]:
        t, r = self.t, self.r
        number = None
        values: dict[str, str] = {}
        typed_in: dict[str, str] = {}  # column key -> the cell it was read from
        for cell in cells:
            target = columns.get(cell.column)
            if target is None:
                continue
            if target == layout.PRIORITY_KEY:
                number = self.priority_number(cell)
            elif isinstance(target, tuple):  # ("stray", key) or ("lost", why)
                if r.cell_text(cell):
                    if target[0] == "stray":
                        r.strays.append((t.sheet, target[1], cell.coordinate))
                    else:
                        r.lost.add(t.sheet, cell.coordinate, target[1], TABLE_ADVICE)
            else:
                value = r.value(target, cell)
                if value and values.get(target.key) and values[target.key] != value:
                    r.problem(f"'{self.v.text(target.header)}' is typed in two columns ({typed_in[target.key]} and "
                              f"{cell.coordinate}); keep one", t.sheet, cell.coordinate)
                    continue
                if value or target.key not in values:
                    values[target.key], typed_in[target.key] = value, cell.coordinate
        return number, values

    def columns(self) -> tuple[int, dict]:
        """Return the header row's number and what each column holds.

        A column maps to its ColumnSpec, to the Priority marker, to ("stray",
        key) for another template's column, or to ("lost", why) for a column
        the template does not have.
        """
        t = self.t
        specs = {c.key: c for c in t.columns}
        headers = {normal(self.v.text(c.header)): c for c in t.columns}
        key_row = next((cells for cells in self.grid[:HEADER_SEARCH_ROWS]
                        if any(isinstance(c.value, str) and c.value.strip() in specs for c in cells)), None)
        header_row = self.header_row(key_row, headers)
        if header_row is None:
            self.r.problem(f"the header row of the table (row {layout.HEADER_ROW}) is missing; copy the rows into a "
                           "workbook made by 'docgen new-workbook'", t.sheet)
            return len(self.grid), {}
        header_cells = self.grid[header_row - 1]
        columns: dict[int, ColumnSpec | str | tuple[str, str]] = {}
        for cell in header_cells:
            key = key_row[cell.column - 1].value if key_row else None
            key = key.strip() if isinstance(key, str) else ""
            header = normal(str(cell.value)) if cell.value is not None else ""
            if t.scope == "priority" and (key == layout.PRIORITY_KEY or header == normal(layout.PRIORITY_COLUMN)):
                columns[cell.column] = layout.PRIORITY_KEY
            elif key in specs:
                columns[cell.column] = specs[key]
            elif header in headers:
                columns[cell.column] = headers[header]
            elif key:
                columns[cell.column] = ("stray", key)
            else:
                named = f" '{shown(cell.value)}'" if header else ""
                columns[cell.column] = ("lost", f"a column{named} the template does not have")
        return header_row, columns

    def header_row(self, key_row, headers: dict) -> int | None:
        """Return the number of the row holding the column headers: under the key row, else found by its headers."""
        if key_row is not None:
            return key_row[0].row + 1
        for cells in self.grid[:HEADER_SEARCH_ROWS]:
            found = sum(1 for c in cells if c.value is not None and normal(str(c.value)) in headers)
            if found >= max(2, len(headers) // 2):
                return cells[0].row
        return None

    def above_headers(self, header_row: int) -> None:
        """Note as lost any text above the headers but the title, the help line and the hidden key row."""
        ours = {normal(self.t.title), normal(layout.table_help(self.t))}
        for cells in self.grid[:max(header_row - 2, 0)]:
            for cell in cells:
                typed = self.r.shown(cell)
                if typed.strip() and normal(typed) not in ours:
                    self.r.lost.add(self.t.sheet, cell.coordinate, "above the table's headers", TABLE_ADVICE)

    def priority_number(self, cell: Cell) -> int | None:
        typed = self.r.shown(cell).strip()
        if not typed:
            return None
        if typed in {str(n) for n in range(1, layout.MAX_PRIORITIES + 1)}:
            return int(typed)
        self.r.problem(f"{layout.PRIORITY_COLUMN} must be 1 or 2 (blank means 1); got '{shown(typed)}'", self.t.sheet,
                       cell.coordinate)
        return None
