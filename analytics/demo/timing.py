"""When demo complaints arrive and close: seasonal day weights and working-day deadlines.

Deadlines follow the hotline rules the timeliness page checks: 咨询 2 working days, 求助/建议 10,
投诉/举报 15, counted with ``chinese_calendar`` (adjusted working weekends included).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import chinese_calendar
import numpy as np

START = date(2021, 1, 1)
END = date(2025, 12, 31)
CAL_END = date(2026, 12, 31)  # closures may fall after END; those stay open (closed_at NULL)
DEADLINE_DAYS = {"咨询": 2, "求助": 10, "建议": 10, "投诉": 15, "举报": 15}

SPRING_FESTIVAL = [date(2021, 2, 12), date(2022, 2, 1), date(2023, 1, 22), date(2024, 2, 10), date(2025, 1, 29)]
MID_AUTUMN = [date(2021, 9, 21), date(2022, 9, 10), date(2023, 9, 29), date(2024, 9, 17), date(2025, 10, 6)]


def n_days() -> int:
    return (END - START).days + 1


@cache
def _calendar() -> tuple[np.ndarray, np.ndarray]:
    """(is_workday per day from START to CAL_END, cumulative working-day count)."""
    days = (CAL_END - START).days + 1
    work = np.empty(days, dtype=bool)
    for i in range(days):
        d = START + timedelta(days=i)
        try:
            work[i] = chinese_calendar.is_workday(d)
        except NotImplementedError:  # beyond the library's table: plain weekdays
            work[i] = d.weekday() < 5
    return work, np.cumsum(work)


def is_workday_array() -> np.ndarray:
    return _calendar()[0]


def add_working_days(day_index: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Day index of the k-th working day after ``day_index`` (k = 0: the same day)."""
    _work, cum = _calendar()
    target = cum[day_index] + k
    out = np.searchsorted(cum, target, side="left")
    out = np.where(k == 0, day_index, out)
    return np.minimum(out, len(cum) - 1)


def _window(weights: np.ndarray, first: date, last: date, factor: float) -> None:
    a = max((first - START).days, 0)
    b = min((last - START).days, len(weights) - 1)
    if a <= b:
        weights[a : b + 1] *= factor


def base_day_weights() -> np.ndarray:
    """Relative daily volume: yearly growth, weekends, holidays and the retail calendar."""
    days = n_days()
    idx = np.arange(days)
    weights = 0.85 + 0.30 * idx / days  # complaints grow year on year
    work = is_workday_array()[:days]
    weekday = np.array([(START + timedelta(days=int(i))).weekday() for i in idx])
    weights = weights * np.where(work, 1.0, np.where(weekday >= 5, 0.62, 0.5))
    for year in range(START.year, END.year + 1):
        sf = SPRING_FESTIVAL[year - START.year]
        _window(weights, sf - timedelta(days=18), sf - timedelta(days=1), 1.35)  # 年货, travel
        _window(weights, sf + timedelta(days=6), sf + timedelta(days=20), 1.3)  # after-holiday backlog
        _window(weights, date(year, 3, 8), date(year, 3, 20), 1.45)  # 3·15
        _window(weights, date(year, 3, 15), date(year, 3, 15), 2.0)
        _window(weights, date(year, 6, 1), date(year, 6, 25), 1.2)  # 618
        _window(weights, date(year, 11, 1), date(year, 11, 25), 1.25)  # 双十一
    return weights


def sector_day_weights(sector: str, base: np.ndarray) -> np.ndarray:
    """Sector-specific seasons on top of the base calendar."""
    w = base.copy()
    for year in range(START.year, END.year + 1):
        sf = SPRING_FESTIVAL[year - START.year]
        ma = MID_AUTUMN[year - START.year]
        if sector == "网络购物/直播电商":
            _window(w, date(year, 6, 10), date(year, 6, 28), 2.6)
            _window(w, date(year, 11, 8), date(year, 11, 25), 3.0)
            _window(w, date(year, 12, 10), date(year, 12, 20), 1.4)  # 双十二
        elif sector == "文化旅游":
            # Holiday trips: complaints during the 五一/国庆 breaks and in the two weeks after.
            _window(w, date(year, 5, 1), date(year, 5, 15), 2.5)
            _window(w, date(year, 10, 1), date(year, 10, 20), 2.5)
            _window(w, date(year, 7, 10), date(year, 8, 31), 1.5)
            _window(w, sf, sf + timedelta(days=10), 2.0)
        elif sector == "教育培训":
            _window(w, date(year, 2, 20), date(year, 3, 20), 1.8)
            _window(w, date(year, 8, 25), date(year, 9, 25), 2.0)
        elif sector in ("食品", "商业零售"):
            _window(w, sf - timedelta(days=20), sf + timedelta(days=3), 1.7)
            _window(w, ma - timedelta(days=12), ma + timedelta(days=2), 1.6)
        elif sector == "供水供电供气":
            _window(w, date(year, 7, 1), date(year, 8, 31), 1.7)
            _window(w, date(year, 1, 1), date(year, 1, 31), 1.3)
        elif sector == "家电":
            _window(w, date(year, 6, 1), date(year, 8, 15), 1.5)  # air conditioners
            _window(w, date(year, 11, 5), date(year, 11, 25), 1.6)
        elif sector == "交通运输":
            _window(w, sf - timedelta(days=15), sf + timedelta(days=15), 1.8)  # 春运
        elif sector == "餐饮":
            _window(w, sf - timedelta(days=5), sf + timedelta(days=7), 1.6)
    return w


# Hour-of-day profile for when a call or message arrives (hotlines answer round the clock).
HOUR_WEIGHTS = np.array([0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 3.0, 5.5, 6.0, 5.2, 3.0, 3.2, 4.8, 5.2, 4.8, 4.0,
                         2.6, 2.4, 2.6, 2.0, 1.2, 0.6])  # fmt: skip
HOUR_WEIGHTS = HOUR_WEIGHTS / HOUR_WEIGHTS.sum()
