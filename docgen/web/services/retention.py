"""Accounts nobody uses: disabled after N days without a sign-in (a setting, 365 by default), with a notice.

Other states' planning platforms deactivate accounts unused for a year; an
account that is not needed is one less to guess or steal. The sweep runs when
``docgen serve`` starts, before each sign-in (so a long-running server never
lets a stale account in) and when an admin opens the accounts page; it writes
only when it finds something, and then one audit line naming the accounts,
which the accounts page shows for a month. An admin can enable an account again.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from docgen.web.storage import accounts, audit
from docgen.web.storage.db import Database

SETTING, DEFAULT_DAYS = "unused_days", 365
ACTION = "disabled unused accounts"
NOTICE_DAYS = 30


def unused_days(db: Database) -> int:
    """Return after how many days without a sign-in an account is disabled (0: never)."""
    return int(db.setting(SETTING) or DEFAULT_DAYS)


def disable_unused(db: Database) -> list[str]:
    """Disable the accounts unused for the set number of days; return their emails (audited when any)."""
    days = unused_days(db)
    if days <= 0:
        return []
    before = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")
    disabled = accounts.disable_unused(db, before)
    if disabled:
        audit.record(db, None, ACTION, detail=f"not signed in for {days} days: {', '.join(disabled)}")
    return disabled


def notices(db: Database) -> list:
    """Return the audit lines of accounts disabled for disuse in the last month, newest first (the admin page's)."""
    since = (datetime.now(timezone.utc) - timedelta(days=NOTICE_DAYS)).isoformat(timespec="seconds")
    return [line for line in audit.entries(db, limit=10, action=ACTION) if line["at"] >= since]
