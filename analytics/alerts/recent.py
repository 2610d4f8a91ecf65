"""The alerts of the last few weeks in one list, for the analyst who opens 预警 on a Monday.

``detect`` answers for one day (its daily window and the 7 days before it). Running it on the last
day and on every 7th day before covers each day of the span with a weekly window; a subject that
fires on several of those days is listed once, at its most recent day, with how often it fired.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from analytics.alerts.detection import ALERT_COLUMNS, detect, resolve_as_of
from analytics.alerts.evaluation import LEVELS, AlertParams
from analytics.store.stages import reads


def recent_alerts(
    con: duckdb.DuckDBPyConnection,
    as_of: date | None = None,
    weeks: int = 4,
    params: AlertParams | None = None,
    *,
    topics: bool = True,
    compute_topics: bool = True,
) -> pd.DataFrame:
    """Alerts raised on ``as_of`` and every 7th day before it, ``weeks`` days in all, one row per
    subject (its most recent alert), most severe first. Extra columns: ``as_of`` (the day the
    alert was raised) and ``times`` (on how many of the scanned days it fired)."""
    last = resolve_as_of(con, as_of)
    found: list[pd.DataFrame] = []
    notes: list[str] = []
    for k in range(max(1, weeks)):
        day = last - timedelta(days=7 * k)
        alerts = detect(con, day, params, topics=topics, compute_topics=compute_topics and k == 0)
        notes += [n for n in alerts.attrs.get("notes", []) if n not in notes]
        if len(alerts):
            found.append(alerts.assign(as_of=day))
    if not found:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in [*ALERT_COLUMNS, "as_of", "times"]})
        empty.attrs["notes"] = notes
        return empty
    every = pd.concat(found, ignore_index=True)
    key = ["dimension", "subject"]
    times = every.groupby(key, dropna=False)["as_of"].transform("nunique")
    every = every.assign(times=times, level_rank=every["level"].map({lv: i for i, lv in enumerate(LEVELS)}))
    # Most recent alert per subject; then most severe first, newest first within a level.
    latest = every.sort_values("as_of", ascending=False, kind="stable").drop_duplicates(key)
    latest = latest.sort_values(["level_rank", "as_of", "observed"], ascending=[True, False, False], kind="stable")
    out = latest.drop(columns="level_rank").reset_index(drop=True)
    out.attrs["notes"] = notes
    return out


@reads("complaints", "topics", "matters")  # matters: each alert's 事项 (matter_links)
def alerts_as_of(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    weeks: int = 1,
    *,
    topics: bool = True,
    compute_topics: bool = False,
) -> pd.DataFrame:
    """The alerts the ``alerts`` command and the 预警 page show: with ``weeks`` 1 every alert raised
    on ``as_of`` (a subject's daily and weekly windows both listed), else :func:`recent_alerts`.
    Topic detectors use the current topic run as stored (``compute_topics``: brought up to date
    first, for commands; pages never compute)."""
    day = resolve_as_of(con, as_of)
    if weeks > 1:
        return recent_alerts(con, day, weeks, topics=topics, compute_topics=compute_topics)
    found = detect(con, day, topics=topics, compute_topics=compute_topics)
    out = found.assign(as_of=day, times=1)
    out.attrs["notes"] = found.attrs.get("notes", [])
    return out
