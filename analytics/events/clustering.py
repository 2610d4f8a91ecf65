"""``EventClusterer``: complaints about one incident, from their words and the things they name.

An event is one incident: one estate, business, school, road, project, lender or policy, and one
problem, bounded in time. Three steps, each a scikit-learn-style piece of ``fit``:

1. **Text groups.** Each complaint is a vector of two parts: sublinear TF-IDF of its words (terms
   in more than ``max_df`` of the block's complaints are generic and dropped, so what is left is
   the estate, the shop, the bus line, the problem) and the entities it names (``entities``:
   estates, businesses … found in the text, and the business column's brand), weighted by
   ``entity_weight``. Average-linkage clustering on cosine distance, cut at ``distance``: every
   member is on average close to every other one, which rules out single-linkage chains.
   Blocks of at most ``block_size`` complaints (consecutive in time) bound the sparse similarity
   product, and linkage runs per connected component of the close pairs (exact: see
   ``_text_groups``), at most ``max_component`` complaints each.
2. **Entity union.** Wording splits one incident ("搅拌站噪音", "粉尘污染", "无证经营", all about
   one mixing plant next to one estate). Text groups at least ``entity_share`` about one strong
   entity are united, across blocks, with the loose complaints that name it; ``min_size``
   complaints naming one entity that no group took form an event of their own.
3. **Bursts.** An event is bounded in time: members are split where ``gap_days`` pass without a
   complaint, and pieces smaller than ``min_size`` are let go. A piece that lasts longer than
   ``burst_days`` must name one entity (at least ``entity_share`` of it) and still be a burst: its
   busiest ``anchored_days`` hold at least ``burst_share`` of it: one estate's trouble may drag on,
   but words alone that last a season are a steady theme (网约车乱收费 all year round), which the
   issue topics already show, and no event. Such a piece's event is its busiest window only, so no
   event lasts longer than ``anchored_days``: a shop complained about all year is a record for
   经营者, its busiest months an incident. A text-only piece most of whose members name
   something, each a different thing (装修合同纠纷 against ten decoration companies), is a theme too.

``labels_`` is the event number per complaint (-1: none), numbered by size, largest first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from analytics.text.parallel import map_chunks

# Per complaint, the cities it names (``entities.cities``).
Places = Sequence[AbstractSet[str]]

# Text groups of a corpus this large run on every core (below it, starting the pool costs more).
PARALLEL_MIN_ROWS = 50_000


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class EventClusterer(BaseEstimator, ClusterMixin):
    """Events among complaints; ``fit(counts, entities=…, days=…)``, see the module docstring.

    ``counts``: complaints × words, raw counts (sparse). ``entities``: per complaint, the strong entities it names
    (most specific first). ``days``: per complaint, its day number (any origin), for blocks and bursts.
    ``places``: per complaint, the cities it names (optional); complaints naming different cities
    are never grouped by their words.
    """

    def __init__(
        self,
        distance: float = 0.8,
        max_df: float = 0.05,
        entity_weight: float = 0.5,
        entity_share: float = 0.5,
        min_size: int = 2,
        entity_min_size: int = 3,
        gap_days: int = 60,
        burst_days: int = 90,
        burst_share: float = 0.5,
        anchored_days: int = 120,
        block_size: int = 6000,
        max_component: int = 1500,
    ) -> None:
        self.distance = distance
        self.max_df = max_df
        self.entity_weight = entity_weight
        self.entity_share = entity_share
        self.min_size = min_size
        self.entity_min_size = entity_min_size
        self.gap_days = gap_days
        self.burst_days = burst_days
        self.burst_share = burst_share
        self.anchored_days = anchored_days
        self.block_size = block_size
        self.max_component = max_component

    def fit(
        self,
        counts: sp.spmatrix,
        y: object = None,
        *,
        entities: list[list[str]],
        days: np.ndarray,
        places: Places | None = None,
    ) -> EventClusterer:
        counts = sp.csr_matrix(counts)
        n = counts.shape[0]
        places = places if places is not None else [set() for _ in range(n)]
        days = np.asarray(days, dtype=np.int64)
        if len(entities) != n or len(days) != n:
            raise ValueError("tokens, entities and days must have one entry per complaint")
        order = np.argsort(days, kind="stable")
        groups = np.full(n, -1, dtype=np.int64)
        next_group = 0
        blocks = [order[start : start + self.block_size] for start in range(0, n, self.block_size)]
        jobs = [(self, counts[b], [entities[i] for i in b], [places[i] for i in b]) for b in blocks]
        # Blocks are independent: a big corpus spreads them over every core.
        found = map_chunks(_block_groups, jobs) if n >= PARALLEL_MIN_ROWS else [_block_groups(j) for j in jobs]
        for block, labels in zip(blocks, found, strict=True):
            keep = labels >= 0
            groups[block[keep]] = labels[keep] + next_group
            next_group += int(labels.max()) + 1 if keep.any() else 0
        groups = self._entity_union(groups, entities)
        groups = self._bursts(groups, days, entities)
        self.labels_ = _by_size(groups)
        self.n_events_ = int(self.labels_.max()) + 1 if n else 0
        return self

    def fit_predict(self, counts, y=None, **kwargs) -> np.ndarray:  # type: ignore[override]
        return self.fit(counts, **kwargs).labels_

    def members(self) -> list[np.ndarray]:
        """Row numbers of each event, largest event first."""
        check_is_fitted(self, "labels_")
        if not self.n_events_:
            return []  # np.split of nothing would still give one empty piece
        rows = np.flatnonzero(self.labels_ >= 0)
        ordered = rows[np.argsort(self.labels_[rows], kind="stable")]
        return np.split(ordered, np.cumsum(np.bincount(self.labels_[rows], minlength=self.n_events_))[:-1])

    # -- steps --------------------------------------------------------------------------------
    def _vectors(self, counts: sp.csr_matrix, entities: list[list[str]]) -> sp.csr_matrix | None:
        n = counts.shape[0]
        max_df = self.max_df if n >= 400 else 1.0  # a small block: every shared word may matter
        words = _weigh(counts, max_df)
        if words is None:
            return None
        named = _tfidf(entities)
        if named is None or self.entity_weight <= 0:
            return words
        has = np.asarray(named.getnnz(axis=1)) > 0
        w_words = np.where(has, np.sqrt(1.0 - self.entity_weight), 1.0).astype(np.float32)
        w_named = np.where(has, np.sqrt(self.entity_weight), 0.0).astype(np.float32)
        return sp.hstack([sp.diags(w_words) @ words, sp.diags(w_named) @ named]).tocsr()

    def _text_groups(self, counts: sp.csr_matrix, entities: list[list[str]], places: Places) -> np.ndarray:
        """Average-linkage groups of one block, computed per connected component of the graph of
        pairs at least ``1 - distance`` alike: an average-linkage group cut at ``distance`` never
        spans two components (merging them would need an average similarity no cross pair has), so
        this is exact, and only components are ever held as dense matrices. The graph keeps only
        the close pairs (a tenth of the block's non-zero similarities); each component's full
        similarity matrix is multiplied out again on its own rows."""
        n = counts.shape[0]
        labels = np.full(n, -1, dtype=np.int64)
        if n < self.min_size:
            return labels
        matrix = self._vectors(counts, entities)
        if matrix is None:
            return labels
        masks = _city_masks(places)
        sim = (matrix @ matrix.T).tocoo()
        close = (sim.data >= 1.0 - self.distance) & (sim.row != sim.col)
        row, col = sim.row[close], sim.col[close]
        close_pairs = ~_apart(masks[row], masks[col])
        graph = sp.csr_matrix((sim.data[close][close_pairs], (row[close_pairs], col[close_pairs])), shape=(n, n))
        next_label = 0
        for rows in self._components(graph, np.arange(n), 1.0 - self.distance):
            sub = matrix[rows]
            dense = (sub @ sub.T).toarray()
            dense[_apart(masks[rows][:, None], masks[rows][None, :])] = 0.0
            np.fill_diagonal(dense, 1.0)
            dist = squareform(np.clip(1.0 - dense, 0.0, 2.0).astype(np.float64), checks=False)
            found = fcluster(linkage(dist, method="average"), self.distance, criterion="distance")
            counts_found = np.bincount(found)
            big = counts_found[found] >= self.min_size
            labels[rows[big]] = found[big] + next_label
            next_label += int(found.max()) + 1
        return labels

    def _components(self, sim: sp.csr_matrix, rows: np.ndarray, threshold: float) -> list[np.ndarray]:
        """Connected components (``min_size``+) of the pairs at least ``threshold`` alike. One larger
        than ``max_component`` (text that chains through common words) is split again at a
        stricter threshold, so no dense matrix grows past it (exactness is given up there only)."""
        n_parts, part = connected_components(sim >= threshold, directed=False)
        sizes = np.bincount(part, minlength=n_parts)
        out: list[np.ndarray] = []
        for p in np.flatnonzero(sizes >= self.min_size):
            members = np.flatnonzero(part == p)
            if len(members) <= self.max_component:
                out.append(rows[members])
            elif threshold >= 0.95:  # cannot split further: most recent first, in slices
                out += [rows[members[i : i + self.max_component]] for i in range(0, len(members), self.max_component)]
            else:
                out += self._components(sim[members][:, members], rows[members], threshold + 0.1)
        return out

    def _entity_union(self, groups: np.ndarray, entities: list[list[str]]) -> np.ndarray:
        groups = groups.copy()
        rows_of: dict[str, list[int]] = defaultdict(list)
        for row, names in enumerate(entities):
            for name in names:
                rows_of[name].append(row)
        # Members of each group, kept up to date as groups merge: a group's share of an entity is
        # then a count over the entity's rows, not a scan of every complaint (quadratic at 1M).
        members_of: dict[int, list[int]] = defaultdict(list)
        for row in np.flatnonzero(groups >= 0):
            members_of[int(groups[row])].append(int(row))
        next_group = int(groups.max()) + 1 if len(groups) else 0
        # Most-named entities first: a complaint naming two things goes with the bigger incident.
        # Most names are too rare to unite anything: dropped before the sort (a third of its time).
        named = [rows for rows in rows_of.values() if len(rows) >= self.entity_min_size]
        for rows in sorted(named, key=len, reverse=True):
            rows = np.unique(rows)
            in_groups = Counter(int(g) for g in groups[rows] if g >= 0)
            owned = [g for g, n in in_groups.items() if n >= self.entity_share * len(members_of[g])]
            loose = rows[groups[rows] < 0]
            if not owned and len(loose) < self.entity_min_size:
                continue
            target = owned[0] if owned else next_group
            if not owned:
                next_group += 1
            for g in owned[1:]:
                moved = members_of.pop(g)
                groups[moved] = target
                members_of[target] += moved
            groups[loose] = target
            members_of[target] += loose.tolist()
        return groups

    def _bursts(self, groups: np.ndarray, days: np.ndarray, entities: list[list[str]]) -> np.ndarray:
        out = np.full(len(groups), -1, dtype=np.int64)
        rows = np.flatnonzero(groups >= 0)
        if not len(rows):
            return out
        order = rows[np.lexsort((days[rows], groups[rows]))]
        g, d = groups[order], days[order]
        new_piece = np.ones(len(order), dtype=bool)
        new_piece[1:] = (g[1:] != g[:-1]) | (d[1:] - d[:-1] > self.gap_days)
        starts = np.flatnonzero(new_piece)
        for number, (lo, hi) in enumerate(zip(starts, [*starts[1:], len(order)], strict=True)):
            piece, when = order[lo:hi], d[lo:hi]
            if len(piece) < self.min_size:
                continue
            anchored = _anchored(piece, entities, self.entity_share)
            if when[-1] - when[0] >= self.burst_days:
                # The busiest window: for each member, how many follow within ``anchored_days``.
                ends = np.searchsorted(when, when + self.anchored_days, side="left")
                best = int(np.argmax(ends - np.arange(len(when))))
                if not anchored or ends[best] - best < self.burst_share * len(piece):
                    continue  # a steady theme, not an incident
                # The event is the burst: one shop's complaints spread over ten months are its
                # record (经营者), not an incident; what came before and after stays in the topic.
                piece = piece[best : ends[best]]
                if len(piece) < self.min_size or not _anchored(piece, entities, self.entity_share):
                    continue
            if not anchored and _many_things(piece, entities):
                continue
            out[piece] = number
        return out


def _anchored(piece: np.ndarray, entities: list[list[str]], share: float) -> bool:
    """At least ``share`` of the piece's members name one entity."""
    named = Counter(n for r in piece for n in set(entities[r]))
    return bool(named) and named.most_common(1)[0][1] >= share * len(piece)


def _many_things(piece: np.ndarray, entities: list[list[str]]) -> bool:
    """Most members name something, and each a different thing: a theme (装修合同纠纷 against ten
    decoration companies), not an incident."""
    named = Counter(n for r in piece for n in set(entities[r]))
    naming = sum(1 for r in piece if entities[r])
    return len(named) >= 4 and 2 * naming >= len(piece) and 4 * max(named.values()) < naming


def _block_groups(job: tuple[EventClusterer, sp.csr_matrix, list[list[str]], Places]) -> np.ndarray:
    model, counts, entities, places = job
    return model._text_groups(counts, entities, places)


def _city_masks(places: Places) -> np.ndarray:
    """One bit per city named by each complaint (0: none); past 63 cities the bits fold, and a
    rare collision only keeps a pair together that should have been kept apart."""
    names = sorted({p for ps in places for p in ps})
    if len(names) < 2:
        return np.zeros(len(places), dtype=np.int64)
    bit = {name: np.int64(1) << np.int64(i % 63) for i, name in enumerate(names)}
    return np.array([np.bitwise_or.reduce([bit[p] for p in ps]) if ps else 0 for ps in places], dtype=np.int64)


def _apart(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """For city masks of pairs (broadcast): both name cities and share none."""
    return (left != 0) & (right != 0) & ((left & right) == 0)


def _weigh(counts: sp.csr_matrix, max_df: float, min_df: int = 2) -> sp.csr_matrix | None:
    """Sublinear TF-IDF of raw counts, with the block's own document frequencies: words in fewer
    than ``min_df`` or more than ``max_df`` of the block's complaints are dropped."""
    n = counts.shape[0]
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    keep = np.flatnonzero((df >= min_df) & (df <= max(max_df * n, min_df)))
    if not len(keep):
        return None
    X = counts[:, keep].astype(np.float32).tocsr()
    X.data = 1.0 + np.log(X.data)
    X = X @ sp.diags((np.log((1 + n) / (1 + df[keep])) + 1.0).astype(np.float32))
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms).astype(np.float32) @ X)


def _tfidf(docs: list[list[str]]) -> sp.csr_matrix | None:
    try:
        return TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=2, dtype=np.float32).fit_transform(docs)
    except ValueError:  # no entity named by two complaints
        return None


def _by_size(groups: np.ndarray) -> np.ndarray:
    """Renumber groups 0.. by size, largest first (ties: first member first); -1 stays."""
    out = np.full(len(groups), -1, dtype=np.int64)
    rows = np.flatnonzero(groups >= 0)
    if not len(rows):
        return out
    ids, first, counts = np.unique(groups[rows], return_index=True, return_counts=True)
    rank = np.lexsort((first, -counts))
    new_id = np.empty(len(ids), dtype=np.int64)
    new_id[rank] = np.arange(len(ids))
    out[rows] = new_id[np.searchsorted(ids, groups[rows])]
    return out


__all__ = ["EventClusterer"]
