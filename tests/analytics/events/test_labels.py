"""Event labels read as a briefing line: a member title, boilerplate off, never cut inside a word."""

from __future__ import annotations

import pytest

from analytics.events.labels import clean_title, event_label
from analytics.text import segmenter


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("关于A2区丽发新城小区附近搅拌站噪音扰民的问题", "A2区丽发新城小区附近搅拌站噪音扰民的问题"),
        ("强烈反映伊景园滨河苑捆绑销售车位", "伊景园滨河苑捆绑销售车位"),
        ("对C市小学入学政策的咨询", "C市小学入学政策"),
        ("  投诉：58车贷平台跑路！", "58车贷平台跑路"),
    ],
)
def test_boilerplate_is_removed(title: str, label: str) -> None:
    assert clean_title(title) == label


def test_a_long_title_is_cut_at_a_word_boundary() -> None:
    seg = segmenter()
    title = "A市经济学院体育学院强制学生外出实习并收取高额实习费用且不给学生发放任何实习工资的问题"
    label = clean_title(title, seg.cut)
    assert len(label) <= 30 and title.startswith(label)
    words = seg.cut(title)
    ends = {sum(len(w) for w in words[:i]) for i in range(len(words) + 1)}
    assert len(label) in ends  # never inside a word


def test_the_label_is_the_title_most_like_the_others_naming_the_entity() -> None:
    seg = segmenter()
    titles = ["搅拌站太吵了", "丽发新城附近搅拌站噪音扰民", "丽发新城搅拌站噪音扰民严重", "噪音问题"]
    label = event_label(titles, [seg.tokens(t) for t in titles], "丽发新城", seg.cut)
    assert label.startswith("丽发新城") and "搅拌站噪音扰民" in label


def test_an_event_about_one_business_names_it_when_no_title_does() -> None:
    seg = segmenter()
    titles = ["超市短斤少两", "超市短斤少两，缺斤短两", "买菜短斤少两"]
    tokens = [seg.tokens(t) for t in titles]
    assert event_label(titles, tokens, "鑫福便利店", seg.cut, business="鑫福便利店") == "鑫福便利店：超市短斤少两"
    # A title that names it already, or an entity found only in the text, leads nothing.
    named = ["鑫福便利店短斤少两", *titles]
    assert event_label(named, [seg.tokens(t) for t in named], "鑫福便利店", seg.cut, business="鑫福便利店") == (
        "鑫福便利店短斤少两"
    )
    assert event_label(titles, tokens, "鑫福便利店", seg.cut) == "超市短斤少两"
