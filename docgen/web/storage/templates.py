"""Word templates people uploaded: a district's plan template and a region's letterhead, one of each at most.

The file itself is kept under the data folder (uploads/templates/...); a row
says whose it is, where it is (relative to the data folder), the name it was
uploaded under, who uploaded it and when.
"""

from __future__ import annotations

from typing import NamedTuple

from docgen.web.storage.db import Database, now

KINDS = ("plan", "letter")  # plan: owner is a district's id; letter: owner is a region's name


class TemplateRow(NamedTuple):
    kind: str
    owner: str
    file: str  # relative to the data folder
    name: str  # the file's name as uploaded
    email: str | None
    uploaded_at: str


def template(db: Database, kind: str, owner: str) -> TemplateRow | None:
    """Return the template of ``kind`` that ``owner`` (a district's id, a region's name) uses, or None."""
    row = db.one("SELECT t.kind, t.owner, t.file, t.name, u.email, t.uploaded_at FROM word_templates t "
                 "LEFT JOIN users u ON u.id = t.user_id WHERE t.kind = ? AND t.owner = ?", (kind, str(owner)))
    return TemplateRow(*row) if row else None


def set_template(db: Database, kind: str, owner: str, file: str, name: str, user_id: int | None) -> None:
    """Make ``file`` the template of ``kind`` that ``owner`` uses (replacing the one before)."""
    with db.transaction() as c:
        c.execute("INSERT INTO word_templates (kind, owner, file, name, user_id, uploaded_at) "
                  "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, owner) DO UPDATE SET file = excluded.file, "
                  "name = excluded.name, user_id = excluded.user_id, uploaded_at = excluded.uploaded_at",
                  (kind, str(owner), file, name, user_id, now()))


def remove_template(db: Database, kind: str, owner: str) -> None:
    """Stop using ``owner``'s template of ``kind``: its documents are in docgen's own layout again."""
    with db.transaction() as c:
        c.execute("DELETE FROM word_templates WHERE kind = ? AND owner = ?", (kind, str(owner)))
