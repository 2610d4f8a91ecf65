"""A hotspot ranking (issues or events) as one row per hotspot, and the JSON the command line prints.

``issue_rows`` / ``event_rows`` give a DataFrame (one row per hotspot, Python values kept as they
are), which the exports take (:mod:`analytics.exporting.hotspot_tables`); ``issues_payload`` /
``events_payload`` wrap the same rows as what ``python -m analytics hotspots --json`` prints:
``{"hotspots": [...]}`` with, per hotspot, rank, label, score, components, shortlisted, size,
matters (事项), complaint_ids (the export's ids), keywords, counties / sectors / businesses (ranked
lists with counts), regulator, first_seen, last_seen, change_on_last_year (in the volume unit),
previous_size, previous_matters, previous_available, representatives and why; an issue ranking
also says its ``volume_unit`` (matters or complaints).

An export also lists each hotspot's member complaints: ``issue_hotspots`` / ``event_hotspots`` give
the rows and those members (:data:`MEMBER_FIELDS`) from one member query, and the rows'
complaint_ids are taken from the members, so an export fetches no complaint twice.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from analytics.hotspots.events import HOTNESS_WEIGHTS, event_texts, member_map
from analytics.hotspots.features import members_cte, window
from analytics.hotspots.ranking import IssueRanking
from analytics.hotspots.scoring import COMPONENTS
from analytics.hotspots.shortlist import MAX_SHORTLIST, MIN_SHORTLIST, shortlist_size
from analytics.profile import load_profile

SHORTLIST_RULE = (
    f"按得分从高到低排序，在保留 {MIN_SHORTLIST}–{MAX_SHORTLIST} 个问题的切分点中选相邻得分落差最大处切分；"
    "落差相同时取较少者。同一行业、关键词相近的话题（模型把一个问题拆成了几个）先合并为一个候选问题。"
)


def _keywords(value: Any) -> list[str]:
    if value is None or (not isinstance(value, list | tuple) and not hasattr(value, "tolist") and pd.isna(value)):
        return []
    return [str(k) for k in (value.tolist() if hasattr(value, "tolist") else value)]


def _none(value: Any) -> Any:
    if value is None:
        return None
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


# A member complaint as the exports list it (analytics.exporting.hotspot_tables.MEMBER_COLUMNS).
MEMBER_FIELDS = (
    "complaint_id", "received_at", "source", "kind", "county", "sector", "business", "title", "content", "closed_at"
)  # fmt: skip


def issue_members(con: duckdb.DuckDBPyConnection, ranking: IssueRanking, top: int | None = None) -> pd.DataFrame:
    """topic_id and :data:`MEMBER_FIELDS` of each member complaint in the period of the ranking's
    (best ``top``) hotspots, oldest first per topic."""
    frame = ranking.ranking if top is None else ranking.ranking.head(top)
    if ranking.period is None or ranking.run_id is None or frame.empty:
        return pd.DataFrame(columns=["topic_id", *MEMBER_FIELDS])
    return con.execute(
        f"""WITH {members_cte(merges=ranking.merges)}
        SELECT topic_id, {", ".join(MEMBER_FIELDS)} FROM m WHERE list_contains($topics, topic_id)
        ORDER BY topic_id, received_at, complaint_id""",
        {
            "run_id": ranking.run_id,
            "topics": [int(t) for t in frame["topic_id"]],
            **window(ranking.period.start, ranking.period.end),
        },
    ).df()


def issue_hotspots(
    con: duckdb.DuckDBPyConnection, ranking: IssueRanking, top: int | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(:func:`issue_rows`, :func:`issue_members`) of the best ``top``: what an export writes."""
    members = issue_members(con, ranking, top)
    return issue_rows(con, ranking, top, members=members), members


def issue_member_ids(con: duckdb.DuckDBPyConnection, ranking: IssueRanking) -> dict[int, list[str]]:
    """topic_id -> member complaint ids (the export's ids) in the period, oldest first."""
    if ranking.period is None or ranking.run_id is None:
        return {}
    rows = con.execute(
        f"""WITH {members_cte(merges=ranking.merges)}
        SELECT topic_id, list(complaint_id ORDER BY received_at, complaint_id) FROM m GROUP BY topic_id""",
        {"run_id": ranking.run_id, **window(ranking.period.start, ranking.period.end)},
    ).fetchall()
    return {int(t): list(ids) for t, ids in rows}


def _ids_of(members: pd.DataFrame, key: str) -> dict[int, list[str]]:
    """key -> member complaint ids in the members' order."""
    return {int(k): list(ids) for k, ids in members.groupby(key, sort=False)["complaint_id"]}


def _rows(hotspots: list[dict[str, Any]]) -> pd.DataFrame:
    # object columns: ints, None and lists stay what they are (no NaN for a missing value)
    return pd.DataFrame(hotspots, dtype=object)


def issue_rows(
    con: duckdb.DuckDBPyConnection, ranking: IssueRanking, top: int | None = None, members: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per ranked issue hotspot (the best ``top``), columns as in the module docstring; the
    complaint_ids from ``members`` (:func:`issue_members`) when given, else from an ids-only query."""
    frame = ranking.ranking if top is None else ranking.ranking.head(top)
    ids = issue_member_ids(con, ranking) if members is None else _ids_of(members, "topic_id")
    # Group once into plain lists: per-topic pandas filtering costs more than the whole ranking.
    dims: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for r in ranking.breakdowns.sort_values(["topic_id", "dimension", "rank"]).to_dict("records"):
        dims.setdefault((r["dimension"], int(r["topic_id"])), []).append(
            {"name": str(r["value"]), "count": int(r["n"])}
        )
    reps: dict[int, list[dict[str, Any]]] = {}
    for r in ranking.representatives.to_dict("records"):
        reps.setdefault(int(r["topic_id"]), []).append(
            {"complaint_id": r["complaint_id"], "title": r["title"], "received_at": r["received_at"]}
        )
    hotspots = []
    for row in frame.itertuples():
        tid = int(row.topic_id)
        hotspots.append(
            {
                "rank": int(row.rank),
                "topic_id": tid,
                "merged_topic_ids": [int(t) for t in getattr(row, "merged_topics", None) or []],
                "label": str(row.label),
                "score": float(row.score),
                "components": {c: round(float(getattr(row, c)), 4) for c in COMPONENTS},
                "shortlisted": bool(row.shortlisted),
                "size": int(row.size),
                # 事项: one case reported on several channels or again counts once here.
                "matters": int(row.matters),
                "previous_size": int(row.n_prev),
                "previous_matters": int(row.matters_prev),
                # False when the data do not reach back to the same period last year (no 去年同期).
                "previous_available": bool(getattr(row, "prev_available", True)),
                "change_on_last_year": _none(row.change_on_last_year),
                "complaint_ids": ids.get(tid, []),
                "keywords": _keywords(row.keywords),
                "counties": dims.get(("county", tid), []),
                "sectors": dims.get(("sector", tid), []),
                "businesses": dims.get(("business", tid), []),
                "regulator": row.regulator or None,
                "first_seen": row.first_seen,
                "last_seen": row.last_seen,
                "representatives": reps.get(tid, []),
                "why": row.why,
            }
        )
    return _rows(hotspots)


def issues_payload(
    con: duckdb.DuckDBPyConnection, ranking: IssueRanking, top: int | None = None, rows: pd.DataFrame | None = None
) -> dict[str, Any]:
    """The ``hotspots --json`` document of an issue ranking (``rows``: its :func:`issue_rows`, when at hand)."""
    period = ranking.period
    return {
        "level": "issue",
        "period": {"from": period.start, "to": period.end} if period else None,
        "run_id": ranking.run_id,
        "weights": ranking.weights,
        # What volume and growth counted: matters (事项) or complaints (件次), HOTSPOT_VOLUME_UNIT.
        "volume_unit": ranking.unit,
        "shortlist_rule": SHORTLIST_RULE,
        "hotspots": (issue_rows(con, ranking, top) if rows is None else rows).to_dict("records"),
    }


def event_member_rows(con: duckdb.DuckDBPyConnection, events: pd.DataFrame, *, export: bool = False) -> pd.DataFrame:
    """Member complaints of the ranked events, oldest first per event (event_id and the columns of
    :func:`analytics.hotspots.events.event_texts`; with ``export``, all of :data:`MEMBER_FIELDS`)."""
    if events.empty:
        return pd.DataFrame(columns=["event_id", *MEMBER_FIELDS])
    return event_texts(con, member_map(events), events["run_id"].iloc[0], export=export)


def event_hotspots(con: duckdb.DuckDBPyConnection, events: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(:func:`event_rows`, :func:`event_member_rows`) of ranked events: what an export writes."""
    members = event_member_rows(con, events, export=True)
    return event_rows(con, events, members=members), members


def event_rows(
    con: duckdb.DuckDBPyConnection, events: pd.DataFrame, members: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per ranked event hotspot, columns as in the module docstring (``members``: their
    :func:`event_member_rows`, when at hand)."""
    profile = load_profile()
    rows = event_member_rows(con, events) if members is None else members
    k = shortlist_size(events["hotness"].tolist()) if len(events) else 0
    groups = {int(k): g for k, g in rows.groupby("event_id")}
    empty = rows.iloc[0:0]
    hotspots = []
    for row in events.itertuples():
        mem = groups.get(int(row.event_id), empty)

        def counts(column: str, mem: pd.DataFrame = mem) -> list[dict[str, Any]]:
            vc = mem[column].dropna().value_counts()
            return [{"name": str(n), "count": int(c)} for n, c in vc.items()][:10]

        sectors = counts("sector")
        hotspots.append(
            {
                "rank": int(row.rank),
                "event_id": int(row.event_id),
                "topic_id": _none(row.topic_id),
                "method": row.method,
                "label": str(row.label),
                "score": float(row.hotness),
                "components": {c: round(float(getattr(row, c)), 4) for c in HOTNESS_WEIGHTS},
                "shortlisted": int(row.rank) <= k,
                "size": int(row.size),
                "matters": int(row.matters),
                "likes": int(row.likes),
                "dislikes": int(row.dislikes),
                "peak_week": int(row.peak_week),
                "span_days": int(row.span_days),
                "coherence": _none(row.coherence),
                "complaint_ids": mem["complaint_id"].tolist(),
                "keywords": _keywords(row.keywords),
                "counties": counts("county"),
                "sectors": sectors,
                "businesses": counts("business"),
                "regulator": (profile.regulator_of(sectors[0]["name"]) or None) if sectors else None,
                "first_seen": row.first_seen,
                "last_seen": row.last_seen,
                "change_on_last_year": None,
                "representatives": [
                    {"complaint_id": r.complaint_id, "title": r.title, "received_at": r.received_at}
                    for r in mem.head(3).itertuples()
                ],
                "parent_label": _none(row.parent_label),
            }
        )
    return _rows(hotspots)


def events_payload(
    con: duckdb.DuckDBPyConnection, events: pd.DataFrame, rows: pd.DataFrame | None = None
) -> dict[str, Any]:
    """The ``hotspots --json`` document of an event ranking (``rows``: its :func:`event_rows`, when at hand)."""
    return {
        "level": "event",
        "period": {"from": events["period_from"].iloc[0], "to": events["period_to"].iloc[0]} if len(events) else None,
        "hotness_weights": HOTNESS_WEIGHTS,
        "hotspots": (event_rows(con, events) if rows is None else rows).to_dict("records"),
    }
