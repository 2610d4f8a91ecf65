"""重复投诉率: repeated matters and complainants who came back after closure, per group."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.errors import UserError
from analytics.matters import repeat_rates
from analytics.store import connect

# (id, business, county, received, closed, matter)
ROWS = [
    (1, "强身健身房", "清城区", "2024-05-01 09:00", "2024-05-03 10:00", 1),
    (2, "强身健身房", "英德市", "2024-05-10 09:00", None, 1),  # after 1 was closed: came back
    (3, "强身健身房", "清城区", "2024-05-02 09:00", None, 3),
    (4, "好又多超市", "清城区", "2024-05-04 09:00", None, 4),
    (5, "好又多超市", "清城区", "2024-05-05 09:00", None, 4),  # 4 still open: repeated, not came back
    (6, "好又多超市", "清城区", "2024-06-01 09:00", "2024-06-02 09:00", 6),
]


def test_repeat_and_came_back_rates_per_business_county_and_month(tmp_path: Path) -> None:
    with connect(tmp_path / "r.duckdb") as con:
        for i, business, county, received, closed, matter in ROWS:
            con.execute(
                "INSERT INTO complaints (id, complaint_id, source, received_at, closed_at, kind, county, business,"
                " dedupe_key, batch_id) VALUES (?, ?, '12345', ?, ?, '投诉', ?, ?, ?, 't')",
                [i, f"C{i}", received, closed, county, business, f"k{i}"],
            )
            con.execute("INSERT INTO matter_links VALUES (?, ?)", [i, matter])
        by_business = repeat_rates(con, "business").set_index("group")
        by_county = repeat_rates(con, "county").set_index("group")
        by_month = repeat_rates(con, "month")
        with pytest.raises(UserError):
            repeat_rates(con, "colour")
    gym, shop = by_business.loc["强身健身房"], by_business.loc["好又多超市"]
    assert (gym.complaints, gym.matters, gym.repeated_matters, gym.came_back_matters) == (3, 2, 1, 1)
    assert (shop.complaints, shop.matters, shop.repeated_matters, shop.came_back_matters) == (3, 2, 1, 0)
    assert gym.repeat_rate == 0.5 and shop.came_back_rate == 0.0
    # A matter belongs to its first complaint's county: 英德市 has a complaint but no matter of its own.
    assert "英德市" not in by_county.index and by_county.loc["清城区", "matters"] == 4
    assert by_month["group"].tolist() == ["2024-05", "2024-06"]
