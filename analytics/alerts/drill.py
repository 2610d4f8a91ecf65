"""Drilling into one alert: its series over time (observed vs expected) and the complaints behind it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics.alerts.detection import TOPIC_JOIN
from analytics.alerts.evaluation import AlertParams, evaluate
from analytics.alerts.season import season_history
from analytics.store.stages import reads

# dimension -> the condition selecting the series' complaints; each $name binds the alert's field of that name
_SERIES_FILTER = {
    "business": "nullif(trim(c.business), '') = $business",
    "county_sector": "c.county = $county AND c.sector = $sector",
    "topic_county": "a.topic_id = $topic_id AND c.county = $county",
    "new_topic": "a.raw_topic_id = $topic_id",
}


def _series_sql(alert: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """JOIN clause, WHERE clause and the values both bind by name: the complaints of the alert's series."""
    dim = alert["dimension"]
    cond = _SERIES_FILTER[dim]
    params = {name: alert[name] for name in re.findall(r"\$(\w+)", cond)}
    if dim == "new_topic" and alert.get("event_id") is not None and not pd.isna(alert["event_id"]):
        cond += " AND a.event_id = $event_id"
        params["event_id"] = alert["event_id"]
    if dim in ("topic_county", "new_topic"):
        return TOPIC_JOIN, cond, {**params, "run_id": alert["run_id"]}
    return "", cond, params


_KEY_FIELDS = (
    "dimension", "dimension_label", "subject", "level", "window", "window_to", "business", "county", "sector",
    "topic_id", "event_id", "run_id", "dispersion", "tests",
)  # fmt: skip


def alert_key(alert: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The fields :func:`alert_history` needs, as a hashable tuple (the UI caches by it)."""

    def plain(value: Any) -> Any:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        return value.item() if isinstance(value, np.generic) else value

    return tuple((k, plain(alert.get(k))) for k in _KEY_FIELDS)


@reads("complaints", "topics")
def alert_history(
    con: duckdb.DuckDBPyConnection,
    alert: dict[str, Any] | tuple[tuple[str, Any], ...],
    periods: int = 12,
    params: AlertParams | None = None,
) -> pd.DataFrame:
    """Observed vs expected (and the upper bound) for the alert's series over the ``periods`` windows
    up to the alert's day: ``window_to, observed, expected, upper`` (new topics: observed only)."""
    alert = dict(alert)  # a row dict or an :func:`alert_key` tuple
    p = params or AlertParams()
    day = pd.Timestamp(alert["window_to"]).date()
    width = 1 if alert["window"] == "日" else 7
    step = 1 if width == 1 else 7
    span = 7 * (p.baseline_weeks + 1) + step * (periods - 1)
    first = day - timedelta(days=span - 1)
    join, cond, args = _series_sql(alert)
    df = con.execute(
        f"SELECT date_diff('day', $first, CAST(c.received_at AS DATE)) AS t, count(*) AS n FROM complaints c {join} "
        f"WHERE c.received_at >= $first AND c.received_at < $end AND {cond} GROUP BY 1",
        {**args, "first": first, "end": day + timedelta(days=1)},
    ).df()
    counts = np.zeros(span)
    counts[df["t"].to_numpy(dtype=np.int64)] = df["n"].to_numpy(dtype=float)
    ends = [span - 1 - step * j for j in range(periods - 1, -1, -1)]
    if alert["dimension"] == "new_topic":
        obs = [counts[max(e - 6, 0) : e + 1].sum() for e in ends]
        days = [first + timedelta(days=e) for e in ends]
        return pd.DataFrame({"window_to": days, "observed": obs, "expected": np.nan, "upper": np.nan})
    sector = alert.get("sector") if alert["dimension"] in ("business", "county_sector") else None
    sector = sector if isinstance(sector, str) else None
    history = season_history(con, first, day, [None, sector] if sector else [None], p.season_years)
    rows = []
    for e in ends:
        res = evaluate(
            counts[None, :],
            history[:, -1:, :],
            e,
            width,
            p,
            dispersion=float(alert["dispersion"]),
            tests=int(alert["tests"]),
            season_all=history[:, :1, :],
        ).iloc[0]
        rows.append((first + timedelta(days=e), res["observed"], res["expected"], res["upper"]))
    return pd.DataFrame(rows, columns=["window_to", "observed", "expected", "upper"])


_DRILL_COLS = "complaint_id, received_at, kind, county, town, sector, business, title, closed_at"


@reads("complaints")
def alert_complaints(con: duckdb.DuckDBPyConnection, row_ids: list[int] | tuple[int, ...]) -> pd.DataFrame:
    """The complaints behind an alert, by their rows (the alert's ``row_ids``: two sources may give
    two complaints one number); no free text beyond the title: personal data stays out."""
    ids = [int(i) for i in row_ids]
    if not ids:
        return pd.DataFrame(columns=[c.strip() for c in _DRILL_COLS.split(",")])
    return con.execute(
        f"SELECT {_DRILL_COLS} FROM complaints WHERE list_contains($ids, id) ORDER BY received_at, complaint_id",
        {"ids": ids},
    ).df()
