"""Ranked hotspots (issues or events, one row each) as the shortlist's two tables."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.exporting.hotspot_tables import (
    DETAIL_COLUMNS,
    MEMBER_COLUMNS,
    component_headers,
    export_columns,
    export_period,
    hotspot_frames,
)
from analytics.hotspots.report import MEMBER_FIELDS
from analytics.store import connect


@pytest.fixture(scope="module")
def con(demo_db):
    c = connect(demo_db, read_only=True)
    yield c
    c.close()


def _hotspots(con, level: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One ranked hotspot and its five member complaints, as analytics.hotspots.report gives them."""
    key = "event_id" if level == "event" else "topic_id"
    members = con.execute(f"SELECT 7 AS {key}, {', '.join(MEMBER_FIELDS)} FROM complaints ORDER BY id LIMIT 5").df()
    parts = {"count": 0.9, "support": 0.1} if level == "event" else {"volume": 1.0, "support": 0.25}
    item = {
        "rank": 1, "label": "=预付卡", "score": 81.26, "size": 5, "matters": 4, "previous_size": 0,
        "previous_available": False,
        "change_on_last_year": None, "complaint_ids": members["complaint_id"].tolist(),
        "keywords": ["预付卡", "退费"] * 5,
        "counties": [{"name": "清城区", "count": 3}, {"name": "英德市", "count": 2}],
        "sectors": [{"name": "健身", "count": 5}], "businesses": [], "regulator": "市场监督管理局",
        "first_seen": "2024-01-02", "last_seen": date(2024, 3, 1), "components": parts, "shortlisted": True,
        "topic_id": 7, **({"event_id": 7} if level == "event" else {}),
    }  # fmt: skip
    return pd.DataFrame([item], dtype=object), members


@pytest.mark.parametrize("level", ["issue", "event"])
def test_rows_become_the_two_tables(con, level: str) -> None:
    table, members = hotspot_frames(*_hotspots(con, level), level, "2024年")
    row = table.iloc[0]
    assert row["score"] == 81.3 and row["count"] == 5 and row["period"] == "2024年"
    # 件次 and 事项 side by side in the export's columns.
    assert row["matters"] == 4 and list(export_columns(table).values())[4:6] == ["件次", "事项"]
    assert (
        row["counties"] == "清城区（3）、英德市（2）" and row["keywords"] == "预付卡、退费、预付卡、退费、预付卡、退费"
    )
    assert pd.isna(row["last_year"])  # no 去年同期 in the data: empty, not 0
    assert row["first_seen"] == date(2024, 1, 2) and row["last_seen"] == date(2024, 3, 1)
    headers = export_columns(table)
    own, other = component_headers(level), component_headers("issue" if level == "event" else "event")
    assert set(own) <= set(headers) and not set(other) & set(headers)
    assert set(DETAIL_COLUMNS) <= set(headers)
    assert list(members.columns) == list(MEMBER_COLUMNS) and len(members) == 5
    assert set(members["rank"]) == {1} and members["received_at"].is_monotonic_increasing


def test_no_hotspots_give_empty_tables_with_headers(con) -> None:
    table, members = hotspot_frames(pd.DataFrame(dtype=object), pd.DataFrame(), "issue", "2024年")
    assert table.empty and members.empty and list(members.columns) == list(MEMBER_COLUMNS)


def test_export_period_is_a_year_when_it_spans_one() -> None:
    assert export_period(date(2024, 1, 1), date(2024, 12, 31)).key == "2024"
    window = export_period(date(2024, 3, 1), date(2024, 5, 31))
    assert (window.start, window.end, window.kind) == (date(2024, 3, 1), date(2024, 5, 31), "window")
    assert export_period(None, None) is None
