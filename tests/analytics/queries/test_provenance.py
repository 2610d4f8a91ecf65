"""The one 演示数据 rule (demo rows are those of the demo generator's batch, whatever else is stored)
and every export that follows it."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import duckdb
import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from analytics import disclosure
from analytics.exporting import deck, report_docx, shortlist
from analytics.exporting.data import gather
from analytics.exporting.hotspot_tables import empty_shortlist
from analytics.filters import Filters
from analytics.periods import parse_period
from analytics.queries import catalog
from analytics.queries.provenance import Provenance, provenance
from analytics.store import connect


def relabel(path: Path, *, real_share: int) -> duckdb.DuckDBPyConnection:
    """Open a copy of the demo database where every ``real_share``-th complaint (all with 1) comes
    from an imported 12345 batch instead of the demo's."""
    con = connect(path)
    con.execute(
        "INSERT INTO batches SELECT * REPLACE ('real-1' AS batch_id, '12345' AS source) FROM batches"
        " WHERE batch_id = 'demo'"
    )
    con.execute("UPDATE complaints SET batch_id = 'real-1' WHERE id % ? = 0", [real_share])
    if real_share == 1:
        con.execute("DELETE FROM batches WHERE batch_id = 'demo'")
    return con


def test_demo_database_is_all_demo(demo_db: Path) -> None:
    con = duckdb.connect(str(demo_db), read_only=True)
    found = provenance(con)
    total = con.execute("SELECT count(*) FROM complaints").fetchone()[0]
    assert found == Provenance(total, 0)
    assert found.mark == "演示数据" and found.titled("简报") == "【演示数据】简报"
    assert "演示数据" in found.source("清远市 12345 投诉举报数据")
    con.close()


def test_real_imports_carry_no_mark(demo_db_copy: Path) -> None:
    con = relabel(demo_db_copy, real_share=1)  # demo_truth is still there: the batch decides
    found = provenance(con)
    assert not found.has_demo and found.mark == "" and found.banner() == ""
    assert found.titled("简报") == "简报" and found.source("清远市 12345 投诉举报数据") == "清远市 12345 投诉举报数据"
    assert found.sheet_name("热点问题表") == "热点问题表"
    label = catalog.dataset_label(con).iloc[0]
    assert not label["is_demo"] and "演示" not in label["source"]
    con.close()


def test_mixed_rows_give_the_share_and_follow_the_filters(demo_db_copy: Path) -> None:
    con = relabel(demo_db_copy, real_share=4)
    demo, real = con.execute(
        "SELECT count(*) FILTER (WHERE batch_id = 'demo'), count(*) FILTER (WHERE batch_id = 'real-1') FROM complaints"
    ).fetchone()
    found = provenance(con)
    assert found == Provenance(demo, real)
    assert found.mark == f"含演示数据 {round(demo / (demo + real) * 100)}%"
    assert f"{real:,} 条是导入的真实数据" in found.banner()
    one_year = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    in_year = provenance(con, one_year)
    assert 0 < in_year.demo_rows < demo and 0 < in_year.real_rows < real


@pytest.mark.parametrize(("demo", "real", "mark"), [(1, 999, "含演示数据 1%"), (999, 1, "含演示数据 99%"), (0, 0, "")])
def test_share_never_rounds_to_none_or_all(demo: int, real: int, mark: str) -> None:
    assert Provenance(demo, real).mark == mark


def _all_outputs(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The visible titles of every export of 2024Q3: each slide's title, the report's title and page
    header, each workbook sheet's name, each CSV's first row (headers)."""
    period = parse_period("2024Q3")
    data = gather(con, period, with_hotspots=False)
    found = provenance(con, period.filters())
    slides = Presentation(io.BytesIO(deck.build_pptx(data))).slides
    doc = Document(io.BytesIO(report_docx.build_docx(data, charts=False)))
    hotspots, members = empty_shortlist()
    workbook = load_workbook(io.BytesIO(shortlist.build_xlsx(hotspots, members, period, provenance=found)))
    by_business = disclosure.disclosure_by_business(con, period.filters(), 3, 10)
    by_sector = disclosure.disclosure_by_sector(con, period.filters())
    published = load_workbook(io.BytesIO(disclosure.to_xlsx_bytes({"经营者公示": by_business}, found)))
    csvs = [shortlist.build_csv(hotspots, found), disclosure.to_csv_bytes(by_sector, found)]
    return {
        "slides": [s.shapes.title.text for s in slides],
        "report": [doc.paragraphs[0].text, doc.sections[0].header.paragraphs[0].text],
        "sheets": workbook.sheetnames + published.sheetnames,
        "sheet headers": [ws.oddHeader.center.text or "" for ws in [*workbook.worksheets, *published.worksheets]],
        "csv": [next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[0] for raw in csvs],
    }


def test_every_demo_output_says_demo_on_each_title(demo_db: Path) -> None:
    con = connect(demo_db, read_only=True)
    outputs = _all_outputs(con)
    con.close()
    assert len(outputs["slides"]) >= 6
    for kind, titles in outputs.items():
        assert all("演示数据" in t for t in titles), (kind, titles)


def test_outputs_of_real_imports_never_say_demo(demo_db_copy: Path) -> None:
    con = relabel(demo_db_copy, real_share=1)
    outputs = _all_outputs(con)
    con.close()
    assert outputs["sheets"][:2] == ["热点问题表", "热点问题明细表"]
    for kind, titles in outputs.items():
        assert not any("演示" in t for t in titles), (kind, titles)


def test_the_source_line_names_only_the_real_rows_channels(demo_db_copy: Path) -> None:
    """Reports and chart titles name the channels of the real rows they show, an import with no
    channel named as 未注明渠道, never the demo's channels or the stored 'other'."""
    from analytics.exporting.data import source_line

    con = relabel(demo_db_copy, real_share=4)
    con.execute("UPDATE complaints SET source = 'other' WHERE batch_id = 'real-1'")
    line = source_line(con)
    assert line.endswith("；其余为 清远市 未注明渠道 投诉举报数据"), line
    assert catalog.dataset_label(con).iloc[0]["source"].endswith("；其余为 未注明渠道 导出数据")
    con.execute("DELETE FROM complaints WHERE batch_id = 'demo'")
    assert source_line(con) == "清远市 未注明渠道 投诉举报数据"
    con.close()


def test_the_source_line_of_a_period_with_no_rows(demo_db_copy: Path) -> None:
    """A period with no complaints has no channel to name: the line reads 清远市 投诉举报数据, not
    a blank where the channels were (清远市  投诉举报数据)."""
    from analytics.exporting.data import source_line

    con = relabel(demo_db_copy, real_share=1)
    assert source_line(con, period=parse_period("1999")) == "清远市 投诉举报数据"
    assert source_line(con, period=parse_period("2024")) == "清远市 12315、12345、消委会 投诉举报数据"
    con.close()
