"""Everything an export shows, gathered once from the engine for one period (``ReportData``).

The builders (shortlist, deck, report) only format what is here, so the numbers in every file are
the engine's numbers. ``gather`` makes sure topics and hotspots are computed and current first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from analytics import timeliness
from analytics.errors import UserError
from analytics.exporting import figures
from analytics.exporting.hotspot_tables import empty_shortlist, shortlist_frames
from analytics.periods import Period
from analytics.profile import RegionProfile, load_profile
from analytics.queries.catalog import real_channels
from analytics.queries.provenance import Provenance, provenance

TARGET = timeliness.TARGET
NO_DATA_ZH = "数据库中没有投诉数据，请先导入。"


@dataclass
class ReportData:
    period: Period
    previous: Period | None  # 环比 period, None when the data do not cover it
    last_year: Period | None  # 同比 period, None when the data do not cover it
    region: str
    source: str  # data source line for chart titles
    provenance: Provenance  # demo or real rows in the period: 演示数据 on every title
    data_from: date | None
    data_to: date | None
    headline: dict[str, Any]  # figures.headline of the period
    headline_previous: dict[str, Any] | None
    headline_last_year: dict[str, Any] | None
    trend: pd.DataFrame  # figures.trend
    counties: pd.DataFrame  # figures.county_table
    sectors: pd.DataFrame  # figures.sector_table
    businesses: pd.DataFrame  # figures.top_businesses
    hotspots: pd.DataFrame  # hotspot_tables.SHORTLIST_COLUMNS (+ detail columns)
    members: pd.DataFrame  # hotspot_tables.MEMBER_COLUMNS
    on_time: dict[str, Any]  # timeliness.summary
    on_time_previous: dict[str, Any] | None
    on_time_last_year: dict[str, Any] | None
    on_time_counties: pd.DataFrame  # timeliness.rates(by="county")
    generated_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    @property
    def target(self) -> float:
        return TARGET

    @property
    def partial(self) -> bool:
        """True when the data end before the period does (the period is not complete yet)."""
        return self.data_to is not None and self.data_to < self.period.end


def gather(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    *,
    profile: RegionProfile | None = None,
    top: int = 10,
    prepare: bool = False,
    with_hotspots: bool = True,
) -> ReportData:
    """Collect the period's numbers. With ``prepare`` the topics and hotspots are brought up to date
    first (reused when already current); without it, only what is already stored is read.
    ``with_hotspots=False`` leaves the hotspot tables empty (a report without the topic model)."""
    profile = profile or load_profile()
    first, last = check_period(con, period)
    # For a year the previous period is last year: report it once, as 同比.
    previous = None if period.kind == "year" else _covered(period.previous, first, last)
    last_year = _covered(figures.safe_last_year(period), first, last)
    if with_hotspots:
        shortlist, members = shortlist_frames(con, period, top=top, prepare=prepare)
    else:
        shortlist, members = empty_shortlist()
    where_filters = period.filters()
    return ReportData(
        period=period,
        previous=previous,
        last_year=last_year,
        region=profile.name,
        source=source_line(con, profile, period),
        provenance=provenance(con, where_filters),
        data_from=first,
        data_to=last,
        headline=figures.headline(con, period),
        headline_previous=figures.headline(con, previous) if previous else None,
        headline_last_year=figures.headline(con, last_year) if last_year else None,
        trend=figures.trend(con, period, last_year),
        counties=figures.county_table(con, period, (previous, last_year)),
        sectors=figures.sector_table(con, period, (previous, last_year), profile),
        businesses=figures.top_businesses(con, period, limit=top),
        hotspots=shortlist,
        members=members,
        on_time=timeliness.summary(con, where_filters),
        on_time_previous=timeliness.summary(con, previous.filters()) if previous else None,
        on_time_last_year=timeliness.summary(con, last_year.filters()) if last_year else None,
        on_time_counties=timeliness.rates(con, by="county", filters=where_filters),
    )


def check_period(con: duckdb.DuckDBPyConnection, period: Period) -> tuple[date, date]:
    """The data's first and last day; UserError when there are no complaints in the period."""
    first, last = con.execute("SELECT min(received_at)::DATE, max(received_at)::DATE FROM complaints").fetchone()
    if first is None:
        raise UserError("The database holds no complaints; import or build the demo first.", zh=NO_DATA_ZH)
    if period.end < first or period.start > last:
        raise UserError(
            f"No complaints in {period.key} ({period.span}); the data cover {first} .. {last}",
            zh=f"{period.label}（{period.span}）没有数据；数据范围为 {first} 至 {last}",
        )
    return first, last


def source_line(
    con: duckdb.DuckDBPyConnection, profile: RegionProfile | None = None, period: Period | None = None
) -> str:
    """清远市 12345、12315 投诉举报数据: the data source named on every chart and table; the demo's
    rows are named as 演示数据 (see :mod:`analytics.queries.provenance`)."""
    profile = profile or load_profile()
    filters = period.filters() if period else None
    # A period with no real rows names no channel (not a blank between the name and 投诉举报数据).
    real = " ".join(part for part in (profile.name, real_channels(con, filters), "投诉举报数据") if part)
    return provenance(con, filters).source(real)


def _covered(period: Period | None, first: date, last: date) -> Period | None:
    """The comparison period when the data cover all of it, else None (no misleading 0)."""
    if period is None or period.start < first or period.end > last:
        return None
    return period
