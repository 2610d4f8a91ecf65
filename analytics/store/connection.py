"""Open the database with the project's settings, migrated to the latest schema."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from analytics import settings
from analytics.errors import UserError
from analytics.store.migrations import LATEST_VERSION, current_version, migrate

# DuckDB's words for a file it cannot read as a database (truncated, overwritten, not DuckDB at all).
_CORRUPT_MARKERS = ("not a valid DuckDB database", "Could not read enough bytes", "Corrupt", "checksum")


class UpgradeNeeded(UserError):
    """A read-only open found a schema older than the code (only a writer can migrate it)."""


def database_path(path: Path | str | None = None) -> Path:
    """``path``, or the HOTSPOT_DB setting when none is given."""
    return Path(path) if path is not None else settings.get("HOTSPOT_DB")


def missing_error(path: Path) -> UserError:
    return UserError(
        f"Database not found: {path} (找不到数据库); only `demo` and `import` create one.",
        zh=f"找不到数据库：{path}",
    )


def explain_database_error(exc: BaseException, path: Path | str | None = None) -> UserError | None:
    """The one-line UserError for a DuckDB error that is not a bug: a corrupt file, a held lock.

    None for any other error (those are bugs and keep their traceback).
    """
    if not isinstance(exc, duckdb.Error):
        return None
    text = str(exc)
    where = f" {path}" if path is not None else ""
    if "Could not set lock" in text or "Conflicting lock" in text:
        from analytics.store.locking import busy_error

        return busy_error(path if path is not None else "")
    if any(marker in text for marker in _CORRUPT_MARKERS):
        return UserError(
            f"The database file{where} is damaged or not a DuckDB file. 数据库文件已损坏或不是 DuckDB 文件。",
            zh=f"数据库文件已损坏或不是 DuckDB 文件：{path or ''}",
        )
    return None


def connect(path: Path | str | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database at ``path`` (default: HOTSPOT_DB) and migrate it.

    A read-only connection cannot migrate; it refuses a database older than the code. This does not
    take the cross-process lock: commands and the app open through :mod:`analytics.store.access`
    and :mod:`analytics.store.lease`, which do.
    """
    db_path = database_path(path)
    if read_only and not db_path.exists():
        raise missing_error(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    config: dict[str, str | int | bool] = {"memory_limit": settings.get("HOTSPOT_MEMORY_LIMIT")}
    threads = settings.get("HOTSPOT_THREADS") or os.cpu_count() or 1
    config["threads"] = int(threads)
    try:
        con = duckdb.connect(str(db_path), read_only=read_only, config=config)
    except duckdb.Error as exc:
        known = explain_database_error(exc, db_path)
        if known is not None:
            raise known from exc
        raise UserError(f"Cannot open database {db_path}: {exc}", zh=f"无法打开数据库 {db_path}：{exc}") from exc
    try:
        if read_only:
            if current_version(con) < LATEST_VERSION:
                con.close()
                raise UpgradeNeeded(
                    f"Database {db_path} needs an upgrade; open it once without read-only.",
                    zh=f"数据库 {db_path} 需要升级，请先以读写方式打开一次。",
                )
        else:
            migrate(con)
    except duckdb.Error as exc:
        con.close()
        known = explain_database_error(exc, db_path)
        if known is not None:
            raise known from exc
        raise
    return con


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Column names of ``table`` in schema order (used to check identifiers before quoting)."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $table ORDER BY ordinal_position",
        {"table": table},
    ).fetchall()
    return [r[0] for r in rows]


def quote_literal(text: str) -> str:
    """``text`` as a SQL string literal, for the few statements that cannot bind values (SQL DuckDB
    runs as a relation, a COPY target): single quotes doubled, nothing else needed in DuckDB."""
    if not isinstance(text, str):
        raise TypeError(f"quote_literal takes text, not {type(text).__name__}")
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    """Quote ``column`` for SQL after checking it is a real column of ``table``.

    Values are always bound by name (``$name``); identifiers cannot be, so they are checked here instead.
    """
    if column not in table_columns(con, table):
        raise UserError(f"Unknown column {column!r} of table {table!r}")
    return '"' + column.replace('"', '""') + '"'
