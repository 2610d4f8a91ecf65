"""Early warning: the demo's planted bursts are raised within a week, quiet weeks stay quiet, and
the evidence adds up (observed counts and complaint ids match the database)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from analytics.alerts import detection, drill
from analytics.alerts.season import reference_shift
from analytics.demo import EVENTS
from analytics.store import connect

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def con(demo_db: Path):
    c = connect(demo_db, read_only=True)
    yield c
    c.close()


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.theme)
def test_planted_bursts_raised_within_a_week(con, event) -> None:
    first_business = first_place = None
    for k in range(8):
        found = detection.detect(con, event.start + timedelta(days=k), topics=False)
        biz = found[(found["dimension"] == "business") & found["business"].str.contains(event.business, regex=False)]
        place = found[
            (found["dimension"] == "county_sector")
            & found["county"].isin(event.counties)
            & (found["sector"] == event.sector)
        ]
        if first_business is None and len(biz):
            first_business = k
        if first_place is None and len(place):
            first_place = k
    assert first_business is not None and first_business <= 7
    assert first_place is not None and first_place <= 7


def test_no_alert_storm_on_quiet_weeks(con) -> None:
    # 2023 has no planted burst: weekly runs over the whole year raise at most a handful
    days = pd.date_range("2023-01-02", "2023-12-25", freq="7D")
    counts = [len(detection.detect(con, d.date(), topics=False)) for d in days]
    assert max(counts) <= 3
    assert sum(counts) <= 8


def test_the_drill_shows_the_alert_s_own_complaints_when_two_sources_share_a_number(
    demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    with connect(db) as c:
        alert = detection.detect(c, EVENTS[0].start + timedelta(days=3), topics=False).iloc[0]
        # Another channel numbers one of its complaints like one of the alert's, in the same days.
        c.execute(
            """INSERT INTO complaints BY NAME
               SELECT * REPLACE ((SELECT max(id) + 1 FROM complaints) AS id, source || '-其他渠道' AS source,
                                 dedupe_key || '-other' AS dedupe_key)
               FROM complaints WHERE id = $id""",
            {"id": int(alert["row_ids"][0])},
        )
        rows = drill.alert_complaints(c, alert["row_ids"])
    assert len(rows) == len(alert["complaint_ids"]) == alert["observed"]


def test_evidence_matches_the_database(con) -> None:
    event = EVENTS[0]
    day = event.start + timedelta(days=3)
    found = detection.detect(con, day, topics=False)
    assert len(found) and set(found["level"]) <= set(detection.LEVELS)
    for alert in found.to_dict("records"):
        assert alert["observed"] > alert["upper"] >= alert["expected"] > 0
        assert alert["evidence"] and str(alert["observed"]) in alert["evidence"]
        ids = alert["complaint_ids"]
        assert len(ids) == alert["observed"]
        rows = drill.alert_complaints(con, alert["row_ids"])
        assert len(rows) == len(ids) and sorted(rows["complaint_id"]) == sorted(ids)
        assert rows["received_at"].min() >= pd.Timestamp(alert["window_from"])
        assert rows["received_at"].max() < pd.Timestamp(alert["window_to"]) + pd.Timedelta(days=1)
        if alert["dimension"] == "business":
            assert (rows["business"].str.strip() == alert["business"]).all()
        else:
            assert (rows["county"] == alert["county"]).all() and (rows["sector"] == alert["sector"]).all()
        flt = alert["filter"]
        assert flt["date_from"] == alert["window_from"] and flt["date_to"] == day
        hist = drill.alert_history(con, alert, periods=6)
        assert len(hist) == 6 and hist["observed"].iloc[-1] == alert["observed"]
        assert hist["expected"].iloc[-1] == pytest.approx(alert["expected"])
        assert (hist["observed"].iloc[:-1] <= hist["upper"].iloc[:-1]).all()  # quiet before the burst


def test_detect_is_most_severe_first_and_default_as_of(con) -> None:
    found = detection.detect(con, EVENTS[0].start + timedelta(days=2), topics=False)
    ranks = found["level"].map({name: i for i, name in enumerate(detection.LEVELS)}).tolist()
    assert ranks == sorted(ranks)
    latest = detection.detect(con, None, topics=False)  # the data's last day
    assert list(latest.columns) == detection.ALERT_COLUMNS


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_cli_json_and_bad_date(demo_db_copy: Path) -> None:
    event = EVENTS[-1]
    as_of = (event.start + timedelta(days=4)).isoformat()
    res = _cli("alerts", "--db", str(demo_db_copy), "--as-of", as_of, "--no-topics", "--json")
    assert res.returncode == 0, res.stderr
    payload = json.loads(res.stdout)
    assert payload["as_of"] == as_of and payload["count"] == len(payload["alerts"]) > 0
    top = payload["alerts"][0]
    assert {"level", "evidence", "expected", "observed", "complaint_ids", "filter"} <= set(top)
    assert any(event.business in (a["business"] or "") for a in payload["alerts"])
    bad = _cli("alerts", "--db", str(demo_db_copy), "--as-of", "2024-13-01")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_new_topic_detection_on_a_topic_run(demo_db_copy: Path) -> None:
    """With topic assignments present (written here by hand, in the topic engine's tables), a cluster
    whose complaints all arrived in the last weeks is a new topic, and topic × county rises show."""
    event = EVENTS[0]
    c = connect(demo_db_copy)
    ids = [r[0] for r in c.execute(
        "SELECT c.id FROM complaints c JOIN demo_truth t USING (complaint_id) WHERE t.theme = ?", [event.theme]
    ).fetchall()]  # fmt: skip
    others = [r[0] for r in c.execute(
        "SELECT id FROM complaints WHERE received_at < ? AND sector = ? LIMIT 400", [event.start, event.sector]
    ).fetchall()]  # fmt: skip
    c.execute("INSERT INTO topic_runs VALUES ('r1', now()::TIMESTAMP, NULL, NULL, 2, 0, 'v', 'f', NULL)")
    c.execute("INSERT INTO topics VALUES ('r1', 1, 'issue', NULL, '培训退费', ['退费'], 400, []),"
              " ('r1', 2, 'issue', NULL, '闭店', ['闭店'], 100, [])")  # fmt: skip
    rows = pd.DataFrame({"run_id": "r1", "id": others + ids, "topic_id": [1] * len(others) + [2] * len(ids)})
    rows["event_id"] = None
    c.execute("INSERT INTO topic_assignments SELECT run_id, id, topic_id, CAST(event_id AS INTEGER) FROM rows")
    found = detection.detect(c, event.start + timedelta(days=6), run_id="r1")
    c.close()
    new = found[found["dimension"] == "new_topic"]
    assert new["topic_id"].tolist() == [2] and new["topic_label"].tolist() == ["闭店"]
    assert len(new["complaint_ids"].iloc[0]) == new["observed"].iloc[0]
    tc = found[found["dimension"] == "topic_county"]
    assert set(tc["county"]) == set(event.counties) and set(tc["topic_id"]) == {2}
    assert date.fromisoformat(str(new["window_to"].iloc[0])[:10]) == event.start + timedelta(days=6)


def test_reference_shift_aligns_lunar_festivals_and_calendar_dates() -> None:
    # first day of the official 中秋 holiday: 2023-09-29, 2022-09-10 (384 days), 2021-09-19 (740 days)
    assert reference_shift(date(2023, 9, 25), 1) == 384
    assert reference_shift(date(2023, 9, 25), 2) == 740
    # 春节 2023-01-22 vs 2022-02-01
    assert reference_shift(date(2023, 1, 10), 1) == 355
    # 双十一 is a calendar date; so is anything far from a festival
    assert reference_shift(date(2023, 11, 13), 1) == 365
    assert reference_shift(date(2023, 9, 25), 1, festival=False) == 365
    assert reference_shift(date(2024, 6, 19), 1) == 366  # 2024 is a leap year


def test_alerts_count_matters_beside_complaints(demo_db_copy: Path) -> None:
    """Each alert says how many matters (事项) its complaints are, from matter_links; the rise itself
    is counted in complaints, so linking the burst into one matter leaves it raised, with 事项 1."""
    event = EVENTS[0]
    day = event.start + timedelta(days=3)
    c = connect(demo_db_copy)
    found = detection.detect(c, day, topics=False)
    for alert in found.to_dict("records"):
        ids = alert["complaint_ids"]
        (matters,) = c.execute(
            "SELECT count(DISTINCT coalesce(l.matter_id, c.id)) FROM complaints c"
            " LEFT JOIN matter_links l ON l.id = c.id WHERE list_contains($ids, c.complaint_id)",
            {"ids": ids},
        ).fetchone()
        assert alert["matters"] == matters and 1 <= matters <= alert["observed"]
        assert f"{alert['observed']} 件（{matters} 个事项）" in alert["evidence"]
    alert = found[found["dimension"] == "business"].iloc[0]
    # One complainant calling again and again: every complaint of the alert in one matter.
    c.execute(
        "INSERT OR REPLACE INTO matter_links SELECT id, min(id) OVER () FROM complaints"
        " WHERE list_contains($ids, complaint_id)",
        {"ids": alert["complaint_ids"]},
    )
    again = detection.detect(c, day, topics=False).set_index("alert_id").loc[alert["alert_id"]]
    c.close()
    assert (again["observed"], again["matters"], again["level"]) == (alert["observed"], 1, alert["level"])
    assert f"{alert['observed']} 件（1 个事项）" in again["evidence"]


def test_topic_labels_are_the_curated_ones(tmp_path: Path) -> None:
    """Alerts name a topic as 话题 does (the curated_labels view): the analyst's rename, else the
    model's label; events keep theirs."""
    c = connect(tmp_path / "labels.duckdb")
    c.execute("INSERT INTO topic_runs VALUES ('r1', now()::TIMESTAMP, NULL, NULL, 2, 0, 'v', 'f', NULL)")
    c.execute("INSERT INTO topics VALUES ('r1', 1, 'issue', NULL, '退费', ['退费'], 3, []),"
              " ('r1', 2, 'issue', NULL, '跑路', ['跑路'], 1, []),"
              " ('r1', 1000001, 'event', 1, '某健身闭店', ['闭店'], 2, [])")  # fmt: skip
    c.execute("INSERT INTO topic_curation VALUES (1, '预付卡退费难', NULL, false, now()), (2, '', 1, false, now())")
    labels = detection.topic_labels(c, "r1")
    c.close()
    assert labels == {1: "预付卡退费难", 2: "跑路", 1000001: "某健身闭店"}
