"""Hotspot rankings as files: ``hotspots --export`` and the 热点 page's downloads.

The tables and the writer are the export module's (:mod:`analytics.exporting.hotspot_tables`,
:mod:`analytics.exporting.shortlist`), so every file has the same columns and masking. Each kind has
its own name: the 热点 page's 热点问题表 is built by :func:`analytics.exporting.build.hotspot_table`,
the same call as the 导出 page's, so both give the same file for the same period; a whole ranking
(the page's weights, or ``hotspots --export``) is a 热点排名表, event hotspots a 热点事件表. A .csv
holds the table; its member complaints go to a second file ``<name>_明细.csv`` next to it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from analytics.errors import UserError
from analytics.exporting import shortlist
from analytics.exporting.build import hotspot_table
from analytics.exporting.data import source_line
from analytics.exporting.hotspot_tables import export_period, hotspot_frames
from analytics.hotspots.events import EVENTS_SHOWN, rank_events
from analytics.hotspots.ranking import IssueRanking, rank_issues
from analytics.hotspots.report import event_hotspots, issue_hotspots
from analytics.hotspots.scoring import load_weights
from analytics.periods import Period, window_period, year_period
from analytics.queries.provenance import provenance
from analytics.store.stages import reads

SHEET_SUMMARY = shortlist.RANKING.table
SHEET_DETAIL = shortlist.RANKING.members
FORMATS = (".xlsx", ".csv")
Level = Literal["issue", "event"]


def write_export(
    con: duckdb.DuckDBPyConnection,
    hotspots: tuple[pd.DataFrame, pd.DataFrame],
    level: Level,
    period: Period | None,
    path: Path,
) -> list[Path]:
    """Write ranked hotspots and their members (``analytics.hotspots.report.issue_hotspots`` /
    ``event_hotspots``) to ``path``; returns the files written."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(f"Export file must end in .xlsx or .csv: {path}", zh=f"导出文件须为 .xlsx 或 .csv：{path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        path.write_bytes(export_bytes(con, hotspots, level, period, "xlsx"))
        return [path]
    period = period or _no_data()
    table, members = hotspot_frames(*hotspots, level, period.label)
    found = provenance(con, period.filters())
    detail_path = path.with_name(f"{path.stem}_明细.csv")
    path.write_bytes(shortlist.build_csv(table, found))
    detail_path.write_bytes(shortlist.build_members_csv(members, found))
    return [path, detail_path]


def export_bytes(
    con: duckdb.DuckDBPyConnection,
    hotspots: tuple[pd.DataFrame, pd.DataFrame],
    level: Level,
    period: Period | None,
    fmt: str,
    weights: tuple[tuple[str, float], ...] | None = None,
) -> bytes:
    """Ranked hotspots and their members (as for :func:`write_export`) as a 热点排名表 (issues) or
    热点事件表 (events): ``xlsx`` (all sheets) or ``csv`` (the table)."""
    if fmt not in ("xlsx", "csv"):
        raise UserError(f"Unknown export format {fmt!r}", zh=f"未知的导出格式：{fmt}")
    period = period or _no_data()
    table, members = hotspot_frames(*hotspots, level, period.label)
    found = provenance(con, period.filters())
    if fmt == "csv":
        return shortlist.build_csv(table, found)
    names = shortlist.EVENTS if level == "event" else shortlist.RANKING
    source = source_line(con, period=period)
    return shortlist.build_xlsx(table, members, period, source=source, provenance=found, names=names, weights=weights)


def ranking_period(ranking: IssueRanking | pd.DataFrame) -> Period | None:
    """The period of an issue ranking or of ranked events, as an export period."""
    if isinstance(ranking, IssueRanking):
        return export_period(ranking.period.start, ranking.period.end) if ranking.period else None
    if ranking.empty:
        return None
    return export_period(ranking["period_from"].iloc[0], ranking["period_to"].iloc[0])


def page_period(year: int | None, date_from: date | None, date_to: date | None, span: tuple[date, date]) -> Period:
    """The 热点 page's period as an export period: a calendar year, or the filter bar's window
    (open ends filled from the data's ``span``)."""
    if year is not None:
        return year_period(year)
    return window_period(date_from or span[0], date_to or span[1])


def adjusted(weights: tuple[tuple[str, float], ...] | None) -> tuple[tuple[str, float], ...] | None:
    """``weights`` when they differ from the defaults, else None (a default ranking is the 导出 one)."""
    if weights is None:
        return None
    defaults = {name: w.weight for name, w in load_weights().items()}
    return None if {k: float(v) for k, v in weights} == defaults else weights


@reads("complaints", "topics", "matters")
def shortlist_download(
    con: duckdb.DuckDBPyConnection, period: Period, weights: tuple[tuple[str, float], ...] | None, fmt: str
) -> bytes:
    """热点问题表 of the 热点 page: the same file as the 导出 page's for the same period (the page's
    weights, when adjusted, are used and written in 说明)."""
    return hotspot_table(con, period, fmt, weights=adjusted(weights))


@reads("complaints", "topics", "matters")
def ranking_download(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    weights: tuple[tuple[str, float], ...] | None,
    fmt: str,
    level: Level = "issue",
) -> bytes:
    """The whole ranking of ``period`` (热点排名表, the page's weights) or its event hotspots (热点事件表)."""
    if level == "event":
        events = rank_events(con, date_from=period.start, date_to=period.end, top=EVENTS_SHOWN)
        return export_bytes(con, event_hotspots(con, events), "event", ranking_period(events), fmt)
    weights = adjusted(weights)
    ranking = rank_issues(con, date_from=period.start, date_to=period.end, weights=weights)
    return export_bytes(con, issue_hotspots(con, ranking), "issue", ranking_period(ranking), fmt, weights)


def _no_data() -> Period:
    today = date.today()
    return window_period(today, today, "（无数据）")
