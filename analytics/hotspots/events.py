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

from analytics.hotspots.features import members_cte, resolve_period, window

HOTNESS_WEIGHTS = {"count": 0.40, "support": 0.30, "burst": 0.20, "span": 0.10}
COHERENCE_TOP = 100  # events whose coherence is computed (the best ranked)
HOTNESS_LABELS = {"count": "留言数", "support": "点赞与反对", "burst": "爆发强度", "span": "持续时间"}


def event_stats(
    con: duckdb.DuckDBPyConnection, run_id: str, date_from: date, date_to: date, min_size: int = 2
) -> pd.DataFrame:
    """One row per event cluster with its raw measurements (n, likes, dislikes, peak week, span)."""
    params = [run_id, *window(date_from, date_to)]
    return con.execute(
        f"""WITH {members_cte()},
        ev AS (SELECT * FROM m WHERE event_id IS NOT NULL),
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
            SELECT event_id, mode(topic_id) AS topic_id, count(*) AS size,
                   sum(coalesce(support, 0)) AS likes, sum(coalesce(opposition, 0)) AS dislikes,
                   count(support) + count(opposition) AS support_known,
                   min(received_at) AS first_seen, max(received_at) AS last_seen,
                   date_diff('day', min(received_at), max(received_at)) + 1 AS span_days
            FROM ev GROUP BY event_id HAVING count(*) >= ?
        )
        SELECT main.*, weekly.peak_week FROM main JOIN weekly USING (event_id)""",
        [*params, min_size],
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


def rank_events(
    con: duckdb.DuckDBPyConnection,
    year: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    top: int | None = None,
    run_id: str | None = None,
    min_size: int = 2,
) -> pd.DataFrame:
    """Event clusters of the period ranked by hotness, with labels, keywords, counties and coherence."""
    from analytics.hotspots.ranking import ensure_run

    period = resolve_period(con, year, date_from, date_to)
    if period is None:
        return pd.DataFrame(columns=["rank", "event_id", "label", "hotness", "size"])
    if run_id is None:  # the same run as the issue ranking (one topic model serves both levels)
        bounded = bool(year or date_from)
        run_id = ensure_run(con, period.prev_from if bounded else None, period.date_to if (year or date_to) else None)
    stats = event_stats(con, run_id, period.date_from, period.date_to, min_size)
    ranked = hotness(stats).sort_values(["hotness", "size"], ascending=[False, False]).reset_index(drop=True)
    ranked["rank"] = range(1, len(ranked) + 1)
    if top is not None:
        ranked = ranked.head(top)
    meta = con.execute(
        """SELECT t.topic_id AS event_id, t.label, t.keywords, t.representatives, p.label AS parent_label
           FROM topics t LEFT JOIN topics p ON p.run_id = t.run_id AND p.topic_id = t.parent_topic_id
                                               AND p.level = 'issue'
           WHERE t.run_id = ? AND t.level = 'event'""",
        [run_id],
    ).df()
    ranked = ranked.merge(meta, on="event_id", how="left")
    ranked["label"] = ranked["label"].fillna(ranked["parent_label"]).fillna("（未命名事件）")
    ranked["run_id"] = run_id
    ranked["period_from"] = period.date_from
    ranked["period_to"] = period.date_to
    # Coherence for the top of the list only: that is what an analyst reads, and it bounds the cost.
    head = ranked["event_id"].head(COHERENCE_TOP).tolist()
    texts = event_texts(con, run_id, period.date_from, period.date_to, head)
    scores = coherence({int(k): v for k, v in texts.groupby("event_id")["text"].agg(list).items()})
    ranked["coherence"] = ranked["event_id"].map(scores).astype("float64")
    return ranked


def event_texts(
    con: duckdb.DuckDBPyConnection, run_id: str, date_from: date, date_to: date, event_ids: list[int]
) -> pd.DataFrame:
    """(event_id, complaint_id, title, text) of the members of the given events (text: first 300 chars)."""
    if not event_ids:
        return pd.DataFrame(columns=["event_id", "complaint_id", "title", "text"])
    marks = ", ".join("?" for _ in event_ids)
    return con.execute(
        f"""WITH {members_cte()}
        SELECT event_id, complaint_id, title, received_at, county, sector, business, kind, support, opposition,
               left(trim(coalesce(title, '') || ' ' || coalesce(content, '')), 300) AS text
        FROM m WHERE event_id IN ({marks}) ORDER BY event_id, received_at""",
        [run_id, *window(date_from, date_to), *[int(e) for e in event_ids]],
    ).df()
