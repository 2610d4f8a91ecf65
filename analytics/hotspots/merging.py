"""Near-duplicate issue topics become one hotspot candidate before ranking.

The topic model sometimes splits one issue over 2–3 topics (“开发商延期交房” and “违约金延期交房”).
Ranked apart, the fragments take shortlist places from other issues and each looks smaller than the
issue is. Two issue topics of a run are merged for the hotspot ranking when

- both have the same most frequent sector, and at least half of each topic's complaints are in it
  (one lead department; catch-all topics are never merged), and
- their keywords are alike: cosine similarity ≥ ``MIN_SIMILARITY`` of character-bigram vectors of
  the top 20 keywords, the k-th keyword weighted 1/√k (the topic model's keywords are phrases such as
  “延期交房赔偿”, so shared bigrams catch the same wording in different phrases).

Merges are transitive (union–find over the qualifying pairs, most similar first). The merged
candidate keeps the id, label, keywords and representatives of its biggest topic; its members are
all the fragments' complaints. An analyst's own curation comes first: a topic the analyst renamed,
pinned or merged is never merged away automatically (it may absorb others). Documented in
docs/hotspots.md.
"""

from __future__ import annotations

import math
from collections import Counter

import duckdb

MIN_SIMILARITY = 0.45
MIN_SECTOR_SHARE = 0.5
TOP_KEYWORDS = 20


def keyword_vector(keywords: list[str]) -> Counter[str]:
    """Character bigrams of the top keywords, the k-th keyword weighted 1/√k."""
    vec: Counter[str] = Counter()
    for k, word in enumerate(list(keywords)[:TOP_KEYWORDS], start=1):
        for j in range(len(word) - 1):
            vec[word[j : j + 2]] += 1.0 / math.sqrt(k)
    return vec


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b[x] for x, v in a.items() if x in b)
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def near_duplicates(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[int, int]:
    """{fragment topic_id: kept topic_id} for the run's near-duplicate issue topics (may be empty)."""
    rows = con.execute(
        """WITH counts AS (
               SELECT a.topic_id, c.sector, count(*) AS k
               FROM curated_assignments a JOIN complaints c ON c.id = a.id
               WHERE a.run_id = $run_id GROUP BY ALL
           ),
           sectors AS (
               SELECT topic_id, arg_max(sector, k) FILTER (WHERE sector IS NOT NULL AND sector <> '其他') AS sector,
                      max(k) FILTER (WHERE sector IS NOT NULL AND sector <> '其他') / sum(k) AS share,
                      sum(k) AS n
               FROM counts GROUP BY topic_id
           )
           SELECT t.topic_id, t.keywords, s.sector, s.share, s.n, t.curated
           FROM curated_labels t JOIN sectors s USING (topic_id)
           WHERE t.run_id = $run_id AND t.level = 'issue' AND t.shown_as = t.topic_id""",
        {"run_id": run_id},
    ).fetchall()
    topics = [
        (int(tid), keyword_vector([str(k) for k in (kws or [])]), sector, float(share or 0), int(n), bool(curated))
        for tid, kws, sector, share, n, curated in rows
        if sector is not None
    ]
    by_sector: dict[str, list[tuple[int, Counter[str], int, bool]]] = {}
    for tid, vec, sector, share, n, curated in topics:
        if share >= MIN_SECTOR_SHARE:
            by_sector.setdefault(sector, []).append((tid, vec, n, curated))
    pairs: list[tuple[float, int, int]] = []
    for group in by_sector.values():
        for i, (a, va, _, _) in enumerate(group):
            for b, vb, _, _ in group[i + 1 :]:
                sim = cosine(va, vb)
                if sim >= MIN_SIMILARITY:
                    pairs.append((sim, a, b))
    if not pairs:
        return {}
    size = {tid: n for g in by_sector.values() for tid, _, n, _ in g}
    curated = {tid for g in by_sector.values() for tid, _, _, c in g if c}
    parent = {tid: tid for tid in size}

    def root(t: int) -> int:
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    for _, a, b in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        # The kept topic: an analyst-curated one if any, else the bigger (then the lower id).
        keep, drop = sorted((ra, rb), key=lambda t: (t not in curated, -size[t], t))
        if drop in curated:
            continue  # two curated topics: the analyst decides
        parent[drop] = keep
    return {tid: root(tid) for tid in parent if root(tid) != tid}


def merge_join(merges: dict[int, int] | None, topic_sql: str) -> tuple[str, str]:
    """(JOIN clause, topic id expression) applying ``merges`` to ``topic_sql``; literal ints only."""
    if not merges:
        return "", topic_sql
    values = ", ".join(f"({int(a)}, {int(b)})" for a, b in sorted(merges.items()))
    join = f"LEFT JOIN (VALUES {values}) AS _hm(from_topic, into_topic) ON _hm.from_topic = {topic_sql}"
    return join, f"coalesce(_hm.into_topic, {topic_sql})"
