"""How much one plan may hold, whatever the door it came in by: the one check of its tables' and check-ins' sizes.

The web form adds at most MAX_ROWS rows to a table and the workbook prepares
as many; a workbook can still be typed (or generated) with thousands, and
check-ins are recorded one at a time, forever. A plan far larger than any
district's makes pages of megabytes and reports of seconds for everyone, so
the workbook reader, every save of the web app and every new check-in ask
``problems`` (or ``refuse_more_checkins``) and refuse what is over, naming the
table.
"""

from __future__ import annotations

from docgen.errors import ValueRefused
from docgen.model.plan import PRIORITY_TABLES, Plan

MAX_ROWS = 200  # rows of one table (the form's cap; the workbook prepares as many)
MAX_CHECKINS = 300  # check-ins of one plan year: 5 a benchmark for 60 benchmarks


def problems(plan: Plan) -> list[tuple[str, str]]:
    """Return (table key, message) for each table of ``plan`` over its size, and for its check-ins."""
    found = []
    for key in ("schools", "curricula"):
        rows = len(getattr(plan, key))
        if rows > MAX_ROWS:
            found.append((key, _over(rows, "rows", MAX_ROWS, "a table holds")))
    for priority in plan.priorities:
        for key in PRIORITY_TABLES:
            rows = len(getattr(priority, key))
            if rows > MAX_ROWS:
                found.append((key, _over(rows, "rows", MAX_ROWS, f"a table of priority #{priority.number} holds")))
    if len(plan.checkins) > MAX_CHECKINS:
        found.append(("checkins", _over(len(plan.checkins), "check-ins", MAX_CHECKINS, "a plan year holds")))
    return found


def refuse_oversized(plan: Plan) -> None:
    """Raise ValueRefused naming every table of ``plan`` over its size (nothing is saved)."""
    found = problems(plan)
    if found:
        raise ValueRefused("Not saved: " + "; ".join(f"{key}: {message}" for key, message in found) + ".")


def refuse_more_checkins(recorded: int) -> None:
    """Raise ValueRefused when a plan year holding ``recorded`` check-ins cannot take another."""
    if recorded >= MAX_CHECKINS:
        raise ValueRefused(f"Not saved: this plan year already holds {recorded:,} check-ins, the most it takes "
                           f"({MAX_CHECKINS}); add a note to an earlier check-in instead.")


def _over(count: int, what: str, limit: int, holds: str) -> str:
    return f"{count:,} {what}; {holds} at most {limit}"
