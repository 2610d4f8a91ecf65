"""Open the database with the project's settings, migrated to the latest schema."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from analytics import settings
from analytics.errors import UserError
from analytics.store.migrations import LATEST_VERSION, current_version, migrate


def connect(path: Path | str | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database at ``path`` (default: HOTSPOT_DB) and migrate it.

    A read-only connection cannot migrate; it refuses a database older than the code.
    """
    db_path = Path(path) if path is not None else settings.get("HOTSPOT_DB")
    if read_only and not db_path.exists():
        raise UserError(f"Database not found: {db_path}", zh=f"找不到数据库：{db_path}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    config: dict[str, str | int | bool] = {"memory_limit": settings.get("HOTSPOT_MEMORY_LIMIT")}
    threads = settings.get("HOTSPOT_THREADS") or os.cpu_count() or 1
    config["threads"] = int(threads)
    try:
        con = duckdb.connect(str(db_path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        raise UserError(f"Cannot open database {db_path}: {exc}", zh=f"无法打开数据库 {db_path}：{exc}") from exc
    if read_only:
        if current_version(con) < LATEST_VERSION:
            con.close()
            raise UserError(f"Database {db_path} needs an upgrade; open it once without read-only.")
    else:
        migrate(con)
    return con


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Column names of ``table`` in schema order (used to check identifiers before quoting)."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def quote_identifier(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    """Quote ``column`` for SQL after checking it is a real column of ``table``.

    Values are always bound with ``?``; identifiers cannot be, so they are checked here instead.
    """
    if column not in table_columns(con, table):
        raise UserError(f"Unknown column {column!r} of table {table!r}")
    return '"' + column.replace('"', '""') + '"'
