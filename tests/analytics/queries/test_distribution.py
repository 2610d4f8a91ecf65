"""Sector × county counts and per-10,000 rates, checked against direct counts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.charts.distribution import county_bars, sector_county_heatmap, sector_county_treemap
from analytics.filters import Filters
from analytics.profile import load_profile
from analytics.queries.distribution import (
    UNKNOWN,
    county_rates,
    region_population,
    sector_county_counts,
    sector_totals,
)
from analytics.store import connect

ROWS = [
    # (county, sector, received)
    ("清城区", "食品", "2024-01-05"),
    ("清城区", "食品", "2024-02-05"),
    ("清城区", "教育培训", "2024-02-06"),
    ("英德市", "食品", "2024-03-01"),
    ("连山壮族瑶族自治县", "教育培训", "2024-03-02"),
    (None, "食品", "2024-03-03"),
    ("清城区", None, "2023-12-31"),
]


@pytest.fixture
def small_db(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path / "d.duckdb")
    for i, (county, sector, received) in enumerate(ROWS):
        con.execute(
            "INSERT INTO complaints (id, complaint_id, source, received_at, kind, county, sector, dedupe_key,"
            " batch_id) VALUES (?, ?, '12315', ?, '投诉', ?, ?, ?, 'b')",
            [i, f"c{i}", received, county, sector, f"k{i}"],
        )
    yield con
    con.close()


def test_sector_county_counts_small(small_db: duckdb.DuckDBPyConnection) -> None:
    df = sector_county_counts(small_db, Filters())
    assert int(df["complaints"].sum()) == len(ROWS)
    cell = df[(df["sector"] == "食品") & (df["county"] == "清城区")].iloc[0]
    assert cell["complaints"] == 2
    assert cell["per_10k"] == pytest.approx(2 / 1_020_000 * 1e4)
    # Missing county/sector are kept under UNKNOWN with no rate, not dropped.
    unknown = df[df["county"] == UNKNOWN].iloc[0]
    assert unknown["complaints"] == 1 and pd.isna(unknown["per_10k"])
    assert set(df.loc[df["sector"] == UNKNOWN, "county"]) == {"清城区"}


def test_filters_apply(small_db: duckdb.DuckDBPyConnection) -> None:
    f = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 2, 29))
    df = sector_county_counts(small_db, f)
    assert int(df["complaints"].sum()) == 3
    rates = county_rates(small_db, Filters(sectors=("教育培训",)))
    assert int(rates["complaints"].sum()) == 2
    lianshan = rates.set_index("county").loc["连山壮族瑶族自治县"]
    assert lianshan["per_10k"] == pytest.approx(1 / 95_000 * 1e4)


def test_county_rates_lists_every_profile_county(small_db: duckdb.DuckDBPyConnection) -> None:
    rates = county_rates(small_db, Filters())
    profile = load_profile()
    assert rates["county"].tolist()[: len(profile.counties)] == profile.county_names
    assert int(rates["complaints"].sum()) == len(ROWS)
    assert rates.set_index("county").loc["阳山县", "complaints"] == 0
    assert rates["share"].sum() == pytest.approx(1.0)
    assert not rates.set_index("county").loc[UNKNOWN, "in_profile"]


def test_sector_totals_rate_uses_region_or_chosen_counties(small_db: duckdb.DuckDBPyConnection) -> None:
    totals = sector_totals(small_db, Filters()).set_index("sector")
    assert totals.loc["食品", "complaints"] == 4
    assert totals.loc["食品", "per_10k"] == pytest.approx(4 / region_population() * 1e4)
    only = sector_totals(small_db, Filters(counties=("清城区",))).set_index("sector")
    assert only.loc["食品", "per_10k"] == pytest.approx(2 / 1_020_000 * 1e4)


def test_empty_result(small_db: duckdb.DuckDBPyConnection) -> None:
    f = Filters(date_from=date(2030, 1, 1))
    assert sector_county_counts(small_db, f).empty
    assert int(county_rates(small_db, f)["complaints"].sum()) == 0
    # Charts of an empty selection still render (with a note), they do not raise.
    assert sector_county_heatmap(sector_county_counts(small_db, f)).layout.annotations


def test_demo_heatmap_totals_equal_direct_count(demo_db: Path) -> None:
    with connect(demo_db, read_only=True) as con:
        f = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
        direct = con.execute(
            "SELECT count(*) FROM complaints WHERE received_at >= '2024-01-01' AND received_at < '2025-01-01'"
        ).fetchone()[0]
        per_cell = dict(
            ((s, c), n)
            for s, c, n in con.execute(
                "SELECT sector, county, count(*) FROM complaints WHERE received_at >= '2024-01-01'"
                " AND received_at < '2025-01-01' AND sector IS NOT NULL AND county IS NOT NULL GROUP BY ALL"
            ).fetchall()
        )
        df = sector_county_counts(con, f)
        rates = county_rates(con, f)
    assert direct > 0
    assert int(df["complaints"].sum()) == direct
    for row in df.itertuples():
        if row.sector != UNKNOWN and row.county != UNKNOWN:
            assert per_cell[(row.sector, row.county)] == row.complaints
    fig = sector_county_heatmap(df)
    assert int(fig.data[0].z.sum()) == direct
    profile = load_profile()
    for county in profile.counties:
        row = rates.set_index("county").loc[county.name]
        assert row["per_10k"] == pytest.approx(row["complaints"] / county.population * 1e4)
    # Rate heatmap cells are count / population × 10,000 of the column's county.
    rate_fig = sector_county_heatmap(df, value="per_10k")
    heat = rate_fig.data[0]
    col = list(heat.x).index("清城区")
    row_i = list(heat.y).index(df.iloc[0]["sector"])
    expected = heat.customdata[row_i][col] / 1_020_000 * 1e4
    assert heat.z[row_i][col] == pytest.approx(expected)


def test_treemap_and_bars_keep_totals(demo_db: Path) -> None:
    with connect(demo_db, read_only=True) as con:
        df = sector_county_counts(con, Filters())
        rates = county_rates(con, Filters())
        total = con.execute("SELECT count(*) FROM complaints").fetchone()[0]
    tree = sector_county_treemap(df).data[0]
    roots = [v for v, p in zip(tree.values, tree.parents, strict=True) if p == ""]
    assert sum(roots) == total
    by_county = sector_county_treemap(df, root="county").data[0]
    assert sum(v for v, p in zip(by_county.values, by_county.parents, strict=True) if p == "") == total
    bars = county_bars(rates)
    assert sum(bars.data[0].x) == total
    # Counts are printed with thousands separators (1,724), on the bars, the cells and the treemap.
    assert all(t == f"{n:,}" for t, n in zip(bars.data[0].text, bars.data[0].x, strict=True))
    assert any("," in t for t in bars.data[0].text)
    assert tree.texttemplate == "%{label}<br>%{value:,}"
    assert sector_county_heatmap(df).data[0].texttemplate == "%{z:,}"
