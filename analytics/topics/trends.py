"""Topics over time and place: tidy counts per topic × month / year / county / sector, and members.

Merges of the analyst's curation are applied (a merged topic counts as its target).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.errors import UserError
from analytics.filters import Filters
from analytics.schema import BLANK
from analytics.store.stages import reads
from analytics.topics.curation import curated_topics

_DIMENSIONS = {
    "month": "strftime(c.received_at, '%Y-%m')",
    "year": "CAST(year(c.received_at) AS VARCHAR)",
    "county": f"coalesce(nullif(c.county, ''), '{BLANK}')",
    "sector": f"coalesce(nullif(c.sector, ''), '{BLANK}')",
}


@reads("complaints", "topics", "matters")
def topics_in_period(con: duckdb.DuckDBPyConnection, run_id: str, filters: Filters | None = None) -> pd.DataFrame:
    """The run's curated topics (``curated_topics``) with ``size`` (complaints, 件次) and ``matters``
    (事项: a case retold on several channels is one) counted among the complaints the filters
    select: a period filters the one assignment every view shares. Topics with none are left out;
    pinned first, then largest."""
    topics = curated_topics(con, run_id)
    where, params = (filters or Filters()).where("c")
    counts = con.execute(
        f"""SELECT a.topic_id, count(*) AS size, count(DISTINCT coalesce(l.matter_id, c.id)) AS matters
            FROM curated_assignments a JOIN complaints c ON c.id = a.id LEFT JOIN matter_links l ON l.id = c.id
            WHERE a.run_id = $run_id AND {where} GROUP BY ALL""",
        {**params, "run_id": run_id},
    ).df()
    out = topics.drop(columns=["size", "matters"], errors="ignore").merge(counts, on="topic_id", how="left")
    out[["size", "matters"]] = out[["size", "matters"]].fillna(0).astype("int64")
    out = out[out["size"] > 0]
    return out.sort_values(["pinned", "size", "topic_id"], ascending=[False, False, True]).reset_index(drop=True)


@reads("complaints", "topics")
def topic_counts(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    by: str | tuple[str, ...] = "month",
    filters: Filters | None = None,
) -> pd.DataFrame:
    """Columns: topic_id, label, <each dimension in ``by``>, n. One row per non-empty cell."""
    dims = (by,) if isinstance(by, str) else tuple(by)
    unknown = [d for d in dims if d not in _DIMENSIONS]
    if unknown:
        raise UserError(f"Unknown breakdown {unknown}; use {sorted(_DIMENSIONS)}")
    where, params = (filters or Filters()).where("c")
    selects = ", ".join(f"{_DIMENSIONS[d]} AS {d}" for d in dims)
    groups = ", ".join(dims)
    return con.execute(
        f"""WITH m AS (
                SELECT a.topic_id, {selects}
                FROM curated_assignments a JOIN complaints c ON c.id = a.id
                WHERE a.run_id = $run_id AND {where}
            )
            SELECT m.topic_id, t.label, {groups}, count(*) AS n
            FROM m JOIN curated_labels t ON t.run_id = $run_id AND t.topic_id = m.topic_id AND t.level = 'issue'
            GROUP BY ALL ORDER BY m.topic_id, {groups}""",
        {**params, "run_id": run_id},
    ).df()


@reads("complaints", "topics")
def topic_members(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    topic_id: int,
    filters: Filters | None = None,
    limit: int = 200,
    event_id: int | None = None,
) -> pd.DataFrame:
    """Complaints of a topic (merged topics included), newest first: for the drill-down table.

    With ``event_id``: that event's complaints, all of them (an incident's complaints may fall in
    several issue topics; the event is listed under the topic most of them are in)."""
    where, params = (filters or Filters()).where("c")
    chosen = "a.event_id = $chosen" if event_id is not None else "a.topic_id = $chosen"
    return con.execute(
        f"""SELECT c.complaint_id, c.received_at, c.county, c.sector, c.business, c.title, c.content,
                   a.event_id
            FROM curated_assignments a JOIN complaints c ON c.id = a.id
            WHERE a.run_id = $run_id AND {chosen} AND {where}
            ORDER BY c.received_at DESC, c.id DESC LIMIT $limit""",
        {**params, "run_id": run_id, "chosen": event_id if event_id is not None else topic_id, "limit": limit},
    ).df()


@reads("complaints", "topics", "matters")
def topic_events(
    con: duckdb.DuckDBPyConnection, run_id: str, topic_id: int, filters: Filters | None = None
) -> pd.DataFrame:
    """Events listed under a topic (merged topics included): those most of whose complaints are in
    it (``topics.parent_topic_id``), largest first.

    Columns: event_id, label, keywords, n (members within the filters, in any topic: 件次), matters
    (事项 among them, counted in the same query), counties (list), first and last received date.
    Events with no member in the filters are left out.
    """
    where, params = (filters or Filters()).where("c")
    return con.execute(
        f"""SELECT a.event_id, e.label, e.keywords, count(*) AS n,
                   count(DISTINCT coalesce(l.matter_id, c.id)) AS matters,
                   coalesce(list(DISTINCT c.county ORDER BY c.county) FILTER (WHERE c.county IS NOT NULL), [])
                       AS counties,
                   CAST(min(c.received_at) AS DATE) AS first, CAST(max(c.received_at) AS DATE) AS last
            FROM topic_assignments a JOIN complaints c ON c.id = a.id LEFT JOIN matter_links l ON l.id = c.id
            JOIN curated_labels e ON e.run_id = a.run_id AND e.topic_id = a.event_id AND e.level = 'event'
            WHERE a.run_id = $run_id AND e.parent_topic_id = $topic_id AND {where}
            GROUP BY a.event_id, e.label, e.keywords
            ORDER BY n DESC, a.event_id""",
        {**params, "run_id": run_id, "topic_id": topic_id},
    ).df()
