"""Topic descriptions: distinctive keywords and phrases, a short Chinese label, representatives.

Distinctiveness of a feature t for topic c compares the share of the topic's documents that contain
t (p_in) with the share among all other documents (p_out): score = p_in · log((p_in + ε)/(p_out + ε)).
Frequent-everywhere words score ~0, rare words score low because p_in is small; words that mark the
topic score high. Phrases (adjacent word pairs) compete with words; the label is the best phrase
when it is nearly as distinctive as the best word, else the two best words.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from analytics.topics.vectorize import PAIR_SEP

EPS = 1e-3
N_KEYWORDS = 10


class TermStats:
    """Per-topic document counts of each feature, accumulated chunk by chunk."""

    def __init__(self, n_topics: int, n_features: int) -> None:
        self.in_topic = np.zeros((n_topics, n_features), dtype=np.float64)
        self.sizes = np.zeros(n_topics, dtype=np.int64)

    def add(self, X: sp.csr_matrix, labels: np.ndarray) -> None:
        k = self.in_topic.shape[0]
        ind = sp.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(k, len(labels)))
        binary = X.copy()
        binary.data = np.ones_like(binary.data)
        self.in_topic += (ind @ binary).toarray()
        self.sizes += np.bincount(labels, minlength=k)

    def scores(self) -> np.ndarray:
        total = self.in_topic.sum(axis=0)
        n = self.sizes.sum()
        sizes = np.maximum(self.sizes, 1)[:, None]
        p_in = self.in_topic / sizes
        p_out = (total[None, :] - self.in_topic) / np.maximum(n - self.sizes, 1)[:, None]
        return p_in * np.log((p_in + EPS) / (p_out + EPS))


def display_feature(feature: str) -> str:
    """A phrase as written: "预付卡 退费" → "预付卡退费"; a word inside its neighbour is said once
    ("处方 处方药" → "处方药")."""
    left, sep, right = feature.partition(PAIR_SEP)
    if not sep:
        return feature
    if left in right:
        return right
    if right in left:
        return left
    return left + right


def keywords_for(scores: np.ndarray, vocabulary: np.ndarray, n: int = N_KEYWORDS) -> list[str]:
    """Top distinctive features, phrases shown joined; words already inside a chosen phrase skipped."""
    order = np.argsort(-scores)
    chosen: list[str] = []
    for j in order[: n * 4]:
        if scores[j] <= 0:
            break
        text = display_feature(vocabulary[j])
        if any(text in c or c in text for c in chosen):
            continue
        chosen.append(text)
        if len(chosen) == n:
            break
    return chosen


def label_for(scores: np.ndarray, vocabulary: np.ndarray) -> str:
    order = np.argsort(-scores)[:20]
    words = [j for j in order if PAIR_SEP not in vocabulary[j] and scores[j] > 0]
    phrases = [j for j in order if PAIR_SEP in vocabulary[j] and scores[j] > 0]
    if phrases and (not words or scores[phrases[0]] >= 0.6 * scores[words[0]]):
        return display_feature(vocabulary[phrases[0]])
    picked = [vocabulary[j] for j in words[:2]]
    return "、".join(picked) if picked else "其他"


def describe(stats: TermStats, vocabulary: np.ndarray) -> tuple[list[str], list[list[str]]]:
    """(labels, keywords) per topic; labels made unique within the run."""
    scores = stats.scores()
    labels, keywords = [], []
    seen: dict[str, int] = {}
    for c in range(scores.shape[0]):
        kws = keywords_for(scores[c], vocabulary)
        label = label_for(scores[c], vocabulary)
        if label in seen:
            extra = next((k for k in kws if k not in label), str(c + 1))
            label = f"{label}·{extra}"
        seen[label] = c
        labels.append(label)
        keywords.append(kws)
    return labels, keywords
