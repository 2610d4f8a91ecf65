"""Stable event ids: an event found again keeps the id of the earlier event it mostly holds."""

from __future__ import annotations

import numpy as np

from analytics.events import continued_ids

FRESH = 2_000_000


def test_an_event_holding_most_of_an_earlier_one_keeps_its_id() -> None:
    # Earlier: event 1_000_007 of rows 0-3, event 1_000_002 of rows 4-5. Found again: rows 0-2 and
    # two new rows are event 0 (3 of 4 earlier members: continues), rows 4 and 8 event 1 (1 of 2:
    # no majority, a new incident).
    old = np.array([1_000_007] * 4 + [1_000_002] * 2 + [-1] * 3)
    new = np.array([0, 0, 0, -1, 1, -1, 0, 0, 1])
    assert continued_ids(old, new, FRESH).tolist() == [1_000_007, FRESH]


def test_two_earlier_events_joined_keep_the_larger_share_and_the_other_id_retires() -> None:
    old = np.array([5, 5, 5, 6, 6, -1])
    new = np.array([0, 0, 0, 0, 0, 1])
    assert continued_ids(old, new, FRESH).tolist() == [5, FRESH]


def test_an_earlier_event_split_in_two_goes_to_the_part_holding_its_majority() -> None:
    old = np.array([9] * 5)
    new = np.array([1, 0, 0, 0, 1])  # event 0 holds 3 of 5
    assert continued_ids(old, new, FRESH).tolist() == [9, FRESH]


def test_no_earlier_events_or_no_new_events() -> None:
    assert continued_ids(np.full(4, -1), np.array([0, 1, 1, -1]), 7).tolist() == [7, 8]
    assert continued_ids(np.array([3, 3]), np.array([-1, -1]), 7).tolist() == []
    assert continued_ids(np.array([], dtype=np.int64), np.array([], dtype=np.int64), 7).tolist() == []
