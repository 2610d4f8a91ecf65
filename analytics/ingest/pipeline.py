"""Import one export file: find the header, map it, stream the rows through DuckDB in chunks,
all in one transaction, and record a batch per sheet.

Counting rule (always): rows_read = imported + duplicates + quarantined. A row is a non-empty
row below the header row; blank rows and title rows above the header are not rows.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

import duckdb

from analytics import audit
from analytics.errors import UserError
from analytics.ingest.chunks import arrow_chunks
from analytics.ingest.exclusive import import_lock
from analytics.ingest.failures import import_failure, rollback_quietly
from analytics.ingest.headers import FIELD_LABELS, header_score, match_headers, missing_required, unique_headers
from analytics.ingest.pii import mask_personal_data
from analytics.ingest.readers import ENCODING_NAMES, TRIED_ENCODINGS, RawTable, Row, open_tables
from analytics.ingest.stage import ChunkLoader
from analytics.profile import RegionProfile, load_profile
from analytics.store import stages

DEFAULT_SOURCE = "other"
CHUNK_ROWS = 50_000  # small enough that a chunk's Python and Arrow copies stay well under 1 GB
_HEADER_SCAN_ROWS = 30
# Real exports have tens of columns; thousands would build SQL DuckDB cannot plan within memory
# ("Out of Memory"), so a wider file is refused before any work with a message saying so.
MAX_COLUMNS = 500
QUARANTINE_PREVIEW = 5_000  # quarantined rows a dry run hands back (the page says when there are more)


@dataclass
class TableResult:
    """What importing one sheet (or one text file) did; one batch."""

    file: str
    sheet: str | None
    rows_read: int = 0
    imported: int = 0
    duplicates: int = 0
    quarantined: int = 0
    batch_id: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)
    quarantine_reasons: dict[str, int] = field(default_factory=dict)  # reason -> rows
    dry_run: bool = False  # checked only: nothing was written, ``batch_id`` names no batch
    # A dry run's would-be quarantine (first QUARANTINE_PREVIEW rows: row_number, reason, raw JSON).
    quarantine_preview: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Prepared:
    """A table whose header was found and mapped, ready to stream."""

    table: RawTable
    headers: list[str]
    mapping: dict[str, str]
    header_row: int
    rows: Iterator[Row]
    preview: list[Row]


def prepare(table: RawTable, overrides: Mapping[str, str] | None = None) -> Prepared | None:
    """Find the header row among the first rows and map it; None for an empty sheet."""
    head = list(islice(table.rows, _HEADER_SCAN_ROWS))
    if not head:
        return None
    width = max(len(cells) for _, cells in head)
    if width > MAX_COLUMNS:
        raise UserError(
            f"{_where(table)}: {width:,} columns, more than the {MAX_COLUMNS:,} an export can have;"
            " export only the complaint columns",
            zh=f"{_where(table)}：文件有 {width:,} 列，超过上限 {MAX_COLUMNS:,} 列；请只导出投诉相关的列",
        )
    scores = [header_score(cells, overrides) for _, cells in head]
    best = max(range(len(head)), key=lambda i: (scores[i], -i))
    if scores[best] == 0:
        # The first row may be data, not headers: masked before it is shown.
        cells = [mask_personal_data(str(c)) for c in head[0][1] if c]
        seen = "、".join(cells)[:200]
        raise UserError(
            f"{_where(table)}: no column could be mapped to a complaint field; headers seen: "
            f"{', '.join(cells)[:300]}. Use --map 表头=field{_encoding_hint(table)}.",
            zh=f"{_where(table)}：没有任何列能对应到投诉字段（表头：{seen}），请手动指定表头对应关系"
            + _encoding_hint(table, zh=True),
        )
    row_number, cells = head[best]
    mapping = match_headers(unique_headers(cells), overrides)
    # A header is stored (batches.mapping, extras and quarantine keys): masked like any cell.
    headers = [mask_personal_data(h) or "" for h in mapping]
    mapping = dict(zip(headers, mapping.values(), strict=True))
    rest = head[best + 1 :]
    return Prepared(table, headers, mapping, row_number, chain(rest, table.rows), rest[:20])


def _encoding_hint(table: RawTable, *, zh: bool = False) -> str:
    """For a text file: the encoding it was read as and how to name another (mojibake headers)."""
    if table.encoding is None:
        return ""
    tried = "、".join(ENCODING_NAMES[e] for e in TRIED_ENCODINGS)
    if zh:
        return f"；文件按 {table.encoding} 读取（已尝试 {tried}），若表头为乱码请用 --encoding 指定编码"
    return f"; read as {table.encoding} (tried {tried}): if the headers are garbled, name the encoding with --encoding"


def _where(table: RawTable) -> str:
    return f"{table.file_name} [{table.sheet}]" if table.sheet else table.file_name


def check_mapping(prepared: Prepared) -> None:
    missing = missing_required(prepared.mapping)
    if missing:
        labels = {"received_at": "受理时间", "title/content": "标题或内容"}
        raise UserError(
            f"{_where(prepared.table)}: no column for {', '.join(missing)}; headers: {', '.join(prepared.headers)}."
            " Use --map 表头=field.",
            zh=f"{_where(prepared.table)}：找不到{'、'.join(labels[m] for m in missing)}列，请手动指定表头对应关系",
        )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _next_id(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(
        "SELECT greatest(coalesce((SELECT max(id) FROM complaints), 0),"
        " coalesce((SELECT max(last_id) FROM batches), 0))"
    ).fetchall()[0]
    return int(row[0]) + 1


def new_batch_id() -> str:
    return f"{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    *,
    source: str | None = None,
    sheet: str | None = None,
    overrides: Mapping[str, str] | None = None,
    display_name: str | None = None,
    profile: RegionProfile | None = None,
    chunk_rows: int = CHUNK_ROWS,
    dry_run: bool = False,
    actor: str | None = None,
    encoding: str | None = None,
) -> list[TableResult]:
    """Import every sheet of ``path`` (or ``sheet``) in one transaction; one result per batch.

    ``source`` defaults to "other". A saved mapping profile of the source applies first, then
    ``overrides`` (header -> field, "" = keep in extras). Raises UserError (database unchanged)
    when the file cannot be read or mapped at all. ``dry_run`` does all of it (duplicates against
    the database included) and rolls back: the counts, quarantine reasons and the would-be
    quarantined rows are exact, and the database is unchanged. A real import writes one audit row
    per batch naming ``actor`` (analytics/audit.py), in the same transaction.
    """
    from analytics.ingest.batches import load_mapping_profile

    path = Path(path)
    # The file's name is stored (batches, quarantine) and shown: "张三13812345678投诉.xlsx" is masked.
    name = mask_personal_data(display_name or path.name) or path.name
    profile = profile or load_profile()
    src = (source or "").strip() or DEFAULT_SOURCE
    merged = {**load_mapping_profile(con, src), **(overrides or {})}
    tables = open_tables(path, sheet=sheet, display_name=name, encoding=encoding)
    for table in tables:
        table.sheet = mask_personal_data(table.sheet)
    sha = file_sha256(path)
    with import_lock():
        return _import_tables(con, tables, name, merged, profile, src, sha, chunk_rows, dry_run, actor)


def _import_tables(
    con: duckdb.DuckDBPyConnection,
    tables: list[RawTable],
    name: str,
    merged: Mapping[str, str],
    profile: RegionProfile,
    src: str,
    sha: str,
    chunk_rows: int,
    dry_run: bool,
    actor: str | None,
) -> list[TableResult]:
    """The import proper, in one transaction; runs under ``import_lock`` (ids are max + n)."""
    results: list[TableResult] = []
    con.execute("BEGIN TRANSACTION")
    try:
        next_id = _next_id(con)
        skipped: list[str] = []
        unmappable: list[UserError] = []
        for table in tables:
            try:
                prepared = prepare(table, merged)
                if prepared is not None:
                    check_mapping(prepared)
            except UserError as exc:
                # A notes/summary sheet beside the data sheets is skipped, not fatal; a file
                # whose only table cannot be mapped fails below.
                if len(tables) == 1:
                    raise
                unmappable.append(exc)
                skipped.append(f"{table.sheet}: skipped, {exc.message}")
                continue
            if prepared is None:
                skipped.append(f"{table.sheet or name}: empty")
                continue
            result, next_id = _import_table(con, prepared, profile, src, sha, next_id, chunk_rows)
            results.append(result)
        if not results and unmappable:
            raise unmappable[0]
        if not results:
            raise UserError(
                f"{name}: no rows to import (empty file or only a header)",
                zh=f"{name}：没有可导入的数据行（文件为空或只有表头）",
            )
        if all(r.rows_read == 0 for r in results):
            raise UserError(f"{name}: only a header, no data rows", zh=f"{name}：只有表头，没有数据行")
        for r in results:
            r.dry_run = dry_run
            _describe_quarantine(con, r)
            if not dry_run:  # one audit row per batch, committed with it
                audit.record(
                    con,
                    actor,
                    "import",
                    target=r.batch_id,
                    counts={k: getattr(r, k) for k in ("rows_read", "imported", "duplicates", "quarantined")},
                    detail={"file": r.file, "sheet": r.sheet, "source": src},
                )
        stages.bump(con, "complaints")
        con.execute("ROLLBACK" if dry_run else "COMMIT")
    except BaseException as exc:
        rollback_quietly(con)
        if isinstance(exc, UserError | KeyboardInterrupt):
            raise
        if isinstance(exc, duckdb.Error | OSError | ValueError | MemoryError | UnicodeError):
            raise import_failure(name, exc) from exc
        raise
    for r in results:
        r.notes.extend(skipped)
    return results


def _import_table(
    con: duckdb.DuckDBPyConnection,
    prepared: Prepared,
    profile: RegionProfile,
    source: str,
    sha: str,
    next_id: int,
    chunk_rows: int,
) -> tuple[TableResult, int]:
    table = prepared.table
    batch_id = new_batch_id()
    result = TableResult(
        file=table.file_name,
        sheet=table.sheet,
        batch_id=batch_id,
        mapping={h: f for h, f in prepared.mapping.items()},
        header_row=prepared.header_row,
        encoding=table.encoding,
        delimiter=table.delimiter,
    )
    loader = ChunkLoader(
        con,
        headers=prepared.headers,
        mapping=prepared.mapping,
        profile=profile,
        source=source,
        batch_id=batch_id,
        file_name=table.file_name,
        sheet=table.sheet,
        mask=profile.mask_personal_data,
    )
    try:
        for chunk in arrow_chunks(prepared.rows, len(prepared.headers), chunk_rows):
            counts = loader.load(chunk, next_id)
            next_id += counts.imported
            result.rows_read += counts.rows
            result.imported += counts.imported
            result.duplicates += counts.duplicates
            result.quarantined += counts.quarantined
    finally:
        loader.close()
    con.execute(
        "INSERT INTO batches (batch_id, file_name, sha256, sheet, source, imported_at, rows_read, imported,"
        " duplicates, quarantined, mapping, last_id) VALUES ($batch_id, $file_name, $sha256, $sheet, $source,"
        " now()::TIMESTAMP, $rows_read, $imported, $duplicates, $quarantined, $mapping, $last_id)",
        {
            "batch_id": batch_id,
            "file_name": table.file_name,
            "sha256": sha,
            "sheet": table.sheet,
            "source": source,
            "rows_read": result.rows_read,
            "imported": result.imported,
            "duplicates": result.duplicates,
            "quarantined": result.quarantined,
            "mapping": _json({h: f for h, f in prepared.mapping.items() if f}),
            "last_id": next_id - 1,
        },
    )
    return result, next_id


def _describe_quarantine(con: duckdb.DuckDBPyConnection, result: TableResult) -> None:
    """Fill the result's quarantine reasons (and, for a dry run, the rows themselves: they are gone
    after the rollback)."""
    if not result.quarantined:
        return
    # A reason may end in the offending value ("受理时间无法识别 (…): 2024-13-45"); count by kind.
    reasons = con.execute(
        "SELECT split_part(reason, ': ', 1) AS kind, count(*) FROM quarantine WHERE batch_id = $batch_id"
        " GROUP BY kind ORDER BY 2 DESC, 1",
        {"batch_id": result.batch_id},
    ).fetchall()
    result.quarantine_reasons = {str(reason): int(n) for reason, n in reasons}
    if result.dry_run:
        rows = con.execute(
            "SELECT row_number, reason, CAST(raw AS VARCHAR) AS raw FROM quarantine WHERE batch_id = $batch_id"
            " ORDER BY row_number LIMIT $limit",
            {"batch_id": result.batch_id, "limit": QUARANTINE_PREVIEW},
        ).fetchall()
        result.quarantine_preview = [{"row_number": int(n), "reason": r, "raw": raw} for n, r, raw in rows]


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def preview_file(
    path: Path | str,
    *,
    sheet: str | None = None,
    overrides: Mapping[str, str] | None = None,
    display_name: str | None = None,
    encoding: str | None = None,
) -> list[dict[str, Any]]:
    """Per sheet: headers, automatic mapping, the first rows and what is missing (no DB needed).

    A sheet of a workbook whose header cannot be found is listed with only ``sheet`` and ``error``.
    """
    out: list[dict[str, Any]] = []
    tables = open_tables(Path(path), sheet=sheet, display_name=mask_personal_data(display_name), encoding=encoding)
    for table in tables:
        try:
            prepared = prepare(table, overrides)
        except UserError as exc:
            if len(tables) == 1:
                raise
            out.append({"sheet": table.sheet, "error": exc.zh})  # skipped at import, like here
            continue
        if prepared is None:
            continue
        out.append(
            {
                "sheet": table.sheet,
                "headers": prepared.headers,
                "mapping": prepared.mapping,
                "header_row": prepared.header_row,
                "rows": [
                    (cells + [None] * len(prepared.headers))[: len(prepared.headers)] for _, cells in prepared.preview
                ],
                "encoding": table.encoding,
                "delimiter": table.delimiter,
                "missing": missing_required(prepared.mapping),
                "labels": FIELD_LABELS,
            }
        )
    return out
