"""Versioned schema migrations.

Each file ``migrations/NNNN_name.sql`` is one version. Opening a database applies, in order and
each in its own transaction, every version newer than the one recorded in ``schema_version``.
Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.store import stages

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def _discover() -> tuple[Migration, ...]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", path.name)
        if not match:
            raise RuntimeError(f"migration file name must be NNNN_name.sql: {path.name}")
        found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration versions must be 1..N without gaps, found {versions}")
    return tuple(found)


MIGRATIONS: tuple[Migration, ...] = _discover()
LATEST_VERSION = len(MIGRATIONS)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    if not _has_table(con, "schema_version"):
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> int:
    """Bring the schema up to ``target`` (default: latest). Returns the version reached."""
    target = LATEST_VERSION if target is None else target
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    version = start = current_version(con)
    for migration in MIGRATIONS:
        if version < migration.version <= target:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(migration.sql)
                con.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES ($version, $name, now()::TIMESTAMP)",
                    {"version": migration.version, "name": migration.name},
                )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            version = migration.version
    if version > start and _has_table(con, "stage_versions"):
        stages.bump(con, *stages.STAGES)  # a migration may change any table: every cached read is stale
    return version


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    found = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = $name", {"name": name})
    return found.fetchone()[0] > 0
