"""The report's county and sector tables show 件次 and 事项; a matter spanning two counties (or
sectors) counts once in each row, and no total is a sum of those rows: the headline's 事项 (report
and deck) is counted for the period.

One gym-card matter is reported three times: twice in 清城区 under 健身, once in 英德市 under 教育培训
(the channel filed it elsewhere); a second complaint in 清城区 is its own matter.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from analytics.exporting import deck, figures, report_docx
from analytics.exporting.data import gather
from analytics.periods import parse_period
from analytics.profile import load_profile
from analytics.queries import overview
from analytics.store import connect

ROWS = [  # id, county, sector, matter
    (1, "清城区", "健身", 1),
    (2, "清城区", "健身", 1),
    (3, "英德市", "教育培训", 1),
    (4, "清城区", "健身", None),
]


@pytest.fixture
def con(tmp_path: Path):
    c = connect(tmp_path / "span.duckdb")
    for i, county, sector, matter in ROWS:
        received = datetime(2024, 5, 6, 9) + timedelta(days=i)
        c.execute(
            """INSERT INTO complaints (id, complaint_id, source, received_at, closed_at, kind, county, sector,
                   business, title, content, resolved, complainant, dedupe_key, batch_id)
               VALUES ($id, $cid, '12345', $at, $closed, '投诉', $county, $sector, '力健健身', '健身卡退费',
                   '预付卡余额不退', true, NULL, $key, 'b1')""",
            {"id": i, "cid": f"C{i:03d}", "at": received, "closed": received + timedelta(days=1),
             "county": county, "sector": sector, "key": f"k{i}"},
        )  # fmt: skip
        if matter is not None:
            c.execute("INSERT INTO matter_links VALUES ($id, $matter)", {"id": i, "matter": matter})
    yield c
    c.close()


def test_a_matter_spanning_counties_counts_once_in_each_and_once_in_total(con) -> None:
    period = parse_period("2024-05")
    counties = figures.county_table(con, period, (None, None)).set_index("county")
    assert counties[["count", "matters"]].loc["清城区"].tolist() == [3, 2]  # the matter and the lone complaint
    assert counties[["count", "matters"]].loc["英德市"].tolist() == [1, 1]  # the same matter, again
    sectors = figures.sector_table(con, period, (None, None), load_profile()).set_index("sector")
    assert sectors["matters"].to_dict() == {"健身": 2, "教育培训": 1}
    # The period's matters are counted, not added up from the rows: 2, where the rows sum to 3.
    kpis = overview.kpis(con, period.filters()).set_index("metric")["value"]
    assert (kpis["complaints"], kpis["matters"]) == (4, 2) and counties["matters"].sum() == 3


def test_report_tables_have_complaint_and_matter_columns_and_no_total_row(con) -> None:
    data = gather(con, parse_period("2024-05"), with_hotspots=False)
    doc = Document(io.BytesIO(report_docx.build_docx(data, charts=False)))
    county = next(t for t in doc.tables if t.cell(0, 0).text == "区县" and t.cell(0, 3).text == "每万人")
    assert [c.text for c in county.rows[0].cells][1:3] == ["本期（件）", "事项"]
    assert {r.cells[0].text: (r.cells[1].text, r.cells[2].text) for r in county.rows[1:]} == {
        "清城区": ("3", "2"),
        "英德市": ("1", "1"),
    }
    sector = next(t for t in doc.tables if t.cell(0, 0).text == "行业")
    assert [c.text for c in sector.rows[0].cells][2:4] == ["本期（件）", "事项"]
    assert {r.cells[0].text: (r.cells[2].text, r.cells[3].text) for r in sector.rows[1:]} == {
        "健身": ("3", "2"),
        "教育培训": ("1", "1"),
    }
    for table in (county, sector):  # every row is a county or sector: nothing adds the 事项 column up
        assert not {r.cells[0].text for r in table.rows[1:]} & {"合计", "总计", "全部", "小计"}
    # The period's total 事项 is counted (2), in the report's and the deck's headline tables.
    assert data.headline["matters"] == 2 and data.headline["total"] == 4
    name = "事项（同一案件多次、多渠道投诉计一次）"
    assert {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}[name] == "2"
    prs = Presentation(io.BytesIO(deck.build_pptx(data)))
    overview = next(s for s in prs.slides if "总体情况" in s.shapes.title.text)
    table = next(sh.table for sh in overview.shapes if sh.has_table)
    assert {r.cells[0].text: r.cells[1].text for r in table.rows}[name] == "2"
