"""The 总览 page's numbers: KPIs, monthly trend by channel, top sectors, complaints per county.

Every function takes a DuckDB connection (or cursor) and a :class:`Filters`, aggregates in DuckDB
with values bound by name, and returns a tidy long DataFrame.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from analytics.filters import Filters
from analytics.profile import load_profile
from analytics.queries import UNKNOWN
from analytics.store.stages import reads

ALL = Filters()  # no filter: every complaint
PER = 10_000  # county rates are complaints per 10,000 residents


def _totals(con: duckdb.DuckDBPyConnection, filters: Filters) -> tuple[int, int, int]:
    """Complaints (件次), closed complaints and matters (事项, a complaint not linked yet is its own)."""
    where, params = filters.where()
    n, closed, matters = con.execute(
        f"""SELECT count(*), count(closed_at), count(DISTINCT coalesce(l.matter_id, c.id))
            FROM (SELECT id, closed_at FROM complaints WHERE {where}) c LEFT JOIN matter_links l ON l.id = c.id""",
        params,
    ).fetchone()
    return int(n), int(closed or 0), int(matters)


@reads("complaints", "matters")
def kpis(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> pd.DataFrame:
    """Rows ``metric`` in (complaints, matters, closure_share) with ``value``, ``previous`` (same
    period one year earlier) and ``change`` (relative, value / previous - 1).

    ``matters`` counts 事项 (analytics.matters): one case reported again or on several channels once.

    ``closure_share`` is the share of the period's complaints that are closed (closed_at set).
    Without a start date there is no "same period last year": previous and change are NaN.
    """
    n, closed, m = _totals(con, filters)
    has_previous = filters.date_from is not None
    if has_previous:
        pn, pclosed, pm = _totals(con, filters.same_period_last_year())
    else:
        pn, pclosed, pm = 0, 0, 0
    share = closed / n if n else np.nan
    pshare = pclosed / pn if pn else np.nan
    value = [float(n), float(m), share]
    previous = [float(pn), float(pm), pshare] if has_previous else [np.nan, np.nan, np.nan]
    change = [
        n / pn - 1 if has_previous and pn else np.nan,
        m / pm - 1 if has_previous and pm else np.nan,
        share - pshare if has_previous and n and pn else np.nan,  # closure share: percentage points
    ]
    return pd.DataFrame(
        {
            "metric": pd.Series(["complaints", "matters", "closure_share"], dtype="string"),
            "value": pd.Series(value, dtype="float64"),
            "previous": pd.Series(previous, dtype="float64"),
            "change": pd.Series(change, dtype="float64"),
        }
    )


@reads("complaints")
def monthly_by_source(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> pd.DataFrame:
    """``month`` (first day, datetime), ``source``, ``complaints``: one row per month and channel with
    complaints (months with none for a channel are filled with 0 so lines do not skip)."""
    where, params = filters.where()
    df = con.execute(
        f"""
        WITH counts AS (
            SELECT CAST(date_trunc('month', received_at) AS DATE) AS month,
                   coalesce(nullif(source, ''), $unknown) AS source, count(*) AS complaints
            FROM complaints WHERE {where} GROUP BY ALL
        ),
        months AS (
            SELECT CAST(unnest(generate_series(min(month), max(month), INTERVAL 1 MONTH)) AS DATE) AS month
            FROM counts
        )
        SELECT m.month, s.source, coalesce(c.complaints, 0) AS complaints
        FROM months m CROSS JOIN (SELECT DISTINCT source FROM counts) s
        LEFT JOIN counts c ON c.month = m.month AND c.source = s.source
        ORDER BY m.month, s.source
        """,
        {**params, "unknown": UNKNOWN},
    ).df()
    df["month"] = pd.to_datetime(df["month"])
    df["complaints"] = df["complaints"].astype("int64")
    return df


@reads("complaints")
def top_sectors(con: duckdb.DuckDBPyConnection, filters: Filters = ALL, limit: int = 10) -> pd.DataFrame:
    """The ``limit`` sectors with most complaints: ``sector``, ``complaints``, ``share`` of all
    complaints in the filter, ``rank`` (1 = most)."""
    where, params = filters.where()
    df = con.execute(
        f"""
        SELECT coalesce(nullif(sector, ''), $unknown) AS sector, count(*) AS complaints,
               count(*) / sum(count(*)) OVER () AS share
        FROM complaints WHERE {where}
        GROUP BY ALL ORDER BY complaints DESC, sector LIMIT $limit
        """,
        {**params, "unknown": UNKNOWN, "limit": int(limit)},
    ).df()
    df["complaints"] = df["complaints"].astype("int64")
    df["share"] = df["share"].astype("float64")
    df["rank"] = np.arange(1, len(df) + 1, dtype="int64")
    return df


@reads("complaints")
def county_counts(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> pd.DataFrame:
    """``county``, ``complaints``, ``population`` and ``per_10k`` (complaints per 10,000 residents,
    populations from the region profile). Every profile county appears (0 when it has none, in the
    profile's order); counties outside the profile and 未注明 follow without a rate."""
    where, params = filters.where()
    counts = con.execute(
        f"SELECT coalesce(nullif(county, ''), $unknown) AS county, count(*) AS complaints "
        f"FROM complaints WHERE {where} GROUP BY ALL ORDER BY complaints DESC, county",
        {**params, "unknown": UNKNOWN},
    ).df()
    profile = load_profile()
    pops = pd.DataFrame(
        {
            "county": pd.Series(profile.county_names, dtype="string"),
            "population": pd.Series([c.population or np.nan for c in profile.counties], dtype="float64"),
        }
    )
    counts["county"] = counts["county"].astype("string")
    extra = counts[~counts["county"].isin(pops["county"])]
    out = pd.concat([pops.merge(counts, on="county", how="left"), extra], ignore_index=True)
    out["complaints"] = out["complaints"].fillna(0).astype("int64")
    out["per_10k"] = out["complaints"] / out["population"] * PER
    return out[["county", "complaints", "population", "per_10k"]]
