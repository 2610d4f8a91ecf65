"""Event hotspots: the events of the event stage (``analytics.events``) ranked by a hotness index.

The events are those stored with the topic run of the period (``topic_assignments.event_id``): the
same events on 话题, 热点, 预警, in exports and on the command line. For each event with at least
``min_size`` complaints in the period:

- n       matters (事项) in the period, or complaints (件次) when HOTSPOT_VOLUME_UNIT=complaints: one
          complainant's ten calls about one case are one, so one angry customer cannot make an event
- s       likes + dislikes (点赞数 + 反对数) summed over its complaints: both mean people cared
- peak    the most complaints in any 7 consecutive days (how sudden it was)

    index   = ln(1 + n) + 0.3 · ln(1 + s) + 0.2 · ln(1 + peak)
    hotness = 100 × index / (the period's largest index)

The index grows with size without saturating: 55 complaints (ln 56 = 4.0) outrank 7 (ln 8 = 2.1)
unless the 7 drew about 500 times the likes. Likes weigh less than complaints: a like costs a
reader one click, a complaint costs its writer an afternoon. How long an event lasted adds nothing
(a year-long theme is not hotter for it). Without likes in the export, s is 0 for every event and
the ranking is by size and burst. ``coherence`` (0..1) is the mean cosine similarity of each
member's character-bigram TF-IDF vector to its event's centroid: high means the messages say the
same thing.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analytics import settings
from analytics.hotspots.features import members_cte, resolve_period, window
from analytics.store.stages import reads
from analytics.topics.runs import require_run

HOTNESS_WEIGHTS = {"count": 1.0, "support": 0.3, "burst": 0.2}
COHERENCE_TOP = 100  # events whose coherence is computed (the best ranked)
EVENTS_SHOWN = 30  # event hotspots the 热点 page lists and its 热点事件表 download holds
HOTNESS_LABELS = {"count": "留言数", "support": "点赞与反对", "burst": "爆发强度"}
HOTNESS_RULE = (
    "热度指数："
    + " + ".join(
        f"{'' if HOTNESS_WEIGHTS[part] == 1 else format(HOTNESS_WEIGHTS[part], 'g') + '·'}ln(1+{name})"
        for part, name in (("count", "留言数"), ("support", "点赞与反对"), ("burst", "7日峰值"))
    )
    + "，以本时段最高者为 100；留言数越多越热，不封顶。"
    "留言数默认按事项计：同一案件的重复投诉、多渠道投诉只算一次。"
)
UNNAMED = "（未命名事件）"

EVENTS_VIEW = "_hotspot_event_members"  # (id, event_id) registered for the duration of a ranking


def event_stats(con: duckdb.DuckDBPyConnection, min_size: int = 2) -> pd.DataFrame:
    """One row per event of :data:`EVENTS_VIEW` with its raw measurements (n, likes, peak week, span)."""
    return con.execute(
        f"""WITH ev AS (
            SELECT e.event_id, c.*, coalesce(l.matter_id, c.id) AS matter
            FROM {EVENTS_VIEW} e JOIN complaints c ON c.id = e.id LEFT JOIN matter_links l ON l.id = c.id
        ),
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
            SELECT event_id, count(*) AS size, count(DISTINCT matter) AS matters,
                   sum(coalesce(support, 0)) AS likes, sum(coalesce(opposition, 0)) AS dislikes,
                   count(support) + count(opposition) AS support_known,
                   min(received_at) AS first_seen, max(received_at) AS last_seen,
                   date_diff('day', min(received_at), max(received_at)) + 1 AS span_days,
                   list(id ORDER BY received_at, id) AS member_ids
            FROM ev GROUP BY event_id HAVING count(*) >= $min_size
        )
        SELECT main.*, weekly.peak_week FROM main JOIN weekly USING (event_id)""",
        {"min_size": min_size},
    ).df()


def hotness(stats: pd.DataFrame, unit: str = "matters") -> pd.DataFrame:
    """Adds the parts (count, support, burst: each w · ln(1 + x)), the index and the hotness (0..100);
    count is of ``unit``: matters (事项) or complaints (件次, the ``size`` column)."""
    out = stats.copy()
    out["support_total"] = out["likes"] + out["dislikes"]
    sources = {"count": "matters" if unit == "matters" else "size", "support": "support_total", "burst": "peak_week"}
    for part, column in sources.items():
        out[part] = HOTNESS_WEIGHTS[part] * np.log1p(out[column].astype("float64").clip(lower=0))
    out["index"] = sum(out[part] for part in sources) if len(out) else []
    top = float(out["index"].max()) if len(out) else 0.0
    out["hotness"] = (100.0 * out["index"] / top).round(2) if top > 0 else 0.0
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


def event_members(con: duckdb.DuckDBPyConnection, d_from: date, d_to: date, run_id: str) -> pd.DataFrame:
    """(id, event_id) of the period's complaints that belong to an event of the run."""
    return con.execute(
        f"WITH {members_cte()} SELECT id, event_id FROM m WHERE event_id IS NOT NULL",
        {"run_id": run_id, **window(d_from, d_to)},
    ).df()


@reads("complaints", "topics", "matters")
def rank_events(
    con: duckdb.DuckDBPyConnection,
    year: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    top: int | None = None,
    run_id: str | None = None,
    min_size: int = 2,
    unit: str | None = None,
) -> pd.DataFrame:
    """Events of the period ranked by hotness, with label, keywords, members and coherence; the count
    part counts ``unit`` (matters / complaints), by default the HOTSPOT_VOLUME_UNIT setting."""
    unit_setting = settings.SETTINGS["HOTSPOT_VOLUME_UNIT"]
    unit = unit_setting.cast(unit) if unit else unit_setting.value()
    period = resolve_period(con, year, date_from, date_to)
    if period is None:
        return pd.DataFrame(columns=["rank", "event_id", "label", "hotness", "size", "member_ids"])
    d_from, d_to = period.start, period.end
    if run_id is None:  # the same run as the issue ranking
        run_id = require_run(con)
    con.register(EVENTS_VIEW, event_members(con, d_from, d_to, run_id))
    try:
        stats = event_stats(con, min_size)
    finally:
        con.unregister(EVENTS_VIEW)
    counted = "matters" if unit == "matters" else "size"
    ranked = hotness(stats, unit).sort_values(["index", counted, "event_id"], ascending=[False, False, True])
    ranked = ranked.reset_index(drop=True)
    ranked["rank"] = range(1, len(ranked) + 1)
    if top is not None:
        ranked = ranked.head(top)
    ranked["method"] = "events"
    ranked["run_id"] = run_id
    ranked["period_from"] = d_from
    ranked["period_to"] = d_to
    described = _event_descriptions(con, run_id)
    ranked["label"] = ranked["event_id"].map(described["label"]).fillna(UNNAMED)
    ranked["keywords"] = ranked["event_id"].map(described["keywords"])
    ranked["topic_id"] = ranked["event_id"].map(described["parent_topic_id"])
    ranked["parent_label"] = ranked["topic_id"].map(_issue_labels(con, run_id))
    head = ranked.head(COHERENCE_TOP)
    texts = event_texts(con, member_map(head), run_id)
    coherent = coherence({int(k): g["text"].tolist() for k, g in texts.groupby("event_id")})
    ranked["coherence"] = ranked["event_id"].map(coherent).astype("float64")
    return ranked


def _event_descriptions(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    return (
        con.execute(
            # The analyst's rename first (curated_labels): an event keeps its id while it continues.
            """SELECT topic_id AS event_id, label, keywords, parent_topic_id FROM curated_labels
               WHERE run_id = $run_id AND level = 'event'""",
            {"run_id": run_id},
        )
        .df()
        .set_index("event_id")
    )


def member_map(events: pd.DataFrame) -> dict[int, list[int]]:
    """{event_id: member complaints.id} of a ranked events frame."""
    return {int(e): [int(i) for i in ids] for e, ids in zip(events["event_id"], events["member_ids"], strict=True)}


def _issue_labels(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[int, str]:
    rows = con.execute(
        "SELECT topic_id, label FROM curated_labels WHERE run_id = $run_id AND level = 'issue'", {"run_id": run_id}
    ).fetchall()
    return {int(t): str(label) for t, label in rows}


@reads("complaints", "topics")
def event_texts(
    con: duckdb.DuckDBPyConnection, members: dict[int, list[int]], run_id: str | None = None, *, export: bool = False
) -> pd.DataFrame:
    """Member complaints of the given events ({event_id: [complaints.id]}), oldest first per event;
    ``topic_id`` is the complaint's issue topic in ``run_id`` (None without a run). With ``export``
    also source, content and closure, for the exports' member tables (only they need whole texts)."""
    extra = "c.source, c.content, c.closed_at," if export else ""
    pairs = pd.DataFrame(
        [(int(e), int(i)) for e, ids in members.items() for i in ids], columns=["event_id", "id"]
    ).astype("int64")
    name = "_hotspot_event_pairs"
    con.register(name, pairs)
    try:
        return con.execute(
            f"""SELECT p.event_id, c.id, c.complaint_id, c.title, c.received_at, c.county, c.sector, c.business,
                       c.kind, c.support, c.opposition, {extra}
                       a.topic_id,
                       left(trim(coalesce(c.title, '') || ' ' || coalesce(c.content, '')), 300) AS text
                FROM {name} p JOIN complaints c ON c.id = p.id
                LEFT JOIN topic_assignments a ON a.id = c.id AND a.run_id = $run_id
                ORDER BY p.event_id, c.received_at, c.id""",
            {"run_id": run_id},
        ).df()
    finally:
        con.unregister(name)
