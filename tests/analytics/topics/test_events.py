"""Event-level clusters: branches of one business are one incident; near-duplicates stay per county."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.profile import load_profile
from analytics.topics.events import business_key, business_keys, find_events, place_names

PLACES = place_names(load_profile())


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("启航教育（清城店）", "启航教育"),
        ("启航教育(英德店)", "启航教育"),
        ("清远市启航教育英德校区", "启航教育"),
        ("快乐行旅行社清城店", "快乐行旅行社"),
        ("清远市好又多超市有限公司英德分公司", "好又多超市"),
        ("好又多超市石角店", "好又多超市"),
        ("佳润超市 （佛冈店）", "佳润超市"),
        ("万达酒店（清城店）", "万达酒店"),  # a bare 店 is part of the brand
        ("太平洋保险清城支公司", "太平洋保险"),  # a town's short form (太平) is not cut from the front
        ("天天省超市（英德店）", "天天省超市"),  # only real provinces are cut
        ("广西壮族自治区桂林市好又多超市（英德店）", "桂林市好又多超市"),
    ],
)
def test_business_key_finds_the_brand_behind_a_branch(name: str, key: str) -> None:
    assert business_key(name, PLACES) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("清新超市", "清新超市"),  # a place-named brand keeps its place: not every 超市 is one business
        ("英德鸿福店", "英德鸿福店"),
        ("美宜佳", "美宜佳"),
        ("大参林药店", "大参林药店"),  # the same brand as 大参林药店（清城店）
        # Not a branch: a business named with its place is its own, in every county.
        ("清远市人民医院", "清远市人民医院"),
        ("英德市人民医院", "英德市人民医院"),
        ("英德市自来水公司", "英德市自来水"),
        ("广东省清远市清城区好又多超市有限公司", "广东省清远市清城区好又多超市"),
    ],
)
def test_business_key_keeps_short_brands_whole(name: str, key: str) -> None:
    assert business_key(name, PLACES) == key


@pytest.mark.parametrize("name", [None, np.nan, pd.NA, "", " ", "店", "不详", "个人", "商家", "个体户（清城店）"])
def test_business_key_of_nothing_is_none(name: object) -> None:
    assert business_key(name, PLACES) is None


def test_business_keys_maps_each_row() -> None:
    keys = business_keys(pd.Series(["启航教育（清城店）", None, "启航教育（英德店）", np.nan, "美宜佳"]))
    assert keys.tolist() == ["启航教育", None, "启航教育", None, "美宜佳"]


def test_branches_in_two_counties_form_one_event() -> None:
    business = pd.Series(["启航教育（清城店）"] * 4 + ["启航教育（英德店）"] * 3 + ["别家公司"] * 2)
    county = pd.Series(["清城区"] * 4 + ["英德市"] * 3 + ["清城区"] * 2)
    topic = np.full(len(business), 7)
    z = np.eye(len(business), dtype=np.float32)  # texts all different: only the business links them
    event = find_events(topic, business, county, z)
    assert set(event[:7]) == {7001}
    assert (event[7:] == -1).all()  # two complaints are below min_size


def test_near_duplicates_group_within_a_county_only() -> None:
    base = np.array([1.0, 0.0], dtype=np.float32)
    z = np.vstack([base] * 6 + [np.array([0.0, 1.0], dtype=np.float32)])
    county = pd.Series(["清城区"] * 3 + ["英德市"] * 3 + ["清城区"])
    event = find_events(np.zeros(7, dtype=np.int64), pd.Series([None] * 7), county, z)
    assert event[0] == event[1] == event[2] != -1
    assert event[3] == event[4] == event[5] != -1
    assert event[0] != event[3]
    assert event[6] == -1


def test_event_labels_name_the_brand_the_business_or_the_place() -> None:
    from analytics.text import Corpus
    from analytics.topics.store import event_rows
    from analytics.topics.vectorize import PhraseTfidf

    rows = [  # (event, business, county, tokens)
        *[(1001, "启航教育（清城店）", "清城区", ["启航", "闭店", "学费"])] * 2,
        *[(1001, "启航教育（英德店）", "英德市", ["启航", "闭店", "退费"])] * 2,
        *[(1002, "佳润超市", "佛冈县", ["熟食", "腹泻"])] * 3,
        *[(1003, None, "连州市", ["噪音", "扰民"])] * 3,
        *[(1004, f"美宜佳（{c[:2]}店）", c, ["过期", "食品"]) for c in ("清城区", "清新区", "英德市", "连州市")],
    ]
    corpus = Corpus.from_lists(list(range(len(rows))), [r[3] for r in rows])
    vectorizer = PhraseTfidf(min_df=1, min_df_phrase=1, max_df=1.0).fit(corpus)
    meta = pd.DataFrame({"business": [r[1] for r in rows], "county": [r[2] for r in rows]})
    event = np.array([r[0] for r in rows])
    labels = {e: label for e, _, _, label, *_ in event_rows(vectorizer, corpus, event, np.ones(len(rows)), meta)}
    assert labels[1001] == "启航教育（清城区、英德市）"
    assert labels[1002] == "佳润超市"
    assert labels[1003].startswith("连州市·")
    assert labels[1004] == "美宜佳（清城区、清新区、英德市等 4 个区县）"  # at most three named
