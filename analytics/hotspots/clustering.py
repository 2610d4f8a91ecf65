"""Concrete event clusters straight from the text: messages about the same place, business or incident.

Why not just shared words: messages that share a place name (“B2区白关镇”) but ask about unrelated
things (a social-security card, a road) must not form an event. So administrative place names
(counties, towns, streets of the region profile, and coded names such as “A7县”, “K市”) are removed
before comparing; what is left — the estate, the shop, the bus line, the bridge, the problem — has
to match. Each message becomes a character 2–3-gram TF-IDF vector of its title (counted twice), the
first 200 characters of its content and its business; n-grams in more than 5% of the block's messages
are ignored (they are generic). Messages are grouped by average-linkage clustering on cosine distance,
cut at :data:`EVENT_DISTANCE`: every member is, on average, close to every other member, which rules
out the chaining of single-linkage groups. Groups of 2+ are events.

Cost is quadratic in the block, so blocks are bounded: up to :data:`BLOCK_MAX` messages per block (one
block when the period is small; per issue topic otherwise, most recent first).
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from analytics.profile import load_profile
from analytics.topics.events import business_keys

EVENT_DISTANCE = 0.75
BUSINESS_EVENT_MIN = 3  # complaints naming one business that make an event without a text cluster
BRAND_SHARE = 2 / 3  # a text cluster is about one business when this share of it names the business
BLOCK_MAX = 4000
MAX_DF = 0.05
_CODED_PLACE = re.compile(r"[A-Z][0-9]{0,2}(?:市|县|区|州)")
_LEAD_WORDS = re.compile(r"^(?:关于|咨询|反映|投诉|举报|建议|请求|希望|再次|强烈|求助|质疑|对)+")
_STOP = {"问题", "关于", "咨询", "反映", "投诉", "举报", "建议", "请求", "希望", "情况", "相关", "我们", "没有", "进行"}


def _place_pattern() -> re.Pattern[str]:
    profile = load_profile()
    names = {profile.name, profile.name.removesuffix("市")}
    for county in profile.counties:
        names.update((county.name, *county.aliases, *county.towns))
    names = {n for n in names if len(n) >= 2}
    generic = r"[\u4e00-\u9fa5]{2,4}(?:街道|镇|乡)"
    return re.compile("|".join([*(re.escape(n) for n in sorted(names, key=len, reverse=True)), generic]))


def strip_places(texts: pd.Series) -> pd.Series:
    """Texts with administrative place names removed (see the module docstring)."""
    places = _place_pattern()
    return texts.fillna("").map(lambda t: places.sub(" ", _CODED_PLACE.sub(" ", t)))


def place_keys(texts: list[str]) -> tuple[list[set[str]], list[set[str]]]:
    """Per text: the county-level places it names and the cities (coded "A7县" → county A7 in city A;
    profile counties and towns → their county in the profile's city)."""
    profile = load_profile()
    county_of = {alias: c.name for c in profile.counties for alias in (c.name, *c.aliases)}
    county_of.update(profile.town_to_county())
    local = re.compile("|".join(re.escape(n) for n in sorted(county_of, key=len, reverse=True)))
    coded = re.compile(r"([A-Z])([0-9]{1,2})?(?:市|县|区|州)")
    counties: list[set[str]] = []
    cities: list[set[str]] = []
    for text in texts:
        spec, city = set(), set()
        for letter, number in coded.findall(text):
            city.add(letter)
            if number:
                spec.add(letter + number)
        for name in local.findall(text):
            spec.add(county_of[name])
            city.add(profile.name)
        counties.append(spec)
        cities.append(city)
    return counties, cities


def _incompatible(keys: list[set[str]]) -> np.ndarray:
    """Pairs that both name places at this level and share none (n × n boolean)."""
    vocab = {k: i for i, k in enumerate(sorted({k for ks in keys for k in ks}))}
    n = len(keys)
    if not vocab:
        return np.zeros((n, n), dtype=bool)
    onehot = np.zeros((n, len(vocab)), dtype=np.float32)
    for row, ks in enumerate(keys):
        for k in ks:
            onehot[row, vocab[k]] = 1.0
    has = onehot.sum(axis=1) > 0
    return np.outer(has, has) & ((onehot @ onehot.T) == 0)


def _cluster_block(texts: list[str], places: tuple[list[set[str]], list[set[str]]] | None = None) -> np.ndarray:
    """Cluster label per text (-1: no event) by average linkage on TF-IDF cosine distance; messages
    naming different places (``places``: counties and cities per text) are kept apart."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    if n < 2:
        return np.full(n, -1)
    max_df = MAX_DF if n >= 400 else 1.0  # tiny blocks: every n-gram may matter
    try:
        matrix = TfidfVectorizer(
            analyzer="char", ngram_range=(2, 3), sublinear_tf=True, min_df=2, max_df=max_df, dtype=np.float32
        ).fit_transform(texts)
    except ValueError:  # nothing shared at all
        return np.full(n, -1)
    sim = (matrix @ matrix.T).toarray()
    if places is not None:  # different counties or cities: not the same event, however alike the words
        sim[_incompatible(places[0]) | _incompatible(places[1])] = 0.0
    np.fill_diagonal(sim, 1.0)
    dist = squareform(np.clip(1.0 - sim, 0.0, 2.0), checks=False).astype(np.float64)
    labels = fcluster(linkage(dist, method="average"), EVENT_DISTANCE, criterion="distance")
    sizes = np.bincount(labels)
    empty = np.asarray(matrix.getnnz(axis=1)) == 0  # messages with no shared n-gram join nothing
    return np.where((sizes[labels] >= 2) & ~empty, labels, -1)


def merge_by_business(labels: np.ndarray, brands: np.ndarray, min_size: int = BUSINESS_EVENT_MIN) -> np.ndarray:
    """Text clusters of one block, made entity-aware (``brands``: ``business_key`` per message, so
    a chain's branches in several counties are one brand).

    Text clusters mostly about one brand (at least BRAND_SHARE of their members name it) are
    united into one event, and messages naming that brand that no cluster took join it. Messages
    naming a brand that has no such cluster form an event of their own when there are ``min_size``
    of them. A cluster that mixes businesses is left as it is.

    Why: text alone splits one incident by wording and county. The planted travel-agency collapse
    of the demo took five of the top fourteen event hotspots of 2024 as separate clusters before.
    """
    labels = labels.copy()
    named = np.flatnonzero(pd.notna(brands))
    if not len(named):
        return labels
    next_label = int(labels.max()) + 1 if len(labels) else 0
    for _, members in pd.Series(named).groupby(brands[named].astype(str)).groups.items():
        rows = named[np.asarray(list(members), dtype=np.int64)]
        owned = [
            c
            for c in {int(c) for c in labels[rows] if c >= 0}
            if np.isin(np.flatnonzero(labels == c), rows).mean() >= BRAND_SHARE
        ]
        loose = rows[labels[rows] < 0]
        if not owned and len(loose) < min_size:
            continue
        if len(owned) == 1 and not len(loose):
            continue  # already one event
        labels[np.isin(labels, owned)] = next_label
        labels[loose] = next_label
        next_label += 1
    return labels


def text_clusters(frame: pd.DataFrame) -> pd.DataFrame:
    """(id, event_id) for the messages in ``frame`` (columns id, title, content, business, block).

    ``block`` limits comparisons (e.g. the issue topic); event ids are 1.. by size.
    """
    if frame.empty:
        return pd.DataFrame({"id": pd.Series(dtype="int64"), "event_id": pd.Series(dtype="int64")})
    title = strip_places(frame["title"].astype("object"))
    body = strip_places(frame["content"].astype("object").fillna("").str.slice(0, 200))
    business = frame["business"].astype("object").fillna("")
    text = (title + " " + title + " " + body + " " + business + " " + business).tolist()
    raw = (
        frame["title"].astype("object").fillna("")
        + " "
        + frame["content"].astype("object").fillna("").str.slice(0, 200)
    )
    counties, cities = place_keys(raw.tolist())
    ids = frame["id"].to_numpy()
    out_ids: list[np.ndarray] = []
    out_labels: list[np.ndarray] = []
    next_label = 0
    brands = business_keys(frame["business"])
    for _, idx in frame.groupby("block", sort=True, dropna=False).indices.items():
        idx = np.asarray(idx)[-BLOCK_MAX:]  # frame is ordered by time: keep the most recent
        labels = _cluster_block([text[i] for i in idx], ([counties[i] for i in idx], [cities[i] for i in idx]))
        labels = merge_by_business(labels, brands[idx])
        keep = labels >= 0
        out_ids.append(ids[idx][keep])
        out_labels.append(labels[keep] + next_label)
        next_label += int(labels.max()) + 1 if len(labels) else 0
    result = pd.DataFrame({"id": np.concatenate(out_ids), "raw": np.concatenate(out_labels)})
    order = result["raw"].value_counts().index  # event ids by size, biggest first
    result["event_id"] = result["raw"].map({raw: i + 1 for i, raw in enumerate(order)}).astype("int64")
    return result[["id", "event_id"]]


def cluster_label(titles: list[str]) -> tuple[str, list[str]]:
    """A label (the member title closest to the others) and up to 5 keywords (frequent words)."""
    import rjieba

    clean = [t.strip() for t in titles if isinstance(t, str) and t.strip()]
    if not clean:
        return "（未命名事件）", []
    words = [w for t in clean for w in set(rjieba.cut(t)) if len(w) >= 2 and w not in _STOP and not w.isdigit()]
    counts = Counter(words)
    best = max(clean, key=lambda t: (sum(counts[w] for w in set(rjieba.cut(t)) if w in counts), -len(t)))
    label = _LEAD_WORDS.sub("", best) or best
    return label[:40], [w for w, _ in counts.most_common(5)]
