"""Write a hotspot ranking to .xlsx (sheets 热点问题表 and 热点问题明细表) or .csv (UTF-8 with BOM).

Every text cell passes through :func:`analytics.exporting.safe_cells.neutralise`, so a label or a
complaint title beginning with = + - @ cannot run as a formula in Excel or WPS. A .csv holds the
summary table; the member complaints go to a second file ``<name>_明细.csv`` next to it.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics.errors import UserError
from analytics.exporting.safe_cells import neutralise_frame

SHEET_SUMMARY = "热点问题表"
SHEET_DETAIL = "热点问题明细表"


def _names(items: list[dict[str, Any]], limit: int = 5) -> str:
    return "、".join(f"{i['name']}({i['count']})" for i in items[:limit])


def summary_frame(payload: dict[str, Any]) -> pd.DataFrame:
    """One row per hotspot with Chinese headers."""
    rows = []
    for h in payload["hotspots"]:
        change = h.get("change_on_last_year")
        rows.append(
            {
                "排名": h["rank"],
                "热点": h["label"],
                "得分": h["score"],
                "重点热点": "是" if h["shortlisted"] else "",
                "投诉量": h["size"],
                "上年同期": h.get("previous_size"),
                "同比变化": None if change is None else f"{100 * change:+.0f}%",
                "关键词": "、".join(h["keywords"]),
                "主要区县": _names(h["counties"]),
                "主要行业": _names(h["sectors"]),
                "主要经营者": _names(h["businesses"]),
                "主管部门": h.get("regulator"),
                "首次出现": h["first_seen"],
                "最近出现": h["last_seen"],
                "排名理由": h.get("why", ""),
                **{f"分项_{k}": v for k, v in h["components"].items()},
            }
        )
    return pd.DataFrame(rows)


def detail_frame(con: duckdb.DuckDBPyConnection, payload: dict[str, Any]) -> pd.DataFrame:
    """One row per member complaint of each hotspot (热点排名, 热点, 编号, 受理时间, 区县, 行业, 经营者, 标题)."""
    pairs = [(h["rank"], h["label"], cid) for h in payload["hotspots"] for cid in h["complaint_ids"]]
    links = pd.DataFrame(pairs, columns=["热点排名", "热点", "complaint_id"])
    if links.empty:
        return pd.DataFrame(columns=["热点排名", "热点", "编号", "受理时间", "区县", "行业", "经营者", "类型", "标题"])
    con.register("_hotspot_links", links[["complaint_id"]].drop_duplicates())
    try:
        info = con.execute(
            """SELECT c.complaint_id, c.received_at, c.county, c.sector, c.business, c.kind, c.title
               FROM complaints c JOIN _hotspot_links l USING (complaint_id)"""
        ).df()
    finally:
        con.unregister("_hotspot_links")
    info = info.drop_duplicates("complaint_id")
    out = links.merge(info, on="complaint_id", how="left")
    out = out.rename(
        columns={
            "complaint_id": "编号",
            "received_at": "受理时间",
            "county": "区县",
            "sector": "行业",
            "business": "经营者",
            "kind": "类型",
            "title": "标题",
        }
    )
    return out.sort_values(["热点排名", "受理时间"]).reset_index(drop=True)


def write_export(con: duckdb.DuckDBPyConnection, payload: dict[str, Any], path: Path) -> list[Path]:
    """Write the export; returns the files written."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UserError(f"Export file must end in .xlsx or .csv: {path}", zh=f"导出文件须为 .xlsx 或 .csv：{path}")
    summary = neutralise_frame(summary_frame(payload))
    detail = neutralise_frame(detail_frame(con, payload))
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            summary.to_excel(writer, sheet_name=SHEET_SUMMARY, index=False)
            detail.to_excel(writer, sheet_name=SHEET_DETAIL, index=False)
        return [path]
    detail_path = path.with_name(f"{path.stem}_明细.csv")
    summary.to_csv(path, index=False, encoding="utf-8-sig")
    detail.to_csv(detail_path, index=False, encoding="utf-8-sig")
    return [path, detail_path]


def export_bytes(con: duckdb.DuckDBPyConnection, payload: dict[str, Any], fmt: str) -> bytes:
    """The export as bytes for a download button: ``xlsx`` (both sheets) or ``csv`` (summary table)."""
    summary = neutralise_frame(summary_frame(payload))
    if fmt == "csv":
        return summary.to_csv(index=False).encode("utf-8-sig")
    if fmt != "xlsx":
        raise UserError(f"Unknown export format {fmt!r}", zh=f"未知的导出格式：{fmt}")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        summary.to_excel(writer, sheet_name=SHEET_SUMMARY, index=False)
        neutralise_frame(detail_frame(con, payload)).to_excel(writer, sheet_name=SHEET_DETAIL, index=False)
    return buffer.getvalue()


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
