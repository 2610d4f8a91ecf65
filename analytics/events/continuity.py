"""Stable event ids: an event found again keeps its id when it continues an earlier event.

Events are found again by every full topic run over all complaints, and over the recent window by
every incremental one (``analytics.topics.incremental``). What is keyed by an event's id (an
analyst's curated label in ``topic_curation``, an event picked on a page) must keep meaning the
same incident, so a new event takes the id of the earlier event whose members it mostly holds, and
any other event a fresh id above every id used so far: an id never changes meaning.
"""

from __future__ import annotations

import numpy as np

from analytics.events.clustering import EventClusterer

# An event spans at most this many days (the clustering's busiest-window cap, ``_bursts``): a new
# complaint can only join events within this many days of it, so the incremental path re-detects
# the events of the complaints this close to the new ones.
REACH_DAYS = EventClusterer().anchored_days


def continued_ids(old: np.ndarray, new: np.ndarray, fresh_from: int) -> np.ndarray:
    """The id of each new event (index: its number 0..n-1).

    ``old``: per row, the earlier event id (-1: none); ``new``: per row, the new event number (-1:
    none); every member of an earlier event that is still stored must be among the rows, so an
    earlier event's size is its count in ``old``. A new event continues an earlier one when it holds
    more than half of its members; each earlier id goes to one new event, the largest overlap first
    (two earlier events merged: the new event keeps the id it holds more of). Unmatched new events
    take ``fresh_from``, ``fresh_from + 1`` … in number order (largest first)."""
    old = np.asarray(old, dtype=np.int64)
    new = np.asarray(new, dtype=np.int64)
    n_new = int(new.max()) + 1 if len(new) else 0
    out = np.full(max(n_new, 0), -1, dtype=np.int64)
    both = (old >= 0) & (new >= 0)
    if both.any():
        pairs, overlap = np.unique(np.stack([new[both], old[both]]), axis=1, return_counts=True)
        old_ids, old_sizes = np.unique(old[old >= 0], return_counts=True)
        size_of = dict(zip(old_ids.tolist(), old_sizes.tolist(), strict=True))
        taken: set[int] = set()
        for k in np.argsort(-overlap, kind="stable"):
            event, earlier = int(pairs[0, k]), int(pairs[1, k])
            if out[event] >= 0 or earlier in taken or 2 * int(overlap[k]) <= size_of[earlier]:
                continue
            out[event] = earlier
            taken.add(earlier)
    fresh = np.flatnonzero(out < 0)
    out[fresh] = fresh_from + np.arange(len(fresh), dtype=np.int64)
    return out


__all__ = ["REACH_DAYS", "continued_ids"]
