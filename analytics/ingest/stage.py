"""One chunk of raw rows -> normalised rows in DuckDB, then into complaints / quarantine.

The chunk arrives as an Arrow table ``_chunk(_row, _flag, _overflow, c0..cN)`` of raw text. Three
set-based passes turn it into ``_c`` (one row per input row, with a quarantine ``reason`` or the
final values), and two INSERTs move it: duplicates (already stored, or earlier in the same file)
are counted, not inserted. Everything runs inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from analytics.business_names import NO_BUSINESS
from analytics.ingest import normalise as nz
from analytics.ingest.complainant import complainant_hashes
from analytics.ingest.identity import salted_hash
from analytics.ingest.pii import mask_array
from analytics.profile import OTHER_SECTOR, RegionProfile
from analytics.store import quote_literal

# Every cell is masked before anything reads it (a phone in 金额 or 办结时间 ends in extras, so
# it must be masked too). Masking leaves dates and amounts alone: they never hold seven digits
# in a row with at most one separator. The id column is masked strictly (pii.mask_identifier),
# so that a long 工单编号 is not taken for a bank card.
_TEXT_FIELDS = ("title", "content", "result", "business", "department", "complainant", "town")
OVERFLOW_KEY = "多余字段"
AMOUNT_REASON_SUFFIX = "（未作金额）"  # extras key beside the amount cell: why it is not an amount


@dataclass
class ChunkCounts:
    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    quarantined: int = 0


class ChunkLoader:
    """Loads chunks of one table (sheet) with a fixed header mapping."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        *,
        headers: list[str],
        mapping: dict[str, str],
        profile: RegionProfile,
        source: str,
        batch_id: str,
        file_name: str,
        sheet: str | None,
        mask: bool = True,
    ) -> None:
        self.con = con
        self.headers = headers
        self.profile = profile
        self.source = source
        self.batch_id = batch_id
        self.file_name = file_name
        self.sheet = sheet
        self.mask = mask
        self.col = {f: i for i, h in enumerate(headers) if (f := mapping.get(h))}
        pattern = nz.keyword_pattern(profile)
        self.keyword_pattern = pattern
        kw = nz.keyword_rows(profile)
        keywords = {"kw": [k for k, _, _ in kw], "sector": [s for _, s, _ in kw], "ord": [o for _, _, o in kw]}
        self._held: dict[str, pa.Table] = {"_kw": pa.table(keywords)}
        self.id_column = self.col.get("complaint_id")
        self._sql_b = self._stage_b()

    # ------------------------------------------------------------ SQL builders

    def _v(self, field: str) -> str:
        return f"c{self.col[field]}" if field in self.col else "NULL::VARCHAR"

    def _stage_b(self) -> str:
        parts = ["*"]
        parts += [
            f"{nz.date_sql(self._v('received_at'))} AS p_received",
            f"{nz.date_sql(self._v('closed_at'))} AS p_closed",
            f"{nz.amount_sql(self._v('amount'))} AS p_amount_any",
            f"{nz.int_sql(self._v('support'))} AS p_support",
            f"{nz.int_sql(self._v('opposition'))} AS p_opposition",
            f"{nz.resolved_sql(self._v('resolved'))} AS p_resolved",
        ]
        sql = "SELECT " + ", ".join(parts) + " FROM _chunk"
        return f"SELECT *, {nz.amount_in_range_sql('p_amount_any')} AS p_amount FROM ({sql})"

    def _t(self, field: str) -> str:
        return f"b.c{self.col[field]}" if field in self.col else "NULL::VARCHAR"

    def _raw_json(self) -> str:
        """All of a row's values (masked in ``_clean``) as a JSON object header -> value (for quarantine)."""
        entries = [f"{{'k': {quote_literal(h)}, 'v': b.c{i}}}" for i, h in enumerate(self.headers)] + [
            f"{{'k': {quote_literal(OVERFLOW_KEY)}, 'v': b._overflow}}"
        ]
        return f"map_from_entries(list_filter([{', '.join(entries)}], lambda x: x.v IS NOT NULL))::JSON"

    def _business(self) -> str:
        """The business cell, NULL for a placeholder (无, 不详, 个人 …: analytics.business_names)."""
        cell = self._t("business")
        if cell == "NULL::VARCHAR":
            return cell
        placeholders = ", ".join(quote_literal(p) for p in sorted(NO_BUSINESS))
        return f"CASE WHEN trim({cell}) IN ({placeholders}) THEN NULL ELSE {cell} END"

    def _extras_json(self) -> str:
        """Unmapped columns, plus mapped values that could not be normalised: nothing is dropped."""
        mapped = set(self.col.values())
        entries = [f"{{'k': {quote_literal(h)}, 'v': b.c{i}}}" for i, h in enumerate(self.headers) if i not in mapped]
        kept_if_unparsed = {
            "closed_at": "c_closed",
            "amount": "b.p_amount",
            "support": "b.p_support",
            "opposition": "b.p_opposition",
            "resolved": "b.p_resolved",
            "kind": "km.kind",
            "county": "cm.county",
            "sector": "sm.sector",
            "business": self._business(),  # a placeholder is kept here, as written
        }
        for field, parsed in kept_if_unparsed.items():
            if field in self.col:
                i = self.col[field]
                h = self.headers[i]
                entries.append(f"{{'k': {quote_literal(h)}, 'v': CASE WHEN {parsed} IS NULL THEN b.c{i} END}}")
        if "amount" in self.col:  # why a number was not taken as the amount
            i = self.col["amount"]
            reason = nz.amount_reason_sql("b.p_amount_any", f"b.c{i}")
            key = quote_literal(self.headers[i] + AMOUNT_REASON_SUFFIX)
            entries.append(f"{{'k': {key}, 'v': CASE WHEN b.p_amount IS NULL THEN {reason} END}}")
        entries.append(f"{{'k': {quote_literal(OVERFLOW_KEY)}, 'v': b._overflow}}")
        lst = f"list_filter([{', '.join(entries)}], lambda x: x.v IS NOT NULL)"
        return f"CASE WHEN len({lst}) > 0 THEN map_from_entries({lst})::JSON END"

    def _stage_c(self) -> str:
        text = f"coalesce({self._t('title')}, '') || ' ' || coalesce({self._t('content')}, '')"
        has_id = "complaint_id" in self.col
        cid = f"b.c{self.col['complaint_id']}" if has_id else "NULL::VARCHAR"
        src = f"coalesce({self._t('source')}, {quote_literal(self.source)})"
        kind = (
            f"coalesce(km.kind, CASE WHEN {self._t('kind')} IS NOT NULL THEN '其他' END,"
            f" {nz.infer_kind_sql(self._t('title'))})"
        )
        county = "coalesce(cm.county, tm.county)"
        received = f"b.c{self.col['received_at']}" if "received_at" in self.col else "NULL::VARCHAR"
        text_hash = f"md5(strftime(b.received_at, '%Y-%m-%d %H:%M:%S') || '|' || {text})"
        reason = f"""CASE
            WHEN b._flag IS NOT NULL THEN b._flag
            WHEN {self._t("title")} IS NULL AND {self._t("content")} IS NULL THEN '缺少标题和内容 (no title or content)'
            WHEN {received} IS NULL THEN '缺少受理时间 (received time missing)'
            WHEN b.p_received IS NULL THEN '受理时间无法识别 (unreadable received time): ' || {received}
            WHEN b.received_at IS NULL THEN {quote_literal(nz.RECEIVED_RANGE_REASON)} || ': ' || {received}
        END"""
        sel = [
            "b._row",
            f"{reason} AS reason",
            f"{src} AS source",
            "b.received_at",
            "c_closed AS closed_at",
            f"{kind} AS kind",
            f"{county} AS county",
            *(f"{self._business() if f == 'business' else self._t(f)} AS {f}" for f in _TEXT_FIELDS),
            "sm.sector AS sector_mapped",
            "b.p_resolved AS resolved",
            "b.p_amount AS amount",
            "b.p_support AS support",
            "b.p_opposition AS opposition",
            f"{self._extras_json()} AS extras",
            f"{text_hash} AS text_hash",
            f"{cid} AS cid",
            "b._cid_key AS cid_key",
            "b._complainant_hash AS complainant_hash",
        ]
        joins = [
            f"LEFT JOIN _kmap km ON km.raw = {self._t('kind')}",
            f"LEFT JOIN _cmap cm ON cm.raw = {self._t('county')}",
            f"LEFT JOIN _tmap tm ON tm.raw = {self._t('town')}",
            f"LEFT JOIN _smap sm ON sm.raw = {self._t('sector')}",
        ]
        inner = (
            "SELECT *, " + nz.date_in_range_sql("p_received") + " AS received_at, "
            f"{nz.date_in_range_sql('p_closed')} AS c_closed FROM _b"
        )
        return f"SELECT {', '.join(sel)} FROM ({inner}) b {' '.join(joins)}"

    # ------------------------------------------------------------ running

    def _register_map(self, name: str, column: str | None, fn) -> None:
        raws: list[str] = []
        if column is not None:
            raws = [r[0] for r in self._run(f"SELECT DISTINCT {column} FROM _b WHERE {column} IS NOT NULL").fetchall()]
        pairs = [(r, fn(r)) for r in raws]
        pairs = [(r, v) for r, v in pairs if v is not None]
        col_name = {"_kmap": "kind", "_cmap": "county", "_tmap": "county", "_smap": "sector"}[name]
        self._held[name] = pa.table(
            {
                "raw": pa.array([r for r, _ in pairs], pa.string()),
                col_name: pa.array([v for _, v in pairs], pa.string()),
            }
        )

    def load(self, chunk: pa.Table, next_id: int) -> ChunkCounts:
        self._held["_chunk"] = self._clean(chunk)
        self._materialise("_b", self._sql_b)
        del self._held["_chunk"]
        col = lambda f: f"c{self.col[f]}" if f in self.col else None  # noqa: E731
        town_map = self.profile.town_to_county()
        self._register_map("_kmap", col("kind"), nz.canonical_kind)
        self._register_map("_cmap", col("county"), lambda r: nz.canonical_county(self.profile, r))
        self._register_map("_tmap", col("town"), lambda r: town_map.get(r))
        self._register_map("_smap", col("sector"), lambda r: nz.map_sector(self.profile, r))
        self._materialise("_c", self._stage_c())
        counts = ChunkCounts(rows=chunk.num_rows)
        counts.quarantined = self._run(
            "INSERT INTO quarantine SELECT $batch_id, $file_name, $sheet, c._row, "
            + self._raw_json()
            + ", c.reason FROM _c c JOIN _b b USING (_row) WHERE c.reason IS NOT NULL",
            {"batch_id": self.batch_id, "file_name": self.file_name, "sheet": self.sheet},
        ).fetchall()[0][0]
        counts.imported = self._insert(next_id)
        counts.duplicates = counts.rows - counts.quarantined - counts.imported
        return counts

    def _run(self, sql: str, params: dict[str, Any] | None = None, *, arrow: bool = False) -> Any:
        """Execute ``sql`` with the held Arrow tables visible under their names.

        DuckDB finds them as local variables of this frame (a replacement scan). Not
        ``con.register`` and not temp tables: inside the file's transaction DuckDB keeps both
        alive until COMMIT (for rollback), so per-chunk tables would pile up in memory.
        """
        held = self._held
        _kw, _kmap, _cmap, _tmap, _smap = (held.get(n) for n in ("_kw", "_kmap", "_cmap", "_tmap", "_smap"))
        _chunk, _b, _c, _i = (held.get(n) for n in ("_chunk", "_b", "_c", "_i"))
        if arrow:  # a relation straight to Arrow: one copy fewer than a cursor's result
            return self.con.sql(sql).to_arrow_table()
        return self.con.execute(sql, params)

    def _materialise(self, name: str, sql: str) -> None:
        """Run ``sql`` into an Arrow table held as ``name`` for the next statements of the chunk."""
        self._held[name] = self._run(sql, arrow=True)

    def _clean(self, chunk: pa.Table) -> pa.Table:
        """Trim every text cell and mask personal data in every one. An id that had to be masked
        keeps its identity as a salted hash in ``_cid_key`` (the dedupe key uses it). The
        complainant's phone or ID number is hashed here too, from the raw cells, before masking."""
        columns = {}
        cid_key = pa.nulls(chunk.num_rows, pa.string())
        raw = [
            chunk.column(f"c{self.col[f]}").combine_chunks() if f in self.col else None
            for f in ("complainant", "title", "content")
        ]
        who = complainant_hashes(raw) if any(a is not None for a in raw) else pa.nulls(chunk.num_rows, pa.string())
        for name in chunk.column_names:
            arr = chunk.column(name).combine_chunks()
            if name == "_overflow" or name.startswith("c"):
                arr = nz.clean_array(arr)
                is_id = name != "_overflow" and int(name[1:]) == self.id_column
                if self.mask and is_id:
                    masked = mask_array(arr, strict=True)
                    changed = pc.fill_null(pc.not_equal(arr, masked), False)
                    if pc.any(changed).as_py():
                        hashed = ["p" + salted_hash(v) for v in pc.filter(arr, changed).to_pylist()]
                        cid_key = pc.replace_with_mask(cid_key, changed, pa.array(hashed, pa.string()))
                    arr = masked
                elif self.mask:
                    arr = mask_array(arr)
            columns[name] = arr
        columns["_cid_key"] = cid_key
        columns["_complainant_hash"] = who
        return pa.table(columns)

    def _insert(self, next_id: int) -> int:
        # Sector: mapped from the export, else inferred from the text (most keyword hits, ties
        # to the earlier sector of the profile), else 其他; both of the latter marked inferred.
        pattern = quote_literal(self.keyword_pattern)
        inferred = f"""
            SELECT _row, arg_max(sector, n * 1000 - ord) AS sector FROM (
                SELECT h._row, k.sector, k.ord, count(*) AS n
                FROM (SELECT _row, unnest(regexp_extract_all(
                      left(coalesce(title, '') || ' ' || coalesce(content, ''), {nz.INFER_CHARS}),
                      {pattern}, 0)) AS kw FROM _c WHERE reason IS NULL AND sector_mapped IS NULL) h
                JOIN _kw k USING (kw) GROUP BY ALL
            ) GROUP BY _row"""
        if not self.keyword_pattern:
            inferred = "SELECT NULL::BIGINT AS _row, NULL::VARCHAR AS sector WHERE false"
        self._materialise("_i", inferred)
        key = "c.source || ':' || coalesce(c.cid_key, c.cid, 'h' || c.text_hash)"
        sql = f"""
        INSERT INTO complaints (id, complaint_id, source, received_at, closed_at, kind, county, town, sector,
            sector_inferred, business, title, content, result, resolved, department, amount, support,
            opposition, complainant, extras, dedupe_key, batch_id, complainant_hash)
        SELECT $last_id + row_number() OVER (ORDER BY _row), complaint_id, source, received_at, closed_at, kind, county,
            town, sector, sector_inferred, business, title, content, result, resolved, department, amount,
            support, opposition, complainant, extras, dedupe_key, $batch_id, complainant_hash
        FROM (
            SELECT c.*, coalesce(c.cid, 'H' || substr(c.text_hash, 1, 16)) AS complaint_id,
                coalesce(c.sector_mapped, i.sector, {quote_literal(OTHER_SECTOR)}) AS sector,
                c.sector_mapped IS NULL AS sector_inferred, {key} AS dedupe_key,
                row_number() OVER (PARTITION BY {key} ORDER BY c._row) AS _rn
            FROM _c c LEFT JOIN _i i USING (_row)
            WHERE c.reason IS NULL
        ) s
        WHERE _rn = 1 AND NOT EXISTS (SELECT 1 FROM complaints x WHERE x.dedupe_key = s.dedupe_key)
        """
        return int(self._run(sql, {"last_id": next_id - 1, "batch_id": self.batch_id}).fetchall()[0][0])

    def close(self) -> None:
        self._held.clear()
