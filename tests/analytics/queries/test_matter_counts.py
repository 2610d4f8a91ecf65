"""件次 and 事项 side by side: the 总览 KPIs, the 经营者 ranking and 屡被投诉 tables, the 分布 tables and the
投诉公示 tables count matters in the same query as complaints.

The seeded demo links its planted duplicates and repeat callers (analytics.matters), so matters are
fewer than complaints; each count is checked against matter_links directly.
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics.disclosure import disclosure_by_business, disclosure_by_sector
from analytics.filters import Filters
from analytics.queries import UNKNOWN, explore, overview
from analytics.queries.businesses import repeat_offenders, top_businesses
from analytics.queries.distribution import county_rates, sector_totals


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


def test_explore_total_is_told_both_ways(con) -> None:
    f = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), counties=("清城区",))
    now = _matters(con, "c.received_at >= ? AND c.received_at < ? AND c.county = ?",
                   [date(2024, 1, 1), date(2025, 1, 1), "清城区"])  # fmt: skip
    assert explore.matter_count(con, f) == now < explore.complaint_count(con, f)
    assert explore.matter_count(con) == _matters(con)


def test_business_ranking_counts_matters_per_business(con) -> None:
    top = top_businesses(con, Filters(), limit=50)
    assert (top["matters"] <= top["complaints"]).all() and (top["matters"] < top["complaints"]).any()
    for row in top.head(10).itertuples():
        assert row.matters == _matters(con, "trim(c.business) = ?", [row.business]), row.business


def test_repeat_offenders_count_matters_per_business(con) -> None:
    rep = repeat_offenders(con, Filters(), min_months=3)
    assert (rep["matters"] <= rep["complaints"]).all() and (rep["matters"] < rep["complaints"]).any()
    for row in rep.head(10).itertuples():
        assert row.matters == _matters(con, "trim(c.business) = ?", [row.business]), row.business


def test_distribution_tables_count_matters_per_county_and_sector(con) -> None:
    counties = county_rates(con, Filters()).set_index("county")
    sectors = sector_totals(con, Filters()).set_index("sector")
    # A matter whose complaints name two counties counts in both (as a complaint counts where it is).
    assert min(counties["matters"].sum(), sectors["matters"].sum()) >= _matters(con)
    assert (counties["matters"] <= counties["complaints"]).all() and (sectors["matters"] <= sectors["complaints"]).all()
    for county in counties.index[counties["complaints"] > 0]:
        assert counties.loc[county, "matters"] == _matters(
            con, "coalesce(nullif(c.county, ''), ?) = ?", [UNKNOWN, county]
        )
    for sector in sectors.index:
        assert sectors.loc[sector, "matters"] == _matters(
            con, "coalesce(nullif(c.sector, ''), ?) = ?", [UNKNOWN, sector]
        )
    assert (sectors["matters"] < sectors["complaints"]).any()


def test_disclosure_tables_publish_matters_beside_complaints(con) -> None:
    by_business = disclosure_by_business(con, Filters(), min_complaints=3, limit=20)
    top = top_businesses(con, Filters(), limit=20, min_complaints=3)
    assert by_business["事项"].tolist() == top["matters"].tolist()
    assert list(by_business.columns[4:6]) == ["投诉量", "事项"]
    by_sector = disclosure_by_sector(con, Filters()).set_index("行业")
    assert list(by_sector.columns[1:3]) == ["投诉量", "事项"]
    for sector, n in by_sector["事项"].items():
        assert n == _matters(con, "coalesce(nullif(c.sector, ''), ?) = ?", [UNKNOWN, sector]), sector
    assert (by_sector["事项"] < by_sector["投诉量"]).any()


def test_topics_count_matters_per_topic(con) -> None:
    from analytics.topics import resolve_run, topics_in_period

    run_id = resolve_run(con)
    topics = topics_in_period(con, run_id, Filters())
    assert (topics["matters"] <= topics["size"]).all() and (topics["matters"] < topics["size"]).any()
    for row in topics.head(5).itertuples():
        members = "c.id IN (SELECT id FROM curated_assignments WHERE run_id = ? AND topic_id = ?)"
        assert row.matters == _matters(con, members, [run_id, row.topic_id]), row.label
