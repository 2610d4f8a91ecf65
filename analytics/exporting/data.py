"""Everything an export shows, gathered once from the engine for one period (``ReportData``).

The builders (shortlist, deck, report) only format what is here, so the numbers in every file are
the engine's numbers. ``gather`` makes sure topics and hotspots are computed and current first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import pandas as pd

from analytics import hotspots, timeliness
from analytics.errors import UserError
from analytics.exporting import figures
from analytics.exporting.periods import Period
from analytics.ingest.pii import mask_personal_data
from analytics.profile import RegionProfile, load_profile

TARGET = timeliness.TARGET
NO_DATA_ZH = "数据库中没有投诉数据，请先导入。"
NO_TOPICS_ZH = "尚未计算话题，请先计算话题。"
# Columns of the shortlist (热点问题表) and of its members (热点问题明细表), with their Chinese headers.
SHORTLIST_COLUMNS = {
    "rank": "排名",
    "label": "热点问题",
    "score": "热度得分",
    "period": "时段",
    "count": "投诉量",
    "last_year": "去年同期",
    "counties": "涉及区县",
    "sectors": "涉及行业",
    "regulator": "监管部门",
    "keywords": "关键词",
    "shortlisted": "列入短名单",
    "why": "排名理由",
}
MEMBER_COLUMNS = {
    "rank": "热点排名",
    "label": "热点问题",
    "complaint_id": "编号",
    "received_at": "受理时间",
    "source": "渠道",
    "kind": "类型",
    "county": "区县",
    "sector": "行业",
    "business": "被投诉经营者",
    "title": "标题",
    "content": "内容（已脱敏）",
    "closed_at": "办结时间",
}


@dataclass
class ReportData:
    period: Period
    previous: Period | None  # 环比 period, None when the data do not cover it
    last_year: Period | None  # 同比 period, None when the data do not cover it
    region: str
    source: str  # data source line for chart titles
    data_from: date | None
    data_to: date | None
    headline: dict[str, Any]  # figures.headline of the period
    headline_previous: dict[str, Any] | None
    headline_last_year: dict[str, Any] | None
    trend: pd.DataFrame  # figures.trend
    counties: pd.DataFrame  # figures.county_table
    sectors: pd.DataFrame  # figures.sector_table
    businesses: pd.DataFrame  # figures.top_businesses
    hotspots: pd.DataFrame  # SHORTLIST_COLUMNS
    members: pd.DataFrame  # MEMBER_COLUMNS
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
    prepare: bool = True,
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
        source=source_line(con, profile),
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


def source_line(con: duckdb.DuckDBPyConnection, profile: RegionProfile | None = None) -> str:
    """清远市 12345、12315 投诉举报数据: the data source named on every chart and table."""
    profile = profile or load_profile()
    sources = [r[0] for r in con.execute("SELECT DISTINCT source FROM complaints ORDER BY 1").fetchall()]
    return f"{profile.name} {'、'.join(str(s) for s in sources)} 投诉举报数据"


def shortlist_frames(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    *,
    top: int = 10,
    prepare: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The period's ``top`` ranked hotspot issues (SHORTLIST_COLUMNS plus ``shortlisted``, ``why``,
    ``topic_id``) and their member complaints (MEMBER_COLUMNS), personal data masked.

    With ``prepare`` the hotspot engine brings the topic run up to date (reusing a current one);
    without it the latest stored run is used as it is.
    """
    run_id = None if prepare else _latest_run(con, period)
    ranking = hotspots.rank_issues(con, date_from=period.start, date_to=period.end, run_id=run_id)
    head = ranking.ranking.head(top)
    if head.empty or ranking.period is None:
        return empty_shortlist()
    parts = ranking.breakdowns
    # The engine's growth needs the whole previous-year window in the data; otherwise no 去年同期.
    prev_ok = bool(head["prev_available"].iloc[0])
    shortlist = pd.DataFrame(
        {
            "rank": head["rank"].astype("int64"),
            "label": head["label"],
            "score": [round(float(s), 1) for s in head["score"]],  # Python rounding, as displayed
            "period": period.label,
            "count": head["size"].astype("int64"),
            "last_year": head["n_prev"].astype("Int64") if prev_ok else pd.array([pd.NA] * len(head), "Int64"),
            "counties": [_top_values(parts, t, "county") for t in head["topic_id"]],
            "sectors": [_top_values(parts, t, "sector") for t in head["topic_id"]],
            "regulator": head["regulator"].fillna(""),
            "keywords": ["、".join(list(k)[:6]) if k is not None else "" for k in head["keywords"]],
            "shortlisted": head["shortlisted"].astype(bool),
            "why": head["why"],
            "topic_id": head["topic_id"].astype("int64"),
        }
    ).reset_index(drop=True)
    rows = hotspots.members(con, ranking.run_id, ranking.period, shortlist["topic_id"].tolist())
    rows = rows.merge(shortlist[["topic_id", "rank", "label"]], on="topic_id", how="inner")
    ids = rows["complaint_id"].drop_duplicates().tolist()
    detail = con.execute(
        "SELECT complaint_id, any_value(source) AS source, any_value(content) AS content FROM complaints"
        " WHERE list_contains(?, complaint_id) GROUP BY complaint_id",
        [ids],
    ).df()
    rows = rows.merge(detail, on="complaint_id", how="left")
    rows = rows.sort_values(["rank", "received_at", "complaint_id"], kind="stable")
    members = pd.DataFrame({c: rows.get(c, pd.NA) for c in MEMBER_COLUMNS}).reset_index(drop=True)
    for column in ("title", "content", "business"):
        members[column] = members[column].map(mask_text)
    return shortlist, members


def empty_shortlist() -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        pd.DataFrame(columns=[*SHORTLIST_COLUMNS, "shortlisted", "why", "topic_id"]),
        pd.DataFrame(columns=list(MEMBER_COLUMNS)),
    )


def _top_values(parts: pd.DataFrame, topic_id: int, dimension: str, n: int = 3) -> str:
    """清城区（120）、英德市（56）: the topic's top ``n`` values of a dimension with their counts."""
    sel = parts[(parts["topic_id"] == topic_id) & (parts["dimension"] == dimension)].sort_values("rank").head(n)
    return "、".join(f"{v}（{int(k)}）" for v, k in zip(sel["value"], sel["n"], strict=True))


def _latest_run(con: duckdb.DuckDBPyConnection, period: Period) -> str:
    """The newest stored run, preferring one that covers the period and the year before it (the
    window the hotspot engine asks for)."""
    rows = con.execute(
        """SELECT run_id FROM topic_runs
           ORDER BY (coalesce(period_from, DATE '0001-01-01') <= ? AND coalesce(period_to, DATE '9999-12-31') >= ?)
                    DESC, created_at DESC LIMIT 1""",
        [period.start - timedelta(days=365), period.end],
    ).fetchall()
    if not rows:
        raise UserError("No topics computed yet; run `python -m analytics topics` first.", zh=NO_TOPICS_ZH)
    return rows[0][0]


def mask_text(value: Any) -> Any:
    """Text with phone, ID and bank card numbers masked. Imports mask already; exports mask again so
    that nothing imported before masking existed can leak."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return value
    return mask_personal_data(str(value))


def _covered(period: Period | None, first: date, last: date) -> Period | None:
    """The comparison period when the data cover all of it, else None (no misleading 0)."""
    if period is None or period.start < first or period.end > last:
        return None
    return period
