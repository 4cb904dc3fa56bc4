"""``docgen migrate-data``: a data folder's SQLite database moved into PostgreSQL, every row verified.

The target gets the same schema (postgres.py runs the same migrations), then
each table is copied with PostgreSQL's COPY in one transaction, parents
before children, ids kept (and each identity moved past the largest). Before
that transaction commits, every table is read back on it, row by row in
primary-key order, and compared with the source: one difference, and
nothing is committed. The SQLite file is only read; the files of the data
folder (uploads, exports) stay where they are, and the PostgreSQL server
reads none of them.
"""

from __future__ import annotations

import sqlite3

import psycopg

from docgen.errors import DocgenError
from docgen.web.storage.db import Database
from docgen.web.storage.postgres import ID_TABLES, WRITE_LOCK, PostgresDatabase

# parents before children (foreign keys); every table of the schema, as db.MIGRATIONS makes it
TABLES = ("settings", "districts", "users", "invitations", "login_attempts", "plans", "versions", "submissions",
          "reviews", "comments", "audit", "jobs", "checkins", "checkin_notes", "sessions", "recovery_codes",
          "word_templates", "counted_changes", "retired_years", "presence",
          "upload_times", "received_plans", "pending_replacements")
BATCH = 500


def _columns(source: Database, table: str) -> tuple[list[str], list[str], set[str]]:
    """Return a table's columns, its primary key's columns, and its BLOB columns (bytea in PostgreSQL)."""
    info = source.all(f"PRAGMA table_info({table})")
    columns = [row["name"] for row in info]
    key = [row["name"] for row in sorted(info, key=lambda r: r["pk"]) if row["pk"]] or columns
    return columns, key, {row["name"] for row in info if row["type"].upper() == "BLOB"}


def _rows(source: Database, table: str, columns: list[str], key: list[str], blobs: set[str]):
    """Yield the source's rows of ``table`` in primary-key order, text in BLOB columns as its UTF-8 bytes."""
    cursor = source.connection().execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(key)}")
    while batch := cursor.fetchmany(BATCH):
        for row in batch:
            yield tuple(value.encode() if name in blobs and isinstance(value, str) else value
                        for name, value in zip(columns, row, strict=True))


def copy(source: Database, target: PostgresDatabase) -> dict[str, int]:
    """Copy every row of ``source`` into the empty ``target`` and verify each; return the rows per table."""
    if source.value("PRAGMA user_version") != target.value("SELECT version FROM docgen_schema"):
        raise DocgenError("the two databases are not at the same schema version; start docgen serve on the data "
                          "folder once (it upgrades it), then migrate")
    present = [t for t in TABLES if t != "counted_changes" and target.value(f"SELECT COUNT(*) FROM {t}")]
    if present:
        raise DocgenError(f"the PostgreSQL database already holds data ({', '.join(present)}); migrate into an "
                          "empty one")
    try:
        return _copy(source, target)
    except psycopg.Error as exc:
        raise DocgenError(f"PostgreSQL refused the copy, and nothing was committed: {exc}") from None


def _copy(source: Database, target: PostgresDatabase) -> dict[str, int]:
    counts = {}
    with target.pool.connection() as connection, connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        connection.execute("DELETE FROM counted_changes")
        for table in TABLES:
            columns, key, blobs = _columns(source, table)
            with connection.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copying:
                for row in _rows(source, table, columns, key, blobs):
                    copying.write_row(row)
            if table in ID_TABLES:
                connection.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}")
        for table in TABLES:
            counts[table] = _verify(source, connection, table)
    return counts


def _verify(source: Database, connection, table: str) -> int:
    """Compare ``table`` in both databases row by row (in the copy's own transaction); return its row count."""
    columns, key, blobs = _columns(source, table)
    copied = connection.cursor()
    copied.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(key)}")
    n = 0
    for n, row in enumerate(_rows(source, table, columns, key, blobs), start=1):
        other = copied.fetchone()
        if other is None or tuple(_same(v) for v in other) != tuple(_same(v) for v in row):
            raise DocgenError(f"{table}: row {n} ({dict(zip(key, row, strict=False))}) differs after the copy; "
                              "nothing was committed")
    if copied.fetchone() is not None:
        raise DocgenError(f"{table}: PostgreSQL holds more rows than SQLite after the copy; nothing was committed")
    return n


def _same(value):
    """Return a value as both engines give it back (bytes for memoryview; a whole float as an int)."""
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def migrate(source: Database, target: PostgresDatabase) -> dict[str, int]:
    """Move the SQLite database into PostgreSQL, verified; refuse a source that is not a docgen database."""
    try:
        source.value("SELECT COUNT(*) FROM settings")
    except sqlite3.DatabaseError as exc:
        raise DocgenError(f"{source.path}: not a docgen database ({exc})") from None
    return copy(source, target)
