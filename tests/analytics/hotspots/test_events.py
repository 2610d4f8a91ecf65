"""Event hotspots on the fixture: a one-week burst with many likes beats a slow trickle."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.hotspots.events import HOTNESS_WEIGHTS, coherence, hotness, rank_events
from analytics.store import connect


@pytest.fixture
def con(hotspot_db):
    c = connect(hotspot_db)
    yield c
    c.close()


def test_burst_with_likes_ranks_first(con) -> None:
    events = rank_events(con, year=2024, run_id="r1")
    assert events["event_id"].tolist() == [11, 12]
    first = events.iloc[0]
    assert "力健健身" in first["label"] and first["parent_label"] == "预付卡跑路"
    assert first["size"] == 15 and first["peak_week"] == 15 and first["span_days"] == 6
    assert first["likes"] == sum(40 + i for i in range(15)) and first["dislikes"] == 30
    assert events.iloc[1]["peak_week"] == 1 and events.iloc[1]["span_days"] == 152
    assert events["hotness"].between(0, 100).all()
    assert events["coherence"].iloc[0] == pytest.approx(1.0)  # fifteen identical messages


def test_min_size_and_period_filter(con) -> None:
    assert rank_events(con, year=2024, run_id="r1", min_size=7)["event_id"].tolist() == [11]
    assert rank_events(con, year=2023, run_id="r1").empty
    assert len(rank_events(con, year=2024, run_id="r1", top=1)) == 1


def test_hotness_grows_with_size_without_saturating() -> None:
    stats = pd.DataFrame(
        {
            "event_id": [1, 2, 3, 4],
            "size": [55, 7, 8, 56],
            "likes": [20, 20, 0, 0],
            "dislikes": [0, 0, 0, 0],
            "support_known": [55, 7, 8, 56],
            "peak_week": [8, 7, 8, 9],
            "span_days": [80, 5, 6, 90],
        }
    )
    out = hotness(stats, unit="complaints").set_index("event_id")
    # 55 complaints outrank 7 with the same likes, and 8 complaints do not already score the top.
    assert out.loc[1, "index"] > out.loc[2, "index"] + 1.5
    assert out.loc[3, "hotness"] < 60
    assert out["hotness"].max() == pytest.approx(100.0)
    expected = sum(w * np.log1p(x) for w, x in zip(HOTNESS_WEIGHTS.values(), (55, 20, 8), strict=True))
    assert out.loc[1, "index"] == pytest.approx(expected)


def test_coherence_separates_a_mix_from_a_cluster() -> None:
    same = ["某小区门口搅拌站噪音扰民严重", "小区旁搅拌站噪音扰民，晚上无法休息", "搅拌站夜间施工噪音扰民"]
    mixed = ["某小区门口搅拌站噪音扰民严重", "某小区物业乱收停车费", "某小区学校招生不公平"]
    scores = coherence({1: same, 2: mixed})
    assert scores[1] > scores[2]


def test_an_analysts_event_label_is_the_one_ranked(con) -> None:
    """An analyst renames an event (its id stays while the incident continues): the ranking, and so
    热点, the deck and the exports, show that label; a blank label brings the automatic one back."""
    from analytics.topics.curation import rename_topic

    automatic = rank_events(con, year=2024, run_id="r1").set_index("event_id")["label"]
    rename_topic(con, 11, "力健健身房关店预付卡退费难", actor="test")
    renamed = rank_events(con, year=2024, run_id="r1").set_index("event_id")["label"]
    assert renamed[11] == "力健健身房关店预付卡退费难" and renamed[12] == automatic[12]
    assert con.execute("SELECT action, target FROM audit_log").fetchall() == [("topic_rename", "11")]
    rename_topic(con, 11, "  ", actor="test")
    assert rank_events(con, year=2024, run_id="r1").set_index("event_id")["label"][11] == automatic[11]
