"""Due dates around 国庆 2024 and 春节 2025 (调休 days included), worked out by hand per kind."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from analytics.errors import UserError
from analytics.workdays import (
    DEADLINE_DAYS,
    WorkCalendar,
    calendar_for,
    deadline_days,
    due_dates,
    festival_starts,
    festival_window,
    load_overrides,
)

# Hand count, 国庆 2024 (9-29 Sunday works, 10-01..07 off, 10-12 Saturday works):
# received 2024-09-27 (Fri): 1=09-29(Sun) 2=09-30 3=10-08 4=10-09 5=10-10 6=10-11 7=10-12(Sat)
#   8=10-14 9=10-15 10=10-16 11=10-17 12=10-18 13=10-21 14=10-22 15=10-23
# received 2024-09-30 (Mon): 1=10-08 2=10-09 ... 5=10-12(Sat) 6=10-14 ... 10=10-18 ... 15=10-25
# received 2024-10-11 (Fri): 1=10-12(Sat) 2=10-14
# 春节 2025 (01-28..02-04 off, 01-26 Sunday and 02-08 Saturday work):
# received 2025-01-24 (Fri): 1=01-26(Sun) 2=01-27 3=02-05 4=02-06 5=02-07 6=02-08(Sat) 7=02-10
#   8=02-11 9=02-12 10=02-13 11=02-14 12=02-17 13=02-18 14=02-19 15=02-20
# received 2025-01-27 (Mon): 1=02-05 2=02-06 3=02-07 4=02-08(Sat) 5=02-10 ... 10=02-17 ... 15=02-24
# received 2025-02-07 (Fri): 1=02-08(Sat) 2=02-10
CASES = [
    # received, kind, due
    ("2024-09-27 16:30", "咨询", "2024-09-30"),
    ("2024-09-27 16:30", "求助", "2024-10-16"),
    ("2024-09-27 16:30", "建议", "2024-10-16"),
    ("2024-09-27 16:30", "投诉", "2024-10-23"),
    ("2024-09-27 16:30", "举报", "2024-10-23"),
    ("2024-09-27 16:30", "其他", "2024-10-23"),
    # a Saturday that is not a make-up day counts like the Friday before it
    ("2024-09-28 09:00", "咨询", "2024-09-30"),
    ("2024-09-28 09:00", "投诉", "2024-10-23"),
    # received on the make-up Sunday itself: that day is not counted
    ("2024-09-29 10:00", "咨询", "2024-10-08"),
    ("2024-09-30 08:00", "咨询", "2024-10-09"),
    ("2024-09-30 08:00", "求助", "2024-10-18"),
    ("2024-09-30 08:00", "建议", "2024-10-18"),
    ("2024-09-30 08:00", "投诉", "2024-10-25"),
    ("2024-09-30 08:00", "举报", "2024-10-25"),
    # received during the holiday: counting starts after it
    ("2024-10-03 12:00", "咨询", "2024-10-09"),
    ("2024-10-03 12:00", "求助", "2024-10-18"),
    ("2024-10-03 12:00", "投诉", "2024-10-25"),
    ("2024-10-11 23:59", "咨询", "2024-10-14"),
    ("2025-01-24 09:00", "咨询", "2025-01-27"),
    ("2025-01-24 09:00", "求助", "2025-02-13"),
    ("2025-01-24 09:00", "建议", "2025-02-13"),
    ("2025-01-24 09:00", "投诉", "2025-02-20"),
    ("2025-01-24 09:00", "举报", "2025-02-20"),
    ("2025-01-26 11:00", "咨询", "2025-02-05"),
    ("2025-01-27 00:01", "咨询", "2025-02-06"),
    ("2025-01-27 00:01", "求助", "2025-02-17"),
    ("2025-01-27 00:01", "建议", "2025-02-17"),
    ("2025-01-27 00:01", "投诉", "2025-02-24"),
    ("2025-01-27 00:01", "举报", "2025-02-24"),
    ("2025-01-30 15:00", "咨询", "2025-02-06"),
    ("2025-01-30 15:00", "投诉", "2025-02-24"),
    ("2025-02-07 17:00", "咨询", "2025-02-10"),
]


def test_official_calendar_days() -> None:
    cal = calendar_for(date(2024, 1, 1), date(2025, 12, 31))
    assert cal.is_workday(date(2024, 9, 29)) and cal.is_workday(date(2024, 10, 12))
    assert not any(cal.is_workday(date(2024, 10, d)) for d in range(1, 8))
    assert cal.is_workday(date(2025, 1, 26)) and cal.is_workday(date(2025, 2, 8))
    assert not cal.is_workday(date(2025, 1, 28)) and not cal.is_workday(date(2025, 2, 4))
    assert not cal.is_workday(date(2024, 9, 28))


def test_deadline_per_kind() -> None:
    assert DEADLINE_DAYS == {"咨询": 2, "求助": 10, "建议": 10, "投诉": 15, "举报": 15}
    assert deadline_days("其他") == 15 and deadline_days(None) == 15 and deadline_days("未知") == 15


def test_due_dates_hand_worked_vectorised() -> None:
    received = [c[0] for c in CASES]
    kinds = [c[1] for c in CASES]
    got = due_dates(received, kinds)
    expected = np.array([c[2] for c in CASES], dtype="datetime64[D]")
    mismatches = [(c, str(g)) for c, g, e in zip(CASES, got, expected, strict=True) if g != e]
    assert not mismatches


@pytest.mark.parametrize(("received", "kind", "due"), CASES)
def test_due_date_single(received: str, kind: str, due: str) -> None:
    assert str(due_dates([received], [kind])[0]) == due


def test_overrides_file_changes_due_dates(tmp_path) -> None:
    path = tmp_path / "overrides.toml"
    # pretend 2024-10-08 became a holiday and Sunday 2024-10-13 a make-up working day
    path.write_text('holidays = ["2024-10-08"]\nworkdays = ["2024-10-13"]\n', encoding="utf-8")
    got = due_dates(["2024-09-30 08:00", "2024-10-11 10:00"], ["咨询", "咨询"], overrides_path=path)
    # 09-30: 1=10-09 2=10-10 ; 10-11: 1=10-12(Sat) 2=10-13(Sun, override)
    assert [str(d) for d in got] == ["2024-10-10", "2024-10-13"]


def test_overrides_ranges_and_unknown_year_fallback(tmp_path) -> None:
    path = tmp_path / "overrides.toml"
    path.write_text(
        'holidays = ["2031-02-03..2031-02-07"]\nworkdays = ["2031-02-08"]\n',
        encoding="utf-8",
    )
    ov = load_overrides(path)
    assert date(2031, 2, 5) in ov.holidays and date(2031, 2, 8) in ov.workdays
    with pytest.warns(UserWarning, match="2031"):
        cal = WorkCalendar(date(2031, 1, 1), date(2031, 3, 31), ov)
    assert any("2031" in w for w in cal.warnings)
    # weekend fallback outside the overrides
    assert not cal.is_workday(date(2031, 1, 4))  # Saturday
    assert cal.is_workday(date(2031, 1, 6))  # Monday
    assert not cal.is_workday(date(2031, 2, 3)) and cal.is_workday(date(2031, 2, 8))
    # received Fri 2031-01-31: 1=02-08(Sat, make-up) 2=02-10
    assert str(cal.add_workdays([np.datetime64("2031-01-31")], 2)[0]) == "2031-02-10"


def test_bad_overrides_are_user_errors(tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('holidays = ["2024-13-01"]\n', encoding="utf-8")
    with pytest.raises(UserError):
        load_overrides(path)
    path.write_text('holidays = ["2024-10-08"]\nworkdays = ["2024-10-08"]\n', encoding="utf-8")
    with pytest.raises(UserError):
        load_overrides(path)
    path.write_text("holidays = [", encoding="utf-8")
    with pytest.raises(UserError):
        load_overrides(path)


def test_shipped_overrides_file_loads() -> None:
    assert isinstance(load_overrides(), type(load_overrides()))


def test_festival_starts_follow_the_overrides(tmp_path) -> None:
    """Early warning's festival dates come from this calendar, overrides included."""
    plain, edited = tmp_path / "plain.toml", tmp_path / "edited.toml"
    plain.write_text("holidays = []\nworkdays = []\n", encoding="utf-8")
    spring, autumn = "Spring Festival", "Mid-autumn Festival"
    assert festival_starts(2024, plain) == {spring: date(2024, 2, 10), autumn: date(2024, 9, 15)}
    # 除夕 given off, the first day of 中秋 made a working day
    edited.write_text('holidays = ["2024-02-09"]\nworkdays = ["2024-09-15"]\n', encoding="utf-8")
    assert festival_starts(2024, edited) == {spring: date(2024, 2, 9), autumn: date(2024, 9, 16)}
    assert festival_starts(1990, edited) == {}  # a year the library does not know


def test_festival_window_is_this_calendar(tmp_path) -> None:
    """The 春节 report period's window: the official holidays, overrides included; for a year the
    library does not know, the run of override holidays around the given day (正月初一)."""
    plain, edited = tmp_path / "plain.toml", tmp_path / "edited.toml"
    plain.write_text("holidays = []\nworkdays = []\n", encoding="utf-8")
    spring = "Spring Festival"
    assert festival_window(2024, spring, overrides_path=plain) == (date(2024, 2, 10), date(2024, 2, 17))
    # 除夕 and the day after given off; a day announced later for 2099 (unknown to the library)
    edited.write_text(
        'holidays = ["2024-02-09", "2024-02-18", "2099-01-20..2099-01-27"]\nworkdays = []\n', encoding="utf-8"
    )
    assert festival_window(2024, spring, overrides_path=edited) == (date(2024, 2, 9), date(2024, 2, 18))
    assert festival_window(2099, spring, date(2099, 1, 21), edited) == (date(2099, 1, 20), date(2099, 1, 27))
    assert festival_window(2099, spring, date(2099, 2, 21), edited) is None  # not among the holidays
    assert festival_window(2099, spring, overrides_path=edited) is None  # no day to look around
