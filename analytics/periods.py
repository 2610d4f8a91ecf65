"""Periods, the one kind every stage takes: ``2024``, ``2024Q3``, ``2024-05``, ``2024-春节``, ``2024-618``,
``2024-双十一``, or any window of dates (the 热点 ranking's period and its comparison window too).

A period is a date window plus the two windows it is compared with: the previous period (环比: the
previous year, quarter or month; for a holiday, the window of the same length just before it) and
the same period last year (同比: for a holiday, the same holiday of the previous year, not the same
calendar dates). 春节 is the official holiday by the one holiday calendar (:mod:`analytics.workdays`);
the shopping festivals' windows and 正月初一 of each year are in ``data/calendar/holidays.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from analytics.dates import minus_year, plus_year
from analytics.errors import UserError
from analytics.filters import Filters
from analytics.settings import DATA_DIR

HOLIDAYS_FILE = DATA_DIR / "calendar" / "holidays.toml"
SPRING_FESTIVAL = "春节"
# Ways people write the holidays -> the canonical name.
HOLIDAY_ALIASES = {
    "春节": SPRING_FESTIVAL,
    "spring": SPRING_FESTIVAL,
    "cny": SPRING_FESTIVAL,
    "618": "618",
    "双十一": "双十一",
    "双11": "双十一",
    "1111": "双十一",
    "11.11": "双十一",
}
_QUARTER_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}
EXAMPLES = "2024, 2024Q3, 2024-05, 2024-春节, 2024-618, 2024-双十一"


@dataclass(frozen=True)
class Period:
    key: str  # canonical spelling, parse_period(key) == self
    kind: str  # year | quarter | month | holiday | window
    start: date  # inclusive
    end: date  # inclusive
    label: str  # Chinese, for titles: 2024年第三季度
    note: str = ""  # how the window was chosen (holidays), shown in reports

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def span(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    def filters(self, base: Filters | None = None) -> Filters:
        """``base`` (default: no other filter) restricted to this period's dates."""
        return replace(base or Filters(), date_from=self.start, date_to=self.end)

    @property
    def previous(self) -> Period:
        """The period compared for 环比."""
        return _previous(self)

    @property
    def last_year(self) -> Period:
        """The period compared for 同比."""
        return _last_year(self)

    @property
    def next_year(self) -> Period:
        """The same dates one year later (what the first year of data is compared with)."""
        return window_period(plus_year(self.start), plus_year(self.end))

    @property
    def months(self) -> int:
        """Calendar months the period touches."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def baseline(self, data_from: date, data_to: date) -> tuple[str, Period] | None:
        """The window growth is measured against: the same period a year earlier when the data cover
        it; for the first year of data, the same period a year later (a peak stands out against what
        followed); else None."""
        slack = timedelta(days=31)
        if data_from <= self.last_year.start + slack:
            return "previous", self.last_year
        if data_to >= self.next_year.end - slack:
            return "next", self.next_year
        return None

    def __str__(self) -> str:
        return self.key


def parse_period(text: str) -> Period:
    """Read a period as typed on the command line or picked in the UI; UserError when unreadable."""
    raw = str(text or "").strip()
    compact = raw.replace(" ", "").replace("年", "-").rstrip("-")
    if m := re.fullmatch(r"(\d{4})", compact):
        return year_period(int(m[1]))
    if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", compact):
        return quarter_period(int(m[1]), int(m[2]))
    if (m := re.fullmatch(r"(\d{4})-(\d{1,2})月?", compact)) and 1 <= int(m[2]) <= 12:
        return month_period(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})-?(.+)", compact):
        name = HOLIDAY_ALIASES.get(m[2].lower())
        if name:
            return holiday_period(int(m[1]), name)
    raise UserError(
        f"Unreadable period {raw!r}; write one of {EXAMPLES}",
        zh=f"无法识别的时段“{raw}”，可写作：{EXAMPLES}",
    )


def year_period(year: int) -> Period:
    return Period(f"{year}", "year", date(year, 1, 1), date(year, 12, 31), f"{year}年")


def quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    end = _month_end(year, 3 * quarter)
    return Period(f"{year}Q{quarter}", "quarter", start, end, f"{year}年第{_QUARTER_ZH[quarter]}季度")


def month_period(year: int, month: int) -> Period:
    return Period(f"{year}-{month:02d}", "month", date(year, month, 1), _month_end(year, month), f"{year}年{month}月")


def holiday_period(year: int, name: str) -> Period:
    """The window of holiday ``name`` (春节, 618, 双十一) in ``year``."""
    calendar = _calendar()
    if name == SPRING_FESTIVAL:
        # imported here: the working-day calendar loads pandas, which parsing a command line must not
        from analytics.workdays import LUNAR_FESTIVALS, OVERRIDES_PATH, festival_window

        lunar = calendar["lunar_new_year"].get(year)
        found = festival_window(year, LUNAR_FESTIVALS[0], around=lunar)  # [0]: the calendar's 春节
        if found is None:
            lunar_zh = "" if lunar else f"，并在 {HOLIDAYS_FILE} 中补充当年的正月初一"
            raise UserError(
                f"No Spring Festival holidays for {year} in the holiday calendar: list that year's holidays in "
                f"{OVERRIDES_PATH}" + ("" if lunar else f" and its lunar new year in {HOLIDAYS_FILE}"),
                zh=f"节假日日历中没有{year}年的春节假期：请在 {OVERRIDES_PATH} 中列出当年公布的放假日期{lunar_zh}",
            )
        start, end = found
        first_day = f"正月初一：{_md(lunar)}，" if lunar else ""
        note = f"春节假期 {_md(start)}—{_md(end)}（{first_day}国务院办公厅公布的放假安排）"
    else:
        window = calendar["shopping"][name]
        start = _month_day(year, window["from"])
        end = _month_day(year, window["to"])
        note = f"{name}促销期 {_md(start)}—{_md(end)}（含预售期）"
    return Period(f"{year}-{name}", "holiday", start, end, f"{year}年{name}", note)


def window_period(start: date, end: date, label: str | None = None) -> Period:
    """Any other date window (the 环比 window of a holiday)."""
    key = f"{start.isoformat()}~{end.isoformat()}"
    return Period(key, "window", start, end, label or f"{start.isoformat()} 至 {end.isoformat()}")


def available_periods(first: date | None, last: date | None) -> list[Period]:
    """Every year, quarter, month and holiday that overlaps ``first..last``, newest first by start."""
    if first is None or last is None:
        return []
    out: list[Period] = []
    for year in range(first.year, last.year + 1):
        out.append(year_period(year))
        out += [quarter_period(year, q) for q in range(1, 5)]
        out += [month_period(year, m) for m in range(1, 13)]
        for name in holiday_names():
            try:
                out.append(holiday_period(year, name))
            except UserError:
                continue  # no dates for that year's 春节
    out = [p for p in out if p.start <= last and p.end >= first]
    order = {"year": 0, "quarter": 1, "holiday": 2, "month": 3}
    return sorted(out, key=lambda p: (-p.start.year, order[p.kind], -p.start.toordinal()))


def holiday_names() -> list[str]:
    return [SPRING_FESTIVAL, *_calendar()["shopping"]]


def _previous(p: Period) -> Period:
    if p.kind == "year":
        return year_period(p.start.year - 1)
    if p.kind == "quarter":
        q = (p.start.month - 1) // 3 + 1
        return quarter_period(p.start.year - (q == 1), 4 if q == 1 else q - 1)
    if p.kind == "month":
        return month_period(p.start.year - (p.start.month == 1), 12 if p.start.month == 1 else p.start.month - 1)
    end = p.start - timedelta(days=1)
    start = end - timedelta(days=p.days - 1)
    return window_period(start, end, f"{p.label}前{p.days}天")


def _last_year(p: Period) -> Period:
    if p.kind in ("year", "quarter", "month", "holiday"):
        return parse_period(p.key.replace(str(p.start.year), str(p.start.year - 1), 1))
    start, end = minus_year(p.start), minus_year(p.end)
    return window_period(start, end)


@cache
def _calendar(path: Path = HOLIDAYS_FILE) -> dict:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        "lunar_new_year": {int(year): day for year, day in raw.get("lunar_new_year", {}).items()},
        "shopping": {str(k): v for k, v in raw.get("shopping", {}).items()},
    }


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), 1 if month == 12 else month + 1, 1)) - timedelta(days=1)


def _month_day(year: int, text: str) -> date:
    month, day = (int(x) for x in text.split("-"))
    return date(year, month, day)


def _md(d: date) -> str:
    return f"{d.month}月{d.day}日"
