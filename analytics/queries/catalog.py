"""What the database holds, for the filter bar and the frame: date span, filter options, demo or not.

Each function takes a DuckDB connection (or cursor) first and returns a small DataFrame, so the UI
can cache it with ``ui.cache.frame`` like every other query.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analytics.filters import Filters
from analytics.ingest.pipeline import DEFAULT_SOURCE
from analytics.profile import load_profile
from analytics.queries.provenance import DEMO_BATCH_SOURCE, provenance
from analytics.schema import FILTER_DIMENSIONS
from analytics.store.stages import reads

KIND_ORDER = ("咨询", "求助", "建议", "投诉", "举报", "其他")
SOURCE_ORDER = ("12345", "12315", "消委会")
# An import whose channel nobody named (DEFAULT_SOURCE), as chart titles and reports name it.
UNNAMED_SOURCE_LABEL = "未注明渠道"


@reads("complaints")
def data_span(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row: ``first`` and ``last`` received date (NaT when empty) and the number of ``complaints``."""
    return con.execute(
        "SELECT CAST(min(received_at) AS DATE) AS first, CAST(max(received_at) AS DATE) AS last,"
        " count(*) AS complaints FROM complaints"
    ).df()


def default_period(first: date | None, last: date | None) -> tuple[date | None, date | None]:
    """The period every view starts with: the last full calendar year of data, else all data.

    A year counts as full when the data starts on or before 31 January and reaches 1 December of it
    (exports rarely start on 1 January or end on 31 December exactly). With no such year, the
    default is all data: ``(None, None)``.
    """
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return None, None
    first, last = pd.Timestamp(first).date(), pd.Timestamp(last).date()  # DataFrame cells are Timestamps
    year = last.year if last >= date(last.year, 12, 1) else last.year - 1
    if first > date(year, 1, 31):
        return None, None
    return date(year, 1, 1), date(year, 12, 31)


def default_year(first: date, last: date) -> int:
    """The year a yearly view (热点) opens on: the default period's year; with no full year of data,
    the year holding most days of the data (ties: the later). An export of 2019-03-01 to 2020-01-08
    opens on 2019, not on eight days of 2020 set against a whole year."""
    start, _ = default_period(first, last)
    if start is not None:
        return start.year
    first, last = pd.Timestamp(first).date(), pd.Timestamp(last).date()
    days = {
        year: (min(last, date(year, 12, 31)) - max(first, date(year, 1, 1))).days + 1
        for year in range(first.year, last.year + 1)
    }
    return max(days, key=lambda year: (days[year], year))


@reads("complaints")
def filter_options(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Long table ``dimension, value, complaints`` of every value the filter bar can offer.

    ``dimension`` is a :class:`~analytics.filters.Filters` field name. Values come in a stable,
    meaningful order: the profile's counties and sectors, the fixed kinds and channels, then any
    other value found in the data by frequency. Profile values with no complaints are offered too.
    """
    profile = load_profile()
    preferred = {
        "counties": list(profile.county_names),
        "sectors": list(profile.sector_names),
        "kinds": list(KIND_ORDER),
        "sources": list(SOURCE_ORDER),
    }
    # One scan for all four dimensions: GROUPING SETS keeps the work inside DuckDB.
    found = con.execute(
        """
        SELECT county, sector, kind, source, count(*) AS complaints
        FROM complaints
        GROUP BY GROUPING SETS ((county), (sector), (kind), (source))
        """
    ).df()
    frames = []
    for dimension, column in FILTER_DIMENSIONS.items():
        counts = found.loc[found[column].notna(), [column, "complaints"]]
        counts = dict(zip(counts[column].astype(str), counts["complaints"].astype("int64"), strict=True))
        extra = sorted((v for v in counts if v not in preferred[dimension]), key=lambda v: (-counts[v], v))
        values = [v for v in preferred[dimension] if v in counts or dimension in ("counties", "sectors")] + extra
        frames.append(
            pd.DataFrame(
                {
                    "dimension": dimension,
                    "value": pd.Series(values, dtype="string"),
                    "complaints": pd.Series([counts.get(v, 0) for v in values], dtype="int64"),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def real_channels(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> str:
    """The channels of the real (imported) complaints ``filters`` select, as a 数据来源 names them:
    "12315、12345", an import with no channel named as 未注明渠道; "" when there are none."""
    where, params = (filters or Filters()).where("c")
    (channels,) = con.execute(
        f"""
        SELECT string_agg(name, '、' ORDER BY name) FROM (
            SELECT DISTINCT CASE WHEN c.source = $unnamed THEN $unnamed_label ELSE c.source END AS name
            FROM complaints c LEFT JOIN batches b USING (batch_id)
            WHERE {where} AND b.source IS DISTINCT FROM $demo
        )
        """,
        {**params, "unnamed": DEFAULT_SOURCE, "unnamed_label": UNNAMED_SOURCE_LABEL, "demo": DEMO_BATCH_SOURCE},
    ).fetchone()
    return channels or ""


@reads("complaints")
def dataset_label(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """One row for the complaints ``filters`` select (all without): ``is_demo`` (any of them comes
    from the demo generator, see :mod:`analytics.queries.provenance`) and ``source``, the data source
    named in chart titles (the real rows' channels, :func:`real_channels`)."""
    found = provenance(con, filters)
    channels = real_channels(con, filters)
    real = f"{channels} 导出数据" if channels else "无数据"
    return pd.DataFrame({"is_demo": [found.has_demo], "source": pd.Series([found.source(real)], dtype="string")})
