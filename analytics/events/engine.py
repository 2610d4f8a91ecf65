"""Events of a set of complaints: one call from complaint rows to event numbers, labels, keywords.

Used by every view that shows events (话题, 热点, 预警, exports, the CLI) through the topic run
that stores them (``analytics.topics.engine``): one event stage, one set of events per run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import scipy.sparse as sp

from analytics.events.businesses import business_keys
from analytics.events.clustering import EventClusterer
from analytics.events.entities import HEAD_CHARS, find_entities
from analytics.events.labels import event_label
from analytics.text import Corpus, segmenter
from analytics.text.features import features

KEYWORDS = 5
OPENING_SLICE = 100_000  # complaints whose openings are hashed at once (bounds their Python strings)
COPY_CHARS = 50  # members whose bodies open with the same this many characters are copies of one message


@dataclass
class Events:
    """Event number per row (-1: none; 0 is the largest event) and one description per event."""

    labels: np.ndarray
    descriptions: pd.DataFrame  # event, label, keywords, entity, size


def word_counts(corpus: Corpus) -> tuple[sp.csr_matrix, np.ndarray]:
    """Complaints × words raw counts of a token corpus, and the words (sentence breaks dropped)."""
    feats, docs = features(corpus, phrases=False)
    encoded = pc.dictionary_encode(feats)
    codes = np.asarray(encoded.indices, dtype=np.int64)
    vocabulary = np.asarray(encoded.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    counts = sp.csr_matrix((np.ones(len(codes), dtype=np.float32), (docs, codes)), shape=(len(corpus), len(vocabulary)))
    counts.sum_duplicates()
    return counts, vocabulary


def detect(frame: pd.DataFrame, corpus: Corpus) -> Events:
    """Events among ``frame``'s rows (columns title, content, business, received_at), one row per
    complaint of ``corpus`` (its words), in the same order."""
    # Per-complaint strings are most of this stage's memory at a million complaints: the heads
    # live only as long as the entity search, the openings only as hashes, and titles are read
    # for the events' members alone.
    title = frame["title"].astype(str).fillna("")  # pandas' own (Arrow) strings, no Python object per row
    contents = frame["content"].astype(str).fillna("").str.slice(0, HEAD_CHARS)
    head = (title + "。" + contents).str.slice(0, HEAD_CHARS)
    # Copies of one message (a post sent twice, a form letter) count once, or each rare word of it
    # would look like the event's (神通广大, 名不虚传 for a hospital's insurance fraud).
    # Their titles vary ("举报…无法无天", "举报…挂床套保"), their opening lines do not. Kept as
    # 64-bit hashes, made a slice at a time: hashing turns the strings into Python objects.
    opening = _opening_hashes(contents, head)
    del contents
    heads = head.tolist()
    del head
    found = find_entities(heads)
    del heads
    brands = business_keys(frame["business"])
    entities = [([str(b)] if b is not None else []) + names for b, names in zip(brands, found.strong, strict=True)]
    received = pd.to_datetime(frame["received_at"])
    days = ((received - pd.Timestamp("2000-01-01")).dt.days).fillna(0).to_numpy(dtype=np.int64)
    counts, vocabulary = word_counts(corpus)
    model = EventClusterer().fit(counts, entities=entities, days=days, places=found.cities)
    rows = []
    seg = segmenter()
    idf = _idf(counts)
    idf_of = dict(zip(vocabulary.tolist(), idf.tolist(), strict=True))
    copies = pd.DataFrame({"event": model.labels_, "opening": opening}).duplicated().to_numpy()
    keywords = _keywords(np.where(copies, -1, model.labels_), counts, vocabulary, model.n_events_, idf)
    for event, members in enumerate(model.members()):
        named = Counter(n for r in members for n in entities[r])
        entity = named.most_common(1)[0][0] if named else None
        member_titles = title.iloc[members].tolist()
        title_tokens = [seg.tokens(t) for t in member_titles]
        # About one business of the export's business column: half its members are that brand's.
        business = entity if entity and 2 * int((brands[members] == entity).sum()) >= len(members) else None
        label = event_label(member_titles, title_tokens, entity, seg.cut, business=business)
        words = _title_keywords(title_tokens, idf_of)
        words += [w for w in keywords[event] if w not in words][: KEYWORDS - len(words)]
        rows.append(
            {
                "event": event,
                "label": label,
                "keywords": words,
                "entity": entity,
                "size": len(members),
            }
        )
    descriptions = pd.DataFrame(rows, columns=["event", "label", "keywords", "entity", "size"])
    return Events(labels=model.labels_, descriptions=descriptions)


def _opening_hashes(contents: pd.Series, head: pd.Series) -> np.ndarray:
    """A 64-bit hash of each complaint's opening: its first COPY_CHARS characters of content, or
    its head when the content is shorter. A slice at a time: hashing makes Python strings."""
    out = [np.zeros(0, dtype=np.uint64)]
    for i in range(0, len(contents), OPENING_SLICE):
        body, whole = contents.iloc[i : i + OPENING_SLICE], head.iloc[i : i + OPENING_SLICE]
        opening = body.str.slice(0, COPY_CHARS).where(body.str.len() >= COPY_CHARS, whole)
        out.append(pd.util.hash_pandas_object(opening, index=False).to_numpy())
    return np.concatenate(out)


def _idf(counts: sp.csr_matrix) -> np.ndarray:
    """Each word's idf over all complaints, ln((1 + n) / (1 + complaints with the word))."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])  # one entry per complaint and word held
    return np.log((1 + counts.shape[0]) / (1 + df)).astype(np.float32)


def _needed(sizes: np.ndarray) -> np.ndarray:
    """How many of an event's complaints must hold a word for it to describe the event: a third, and two."""
    return np.maximum(2, np.ceil(np.asarray(sizes) / 3))


def _title_keywords(title_tokens: list[list[str]], idf_of: dict[str, float]) -> list[str]:
    """An event's words from its members' titles, the writers' own summaries, ranked like
    ``_keywords``. Titles first: in the bodies, two copies of one long message make each of its
    rare words look telling (幽灵, 象鼻子 for a bus terminus), while the titles say 28路, 终点站."""
    held = Counter(w for tokens in title_tokens for w in set(tokens))
    needed = _needed(np.array([len(title_tokens)]))[0]
    top = max(idf_of.values(), default=1.0)
    # Ties go by the word: a set's order changes with each process's string hashing.
    scored = sorted(
        ((n * idf_of.get(w, top), w) for w, n in held.items() if n >= needed and idf_of.get(w, top) > 0),
        key=lambda item: (-item[0], item[1]),
    )
    return [w for _, w in scored[:KEYWORDS]]


def _keywords(
    labels: np.ndarray, counts: sp.csr_matrix, vocabulary: np.ndarray, n_events: int, idf: np.ndarray
) -> list[list[str]]:
    """Each event's most telling words: in at least a third of its complaints (and two), ranked by
    the number of its complaints with the word times the word's idf over all complaints."""
    rows = np.flatnonzero(labels >= 0)
    if not len(rows):
        return []
    member = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (labels[rows], rows)), shape=(n_events, counts.shape[0])
    )
    present = counts.copy()
    present.data = np.ones_like(present.data)
    docs = (member @ present).tocsr()
    sizes = np.bincount(labels[rows], minlength=n_events)
    needed = _needed(sizes)[np.repeat(np.arange(n_events), np.diff(docs.indptr))]
    docs.data = np.where(docs.data >= needed, docs.data * idf[docs.indices], 0).astype(np.float32)
    out = []
    for e in range(n_events):
        lo, hi = docs.indptr[e], docs.indptr[e + 1]
        order = np.argsort(-docs.data[lo:hi], kind="stable")[:KEYWORDS]
        out.append([str(vocabulary[docs.indices[lo + j]]) for j in order if docs.data[lo + j] > 0])
    return out
