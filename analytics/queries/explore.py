"""The 探索 page's numbers: a trend at day/week/month granularity, a breakdown by any dimension, and
a paginated drill-down of individual complaints.

Identifiers (the dimension to break down by) are checked against a fixed list and the table's
columns; values are bound by name (``$name``); LIMIT and OFFSET are bound too.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from analytics.errors import UserError
from analytics.filters import Filters
from analytics.ingest.pii import mask_personal_data
from analytics.queries import UNKNOWN
from analytics.schema import labels
from analytics.store import quote_identifier
from analytics.store.stages import reads

ALL = Filters()  # no filter: every complaint
REST = "其余"  # the values beyond the top N of a breakdown, folded into one row
GRANULARITIES = {"day": "日", "week": "周", "month": "月"}
DIMENSIONS = labels("county", "sector", "kind", "source", "department", "business", "town")
# Drill-down columns: (SQL expression over complaints c, output name). Content is cut so a page of
# rows stays small; the whole text is one click away in the export.
CONTENT_CHARS = 200
_PAGE_COLUMNS = (
    ("c.id", "id"),  # internal key, for opening one complaint in full (hidden in the table)
    ("c.received_at", "received_at"),
    ("c.complaint_id", "complaint_id"),
    ("c.source", "source"),
    ("c.kind", "kind"),
    ("c.county", "county"),
    ("c.sector", "sector"),
    ("c.business", "business"),
    ("c.title", "title"),
    (f"left(c.content, {CONTENT_CHARS})", "content"),
    ("c.department", "department"),
    ("c.closed_at", "closed_at"),
    ("c.amount", "amount"),
)
MAX_PAGE_SIZE = 500


def _dimension(con: duckdb.DuckDBPyConnection, by: str) -> str:
    if by not in DIMENSIONS:
        raise UserError(f"Unknown dimension {by!r}; choose one of {', '.join(DIMENSIONS)}", zh=f"无法按“{by}”分组")
    return quote_identifier(con, "complaints", by)


@reads("complaints")
def trend(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    granularity: str = "month",
    by: str | None = None,
    top: int = 8,
) -> pd.DataFrame:
    """``period`` (start of the day/week/month), optionally ``value`` of dimension ``by``, and
    ``complaints``. Periods without complaints are filled with 0. With ``by``, the ``top`` values
    (by total) keep their own line and the rest are summed as 其余."""
    if granularity not in GRANULARITIES:
        raise UserError(f"Unknown granularity {granularity!r}", zh=f"不支持的时间粒度：{granularity}")
    where, params = filters.where()
    step = {"day": "INTERVAL 1 DAY", "week": "INTERVAL 7 DAY", "month": "INTERVAL 1 MONTH"}[granularity]
    if by is None:
        value_sql, top_sql = "'全部'", ""
    else:
        col = _dimension(con, by)
        # The top values are found in the same query, so the fold into 其余 happens in DuckDB.
        top_sql = f"""
            , ranked AS (
                SELECT coalesce(nullif(CAST({col} AS VARCHAR), ''), $unknown) AS v FROM complaints WHERE {where}
                GROUP BY ALL ORDER BY count(*) DESC, v LIMIT $top
            )"""
        value_sql = f"coalesce(nullif(CAST({col} AS VARCHAR), ''), $unknown)"
        params = {**params, "unknown": UNKNOWN, "top": int(top), "rest": REST}
    sql = f"""
        WITH base AS (
            SELECT CAST(date_trunc('{granularity}', received_at) AS DATE) AS period, {value_sql} AS value
            FROM complaints WHERE {where}
        ){top_sql},
        counts AS (
            SELECT period, {"CASE WHEN value IN (SELECT v FROM ranked) THEN value ELSE $rest END" if by else "value"}
                   AS value, count(*) AS complaints
            FROM base GROUP BY ALL
        ),
        periods AS (
            SELECT CAST(unnest(generate_series(min(period), max(period), {step})) AS DATE) AS period FROM counts
        )
        SELECT p.period, v.value, coalesce(c.complaints, 0) AS complaints
        FROM periods p CROSS JOIN (SELECT DISTINCT value FROM counts) v
        LEFT JOIN counts c ON c.period = p.period AND c.value = v.value
        ORDER BY p.period, v.value
    """
    df = con.execute(sql, params).df()
    df["period"] = pd.to_datetime(df["period"])
    df["complaints"] = df["complaints"].astype("int64")
    df["value"] = df["value"].astype("string")
    return df if by is not None else df.drop(columns="value")


@reads("complaints")
def breakdown(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, by: str = "sector", top: int = 20
) -> pd.DataFrame:
    """``value`` of dimension ``by`` with ``complaints``, ``share`` of the filtered total and
    ``closed_share`` (share closed), most first; values beyond the ``top`` are summed as 其余 (last)."""
    col = _dimension(con, by)
    where, params = filters.where()
    df = con.execute(
        f"""
        WITH counts AS (
            SELECT coalesce(nullif(CAST({col} AS VARCHAR), ''), $unknown) AS value,
                   count(*) AS complaints, count(closed_at) AS closed
            FROM complaints WHERE {where} GROUP BY ALL
        ),
        ranked AS (
            SELECT *, row_number() OVER (ORDER BY complaints DESC, value) AS rn FROM counts
        ),
        folded AS (
            SELECT CASE WHEN rn <= $top THEN value ELSE $rest END AS value,
                   max(CASE WHEN rn <= $top THEN 0 ELSE 1 END) AS is_rest,
                   sum(complaints) AS complaints, sum(closed) AS closed
            FROM ranked GROUP BY 1
        )
        SELECT value, complaints, complaints / sum(complaints) OVER () AS share,
               closed / complaints AS closed_share
        FROM folded ORDER BY is_rest, complaints DESC, value
        """,
        {**params, "unknown": UNKNOWN, "top": int(top), "rest": REST},
    ).df()
    df.insert(0, "dimension", pd.Series([by] * len(df), dtype="string"))
    df["value"] = df["value"].astype("string")
    df["complaints"] = df["complaints"].astype("int64")
    df["share"] = df["share"].astype("float64")
    df["closed_share"] = df["closed_share"].astype("float64")
    return df


@reads("complaints")
def complaint_count(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> int:
    """How many complaints the filter selects (the drill-down's total)."""
    where, params = filters.where()
    return int(con.execute(f"SELECT count(*) FROM complaints WHERE {where}", params).fetchone()[0])


@reads("complaints", "matters")
def matter_count(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> int:
    """How many matters (事项, analytics.matters) the filter's complaints are: the drill-down's total
    told both ways. A read of its own, so a complaints-only total stays cached across a re-link."""
    where, params = filters.where("c")
    return int(
        con.execute(
            f"""SELECT count(DISTINCT coalesce(l.matter_id, c.id)) FROM complaints c
                LEFT JOIN matter_links l ON l.id = c.id WHERE {where}""",
            params,
        ).fetchone()[0]
    )


@reads("complaints")
def complaint_page(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, page: int = 1, page_size: int = 50
) -> pd.DataFrame:
    """Page ``page`` (1-based) of the filtered complaints, newest first, ``page_size`` rows at most.

    Text columns pass through personal-data masking once more (imports mask already; this guards
    data that reached the database some other way)."""
    page_size = int(np.clip(page_size, 1, MAX_PAGE_SIZE))
    offset = (max(int(page), 1) - 1) * page_size
    where, params = filters.where("c")
    select = ", ".join(f"{expr} AS {name}" for expr, name in _PAGE_COLUMNS)
    df = con.execute(
        f"SELECT {select} FROM complaints c WHERE {where}"
        " ORDER BY c.received_at DESC, c.id DESC LIMIT $limit OFFSET $offset",
        {**params, "limit": page_size, "offset": offset},
    ).df()
    for column in ("title", "content", "business"):
        df[column] = df[column].map(mask_personal_data, na_action="ignore").astype("string")
    return df


_DETAIL_COLUMNS = (
    "id", "complaint_id", "source", "received_at", "closed_at", "kind", "county", "town", "sector", "business",
    "title", "content", "result", "department", "amount", "batch_id",
)  # fmt: skip


@reads("complaints")
def complaint_detail(con: duckdb.DuckDBPyConnection, complaint: int) -> pd.DataFrame:
    """One complaint in full (by internal ``id``): every text column, personal data masked; empty if
    there is no such complaint."""
    df = con.execute(f"SELECT {', '.join(_DETAIL_COLUMNS)} FROM complaints WHERE id = $id", {"id": int(complaint)}).df()
    for column in ("title", "content", "result", "business"):
        df[column] = df[column].map(mask_personal_data, na_action="ignore").astype("string")
    return df
