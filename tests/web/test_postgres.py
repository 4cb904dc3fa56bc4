"""PostgreSQL as the second engine: the dialect layer, the migrations in PostgreSQL's form, and migrate-data.

The web tests run on PostgreSQL when DOCGEN_TEST_DATABASE names one (.ci/run starts a throwaway cluster); the
tests here that need a server are skipped without it.
"""

from __future__ import annotations

import pytest

from docgen import api
from docgen.errors import DocgenError
from docgen.web.storage import accounts, plans, postgres, reviews, transfer
from docgen.web.storage.db import MIGRATIONS, Database, open_database

from .conftest import ON_POSTGRES, seed_plan

needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="DOCGEN_TEST_DATABASE names no PostgreSQL database")


def test_statements_written_for_sqlite_are_read_by_psycopg():
    assert postgres.translate("SELECT * FROM users WHERE email = ? AND id > ?") == \
        "SELECT * FROM users WHERE email = %s AND id > %s"
    assert postgres.translate("SELECT '?', '%' || x FROM t WHERE a = ?") == "SELECT '?', '%%' || x FROM t WHERE a = %s"
    assert postgres.translate("INSERT INTO versions (plan_id) VALUES (?)").endswith(" RETURNING id")
    assert not postgres.translate("INSERT INTO settings (key, value) VALUES (?, ?)").endswith("RETURNING id")


def test_every_migration_has_a_postgresql_form():
    """A migration that adds a SQLite-only statement (a trigger, a PRAGMA) fails here until postgres.FORMS has it."""
    for version, script in enumerate(MIGRATIONS, start=1):
        for statement in postgres.postgres_statements(version, script):
            assert "sqlite_master" not in statement and "PRAGMA" not in statement
            assert "INTEGER" not in statement.replace("BIGINT", "") and " BLOB" not in statement, statement
    with pytest.raises(DocgenError, match="migration 99 has no PostgreSQL form"):
        list(postgres.postgres_statements(99, "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;"))


def test_the_app_runs_on_the_engine_the_tests_were_given(app):
    assert app.state.site.db.engine == ("postgresql" if ON_POSTGRES else "sqlite")


@needs_postgres
def test_migrate_data_moves_every_row_and_the_app_reads_them(tmp_path, database_url, run, password_hashes):
    source = Database(tmp_path / "data")  # the data folder's SQLite file, whatever the tests' engine
    district = accounts.add_district(source, "Cranberry Harbor Public Schools", "09990000", "Southeast")
    user = accounts.add_user(source, "a@cranberry.example.org", "district", district.id)
    row = seed_plan(source, district.id, api.example_plan())
    changed = api.example_plan()
    changed.district.contact_name = "Someone Else"
    seed_plan(source, district.id, changed)
    plans.submit(source, plans.plan_row(source, district.id, "fy26"), user.id)
    with source.transaction() as c:  # a review stored as text, as SQLite kept them before they were bytes
        c.execute("INSERT INTO reviews (plan_id, version, data, updated_at) VALUES (?, 1, ?, '2025-01-01')",
                  (row.id, '{"summary": "Clear \\\\ \\"kept\\"."}'))
    result = run("migrate-data", "--from", tmp_path / "data", "--to", database_url)
    assert result.exit_code == 0, result.output
    assert "Moved and verified" in result.output and "1 submissions" in result.output and "2 versions" in result.output
    target = open_database(tmp_path / "data", database_url)
    try:
        assert target.engine == "postgresql"
        moved = plans.plan_row(target, district.id, "fy26")
        assert moved.latest == 2 and moved.status == "submitted"
        assert plans.load_version(target, moved) == plans.load_version(source, plans.plan_row(source, district.id,
                                                                                             "fy26"))
        review, _ = reviews.load_review(target, row.id, 1)
        assert review.summary == 'Clear \\ "kept".'
        added = accounts.add_district(target, "Beacon Falls Public Schools")  # ids continue past the copied ones
        assert added.id == district.id + 1
        again = run("migrate-data", "--from", tmp_path / "data", "--to", database_url)
        assert again.exit_code == 1 and "already holds data" in again.output
    finally:
        target.close()


@needs_postgres
def test_a_difference_after_the_copy_commits_nothing(tmp_path, database_url, monkeypatch):
    source = Database(tmp_path / "data")
    accounts.add_district(source, "Cranberry Harbor Public Schools")
    target = open_database(tmp_path / "data", database_url)
    verify = transfer._verify

    def altered_then_verified(source, connection, table):
        if table == "districts":  # as if a row had been copied wrong
            connection.execute("UPDATE districts SET org_code = 'not the same'")
        return verify(source, connection, table)

    monkeypatch.setattr(transfer, "_verify", altered_then_verified)
    try:
        with pytest.raises(DocgenError, match=r"districts: row 1 \(\{'id': 1\}\) differs after the copy; nothing was"):
            transfer.migrate(source, target)
        assert target.value("SELECT COUNT(*) FROM districts") == 0
    finally:
        target.close()


def test_migrate_data_copies_every_table_of_the_schema(tmp_path):
    tables = {row[0] for row in Database(tmp_path / "data").all("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables - {"sqlite_sequence"} == set(transfer.TABLES)
