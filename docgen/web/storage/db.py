"""The web app's SQLite database: connections, the schema and its upgrades, transactions, backups.

One file in the data folder holds every account, plan version, review and
comment. It runs in WAL mode (readers never wait for the writer) with
synchronous=FULL, so a save the server has answered survives a kill -9 or a
power cut. Each thread of the server has its own connection; writes are short
transactions that SQLite serialises. The schema is created and upgraded here:
each entry of MIGRATIONS moves the file one ``user_version`` forward.
"""

from __future__ import annotations

import os
import sqlite3
import threading

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError

DATABASE = "docgen.sqlite3"
URL_ENV = "DOCGEN_DATABASE_URL"  # postgresql://...: PostgreSQL instead of the data folder's SQLite file
BUSY_MS = 30_000  # how long a writer waits for another to finish before giving up

COUNTED_TABLES = ("districts", "plans", "versions", "submissions", "reviews", "checkins")  # what the state view reads
MIGRATIONS: list[str] = [
    # 1: accounts, districts and plans (the district web app)
    """
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE districts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        org_code TEXT NOT NULL DEFAULT '',
        region TEXT NOT NULL DEFAULT '',
        contact_email TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'consultant', 'district')),
        district_id INTEGER REFERENCES districts(id),
        region TEXT NOT NULL DEFAULT '',
        password_hash TEXT,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        last_login TEXT
    );
    CREATE TABLE invitations (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    );
    CREATE TABLE login_attempts (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        address TEXT NOT NULL,
        at REAL NOT NULL,
        succeeded INTEGER NOT NULL
    );
    CREATE INDEX login_attempts_by_account ON login_attempts (account, at);
    CREATE INDEX login_attempts_by_address ON login_attempts (address, at);
    CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        district_id INTEGER NOT NULL REFERENCES districts(id),
        variant TEXT NOT NULL,
        latest INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'draft',
        updated_at TEXT,
        submitted_at TEXT,
        UNIQUE (district_id, variant)
    );
    CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        number INTEGER NOT NULL,
        data BLOB NOT NULL,
        source TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        errors INTEGER NOT NULL,
        warnings INTEGER NOT NULL,
        identified TEXT NOT NULL DEFAULT '',
        user_id INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL,
        UNIQUE (plan_id, number)
    );
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        version_id INTEGER NOT NULL REFERENCES versions(id),
        user_id INTEGER REFERENCES users(id),
        submitted_at TEXT NOT NULL,
        reopened_at TEXT,
        reopened_by INTEGER REFERENCES users(id)
    );
    CREATE INDEX submissions_by_plan ON submissions (plan_id, id);
    """,
    # 2: consultants' reviews, comments on sections, the audit log, background jobs
    """
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        version INTEGER NOT NULL,
        data BLOB NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by INTEGER REFERENCES users(id),
        feedback_sent_at TEXT,
        feedback_sent_by INTEGER REFERENCES users(id),
        UNIQUE (plan_id, version)
    );
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        version INTEGER NOT NULL,
        section TEXT NOT NULL,
        thread INTEGER REFERENCES comments(id),
        author_id INTEGER NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        resolved_at TEXT,
        resolved_by INTEGER REFERENCES users(id)
    );
    CREATE INDEX comments_by_plan ON comments (plan_id, section, id);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER REFERENCES users(id),
        email TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        district_id INTEGER REFERENCES districts(id),
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_by_time ON audit (id DESC);
    CREATE TRIGGER audit_cannot_change BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
    CREATE TRIGGER audit_cannot_be_deleted BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
    CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        region TEXT NOT NULL DEFAULT '',
        user_id INTEGER REFERENCES users(id),
        status TEXT NOT NULL,
        done INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0,
        file TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        finished_at TEXT
    );
    """,
    # 3: one submission per version, and one open submission per plan (five clicks at once made four); the
    # duplicates such clicks left are removed first (their audit lines stay, as the audit log always does)
    """
    DELETE FROM submissions WHERE id NOT IN (SELECT MIN(id) FROM submissions GROUP BY version_id);
    UPDATE submissions SET reopened_at = submitted_at WHERE reopened_at IS NULL AND id NOT IN (
        SELECT MAX(id) FROM submissions WHERE reopened_at IS NULL GROUP BY plan_id);
    CREATE UNIQUE INDEX one_submission_per_version ON submissions (version_id);
    CREATE UNIQUE INDEX one_open_submission_per_plan ON submissions (plan_id) WHERE reopened_at IS NULL;
    """,
    # 4: the plan year's check-ins on each interim benchmark (beside the plan's versions, never in them), a
    # consultant's notes on them, and the state role (DESE's SSoS leadership; the users' CHECK is rewritten in
    # place, which changes no stored row, as SQLite's own ALTER TABLE guide allows)
    """
    CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        district_id INTEGER NOT NULL REFERENCES districts(id),
        year TEXT NOT NULL,
        priority INTEGER NOT NULL,
        benchmark INTEGER NOT NULL,
        date TEXT NOT NULL,
        value TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        author_id INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX checkins_by_benchmark ON checkins (district_id, year, priority, benchmark, date);
    CREATE TABLE checkin_notes (
        id INTEGER PRIMARY KEY,
        checkin_id INTEGER NOT NULL REFERENCES checkins(id) ON DELETE CASCADE,
        author_id INTEGER NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX checkin_notes_by_checkin ON checkin_notes (checkin_id, id);
    PRAGMA writable_schema = ON;
    UPDATE sqlite_master SET sql = replace(sql, '''district''))', '''district'', ''state''))')
        WHERE type = 'table' AND name = 'users';
    PRAGMA writable_schema = OFF;
    """,
    # 5: sessions the server can end (only a random id's hash is stored; the cookie holds the id), and a
    # second factor (a TOTP secret per account, and its one-time recovery codes, stored hashed)
    """
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id INTEGER REFERENCES users(id),
        data TEXT NOT NULL,
        created_at REAL NOT NULL,
        seen_at REAL NOT NULL
    );
    CREATE INDEX sessions_by_user ON sessions (user_id);
    CREATE INDEX sessions_by_seen ON sessions (seen_at);
    ALTER TABLE users ADD COLUMN totp_secret TEXT;
    CREATE TABLE recovery_codes (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        code_hash TEXT NOT NULL,
        used_at TEXT
    );
    CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);
    """,
    # 6: Word templates people design (docs/templates.md): a district's plan template, a region's letterhead
    """
    CREATE TABLE word_templates (
        kind TEXT NOT NULL CHECK (kind IN ('plan', 'letter')),
        owner TEXT NOT NULL,
        file TEXT NOT NULL,
        name TEXT NOT NULL,
        user_id INTEGER REFERENCES users(id),
        uploaded_at TEXT NOT NULL,
        PRIMARY KEY (kind, owner)
    );
    """,
    # 7: the time step of each account's last accepted TOTP code, so no code is accepted twice (RFC 6238 5.2)
    """
    ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
    """,
    # 8: one number that every change to what the state view counts moves forward (a trigger on each table it
    # reads), so every process can keep the view's counts until the number moves, and never show stale ones
    "CREATE TABLE counted_changes (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);\n"
    "INSERT INTO counted_changes VALUES (1, 0);\n" + "".join(
        f"CREATE TRIGGER {table}_counted_{event.lower()} AFTER {event} ON {table} "
        "BEGIN UPDATE counted_changes SET n = n + 1; END;\n"
        for table in COUNTED_TABLES for event in ("INSERT", "UPDATE", "DELETE")),
    # 9: records retention (docgen archive --retire): a closed year, once archived, leaves the live database; its
    # retirement is a row that cannot be changed or removed, and audit lines may be deleted only inside a retired
    # year's period (the audit's summary line of the retirement, written after it, stays like every other)
    """
    CREATE TABLE retired_years (
        year TEXT PRIMARY KEY,
        audit_from TEXT NOT NULL,
        audit_until TEXT NOT NULL,
        archive_name TEXT NOT NULL,
        archive_sha256 TEXT NOT NULL,
        counts TEXT NOT NULL,
        retired_at TEXT NOT NULL
    );
    CREATE TRIGGER retired_years_cannot_change BEFORE UPDATE ON retired_years
    BEGIN SELECT RAISE(ABORT, 'a retirement record cannot be changed'); END;
    CREATE TRIGGER retired_years_cannot_be_deleted BEFORE DELETE ON retired_years
    BEGIN SELECT RAISE(ABORT, 'a retirement record cannot be changed'); END;
    DROP TRIGGER audit_cannot_be_deleted;
    CREATE TRIGGER audit_cannot_be_deleted BEFORE DELETE ON audit
    WHEN NOT EXISTS (SELECT 1 FROM retired_years WHERE OLD.at >= audit_from AND OLD.at < audit_until)
    BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
    """,
    # 10: who has a plan open, in the database so every server process (and every app server) sees the same; and
    # which server runs each job and when it last moved (another server takes over one that stopped); and each
    # account's recent uploads, the pace every process counts the same
    """
    CREATE TABLE presence (
        district_id INTEGER NOT NULL,
        email TEXT NOT NULL,
        seen_at REAL NOT NULL,
        PRIMARY KEY (district_id, email)
    );
    CREATE INDEX presence_by_time ON presence (seen_at);
    ALTER TABLE jobs ADD COLUMN runner TEXT NOT NULL DEFAULT '';
    ALTER TABLE jobs ADD COLUMN beat_at REAL;
    CREATE TABLE upload_times (user_id INTEGER NOT NULL, at REAL NOT NULL);
    CREATE INDEX upload_times_by_user ON upload_times (user_id, at);
    """,
    # 11: plans received as files (e-mailed to a consultant, or a district's own layout uploaded): the file kept,
    # and its reading's pieces for a person to confirm or move; the mail domains a district writes from (its list's
    # "E-mail domains" column), by which `docgen intake` knows its senders
    """
    ALTER TABLE districts ADD COLUMN mail_domains TEXT NOT NULL DEFAULT '';
    CREATE TABLE received_plans (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        version INTEGER NOT NULL,
        how TEXT NOT NULL CHECK (how IN ('e-mail', 'upload')),
        file_name TEXT NOT NULL,
        stored TEXT NOT NULL,
        sender TEXT NOT NULL DEFAULT '',
        received_at TEXT NOT NULL DEFAULT '',
        digest TEXT NOT NULL,
        tally TEXT NOT NULL,
        pieces TEXT NOT NULL,
        user_id INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL
    );
    CREATE INDEX received_plans_by_plan ON received_plans (plan_id, id);
    """,
    # 12: a review belongs to the plan's history: a review carried to a resubmitted version remembers the version
    # it was written on, and the review as it stood when its letter was sent is kept (a sent letter is never lost)
    """
    ALTER TABLE reviews ADD COLUMN written_on INTEGER;
    ALTER TABLE reviews ADD COLUMN sent_data BLOB;
    """,
    # 13: a whole plan waiting for the person to say yes before it replaces a draft with text (an upload, an
    # import, a roll-forward, a restore): kept until they answer, at most a day
    """
    CREATE TABLE pending_replacements (
        id INTEGER PRIMARY KEY,
        token TEXT NOT NULL UNIQUE,
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        user_id INTEGER REFERENCES users(id),
        base INTEGER NOT NULL,
        base_digest TEXT NOT NULL DEFAULT '',
        data BLOB NOT NULL,
        source TEXT NOT NULL,
        note TEXT NOT NULL,
        report TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
    );
    """,
    # 14: one version per editing session: a person's form saves a few minutes apart update one version, whose
    # updated_at is its last save (created_at its first); existing versions were each one save
    """
    ALTER TABLE versions ADD COLUMN updated_at TEXT;
    UPDATE versions SET updated_at = created_at;
    """,
]


def _statements(script: str) -> Iterator[str]:
    """Yield the SQL statements of a script, whole (a trigger's body keeps its own semicolons)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""


def now() -> str:
    """Return the current time as stored: ISO 8601 in UTC, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def private(database: Path) -> None:
    """Make ``database``'s folder (0700) and the file itself (0600, created empty if new: SQLite gives its -wal and
    -shm files the database's mode) readable by the server's own user only, whatever the umask; an existing
    folder or file made before is narrowed too."""
    database.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(database.parent, 0o700)
    os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))
    for path in (database, *(database.with_name(database.name + end) for end in ("-wal", "-shm"))):
        if path.exists():
            os.chmod(path, 0o600)


class Settings:
    """The app's settings (a key and its text), the same SQL on either engine: Database and PostgresDatabase."""

    value: Callable[..., Any]  # what each engine provides
    transaction: Callable[..., Any]

    def setting(self, key: str, default: str = "") -> str:
        value = self.value("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                      "excluded.value", (key, value))


class Database(Settings):
    """The data folder's SQLite file, with one connection per thread and the schema kept current."""

    engine = "sqlite"

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / DATABASE
        private(self.path)  # it holds password hashes, TOTP secrets and the SMTP password
        self._local = threading.local()
        self._writer = threading.RLock()
        self.migrate()

    def connection(self) -> sqlite3.Connection:
        """Return this thread's connection, opening it (WAL, full sync, foreign keys) on first use."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None,
                                         check_same_thread=False)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            self._local.connection = connection
        return connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block as one write transaction: all of it is stored, or none of it.

        Writers queue for their turn, those of this process on a thread lock
        and those of every server process on an OS lock of the data folder,
        each going the moment the last finishes. Left to SQLite, a writer that
        finds the file busy sleeps in growing steps (up to 100 ms), and under
        load those sleeps are the slowest saves.
        """
        with self._writer, self._folder_lock():
            connection = self.connection()
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    @contextmanager
    def _folder_lock(self) -> Iterator[None]:
        """Hold the data folder's write lock (an flock, released by the kernel even if the process is killed)."""
        if fcntl is None:  # Windows: the thread lock and SQLite's own locking suffice for one process
            yield
            return
        handle = getattr(self._local, "lock_file", None)
        if handle is None:
            handle = self._local.lock_file = open(self.path.with_suffix(".lock"), "a+b")  # noqa: SIM115
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def all(self, sql: str, parameters=()) -> list[sqlite3.Row]:
        return self.connection().execute(sql, parameters).fetchall()

    def one(self, sql: str, parameters=()) -> sqlite3.Row | None:
        return self.connection().execute(sql, parameters).fetchone()

    def value(self, sql: str, parameters=()):
        row = self.one(sql, parameters)
        return row[0] if row is not None else None

    def migrate(self) -> None:
        """Create the schema, or upgrade it to the newest version, in one transaction per step."""
        connection = self.connection()
        current = connection.execute("PRAGMA user_version").fetchone()[0]
        for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
            with self.transaction() as c:
                for statement in _statements(script):
                    c.execute(statement)
                if "writable_schema" in script:  # a table's text was rewritten: every connection reads it again
                    c.execute(f"PRAGMA schema_version = {c.execute('PRAGMA schema_version').fetchone()[0] + 1}")
                c.execute(f"PRAGMA user_version = {version}")

    def backup(self, target: Path) -> None:
        """Write a consistent copy of the database to ``target`` while others keep reading and writing."""
        private(Path(target))
        destination = sqlite3.connect(target)
        try:
            self.connection().backup(destination)
        finally:
            destination.close()

    def size_bytes(self) -> int:
        """Return what the database takes on disk: its file and its write-ahead log."""
        return sum(path.stat().st_size for path in (self.path, self.path.with_name(DATABASE + "-wal"))
                   if path.exists())


def open_database(folder: Path, url: str | None = None):
    """Return the app's database: PostgreSQL when ``url`` (or DOCGEN_DATABASE_URL) names one, else the data
    folder's SQLite file (the default). Both answer the same calls (postgres.py)."""
    url = url or os.environ.get(URL_ENV, "")
    if url.startswith(("postgresql://", "postgres://")):
        from docgen.web.storage.postgres import PostgresDatabase

        return PostgresDatabase(folder, url)
    if url:
        raise DocgenError(f"{URL_ENV}: '{url.split(':', 1)[0]}' is not a database docgen speaks; give a "
                          "postgresql://... URL, or none for the data folder's SQLite file")
    return Database(folder)


def new_id(cursor: sqlite3.Cursor) -> int:
    """Return the id of the row an INSERT just made (sqlite3 types ``lastrowid`` as optional)."""
    assert cursor.lastrowid is not None
    return cursor.lastrowid
