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


def extend_events(
    old: np.ndarray, new: np.ndarray, is_new: np.ndarray, fresh_from: int, min_size: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    """Events after new complaints arrive, from the events found again over a window of rows.

    ``old``: per row, its event before (-1: none), every member of an event that has a row in the
    window included; ``new``: per row, the event number found now; ``is_new``: the row is a new
    complaint. Only events found now that hold a new complaint are taken: the stage found over part
    of the data does not group the rest exactly as the full run did (on the 20,000-row demo, 41% of
    the events of the last 240 days came out otherwise with nothing new), and an event the new
    complaints did not join has no reason to change. A taken event continues the earlier event it
    holds most of (``continued_ids``), whose other members stay in it; an earlier event that lost
    members keeps the rest under its id (fewer than ``min_size``: none).

    Returns (event id per row, -1: none; id per event number found now, -1: not taken)."""
    old = np.asarray(old, dtype=np.int64)
    new = np.asarray(new, dtype=np.int64)
    n_found = int(new.max()) + 1 if len(new) else 0
    taken = np.zeros(max(n_found, 0), dtype=bool)
    taken[np.unique(new[(new >= 0) & np.asarray(is_new, dtype=bool)])] = True
    number = np.full(len(taken), -1, dtype=np.int64)
    number[taken] = np.arange(int(taken.sum()))  # the taken events, 0.. in their order (largest first)
    kept = np.append(number, -1)[new]  # label -1 (no event) takes the appended -1
    ids = continued_ids(old, kept, fresh_from)
    out = np.where(kept >= 0, np.append(ids, -1)[kept], old)
    others = (kept < 0) & (out >= 0)
    counts = dict(zip(*np.unique(out[out >= 0], return_counts=True), strict=True))
    small = np.array([counts[e] < min_size for e in out[others]], dtype=bool)
    out[np.flatnonzero(others)[small]] = -1
    id_of = np.full(len(taken), -1, dtype=np.int64)
    id_of[taken] = ids
    return out, id_of


__all__ = ["REACH_DAYS", "continued_ids", "extend_events"]
