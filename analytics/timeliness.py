"""On-time closure (时效): due dates, on-time closure rate against the 98% target, overdue and due-soon lists.

Definitions:

- A complaint is due at the end of the Nth working day after the day of receipt
  (:mod:`analytics.workdays`). ``as_of`` is the reference moment, by default the data's own snapshot
  date (the latest receipt or closure in the database), so an old export is judged as it stood then.
- Status at ``as_of`` (complaints received after ``as_of`` are ignored; a closure after ``as_of`` is
  treated as still open):
  按时办结 closed by the end of the due day; 超期办结 closed after it; 超期未办结 still open after
  the due day; 未到期 open and not yet due.
- On-time closure rate = 按时办结 / (按时办结 + 超期办结 + 超期未办结). Open complaints that are not yet
  due are not counted either way. Groups: month of receipt, county, department, kind, sector.

Everything is computed in DuckDB: the working-day calendar is registered as a small table of
(day, working-day ordinal); a due date is one join (ordinal of the receipt day + N).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics.errors import UserError
from analytics.filters import Filters
from analytics.schema import BLANK, labels
from analytics.store import quote_literal
from analytics.store.stages import reads
from analytics.workdays import DEADLINE_DAYS, DEFAULT_DEADLINE_DAYS, WorkCalendar, calendar_for

TARGET = 0.98
DIMENSIONS: dict[str, str] = {
    "month": "strftime(received_at, '%Y-%m')",
    "county": f"coalesce(nullif(county, ''), '{BLANK}')",
    "department": f"coalesce(nullif(trim(department), ''), '{BLANK}')",
    "kind": "kind",
    "sector": f"coalesce(nullif(sector, ''), '{BLANK}')",
}
DIMENSION_LABELS = labels(*DIMENSIONS)
DUE_SOON_WORKDAYS = 2


@reads("complaints")
def default_as_of(con: duckdb.DuckDBPyConnection) -> date | None:
    """The data's snapshot date: the latest receipt or closure recorded (None for an empty DB)."""
    sql = "SELECT max(greatest(received_at, coalesce(closed_at, received_at))) FROM complaints"
    row = con.execute(sql).fetchall()[0]
    return row[0].date() if row and row[0] is not None else None


def _as_date(value: date | datetime | str | None) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        zh = f"日期格式错误：{value!r}（应为 YYYY-MM-DD）"
        raise UserError(f"Not a date: {value!r} (use YYYY-MM-DD)", zh=zh) from exc


def _kind_days_sql() -> str:
    whens = " ".join(f"WHEN '{k}' THEN {n}" for k, n in DEADLINE_DAYS.items())
    return f"CASE kind {whens} ELSE {DEFAULT_DEADLINE_DAYS} END"


@contextmanager
def _calendar_table(con: duckdb.DuckDBPyConnection, cal: WorkCalendar) -> Iterator[str]:
    """Register the calendar as a view for the duration of a query (works on read-only DBs too)."""
    name = f"_workcal_{uuid.uuid4().hex[:12]}"
    con.register(name, cal.frame())
    try:
        yield name
    finally:
        con.unregister(name)


def _scope(
    con: duckdb.DuckDBPyConnection, filters: Filters | None, as_of: date | datetime | str | None
) -> tuple[str, dict[str, Any], date | None, WorkCalendar | None]:
    """WHERE clause, its named values (the filter's and ``$as_of``), the as_of date and a calendar
    covering the filtered complaints."""
    where, params = (filters or Filters()).where()
    as_of_d = _as_date(as_of) or default_as_of(con)
    if as_of_d is None:
        return where, params, None, None
    where = f"({where}) AND received_at < CAST($as_of AS DATE) + INTERVAL 1 DAY"
    params = {**params, "as_of": as_of_d}
    sql = f"SELECT min(received_at), max(received_at) FROM complaints WHERE {where}"
    lo, hi = con.execute(sql, params).fetchall()[0]
    if lo is None:
        return where, params, as_of_d, None
    return where, params, as_of_d, calendar_for(lo.date(), max(hi.date(), as_of_d))


def _detail_sql(cal_name: str, where: str) -> str:
    """One row per complaint in scope with due day and status; binds what ``where`` binds and ``$as_of``."""
    return f"""
    WITH wd AS (SELECT ord, day FROM {cal_name} WHERE workday),
    base AS (
        SELECT c.id, c.complaint_id, c.kind, c.received_at, c.county, c.town, c.department, c.sector,
               c.source, c.business, c.title,
               CASE WHEN c.closed_at < CAST($as_of AS DATE) + INTERVAL 1 DAY THEN c.closed_at END AS closed_at,
               CAST(w.day AS DATE) AS due_day, w.ord AS due_ord
        FROM (SELECT *, {_kind_days_sql()} AS n_days FROM complaints WHERE {where}) c
        JOIN {cal_name} r ON r.day = CAST(c.received_at AS DATE)
        JOIN wd w ON w.ord = r.ord + c.n_days
    ),
    ref AS (SELECT ord AS asof_ord FROM {cal_name} WHERE day = CAST($as_of AS DATE))
    SELECT base.*, due_day + INTERVAL 1 DAY - INTERVAL 1 SECOND AS due_at,
        CASE WHEN closed_at IS NOT NULL AND closed_at < due_day + INTERVAL 1 DAY THEN '按时办结'
             WHEN closed_at IS NOT NULL THEN '超期办结'
             WHEN due_day < CAST($as_of AS DATE) THEN '超期未办结'
             ELSE '未到期' END AS status,
        due_ord - asof_ord AS workdays_left
    FROM base, ref
    """


def _run(
    con: duckdb.DuckDBPyConnection,
    outer: str,
    filters: Filters | None,
    as_of: date | datetime | str | None,
    extra: dict[str, Any] | None = None,
) -> pd.DataFrame | None:
    """The ``outer`` query over the detail rows ``d``; ``extra``: its own named values besides ``$as_of``."""
    where, params, as_of_d, cal = _scope(con, filters, as_of)
    if cal is None or as_of_d is None:
        return None
    with _calendar_table(con, cal) as name:
        sql = f"WITH d AS ({_detail_sql(name, where)}) {outer}"
        return con.execute(sql, {**params, **(extra or {})}).df()


_AGG = """count(*) AS total,
    count(*) FILTER (status = '按时办结') AS closed_on_time,
    count(*) FILTER (status = '超期办结') AS closed_late,
    count(*) FILTER (status = '超期未办结') AS open_overdue,
    count(*) FILTER (status = '未到期') AS pending"""


def _finish_rates(frame: pd.DataFrame) -> pd.DataFrame:
    frame["due"] = frame["closed_on_time"] + frame["closed_late"] + frame["open_overdue"]
    frame["on_time_rate"] = (frame["closed_on_time"] / frame["due"].where(frame["due"] > 0)).astype("Float64")
    frame["target"] = TARGET
    frame["meets_target"] = frame["on_time_rate"] >= TARGET
    return frame


@reads("complaints")
def rates(
    con: duckdb.DuckDBPyConnection,
    by: str = "month",
    filters: Filters | None = None,
    as_of: date | datetime | str | None = None,
) -> pd.DataFrame:
    """On-time closure per group: ``group, total, closed_on_time, closed_late, open_overdue, pending,
    due, on_time_rate, target, meets_target`` (``on_time_rate`` is NA when nothing is due yet)."""
    if by not in DIMENSIONS:
        raise UserError(f"--by must be one of {', '.join(DIMENSIONS)}", zh=f"分组应为：{'、'.join(DIMENSIONS)}")
    outer = f'SELECT {DIMENSIONS[by]} AS "group", {_AGG} FROM d GROUP BY 1 ORDER BY 1'
    frame = _run(con, outer, filters, as_of)
    if frame is None:
        cols = ["group", "total", "closed_on_time", "closed_late", "open_overdue", "pending"]
        frame = pd.DataFrame({c: pd.Series(dtype="int64" if c != "group" else "string") for c in cols})
    frame = _finish_rates(frame)
    if by != "month":
        frame = frame.sort_values(["on_time_rate", "due"], ascending=[True, False], na_position="last")
    return frame.reset_index(drop=True)


@reads("complaints")
def summary(
    con: duckdb.DuckDBPyConnection, filters: Filters | None = None, as_of: date | datetime | str | None = None
) -> dict[str, Any]:
    """Overall numbers: counts per status, on-time rate, target, as_of and calendar warnings."""
    _, _, as_of_d, cal = _scope(con, filters, as_of)
    frame = _run(con, f"SELECT {_AGG} FROM d", filters, as_of)
    out: dict[str, Any] = {"as_of": as_of_d, "target": TARGET, "warnings": list(cal.warnings) if cal else []}
    if frame is None:
        frame = pd.DataFrame([{"total": 0, "closed_on_time": 0, "closed_late": 0, "open_overdue": 0, "pending": 0}])
    row = _finish_rates(frame).iloc[0]
    for key in ("total", "closed_on_time", "closed_late", "open_overdue", "pending", "due"):
        out[key] = int(row[key])
    rate = row["on_time_rate"]
    out["on_time_rate"] = None if pd.isna(rate) else float(rate)
    out["meets_target"] = None if pd.isna(rate) else bool(rate >= TARGET)
    return out


_LIST_COLS = "complaint_id, kind, received_at, due_at, closed_at, status, county, department, sector, business, title"


@reads("complaints")
def overdue(
    con: duckdb.DuckDBPyConnection,
    filters: Filters | None = None,
    as_of: date | datetime | str | None = None,
    *,
    include_closed: bool = False,
    limit: int | None = None,
) -> pd.DataFrame:
    """Open complaints past their due day (and, with ``include_closed``, those closed late), most
    overdue first, with ``days_overdue`` (calendar days past the due day at closure or ``as_of``)."""
    statuses = ["超期未办结", "超期办结"] if include_closed else ["超期未办结"]
    as_of_d = _as_date(as_of) or default_as_of(con)
    lim = f"LIMIT {int(limit)}" if limit else ""
    outer = (
        f"SELECT {_LIST_COLS}, date_diff('day', due_day, coalesce(CAST(closed_at AS DATE), CAST($as_of AS DATE)))"
        " AS days_overdue FROM d WHERE list_contains($statuses, status)"
        f" ORDER BY days_overdue DESC, received_at {lim}"
    )
    frame = _run(con, outer, filters, as_of_d, {"statuses": statuses})
    return frame if frame is not None else _empty_list(["days_overdue"])


@reads("complaints")
def due_soon(
    con: duckdb.DuckDBPyConnection,
    filters: Filters | None = None,
    as_of: date | datetime | str | None = None,
    *,
    workdays: int = DUE_SOON_WORKDAYS,
    limit: int | None = None,
) -> pd.DataFrame:
    """Open complaints not yet overdue whose due day is within ``workdays`` working days of ``as_of``
    (``workdays_left`` 0 = due by the end of ``as_of``), soonest first."""
    lim = f"LIMIT {int(limit)}" if limit else ""
    outer = (
        f"SELECT {_LIST_COLS}, workdays_left FROM d WHERE status = '未到期' AND workdays_left <= $workdays"
        f" ORDER BY due_at, received_at {lim}"
    )
    frame = _run(con, outer, filters, as_of, {"workdays": int(workdays)})
    return frame if frame is not None else _empty_list(["workdays_left"])


def detail(
    con: duckdb.DuckDBPyConnection,
    filters: Filters | None = None,
    as_of: date | datetime | str | None = None,
) -> pd.DataFrame:
    """One row per complaint: ``complaint_id, kind, received_at, due_at, closed_at, on_time, status``
    (``on_time`` is NA for an open complaint that is not yet due)."""
    outer = (
        "SELECT complaint_id, kind, received_at, due_at, closed_at,"
        " CASE status WHEN '按时办结' THEN true WHEN '未到期' THEN NULL ELSE false END AS on_time, status,"
        " county, department, sector FROM d ORDER BY received_at, complaint_id"
    )
    frame = _run(con, outer, filters, as_of)
    if frame is None:
        return _empty_list(["on_time"])
    return frame


def _empty_list(extra: list[str]) -> pd.DataFrame:
    cols = [c.strip() for c in _LIST_COLS.split(",")] + extra
    return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})


def write_detail_json(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    filters: Filters | None = None,
    as_of: date | datetime | str | None = None,
) -> None:
    """Write :func:`detail`'s six interface columns to ``path`` as a JSON array, from DuckDB's own
    writer (a million rows in seconds; Python-side serialisation takes minutes). Times are ISO 8601
    without zone; ``on_time`` is null for an open complaint not yet due."""

    def iso(col: str) -> str:
        return f"strftime({col}, '%Y-%m-%dT%H:%M:%S') AS {col}"

    outer = (
        f"SELECT complaint_id, kind, {iso('received_at')}, {iso('due_at')}, {iso('closed_at')},"
        " CASE status WHEN '按时办结' THEN true WHEN '未到期' THEN NULL ELSE false END AS on_time"
        " FROM d ORDER BY d.received_at, complaint_id"
    )
    where, params, as_of_d, cal = _scope(con, filters, as_of)
    if cal is None or as_of_d is None:
        Path(path).write_text("[]", encoding="utf-8")
        return
    target = quote_literal(str(path))
    with _calendar_table(con, cal) as name:
        sql = f"COPY (WITH d AS ({_detail_sql(name, where)}) {outer}) TO {target} (FORMAT json, ARRAY true)"
        con.execute(sql, params).fetchall()
