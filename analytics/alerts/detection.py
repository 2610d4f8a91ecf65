"""Early warning (预警): unusual rises per business, county × sector and topic × county, and new topics.

Method, for a reference day ``as_of`` = D:

- Two windows: the day D (日) and the 7 days ending on D (周). A series' baseline is the same window
  in each of the previous ``baseline_weeks`` weeks (same weekday for the daily window), so the
  weekly rhythm of complaints is built in.
- Seasonal factor: how the same 7 days compared with their baseline weeks one and two years
  earlier, for the series' sector (a business: its sector; topics: all complaints; a sector with
  too little history: all complaints); the mean over the years, clipped to [0.5, 3]; 1 without
  history. "The same days" two ways: the same calendar dates (双十一, 618, 3·15, 国庆) and, within
  25 days of 春节/中秋, the same offset from the festival (they move by weeks between years); the
  larger factor wins, so recurring peaks of either kind are expected, not alerted.
- Each window of each series is tested by :mod:`analytics.alerts.evaluation` (expected count,
  negative-binomial upper bound, Bonferroni q, level 红 / 橙 / 黄); this module reads the counts
  and names what passes. A series alerted in both windows is listed once, with the stronger evidence.
- New topics (新话题): a topic or event cluster of the latest topic run whose complaints up to D
  are almost all (≥ 80%) from the last 28 days, with at least ``min_new`` of them.
- Counts are of complaints (件次); each alert also says how many matters (事项) its complaints are
  (``matters``), so one person calling again is told from many cases (docs/matters.md, 预警).
"""

from __future__ import annotations

import logging
import warnings
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics.alerts.evaluation import LEVELS, AlertParams, evaluate, level, significance
from analytics.alerts.season import season_history
from analytics.errors import UserError
from analytics.store.access import refused_as_read_only
from analytics.store.stages import reads
from analytics.topics.runs import resolve_run

log = logging.getLogger(__name__)

WINDOWS = {"日": 1, "周": 7}
DIMENSION_LABELS = {
    "business": "经营者",
    "county_sector": "区县×行业",
    "topic_county": "话题×区县",
    "new_topic": "新话题",
}
# key columns per dimension; SQL expressions over complaints c (and topic_assignments a)
_KEYS: dict[str, dict[str, str]] = {
    "business": {"business": "nullif(trim(c.business), '')"},
    "county_sector": {"county": "c.county", "sector": "c.sector"},
    "topic_county": {"topic_id": "a.topic_id", "county": "c.county"},
}
# topic assignments of a run, with the analyst's merges folded in (a merged topic counts as its target)
TOPIC_JOIN = "JOIN curated_assignments a ON a.id = c.id AND a.run_id = $run_id"  # binds $run_id


ALERT_COLUMNS = [
    "alert_id", "level", "dimension", "dimension_label", "subject", "county", "sector", "business",
    "topic_id", "topic_label", "event_id", "run_id", "window", "window_from", "window_to", "observed",
    "matters", "expected", "upper", "ratio", "p_value", "q_value", "season_factor", "baseline_from", "baseline_to",
    "dispersion", "tests", "evidence", "complaint_ids", "row_ids", "filter",
]  # fmt: skip


@reads("complaints")
def default_as_of(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest day a complaint was received (None for an empty database): the default 预警日期 of
    the page and the CLI. Not the latest closure, which can lie weeks after the last receipt, where
    no window holds a complaint and nothing could be raised."""
    row = con.execute("SELECT max(received_at)::DATE FROM complaints").fetchone()
    return row[0] if row else None


def resolve_as_of(con: duckdb.DuckDBPyConnection, as_of: date | datetime | str | None) -> date:
    if isinstance(as_of, datetime):
        return as_of.date()
    if isinstance(as_of, date):
        return as_of
    if as_of:
        try:
            return date.fromisoformat(str(as_of))
        except ValueError as exc:
            raise UserError(f"Not a date: {as_of!r}", zh=f"日期格式错误：{as_of!r}（应为 YYYY-MM-DD）") from exc
    day = default_as_of(con)
    if day is None:
        raise UserError("The database has no complaints yet", zh="数据库中还没有投诉数据")
    return day


def _daily_counts(
    con: duckdb.DuckDBPyConnection, dimension: str, first: date, last: date, run_id: str | None
) -> tuple[pd.DataFrame, np.ndarray]:
    """Keys (one row per series) and a (series × day) count matrix for days ``first`` .. ``last``."""
    keys = _KEYS[dimension]
    join = TOPIC_JOIN if dimension == "topic_county" else ""
    select = ", ".join(f"{expr} AS {name}" for name, expr in keys.items())
    # the sector whose seasonality applies to the series (a business's sector; none for topics)
    sector = "any_value(c.sector) AS _sector" if dimension == "business" else "NULL AS _sector"
    not_null = " AND ".join(f"{expr} IS NOT NULL" for expr in keys.values())
    sql = (
        f"SELECT {select}, date_diff('day', $first, CAST(c.received_at AS DATE)) AS t, count(*) AS n, {sector} "
        f"FROM complaints c {join} WHERE c.received_at >= $first AND c.received_at < $end AND {not_null} "
        f"GROUP BY {', '.join(['t', *keys.values()])}"
    )
    params: dict[str, Any] = {"first": first, "end": last + timedelta(days=1)}
    if join:
        params["run_id"] = run_id
    df = con.execute(sql, params).df()
    names = list(keys)
    if df.empty:
        return pd.DataFrame(columns=[*names, "_sector"]), np.zeros((0, (last - first).days + 1))
    if dimension == "county_sector":
        df["_sector"] = df["sector"]
    groups = df.groupby(names, sort=False)
    codes = groups.ngroup().to_numpy()
    keys = groups["_sector"].first().reset_index()  # same first-appearance order as ngroup with sort=False
    matrix = np.zeros((len(keys), (last - first).days + 1))
    np.add.at(matrix, (codes, df["t"].to_numpy(dtype=np.int64)), df["n"].to_numpy(dtype=float))
    return keys, matrix


def _rises(
    con: duckdb.DuckDBPyConnection, dimension: str, day: date, p: AlertParams, run_id: str | None = None
) -> pd.DataFrame:
    span = 7 * (p.baseline_weeks + 1)
    first = day - timedelta(days=span - 1)
    keys, matrix = _daily_counts(con, dimension, first, day, run_id)
    if not len(keys):
        return pd.DataFrame()
    sectors = [None, *sorted({s for s in keys["_sector"] if isinstance(s, str)})]
    history = season_history(con, first, day, sectors, p.season_years)
    rows = [sectors.index(s) if isinstance(s, str) else 0 for s in keys["_sector"]]
    season = history[:, rows, :]
    found = []
    for window, width in WINDOWS.items():
        res = evaluate(matrix, season, span - 1, width, p, season_all=history[:, :1, :])
        res = pd.concat([keys, res], axis=1)
        res = res[res["eligible"]]
        res["level"] = [level(q, r) for q, r in zip(res["q_value"], res["ratio"], strict=True)]
        res = res[res["level"].notna()].copy()
        res["window"] = window
        res["window_from"] = day - timedelta(days=width - 1)
        res["window_to"] = day
        res["baseline_from"] = day - timedelta(days=7 * p.baseline_weeks + width - 1)
        res["baseline_to"] = day - timedelta(days=7)
        found.append(res)
    out = pd.concat(found, ignore_index=True)
    if out.empty:
        return out
    out["level_rank"] = out["level"].map({name: i for i, name in enumerate(LEVELS)})
    out = out.sort_values(["level_rank", "q_value", "window"]).drop_duplicates(list(keys.columns))
    out["dimension"] = dimension
    if dimension == "business":
        out["sector"] = out["_sector"]
    return out.drop(columns=["_sector"])


def _subject(row: pd.Series) -> str:
    dim = row["dimension"]
    if dim == "business":
        return str(row["business"])
    if dim == "county_sector":
        return f"{row['county']} · {row['sector']}"
    label = row.get("topic_label") or f"话题{row['topic_id']}"
    return f"{label} · {row['county']}" if dim == "topic_county" else str(label)


def _evidence(row: pd.Series, p: AlertParams) -> str:
    if row["dimension"] == "new_topic":
        return (
            f"近{p.new_window_days}天新出现 {row['observed']} 件（{row['matters']} 个事项），"
            f"此前 {int(row['expected'])} 件"
            f"（{row['window_from']:%m-%d} 至 {row['window_to']:%m-%d}）"
        )
    span = "当日" if row["window"] == "日" else f"近7天（{row['window_from']:%m-%d} 至 {row['window_to']:%m-%d}）"
    same = "前8周同一星期几" if row["window"] == "日" else f"前{p.baseline_weeks}周"
    return (
        f"{span}{row['observed']} 件（{row['matters']} 个事项），期望 {row['expected']:.1f} 件（{same}均值"
        f"×季节系数 {row['season_factor']:.2f}，"
        f"基线 {row['baseline_from']:%Y-%m-%d} 至 {row['baseline_to']:%Y-%m-%d}），"
        f"上限 {row['upper']:.0f} 件，为期望的 {row['ratio']:.1f} 倍，{significance(row['q_value'])}"
    )


def topic_run(con: duckdb.DuckDBPyConnection) -> str | None:
    """The current topic run, brought up to date first; None when topics could not be computed."""
    try:
        return resolve_run(con, compute=True)
    except Exception as exc:
        if refused_as_read_only(exc):
            raise  # a command reading first (store.access.reading_first) reopens to write and retries
        msg = f"topic-based alerts skipped: topics could not be computed ({exc})"
        log.warning(msg)
        warnings.warn(msg, stacklevel=2)
        return None


def topic_labels(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[int, str]:
    """Topic and event labels of a run, the analyst's rename first (the ``curated_labels`` view of
    migration 0009, the one owner of renames and merges)."""
    rows = con.execute("SELECT topic_id, label FROM curated_labels WHERE run_id = $run_id", {"run_id": run_id})
    return {int(t): str(label) for t, label in rows.fetchall()}


def _new_topics(con: duckdb.DuckDBPyConnection, day: date, run_id: str, p: AlertParams) -> pd.DataFrame:
    start = day - timedelta(days=p.new_window_days - 1)
    df = con.execute(
        """SELECT a.topic_id, CASE WHEN grouping(a.event_id) = 0 THEN a.event_id END AS event_id,
                  grouping(a.event_id) AS issue_level,
                  count(*) FILTER (WHERE c.received_at >= $start) AS recent,
                  count(*) FILTER (WHERE c.received_at < $start) AS before
           FROM topic_assignments a JOIN complaints c ON c.id = a.id
           WHERE a.run_id = $run_id AND c.received_at < $end
           GROUP BY GROUPING SETS ((a.topic_id), (a.topic_id, a.event_id))""",
        {"start": start, "run_id": run_id, "end": day + timedelta(days=1)},
    ).df()
    df = df[(df["issue_level"] == 1) | df["event_id"].notna()]
    new = df[(df["recent"] >= p.min_new) & (df["recent"] >= p.new_share * (df["recent"] + df["before"]))].copy()
    new_topic_ids = set(new.loc[new["issue_level"] == 1, "topic_id"])
    new = new[(new["issue_level"] == 1) | ~new["topic_id"].isin(new_topic_ids)]  # the topic says it already
    if new.empty:
        return pd.DataFrame()
    new["level"] = np.select([new["recent"] >= 5 * p.min_new, new["recent"] >= 2.5 * p.min_new], ["红", "橙"], "黄")
    new["level_rank"] = new["level"].map({name: i for i, name in enumerate(LEVELS)})
    new = new.rename(columns={"recent": "observed", "before": "expected"})
    new["observed"] = new["observed"].astype(int)
    new["ratio"] = new["observed"] / new["expected"].clip(lower=1)
    new["window"] = f"{p.new_window_days}天"
    new["window_from"], new["window_to"] = start, day
    new["dimension"] = "new_topic"
    return new.drop(columns=["issue_level"])


def _attach_ids(
    con: duckdb.DuckDBPyConnection, alerts: pd.DataFrame, day: date, run_id: str | None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The complaints behind each alert, oldest first: their numbers (the export's ``complaint_id``,
    what analysts know), their rows (``complaints.id``: each source numbers its own complaints, so
    only the row names one), and how many matters (事项) they are: the rise is measured on
    complaints, the analyst also sees whether it is many cases or one case reported again
    (docs/matters.md)."""
    first = min(alerts["window_from"])
    topic_cols = (
        "a.topic_id, a.raw_topic_id, a.event_id"
        if run_id
        else "NULL AS topic_id, NULL AS raw_topic_id, NULL AS event_id"
    )
    rows = con.execute(
        f"""SELECT c.id, c.complaint_id, CAST(c.received_at AS DATE) AS day, nullif(trim(c.business), '') AS business,
                  c.county, c.sector, coalesce(l.matter_id, c.id) AS matter, {topic_cols}
           FROM complaints c LEFT JOIN matter_links l ON l.id = c.id
                {TOPIC_JOIN.replace("JOIN", "LEFT JOIN", 1) if run_id else ""}
           WHERE c.received_at >= $first AND c.received_at < $end ORDER BY c.received_at, c.complaint_id""",
        {"first": first, "end": day + timedelta(days=1), **({"run_id": run_id} if run_id else {})},
    ).df()
    ids, rows_of, matters = [], [], []
    for _, alert in alerts.iterrows():
        m = (rows["day"] >= pd.Timestamp(alert["window_from"])) & (rows["day"] <= pd.Timestamp(alert["window_to"]))
        for col in {
            "business": ["business"],
            "county_sector": ["county", "sector"],
            "topic_county": ["topic_id", "county"],
            "new_topic": ["raw_topic_id"] + (["event_id"] if pd.notna(alert.get("event_id")) else []),
        }[alert["dimension"]]:
            m &= rows[col] == alert["topic_id" if col == "raw_topic_id" else col]
        mine = rows[m.fillna(False)]
        ids.append(mine["complaint_id"].astype(str).tolist())
        rows_of.append([int(i) for i in mine["id"]])
        matters.append(int(mine["matter"].nunique()))
    return (
        pd.Series(ids, index=alerts.index, dtype=object),
        pd.Series(rows_of, index=alerts.index, dtype=object),
        pd.Series(matters, index=alerts.index, dtype="int64"),
    )


def _drill_filter(alert: dict[str, Any]) -> dict[str, Any]:
    """The complaints behind an alert as a filter: period plus the series' keys (None = any)."""
    out: dict[str, Any] = {"date_from": alert["window_from"], "date_to": alert["window_to"]}
    for key in ("county", "sector", "business", "topic_id", "event_id", "run_id"):
        value = alert.get(key)
        out[key] = None if value is None or (not isinstance(value, str) and pd.isna(value)) else value
    return out


def detect(
    con: duckdb.DuckDBPyConnection,
    as_of: date | datetime | str | None = None,
    params: AlertParams | None = None,
    *,
    topics: bool = True,
    compute_topics: bool = True,
    run_id: str | None = None,
) -> pd.DataFrame:
    """The alert list for ``as_of`` (default: the data's latest date), most severe first.

    Columns: :data:`ALERT_COLUMNS`; ``.attrs["notes"]``: what was left out and why. ``topics=False``
    skips the topic-based detectors; ``compute_topics=False`` uses the latest whole-data topic run
    as it is (no computing, for the UI); ``run_id`` uses that topic run.
    """
    p = params or AlertParams()
    day = resolve_as_of(con, as_of)
    notes: list[str] = []
    if topics and run_id is None:
        run_id = topic_run(con) if compute_topics else resolve_run(con)
        if run_id is None:
            notes.append(
                "话题未能计算，本次未运行话题×区县与新话题预警。"
                if compute_topics
                else "话题尚未计算（导入后在后台自动计算），本次未运行话题×区县与新话题预警。"
            )
    parts = [_rises(con, "business", day, p), _rises(con, "county_sector", day, p)]
    labels: dict[int, str] = {}
    if topics and run_id:
        labels = topic_labels(con, run_id)
        parts += [_rises(con, "topic_county", day, p, run_id), _new_topics(con, day, run_id, p)]
    parts = [x for x in parts if len(x)]
    if not parts:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ALERT_COLUMNS})
        empty.attrs["notes"] = notes
        return empty
    out = pd.concat(parts, ignore_index=True)
    for col in ALERT_COLUMNS:
        if col not in out.columns:
            out[col] = None
    out["run_id"] = [run_id if pd.notna(t) else None for t in out["topic_id"]]
    out["topic_label"] = [
        labels.get(int(e if pd.notna(e) else t)) if pd.notna(t) else None
        for t, e in zip(out["topic_id"], out["event_id"], strict=True)
    ]
    out["dimension_label"] = out["dimension"].map(DIMENSION_LABELS)
    out["subject"] = out.apply(_subject, axis=1)
    out["complaint_ids"], out["row_ids"], out["matters"] = _attach_ids(con, out, day, run_id if topics else None)
    out["evidence"] = out.apply(lambda r: _evidence(r, p), axis=1)
    out["alert_id"] = [
        f"{d}:{s}:{w}:{day}" for d, s, w in zip(out["dimension"], out["subject"], out["window"], strict=True)
    ]
    out["filter"] = [_drill_filter(r) for r in out.to_dict("records")]
    out = out.sort_values(["level_rank", "q_value", "ratio"], ascending=[True, True, False], na_position="last")
    out = out[ALERT_COLUMNS].reset_index(drop=True)
    out.attrs["notes"] = notes  # shown by the page and the CLI
    return out
