"""How a command opens the database: for as long as it needs it, in turn with every other process.

``open_database(path)`` reads (shared lock, read-only connection): several readers at once, the app
included while it is idle. ``open_database(path, write=True)`` writes (exclusive lock, read-write
connection, migrated). Both wait in line up to HOTSPOT_LOCK_TIMEOUT seconds, then fail with one
clear line; the connection is closed and the lock released when the block ends, so a cron import
and the dashboard take turns instead of locking each other out (docs/architecture-concurrency.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from analytics import settings
from analytics.store.connection import UpgradeNeeded, connect, database_path, explain_database_error, missing_error
from analytics.store.locking import DatabaseLock

RETRY_SECONDS = 0.2
T = TypeVar("T")


def lock_timeout() -> float:
    return float(settings.get("HOTSPOT_LOCK_TIMEOUT"))


def _is_foreign_lock(exc: BaseException) -> bool:
    """DuckDB's own lock refused the open: a process that does not take our lock (the duckdb shell)."""
    return isinstance(exc.__cause__, duckdb.IOException) and "lock" in str(exc.__cause__).lower()


def connect_waiting(path: Path, *, read_only: bool, deadline: float) -> duckdb.DuckDBPyConnection:
    """:func:`connect`, retried until ``deadline`` while a process outside our lock holds the file."""
    while True:
        try:
            return connect(path, read_only=read_only)
        except UpgradeNeeded:
            raise
        except Exception as exc:
            if not _is_foreign_lock(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(RETRY_SECONDS)


@contextmanager
def open_database(
    path: Path | str | None = None, *, write: bool = False, create: bool = False, timeout: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to ``path`` (default HOTSPOT_DB), held in turn with other processes.

    A missing file is refused unless ``create`` (only ``demo`` and ``import`` create databases). A
    reader that finds an older schema upgrades it first, as a writer, then reads.
    """
    db_path = database_path(path)
    if not db_path.exists() and not create:
        raise missing_error(db_path)
    wait = lock_timeout() if timeout is None else timeout
    deadline = time.monotonic() + wait
    lock = DatabaseLock(db_path, shared=not write)
    lock.acquire(wait)
    try:
        try:
            con = connect_waiting(db_path, read_only=not write, deadline=deadline)
        except UpgradeNeeded:
            # Migrating needs the file to itself: trade the shared turn for an exclusive one.
            lock.release()
            upgrade = DatabaseLock(db_path, shared=False)
            upgrade.acquire(max(deadline - time.monotonic(), 0.0))
            try:
                connect_waiting(db_path, read_only=False, deadline=deadline).close()
            finally:
                upgrade.release()
            lock.acquire(max(deadline - time.monotonic(), 0.0))
            con = connect_waiting(db_path, read_only=True, deadline=deadline)
        try:
            yield con
        except duckdb.Error as exc:
            known = explain_database_error(exc, db_path)
            if known is not None:
                raise known from exc
            raise
        finally:
            con.close()
    finally:
        lock.release()


def refused_as_read_only(exc: BaseException | None) -> bool:
    """DuckDB refused a write on a read-only connection (here or as the cause of ``exc``)."""
    while exc is not None:
        if isinstance(exc, duckdb.Error) and "read-only mode" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def reading_first(path: Path | str | None, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """``work(con)`` on a read-only connection; again on a read-write one only if it had to write.

    For commands whose engines write only when something is missing or stale (a topic run to
    compute): when it is current they read beside the app and other readers instead of taking the
    database to themselves. A write is refused at its first statement, before anything changed,
    so repeating ``work`` is safe; ``work`` prints nothing and writes a file only as its last step.
    """
    try:
        with open_database(path) as con:
            return work(con)
    except Exception as exc:
        if not refused_as_read_only(exc):
            raise
    with open_database(path, write=True) as con:
        return work(con)
