"""Import batches (list, roll back), quarantined rows, and saved header-mapping profiles."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping

import duckdb
import pandas as pd

from analytics import audit
from analytics.errors import UserError
from analytics.ingest.exclusive import import_lock
from analytics.ingest.headers import FIELDS, UNMAPPED
from analytics.store import stages
from analytics.store.stages import reads


@reads("complaints")
def list_batches(con: duckdb.DuckDBPyConnection, *, include_rolled_back: bool = True) -> pd.DataFrame:
    """One row per batch, newest first, with its counts and whether it was rolled back."""
    where = "" if include_rolled_back else "WHERE rolled_back_at IS NULL"
    return con.execute(
        "SELECT batch_id, file_name, sheet, source, sha256, imported_at, rows_read, imported, duplicates,"
        f" quarantined, rolled_back_at, mapping FROM batches {where} ORDER BY imported_at DESC, batch_id DESC"
    ).df()


def rollback_batch(con: duckdb.DuckDBPyConnection, batch_id: str, *, actor: str | None = None) -> dict[str, int | str]:
    """Remove one batch's complaints (and their tokens/topic assignments) and quarantined rows.

    The batch row stays, marked rolled back, so its ids are never handed out again and the
    history shows what happened; an audit row names ``actor`` and the counts removed. It takes
    turns with imports (``import_lock``), so an import cannot run between its check and its delete.
    """
    with import_lock():
        return _rollback(con, batch_id, actor)


def _rollback(con: duckdb.DuckDBPyConnection, batch_id: str, actor: str | None) -> dict[str, int | str]:
    found = con.execute(
        "SELECT rolled_back_at FROM batches WHERE batch_id = $batch_id", {"batch_id": batch_id}
    ).fetchall()
    row = found[0] if found else None
    if row is None:
        raise UserError(f"No batch {batch_id!r}", zh=f"没有批次 {batch_id}")
    if row[0] is not None:
        raise UserError(
            f"Batch {batch_id} was already rolled back at {row[0]}", zh=f"批次 {batch_id} 已于 {row[0]} 撤销"
        )
    con.execute("BEGIN TRANSACTION")
    try:
        batch = {"batch_id": batch_id}
        for table in ("tokens", "topic_assignments"):
            if _has_table(con, table):
                con.execute(
                    f"DELETE FROM {table} WHERE id IN (SELECT id FROM complaints WHERE batch_id = $batch_id)", batch
                )
        removed = con.execute("DELETE FROM complaints WHERE batch_id = $batch_id", batch).fetchall()[0][0]
        dropped = con.execute("DELETE FROM quarantine WHERE batch_id = $batch_id", batch).fetchall()[0][0]
        con.execute("UPDATE batches SET rolled_back_at = now()::TIMESTAMP WHERE batch_id = $batch_id", batch)
        audit.record(
            con,
            actor,
            "rollback",
            target=batch_id,
            counts={"complaints_removed": int(removed), "quarantine_removed": int(dropped)},
        )
        stages.bump(con, "complaints", "topics")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {"batch_id": batch_id, "complaints_removed": int(removed), "quarantine_removed": int(dropped)}


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = $name", {"name": name}
        ).fetchall()[0][0]
    )


@reads("complaints")
def quarantine_rows(con: duckdb.DuckDBPyConnection, batch_id: str | None = None) -> pd.DataFrame:
    """Quarantined rows (already masked): batch, file, sheet, row number, reason, raw JSON."""
    where, params = ("WHERE batch_id = $batch_id", {"batch_id": batch_id}) if batch_id else ("", {})
    return con.execute(
        "SELECT batch_id, file_name, sheet, row_number, reason, CAST(raw AS VARCHAR) AS raw FROM quarantine "
        f"{where} ORDER BY batch_id, row_number",
        params,
    ).df()


def _neutralise(value: object) -> object:
    """Spreadsheet apps run a cell that starts with = + - @ as a formula: prefix a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def quarantine_csv(frame: pd.DataFrame) -> bytes:
    """Quarantined rows as a CSV for Excel: UTF-8 with BOM, raw values spread into columns,
    formula-like cells neutralised."""
    rows = []
    for rec in frame.to_dict("records"):
        raw = json.loads(rec.get("raw") or "{}")
        base = {
            "批次": rec.get("batch_id"),
            "文件": rec.get("file_name"),
            "工作表": rec.get("sheet"),
            "行号": rec.get("row_number"),
            "原因": rec.get("reason"),
        }
        rows.append({**base, **{str(k): v for k, v in raw.items()}})
    out = pd.DataFrame(rows, columns=None if rows else ["批次", "文件", "工作表", "行号", "原因"])
    out = out.map(_neutralise)
    buf = io.StringIO()
    out.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def load_mapping_profile(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, str]:
    """The saved header -> field mapping of a source ({} when none)."""
    if not _has_table(con, "mapping_profiles"):
        return {}
    rows = con.execute(
        "SELECT CAST(mapping AS VARCHAR) FROM mapping_profiles WHERE source = $source", {"source": source}
    ).fetchall()
    return json.loads(rows[0][0]) if rows else {}


def save_mapping_profile(
    con: duckdb.DuckDBPyConnection, source: str, mapping: Mapping[str, str], *, actor: str | None = None
) -> None:
    """Save (replace) the mapping profile of a source; later imports of that source use it.

    The audit row keeps the mapping saved and the one it replaced, so a swapped 受理时间/办结时间
    can be traced to who saved it and undone.
    """
    if not source.strip():
        raise UserError("A mapping profile needs a source name", zh="保存映射方案需要填写来源名称")
    clean = {str(h): (f or UNMAPPED) for h, f in mapping.items()}
    bad = [f for f in clean.values() if f and f not in FIELDS]
    if bad:
        raise UserError(f"Unknown fields: {', '.join(bad)}", zh=f"未知字段：{'、'.join(bad)}")
    previous = load_mapping_profile(con, source.strip())
    with stages.changing(con, "mappings"):
        con.execute(
            "INSERT OR REPLACE INTO mapping_profiles (source, mapping, updated_at)"
            " VALUES ($source, $mapping, now()::TIMESTAMP)",
            {"source": source.strip(), "mapping": json.dumps(clean, ensure_ascii=False)},
        )
        audit.record(
            con,
            actor,
            "mapping_profile",
            target=source.strip(),
            counts={"columns": len(clean)},
            detail={"mapping": clean, "previous": previous},
        )


def mapping_profiles(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT source, CAST(mapping AS VARCHAR) AS mapping, updated_at FROM mapping_profiles ORDER BY source"
    ).df()
