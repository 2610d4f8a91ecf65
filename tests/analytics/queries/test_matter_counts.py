"""件次 and 事项 side by side: the 总览 KPIs and the 经营者 ranking count matters in the same query.

The seeded demo links its planted duplicates and repeat callers (analytics.matters), so matters are
fewer than complaints; each count is checked against matter_links directly.
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics.filters import Filters
from analytics.queries import overview
from analytics.queries.businesses import top_businesses


def _matters(con, where: str = "true", params: list | None = None) -> int:
    return con.execute(
        f"""SELECT count(DISTINCT coalesce(l.matter_id, c.id)) FROM complaints c
            LEFT JOIN matter_links l ON l.id = c.id WHERE {where}""",
        params or [],
    ).fetchone()[0]


def test_kpis_count_matters_beside_complaints(con) -> None:
    k = overview.kpis(con, Filters()).set_index("metric")
    assert k.loc["matters", "value"] == _matters(con) < k.loc["complaints", "value"]
    f = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    k = overview.kpis(con, f).set_index("metric")
    now = _matters(con, "c.received_at >= ? AND c.received_at < ?", [date(2024, 1, 1), date(2025, 1, 1)])
    before = _matters(con, "c.received_at >= ? AND c.received_at < ?", [date(2023, 1, 1), date(2024, 1, 1)])
    assert (k.loc["matters", "value"], k.loc["matters", "previous"]) == (now, before)
    assert k.loc["matters", "change"] == pytest.approx(now / before - 1)


def test_business_ranking_counts_matters_per_business(con) -> None:
    top = top_businesses(con, Filters(), limit=50)
    assert (top["matters"] <= top["complaints"]).all() and (top["matters"] < top["complaints"]).any()
    for row in top.head(10).itertuples():
        assert row.matters == _matters(con, "trim(c.business) = ?", [row.business]), row.business
