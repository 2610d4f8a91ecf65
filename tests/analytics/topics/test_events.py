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
        ("广东省清远市清城区好又多超市有限公司", "好又多超市"),
        ("好又多超市石角店", "好又多超市"),
        ("佳润超市 （佛冈店）", "佳润超市"),
    ],
)
def test_business_key_finds_the_brand_behind_a_branch(name: str, key: str) -> None:
    assert business_key(name, PLACES) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("清新超市", "清新超市"),  # a place-named brand keeps its place: not every 超市 is one business
        ("英德鸿福店", "英德鸿福"),
        ("美宜佳", "美宜佳"),
    ],
)
def test_business_key_keeps_short_brands_whole(name: str, key: str) -> None:
    assert business_key(name, PLACES) == key


@pytest.mark.parametrize("name", [None, np.nan, pd.NA, "", " ", "店"])
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
