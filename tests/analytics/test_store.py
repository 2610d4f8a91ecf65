"""Migrations: a new database gets the latest schema; an old one is upgraded in place."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.errors import UserError
from analytics.store import MIGRATIONS, connect, current_version, migrate, quote_identifier, table_columns

REQUIRED_COLUMNS = [
    "complaint_id", "source", "received_at", "closed_at", "kind", "county", "town", "sector", "business",
    "title", "content", "result", "department", "amount", "support", "batch_id",
]  # fmt: skip


def test_new_database_has_latest_schema(empty_db: Path) -> None:
    with connect(empty_db) as con:
        assert current_version(con) == len(MIGRATIONS)
        columns = table_columns(con, "complaints")
    for column in REQUIRED_COLUMNS:
        assert column in columns


def test_old_database_is_upgraded_on_open(empty_db: Path) -> None:
    # Build a database as the first release left it, with a row in it.
    con = duckdb.connect(str(empty_db))
    assert migrate(con, target=1) == 1
    con.execute(
        "INSERT INTO complaints (id, complaint_id, source, received_at, kind, dedupe_key, batch_id, title)"
        " VALUES (1, 'A1', '12345', TIMESTAMP '2024-01-02 09:00', '投诉', '12345:A1', 'b1', '旧数据')"
    )
    con.close()

    with connect(empty_db) as con:
        assert current_version(con) == len(MIGRATIONS)
        assert con.execute("SELECT title FROM complaints").fetchall() == [("旧数据",)]
        versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
        # Tables of later migrations exist after the upgrade.
        assert "topic_runs" in [
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        ]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_reopening_applies_nothing_twice(empty_db: Path) -> None:
    connect(empty_db).close()
    with connect(empty_db) as con:
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


def test_read_only_refuses_missing_database(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        connect(tmp_path / "nope.duckdb", read_only=True)


def test_identifiers_are_checked_against_the_schema(empty_db: Path) -> None:
    with connect(empty_db) as con:
        assert quote_identifier(con, "complaints", "county") == '"county"'
        with pytest.raises(UserError):
            quote_identifier(con, "complaints", "county; DROP TABLE complaints")
