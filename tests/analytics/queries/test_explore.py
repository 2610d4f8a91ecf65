"""探索 queries: trend, breakdown and drill-down pages, checked against pandas on the demo database."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from analytics.charts import explore as charts
from analytics.errors import UserError
from analytics.filters import Filters
from analytics.queries import explore

Q1 = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 3, 31))


@pytest.fixture(scope="module")
def q1_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT * FROM complaints WHERE received_at >= DATE '2024-01-01' AND received_at < DATE '2024-04-01'"
    ).df()


# 2024-01-01 is a Monday: Q1 2024 spans 91 days, 13 ISO weeks, 3 months.
@pytest.mark.parametrize(("granularity", "periods"), [("day", 91), ("week", 13), ("month", 3)])
def test_trend_granularity(con, q1_rows, granularity, periods) -> None:
    df = explore.trend(con, Q1, granularity)
    assert len(df) == periods  # filled: no missing day/week/month
    assert df["complaints"].sum() == len(q1_rows)
    if granularity == "day":
        expected = q1_rows["received_at"].dt.normalize().value_counts().sort_index()
        got = df.set_index("period")["complaints"]
        assert got[got > 0].to_dict() == expected.to_dict()
    if granularity == "week":
        assert (df["period"].dt.day_of_week == 0).all()  # weeks start on Monday


def test_trend_by_dimension_folds_the_rest(con, q1_rows) -> None:
    df = explore.trend(con, Q1, "month", "sector", top=3)
    top3 = q1_rows["sector"].value_counts().index[:3].tolist()
    assert set(df["value"]) == {*top3, explore.REST}
    by_value = df.groupby("value")["complaints"].sum()
    for sector in top3:
        assert by_value[sector] == (q1_rows["sector"] == sector).sum()
    assert by_value.sum() == len(q1_rows)
    fig = charts.trend(df, granularity="month", by="sector", period=Q1.describe(), source="演示数据")
    assert len(fig.data) == 4


def test_breakdown_any_dimension(con, q1_rows) -> None:
    for by in explore.DIMENSIONS:
        df = explore.breakdown(con, Q1, by, top=5)
        assert df["complaints"].sum() == len(q1_rows), by
        assert df["share"].sum() == pytest.approx(1.0)
        assert (df["dimension"] == by).all()
    df = explore.breakdown(con, Q1, "county", top=3)
    counts = q1_rows["county"].value_counts()
    assert df["value"].tolist()[:3] == counts.index[:3].tolist()
    assert df["value"].iloc[-1] == explore.REST
    closed = q1_rows.loc[q1_rows["county"] == counts.index[0], "closed_at"].notna().mean()
    assert df["closed_share"].iloc[0] == pytest.approx(closed)


def test_breakdown_rejects_unknown_dimension(con) -> None:
    with pytest.raises(UserError) as err:
        explore.breakdown(con, Q1, "content; DROP TABLE complaints")
    assert "无法" in err.value.zh
    with pytest.raises(UserError):
        explore.trend(con, Q1, "hour")


def test_drilldown_pages_cover_everything_once(con, q1_rows) -> None:
    f = Filters(date_from=Q1.date_from, date_to=Q1.date_to, counties=("连州市",))
    total = explore.complaint_count(con, f)
    assert total == (q1_rows["county"] == "连州市").sum() > 0
    size = 40
    pages = [explore.complaint_page(con, f, page, size) for page in range(1, total // size + 2)]
    ids = pd.concat(pages)["complaint_id"]
    assert len(ids) == total and ids.is_unique
    assert set(ids) == set(q1_rows.loc[q1_rows["county"] == "连州市", "complaint_id"])
    first = pages[0]["received_at"]
    assert first.is_monotonic_decreasing
    assert explore.complaint_page(con, f, 10_000, size).empty


def test_drilldown_keyword_and_masking(con) -> None:
    f = Filters(keyword="退费")
    page = explore.complaint_page(con, f, 1, 30)
    assert len(page) == 30
    text = page["title"].fillna("") + page["content"].fillna("")
    # Content is cut to a preview, so the word may sit beyond it; the full rows must contain it.
    assert explore.complaint_count(con, f) > 30
    assert text.str.contains("退费").sum() > 0
    assert not text.str.contains(r"1[3-9]\d{9}").any()  # no unmasked mobile numbers
    assert page["content"].str.len().max() <= explore.CONTENT_CHARS


def test_complaint_detail_is_the_whole_complaint(con) -> None:
    from analytics.ingest.pii import mask_personal_data

    sql = "SELECT id, complaint_id, content FROM complaints ORDER BY length(content) DESC, id LIMIT 1"
    internal, complaint_id, content = con.execute(sql).fetchone()
    detail = explore.complaint_detail(con, internal)
    assert len(detail) == 1
    assert detail.iloc[0]["complaint_id"] == complaint_id
    assert detail.iloc[0]["content"] == mask_personal_data(content)  # the full text, not the preview
    assert explore.complaint_detail(con, -1).empty
