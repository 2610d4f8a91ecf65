"""The hotspot shortlist as two export tables, from the ranked hotspots (issues or events).

Every shortlist file goes through here: the 导出 page and ``report`` (a period's issues), and the
热点 page's downloads and ``hotspots --export`` (issues with the page's weights, or event hotspots).
Each turns the engine's rows (:mod:`analytics.hotspots.report`: one row per hotspot, the rows that
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
from analytics.hotspots.report import issue_hotspots
from analytics.ingest.pii import mask_personal_data
from analytics.periods import Period, window_period, year_period
from analytics.topics.labels import shown_keywords
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
# written right after 件次 when the table has it (hotspot_frames always fills it).
MATTERS_COLUMN = {"matters": "事项"}
# Written after SHORTLIST_COLUMNS when the table has them (hotspot_frames always fills them).
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


def hotspot_frames(
    rows: pd.DataFrame, members: pd.DataFrame, level: Literal["issue", "event"], period_label: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shortlist, members) of ranked hotspots and their member complaints
    (``analytics.hotspots.report.issue_hotspots`` / ``event_hotspots``): one row per hotspot, one per
    member complaint."""
    if rows.empty:
        return empty_shortlist()
    parts = component_headers(level)
    previous = rows["previous_size"] if "previous_size" in rows else pd.Series(None, index=rows.index)
    available = rows["previous_available"] if "previous_available" in rows else pd.Series(False, index=rows.index)
    shortlist = pd.DataFrame(
        {
            "rank": rows["rank"].astype("int64"),
            "label": rows["label"].astype(str),
            "score": [round(float(v), 1) for v in rows["score"]],  # Python rounding, as displayed
            "period": period_label,
            "count": rows["size"].astype("int64"),
            "matters": rows["matters"].astype("int64"),
            "last_year": pd.array([p if a else None for p, a in zip(previous, available, strict=True)], dtype="Int64"),
            "counties": rows["counties"].map(_names),
            "sectors": rows["sectors"].map(_names),
            "regulator": rows["regulator"].map(lambda v: v or "—"),  # 其他 has no lead regulator
            "keywords": rows["keywords"].map(lambda k: "、".join(shown_keywords(list(k)))),
            "shortlisted": rows["shortlisted"].astype(bool),
            "why": rows["why"].map(lambda v: v or "") if "why" in rows else "",
            "change": pd.array([_change(v) for v in rows["change_on_last_year"]], dtype="Float64"),
            "businesses": rows["businesses"].map(_names),
            "first_seen": rows["first_seen"].map(_day),
            "last_seen": rows["last_seen"].map(_day),
            **{
                column: [round(float(c.get(column.split("_", 1)[1], 0.0)), 3) for c in rows["components"]]
                for column in parts
            },
            "topic_id": pd.array(list(rows["topic_id"]), dtype="Int64"),
        }
    ).reset_index(drop=True)
    return shortlist, _members(rows, members, "event_id" if level == "event" else "topic_id")


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
    return hotspot_frames(*issue_hotspots(con, ranking, top=top), "issue", period.label)


def export_period(start: Any, end: Any) -> Period | None:
    """A ranking's dates as an export period (a calendar year when it is one)."""
    start, end = _day(start), _day(end)
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


def _members(rows: pd.DataFrame, members: pd.DataFrame, key: str) -> pd.DataFrame:
    """The member table: each hotspot's rank and label beside its member complaints (``members``,
    keyed by ``key``: the rows their member query gave, so no complaint is looked up again)."""
    hotspot = pd.DataFrame(
        {key: [int(k) for k in rows[key]], "rank": [int(r) for r in rows["rank"]], "label": rows["label"].map(str)}
    )
    if members.empty:
        return pd.DataFrame(columns=list(MEMBER_COLUMNS))
    rows = hotspot.merge(members.astype({key: "int64", "complaint_id": str}), on=key, how="inner")
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
    "export_period",
    "hotspot_frames",
    "mask_text",
    "shortlist_frames",
]
