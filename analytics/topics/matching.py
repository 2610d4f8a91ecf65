"""Stable topic ids: each new topic takes the id of the earlier topic it continues.

Matching is a maximum-weight one-to-one assignment (Hungarian) between the new topics and the topics
of the latest earlier run. Weight: Jaccard overlap of members where the runs share complaints,
plus half the Jaccard overlap of keywords (which carries the match when periods differ). A pair is
accepted from weight 0.2 (pinned topics: 0.1, an analyst asked to keep them). Unmatched new topics
get fresh ids above every id used so far, so an id never changes meaning.
"""

from __future__ import annotations

import duckdb
import numpy as np
from scipy.optimize import linear_sum_assignment

from analytics.events import EVENT_BASE

# Key of topic_runs.params holding the highest event id of runs pruned since (topics.store.prune_runs).
EVENT_HIGH = "event_high"

MIN_WEIGHT = 0.2
MIN_WEIGHT_PINNED = 0.1


def previous_run(con: duckdb.DuckDBPyConnection) -> str | None:
    row = next(
        iter(
            con.execute(
                "SELECT run_id FROM topic_runs WHERE n_topics > 0 ORDER BY created_at DESC, run_id DESC LIMIT 1"
            ).fetchall()
        ),
        None,
    )
    return row[0] if row else None


def next_free_id(con: duckdb.DuckDBPyConnection) -> int:
    """The next issue topic id: above every issue id used so far (curated ones included), below
    the event ids (a curation row keyed by an event's id must not lift issue ids into theirs)."""
    row = con.execute(
        """SELECT greatest(coalesce((SELECT max(topic_id) FROM topics WHERE level = 'issue'), 0),
                           coalesce((SELECT max(topic_id) FROM topic_curation WHERE topic_id < $base), 0),
                           coalesce((SELECT max(merged_into) FROM topic_curation WHERE merged_into < $base), 0))""",
        {"base": EVENT_BASE},
    ).fetchall()[0]
    return int(row[0]) + 1


def next_event_id(con: duckdb.DuckDBPyConnection) -> int:
    """The next fresh event id: above every event id of a stored run, of a run pruned since
    (``EVENT_HIGH``) or of a curation row, so an id never changes meaning (``analytics.events.continuity``)."""
    row = con.execute(
        f"""SELECT greatest($base - 1,
                           coalesce((SELECT max(topic_id) FROM topics WHERE level = 'event'), 0),
                           coalesce((SELECT max(CAST(json_extract_string(params, '$.{EVENT_HIGH}') AS BIGINT))
                                     FROM topic_runs), 0),
                           coalesce((SELECT max(topic_id) FROM topic_curation), 0))""",
        {"base": EVENT_BASE},
    ).fetchall()[0]
    return int(row[0]) + 1


def _jaccard_sets(a: list[set], b: list[set]) -> np.ndarray:
    out = np.zeros((len(a), len(b)))
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            union = len(x | y)
            out[i, j] = len(x & y) / union if union else 0.0
    return out


def match_ids(
    con: duckdb.DuckDBPyConnection,
    ids: np.ndarray,
    labels: np.ndarray,
    keywords: list[list[str]],
) -> list[int]:
    """Stable topic id for each new topic 0..k-1 (members: ``ids`` with topic ``labels``)."""
    k = len(keywords)
    prev = previous_run(con)
    start = next_free_id(con)
    if prev is None:
        return list(range(start, start + k))
    old = con.execute(
        """SELECT t.topic_id, t.keywords, coalesce(tc.pinned, false)
           FROM topics t LEFT JOIN topic_curation tc USING (topic_id)
           WHERE t.run_id = $prev AND t.level = 'issue' ORDER BY t.topic_id""",
        {"prev": prev},
    ).fetchall()
    if not old:
        return list(range(start, start + k))
    old_ids = [r[0] for r in old]
    pinned = np.array([bool(r[2]) for r in old])
    weight = 0.5 * _jaccard_sets([set(kw) for kw in keywords], [set(r[1]) for r in old])
    members = con.execute(
        "SELECT id, topic_id FROM topic_assignments WHERE run_id = $prev", {"prev": prev}
    ).fetchnumpy()
    if len(members["id"]):
        # Member overlap through a joint id index (vectorised; runs can hold a million complaints).
        order = np.argsort(ids)
        pos = np.searchsorted(ids[order], members["id"])
        pos = np.clip(pos, 0, max(len(ids) - 1, 0))
        shared = (len(ids) > 0) & (ids[order][pos] == members["id"]) if len(ids) else np.zeros(0, bool)
        col = {t: j for j, t in enumerate(old_ids)}
        old_cols = np.array([col.get(int(t), -1) for t in members["topic_id"]])
        ok = shared & (old_cols >= 0)
        inter = np.zeros((k, len(old_ids)))
        np.add.at(inter, (labels[order][pos[ok]], old_cols[ok]), 1)
        new_sizes = np.bincount(labels, minlength=k)[:, None]
        old_sizes = np.bincount(old_cols[old_cols >= 0], minlength=len(old_ids))[None, :]
        weight += inter / np.maximum(new_sizes + old_sizes - inter, 1)
    rows, cols = linear_sum_assignment(-weight)
    result = [-1] * k
    for r, c in zip(rows, cols, strict=True):
        if weight[r, c] >= (MIN_WEIGHT_PINNED if pinned[c] else MIN_WEIGHT):
            result[r] = int(old_ids[c])
    for i in range(k):
        if result[i] < 0:
            result[i] = start
            start += 1
    return result
