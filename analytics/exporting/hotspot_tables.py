"""The hotspot shortlist as two export tables, from a hotspot payload (issues or events).

Every shortlist file goes through here: the 导出 page and ``report`` (a period's issues), and the
热点 page's downloads and ``hotspots --export`` (issues with the page's weights, or event hotspots).
Each turns the engine's payload (:mod:`analytics.hotspots.report`, the same structure that
``hotspots --json`` prints) into a shortlist table and a member table with the columns below, and
:mod:`analytics.exporting.shortlist` writes them. So every file has the same columns, numbers and
personal-data masking.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import duckdb
import pandas as pd

from analytics import hotspots
from analytics.hotspots.events import HOTNESS_LABELS
from analytics.hotspots.report import issues_payload
from analytics.ingest.pii import mask_personal_data
from analytics.periods import Period, window_period, year_period
from analytics.topics.runs import require_run

# Columns of the shortlist (热点问题表) and of its members (热点问题明细表), with their Chinese headers.
SHORTLIST_COLUMNS = {
    "rank": "排名",
    "label": "热点问题",
    "score": "热度得分",
    "period": "时段",
    "count": "件次",
    "last_year": "去年同期",
    "counties": "涉及区县",
    "sectors": "涉及行业",
    "regulator": "监管部门",
    "keywords": "关键词",
    "shortlisted": "列入短名单",
    "why": "排名理由",
}
# 事项 (matters, analytics.matters: one case reported again or on several channels counts once),
# written right after 件次 when the table has it (payload_frames always fills it).
MATTERS_COLUMN = {"matters": "事项"}
# Written after SHORTLIST_COLUMNS when the table has them (payload_frames always fills them).
DETAIL_COLUMNS = {
    "change": "同比变化",
    "businesses": "主要经营者",
    "first_seen": "首次出现",
    "last_seen": "最近出现",
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
# Score parts: issue hotspots' components and event hotspots' hotness parts share names ("support")
# but not meanings, so their columns are told apart by prefix.
COMPONENT_PREFIX = {"issue": "component_", "event": "hotness_"}
TOP_NAMES = 3  # counties, sectors and businesses named per hotspot


def component_headers(level: Literal["issue", "event"] = "issue") -> dict[str, str]:
    """Column → 分项·<Chinese label> for the score's parts of ``level`` (issue or event)."""
    if level == "event":
        labels = HOTNESS_LABELS
    else:
        labels = {name: weight.label for name, weight in hotspots.load_weights().items()}
    return {f"{COMPONENT_PREFIX[level]}{name}": f"分项·{label}" for name, label in labels.items()}


def export_columns(frame: pd.DataFrame) -> dict[str, str]:
    """The shortlist's columns for ``frame``: SHORTLIST_COLUMNS, then the detail and score-part
    columns it has."""
    extra = {**DETAIL_COLUMNS, **component_headers("issue"), **component_headers("event")}
    shown: dict[str, str] = {}
    for key, header in SHORTLIST_COLUMNS.items():
        shown[key] = header
        if key == "count" and "matters" in frame.columns:
            shown.update(MATTERS_COLUMN)
    return {**shown, **{k: v for k, v in extra.items() if k in frame.columns}}


def payload_frames(
    con: duckdb.DuckDBPyConnection, payload: dict[str, Any], period_label: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shortlist, members) of a hotspot payload: one row per hotspot, one per member complaint."""
    items = payload.get("hotspots") or []
    if not items:
        return empty_shortlist()
    parts = component_headers("event" if payload.get("level") == "event" else "issue")
    shortlist = pd.DataFrame(
        {
            "rank": [int(h["rank"]) for h in items],
            "label": [str(h["label"]) for h in items],
            "score": [round(float(h["score"]), 1) for h in items],  # Python rounding, as displayed
            "period": period_label,
            "count": [int(h["size"]) for h in items],
            "matters": [int(h["matters"]) for h in items],
            "last_year": pd.array(
                [h.get("previous_size") if h.get("previous_available") else None for h in items], dtype="Int64"
            ),
            "counties": [_names(h["counties"]) for h in items],
            "sectors": [_names(h["sectors"]) for h in items],
            "regulator": [h.get("regulator") or "" for h in items],
            "keywords": ["、".join(list(h["keywords"])[:6]) for h in items],
            "shortlisted": [bool(h["shortlisted"]) for h in items],
            "why": [h.get("why") or "" for h in items],
            "change": pd.array([_change(h.get("change_on_last_year")) for h in items], dtype="Float64"),
            "businesses": [_names(h["businesses"]) for h in items],
            "first_seen": [_day(h.get("first_seen")) for h in items],
            "last_seen": [_day(h.get("last_seen")) for h in items],
            **{
                column: [round(float(h["components"].get(column.split("_", 1)[1], 0.0)), 3) for h in items]
                for column in parts
            },
            "topic_id": pd.array([h.get("topic_id") for h in items], dtype="Int64"),
            # Not written to files: what the deck needs to show a label only when it reads as one.
            "main_sector": [h["sectors"][0]["name"] if h["sectors"] else "" for h in items],
            "label_curated": _curated(con, payload.get("run_id"), [h.get("topic_id") for h in items]),
        }
    )
    return shortlist, _members(con, items)


def _curated(con: duckdb.DuckDBPyConnection, run_id: str | None, topic_ids: list[Any]) -> list[bool]:
    """Per topic, whether the analyst gave it its label (a rename in topic_curation)."""
    if run_id is None:
        return [False] * len(topic_ids)
    renamed = {
        int(t)
        for (t,) in con.execute(
            "SELECT topic_id FROM curated_labels WHERE run_id = ? AND label IS DISTINCT FROM auto_label", [run_id]
        ).fetchall()
    }
    return [t is not None and int(t) in renamed for t in topic_ids]


def shortlist_frames(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    *,
    top: int = 10,
    prepare: bool = False,
    weights: tuple[tuple[str, float], ...] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The period's ``top`` ranked hotspot issues and their member complaints: the 热点问题表.

    With ``prepare`` the topic run is brought up to date first (reusing a current one); without it
    the stored run is used as it is (``analytics.topics.resolve_run``). ``weights`` override the default score
    weights (the 热点 page's sliders); None ranks as every other export does.
    """
    run_id = require_run(con, compute=prepare)
    ranking = hotspots.rank_issues(con, date_from=period.start, date_to=period.end, weights=weights, run_id=run_id)
    if ranking.ranking.empty or ranking.period is None:
        return empty_shortlist()
    return payload_frames(con, issues_payload(con, ranking, top=top), period.label)


def payload_period(payload: dict[str, Any]) -> Period | None:
    """The payload's period as an export period (a calendar year when it is one)."""
    span = payload.get("period")
    if not span:
        return None
    start, end = _day(span["from"]), _day(span["to"])
    if start is None or end is None:
        return None
    if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
        return year_period(start.year)
    return window_period(start, end)


def empty_shortlist() -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        pd.DataFrame(columns=[*SHORTLIST_COLUMNS, *MATTERS_COLUMN, *DETAIL_COLUMNS, "topic_id"]),
        pd.DataFrame(columns=list(MEMBER_COLUMNS)),
    )


def mask_text(value: Any) -> Any:
    """Text with phone, ID and bank card numbers masked. Imports mask already; exports mask again so
    that nothing imported before masking existed can leak."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return value
    return mask_personal_data(str(value))


def _members(con: duckdb.DuckDBPyConnection, items: list[dict[str, Any]]) -> pd.DataFrame:
    links = pd.DataFrame(
        [(int(h["rank"]), str(h["label"]), str(cid)) for h in items for cid in h["complaint_ids"]],
        columns=["rank", "label", "complaint_id"],
    )
    if links.empty:
        return pd.DataFrame(columns=list(MEMBER_COLUMNS))
    con.register("_shortlist_members", links[["complaint_id"]].drop_duplicates())
    try:
        # complaint_id is unique within a source, not across sources: should two systems share an
        # id, one whole row is kept (never a mix of two complaints' cells).
        detail = con.execute(
            """SELECT complaint_id, c.received_at, c.source, c.kind, c.county, c.sector, c.business, c.title,
                      c.content, c.closed_at
               FROM complaints c JOIN _shortlist_members m USING (complaint_id)
               QUALIFY row_number() OVER (PARTITION BY complaint_id ORDER BY c.id) = 1"""
        ).df()
    finally:
        con.unregister("_shortlist_members")
    detail["complaint_id"] = detail["complaint_id"].astype(str)
    rows = links.merge(detail, on="complaint_id", how="left")
    rows = rows.sort_values(["rank", "received_at", "complaint_id"], kind="stable")
    members = pd.DataFrame({c: rows[c] for c in MEMBER_COLUMNS}).reset_index(drop=True)
    for column in ("title", "content", "business"):
        members[column] = members[column].map(mask_text)
    return members


def _names(items: list[dict[str, Any]]) -> str:
    """清城区（120）、英德市（56）: the first TOP_NAMES names with their counts."""
    return "、".join(f"{i['name']}（{int(i['count'])}）" for i in items[:TOP_NAMES])


def _change(value: Any) -> float | None:
    """Change on last year as a fraction (7.06 = +706%): a number, written in a percent format."""
    return None if value is None or pd.isna(value) else float(value)


def _day(value: Any) -> date | None:
    if value is None or (not isinstance(value, str | date) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


__all__ = [
    "MEMBER_COLUMNS",
    "SHORTLIST_COLUMNS",
    "empty_shortlist",
    "export_columns",
    "mask_text",
    "payload_frames",
    "payload_period",
    "shortlist_frames",
]
