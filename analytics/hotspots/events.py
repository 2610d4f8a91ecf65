"""Event hotspots: concrete clusters (one place, business or incident) ranked by a hotness index.

The clusters are the event-level topics of a topic run (``topic_assignments.event_id``). For each
cluster with at least ``min_size`` complaints in the period:

- n       complaints in the period
- s       likes + dislikes (点赞数 + 反对数) summed over its complaints: both mean people cared
- peak    the most complaints in any 7 consecutive days (burst rate, complaints per week)
- span    days from the first to the last complaint, plus one

Each is put on a 0..1 scale against the largest cluster of the period, on a log scale so that one
huge cluster does not flatten the rest::

    C = ln(1 + n)    / ln(1 + max n)
    S = ln(1 + s)    / ln(1 + max s)
    B = ln(1 + peak) / ln(1 + max peak)
    T = ln(1 + span) / ln(1 + max span)

    hotness = 100 × (0.40·C + 0.30·S + 0.20·B + 0.10·T) / (sum of the weights used)

When the export has no likes at all, S is left out and the other weights are rescaled (the index
still spans 0..100). ``coherence`` (0..1) is the mean cosine similarity of each member's character
bigram TF-IDF vector to its cluster's centroid: high means the messages say the same thing, low
means a mix that only shares a few words (a place name, say).
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analytics.hotspots.clustering import BLOCK_MAX, cluster_label, text_clusters
from analytics.hotspots.features import members_cte, resolve_period, window

HOTNESS_WEIGHTS = {"count": 0.40, "support": 0.30, "burst": 0.20, "span": 0.10}
COHERENCE_TOP = 100  # events whose coherence is computed (the best ranked)
HOTNESS_LABELS = {"count": "留言数", "support": "点赞与反对", "burst": "爆发强度", "span": "持续时间"}


EVENTS_VIEW = "_hotspot_event_members"  # (id, event_id) registered for the duration of a ranking
TEXT_CLUSTER_MAX = 30_000  # periods up to this many complaints are clustered from their text


def event_stats(con: duckdb.DuckDBPyConnection, min_size: int = 2) -> pd.DataFrame:
    """One row per event of :data:`EVENTS_VIEW` with its raw measurements (n, likes, peak week, span)."""
    return con.execute(
        f"""WITH ev AS (SELECT e.event_id, c.* FROM {EVENTS_VIEW} e JOIN complaints c ON c.id = e.id),
        daily AS (
            SELECT event_id, CAST(received_at AS DATE) AS day, count(*) AS k FROM ev GROUP BY ALL
        ),
        weekly AS (
            SELECT event_id, max(w) AS peak_week FROM (
                SELECT event_id, sum(k) OVER (
                    PARTITION BY event_id ORDER BY day RANGE BETWEEN CURRENT ROW AND INTERVAL 6 DAYS FOLLOWING
                ) AS w FROM daily
            ) GROUP BY event_id
        ),
        main AS (
            SELECT event_id, count(*) AS size,
                   sum(coalesce(support, 0)) AS likes, sum(coalesce(opposition, 0)) AS dislikes,
                   count(support) + count(opposition) AS support_known,
                   min(received_at) AS first_seen, max(received_at) AS last_seen,
                   date_diff('day', min(received_at), max(received_at)) + 1 AS span_days,
                   list(id ORDER BY received_at, id) AS member_ids
            FROM ev GROUP BY event_id HAVING count(*) >= ?
        )
        SELECT main.*, weekly.peak_week FROM main JOIN weekly USING (event_id)""",
        [min_size],
    ).df()


def _log_scale(values: pd.Series) -> pd.Series:
    logs = np.log1p(values.astype("float64").clip(lower=0))
    top = logs.max()
    return logs / top if top > 0 else logs * 0.0


def hotness(stats: pd.DataFrame) -> pd.DataFrame:
    """Adds the 0..1 parts (count, support, burst, span) and the hotness index (0..100)."""
    out = stats.copy()
    out["support_total"] = out["likes"] + out["dislikes"]
    out["count"] = _log_scale(out["size"])
    out["support"] = _log_scale(out["support_total"])
    out["burst"] = _log_scale(out["peak_week"])
    out["span"] = _log_scale(out["span_days"])
    has_support = bool(len(out)) and out["support_known"].max() > 0
    used = {k: w for k, w in HOTNESS_WEIGHTS.items() if has_support or k != "support"}
    total = sum(used.values())
    out["hotness"] = (100.0 * sum(out[k] * w for k, w in used.items()) / total).round(2) if len(out) else []
    return out


def coherence(texts_by_cluster: dict[int, list[str]]) -> dict[int, float]:
    """Mean cosine similarity of members to their cluster centroid (character bigram TF-IDF)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = [cid for cid, texts in texts_by_cluster.items() if texts]
    corpus = [t for cid in ids for t in texts_by_cluster[cid]]
    if not corpus:
        return {}
    matrix = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), min_df=1, sublinear_tf=True).fit_transform(corpus)
    out: dict[int, float] = {}
    start = 0
    for cid in ids:
        n = len(texts_by_cluster[cid])
        block = matrix[start : start + n]
        start += n
        centroid = np.asarray(block.mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid)
        if norm == 0:
            out[cid] = 0.0
            continue
        sims = block @ (centroid / norm)  # rows are L2-normalised already
        out[cid] = round(float(np.mean(sims)), 3)
    return out


def _period_frame(con: duckdb.DuckDBPyConnection, d_from: date, d_to: date, run_id: str | None) -> pd.DataFrame:
    """The period's complaints for text clustering (id, title, content, business, block), oldest first."""
    if run_id is None:
        return con.execute(
            """SELECT id, title, content, business, 0 AS block FROM complaints
               WHERE received_at >= ? AND received_at < ? ORDER BY received_at, id""",
            window(d_from, d_to),
        ).df()
    return con.execute(
        f"""WITH {members_cte()} SELECT id, title, content, business, topic_id AS block FROM m
            ORDER BY received_at, id""",
        [run_id, *window(d_from, d_to)],
    ).df()


def event_members(
    con: duckdb.DuckDBPyConnection, d_from: date, d_to: date, run_id: str | None, method: str
) -> pd.DataFrame:
    """(id, event_id) of the period: text clusters, or the topic run's stored event clusters."""
    if method == "topics":
        return con.execute(
            f"WITH {members_cte()} SELECT id, event_id FROM m WHERE event_id IS NOT NULL",
            [run_id, *window(d_from, d_to)],
        ).df()
    frame = _period_frame(con, d_from, d_to, run_id if method == "text-by-topic" else None)
    return text_clusters(frame)


def rank_events(
    con: duckdb.DuckDBPyConnection,
    year: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    top: int | None = None,
    run_id: str | None = None,
    min_size: int = 2,
    method: str | None = None,
) -> pd.DataFrame:
    """Event clusters of the period ranked by hotness, with label, keywords, members and coherence.

    ``method``: "text" (cluster the period's text, one block), "text-by-topic" (the same, blocked by
    issue topic) or "topics" (the topic run's stored event clusters). Default: "text" up to
    :data:`~analytics.hotspots.clustering.BLOCK_MAX` complaints in the period, "text-by-topic" up to
    :data:`TEXT_CLUSTER_MAX`, else "topics".
    """
    from analytics.hotspots.ranking import ensure_run, run_window

    period = resolve_period(con, year, date_from, date_to)
    if period is None:
        return pd.DataFrame(columns=["rank", "event_id", "label", "hotness", "size", "member_ids"])
    d_from, d_to = period.date_from, period.date_to
    if method is None:
        n = con.execute(
            "SELECT count(*) FROM complaints WHERE received_at >= ? AND received_at < ?", window(d_from, d_to)
        ).fetchall()[0][0]
        # One text block when it fits; blocked by issue topic up to TEXT_CLUSTER_MAX; else stored events.
        method = "text" if n <= BLOCK_MAX else "text-by-topic" if n <= TEXT_CLUSTER_MAX else "topics"
    if method not in ("text", "text-by-topic", "topics"):
        raise ValueError(f"unknown event method {method!r}")
    if run_id is None and method != "text":  # the same run as the issue ranking
        run_id = ensure_run(con, *run_window(con, period, bool(year or date_from), bool(year or date_to)))
    members = event_members(con, d_from, d_to, run_id, method)
    con.register(EVENTS_VIEW, members)
    try:
        stats = event_stats(con, min_size)
    finally:
        con.unregister(EVENTS_VIEW)
    ranked = hotness(stats).sort_values(["hotness", "size", "event_id"], ascending=[False, False, True])
    ranked = ranked.reset_index(drop=True)
    ranked["rank"] = range(1, len(ranked) + 1)
    if top is not None:
        ranked = ranked.head(top)
    ranked["method"] = method
    ranked["run_id"] = run_id
    ranked["period_from"] = d_from
    ranked["period_to"] = d_to
    head = ranked.head(COHERENCE_TOP)
    texts = event_texts(con, member_map(head), run_id)
    by_event = {int(k): g for k, g in texts.groupby("event_id")}
    labels, keywords, coherent = {}, {}, {}
    for event_id, g in by_event.items():
        labels[event_id], keywords[event_id] = cluster_label(g["title"].tolist())
    coherent = coherence({k: g["text"].tolist() for k, g in by_event.items()})
    ranked["label"] = ranked["event_id"].map(labels).fillna("（未命名事件）")
    ranked["keywords"] = ranked["event_id"].map(keywords)
    ranked["coherence"] = ranked["event_id"].map(coherent).astype("float64")
    ranked["topic_id"] = ranked["event_id"].map({k: g["topic_id"].mode().iloc[0] if g["topic_id"].notna().any()
                                                  else None for k, g in by_event.items()})  # fmt: skip
    ranked["parent_label"] = ranked["topic_id"].map(_issue_labels(con, run_id)) if run_id else None
    return ranked


def member_map(events: pd.DataFrame) -> dict[int, list[int]]:
    """{event_id: member complaints.id} of a ranked events frame."""
    return {int(e): [int(i) for i in ids] for e, ids in zip(events["event_id"], events["member_ids"], strict=True)}


def _issue_labels(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[int, str]:
    rows = con.execute("SELECT topic_id, label FROM topics WHERE run_id = ? AND level = 'issue'", [run_id]).fetchall()
    return {int(t): str(label) for t, label in rows}


def event_texts(
    con: duckdb.DuckDBPyConnection, members: dict[int, list[int]], run_id: str | None = None
) -> pd.DataFrame:
    """Member complaints of the given events ({event_id: [complaints.id]}), oldest first per event;
    ``topic_id`` is the complaint's issue topic in ``run_id`` (None without a run)."""
    pairs = pd.DataFrame(
        [(int(e), int(i)) for e, ids in members.items() for i in ids], columns=["event_id", "id"]
    ).astype("int64")
    name = "_hotspot_event_pairs"
    con.register(name, pairs)
    try:
        return con.execute(
            f"""SELECT p.event_id, c.id, c.complaint_id, c.title, c.received_at, c.county, c.sector, c.business,
                       c.kind, c.support, c.opposition,
                       a.topic_id,
                       left(trim(coalesce(c.title, '') || ' ' || coalesce(c.content, '')), 300) AS text
                FROM {name} p JOIN complaints c ON c.id = p.id
                LEFT JOIN topic_assignments a ON a.id = c.id AND a.run_id = ?
                ORDER BY p.event_id, c.received_at, c.id""",
            [run_id],
        ).df()
    finally:
        con.unregister(name)
