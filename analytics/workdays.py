"""China's working-day calendar and complaint due dates.

Working days follow the official calendar (public holidays and 调休 make-up working days) from the
maintained ``chinese_calendar`` library, plus ``data/calendar_overrides.toml`` so an analyst can add
a newly announced year or correct a date. For a year the library does not know, the calendar falls
back to "Monday..Friday" plus the overrides, and says so in :attr:`WorkCalendar.warnings`. It is the
one holiday calendar of the engine: early warning's festival dates (:func:`festival_starts`) and the
春节 report period's window (:func:`festival_window`) come from it too. (The shopping festivals 618 and
双十一 are no holidays: their promotion windows are in data/calendar/holidays.toml.)

Due dates: the day of receipt is not counted; a complaint is due at the end of the Nth working day
after it, N by kind (:data:`DEADLINE_DAYS`). Kinds outside the five statutory ones (其他, anything
unmapped) get the longest limit, :data:`DEFAULT_DEADLINE_DAYS` = 15, so that a complaint of unknown
kind is never reported late when a statutory kind would not be.
"""

from __future__ import annotations

import logging
import tomllib
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import chinese_calendar
import numpy as np
import pandas as pd

from analytics.errors import UserError
from analytics.settings import DATA_DIR

log = logging.getLogger(__name__)

OVERRIDES_PATH = DATA_DIR / "calendar_overrides.toml"
DEADLINE_DAYS: dict[str, int] = {"咨询": 2, "求助": 10, "建议": 10, "投诉": 15, "举报": 15}
DEFAULT_DEADLINE_DAYS = 15
LUNAR_FESTIVALS = ("Spring Festival", "Mid-autumn Festival")  # chinese_calendar's names of the moving holidays
# Margin added past the last date asked for, so due dates of the latest complaints are inside the
# calendar (15 working days across 春节 are about 30 calendar days).
_MARGIN_DAYS = 120


def deadline_days(kind: str | None) -> int:
    """Working days allowed for a complaint of ``kind`` (其他 / unknown: the default)."""
    return DEADLINE_DAYS.get(kind or "", DEFAULT_DEADLINE_DAYS)


@dataclass(frozen=True)
class Overrides:
    workdays: frozenset[date] = frozenset()
    holidays: frozenset[date] = frozenset()


def _parse_entries(entries: object, key: str, path: Path) -> set[date]:
    if not isinstance(entries, list):
        raise UserError(f"{path}: '{key}' must be a list of dates", zh=f"{path}：'{key}' 应为日期列表")
    out: set[date] = set()
    for entry in entries:
        try:
            if isinstance(entry, date):
                out.add(entry)
                continue
            text = str(entry).strip()
            first, sep, last = text.partition("..")
            start = date.fromisoformat(first.strip())
            end = date.fromisoformat(last.strip()) if sep else start
        except ValueError as exc:
            raise UserError(
                f"{path}: bad date {entry!r} in '{key}' (use YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)",
                zh=f"{path}：'{key}' 中的日期 {entry!r} 无法识别（格式 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）",
            ) from exc
        if end < start:
            raise UserError(f"{path}: range {entry!r} ends before it starts", zh=f"{path}：日期范围 {entry!r} 起止颠倒")
        out.update(start + timedelta(days=i) for i in range((end - start).days + 1))
    return out


def load_overrides(path: Path | str | None = None) -> Overrides:
    """Read the overrides file (missing file: no overrides)."""
    path = Path(path) if path is not None else OVERRIDES_PATH
    if not path.exists():
        return Overrides()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}", zh=f"{path}：TOML 格式错误：{exc}") from exc
    work = _parse_entries(doc.get("workdays", []), "workdays", path)
    hol = _parse_entries(doc.get("holidays", []), "holidays", path)
    both = work & hol
    if both:
        raise UserError(
            f"{path}: dates listed as both workday and holiday: {sorted(both)[:5]}",
            zh=f"{path}：以下日期同时列为工作日和节假日：{sorted(both)[:5]}",
        )
    return Overrides(frozenset(work), frozenset(hol))


def _library_workday(day: date) -> bool | None:
    """The library's answer, or None for a year it has no data for."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@dataclass
class WorkCalendar:
    """Every calendar day from ``start`` to ``end`` (inclusive) with its working-day ordinal.

    ``ordinal[d]`` is the number of working days on or before ``d`` counted from ``start``; the Nth
    working day after a date ``r`` is therefore the working day whose ordinal is ``ordinal[r] + N``.
    """

    start: date
    end: date
    overrides: Overrides = field(default_factory=Overrides)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        days = pd.date_range(self.start, self.end, freq="D")
        unknown_years: set[int] = set()
        flags = np.empty(len(days), dtype=bool)
        for i, ts in enumerate(days):
            day = ts.date()
            if day in self.overrides.workdays:
                flags[i] = True
            elif day in self.overrides.holidays:
                flags[i] = False
            else:
                lib = _library_workday(day) if day.year not in unknown_years else None
                if lib is None:
                    unknown_years.add(day.year)
                    lib = day.weekday() < 5
                flags[i] = lib
        for year in sorted(unknown_years):
            msg = (
                f"chinese_calendar has no official holidays for {year}: using weekends plus "
                f"{OVERRIDES_PATH.name} (add {year}'s holidays and make-up working days there)"
            )
            self.warnings.append(msg)
            warnings.warn(msg, stacklevel=2)
            log.warning(msg)
        self.days: np.ndarray = days.values.astype("datetime64[D]")
        self.is_workday_flags: np.ndarray = flags
        self.ordinals: np.ndarray = np.cumsum(flags).astype(np.int64)
        self.workdays: np.ndarray = self.days[flags]

    def is_workday(self, day: date) -> bool:
        return bool(self.is_workday_flags[self._index(np.array([np.datetime64(day, "D")]))[0]])

    def _index(self, days: np.ndarray) -> np.ndarray:
        idx = (days - self.days[0]).astype(np.int64)
        if len(idx) and (idx.min() < 0 or idx.max() >= len(self.days)):
            raise ValueError(f"date outside the calendar {self.start}..{self.end}")
        return idx

    def add_workdays(self, days: np.ndarray | list, n: np.ndarray | list | int) -> np.ndarray:
        """The Nth working day after each date (the date itself not counted), vectorised."""
        d = np.asarray(days, dtype="datetime64[D]")
        target = self.ordinals[self._index(d)] + np.asarray(n, dtype=np.int64)  # 1-based workday number
        if len(target) and target.max() > len(self.workdays):
            raise ValueError(f"due date beyond the calendar end {self.end}")
        return self.workdays[target - 1]

    def due_dates(self, received: pd.Series | np.ndarray | list, kinds: pd.Series | np.ndarray | list) -> np.ndarray:
        """Due day (``datetime64[D]``; due at the end of it) for complaints received at ``received``."""
        recv = pd.to_datetime(pd.Series(received)).to_numpy().astype("datetime64[D]")
        n = np.array([deadline_days(k if isinstance(k, str) else None) for k in kinds], dtype=np.int64)
        return self.add_workdays(recv, n)

    def frame(self) -> pd.DataFrame:
        """One row per calendar day: ``day`` (date), ``ord`` (working-day ordinal), ``workday``."""
        return pd.DataFrame(
            {"day": self.days.astype("datetime64[s]"), "ord": self.ordinals, "workday": self.is_workday_flags}
        )


@lru_cache(maxsize=16)
def _cached(start: date, end: date, overrides_path: str, mtime: float) -> WorkCalendar:
    del mtime  # cache key only: editing the overrides file rebuilds the calendar
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reported through .warnings instead, once per build
        return WorkCalendar(start, end, load_overrides(overrides_path))


def calendar_for(
    start: date | datetime, end: date | datetime, overrides_path: Path | str | None = None
) -> WorkCalendar:
    """A (cached) calendar covering ``start`` .. ``end`` plus room for due dates after ``end``.

    The span is widened to whole years so that nearby requests share one cached calendar.
    """
    start = start.date() if isinstance(start, datetime) else start
    end = end.date() if isinstance(end, datetime) else end
    path = Path(overrides_path) if overrides_path is not None else OVERRIDES_PATH
    mtime = path.stat().st_mtime if path.exists() else 0.0
    lo = date(start.year - 1, 12, 1)
    hi = date((end + timedelta(days=_MARGIN_DAYS)).year, 12, 31)
    return _cached(lo, hi, str(path), mtime)


@lru_cache(maxsize=64)
def _festival_windows(year: int, overrides_path: str, mtime: float) -> dict[str, tuple[date, date]]:
    del mtime  # cache key only
    overrides = load_overrides(overrides_path)
    named: dict[str, set[date]] = {}
    try:
        for day in chinese_calendar.get_holidays(date(year, 1, 1), date(year, 12, 31)):
            name = chinese_calendar.get_holiday_detail(day)[1]
            if name in LUNAR_FESTIVALS and day not in overrides.workdays:
                named.setdefault(name, set()).add(day)
    except NotImplementedError:
        return {}
    return {name: _extended(min(days), max(days), overrides.holidays) for name, days in named.items()}


def _extended(first: date, last: date, holidays: frozenset[date]) -> tuple[date, date]:
    """``first..last`` grown by the override holidays right before and after it."""
    while first - timedelta(days=1) in holidays:
        first -= timedelta(days=1)
    while last + timedelta(days=1) in holidays:
        last += timedelta(days=1)
    return first, last


def _overrides_key(overrides_path: Path | str | None) -> tuple[str, float]:
    path = Path(overrides_path) if overrides_path is not None else OVERRIDES_PATH
    return str(path), path.stat().st_mtime if path.exists() else 0.0


def festival_starts(year: int, overrides_path: Path | str | None = None) -> dict[str, date]:
    """First day off of each lunar festival (春节, 中秋: :data:`LUNAR_FESTIVALS`) in ``year``, by this
    calendar: the official holidays, less days the overrides make working days, extended by override
    holidays just before them. Empty for a year the library does not know."""
    return {name: first for name, (first, _) in _festival_windows(year, *_overrides_key(overrides_path)).items()}


def festival_window(
    year: int, name: str, around: date | None = None, overrides_path: Path | str | None = None
) -> tuple[date, date] | None:
    """First and last day off of lunar festival ``name`` (a :data:`LUNAR_FESTIVALS` name) in ``year``:
    the official holidays less days the overrides make working days, grown by override holidays
    next to them. For a year the library does not know, the run of override holidays that holds
    ``around`` (a day of the festival, such as 正月初一), so that listing a newly announced year's
    holidays in the overrides gives its festival too. None when neither knows it."""
    found = _festival_windows(year, *_overrides_key(overrides_path)).get(name)
    if found is not None or around is None or _library_workday(around) is not None:
        return found
    holidays = load_overrides(overrides_path).holidays
    return _extended(around, around, holidays) if around in holidays else None


def due_dates(
    received: pd.Series | np.ndarray | list,
    kinds: pd.Series | np.ndarray | list,
    overrides_path: Path | str | None = None,
) -> np.ndarray:
    """Due day per complaint (see module doc); a convenience over :meth:`WorkCalendar.due_dates`."""
    recv = pd.to_datetime(pd.Series(received))
    if recv.empty:
        return np.array([], dtype="datetime64[D]")
    cal = calendar_for(recv.min().date(), recv.max().date(), overrides_path)
    return cal.due_dates(recv, kinds)
