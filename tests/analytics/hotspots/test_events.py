"""Event hotspots on the fixture: a one-week burst with many likes beats a slow trickle."""

from __future__ import annotations

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
    events = rank_events(con, year=2024, run_id="r1", method="topics")
    assert events["event_id"].tolist() == [11, 12]
    first = events.iloc[0]
    assert "力健健身" in first["label"] and first["parent_label"] == "预付卡跑路"
    assert first["size"] == 15 and first["peak_week"] == 15 and first["span_days"] == 6
    assert first["likes"] == sum(40 + i for i in range(15)) and first["dislikes"] == 30
    assert events.iloc[1]["peak_week"] == 1 and events.iloc[1]["span_days"] == 152
    assert events["hotness"].between(0, 100).all()
    assert events["coherence"].iloc[0] == pytest.approx(1.0)  # fifteen identical messages


def test_min_size_and_period_filter(con) -> None:
    assert rank_events(con, year=2024, run_id="r1", min_size=7, method="topics")["event_id"].tolist() == [11]
    assert rank_events(con, year=2023, run_id="r1", method="topics").empty
    assert len(rank_events(con, year=2024, run_id="r1", top=1, method="topics")) == 1


def test_hotness_formula_and_missing_likes() -> None:
    stats = pd.DataFrame(
        {
            "event_id": [1, 2],
            "size": [10, 1],
            "likes": [0, 0],
            "dislikes": [0, 0],
            "support_known": [0, 0],
            "peak_week": [10, 1],
            "span_days": [3, 1],
        }
    )
    out = hotness(stats)
    # No likes anywhere: support is left out and the rest rescaled, so the top cluster still reaches 100.
    assert out.loc[0, "hotness"] == pytest.approx(100.0)
    weights = {k: w for k, w in HOTNESS_WEIGHTS.items() if k != "support"}
    expected = 100 * sum(out.loc[1, k] * w for k, w in weights.items()) / sum(weights.values())
    assert out.loc[1, "hotness"] == pytest.approx(expected, abs=0.01)


def test_coherence_separates_a_mix_from_a_cluster() -> None:
    same = ["某小区门口搅拌站噪音扰民严重", "小区旁搅拌站噪音扰民，晚上无法休息", "搅拌站夜间施工噪音扰民"]
    mixed = ["某小区门口搅拌站噪音扰民严重", "某小区物业乱收停车费", "某小区学校招生不公平"]
    scores = coherence({1: same, 2: mixed})
    assert scores[1] > scores[2]


def test_text_clusters_without_a_topic_run(con) -> None:
    # Small periods are clustered from the text itself: no topic run needed.
    events = rank_events(con, year=2024)
    assert (events["method"] == "text").all() and events["run_id"].isna().all()
    first = events.iloc[0]
    assert "力健健身" in first["label"] and first["size"] == 15 and first["likes"] > 0
    for ids in events["member_ids"]:
        assert len(ids) >= 2


def test_different_places_are_never_one_event() -> None:
    from analytics.hotspots.clustering import text_clusters

    frame = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "title": ["咨询A7县独生子女证购房券问题", "咨询A8县独生子女证购房券问题", "清城区某小区门口油烟扰民",
                      "清城区某小区门口油烟扰民严重"],
            "content": ["", "", "", ""],
            "business": [None, None, None, None],
            "block": [0, 0, 0, 0],
        }
    )  # fmt: skip
    clusters = text_clusters(frame).set_index("id")["event_id"]
    assert 1 not in clusters.index or 2 not in clusters.index or clusters[1] != clusters[2]
    assert clusters[3] == clusters[4]


def test_merge_by_business_unites_a_chain_and_leaves_mixes_alone() -> None:
    import numpy as np

    from analytics.hotspots.clustering import merge_by_business

    # Clusters 0 and 1: one chain's branches (split by wording/county); 2: a mix of two businesses;
    # then three loose complaints naming one shop, and two naming another.
    labels = np.array([0, 0, 0, 1, 1, 2, 2, 2, -1, -1, -1, -1, -1, -1])
    brands = np.array(
        ["启航教育"] * 5 + ["甲店", "乙店", None] + ["启航教育"] + ["丙店"] * 3 + ["丁店"] * 2, dtype=object
    )
    out = merge_by_business(labels, brands)
    assert len(set(out[[0, 1, 2, 3, 4, 8]])) == 1 and out[0] >= 0  # both clusters and the loose one
    assert list(out[5:8]) == [2, 2, 2]  # the mix stays
    assert len(set(out[9:12])) == 1 and out[9] >= 0 and out[9] != out[0]  # three loose: an event
    assert list(out[12:]) == [-1, -1]  # two loose: not enough
    assert merge_by_business(labels, np.full(len(labels), None, dtype=object)).tolist() == labels.tolist()
