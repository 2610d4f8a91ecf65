"""Labels shown to the public or a meeting follow the label grammar, else the sector's issue."""

from __future__ import annotations

import pytest

from analytics.topics.labels import public_label, reads_as_label


@pytest.mark.parametrize(
    "label",
    ["预付卡退费难", "旅行社团费", "处方药", "防疫用品", "门票问题", "健身卡退费·私教课",
     # a verb before its object, a negated word, an adjective last (issue 10: labels of phrases written)
     "拖欠农民工工资", "安装路灯", "哄抬防疫用品价格", "快递不送货上门", "培训质量差"],
)  # fmt: skip
def test_phrases_read_as_labels(label: str) -> None:
    assert reads_as_label(label)


FRAGMENTS = [
    "宣传一半",
    "里面头发",
    "清楚每月",
    "承诺随时",
    "教育突然",
    "老人、门票",
    "退费",
    "其他",
    "服务做到",
    "消费提前",
    "有限公司停水",
]


@pytest.mark.parametrize("label", FRAGMENTS)
def test_fragments_do_not(label: str) -> None:
    assert not reads_as_label(label)


def test_public_label_keeps_the_analysts_label_and_replaces_a_fragment() -> None:
    assert public_label("预付卡退费难", curated=False, sector="健身") == "预付卡退费难"
    assert public_label("教育突然", curated=False, sector="教育培训") == "教育培训类问题"
    assert public_label("教育突然", curated=True, sector="教育培训") == "教育突然"  # the analyst chose it
    assert public_label("里面头发", curated=False, sector=None) == "其他问题"
