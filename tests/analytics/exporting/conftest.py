"""Fixtures of the export tests: the demo database and a quarter's report data with hand-made hotspots."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from pptx import Presentation

from analytics.exporting import deck
from analytics.exporting.data import gather
from analytics.exporting.hotspot_tables import MEMBER_COLUMNS, mask_text
from analytics.periods import parse_period
from analytics.store import connect


@pytest.fixture(scope="module")
def con(demo_db):
    c = connect(demo_db, read_only=True)
    yield c
    c.close()


def _hotspots(con, period):
    """Three ranked issues (two shortlisted) whose members are real complaints of the period;
    labels and titles that look like formulas, a phone number in a content cell."""
    where, params = period.filters().where()
    rows = con.execute(
        f"SELECT complaint_id, received_at, source, kind, county, sector, business, title, content, closed_at "
        f"FROM complaints WHERE {where} ORDER BY received_at LIMIT 60",
        params,
    ).df()
    rows["rank"] = [1] * 30 + [2] * 20 + [3] * 10
    rows["label"] = rows["rank"].map({1: '=HYPERLINK("x")', 2: "预付卡退费难", 3: "@SUM(A1)"})
    rows.loc[0, "title"] = "+86 投诉"
    rows.loc[1, "content"] = "联系电话13812345678，身份证440102199001011234"
    rows["content"] = rows["content"].map(mask_text)
    hot = pd.DataFrame(
        {
            "rank": [1, 2, 3],
            "label": ['=HYPERLINK("x")', "预付卡退费难", "@SUM(A1)"],
            "score": [81.25, 60.0, 41.5],
            "period": period.label,
            "count": [30, 20, 10],
            "matters": [24, 20, 10],  # 事项: hotspot_frames fills it beside 件次
            "last_year": pd.array([12, pd.NA, 10], dtype="Int64"),
            "counties": ["清城区（20）、英德市（10）", "-清新区（20）", "佛冈县（10）"],
            "sectors": ["教育培训（30）", "美容美发（20）", "餐饮（10）"],
            "regulator": ["教育局", "市场监督管理局", "市场监督管理局"],
            "keywords": ["预付卡、退费", "办卡", "外卖"],
            "shortlisted": [True, True, False],
        }
    )
    return hot, rows[list(MEMBER_COLUMNS)]


@pytest.fixture(scope="module")
def quarter(con):
    period = parse_period("2024Q3")
    data = gather(con, period, with_hotspots=False)
    data.hotspots, data.members = _hotspots(con, period)
    return data


def deck_slides(data):
    """Slides by title without the 【演示数据】 mark, which every slide of the demo's deck carries."""
    prs = Presentation(io.BytesIO(deck.build_pptx(data)))
    titles = [s.shapes.title.text for s in prs.slides]
    assert all(t.startswith("【演示数据】") for t in titles), titles
    return {s.shapes.title.text.removeprefix("【演示数据】"): s for s in prs.slides}, prs
