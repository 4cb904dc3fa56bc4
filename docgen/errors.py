"""Every error docgen reports: one base class the CLI catches and prints as one line."""

from __future__ import annotations


class DocgenError(Exception):
    """An error a person can act on; ``str()`` is the whole message."""


class WorkbookError(DocgenError):
    """A workbook that cannot be read, or a cell whose value is not what was expected."""

    def __init__(self, path, message: str, sheet: str | None = None, cell: str | None = None):
        self.path, self.sheet, self.cell, self.message = path, sheet, cell, message
        where = str(path)
        if sheet is not None:
            where += f": sheet '{sheet}'"
        if cell is not None:
            where += f", cell {cell}"
        super().__init__(f"{where}: {message}")


class TemplateError(DocgenError):
    """A variant spec or template file with a mistake in it, located by file and line or key."""

    def __init__(self, path, message: str, line: int | None = None, key: str | None = None):
        self.path, self.line, self.key, self.message = path, line, key, message
        where = str(path)
        if line is not None:
            where += f", line {line}"
        if key:
            where += f", {key}"
        super().__init__(f"{where}: {message}")


class VariantNotFound(DocgenError):
    """A variant name that has no folder under templates/."""


class OutputError(DocgenError):
    """An output that cannot be written, or would overwrite a file without --force."""


class PlanNotReady(DocgenError):
    """A plan that ``docgen check`` still finds errors in, so it is not sent."""
