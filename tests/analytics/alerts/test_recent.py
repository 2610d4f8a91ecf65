"""The recent-weeks alert list: every burst of the span, each subject once, nothing lost from a day's list."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from analytics.alerts import detect
from analytics.alerts.recent import recent_alerts
from analytics.cli import main
from analytics.demo import EVENTS
from analytics.store import connect


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.theme)
def test_a_burst_two_weeks_back_is_still_listed(demo_db: Path, event) -> None:
    as_of = event.start + timedelta(days=16)  # the burst began more than two weeks before as_of
    with connect(demo_db, read_only=True) as con:
        recent = recent_alerts(con, as_of, weeks=4, topics=False)
        today = detect(con, as_of, topics=False)
    subjects = " ".join(recent["subject"].astype(str))
    assert event.business and event.business[:2] in subjects
    # One row per subject, each raised on one of the scanned days.
    assert not recent.duplicated(["dimension", "subject"]).any()
    scanned = {as_of - timedelta(days=7 * k) for k in range(4)}
    assert set(recent["as_of"]) <= scanned
    assert (recent["times"] >= 1).all()
    # Whatever fires on the as-of day itself is in the recent list, at that day.
    for dimension, subject in zip(today["dimension"], today["subject"], strict=True):
        row = recent[(recent["dimension"] == dimension) & (recent["subject"] == subject)]
        assert len(row) == 1 and row["as_of"].iloc[0] == as_of


def test_one_week_equals_the_day_list(demo_db: Path) -> None:
    as_of = EVENTS[0].start + timedelta(days=3)
    with connect(demo_db, read_only=True) as con:
        recent = recent_alerts(con, as_of, weeks=1, topics=False)
        today = detect(con, as_of, topics=False)
    assert sorted(recent["alert_id"]) == sorted(today["alert_id"])


def test_cli_weeks_option(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    as_of = EVENTS[0].start + timedelta(days=16)
    assert (
        main(["alerts", "--db", str(demo_db), "--as-of", as_of.isoformat(), "--weeks", "4", "--no-topics", "--json"])
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    assert payload["count"] == len(payload["alerts"]) > 0
    assert any(EVENTS[0].business[:2] in a["subject"] for a in payload["alerts"])
