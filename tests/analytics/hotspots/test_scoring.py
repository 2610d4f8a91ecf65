"""Issue scoring on the hand-built fixture (topics inserted directly, run "r1")."""

from __future__ import annotations

import pytest

from analytics.errors import UserError
from analytics.hotspots import COMPONENTS, rank_issues, resolve_weights
from analytics.hotspots.scoring import load_weights
from analytics.store import connect


@pytest.fixture
def con(hotspot_db):
    c = connect(hotspot_db)
    yield c
    c.close()


def test_weights_file_has_every_component_with_chinese_help() -> None:
    weights = load_weights()
    assert set(weights) == set(COMPONENTS)
    for w in weights.values():
        assert w.weight >= 0
        assert any("\u4e00" <= ch <= "\u9fff" for ch in w.help), w.name


def test_weight_overrides_are_checked() -> None:
    assert resolve_weights({"volume": 0})["volume"] == 0
    with pytest.raises(UserError):
        resolve_weights({"nonsense": 1})
    with pytest.raises(UserError):
        resolve_weights({"volume": -1})
    with pytest.raises(UserError):
        resolve_weights({c: 0 for c in COMPONENTS})


def test_growing_concentrated_severe_issue_ranks_first(con) -> None:
    r = rank_issues(con, year=2024, run_id="r1")
    ranking = r.ranking.set_index("topic_id")
    assert r.ranking.iloc[0]["topic_id"] == 1
    assert ranking.loc[1, "size"] == 60 and ranking.loc[1, "n_prev"] == 10
    assert ranking.loc[1, "change_on_last_year"] == pytest.approx(5.0)
    assert ranking.loc[3, "change_on_last_year"] == pytest.approx(-0.375)
    # Declining topic 3 and steady topic 2 get no growth credit; the new tiny topic 4 gets some.
    assert ranking.loc[2, "growth"] == 0 and ranking.loc[3, "growth"] == 0
    assert 0 < ranking.loc[4, "growth"] < 1
    # Topic 2 reaches all 8 counties; topic 1 names 2 businesses only.
    assert ranking.loc[2, "breadth"] > ranking.loc[1, "breadth"]
    assert ranking.loc[1, "concentration"] == 1.0
    assert ranking.loc[1, "severity"] == 1.0 and ranking.loc[2, "severity"] == 0.0
    assert ranking.loc[1, "support"] == 1.0 and ranking.loc[3, "support"] == 0.0
    assert ranking.loc[1, "regulator"] == "文化广电旅游体育局"  # 健身 in the profile's taxonomy
    assert ranking.loc[2, "regulator"] == "邮政管理局"


def test_components_are_normalised_and_contributions_add_up(con) -> None:
    r = rank_issues(con, year=2024, run_id="r1")
    for c in COMPONENTS:
        assert r.ranking[c].between(0, 1).all(), c
    sums = r.components.groupby("topic_id")["contribution"].sum()
    for row in r.ranking.itertuples():
        assert sums[row.topic_id] == pytest.approx(row.score, abs=0.05)


def test_overdue_uses_working_days(con) -> None:
    # Every 5th complaint was closed 40 days after receipt (late for any kind), the rest the next day.
    r = rank_issues(con, year=2024, run_id="r1")
    from analytics.hotspots.features import resolve_period, topic_features

    f = topic_features(con, "r1", resolve_period(con, 2024)).set_index("topic_id")
    assert f["overdue_share"].between(0.15, 0.25).all()
    assert (r.ranking["difficulty"] > 0).all()


def test_weights_change_the_ranking(con) -> None:
    only_breadth = {c: 0.0 for c in COMPONENTS} | {"breadth": 1.0}
    r = rank_issues(con, year=2024, run_id="r1", weights=only_breadth)
    assert r.ranking.iloc[0]["topic_id"] == 2  # eight counties, thirty businesses
    assert r.weights["breadth"] == 1.0
    # Tuple of pairs (hashable, for the UI cache) works the same.
    r2 = rank_issues(con, year=2024, run_id="r1", weights=tuple(only_breadth.items()))
    assert r2.ranking["topic_id"].tolist() == r.ranking["topic_id"].tolist()


def test_why_sentences_are_chinese_and_cite_numbers(con) -> None:
    r = rank_issues(con, year=2024, run_id="r1")
    top = r.ranking.iloc[0]
    assert top["why"].startswith("排第 1 位")
    assert "60 件" in top["why"] and "500%" in top["why"]
    assert r.ranking["why"].notna().all()
    # Counts and words, not the components' 0-1 values ("投诉量（0.58）"), which a meeting cannot read.
    assert not r.ranking["why"].str.contains(r"（[01]\.\d\d）").any()


def test_shortlist_has_two_to_four(con) -> None:
    r = rank_issues(con, year=2024, run_id="r1")
    assert 2 <= r.ranking["shortlisted"].sum() <= 4
    assert r.ranking["shortlisted"].iloc[0]
    assert list(r.ranking["rank"]) == list(range(1, len(r.ranking) + 1))


def test_first_year_is_compared_with_the_year_after(con) -> None:
    # 2023 is the first year of data: the baseline is 2024, so the 物业 topic that fell from 40 to 25
    # stands out in 2023, and there is no 同比 figure.
    r = rank_issues(con, year=2023, run_id="r1")
    ranking = r.ranking.set_index("topic_id")
    assert (ranking["baseline"] == "next").all()
    assert ranking.loc[3, "growth"] > 0 and ranking.loc[1, "growth"] == 0
    assert ranking["change_on_last_year"].isna().all()


def test_no_comparison_window_gives_no_growth(con) -> None:
    r = rank_issues(con, run_id="r1")  # all data: neither a year before nor a year after is covered
    assert (r.ranking["growth"] == 0).all()
    assert r.ranking["change_on_last_year"].isna().all()


def test_breakdowns_trend_and_representatives(con) -> None:
    r = rank_issues(con, year=2024, run_id="r1")
    b = r.breakdowns
    top_county = b[(b.topic_id == 1) & (b.dimension == "county") & (b["rank"] == 1)]
    assert top_county["value"].item() == "清城区"
    assert set(b["dimension"]) == {"county", "sector", "business"}
    trend = r.trend[r.trend.topic_id == 1]
    assert trend.loc[trend.in_period, "n"].sum() == 60
    assert trend.loc[~trend.in_period, "n"].sum() == 10
    assert set(r.representatives["topic_id"]) == {1, 2, 3, 4}


def test_all_data_without_period(con) -> None:
    r = rank_issues(con, run_id="r1")
    assert r.period is not None and r.period.start.year == 2023 and r.period.end.year == 2024
    assert r.ranking["size"].sum() == 200  # every complaint of the fixture


def test_empty_database(empty_db) -> None:
    with connect(empty_db) as c:
        r = rank_issues(c, year=2024, run_id="r1")
    assert r.ranking.empty and r.period is None
