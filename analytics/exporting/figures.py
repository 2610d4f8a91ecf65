"""Period aggregates the exports need besides hotspots and timeliness: headline figures, trend,
county and sector tables with 环比/同比 columns, most-complained businesses.

County and sector tables come from the distribution engine (the 分布 page's tables: 投诉量 and
事项 side by side), businesses from the businesses engine (``analytics.queries``), so that an export
shows exactly what the pages show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import duckdb
import pandas as pd

from analytics.errors import UserError
from analytics.matters import repeat_rates
from analytics.periods import Period
from analytics.profile import RegionProfile
from analytics.queries import businesses, distribution

Compare = tuple[Period | None, Period | None]  # (环比 period, 同比 period), None when not covered


def headline(con: duckdb.DuckDBPyConnection, period: Period) -> dict[str, float | int | None]:
    """Counts and rates of one period: total, matters (事项 of those complaints, counted here: the
    county and sector rows' 事项 may add up to more), per kind, closed, resolved, money, businesses,
    and 重复投诉率 (repeat_rate: matters with more than one complaint / matters, analytics.matters)."""
    where, params = period.filters().where("c")
    row = con.execute(
        f"""
        SELECT count(*) AS total,
               count(DISTINCT coalesce(l.matter_id, c.id)) AS matters,
               count(*) FILTER (WHERE kind = '投诉') AS complaints,
               count(*) FILTER (WHERE kind = '举报') AS reports,
               count(*) FILTER (WHERE kind NOT IN ('投诉', '举报')) AS enquiries,
               count(closed_at) AS closed,
               count(*) FILTER (WHERE resolved) AS resolved,
               count(resolved) AS resolved_known,
               coalesce(sum(amount), 0) AS amount,
               count(DISTINCT nullif(trim(business), '')) AS businesses
        FROM complaints c LEFT JOIN matter_links l ON l.id = c.id WHERE {where}
        """,
        params,
    ).fetchone()
    names = ["total", "matters", "complaints", "reports", "enquiries", "closed", "resolved", "resolved_known", "amount"]
    out: dict[str, float | int | None] = dict(zip([*names, "businesses"], row, strict=True))
    out["closed_rate"] = out["closed"] / out["total"] if out["total"] else None
    out["resolved_rate"] = out["resolved"] / out["resolved_known"] if out["resolved_known"] else None
    repeats = repeat_rates(con, "all", period.filters())
    out["repeat_rate"] = float(repeats["repeat_rate"].iloc[0]) if len(repeats) else None
    return out


def county_table(con: duckdb.DuckDBPyConnection, period: Period, compare: Compare) -> pd.DataFrame:
    """county, count (件次), matters (事项), per_10k (complaints per 10,000 residents), previous,
    last_year (件次: 环比 and 同比 compare complaints), most complaints first."""

    def counts(p: Period) -> pd.Series:
        return distribution.county_rates(con, p.filters()).set_index("county")["complaints"]

    now = distribution.county_rates(con, period.filters())
    out = pd.DataFrame(
        {
            "county": now["county"],
            "count": now["complaints"],
            "matters": now["matters"],
            "per_10k": now["per_10k"].astype("float64").round(2),
        }
    )
    out = _with_comparisons(out, "county", counts, compare)
    return out[out["count"] > 0].sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


def sector_table(
    con: duckdb.DuckDBPyConnection, period: Period, compare: Compare, profile: RegionProfile
) -> pd.DataFrame:
    """sector, regulator, count (件次), matters (事项), share (of complaints), previous, last_year
    (件次), most complaints first."""

    def counts(p: Period) -> pd.Series:
        return distribution.sector_totals(con, p.filters()).set_index("sector")["complaints"]

    now = distribution.sector_totals(con, period.filters())
    out = pd.DataFrame(
        {
            "sector": now["sector"],
            "regulator": [profile.regulator_of(s) for s in now["sector"]],
            "count": now["complaints"],
            "matters": now["matters"],
            "share": now["share"],
        }
    )
    return _with_comparisons(out, "sector", counts, compare).reset_index(drop=True)


def top_businesses(con: duckdb.DuckDBPyConnection, period: Period, limit: int = 10) -> pd.DataFrame:
    """The businesses engine's most complained-about businesses of the period (rank, business,
    complaints, sector, county, resolution_rate, closed_rate …)."""
    return businesses.top_businesses(con, period.filters(), limit=limit)


def trend(con: duckdb.DuckDBPyConnection, period: Period, last_year: Period | None) -> pd.DataFrame:
    """Counts per bucket of the period beside the same bucket of the 同比 period.

    A year is cut into months, a quarter into weeks from its first day, a month or a holiday into
    days. Columns: ``bucket`` (0-based), ``label`` (Chinese), ``count``, ``last_year`` (NA without
    a 同比 period).
    """
    unit = bucket_unit(period)
    n_buckets = _n_buckets(period, unit)
    out = pd.DataFrame({"bucket": range(n_buckets)})
    out["label"] = [_bucket_label(period, unit, b) for b in out["bucket"]]
    for name, p in (("count", period), ("last_year", last_year)):
        if p is None:
            out[name] = pd.array([pd.NA] * len(out), dtype="Int64")
            continue
        where, params = p.filters().where()
        sql = f"SELECT {_bucket_sql(unit, n_buckets)} AS bucket, count(*) AS n FROM complaints WHERE {where}"
        counts = con.execute(sql + " GROUP BY bucket", {**params, "start": p.start}).df()
        by_bucket = dict(zip(counts["bucket"].astype("int64"), counts["n"].astype("int64"), strict=True))
        out[name] = out["bucket"].map(by_bucket).fillna(0).astype("Int64")
    return out


def bucket_unit(period: Period) -> str:
    if period.kind == "year" or period.days > 200:
        return "month"
    if period.kind == "quarter" or period.days > 62:
        return "week"
    return "day"


def safe_last_year(period: Period) -> Period | None:
    """The 同比 period, None for a holiday whose previous year has no dates in the calendar."""
    try:
        return period.last_year
    except UserError:
        return None


def _with_comparisons(
    out: pd.DataFrame, key: str, counts: Callable[[Period], pd.Series], compare: Compare
) -> pd.DataFrame:
    """Add ``previous`` and ``last_year`` counts (0 when absent; NA when there is no such period)."""
    for name, p in zip(("previous", "last_year"), compare, strict=True):
        if p is None:
            out[name] = pd.array([pd.NA] * len(out), dtype="Int64")
        else:
            out[name] = out[key].map(counts(p)).fillna(0).astype("Int64")
    return out


def _n_buckets(period: Period, unit: str) -> int:
    if unit == "month":
        return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    if unit == "week":  # a short remainder (< 4 days) joins the last week instead of making a dip
        return max(1, period.days // 7 + (period.days % 7 >= 4))
    return period.days


def _bucket_sql(unit: str, n_buckets: int) -> str:
    """A complaint's 0-based bucket counted from ``$start``, the period's first day."""
    if unit == "month":
        return (
            "(year(received_at) - year(CAST($start AS DATE))) * 12 + month(received_at) - month(CAST($start AS DATE))"
        )
    days = "datediff('day', CAST($start AS DATE), CAST(received_at AS DATE))"
    return f"least({days} // 7, {int(n_buckets) - 1})" if unit == "week" else days


def _bucket_label(period: Period, unit: str, bucket: int) -> str:
    if unit == "month":
        return f"{(period.start.month - 1 + bucket) % 12 + 1}月"
    if unit == "week":
        first = period.start + timedelta(days=7 * bucket)
        return f"{first.month}/{first.day}起"
    day: date = period.start + timedelta(days=bucket)
    return f"{day.month}/{day.day}"
