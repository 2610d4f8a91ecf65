"""Spherical k-means (cosine k-means) on unit vectors, with k-means++ seeding and restarts.

Written out in NumPy because everything is one float32 matrix product per iteration (n × d by
d × k): far cheaper than the general Euclidean machinery, and the objective (mean cosine of each
point to its centre) is exactly what topic cohesion means here.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def _normalise(c: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(c, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return c / norms


def _seed(z: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ on cosine distance (1 - cos)."""
    n = len(z)
    centres = [z[rng.integers(n)]]
    dist = 1.0 - z @ centres[0]
    for _ in range(1, k):
        weights = np.clip(dist, 0, None) ** 2
        total = weights.sum()
        pick = rng.choice(n, p=weights / total) if total > 0 else rng.integers(n)
        centres.append(z[pick])
        dist = np.minimum(dist, 1.0 - z @ z[pick])
    return np.vstack(centres)


def spherical_kmeans(
    z: np.ndarray,
    k: int,
    *,
    n_init: int = 10,
    max_iter: int = 60,
    rng: np.random.Generator | None = None,
    init: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """(labels, unit centres, mean cosine to own centre) of the best of ``n_init`` restarts.

    ``init``: starting centres (k × d) instead of k-means++ seeding; then there is one run.
    """
    rng = rng or np.random.default_rng(0)
    z = np.asarray(z, dtype=np.float32)
    n = len(z)
    k = max(1, min(k, n))
    best: tuple[np.ndarray, np.ndarray, float] | None = None
    ones, rows = np.ones(n, dtype=np.float32), np.arange(n)
    if init is not None:
        k, n_init = len(init), 1
    for _ in range(n_init):
        centres = _seed(z, k, rng) if init is None else _normalise(np.asarray(init, dtype=np.float32))
        labels = np.full(n, -1)
        for _ in range(max_iter):
            sim = z @ centres.T
            new = sim.argmax(axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            sums = np.asarray(sp.csr_matrix((ones, (labels, rows)), shape=(k, n)) @ z)
            empty = np.flatnonzero(np.bincount(labels, minlength=k) == 0)
            if len(empty):  # re-seed empty clusters at the worst-fitting points
                worst = np.argsort(sim[np.arange(n), labels])[: len(empty)]
                sums[empty] = z[worst]
            centres = _normalise(sums)
        score = float((z @ centres.T)[np.arange(n), labels].mean())
        if best is None or score > best[2]:
            best = (labels.copy(), centres.astype(np.float32), score)
    assert best is not None
    return best
