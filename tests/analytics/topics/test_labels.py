"""Topic labels are phrases the topic's complaints write: two nouns the pair features joined only
because a word between them was dropped (洗碗机与图片, 虚假宣传骗老人) are no label."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from analytics.text import Corpus, segmenter
from analytics.topics import PhraseTfidf
from analytics.topics.labels import (
    TermStats,
    _content,
    _thing,
    describe,
    label_for,
    member_texts,
    shown_keywords,
    written,
)
from analytics.topics.phrases import Phrase, _whole, best_phrase, written_phrases

# Two topics as the demo writes them (issue 12: labelled 洗碗机图片 and 虚假宣传老人), and a third
# that shares their nouns, so the pairs are what is distinctive.
PICTURE = [
    "网店卖的洗碗机与图片严重不符",
    "旗舰店卖的洗碗机与图片严重不符，要求退货",
    "网上买的洗碗机与图片不符，商家拒绝退货",
    "电商公司卖的洗碗机与图片严重不符",
]
ELDERLY = [
    "会销保健品虚假宣传骗老人",
    "保健品讲座虚假宣传骗老人",
    "健康讲座虚假宣传骗老人，老人花了三千元",
    "讲座上虚假宣传骗老人的钱",
]
DELIVERY = [
    "网购的洗碗机一直不发货",
    "网店虚假宣传，保健品一直不发货",
    "网店的洗碗机付款后不发货",
    "虚假宣传，保健品付款后一直不发货",
]


def _three_topic_labels(titles: list[str], contents: list[str | None]) -> list[str]:
    """The labels of three topics of 12 complaints each, in order (title and content of each)."""
    texts = [f"{t}\n{c or ''}" for t, c in zip(titles, contents, strict=True)]
    topic = np.repeat([0, 1, 2], 12)
    seg = segmenter()
    corpus = Corpus.from_lists(np.arange(len(texts)), [seg.segment(t) for t in texts])
    vec = PhraseTfidf(min_df=2, min_df_phrase=2, max_df=1.0).fit(corpus)
    stats = TermStats(3, len(vec.vocabulary_))
    stats.add(vec.transform(corpus), topic)
    frame = pd.DataFrame({"title": titles, "content": contents})
    return describe(stats, vec.vocabulary_, member_texts(frame, topic, 3))[0]


def test_nouns_joined_across_a_dropped_word_are_no_label() -> None:
    texts = PICTURE * 3 + ELDERLY * 3 + DELIVERY * 3
    labels = _three_topic_labels(texts, [None] * len(texts))
    assert "洗碗机图片" not in labels and "虚假宣传老人" not in labels, labels
    # A thing and what went wrong join across 一直 (DELIVERY[0] and [1]: each written as often).
    assert labels[2] in ("洗碗机不发货", "保健品不发货"), labels
    assert all(any(label in t for t in texts) for label in labels[:2]), labels


def test_written_phrases() -> None:
    assert not written("洗碗机 图片", PICTURE)
    assert not written("虚假宣传 老人", ELDERLY)
    assert written("保健品 虚假宣传", ["保健品虚假宣传骗老人", "会销保健品虚假宣传"])  # two nouns side by side
    assert not written("机器人 描述", ["扫地机器人与描述不符", "网店的扫地机器人与描述严重不符"])  # 描述 a verb
    # Adverbs between the words (一直, 迟迟) still make one phrase.
    assert written("运动鞋 不发货", ["网购的运动鞋一直不发货", "运动鞋迟迟不发货"])
    assert written("驾校 教练", ["驾校的教练态度差", "驾校教练吃拿卡要"])
    assert not written("异味 推脱", ["房间有异味，酒店推脱", "床单有异味，前台推脱"])  # across a comma
    assert written("洗碗机", PICTURE)


def test_shown_keywords_leave_out_function_and_vague_words() -> None:
    """The November deck's 关键词 of 直播带货 read 直播带货、直播间、虚假宣传、完全、收到、假货."""
    shown = shown_keywords(["直播带货", "直播间", "虚假宣传", "完全", "收到", "假货", "迟迟不退款", "偷工减料"])
    assert shown == ["直播带货", "直播间", "虚假宣传", "假货", "偷工减料"]
    assert len(shown_keywords([f"关键词{i}" for i in range(10)])) == 6
    # A negation before a word is what the complaint says (the demo's topic 连衣裙不发货 lost its
    # keyword 不发货, 押金不退 its 押金不退); a negation at the end or a vague word stays out.
    shown = shown_keywords(["不发货", "押金不退", "价格不一致", "不退不换", "食品标签不规范", "不及时实在", "收到不"])
    assert shown == ["不发货", "押金不退", "价格不一致", "不退不换", "食品标签不规范"]


def test_a_phrase_takes_the_word_the_complaints_write_after_it() -> None:
    """网店拒绝 says half: the topic's complaints write 网店拒绝退货 (a demo topic's label before)."""
    vocabulary = np.array(["网店 拒绝", "拒绝 退货", "网店", "退货 寄回"])
    scores = np.array([3.0, 2.0, 1.0, 0.5])
    texts = ["网店拒绝退货", "这家网店拒绝退货还骂人", "网店拒绝七日无理由退货"]
    assert label_for(scores, vocabulary, texts) == "网店拒绝退货"
    # Not when few of the complaints write it so.
    assert (
        label_for(scores, vocabulary, [*texts, "网店拒绝换货", "网店拒绝处理", "网店拒绝赔偿", "网店拒绝发票"])
        == "网店拒绝"
    )


# Message-board complaints as a real export writes them (issue 10 item 3): the object and its problem
# are written together, among much else. The old labels read 农民工 (the object without its problem),
# 灯不亮 (a fragment cut across 路灯) and 公交线路.
WAGES = [
    "关于拖欠农民工工资的问题\n我们是在城南工地干活的农民工，包工头拖欠农民工工资已经半年，至今未付。",
    "恶意拖欠农民工工资\n某建筑公司拖欠农民工工资十多万元，我们多次讨要无果，希望劳动局帮忙讨回血汗钱。",
    "请求帮忙讨薪\n老板拖欠农民工工资，过年回家的路费都没有，请领导为农民工做主。",
    "拖欠工资怎么办\n本人在工地做了三个月，项目部拖欠农民工工资一直不给，劳动监察大队也找过了。",
]
LIGHTS = [
    "小区门口路灯不亮\n我们小区门口的路灯已经一个多月不亮了，晚上黑灯瞎火，老人小孩出行很不安全。",
    "路灯坏了没人修\n新村路段的路灯一直不亮，晚上骑电动车摔倒好几次，希望尽快维修路灯。",
    "反映路灯问题\n学校旁边那条路的路灯不亮，学生晚自习回家很危险，请相关部门处理。",
    "路灯不亮\n村里去年安装的太阳能路灯，现在全部不亮了，希望尽快修好。",
]
BUSES = [
    "建议增加公交线路\n我们小区离公交站太远，出行很不方便，建议增加公交线路，方便居民出行。",
    "公交车班次太少\n这条公交线路的公交车半小时才来一趟，上班经常迟到，建议增加班次。",
    "开通公交车\n新区入住居民越来越多，却没有一趟公交车经过，希望开通公交线路。",
    "公交站台设置不合理\n公交站台离路口太远，换乘很不方便，建议调整公交线路和站台。",
]


def test_real_style_topics_are_labelled_with_their_object_and_its_problem() -> None:
    texts = WAGES * 3 + LIGHTS * 3 + BUSES * 3
    title, _, content = zip(*(t.partition("\n") for t in texts), strict=True)
    labels = _three_topic_labels(list(title), list(content))
    assert labels[:2] == ["拖欠农民工工资", "路灯不亮"], labels  # a verb and its object; a thing and 不亮
    assert "公交线路" in labels[2] and "建议" not in labels[2], labels  # what is asked for, not 建议


def test_a_phrase_always_written_on_into_a_broken_word_is_no_label() -> None:
    """班车中途 is always followed by 甩客, which jieba cuts 甩 / 客: 班车中途 and 班车中途甩 are fragments."""
    texts = ["客运班车中途甩客，司机态度差", "城际班车中途甩客", "班车中途甩客还不退票", "投诉班车中途甩客"]
    features = {"班车": 1.0, "中途": 0.5}
    assert written_phrases(features, frozenset(), frozenset(features), texts, _content, _thing) == []
    # Followed by a word that is whole, the phrase takes it in: 拖欠农民工 → 拖欠农民工工资.
    texts = ["老板拖欠农民工工资", "项目部拖欠农民工工资至今", "拖欠农民工工资不给"]
    features = {"拖欠": 1.0, "农民工": 1.0}
    found = written_phrases(features, frozenset(), frozenset(features), texts, _content, _thing)
    assert found[0].text == "拖欠农民工工资" and found[0].problem, found


def test_a_phrase_takes_in_one_word_per_side_in_any_order() -> None:
    """拖欠 and 克扣 each stand before 农民工 in every complaint, in different clauses: the phrase takes
    one of them (the first by the word), never both, which no complaint writes. The counts arrive
    in a set's order, which changes with each process's string hashing: 拖欠克扣农民工 in one
    process, 克扣拖欠农民工 in the next."""
    forward = Counter({(0, "拖欠"): 3, (0, "克扣"): 3, (1, "工资"): 1})
    backward = Counter({(1, "工资"): 1, (0, "克扣"): 3, (0, "拖欠"): 3})
    assert _whole(("农民工",), forward, 3, _content) == _whole(("农民工",), backward, 3, _content) == ("克扣", "农民工")
    texts = ["老板拖欠农民工，还克扣农民工", "公司克扣农民工，又拖欠农民工", "拖欠农民工，克扣农民工"]
    features = {"农民工": 1.0}
    found = written_phrases(features, frozenset(), frozenset(features), texts, _content, _thing)
    assert [p.text for p in found] == ["克扣农民工"], found


def test_things_side_by_side_do_not_displace_the_most_distinctive_thing() -> None:
    """The labelled real sample's estate topic: 小区业主 (the complainants, written most) is no better
    than 开发商 (the pair features' label); a phrase holding that label, or naming a problem, is."""
    owners = Phrase("小区业主", 2.0, 2, False, frozenset())
    developer = Phrase("开发商", 1.5, 1, False, frozenset())
    assert best_phrase([owners, developer], "开发商") == "开发商"
    late = Phrase("开发商延期交房", 1.2, 2, False, frozenset())
    assert best_phrase([owners, developer, late], "开发商") == "开发商延期交房"  # holds it, says more
    unpaid = Phrase("开发商拖欠工资", 1.1, 3, True, frozenset())
    assert best_phrase([owners, unpaid], "开发商") == "开发商拖欠工资"
    assert best_phrase([], "门票问题") == "门票问题"
