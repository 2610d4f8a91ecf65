"""Entities: the named things an incident is about, from the text and from the business column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analytics.events.entities as entities_module
from analytics.events.businesses import business_key, business_keys, place_names
from analytics.events.entities import cities, find_entities, mentions
from analytics.profile import load_profile

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


def _entities(texts: list[str]) -> list[list[str]]:
    return find_entities(texts).strong


def test_a_name_starts_where_the_documents_agree() -> None:
    # One estate written five ways: the name is cut where the documents stop sharing it
    # (丽发新城, not 映丽发新城 nor 新城), and a trailing 小区 adds nothing.
    texts = [
        "A2区丽发新城小区附近搅拌站噪音扰民",
        "反映丽发新城小区旁边搅拌站粉尘污染",
        "投诉丽发新城附近的搅拌站无证经营",
        "关于A市丽发新城小区搅拌站夜间施工的问题",
        "丽发新城业主反映搅拌站大货车扰民",
        "A5区碧水新城物业乱收费",
    ]
    found = _entities(texts)
    assert all("丽发新城" in names for names in found[:5]), found
    assert found[5] == []  # named once: no incident


def test_places_and_boilerplate_are_not_names() -> None:
    names = {o for m in mentions("关于A7县人民政府门口道路积水的问题，请尽快处理") for o in m.options}
    assert not any(n.endswith("政府") for n in names)
    assert not any("关于" in n or "A7县" in n for n in names)


def test_a_common_name_is_qualified_by_its_place() -> None:
    # 人民医院 is in every county: only "A7县人民医院" names one hospital; a bare 人民医院 is weak.
    texts = ["A7县人民医院乱收费", "A7县人民医院服务态度差", "A7县人民医院排队太久", "A6区人民医院停车难"] + [
        "反映人民医院挂号难"
    ] * 3
    index = find_entities(texts)
    assert index.strong[:3] == [["A7县人民医院"]] * 3
    assert "人民医院" not in {n for names in index.strong for n in names}
    assert index.weak[4] == ["人民医院"]


def test_cities_named_by_a_text() -> None:
    assert cities("A市A2区某小区") == {"A"}
    assert cities("咨询C4市和D市的政策") == {"C", "D"}
    assert cities("清城区某小区噪音") == {load_profile().name}
    assert cities("小区门口噪音") == set()
    texts = ["A市A2区某小区", "清城区某小区噪音", "小区门口噪音"]
    assert find_entities(texts).cities == [cities(t) for t in texts]  # found in the same pass


def test_a_longer_form_of_a_name_is_the_same_entity() -> None:
    # 沿江东路扩建项目 and 沿江东路 are one road: a longer form becomes the longest name it contains.
    strong = [["沿江东路扩建项目"], ["沿江东路"], ["恒泰翠湖湾", "翠湖湾"], ["丽发新城", "恒泰翠湖湾"]]
    assert entities_module._shortest_forms(strong) == [["沿江东路"], ["沿江东路"], ["翠湖湾"], ["丽发新城", "翠湖湾"]]


def test_a_big_corpus_finds_the_same_entities_on_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        "A2区丽发新城小区附近搅拌站噪音扰民",
        "反映丽发新城小区旁边搅拌站粉尘污染",
        "A7县人民医院乱收费",
        "A7县人民医院服务态度差",
        "A7县人民医院排队太久",
        "投诉丽发新城附近的搅拌站无证经营",
        "沿江东路扩建项目噪音扰民",
    ] * 4
    serial = find_entities(texts)
    monkeypatch.setattr(entities_module, "PARALLEL_MIN_TEXTS", 1)
    monkeypatch.setattr(entities_module, "CHUNK_TEXTS", 5)
    assert find_entities(texts) == serial


def test_a_function_character_inside_a_name_does_not_cut_it() -> None:
    # 和 usually ends the words before a name (学校和沿江路), but in 怡和路 it is part of the name: a
    # one-character lead that makes a word with its neighbour stays in. (Seed 3's demo road incident
    # was found by no event when the name was cut to nothing.)
    texts = [
        "怡和路改造工程夜间施工噪音扰民",
        "投诉怡和路施工影响商铺经营",
        "怡和路施工扬尘大",
        "举报怡和路封路没有公告",
    ]
    assert _entities(texts) == [["怡和路"]] * 4
    assert [m.options for m in mentions("学校和沿江路积水")] == [("沿江路",)]
    assert mentions("我们小区和路口积水") == []


def test_a_dictionary_word_is_a_name_when_jieba_tags_it_one() -> None:
    # 凤翔路 is in jieba's dictionary (tagged nr, a proper name): still one road. 水泥路 (n) is a kind of
    # road, not one: never an entity however often it is written. (Seed 10's 55-complaint road
    # incident was found by no event while 凤翔路 counted as a common phrase.)
    roads = ["凤翔路施工扬尘大", "凤翔路工期拖延", "投诉凤翔路夜间施工噪音扰民", "凤翔路封路没有公告"]
    kinds = ["村里水泥路坏了没人修", "水泥路坑洼积水", "举报水泥路被大货车压坏"]
    found = _entities(roads + kinds)
    assert found[:4] == [["凤翔路"]] * 4
    assert found[4:] == [[]] * 3


def test_an_organisation_is_one_entity_with_or_without_its_trade_words() -> None:
    # 童艺学校, 童艺培训学校 and 童艺艺术培训学校 are one school (培训, 艺术: common words between the
    # brand and its kind); 育才学校 stays another school. (Seed 8's 16-complaint school incident was
    # three entities and no event.)
    strong = [["童艺培训学校"], ["童艺艺术培训学校"], ["童艺学校"], ["育才学校"], ["育才培训学校"]]
    assert entities_module._shortest_forms(strong) == [["童艺学校"]] * 3 + [["育才学校"]] * 2
    assert entities_module._shortest_forms([["童艺培训学校"], ["童艺艺术培训学校"]]) == [
        ["童艺培训学校"],
        ["童艺培训学校"],  # without 艺术
    ]
