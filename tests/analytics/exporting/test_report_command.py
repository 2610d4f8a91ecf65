"""``python -m analytics report`` on a database built by ``demo`` only: it computes topics and
hotspots first, reuses them the second time, and its files hold the hotspot engine's ranking."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from analytics import hotspots
from analytics.cli import main
from analytics.exporting.build import build_export
from analytics.periods import parse_period
from analytics.store import connect

pytestmark = pytest.mark.slow
PERSONAL = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


def _cells(wb) -> list[str]:
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


PERIOD = "2024Q2"  # topics over 2023Q2–2024Q2: a quarter keeps the one topic computation short


@pytest.fixture(scope="module")
def prepared(demo_db, tmp_path_factory):
    """A demo copy on which ``report`` has run once (it computed topics and hotspots), its xlsx."""
    import shutil

    folder = tmp_path_factory.mktemp("report")
    db, out = folder / "demo.duckdb", folder / "shortlist.xlsx"
    shutil.copy(demo_db, db)
    with connect(db) as con:
        assert con.execute("SELECT count(*) FROM topic_runs").fetchone()[0] == 1  # the demo build's run
    assert main(["report", "--db", str(db), "--period", PERIOD, "--format", "xlsx", "-o", str(out)]) == 0
    return db, out


def test_report_computes_then_reuses_hotspots(prepared, tmp_path, capsys):
    db, out = prepared
    period = parse_period(PERIOD)
    with connect(db) as con:
        runs = con.execute("SELECT count(*) FROM topic_runs").fetchone()[0]
        assert runs >= 1
        ranking = hotspots.rank_issues(con, date_from=period.start, date_to=period.end)
        assert con.execute("SELECT count(*) FROM topic_runs").fetchone()[0] == runs  # reused, not recomputed
    wb = load_workbook(out)
    assert wb.sheetnames[:2] == ["演示数据-热点问题表", "演示数据-热点问题明细表"]  # built from the demo
    rows = list(wb["演示数据-热点问题表"].iter_rows(min_row=2, values_only=True))
    expected = ranking.ranking.head(10)
    assert [r[0] for r in rows] == expected["rank"].tolist()
    assert [r[1].lstrip("'") for r in rows] == expected["label"].tolist()
    assert [r[2] for r in rows] == [round(float(s), 1) for s in expected["score"]]
    assert [r[4] for r in rows] == expected["size"].tolist()
    assert [r[3] for r in rows] == ["2024年第二季度"] * len(rows)
    # after 件次, 事项, 去年同期, 区县, 行业; — where the lead sector (其他) names no regulator
    assert [r[9] for r in rows] == [v or "—" for v in expected["regulator"].fillna("")]
    detail = list(wb["演示数据-热点问题明细表"].iter_rows(min_row=2, values_only=True))
    # Every listed hotspot's member complaints, as many as the engine counts.
    assert len(detail) == int(expected["size"].sum())
    assert not any(PERSONAL.search(v) for v in _cells(wb))

    # The deck: one slide per shortlisted hotspot, each with a native chart; nothing recomputed.
    deck = tmp_path / "brief.pptx"
    assert main(["report", "--db", str(db), "--period", PERIOD, "--format", "pptx", "-o", str(deck)]) == 0
    assert "written" in capsys.readouterr().out
    prs = Presentation(deck)
    titles = [s.shapes.title.text.removeprefix("【演示数据】") for s in prs.slides]
    shortlisted = ranking.shortlist
    for rank, label in zip(shortlisted["rank"], shortlisted["label"], strict=True):
        slide = prs.slides[titles.index(f"热点{rank}：{label}")]
        assert any(sh.has_chart for sh in slide.shapes)
    assert sum(t.startswith("热点") and "：" in t for t in titles) == len(shortlisted)
    with connect(db) as con:
        assert con.execute("SELECT count(*) FROM topic_runs").fetchone()[0] == runs


def test_exports_mask_and_neutralise_what_an_old_import_left(prepared):
    db, out = prepared
    period = parse_period(PERIOD)
    member = load_workbook(out)["演示数据-热点问题明细表"]["C2"].value  # 编号 of a member complaint
    with connect(db) as con:
        title, content = con.execute(
            "SELECT title, content FROM complaints WHERE complaint_id = ?", [member]
        ).fetchone()
        try:
            # A row as an import without masking would have stored it.
            con.execute(
                "UPDATE complaints SET title = ?, content = ? WHERE complaint_id = ?",
                ['=HYPERLINK("http://x")', "电话13812345678，身份证440102199001011234", member],
            )
            files = {fmt: build_export(con, period, fmt, top=50, prepare=False) for fmt in ("xlsx", "pptx", "docx")}
        finally:
            con.execute("UPDATE complaints SET title = ?, content = ? WHERE complaint_id = ?", [title, content, member])
    cells = _cells(load_workbook(io.BytesIO(files["xlsx"])))
    assert any(v == '\'=HYPERLINK("http://x")' for v in cells)
    assert any("138****5678" in v for v in cells)
    assert not any(PERSONAL.search(v) or v.startswith(("=", "+", "-", "@")) for v in cells)
    doc = Document(io.BytesIO(files["docx"]))
    text = (
        "\n".join(p.text for p in doc.paragraphs)
        + "\n"
        + "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    )
    assert not PERSONAL.search(text)
    assert len(Presentation(io.BytesIO(files["pptx"])).slides) >= 8


@pytest.mark.parametrize(
    ("argv", "message", "code"),
    [
        (["--period", "2024-13", "--format", "xlsx"], "Unreadable period", 2),
        (["--period", "2031", "--format", "xlsx"], "No complaints in 2031", 1),  # a valid request, no data
        (["--period", "2024", "--format", "xlsx", "--top", "0"], "--top must be at least 1", 2),
    ],
)
def test_bad_requests_exit_without_traceback(demo_db_copy, tmp_path, capsys, argv, message, code):
    assert main(["report", "--db", str(demo_db_copy), *argv, "-o", str(tmp_path / "x.xlsx")]) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "x.xlsx").exists()


def test_unknown_format_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["report", "--period", "2024", "--format", "pdf", "-o", str(tmp_path / "x.pdf")])
    assert exc.value.code == 2
    assert (
        main(["report", "--db", str(tmp_path / "none.duckdb"), "--period", "2024", "-o", str(tmp_path / "x.pdf")]) == 2
    )
    assert "Unknown format 'pdf'" in capsys.readouterr().err


def _sheet_values(content: bytes) -> dict[str, list[tuple]]:
    """Every sheet's rows, without 说明's 生成时间 (the minute the file was made)."""
    wb = load_workbook(io.BytesIO(content))
    return {ws.title: [row for row in ws.iter_rows(values_only=True) if row[0] != "生成时间"] for ws in wb.worksheets}


def test_hotspot_page_and_export_page_give_one_file_called_热点问题表(prepared):
    """热点问题表 has one content wherever it is downloaded; the whole ranking is another file."""
    from analytics.exporting.hotspot_files import page_period, ranking_download, shortlist_download
    from analytics.exporting.shortlist import RANKING
    from analytics.hotspots import load_weights

    db, _ = prepared
    period = parse_period(PERIOD)
    defaults = tuple(sorted((name, w.weight) for name, w in load_weights().items()))
    with connect(db) as con:
        from_export_page = build_export(con, period, "xlsx")
        from_hotspot_page = shortlist_download(con, period, defaults, "xlsx")  # the sliders untouched
        csv_pages = build_export(con, period, "csv"), shortlist_download(con, period, defaults, "csv")
        ranking = ranking_download(con, period, defaults, "xlsx")
        heavier = tuple((name, 5.0 if name == "growth" else w) for name, w in defaults)
        adjusted = shortlist_download(con, period, heavier, "xlsx")
    assert _sheet_values(from_hotspot_page) == _sheet_values(from_export_page)
    assert csv_pages[0] == csv_pages[1]
    # The 热点 page's year is the 导出 page's year period, so a year's files match too.
    assert page_period(2024, None, None, (period.start, period.end)) == parse_period("2024")
    whole = load_workbook(io.BytesIO(ranking))
    assert whole.sheetnames[:2] == [f"演示数据-{RANKING.table}", f"演示数据-{RANKING.members}"]
    assert whole.worksheets[0].max_row > load_workbook(io.BytesIO(from_export_page)).worksheets[0].max_row
    notes = dict(list(_sheet_values(adjusted).values())[2])
    assert "增长" in notes["评分权重"] and "评分权重" not in dict(list(_sheet_values(from_export_page).values())[2])
