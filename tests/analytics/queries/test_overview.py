"""总览 queries checked against counts computed independently with pandas on the demo database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from analytics.charts import overview as charts
from analytics.filters import Filters
from analytics.profile import load_profile
from analytics.queries import catalog, overview

YEAR = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))


@pytest.fixture(scope="module")
def rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    df = con.execute("SELECT received_at, closed_at, source, county, sector, kind, title, content FROM complaints").df()
    df["day"] = df["received_at"].dt.normalize()
    return df


def _select(rows: pd.DataFrame, f: Filters) -> pd.DataFrame:
    mask = pd.Series(True, index=rows.index)
    if f.date_from:
        mask &= rows["day"] >= pd.Timestamp(f.date_from)
    if f.date_to:
        mask &= rows["day"] <= pd.Timestamp(f.date_to)
    for name, column in (("counties", "county"), ("sectors", "sector"), ("kinds", "kind"), ("sources", "source")):
        if getattr(f, name):
            mask &= rows[column].isin(getattr(f, name))
    return rows[mask]


def test_kpis_match_direct_counts(con, rows) -> None:
    f = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), counties=("清城区",))
    k = overview.kpis(con, f).set_index("metric")
    now, before = _select(rows, f), _select(rows, f.same_period_last_year())
    assert k.loc["complaints", "value"] == len(now) > 0
    assert k.loc["complaints", "previous"] == len(before) > 0
    assert k.loc["complaints", "change"] == pytest.approx(len(now) / len(before) - 1)
    share, pshare = now["closed_at"].notna().mean(), before["closed_at"].notna().mean()
    assert k.loc["closure_share", "value"] == pytest.approx(share)
    assert k.loc["closure_share", "change"] == pytest.approx(share - pshare)


def test_kpis_without_start_have_no_previous(con, rows) -> None:
    k = overview.kpis(con, Filters()).set_index("metric")
    assert k.loc["complaints", "value"] == len(rows)
    assert np.isnan(k.loc["complaints", "previous"]) and np.isnan(k.loc["complaints", "change"])


def test_kpis_on_empty_selection(con) -> None:
    k = overview.kpis(con, Filters(keyword="绝对不会出现的词组合xyz")).set_index("metric")
    assert k.loc["complaints", "value"] == 0
    assert np.isnan(k.loc["closure_share", "value"])


def test_monthly_by_source_sums_and_fills_gaps(con, rows) -> None:
    df = overview.monthly_by_source(con, YEAR)
    sel = _select(rows, YEAR)
    assert df["complaints"].sum() == len(sel)
    # Every channel has all 12 months (zeros included) so lines never skip a month.
    assert df.groupby("source")["month"].nunique().eq(12).all()
    expected = sel.groupby("source").size()
    got = df.groupby("source")["complaints"].sum()
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False, check_dtype=False)
    fig = charts.monthly_by_source(df, period=YEAR.describe(), source="演示数据")
    assert {t.name for t in fig.data} == set(expected.index)
    assert "2024-01-01" in fig.layout.title.text and "演示数据" in fig.layout.title.text


def test_top_sectors_rank_and_share(con, rows) -> None:
    df = overview.top_sectors(con, YEAR, limit=5)
    counts = _select(rows, YEAR)["sector"].value_counts()
    assert df["sector"].tolist() == counts.index[:5].tolist()
    assert df["complaints"].tolist() == counts.iloc[:5].tolist()
    assert df["share"].iloc[0] == pytest.approx(counts.iloc[0] / counts.sum())
    assert df["rank"].tolist() == [1, 2, 3, 4, 5]


def test_county_counts_per_10k(con, rows) -> None:
    df = overview.county_counts(con, YEAR).set_index("county")
    profile = load_profile()
    assert list(df.index[: len(profile.counties)]) == profile.county_names
    counts = _select(rows, YEAR)["county"].value_counts()
    for county in profile.counties:
        assert df.loc[county.name, "complaints"] == counts.get(county.name, 0)
        assert df.loc[county.name, "per_10k"] == pytest.approx(counts.get(county.name, 0) / county.population * 1e4)
    fig = charts.county_counts(df.reset_index(), value="per_10k")
    assert list(fig.data[0].x) == list(df.index)


def test_filters_narrow_every_query(con) -> None:
    narrow = Filters(date_from=YEAR.date_from, date_to=YEAR.date_to, sources=("12315",), keyword="退")
    wide = overview.kpis(con, YEAR).set_index("metric").loc["complaints", "value"]
    small = overview.kpis(con, narrow).set_index("metric").loc["complaints", "value"]
    assert 0 < small < wide
    assert set(overview.monthly_by_source(con, narrow)["source"]) == {"12315"}
    assert overview.top_sectors(con, narrow)["complaints"].sum() <= small


def test_default_period_is_last_full_year() -> None:
    assert catalog.default_period(date(2021, 1, 1), date(2025, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 31))
    # Data reaching only into March: the previous year is the last full one.
    assert catalog.default_period(date(2021, 1, 3), date(2026, 3, 10)) == (date(2025, 1, 1), date(2025, 12, 31))
    # Less than a full calendar year of data: all data.
    assert catalog.default_period(date(2025, 4, 1), date(2026, 2, 1)) == (None, None)
    assert catalog.default_period(None, None) == (None, None)
    # 热点's year: the default period's, else the latest. A message-board export pulled on
    # 2020-01-08 opens on 2019, not on eight days of 2020 set against the whole of 2019.
    assert catalog.default_year(date(2017, 6, 8), date(2020, 1, 8)) == 2019
    assert catalog.default_year(date(2024, 1, 1), date(2025, 12, 31)) == 2025
    # No full year: the year holding most of the data, not a few days of a new one.
    assert catalog.default_year(date(2025, 4, 1), date(2026, 2, 1)) == 2025
    assert catalog.default_year(date(2019, 3, 1), date(2020, 1, 8)) == 2019
    assert catalog.default_year(date(2025, 10, 1), date(2026, 6, 30)) == 2026


def test_catalog_on_demo(con, rows) -> None:
    span = catalog.data_span(con).iloc[0]
    assert span["complaints"] == len(rows)
    label = catalog.dataset_label(con).iloc[0]
    assert bool(label["is_demo"]) and "演示数据" in label["source"]
    opts = catalog.filter_options(con)
    counties = opts[opts["dimension"] == "counties"]
    assert counties["value"].tolist()[:8] == load_profile().county_names
    kinds = opts[opts["dimension"] == "kinds"].set_index("value")["complaints"]
    assert kinds.to_dict() == rows["kind"].value_counts().to_dict()


def test_dataset_label_for_imported_data(tmp_path: Path) -> None:
    from analytics.store import connect

    con = connect(tmp_path / "imported.duckdb")
    con.execute(
        "INSERT INTO complaints (id, complaint_id, source, received_at, kind, dedupe_key, batch_id)"
        " VALUES (1, 'a', '12345', TIMESTAMP '2024-01-02', '投诉', 'k1', 'b1'),"
        " (2, 'b', '12315', TIMESTAMP '2024-02-02', '投诉', 'k2', 'b1')"
    )
    label = catalog.dataset_label(con).iloc[0]
    assert not label["is_demo"]
    assert label["source"] == "12315、12345 导出数据"
    con.close()
