"""Hotspot rankings as files: ``hotspots --export`` and the 热点 page's downloads.

The tables and the writer are the export module's (:mod:`analytics.exporting.hotspot_tables`,
:mod:`analytics.exporting.shortlist`), so a shortlist saved here has the same sheets, columns and
masking as one from the 导出 page; this module only adds the ranking's own choices (the page's
weights, the event level) and the file names. A .csv holds the shortlist; its member complaints go
to a second file ``<name>_明细.csv`` next to it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from analytics.errors import UserError
from analytics.exporting import shortlist
from analytics.exporting.data import source_line
from analytics.exporting.hotspot_tables import payload_frames, payload_period
from analytics.exporting.periods import Period, window_period
from analytics.queries.provenance import provenance

SHEET_SUMMARY = shortlist.SHEET_SHORTLIST
SHEET_DETAIL = shortlist.SHEET_MEMBERS
FORMATS = (".xlsx", ".csv")


def write_export(con: duckdb.DuckDBPyConnection, payload: dict[str, Any], path: Path) -> list[Path]:
    """Write the export; returns the files written."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(f"Export file must end in .xlsx or .csv: {path}", zh=f"导出文件须为 .xlsx 或 .csv：{path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        path.write_bytes(export_bytes(con, payload, "xlsx"))
        return [path]
    period = _period(payload)
    table, members = payload_frames(con, payload, period.label)
    found = provenance(con, period.filters())
    detail_path = path.with_name(f"{path.stem}_明细.csv")
    path.write_bytes(shortlist.build_csv(table, found))
    detail_path.write_bytes(shortlist.build_members_csv(members, found))
    return [path, detail_path]


def export_bytes(con: duckdb.DuckDBPyConnection, payload: dict[str, Any], fmt: str) -> bytes:
    """The export as bytes for a download button: ``xlsx`` (all sheets) or ``csv`` (the shortlist)."""
    if fmt not in ("xlsx", "csv"):
        raise UserError(f"Unknown export format {fmt!r}", zh=f"未知的导出格式：{fmt}")
    period = _period(payload)
    table, members = payload_frames(con, payload, period.label)
    found = provenance(con, period.filters())
    if fmt == "csv":
        return shortlist.build_csv(table, found)
    return shortlist.build_xlsx(table, members, period, source=source_line(con, period=period), provenance=found)


def shortlist_download(
    con: duckdb.DuckDBPyConnection,
    year: int | None,
    date_from: date | None,
    date_to: date | None,
    weights: tuple[tuple[str, float], ...] | None,
    fmt: str,
    level: str = "issue",
) -> bytes:
    """Rank and export in one call (hashable arguments, so the UI can cache the file)."""
    from analytics.hotspots.events import rank_events
    from analytics.hotspots.ranking import rank_issues
    from analytics.hotspots.report import events_payload, issues_payload

    if level == "event":
        payload = events_payload(con, rank_events(con, year=year, date_from=date_from, date_to=date_to, top=50))
    else:
        payload = issues_payload(
            con, rank_issues(con, year=year, date_from=date_from, date_to=date_to, weights=weights)
        )
    return export_bytes(con, payload, fmt)


def _period(payload: dict[str, Any]) -> Period:
    period = payload_period(payload)
    if period is not None:
        return period
    today = date.today()
    return window_period(today, today, "（无数据）")
