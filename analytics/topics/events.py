"""Event-level clusters inside each issue topic: one business, place or incident.

Two passes per issue topic, both bounded in cost:
1. Entity-aware: members naming the same business form an event when there are at least
   ``min_size`` of them. Names are compared by ``business_key``: the brand without legal form,
   bracketed branch, branch suffix or the region's place names, so that "启航教育（清城店）" and
   "清远市启航教育英德校区" are one incident (a chain closing all its branches), not one per branch.
2. Near-duplicates among the rest: members whose LSA vectors are within ``radius`` cosine distance
   of each other, in the same county, are linked; connected groups of ``min_size``+ are events.
   Neighbour search is exact but blocked by (topic, county) and capped at ``max_block`` members
   per block (most recent kept), which bounds the quadratic part.
Event ids are ``topic_id * 1000 + rank`` (rank by size, 1-based; at most 999 per topic), so an
event id tells its issue topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from analytics.profile import RegionProfile, load_profile

EVENT_BASE = 1000
_LEGAL_FORM = re.compile(r"(有限责任公司|股份有限公司|有限公司|公司|分店|门店|店)$")
_BRACKETED = re.compile(r"[（(【\[〔][^）)】\]〕]*[）)】\]〕]")
_BRANCH_OR_FORM = re.compile(
    r"(有限责任公司|股份有限公司|有限公司|分公司|公司|分店|门店|专卖店|分校|校区|营业部|营业厅|分部|店)$"
)
_PROVINCE = re.compile(r"^[\u4e00-\u9fa5]{2,3}(?:省|自治区)")
# A place is only cut off when this much brand is left: "清新超市" stays itself, not "超市".
_MIN_BRAND = 3


def _is_missing(name: object) -> bool:
    return name is None or name is pd.NA or (isinstance(name, float) and np.isnan(name))


def normalise_business(name: object) -> str | None:
    """The name as one business: spaces, brackets and the legal form dropped (branches stay apart)."""
    if _is_missing(name):
        return None
    text = re.sub(r"[\s（）()·\-]", "", str(name))
    text = _LEGAL_FORM.sub("", text)
    return text if len(text) >= 2 else None


def place_names(profile: RegionProfile) -> tuple[str, ...]:
    """The region's place names, longest first: city, counties with aliases, towns and their short
    forms (石角镇 → 石角)."""
    names = {profile.name, profile.name.removesuffix("市")}
    for county in profile.counties:
        names.update((county.name, *county.aliases))
        for town in county.towns:
            names.update((town, re.sub(r"(街道|镇|乡)$", "", town)))
    return tuple(sorted((n for n in names if len(n) >= 2), key=len, reverse=True))


@cache
def _profile_places(profile: RegionProfile) -> tuple[str, ...]:
    return place_names(profile)


@cache
def _place_patterns(places: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """Leading and trailing place name (longest wins: the leftmost suffix match is the longest)."""
    if not places:
        return None
    alternatives = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
    return re.compile(f"^(?:{alternatives})"), re.compile(f"(?:{alternatives})$")


def business_key(name: object, places: Iterable[str] | None = None) -> str | None:
    """The brand a business name belongs to, for grouping one incident across its branches.

    Bracketed parts ("（清城店）"), a leading province, legal forms and branch suffixes (分公司,
    分店, 校区, 店 …) and place names of the region at either end are removed, repeatedly:
    "清远市好又多超市有限公司英德分公司" → "好又多超市". Falls back to ``normalise_business``
    when too little is left.
    """
    plain = normalise_business(name)
    if plain is None:
        return None
    names = tuple(places) if places is not None else _profile_places(load_profile())
    patterns = _place_patterns(names)
    text = _PROVINCE.sub("", _BRACKETED.sub("", re.sub(r"\s", "", str(name))))
    text = re.sub(r"[·\-]", "", text)
    previous = None
    while text != previous:  # one cut per round
        previous = text
        text = _BRANCH_OR_FORM.sub("", text)
        if text != previous or patterns is None:
            continue
        for pattern in patterns:
            match = pattern.search(text)
            if match and len(text) - len(match.group()) >= _MIN_BRAND:
                text = text[: match.start()] + text[match.end() :]
                break
    return text if len(text) >= 2 else plain


def business_keys(business: pd.Series) -> np.ndarray:
    """``business_key`` of each row (object array, None where no business is named)."""
    places = _profile_places(load_profile())
    names = business.where(business.notna(), None).astype(object)
    keys = {name: business_key(name, places) for name in set(names.dropna())}  # each name once
    return np.array([keys.get(name) if name is not None else None for name in names], dtype=object)


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
    biz = business_keys(business)
    counties = county.fillna("").astype(str).to_numpy()
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
        for place in np.unique(counties[rest]):
            block = rest[counties[rest] == place][-max_block:]
            comp = _near_duplicates(z[block], radius, min_size)
            for c in np.unique(comp[comp >= 0]):
                groups.append(block[comp == c])
        groups.sort(key=len, reverse=True)
        for rank, rows in enumerate(groups[: EVENT_BASE - 1], start=1):
            event[rows] = int(topic) * EVENT_BASE + rank
    return event
