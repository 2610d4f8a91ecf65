from datetime import date

import chinese_calendar
import pytest
from chinese_calendar import Holiday

from analytics.errors import UserError
from analytics.periods import _calendar, available_periods, parse_period


@pytest.mark.parametrize(
    ("text", "key", "start", "end", "prev", "yoy"),
    [
        ("2024", "2024", date(2024, 1, 1), date(2024, 12, 31), "2023", "2023"),
        ("2024Q3", "2024Q3", date(2024, 7, 1), date(2024, 9, 30), "2024Q2", "2023Q3"),
        ("2024q1", "2024Q1", date(2024, 1, 1), date(2024, 3, 31), "2023Q4", "2023Q1"),
        ("2024-05", "2024-05", date(2024, 5, 1), date(2024, 5, 31), "2024-04", "2023-05"),
        ("2024年2月", "2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024-01", "2023-02"),
        ("2024-01", "2024-01", date(2024, 1, 1), date(2024, 1, 31), "2023-12", "2023-01"),
        ("2024-双十一", "2024-双十一", date(2024, 10, 20), date(2024, 11, 11), "2024-09-27~2024-10-19", "2023-双十一"),
        ("2024-双11", "2024-双十一", date(2024, 10, 20), date(2024, 11, 11), "2024-09-27~2024-10-19", "2023-双十一"),
        ("2024-618", "2024-618", date(2024, 5, 20), date(2024, 6, 20), "2024-04-18~2024-05-19", "2023-618"),
        ("2024-春节", "2024-春节", date(2024, 2, 10), date(2024, 2, 17), "2024-02-02~2024-02-09", "2023-春节"),
    ],
)
def test_parse_period_and_comparisons(text, key, start, end, prev, yoy):
    p = parse_period(text)
    assert (p.key, p.start, p.end) == (key, start, end)
    assert p.previous.key == prev
    assert p.last_year.key == yoy
    # 环比 windows are adjacent and, for holidays, of the same length.
    assert (p.start - p.previous.end).days == 1
    if p.kind == "holiday":
        assert p.previous.days == p.days
    assert parse_period(p.key) == p


def test_spring_festival_follows_the_lunar_calendar():
    # 同比 of a holiday is last year's holiday, not the same calendar dates.
    p = parse_period("2024-春节")
    assert p.last_year.start == date(2023, 1, 21)
    assert "正月初一" in p.note


def test_spring_festival_is_the_official_holiday():
    """春节's window is the one holiday calendar's (analytics.workdays), not a list of its own; the
    shipped 正月初一 falls inside it."""
    lunar = _calendar()["lunar_new_year"]
    assert "spring_festival" not in _calendar()  # no second list of holiday windows
    for year in range(2019, 2027):
        spring = Holiday.spring_festival.value
        days = sorted(d for d, name in chinese_calendar.holidays.items() if d.year == year and name == spring)
        p = parse_period(f"{year}-春节")
        assert (p.start, p.end) == (days[0], days[-1]), year
        assert p.start <= lunar[year] <= p.end and f"正月初一：{lunar[year].month}月{lunar[year].day}日" in p.note


@pytest.mark.parametrize("text", ["", "abc", "2024-13", "2024Q5", "2024-国庆", "2099-春节"])
def test_unreadable_periods_raise_user_error(text):
    with pytest.raises(UserError):
        parse_period(text)


def test_period_filters_cover_the_window():
    f = parse_period("2024Q3").filters()
    assert (f.date_from, f.date_to) == (date(2024, 7, 1), date(2024, 9, 30))


def test_available_periods_overlap_the_data_range():
    periods = available_periods(date(2024, 3, 5), date(2024, 11, 2))
    keys = [p.key for p in periods]
    assert keys[0] == "2024"
    assert {"2024Q1", "2024Q4", "2024-03", "2024-11", "2024-双十一", "2024-618"} <= set(keys)
    assert "2024-02" not in keys and "2024-12" not in keys and "2024-春节" not in keys
    assert available_periods(None, None) == []
