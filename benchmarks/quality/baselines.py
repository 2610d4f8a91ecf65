"""Naive baselines, run in the same process on the same tokens as the engine.

- ``tfidf_kmeans`` / ``lsa_kmeans``: topics by k-means on TF-IDF, or on its 50-dimensional LSA.
- ``linkage_events``: the "20-line baseline" for events: jieba words, TF-IDF (max_df 0.05),
  average-linkage cosine clustering cut at 0.8, ranked by ln(size) + 0.3·ln(1 + likes + dislikes).
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _tfidf(docs: list[list[str]], max_df: float = 1.0):
    return TfidfVectorizer(analyzer=_identity, sublinear_tf=True, max_df=max_df).fit_transform(docs)


def tfidf_kmeans(docs: list[list[str]], k: int, seed: int) -> np.ndarray:
    return KMeans(k, n_init=10, random_state=seed).fit_predict(_tfidf(docs))


def lsa_kmeans(docs: list[list[str]], k: int, seed: int, dims: int = 50) -> np.ndarray:
    z = normalize(TruncatedSVD(dims, random_state=seed).fit_transform(_tfidf(docs)))
    return KMeans(k, n_init=10, random_state=seed).fit_predict(z)


def linkage_events(docs: list[list[str]], support: np.ndarray, top: int = 10) -> list[np.ndarray]:
    """Row numbers of the baseline's top events, hottest first."""
    matrix = _tfidf(docs, max_df=0.05)
    sim = (matrix @ matrix.T).toarray()
    n = len(docs)
    dist = np.clip(1.0 - sim[np.triu_indices(n, k=1)], 0.0, 2.0)
    labels = fcluster(linkage(dist, method="average"), 0.8, criterion="distance")
    groups = [np.flatnonzero(labels == c) for c in np.unique(labels)]
    groups = [g for g in groups if len(g) >= 2]
    groups.sort(key=lambda g: -(np.log(len(g)) + 0.3 * np.log1p(support[g].sum())))
    return groups[:top]
