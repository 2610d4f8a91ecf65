"""An import that fails part-way: undo it, and say why in one line.

A write that fails inside DuckDB (disk full, a constraint, memory) may already have ended the
transaction, so the ROLLBACK that follows fails too and its "no transaction is active" used to
be the error the analyst saw, hiding "No space left on device". The original error is what
counts; the rollback's own failure is ignored.
"""

from __future__ import annotations

import contextlib
import errno

import duckdb

from analytics.ingest.readers import ReadError


def rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """ROLLBACK the import's transaction; nothing to do when DuckDB has already ended it."""
    with contextlib.suppress(duckdb.Error):  # gone already: nothing of it was committed
        con.execute("ROLLBACK")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def import_failure(name: str, exc: BaseException) -> ReadError:
    """One clear line for an import that failed and was undone (the database is unchanged)."""
    text = _first_line(exc)
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "No space left on device" in str(exc):
        return ReadError(
            f"{name}: import failed, nothing was written: no space left on device ({text}); free disk space and retry",
            zh=f"{name}：磁盘空间不足（No space left on device），导入已撤销，数据库未改动；请清理磁盘后重试",
        )
    if isinstance(exc, duckdb.ConstraintException):
        return ReadError(
            f"{name}: import failed, nothing was written: another import wrote the same complaints ({text}); retry",
            zh=f"{name}：另一个导入同时写入了相同的投诉，本次导入已撤销，数据库未改动；请重试",
        )
    if isinstance(exc, MemoryError | duckdb.OutOfMemoryException):
        return ReadError(
            f"{name}: import failed, nothing was written: out of memory ({text})",
            zh=f"{name}：内存不足，导入已撤销，数据库未改动；请拆分文件或调大 HOTSPOT_MEMORY_LIMIT",
        )
    return ReadError(
        f"{name}: import failed, nothing was written: {text}", zh=f"{name}：导入失败，数据库未改动：{text}"
    )
