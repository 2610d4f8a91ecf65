"""The builders on the seeded demo: every file opens, holds the expected sheets, slides and charts,
and its numbers equal the engines' (overview, timeliness). Hotspot rows here are a small defined
input (the topic model is exercised in test_report_command.py)."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from analytics import timeliness
from analytics.charts import images
from analytics.exporting import figures, report_docx, shortlist
from analytics.exporting.data import gather
from analytics.exporting.hotspot_tables import MEMBER_COLUMNS, SHORTLIST_COLUMNS, mask_text
from analytics.exporting.text import display_width
from analytics.periods import parse_period
from analytics.queries import overview
from tests.analytics.exporting.conftest import deck_slides

# The shortlist's columns: 件次 then 事项, then the rest of SHORTLIST_COLUMNS.
HEADER = [*list(SHORTLIST_COLUMNS.values())[:5], "事项", *list(SHORTLIST_COLUMNS.values())[5:]]
# Unmasked mobile phone or 18-digit ID number.
PERSONAL = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")
DANGEROUS = ("=", "+", "-", "@")


def test_xlsx_has_both_sheets_with_neutralised_cells(quarter):
    wb = load_workbook(io.BytesIO(shortlist.build_xlsx(quarter.hotspots, quarter.members, quarter.period)))
    assert wb.sheetnames[:2] == ["热点问题表", "热点问题明细表"]
    table, detail = wb["热点问题表"], wb["热点问题明细表"]
    assert [c.value for c in table[1]] == HEADER
    assert [c.value for c in detail[1]] == list(MEMBER_COLUMNS.values())
    assert "投诉人" not in " ".join(str(c.value) for c in detail[1])
    assert table.max_row == 1 + len(quarter.hotspots)
    assert detail.max_row == 1 + len(quarter.members)
    rows = list(table.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [1, 2, 3]
    assert [r[4] for r in rows] == [30, 20, 10]  # 件次
    assert [r[5] for r in rows] == [24, 20, 10]  # 事项
    assert rows[1][6] is None  # no 去年同期 → empty, not 0
    assert [r[11] for r in rows] == ["是", "是", "否"]  # 列入短名单
    assert rows[0][1] == '\'=HYPERLINK("x")' and rows[2][1] == "'@SUM(A1)" and rows[1][7] == "'-清新区（20）"
    for ws in (table, detail):  # printed, every page repeats the header row
        assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(DANGEROUS), cell.value
                    assert not PERSONAL.search(cell.value), cell.value


def test_csv_is_utf8_with_bom_and_neutralised(quarter):
    raw = shortlist.build_csv(quarter.hotspots)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert [r[1] for r in rows[1:]] == ['\'=HYPERLINK("x")', "预付卡退费难", "'@SUM(A1)"]
    assert all(not cell.startswith(DANGEROUS) for r in rows for cell in r)
    members = shortlist.build_members_csv(quarter.members).decode("utf-8-sig")
    assert not PERSONAL.search(members) and "138****5678" in members


def test_docx_sentences_tables_and_numbers(con, quarter):
    doc = Document(io.BytesIO(report_docx.build_docx(quarter)))
    text = "\n".join(p.text for p in doc.paragraphs)
    kpis = overview.kpis(con, quarter.period.filters()).set_index("metric")["value"]
    total, last = int(kpis["complaints"]), int(overview.kpis(con, parse_period("2023Q3").filters()).iloc[0]["value"])
    assert "2024年第三季度消费投诉举报分析报告" in text
    assert f"共受理消费投诉、举报和咨询 {total:,} 件" in text
    assert "环比" in text and "同比" in text and f"2023年第三季度：{last:,} 件" in text
    change = (total - last) / last * 100
    assert f"同比{'增长' if change > 0 else '下降'} {abs(change):.1f}%" in text
    headline = doc.tables[0]
    assert headline.cell(1, 0).text == "受理总量（件）" and headline.cell(1, 1).text == f"{total:,}"
    county_table = next(t for t in doc.tables if t.cell(0, 0).text == "区县" and t.cell(0, 3).text == "每万人")
    engine = overview.county_counts(con, quarter.period.filters())
    engine = engine[engine["complaints"] > 0].sort_values("complaints", ascending=False, kind="stable")
    assert [r.cells[0].text for r in county_table.rows[1:]] == engine["county"].tolist()
    assert [r.cells[1].text for r in county_table.rows[1:]] == [f"{n:,}" for n in engine["complaints"]]
    rates = {r.county: f"{r.per_10k:.2f}" for r in engine.itertuples() if pd.notna(r.per_10k)}
    assert {r.cells[0].text: r.cells[3].text for r in county_table.rows[1:] if r.cells[3].text != "—"} == rates
    summary = timeliness.summary(con, quarter.period.filters())
    assert f"按时办结率 {summary['on_time_rate'] * 100:.1f}%" in text
    assert "预付卡退费难" in text
    assert not PERSONAL.search(text + "\n" + "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells))


def test_report_and_deck_show_matters_beside_complaints(quarter):
    """件次 and 事项 side by side: the report's hotspot and business tables, each hotspot's slide."""
    doc = Document(io.BytesIO(report_docx.build_docx(quarter, charts=False)))
    hot = next(t for t in doc.tables if t.cell(0, 1).text == "热点问题")
    assert [c.text for c in hot.rows[0].cells][3:5] == ["投诉量", "事项"]
    assert [(r.cells[3].text, r.cells[4].text) for r in hot.rows[1:]] == [("30", "24"), ("20", "20"), ("10", "10")]
    firms = next(t for t in doc.tables if t.cell(0, 1).text == "经营者")
    assert [c.text for c in firms.rows[0].cells][3:5] == ["投诉量（件）", "事项"]
    b = quarter.businesses
    assert (b["matters"] <= b["complaints"]).all() and len(firms.rows) == 1 + len(b) > 1
    assert [r.cells[4].text for r in firms.rows[1:]] == [f"{n:,}" for n in b["matters"]]
    slides, _ = deck_slides(quarter)
    text = "\n".join(sh.text_frame.text for sh in slides['热点1：=HYPERLINK("x")'].shapes if sh.has_text_frame)
    assert "投诉量：30 件（24 个事项）" in text
    # The hotspot sentence (report's lead, each slide's first line) counts both ways too.
    assert '“=HYPERLINK("x")”本期 30 件（24 个事项），同比增长 150.0%' in text  # 同比 of 件次, 12 -> 30
    report_text = "\n".join(p.text for p in doc.paragraphs)
    assert "“预付卡退费难”本期 20 件（20 个事项）" in report_text


def test_holiday_report_compares_with_last_years_holiday(con):
    period = parse_period("2024-春节")
    data = gather(con, period, with_hotspots=False)
    assert data.last_year.key == "2023-春节" and data.previous.days == period.days
    doc = Document(io.BytesIO(report_docx.build_docx(data, charts=False)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2024年春节" in text and "春节假期" in text
    last = figures.headline(con, parse_period("2023-春节"))["total"]
    assert f"2023年春节：{last:,} 件" in text
    assert not doc.inline_shapes  # charts=False: tables only


def test_mask_text_masks_phone_and_id():
    masked = mask_text("电话13812345678 身份证440102199001011234")
    assert not PERSONAL.search(masked)
    assert mask_text(None) is None


def test_percentages_are_numbers_in_percent_format(quarter):
    """同比变化 is a number with a percent format in the workbook (no '+706% text), and a percent
    literal Excel reads as a number in the CSV."""
    hot = quarter.hotspots.assign(change=pd.array([7.06, -0.125, pd.NA], dtype="Float64"))
    wb = load_workbook(io.BytesIO(shortlist.build_xlsx(hot, quarter.members, quarter.period)))
    ws = wb["热点问题表"]
    column = [c.value for c in ws[1]].index("同比变化") + 1
    cells = [ws.cell(row=r, column=column) for r in (2, 3, 4)]
    assert [c.value for c in cells[:2]] == [pytest.approx(7.06), pytest.approx(-0.125)] and cells[2].value is None
    assert all(c.data_type == "n" and c.number_format.startswith("+0%") for c in cells[:2])
    rows = list(csv.DictReader(io.StringIO(shortlist.build_csv(hot).decode("utf-8-sig"))))
    assert [r["同比变化"] for r in rows] == ["706%", "-12%", ""]


def test_docx_tables_have_content_widths_and_a_repeated_header(quarter):
    doc = Document(io.BytesIO(report_docx.build_docx(quarter, charts=False)))
    hot = next(t for t in doc.tables if t.cell(0, 1).text == "热点问题")
    widths = [c.width.cm for c in hot.rows[1].cells]
    header = [c.text for c in hot.rows[0].cells]
    assert len(set(widths)) > 2, widths  # not equal columns
    assert sum(widths) == pytest.approx(report_docx.TEXT_WIDTH_CM, abs=0.05)
    # The label is wider than every number column (by half at least: 事项 beside 投诉量 took room).
    numbers = ("排名", "热度得分", "投诉量", "事项", "去年同期")
    assert widths[header.index("热点问题")] > 1.5 * max(widths[header.index(h)] for h in numbers)
    assert widths[header.index("涉及区县")] > widths[header.index("投诉量")]
    for table in doc.tables:
        first, *rest = table.rows
        flags = first._tr.trPr
        assert flags.find(qn("w:tblHeader")) is not None  # repeats on each page
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
        assert all(p.paragraph_format.keep_with_next for c in first.cells for p in c.paragraphs)
        assert not rest or rest[0]._tr.trPr.find(qn("w:tblHeader")) is None
        texts = [[c.text for c in r.cells] for r in rest]
        widths_cm = [c.width.cm for c in first.cells]
        if report_docx.kept_whole([c.text for c in first.cells], texts, widths_cm):  # a short table: one page
            assert all(p.paragraph_format.keep_with_next for r in table.rows[:-1] for p in r.cells[0].paragraphs)
        elif len(rest) > 4:  # a longer one runs on, its last row not alone
            assert rest[-2].cells[0].paragraphs[0].paragraph_format.keep_with_next
            assert not rest[len(rest) // 2].cells[0].paragraphs[0].paragraph_format.keep_with_next
    # The sentence that introduces a table is printed with it, not stranded on the page before.
    lead = next(p for p in doc.paragraphs if p.text.startswith("按热度得分排序"))
    assert lead.paragraph_format.keep_with_next


def test_docx_title_stays_on_one_line() -> None:
    """The 2024-05 report's title (with 【演示数据】) wrapped "报告" onto a line of its own."""
    title = "【演示数据】清远市2024年5月消费投诉举报分析报告"
    size = report_docx.title_size(title)
    assert size.pt * display_width(title) / 2 <= report_docx.TEXT_WIDTH_CM / 2.54 * 72
    assert report_docx.title_size("清远市2024年消费投诉举报分析报告").pt == 20


def test_numbers_in_docx_tables_never_break() -> None:
    """Seen in LibreOffice: 占比 printed as "16.2" over "%", 解决率 as "100." over "0%", and a
    hotspot label broken after three characters, because widths were shared out in proportion to
    the text while a list of counties took the room. A number, a percentage or a short phrase keeps
    its line; the long text columns wrap."""
    sectors = report_docx.column_widths(
        ["行业", "监管部门", "本期（件）", "事项", "占比", "同比"],
        [["网络购物/直播电商", "住房和城乡建设局", "693", "678", "16.2%", "增长 185.8%"]],
    )
    hotspots = report_docx.column_widths(
        ["排名", "热点问题", "热度得分", "投诉量", "事项", "去年同期", "涉及区县", "监管部门"],
        [["10", "虚假宣传老人", "76.8", "220", "219", "43", "清城区（83）、英德市（50）、清新区（33）", "教育局"]],
    )
    businesses = report_docx.column_widths(
        ["排名", "经营者", "行业", "投诉量（件）", "事项", "解决率"],
        [["1", "清城区家百家居装饰公司", "网络购物/直播电商", "59", "53", "100.0%"]],
    )

    def room(text: str) -> float:  # one line of it, at the width the fonts LibreOffice uses need
        return len(text) * 0.25 + 0.38

    assert sectors[4] >= room("16.2%") and sectors[5] >= room("增长") + room(" 185.8%") - 0.38
    assert businesses[5] >= room("100.0%")
    assert hotspots[1] >= 2 * room("虚假宣传老人") - 0.38  # 汉字 are twice as wide
    for widths in (sectors, hotspots, businesses):
        assert sum(widths) == pytest.approx(report_docx.TEXT_WIDTH_CM, abs=0.05)
    assert hotspots[6] > hotspots[2]  # the list of counties wider than a number column


def test_column_widths_follow_content() -> None:
    widths = report_docx.column_widths(["排名", "经营者"], [["1", "清远市某某教育培训有限公司"], ["2", "某店"]], 10.0)
    assert sum(widths) == pytest.approx(10.0, abs=0.02) and widths[0] >= report_docx.MIN_COLUMN_CM
    assert widths[1] > 3 * widths[0]


@pytest.mark.skipif(
    not (shutil.which("chromium") or os.environ.get("BROWSER_PATH")),
    reason="no chromium: `make test` installs it (make browser-deps)",
)
def test_docx_charts_are_the_apps_figures_drawn_by_plotly(quarter):
    """The report's images are the app's plotly figures rendered in headless Chromium (kaleido)."""
    figures_ = report_docx.chart_figures(quarter)
    assert set(figures_) == {"trend", "counties", "sectors"}
    counties = figures_["counties"].data[0]
    assert list(counties.x) == quarter.counties["county"].tolist()
    assert list(counties.y) == quarter.counties["count"].tolist()
    trend = {t.name: t for t in figures_["trend"].data}
    assert list(trend["本期"].y) == quarter.trend["count"].tolist()
    assert list(trend[f"去年同期（{quarter.last_year.label}）"].y) == quarter.trend["last_year"].tolist()
    assert "演示数据" in figures_["sectors"].layout.title.text  # the data source line, as in the app
    doc = Document(io.BytesIO(report_docx.build_docx(quarter)))
    assert len(doc.inline_shapes) == 3
    # A chart is printed with its heading and sentence and its table (the 双十一 report's 行业分布
    # heading and sentence had stood above a half-empty page, its chart on the next).
    paragraphs = doc.paragraphs
    pictures = [i for i, p in enumerate(paragraphs) if p._p.xpath(".//pic:pic")]
    assert len(pictures) == 3
    for i in pictures:
        assert paragraphs[i].paragraph_format.keep_with_next and paragraphs[i - 1].paragraph_format.keep_with_next
    pngs = [
        doc.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob for s in doc.inline_shapes
    ]
    from PIL import Image

    for png in pngs:
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width == 2 * images.WIDTH  # drawn at scale 2
        colours = {c for _, c in image.convert("RGB").getcolors(1 << 20)}
        assert len(colours) > 50  # a drawing (text, bars, lines), not a blank page


def test_docx_without_a_browser_says_so_and_keeps_its_tables(quarter, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    doc = Document(io.BytesIO(report_docx.build_docx(quarter)))
    assert not doc.inline_shapes
    assert sum(p.text == images.NO_BROWSER_ZH for p in doc.paragraphs) == 3
    assert any(t.cell(0, 0).text == "区县" for t in doc.tables)
