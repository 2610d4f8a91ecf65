"""重复投诉率 has one line in the deck's 总体情况 table and in the report's headline table, equal to
the matters engine's figure for the period (analytics.matters.repeat_rates)."""

from __future__ import annotations

import io

import pytest
from docx import Document
from pptx import Presentation

from analytics.exporting import deck, report_docx
from analytics.exporting.data import gather
from analytics.matters import repeat_rates
from analytics.periods import parse_period
from analytics.store import connect

NAME = "重复投诉率（同一事项投诉两次及以上）"


@pytest.fixture(scope="module")
def data(demo_db):
    with connect(demo_db, read_only=True) as con:
        period = parse_period("2024")
        rate = float(repeat_rates(con, "all", period.filters())["repeat_rate"].iloc[0])
        yield gather(con, period, with_hotspots=False), rate


def _rows(table) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def test_deck_and_report_carry_the_repeat_rate(data) -> None:
    gathered, rate = data
    assert 0 < rate < 1  # the demo plants repeat callers and cross-channel duplicates
    expected = f"{rate * 100:.1f}%"
    prs = Presentation(io.BytesIO(deck.build_pptx(gathered)))
    overview = next(s for s in prs.slides if "总体情况" in s.shapes.title.text)
    table = next(sh.table for sh in overview.shapes if sh.has_table)
    assert _rows(table)[NAME] == expected
    doc = Document(io.BytesIO(report_docx.build_docx(gathered, charts=False)))
    assert _rows(doc.tables[0])[NAME] == expected


def test_repeat_rate_for_the_whole_selection_is_one_row(data, demo_db) -> None:
    with connect(demo_db, read_only=True) as con:
        whole = repeat_rates(con, "all")
        by_month = repeat_rates(con, "month")
    assert whole["group"].tolist() == ["全部"]
    assert whole["matters"].iloc[0] == by_month["matters"].sum()  # a matter counts in its first month only
    assert whole["repeated_matters"].iloc[0] == by_month["repeated_matters"].sum()
