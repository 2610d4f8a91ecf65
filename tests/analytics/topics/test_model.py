"""Estimator conventions and building blocks: PhraseTfidf, TopicModel, spherical k-means, labels."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from analytics.text import Corpus
from analytics.text.segmenter import BREAK
from analytics.topics import PhraseTfidf, TopicModel
from analytics.topics.labels import TermStats, describe, display_feature
from analytics.topics.spherical import spherical_kmeans

THEMES = {
    "预付卡": ["健身房", "预付卡", "跑路", "退费难", "会员", "储值卡", "老板"],
    "外卖": ["外卖", "骑手", "送餐", "超时", "餐品", "洒漏", "平台"],
    "物业": ["物业费", "小区", "电梯", "停车费", "业委会", "保安", "维修"],
}


def _corpus(n_per: int = 40, seed: int = 0) -> tuple[Corpus, np.ndarray]:
    rng = np.random.default_rng(seed)
    docs, truth = [], []
    for t, (_name, words) in enumerate(THEMES.items()):
        for _ in range(n_per):
            docs.append(list(rng.choice(words, size=8)) + list(rng.choice(["问题", "处理", "协商"], size=2)))
            truth.append(t)
    return Corpus.from_lists(np.arange(len(docs)) + 100, docs), np.array(truth)


def test_estimators_follow_sklearn_conventions() -> None:
    corpus, _ = _corpus()
    vec = PhraseTfidf(min_df=2)
    assert vec.fit(corpus) is vec and hasattr(vec, "vocabulary_")
    X = vec.transform(corpus)
    assert np.allclose(np.asarray(X.multiply(X).sum(axis=1)).ravel(), 1.0, atol=1e-5)
    model = TopicModel(n_topics=3, random_state=1)
    assert model.fit(X) is model
    assert set(model.get_params()) >= {"n_topics", "random_state", "n_components", "method"}
    assert clone(model).get_params() == model.get_params()
    assert model.n_topics_ == 3 and model.labels_.shape == (X.shape[0],)
    assert np.array_equal(model.predict(X), model.labels_)


def test_separable_themes_are_found_and_labelled() -> None:
    corpus, truth = _corpus()
    vec = PhraseTfidf(min_df=2).fit(corpus)
    X = vec.transform(corpus)
    model = TopicModel(n_topics=3, random_state=0).fit(X)
    for t in range(3):
        assert len(set(model.labels_[truth == t])) == 1
    stats = TermStats(3, len(vec.vocabulary_))
    stats.add(X, model.labels_)
    texts = [
        ["".join(doc) for doc, label in zip(corpus.lists(), model.labels_, strict=True) if label == c] for c in range(3)
    ]
    labels, keywords = describe(stats, vec.vocabulary_, texts)
    by_theme = {THEMES_KEYS[t]: labels[model.labels_[truth == t][0]] for t in range(3)}
    for name, label in by_theme.items():
        assert any(w in label for w in THEMES[name]), (name, label)
    assert len(set(labels)) == 3 and all(len(k) >= 3 for k in keywords)


THEMES_KEYS = list(THEMES)


def test_phrases_are_adjacent_pairs_within_a_document() -> None:
    corpus = Corpus.from_lists([1, 2], [["预付卡", "退费"], ["退费", "预付卡"]])
    vec = PhraseTfidf(min_df=1, min_df_phrase=1, max_df=1.0).fit(corpus)
    assert {"预付卡 退费", "退费 预付卡"} <= set(vec.vocabulary_)
    assert "退费 退费" not in set(vec.vocabulary_)  # no pair across the document boundary


def test_phrases_stay_inside_a_sentence_and_never_repeat_a_word() -> None:
    corpus = Corpus.from_lists([1], [["退款难", BREAK, "退款难", "订单", BREAK, "快乐行", "团费", "团费"]])
    vocabulary = set(PhraseTfidf(min_df=1, min_df_phrase=1, max_df=1.0).fit(corpus).vocabulary_)
    assert vocabulary == {"退款难", "订单", "快乐行", "团费", "退款难 订单", "快乐行 团费"}


@pytest.mark.parametrize(
    ("feature", "shown"),
    [("预付卡 退费", "预付卡退费"), ("处方 处方药", "处方药"), ("退款难 退款", "退款难"), ("投诉", "投诉")],
)
def test_phrases_are_shown_as_written(feature: str, shown: str) -> None:
    assert display_feature(feature) == shown


def test_spherical_kmeans_recovers_directions() -> None:
    rng = np.random.default_rng(3)
    centres = np.eye(4, 16, dtype=np.float32)
    z = np.repeat(centres, 50, axis=0) + rng.normal(scale=0.05, size=(200, 16)).astype(np.float32)
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    labels, found, cohesion = spherical_kmeans(z, 4, n_init=3, rng=rng)
    assert cohesion > 0.9
    assert sorted(np.bincount(labels)) == [50, 50, 50, 50]
    assert np.allclose(np.linalg.norm(found, axis=1), 1.0, atol=1e-5)


def test_tiny_inputs_do_not_crash() -> None:
    corpus = Corpus.from_lists([1], [["预付卡", "跑路"]])
    X = PhraseTfidf(min_df=1, max_df=1.0).fit_transform(corpus)
    model = TopicModel(random_state=0).fit(X)
    assert model.n_topics_ == 1 and list(model.labels_) == [0]


def test_character_pairs_join_words_split_differently() -> None:
    from analytics.topics.vectorize import char_pairs

    # 停车位 written as one word and as 停车 + 位 (jieba's split varies with the sentence).
    corpus = Corpus.from_lists(
        [1, 2, 3, 4], [["停车位", "收费"], ["停车", "位", "收费"], ["外卖", "超时"], ["外卖", "超时"]]
    )
    codes, docs = char_pairs(corpus)
    code = {(chr(c >> 21) + chr(c & (2**21 - 1))) for c, d in zip(codes, docs, strict=True) if d == 1}
    assert code == {"停车", "车位", "位收", "收费"}  # across the words of one complaint, not across complaints
    words_only = PhraseTfidf(min_df=1, max_df=1.0, char_weight=0.0).fit(corpus).transform(corpus)
    with_chars = PhraseTfidf(min_df=1, max_df=1.0).fit(corpus).transform(corpus)
    assert with_chars.shape[1] > words_only.shape[1]
    assert np.allclose(np.asarray(with_chars.multiply(with_chars).sum(axis=1)).ravel(), 1.0)  # rows stay unit
    alike = (with_chars[0] @ with_chars[1].T).toarray()[0, 0]
    assert alike > (words_only[0] @ words_only[1].T).toarray()[0, 0] + 0.2


def test_labels_read_only_the_word_columns() -> None:
    corpus, truth = _corpus()
    vec = PhraseTfidf(min_df=2).fit(corpus)
    X = vec.transform(corpus)
    assert X.shape[1] > len(vec.vocabulary_)  # character pairs follow the words
    stats = TermStats(len(THEMES), len(vec.vocabulary_))
    stats.add(X, truth)
    names, _keywords = describe(stats, vec.vocabulary_, [[] for _ in THEMES])
    assert all(n and "\x00" not in n for n in names)


def test_document_frequency_counts_each_document_once_in_both_paths() -> None:
    from analytics.topics.vectorize import _document_frequency

    codes = np.array([5, 3, 5, 5, 9, 3], dtype=np.int64)
    for docs in (np.array([0, 0, 1, 1, 0, 0]), np.array([0, 0, 1, 1, 0, 0]) * 2**22):  # sort keys, and np.unique
        vocabulary, df = _document_frequency(codes, docs)
        assert vocabulary.tolist() == [3, 5, 9] and df.tolist() == [1, 2, 1]
