"""Event-level clusters inside each issue topic: one business, place or incident.

Two passes per issue topic, both bounded in cost:
1. Entity-aware: members naming the same business (``complaints.business``, normalised) form an
   event when there are at least ``min_size`` of them.
2. Near-duplicates among the rest: members whose LSA vectors are within ``radius`` cosine distance
   of each other, in the same county, are linked; connected groups of ``min_size``+ are events.
   Neighbour search is exact but blocked by (topic, county) and capped at ``max_block`` members
   per block (most recent kept), which bounds the quadratic part.
Event ids are ``topic_id * 1000 + rank`` (rank by size, 1-based; at most 999 per topic), so an
event id tells its issue topic.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

EVENT_BASE = 1000
_LEGAL_FORM = re.compile(r"(有限责任公司|股份有限公司|有限公司|公司|分店|门店|店)$")


def normalise_business(name: object) -> str | None:
    if name is None or (isinstance(name, float) and np.isnan(name)) or name is pd.NA:
        return None
    text = re.sub(r"[\s（）()·\-]", "", str(name))
    text = _LEGAL_FORM.sub("", text)
    return text if len(text) >= 2 else None


def _near_duplicates(z: np.ndarray, radius: float, min_size: int) -> np.ndarray:
    """Group label per row (-1: no group) from the cosine-similarity graph."""
    n = len(z)
    if n < min_size:
        return np.full(n, -1)
    sim = z @ z.T
    rows, cols = np.nonzero(sim >= 1.0 - radius)
    graph = csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    sizes = np.bincount(comp)
    return np.where(sizes[comp] >= min_size, comp, -1)


def find_events(
    topic_ids: np.ndarray,
    business: pd.Series,
    county: pd.Series,
    z: np.ndarray,
    *,
    min_size: int = 3,
    radius: float = 0.15,
    max_block: int = 1500,
) -> np.ndarray:
    """Event id per row (NaN-free int64, -1 when the complaint belongs to no event)."""
    n = len(topic_ids)
    event = np.full(n, -1, dtype=np.int64)
    biz = np.array([normalise_business(b) for b in business.tolist()], dtype=object)
    places = county.fillna("").astype(str).to_numpy()
    for topic in np.unique(topic_ids):
        members = np.flatnonzero(topic_ids == topic)
        groups: list[np.ndarray] = []
        frame = pd.DataFrame({"row": members, "biz": biz[members]}).dropna()
        for _, rows in frame.groupby("biz", sort=False)["row"]:
            if len(rows) >= min_size:
                groups.append(rows.to_numpy())
        taken = np.zeros(n, dtype=bool)
        for g in groups:
            taken[g] = True
        rest = members[~taken[members]]
        for place in np.unique(places[rest]):
            block = rest[places[rest] == place][-max_block:]
            comp = _near_duplicates(z[block], radius, min_size)
            for c in np.unique(comp[comp >= 0]):
                groups.append(block[comp == c])
        groups.sort(key=len, reverse=True)
        for rank, rows in enumerate(groups[: EVENT_BASE - 1], start=1):
            event[rows] = int(topic) * EVENT_BASE + rank
    return event
