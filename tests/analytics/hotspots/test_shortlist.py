from analytics.hotspots.shortlist import gap_table, shortlist_size


def test_cut_at_largest_gap_within_two_to_four() -> None:
    assert shortlist_size([90, 85, 50, 48, 47]) == 2
    assert shortlist_size([90, 85, 80, 40, 39]) == 3
    assert shortlist_size([90, 88, 86, 84, 20]) == 4


def test_bounds_hold_even_when_the_biggest_gap_is_outside() -> None:
    assert shortlist_size([99, 10, 9, 8, 7]) == 2  # the gap after 1 is not allowed
    assert shortlist_size([50, 49, 48, 45, 44, 10]) == 3  # the gap after 5 is not allowed


def test_small_and_tied_inputs() -> None:
    assert shortlist_size([]) == 0
    assert shortlist_size([5]) == 1
    assert shortlist_size([5, 4]) == 2
    assert shortlist_size([10, 8, 6, 4, 2]) == 2  # equal gaps: the smaller shortlist
    assert shortlist_size([3, 1, 2]) == 2  # order of input does not matter


def test_gap_table_lists_candidate_cuts() -> None:
    assert gap_table([90, 85, 50, 48, 47]) == [{"k": 2, "gap": 35.0}, {"k": 3, "gap": 2.0}, {"k": 4, "gap": 1.0}]
