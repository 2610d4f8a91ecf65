"""Businesses complained about: the most complained per sector/county, their resolution rates,
repeat offenders and the issues their complaints concentrate on.

``resolution_rate`` is resolved / complaints whose outcome is known (``resolved`` is NULL when the
export does not say); ``closed_rate`` is closed / all complaints. Complaints that name no business
are left out of every table here. Issues come from curated topic labels when topics have been
computed, else from the most frequent words of the titles (``analytics.queries.business_issues``).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from analytics.errors import UserError
from analytics.filters import Filters
from analytics.queries import UNKNOWN
from analytics.store.stages import reads

ALL = Filters()
GROUPS = {"sector": "sector", "county": "county"}  # group_by value -> checked column


def _base(filters: Filters) -> tuple[str, dict[str, Any]]:
    """Filtered complaints that name a business, with the business name trimmed and the matter
    (事项, analytics.matters) each belongs to (a complaint not linked yet is its own)."""
    where, params = filters.where("c")
    sql = f"""
        SELECT c.id, trim(c.business) AS business, coalesce(nullif(c.sector, ''), '{UNKNOWN}') AS sector,
               coalesce(nullif(c.county, ''), '{UNKNOWN}') AS county, c.received_at, c.closed_at,
               c.resolved, c.title, coalesce(l.matter_id, c.id) AS matter
        FROM complaints c LEFT JOIN matter_links l ON l.id = c.id
        WHERE {where} AND c.business IS NOT NULL AND trim(c.business) <> ''
    """
    return sql, params


def _most_common(column: str, keys: str) -> str:
    """SQL over ``base``: per ``keys``, the ``column`` value of the most complaints, a tie going to the
    first in name order. DuckDB's mode() breaks ties arbitrarily: a business with as many complaints
    in two counties could show either, and change from one query to the next."""
    return f"""SELECT {keys}, arg_min({column}, (-n, {column})) AS {column}
               FROM (SELECT {keys}, {column}, count(*) AS n FROM base GROUP BY ALL) GROUP BY ALL"""


def _group_column(group_by: str | None) -> str | None:
    if group_by is None or group_by == "":
        return None
    if group_by not in GROUPS:
        raise UserError(f"Unknown grouping {group_by!r}", zh=f"不支持的分组：{group_by}")
    return GROUPS[group_by]


@reads("complaints", "matters")
def top_businesses(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    group_by: str | None = None,
    limit: int = 20,
    min_complaints: int = 1,
) -> pd.DataFrame:
    """The ``limit`` most complained-about businesses overall, or within each sector/county.

    Columns: [group], rank, business, complaints (件次), matters (事项: one case reported again or on
    several channels counts once), share (of the group's business complaints),
    resolved, resolved_known, resolution_rate, closed, closed_rate, sector/county (the most common
    one), months (distinct months with complaints), first_at, last_at.
    """
    group = _group_column(group_by)
    base, params = _base(filters)
    part = f"PARTITION BY {group}" if group else ""
    select_group = f"{group}, " if group else ""
    # the business's main sector/county (within its group): the group's own column is not repeated
    mains = [column for column in ("sector", "county") if column != group]
    keys = f"{select_group}business"
    df = con.execute(
        f"""
        WITH base AS ({base}),
        {"".join(f"main_{column} AS ({_most_common(column, keys)})," for column in mains)}
        agg AS (
            SELECT {select_group} business,
                   count(*) AS complaints,
                   count(DISTINCT matter) AS matters,
                   count(*) FILTER (WHERE resolved) AS resolved,
                   count(resolved) AS resolved_known,
                   count(closed_at) AS closed,
                   count(DISTINCT date_trunc('month', received_at)) AS months,
                   min(received_at) AS first_at, max(received_at) AS last_at
            FROM base GROUP BY ALL
        )
        SELECT row_number() OVER ({part} ORDER BY complaints DESC, business) AS rank, agg.*,
               {"".join(f"main_{column}.{column} AS main_{column}, " for column in mains)}
               complaints / sum(complaints) OVER ({part}) AS share
        FROM agg {"".join(f" JOIN main_{column} USING ({keys})" for column in mains)}
        WHERE complaints >= $min_complaints
        QUALIFY rank <= $limit
        ORDER BY {select_group} rank
        """,
        {**params, "min_complaints": int(min_complaints), "limit": int(limit)},
    ).df()
    df = df.rename(columns={"main_sector": "sector", "main_county": "county"})
    return _rates(df)


def _rates(df: pd.DataFrame) -> pd.DataFrame:
    for col in ("complaints", "matters", "resolved", "resolved_known", "closed", "months", "rank"):
        if col in df:
            df[col] = df[col].astype("int64")
    known = df["resolved_known"].where(df["resolved_known"] > 0)
    df["resolution_rate"] = (df["resolved"] / known).astype("float64")
    df["closed_rate"] = (df["closed"] / df["complaints"]).astype("float64")
    return df.reset_index(drop=True)


@reads("complaints", "matters")
def business_monthly(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, businesses: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Complaints per business and month (months without complaints are absent): business, month,
    complaints. With no ``businesses``, every business."""
    base, params = _base(filters)
    extra = ""
    if businesses:
        extra = "WHERE list_contains($businesses, business)"
        params = {**params, "businesses": list(businesses)}
    df = con.execute(
        f"""
        WITH base AS ({base})
        SELECT business, CAST(date_trunc('month', received_at) AS DATE) AS month, count(*) AS complaints
        FROM base {extra} GROUP BY ALL ORDER BY business, month
        """,
        params,
    ).df()
    df["complaints"] = df["complaints"].astype("int64")
    return df


@reads("complaints", "matters")
def repeat_offenders(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    min_months: int = 3,
    quiet_months: int = 3,
    limit: int = 50,
) -> pd.DataFrame:
    """Businesses complained about in at least ``min_months`` distinct months, or complained about
    again after ``quiet_months`` or more months without any complaint.

    Columns: business, complaints (件次), matters (事项, as in top_businesses), months, first_month,
    last_month, longest_gap (months without complaints between two active months), returned (bool),
    returned_month (the latest month complaints came back after a quiet period), returned_gap (that
    quiet period), sector, county, resolution_rate, closed_rate, reason (Chinese, for the table).
    """
    base, params = _base(filters)
    df = con.execute(
        f"""
        WITH base AS ({base}),
        monthly AS (
            SELECT business, CAST(date_trunc('month', received_at) AS DATE) AS month, count(*) AS n
            FROM base GROUP BY ALL
        ),
        gaps AS (
            SELECT *, datediff('month', lag(month) OVER (PARTITION BY business ORDER BY month), month) - 1
                   AS gap
            FROM monthly
        ),
        per AS (
            SELECT business, count(*) AS months, min(month) AS first_month, max(month) AS last_month,
                   coalesce(max(gap), 0) AS longest_gap,
                   max(month) FILTER (WHERE gap >= $quiet_months) AS returned_month,
                   arg_max(gap, month) FILTER (WHERE gap >= $quiet_months) AS returned_gap
            FROM gaps GROUP BY business
        ),
        stats AS (
            SELECT business, count(*) AS complaints, count(DISTINCT matter) AS matters,
                   count(*) FILTER (WHERE resolved) AS resolved,
                   count(resolved) AS resolved_known, count(closed_at) AS closed
            FROM base GROUP BY business
        ),
        sectors AS ({_most_common("sector", "business")}),
        counties AS ({_most_common("county", "business")})
        SELECT per.*, returned_month IS NOT NULL AS returned, stats.* EXCLUDE (business), sectors.sector,
               counties.county
        FROM per JOIN stats USING (business) JOIN sectors USING (business) JOIN counties USING (business)
        WHERE months >= $min_months OR returned_month IS NOT NULL
        ORDER BY months DESC, complaints DESC, business
        LIMIT $limit
        """,
        {**params, "quiet_months": int(quiet_months), "min_months": int(min_months), "limit": int(limit)},
    ).df()
    df["longest_gap"] = df["longest_gap"].astype("int64")
    df = _rates(df)
    df["reason"] = [_reason(r, min_months) for r in df.itertuples()]
    return df


def _reason(row, min_months: int) -> str:
    parts = []
    if row.months >= min_months:
        parts.append(f"{row.months}个月被投诉")
    if row.returned:
        month = pd.Timestamp(row.returned_month)
        parts.append(f"沉寂{int(row.returned_gap)}个月后于{month.year}年{month.month}月再被投诉")
    return "；".join(parts)
