"""Overdue flags for the difficulty component, computed inside DuckDB with the working-day calendar.

Due dates follow :mod:`analytics.workdays` (咨询 2 working days, 求助/建议 10, 投诉/举报 15, other 15;
the day of receipt not counted; official holidays, 调休 and the overrides file). The calendar is a
small table (one row per day) with ``ord`` = working days up to and including the day; the due day
of a complaint received on day r is the working day whose ordinal is ``ord(r) + N``. One join, no
per-row Python, so it stays fast on a million complaints.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.workdays import DEADLINE_DAYS, DEFAULT_DEADLINE_DAYS, calendar_for

CALENDAR_TABLE = "_hotspot_workday_calendar"


def calendar_frame(first: date, last: date) -> pd.DataFrame:
    """Working-day calendar ``(d, is_work, widx)`` covering ``first`` .. ``last`` and a margin.

    Register it on the connection as :data:`CALENDAR_TABLE` (a view of a DataFrame works on a
    read-only connection too).
    """
    frame = calendar_for(first, last).frame()
    return pd.DataFrame({"d": frame["day"].dt.date, "is_work": frame["workday"], "widx": frame["ord"]})


def due_days_case(column: str) -> str:
    """SQL CASE giving the number of working days allowed for the kind in ``column``."""
    whens = " ".join(f"WHEN '{kind}' THEN {n}" for kind, n in DEADLINE_DAYS.items())
    return f"(CASE {column} {whens} ELSE {DEFAULT_DEADLINE_DAYS} END)"


def due_day_ctes() -> str:
    """Common table expression ``_due(widx, due_day)``: the calendar day of each working-day ordinal.

    Join a complaint's receipt day to the calendar for ``widx``, add its allowance, and join the sum
    to ``_due`` to get its due day (see the module docstring).
    """
    return f"_due AS (SELECT widx, min(d) AS due_day FROM {CALENDAR_TABLE} WHERE is_work GROUP BY widx)"
