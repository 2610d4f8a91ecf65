"""The project's segmenter: own jieba.Tokenizer with data/dict, filters, and the rjieba accelerator."""

from __future__ import annotations

import math
from pathlib import Path

import jieba
import pandas as pd
import pytest

from analytics.text import Segmenter, clean_text, tokenize_many
from analytics.text.dictionary import load_resources
from analytics.text.segmenter import BREAK


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return Segmenter()


def _real_texts(fixtures_dir: Path) -> list[str]:
    texts = []
    for name in ("messages_labelled_sample.xlsx", "messages_with_replies.xlsx"):
        frame = pd.read_excel(fixtures_dir / "real" / name, engine="calamine")
        texts += [clean_text(t, c) for t, c in zip(frame["留言主题"], frame["留言详情"], strict=True)]
    return texts


def test_domain_words_stay_whole(seg: Segmenter) -> None:
    text = "在清城区办了预付卡，商家跑路，退费难；直播带货虚假宣传，七日无理由退货被拒，霸王条款。"
    tokens = seg.tokens(text)
    for word in ("清城区", "预付卡", "跑路", "退费难", "直播带货", "虚假宣传", "七日无理由退货", "霸王条款"):
        assert word in tokens


def test_town_names_from_the_region_profile_are_words(seg: Segmenter) -> None:
    assert "浛洸镇" in seg.cut("我住在英德市浛洸镇")


def test_stopwords_numbers_and_masked_data_are_dropped(seg: Segmenter) -> None:
    text = "投诉人来电反映：2023年5月6日充值3000元，电话138****5678，消费者要求商家退款。"
    tokens = seg.tokens(text)
    assert not {"投诉人", "反映", "消费者", "要求", "商家", "来电"} & set(tokens)
    assert all(not any(ch.isdigit() or ch == "*" for ch in t) for t in tokens)
    assert "退款" in tokens and "充值" in tokens


def test_never_touches_the_global_jieba(seg: Segmenter) -> None:
    assert seg.reference is not jieba.dt
    assert not jieba.dt.FREQ.get("退费难")  # the user dictionary went into our own tokenizer only


def test_version_changes_with_the_dictionary(tmp_path: Path) -> None:
    base = load_resources()
    user = tmp_path / "user.txt"
    user.write_text("新词汇 3000 n\n", encoding="utf-8")
    stop = tmp_path / "stop.txt"
    stop.write_text("的\n", encoding="utf-8")
    other = load_resources(user, stop)
    assert other.version != base.version
    assert ("新词汇", 3000, "n") in other.words


def _route_logprob(seg: Segmenter, pieces: list[str]) -> float:
    """log P of a segmentation under jieba's unigram model (what its DAG search maximises)."""
    ref = seg.reference
    total = math.log(ref.total)
    return sum(math.log(ref.FREQ.get(p) or 1) - total for p in pieces)


def test_accelerator_equals_jieba_on_the_real_exports(seg: Segmenter, fixtures_dir: Path) -> None:
    """rjieba is only allowed where it gives jieba's tokens (HMM off) with our dictionary.

    On the 3,311 real messages every segmentation is identical except where jieba's own model
    scores both segmentations exactly the same (a tie, e.g. 咚咚咚 = 咚|咚咚 or 咚咚|咚), where the two
    implementations break the tie differently. Such ties are asserted to be exact and very rare.
    """
    if seg.accelerator is None:
        pytest.skip("rjieba not installed or not identical: jieba is used")
    texts = _real_texts(fixtures_dir)
    assert len(texts) > 3000
    differing = [t for t in texts if seg.accelerator.cut(t, False) != seg.reference_cut(t)]
    assert len(differing) <= len(texts) // 1000
    for text in differing:
        fast, ref = seg.accelerator.cut(text, False), seg.reference_cut(text)
        assert "".join(fast) == "".join(ref)
        assert _route_logprob(seg, fast) == pytest.approx(_route_logprob(seg, ref), abs=1e-9)


def test_reference_and_accelerated_tokens_are_identical(fixtures_dir: Path) -> None:
    texts = _real_texts(fixtures_dir)[:800]
    fast, slow = Segmenter(), Segmenter(accelerate=False)
    assert slow.engine == "jieba"
    assert [fast.segment(t) for t in texts] == [slow.segment(t) for t in texts]


def test_parallel_tokenisation_keeps_order(seg: Segmenter, fixtures_dir: Path) -> None:
    texts = _real_texts(fixtures_dir)[:300] * 8
    assert tokenize_many(texts, workers=2) == [seg.segment(t) for t in texts]


def test_sentence_breaks_separate_sentences_only(seg: Segmenter) -> None:
    text = clean_text("健身房预付卡跑路", "门店关门。。要求退费！商家不理")
    title = ["健身房", "预付卡", "跑路"]
    assert seg.segment(text) == [*title, BREAK, *title, BREAK, "门店", "关门", BREAK, "退费", BREAK, "不理"]
    assert seg.tokens(text) == [t for t in seg.segment(text) if t != BREAK]
    assert seg.segment("。。退费难。") == ["退费难"]  # no break at either end, never two in a row


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("肚子不舒服", ["肚子", "不舒服"]),  # not "肚子 舒服": the meaning would flip
        ("快递未发货", ["快递", "未发货"]),
        ("客服没回复", ["没回复"]),  # 客服 is boilerplate (a stopword)
        ("不，退款", ["退款"]),  # a negator before punctuation negates nothing
    ],
)
def test_negators_join_the_word_after_them(seg: Segmenter, text: str, expected: list[str]) -> None:
    assert seg.tokens(text) == expected
