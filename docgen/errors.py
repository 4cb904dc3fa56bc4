"""Every error docgen reports: one base class the CLI catches and prints as one line.

Each carries the HTTP ``status`` the web app answers with (its one exception
handler, in web/app.py, reads it): 422 for a value a person can correct, 409
for a plan in the wrong state, 503 for a save to try again, 429 for too many uploads
at once, 507 for a file there is no room to store.
"""

from __future__ import annotations

from dataclasses import dataclass


class DocgenError(Exception):
    """An error a person can act on; ``str()`` is the whole message."""

    status = 422

    def __reduce__(self):
        # pickling an exception calls its class with ``args``, which most classes here do not take: every
        # DocgenError crosses processes whole (a fill in a worker process raises TemplateProblems with its list)
        return _rebuilt, (type(self), str(self), dict(self.__dict__))


class FileRefused(DocgenError):
    """A file docgen will not read: missing, not the kind expected, or built to exhaust memory or time."""

    def __init__(self, path, message: str):
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}")


class ValueRefused(DocgenError):
    """A value a field cannot take; ``str()`` says what the field takes, and each reader adds where it was typed."""


@dataclass(frozen=True)
class Problem:
    """One thing to fix in a workbook, with the sheet and cell where it is (either may be None)."""

    message: str
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        cells = f", {'cells' if ',' in (self.cell or '') else 'cell'} {self.cell}" if self.cell else ""
        where = "" if self.sheet is None else f"sheet '{self.sheet}'{cells}"
        return f"{where}: {self.message}" if where else self.message


class WorkbookError(DocgenError):
    """A workbook that cannot be read, or cells whose values are not what was expected.

    ``problems`` lists every problem found in one reading, so that a person
    fixes them all before running docgen again; ``str()`` is one line.
    """

    def __init__(self, path, message: str = "", sheet: str | None = None, cell: str | None = None,
                 problems: list[Problem] | None = None):
        self.path = path
        self.problems = list(problems) if problems else [Problem(message, sheet, cell)]
        first = self.problems[0]
        self.sheet, self.cell, self.message = first.sheet, first.cell, first.message
        if len(self.problems) == 1:
            super().__init__(f"{path}: {first}")
        else:
            listed = "; ".join(f"({n}) {p}" for n, p in enumerate(self.problems, start=1))
            super().__init__(f"{path}: {len(self.problems)} problems to fix: {listed}")


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


class TemplateProblems(DocgenError):
    """A Word template (a district's plan design, a region's letterhead) whose tags cannot be filled.

    ``problems`` lists every problem found, each naming its part and paragraph;
    ``str()`` is one line, as WorkbookError's is.
    """

    status = 422  # the template's author can fix it; the web app lists the problems

    def __init__(self, path, problems: list[str]):
        self.path, self.problems = path, list(problems)
        if len(self.problems) == 1:
            super().__init__(f"{path}: {self.problems[0]}")
        else:
            listed = "; ".join(f"({n}) {p}" for n, p in enumerate(self.problems, start=1))
            super().__init__(f"{path}: {len(self.problems)} problems to fix: {listed}")


class PlanLocked(DocgenError):
    """A submitted plan, which is reopened before it is changed (or one not submitted, which cannot be reopened)."""

    status = 409


class NotSubmitted(DocgenError):
    """A plan with no submitted version: there is nothing to review yet (``draft`` is where its draft can be read)."""

    status = 409

    def __init__(self, message: str, draft: str = ""):
        self.draft = draft
        super().__init__(message)


class Busy(DocgenError):
    """Others kept saving the same plan while this save was being prepared; it was not stored (try again)."""

    status = 503


class BadRequest(DocgenError):
    """A request the app cannot read: a query or form value that is not what the page sends (a date in a link)."""

    status = 400


class NotFound(DocgenError):
    """Something a request names (a comment thread, a version) that is not there, or not this plan's."""

    status = 404


class TooManyUploads(DocgenError):
    """An account that uploaded more files in the last minute than the web app takes; try again in a minute."""

    status = 429


class StorageFull(DocgenError):
    """A file docgen will not store: the district's uploads are at their quota, or the data disk is nearly full."""

    status = 507


class EditConflict(DocgenError):
    """A field someone else saved after the version this save started from: nothing is replaced silently.

    Carries both texts and who saved the other, when, in which version, so the
    page shows them side by side and the person chooses (keep mine, keep
    theirs, edit both); keeping mine is a save again from ``version``.
    """

    status = 409

    def __init__(self, name: str, mine: str, theirs: str, by: str, at: str, version: int):
        self.name, self.mine, self.theirs, self.by, self.at, self.version = name, mine, theirs, by, at, version
        super().__init__(f"{name}: {by or 'someone'} saved this answer at {at} (version {version}) after you opened "
                         "the plan; choose which text to keep")


class StaleSave(DocgenError):
    """A save that cannot say which version its text started from, or whose version is older than another's
    save of the same field: refused, with "reload the page", so nobody's newer text is replaced silently."""

    status = 409


class ServerBusy(DocgenError):
    """The server is doing as much of something (PDFs) at once as it allows; try again in a minute."""

    status = 503


class OverTime(DocgenError):
    """Work stopped at its time limit (a template fill that loops, a conversion that never ends)."""

    def __init__(self, message: str, seconds: float = 0.0):
        self.seconds = seconds
        super().__init__(message)


class OverMemory(DocgenError):
    """Work stopped because it needed more memory than its limit (limits.call)."""


class FillTooLarge(DocgenError):
    """A template fill that would write far more than any plan: stopped, naming the tag that was filling."""


def _rebuilt(cls, message: str, state: dict) -> DocgenError:
    """Return a DocgenError as it was in another process (see DocgenError.__reduce__)."""
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error

