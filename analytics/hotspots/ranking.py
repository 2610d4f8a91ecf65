"""Rank the issue-level topics of a period: features → components → score → shortlist → why.

Growth needs each topic's count in the same period one year earlier: both are counted in the one
current topic run (``analytics.topics.resolve_run``, over all complaints), each in its half-open
window, so a topic's count for a year is the same in every view that asks. A topic that only existed last year
scores 0 on volume; a topic new this year scores high on growth.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import duckdb
import pandas as pd

from analytics import settings
from analytics.hotspots.explain import why_sentences
from analytics.hotspots.features import (
    Period,
    members_cte,
    resolve_period,
    topic_breakdowns,
    topic_features,
    topic_trend,
    window,
)
from analytics.hotspots.merging import near_duplicates
from analytics.hotspots.scoring import (
    COMPONENTS,
    UNIT_COLUMNS,
    components,
    components_long,
    resolve_weights,
    score,
)
from analytics.hotspots.shortlist import shortlist_size
from analytics.profile import load_profile
from analytics.store.stages import reads
from analytics.topics.runs import require_run


@dataclass
class IssueRanking:
    """Tidy results of one ranking. ``ranking`` has one row per topic, best first: ``size`` and
    ``n_prev`` count complaints (件次), ``matters`` and ``matters_prev`` matters (事项); volume and
    growth were scored on ``unit`` (HOTSPOT_VOLUME_UNIT)."""

    period: Period | None
    run_id: str | None
    weights: dict[str, float]
    ranking: pd.DataFrame
    components: pd.DataFrame = field(default_factory=pd.DataFrame)  # long: topic_id, component, ...
    breakdowns: pd.DataFrame = field(default_factory=pd.DataFrame)  # long: topic_id, dimension, value, n
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)  # topic_id, month, n, in_period
    representatives: pd.DataFrame = field(default_factory=pd.DataFrame)  # topic_id, complaint_id, title
    features: pd.DataFrame = field(default_factory=pd.DataFrame)  # raw measurements (features.py)
    meta: pd.DataFrame = field(default_factory=pd.DataFrame)  # topic labels, keywords, representatives
    merges: dict[int, int] = field(default_factory=dict)  # near-duplicate topic -> kept topic (merging.py)
    unit: str = "matters"  # what volume and growth count: a key of scoring.UNIT_COLUMNS

    @property
    def shortlist(self) -> pd.DataFrame:
        return self.ranking[self.ranking["shortlisted"]]


def topic_meta(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Issue topics of the run with the analyst's label where one is set."""
    return con.execute(
        """SELECT topic_id, label, keywords, representatives, pinned FROM curated_labels
           WHERE run_id = $run_id AND level = 'issue' AND shown_as = topic_id""",
        {"run_id": run_id},
    ).df()


def representatives(con: duckdb.DuckDBPyConnection, run_id: str, per_topic: int = 5) -> pd.DataFrame:
    """(topic_id, complaint_id, title, received_at) of each issue topic's representative complaints."""
    return con.execute(
        """WITH r AS (
               SELECT topic_id, unnest(representatives[1:$per_topic]) AS id FROM topics
               WHERE run_id = $run_id AND level = 'issue'
           )
           SELECT r.topic_id, c.complaint_id, c.title, c.received_at
           FROM r JOIN complaints c USING (id) ORDER BY r.topic_id, c.received_at""",
        {"per_topic": per_topic, "run_id": run_id},
    ).df()


@reads("complaints", "topics", "matters")
def rank_issues(
    con: duckdb.DuckDBPyConnection,
    year: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    weights: dict[str, float] | tuple[tuple[str, float], ...] | None = None,
    run_id: str | None = None,
    unit: str | None = None,
) -> IssueRanking:
    """Score and rank every issue topic of the period; ``weights`` override data/hotspot_weights.toml,
    ``unit`` (matters / complaints) the HOTSPOT_VOLUME_UNIT setting.

    ``weights`` may be a tuple of pairs so the UI cache can hash it.
    """
    weights_map = resolve_weights(dict(weights) if weights else None)
    unit_setting = settings.SETTINGS["HOTSPOT_VOLUME_UNIT"]
    unit = unit_setting.cast(unit) if unit else unit_setting.value()
    period = resolve_period(con, year, date_from, date_to)
    if period is None:
        return IssueRanking(None, None, weights_map, _empty_ranking(), unit=unit)
    if run_id is None:
        run_id = require_run(con)
    # Fragments of one issue (same sector, alike keywords) are ranked as one candidate (merging.py).
    merges = near_duplicates(con, run_id)
    features = topic_features(con, run_id, period, merges)
    meta = topic_meta(con, run_id)
    features = features[features["topic_id"].isin(meta["topic_id"])].reset_index(drop=True)
    if features.empty:
        return IssueRanking(period, run_id, weights_map, _empty_ranking(), unit=unit)
    base = IssueRanking(
        period=period,
        run_id=run_id,
        weights=weights_map,
        ranking=_empty_ranking(),
        breakdowns=topic_breakdowns(con, run_id, period, merges=merges),
        trend=topic_trend(con, run_id, period, merges),
        representatives=representatives(con, run_id),
        features=features,
        meta=meta,
        merges=merges,
        unit=unit,
    )
    return rescore(base, weights_map)


def rescore(result: IssueRanking, weights: dict[str, float] | tuple[tuple[str, float], ...] | None) -> IssueRanking:
    """The same ranking under other weights, without touching the database (the page's sliders)."""
    weights_map = resolve_weights(dict(weights) if weights else None)
    if result.features.empty:
        return replace(result, weights=weights_map)
    features, meta, breakdowns = result.features.copy(), result.meta, result.breakdowns
    profile = load_profile()
    comps = components(features, n_counties=len(profile.counties), unit=result.unit)
    features["score"] = score(comps, weights_map)
    ranking = features.merge(meta, on="topic_id", how="left")
    now, before = UNIT_COLUMNS[result.unit]
    # Ties: bigger topic first, then the stable topic id, so the order never depends on row order.
    ranking = ranking.sort_values(["score", now, "topic_id"], ascending=[False, False, True]).reset_index(drop=True)
    ranking["rank"] = range(1, len(ranking) + 1)
    merged: dict[int, list[int]] = {}
    for fragment, kept in result.merges.items():
        merged.setdefault(int(kept), []).append(int(fragment))
    ranking["merged_topics"] = [sorted(merged.get(int(t), [])) for t in ranking["topic_id"]]
    k = shortlist_size(ranking["score"].tolist())
    ranking["shortlisted"] = ranking["rank"] <= k
    # In the unit growth was scored on, so the why-sentence and this column agree.
    ranking["change_on_last_year"] = [
        (n - p) / p if (p > 0 and base == "previous") else None
        for n, p, base in zip(ranking[now], ranking[before], ranking["baseline"], strict=True)
    ]
    top = breakdowns[breakdowns["rank"] == 1].pivot(index="topic_id", columns="dimension", values="value")
    ranking["dominant_sector"] = ranking["topic_id"].map(top.get("sector", {}))
    ranking["regulator"] = [profile.regulator_of(s) if isinstance(s, str) else "" for s in ranking["dominant_sector"]]
    long = components_long(comps, weights_map)
    businesses = {
        int(tid): g.sort_values("rank")["value"].tolist()
        for tid, g in breakdowns[breakdowns["dimension"] == "business"].groupby("topic_id")
    }
    why = why_sentences(ranking, features, long, businesses, unit=result.unit)
    ranking["why"] = ranking["topic_id"].map(why)
    ranking = ranking.merge(comps, on="topic_id", how="left")
    ranking = ranking.rename(columns={"n": "size", "n_matters": "matters", "n_prev_matters": "matters_prev"})
    return replace(result, weights=weights_map, ranking=ranking, components=long)


def _empty_ranking() -> pd.DataFrame:
    cols = ["rank", "topic_id", "label", "score", "shortlisted", "size", "matters", "n_prev", "matters_prev", "why"]
    cols += list(COMPONENTS)
    return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})


def members(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    period: Period,
    topic_ids: list[int] | None = None,
    merges: dict[int, int] | None = None,
) -> pd.DataFrame:
    """Member complaints (topic_id, complaint_id, received_at, county, sector, business, title, kind).

    Near-duplicate topics count for the topic they were merged into, as in the ranking (``merges``
    defaults to :func:`near_duplicates` of the run)."""
    if merges is None:
        merges = near_duplicates(con, run_id)
    where, params = "", {}
    if topic_ids is not None:
        where, params = "WHERE list_contains($topic_ids, topic_id)", {"topic_ids": [int(t) for t in topic_ids]}
    return con.execute(
        f"""WITH {members_cte(merges=merges)}
        SELECT topic_id, complaint_id, received_at, county, sector, business, kind, title, closed_at, resolved
        FROM m {where} ORDER BY topic_id, received_at, complaint_id""",
        {"run_id": run_id, **window(period.start, period.end), **params},
    ).df()


@reads("complaints", "topics")
def topic_complaints(
    con: duckdb.DuckDBPyConnection, run_id: str, date_from: date, date_to: date, topic_id: int, limit: int = 500
) -> pd.DataFrame:
    """The newest ``limit`` complaints of one topic in the period (for the page's drill-down), with its
    near-duplicate topics merged in as in the ranking."""
    merges = near_duplicates(con, run_id)
    return con.execute(
        f"""WITH {members_cte(merges=merges)}
        SELECT complaint_id, received_at, county, sector, business, kind, title, closed_at, resolved
        FROM m WHERE topic_id = $topic_id ORDER BY received_at DESC, complaint_id LIMIT $limit""",
        {"run_id": run_id, **window(date_from, date_to), "topic_id": int(topic_id), "limit": int(limit)},
    ).df()
