"""Stable event ids: an event found again keeps the id of the earlier event it mostly holds."""

from __future__ import annotations

import numpy as np

from analytics.events import continued_ids, extend_events

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


A, B = 1_000_003, 1_000_004


def test_new_complaints_join_the_event_they_continue_and_other_events_stay_as_they_were() -> None:
    # Before: A is rows 0-3, B rows 4-6; rows 7 and 8 are new. Found again over the window: rows
    # 0-2 with the new ones (most of A: continues it, row 3 stays in it), and rows 4-5 alone (no new
    # complaint: not taken, B stays whole).
    old = np.array([A, A, A, A, B, B, B, -1, -1])
    new = np.array([0, 0, 0, -1, 1, 1, -1, 0, 0])
    is_new = np.arange(9) >= 7
    rows, id_of = extend_events(old, new, is_new, FRESH)
    assert rows.tolist() == [A, A, A, A, B, B, B, A, A]
    assert id_of.tolist() == [A, -1]


def test_a_new_incident_takes_a_fresh_id_and_what_it_takes_from_an_event_leaves_the_rest() -> None:
    # The new event holds one of B's three and one of C's two complaints: B keeps its other two, C's
    # one left is no event.
    C = 1_000_005
    old = np.array([B, B, B, C, C, -1, -1, -1])
    new = np.array([0, -1, -1, 0, -1, 0, 0, 0])
    is_new = np.array([False] * 5 + [True] * 3)
    rows, id_of = extend_events(old, new, is_new, FRESH)
    assert rows.tolist() == [FRESH, B, B, FRESH, -1, FRESH, FRESH, FRESH]
    assert id_of.tolist() == [FRESH]
