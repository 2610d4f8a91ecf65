"""Hotspot volume counts matters (事项) by default: one angry customer cannot make a hotspot.

Two topics in one month, alike in everything but volume: topic 1 is one complainant calling ten
times about one matter (linked in matter_links), topic 2 five people with five matters.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from analytics.errors import UserError
from analytics.hotspots import rank_issues
from analytics.hotspots.events import rank_events
from analytics.hotspots.explain import why_sentences
from analytics.hotspots.report import events_payload, issues_payload
from analytics.store import connect


@pytest.fixture
def con(tmp_path: Path):
    c = connect(tmp_path / "unit.duckdb")
    rows = [(1, "张先生", 1)] * 10 + [(2, f"用户{k}", None) for k in range(5)]
    for i, (topic, who, matter) in enumerate(rows, start=1):
        received = datetime(2024, 5, 6, 9) + timedelta(hours=i)
        c.execute(
            """INSERT INTO complaints (id, complaint_id, source, received_at, closed_at, kind, county, sector,
                   business, title, content, resolved, complainant, dedupe_key, batch_id)
               VALUES (?, ?, '12345', ?, ?, '投诉', '清城区', '健身', '力健健身', '健身卡退费', '预付卡余额不退',
                   true, ?, ?, 'b1')""",
            [i, f"C{i:03d}", received, received + timedelta(days=1), who, f"k{i}"],
        )
        c.execute("INSERT INTO topic_assignments VALUES ('r1', ?, ?, ?)", [i, topic, 10 + topic])
        if matter is not None:
            c.execute("INSERT INTO matter_links VALUES (?, ?)", [i, matter])
    # Keywords unlike each other, so the near-duplicate merge (merging.py) keeps the topics apart.
    for tid, label, keywords in ((1, "一人反复投诉", ["健身卡退费"]), (2, "五人各投诉一次", ["会员跑路"])):
        c.execute("INSERT INTO topics VALUES ('r1', ?, 'issue', NULL, ?, ?, 0, [])", [tid, label, keywords])
        c.execute("INSERT INTO topics VALUES ('r1', ?, 'event', ?, ?, ?, 0, [])", [10 + tid, tid, label, keywords])
    c.execute(
        "INSERT INTO topic_runs VALUES ('r1', now(), DATE '2024-01-01', DATE '2024-12-31', 2, 15, 'test', 'fp', NULL)"
    )
    yield c
    c.close()


def test_one_complainants_ten_calls_do_not_outrank_five_matters(con, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOTSPOT_VOLUME_UNIT", raising=False)
    r = rank_issues(con, year=2024, run_id="r1")
    assert r.unit == "matters"
    assert r.ranking["topic_id"].tolist() == [2, 1]
    by_topic = r.ranking.set_index("topic_id")
    assert (by_topic.loc[1, "size"], by_topic.loc[1, "matters"]) == (10, 1)
    assert (by_topic.loc[2, "size"], by_topic.loc[2, "matters"]) == (5, 5)
    assert by_topic.loc[2, "volume"] == 1.0 and by_topic.loc[1, "volume"] == pytest.approx(0.2)
    # The why-sentence names the unit the score used.
    assert "5 个事项（5 件次），居第 1 位" in by_topic.loc[2, "why"]
    payload = issues_payload(con, r)
    assert payload["volume_unit"] == "matters"
    assert [(h["topic_id"], h["size"], h["matters"]) for h in payload["hotspots"]] == [(2, 5, 5), (1, 10, 1)]


def test_counting_complaints_is_the_alternative(con, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTSPOT_VOLUME_UNIT", "complaints")
    r = rank_issues(con, year=2024, run_id="r1")
    assert r.unit == "complaints" and r.ranking["topic_id"].tolist() == [1, 2]
    assert "投诉量 10 件（1 个事项），居第 1 位" in r.ranking.set_index("topic_id").loc[1, "why"]
    # An explicit unit beats the setting.
    assert rank_issues(con, year=2024, run_id="r1", unit="matters").ranking["topic_id"].tolist() == [2, 1]


def test_unknown_unit_is_refused_in_chinese(con, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTSPOT_VOLUME_UNIT", "calls")
    with pytest.raises(UserError) as err:
        rank_issues(con, year=2024, run_id="r1")
    assert "事项" in err.value.zh


def test_event_hotness_counts_matters_too(con, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOTSPOT_VOLUME_UNIT", raising=False)
    events = rank_events(con, year=2024, run_id="r1")
    assert events["event_id"].tolist() == [12, 11]
    assert events.set_index("event_id")[["size", "matters"]].loc[11].tolist() == [10, 1]
    assert [(h["size"], h["matters"]) for h in events_payload(con, events)["hotspots"]] == [(5, 5), (10, 1)]
    assert rank_events(con, year=2024, run_id="r1", unit="complaints")["event_id"].tolist() == [11, 12]


def _why(unit: str, baseline: str, n_prev: int, n_prev_matters: int) -> str:
    """The why-sentence of one topic whose only reasons are volume and growth."""
    ranking = pd.DataFrame({"topic_id": [1], "rank": [1], "score": [80.0], "shortlisted": [True]})
    features = pd.DataFrame(
        {"topic_id": [1], "n": [15], "n_matters": [12], "n_prev": [n_prev], "n_prev_matters": [n_prev_matters],
         "baseline": [baseline]}
    )  # fmt: skip
    parts = pd.DataFrame(
        {"topic_id": [1, 1], "component": ["volume", "growth"], "label": ["投诉量", "增长"],
         "value": [1.0, 0.5], "contribution": [0.3, 0.2]}
    )  # fmt: skip
    return why_sentences(ranking, features, parts, unit=unit)[1]


def test_growth_sentence_counts_both_ways_in_the_unit_scored() -> None:
    """本期 / 上年同期 name 件次 and 事项, the counted unit first; the rise is of the counted unit."""
    why = _why("matters", "last_year", 10, 8)
    assert "12 个事项（15 件次），居第 1 位" in why
    assert "较上年同期 8 个事项（10 件次）增长 50%" in why  # 12 matters against 8
    why = _why("complaints", "last_year", 10, 8)
    assert "投诉量 15 件（12 个事项）" in why and "较上年同期 10 件（8 个事项）增长 50%" in why
    assert "本期新出现 12 个事项（15 件次）" in _why("matters", "last_year", 0, 0)
    why = _why("matters", "next", 5, 4)
    assert "本期 12 个事项（15 件次），为次年同期 4 个事项（5 件次）的 3.0 倍" in why
