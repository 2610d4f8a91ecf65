"""The periodic analysis report (.docx) for a month, quarter, year or holiday window.

Sections: overview with 环比/同比, trend, counties, sectors, hotspots, on-time closure, businesses.
Each has written sentences and a table. The trend, county and sector charts are the app's plotly
figures (``analytics.charts``) drawn to PNG by plotly.js in headless Chromium
(``analytics.charts.images``): the same look as the app and its PNG download. python-docx has no
native charts; the numbers are always in the tables, and without a browser the report says so in
place of the charts. Tables have widths from their content, a header row repeated on every page
and kept with the first rows, and rows that never split across a page.
"""

from __future__ import annotations

import io

import pandas as pd
import plotly.graph_objects as go
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from analytics.charts import images, overview
from analytics.exporting.data import ReportData
from analytics.exporting.text import (
    change_phrase,
    display_width,
    fmt_int,
    fmt_pct,
    headline_rows,
    hotspot_sentence,
    movers_phrase,
    overview_paragraph,
    ranking_phrase,
    timeliness_paragraph,
)

FONT = "宋体"
HEADING_FONT = "黑体"
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less the 2.5 cm margins
PICTURE_WIDTH_CM = 15.5
MIN_COLUMN_CM = 1.3  # room for a two-character header such as 排名
# A half-width character of 11 pt text: a digit is half of 汉字's 0.39 cm in 宋体, 0.25 cm in the
# wider sans fonts LibreOffice and WPS substitute for it.
CHAR_CM = 0.25
WHOLE_TABLE_ROWS = 15  # a table of up to this many rows is kept on one page …
WHOLE_TABLE_LINES = 30  # … when its rows take up to this many lines (an A4 page holds about 45)
SHORT_CELL = 12  # half-width characters: a cell up to this wide stays on one line
CELL_MARGIN_CM = 0.4  # the cell's left and right margins (0.19 cm each in Word and LibreOffice)


def build_docx(data: ReportData, *, charts: bool = True) -> bytes:
    pictures, missing = _chart_images(data) if charts else ({}, "")
    doc = Document()
    _styles(doc)
    no_mom = "环比" if data.period.kind == "year" else None  # a year's 环比 would repeat its 同比
    title = doc.add_heading(data.provenance.titled(f"{data.region}{data.period.label}消费投诉举报分析报告"), level=0)
    if data.provenance.mark:  # the page header repeats it on every printed page
        doc.sections[0].header.paragraphs[0].text = data.provenance.titled("")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in title.runs:  # one line: a month's or holiday's longer title had wrapped "报告" alone
        run.font.size = title_size(title.text)
    meta = doc.add_paragraph(
        f"统计时段：{data.period.span}　数据来源：{data.source}　生成日期：{data.generated_at:%Y-%m-%d}"
    )
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("一、总体情况", level=1)
    _lead(doc, overview_paragraph(data))
    _table(
        doc,
        ["指标", "本期", "环比", "同比"],
        [[r["name"], r["text"], r["previous"], r["last_year"]] for r in headline_rows(data)],
        drop=no_mom,
    )

    doc.add_heading("二、受理量走势", level=1)
    _lead(doc, trend_paragraph(data))
    _picture(doc, pictures.get("trend"), missing)
    _table(
        doc,
        ["时段", "本期（件）", "去年同期（件）"],
        [[lab, fmt_int(n), fmt_int(m)] for lab, n, m in data.trend[["label", "count", "last_year"]].itertuples(False)],
    )

    doc.add_heading("三、区县分布", level=1)
    _lead(doc, county_paragraph(data))
    _picture(doc, pictures.get("counties"), missing)
    _table(
        doc,
        ["区县", "本期（件）", "事项", "每万人", "环比", "同比"],
        [
            [r.county, fmt_int(r.count), fmt_int(r.matters), "—" if pd.isna(r.per_10k) else f"{r.per_10k:.2f}",
             change_phrase(r.count, r.previous), change_phrase(r.count, r.last_year)]
            for r in data.counties.itertuples()
        ],
        drop=no_mom,
    )  # fmt: skip

    doc.add_heading("四、行业分布", level=1)
    _lead(doc, sector_paragraph(data))
    top = data.sectors.head(10)
    _picture(doc, pictures.get("sectors"), missing)
    _table(
        doc,
        ["行业", "监管部门", "本期（件）", "事项", "占比", "环比", "同比"],
        [
            [r.sector, r.regulator or "—", fmt_int(r.count), fmt_int(r.matters), fmt_pct(r.share),
             change_phrase(r.count, r.previous), change_phrase(r.count, r.last_year)]
            for r in top.itertuples()
        ],
        drop=no_mom,
    )  # fmt: skip

    doc.add_heading("五、热点问题", level=1)
    if data.hotspots.empty:
        doc.add_paragraph("本期未识别出热点问题。")
    else:
        shortlisted = data.hotspots[data.hotspots["shortlisted"]] if "shortlisted" in data.hotspots else data.hotspots
        _lead(
            doc,
            f"按热度得分排序，本期排名前 {len(data.hotspots)} 的问题如下表，其中 {len(shortlisted)} 个列入热点短名单："
            + "；".join(hotspot_sentence(r, data).rstrip("。") for _, r in shortlisted.iterrows())
            + "。",
        )
        _table(
            doc,
            ["排名", "热点问题", "热度得分", "投诉量", "事项", "去年同期", "涉及区县", "监管部门"],
            [
                [str(r.rank), r.label, f"{float(r.score):.1f}", fmt_int(r.count), fmt_int(r.matters),
                 fmt_int(r.last_year), r.counties, r.regulator or "—"]
                for r in data.hotspots.itertuples()
            ],
            drop=no_mom,
    )  # fmt: skip

    doc.add_heading("六、办理时效", level=1)
    _lead(doc, timeliness_paragraph(data))
    t = data.on_time_counties
    _table(
        doc,
        ["区县", "到期（件）", "按时办结", "超期办结", "超期未办结", "按时办结率"],
        [
            [g, fmt_int(d), fmt_int(a), fmt_int(b), fmt_int(c), fmt_pct(r)]
            for g, d, a, b, c, r in t[
                ["group", "due", "closed_on_time", "closed_late", "open_overdue", "on_time_rate"]
            ].itertuples(False)
        ],
    )

    doc.add_heading("七、被投诉较多的经营者", level=1)
    b = data.businesses
    if b.empty:
        doc.add_paragraph("本期投诉未注明经营者。")
    else:
        _lead(doc, f"本期被投诉最多的经营者是{ranking_phrase(b.rename(columns={'complaints': 'count'}), 'business')}。")
        _table(
            doc,
            ["排名", "经营者", "行业", "投诉量（件）", "事项", "解决率"],
            [
                [
                    str(r.rank),
                    r.business,
                    r.sector,
                    fmt_int(r.complaints),
                    fmt_int(r.matters),
                    fmt_pct(r.resolution_rate),
                ]
                for r in b.itertuples()
            ],
        )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- sentences specific to the report ---------------------------------------------------------


def trend_paragraph(data: ReportData) -> str:
    t = data.trend
    if t["count"].sum() == 0:
        return "本期没有受理记录。"
    peak = t.loc[t["count"].astype("int64").idxmax()]
    text = f"本期受理量最高的时段是{peak['label']}（{fmt_int(peak['count'])} 件）"
    if data.last_year is not None:
        text += f"，去年同期同一时段为 {fmt_int(peak['last_year'])} 件"
    return text + "。"


def county_paragraph(data: ReportData) -> str:
    c = data.counties
    text = f"受理量居前的区县是{ranking_phrase(c, 'county')}。"
    rates = c.dropna(subset=["per_10k"]).sort_values("per_10k", ascending=False)
    if len(rates):
        top = rates.iloc[0]
        text += f"按常住人口计，{top['county']}每万人受理 {top['per_10k']:.2f} 件，为各区县最高。"
    text += movers_phrase(c, "county", "last_year", "区县") or movers_phrase(c, "county", "previous", "区县")
    return text


def sector_paragraph(data: ReportData) -> str:
    s = data.sectors
    text = f"受理量居前的行业是{ranking_phrase(s, 'sector')}"
    top3 = s.head(3)["share"].sum()
    text += f"，合计占 {fmt_pct(top3)}。"
    text += movers_phrase(s[s["count"] >= 10], "sector", "last_year", "行业")
    return text


# --- helpers ----------------------------------------------------------------------------------


def _styles(doc: Document) -> None:
    """Chinese fonts (East Asian typeface set explicitly; Word ignores the Latin one for 汉字)."""
    for name, font, size in (("Normal", FONT, 11), ("Title", HEADING_FONT, 20), ("Heading 1", HEADING_FONT, 15)):
        style = doc.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), font)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.5)


def _table(doc: Document, header: list[str], rows: list[list[str]], *, drop: str | None = None) -> None:
    if drop in header:  # e.g. 环比 of a year, which is the same comparison as 同比
        j = header.index(drop)
        header = header[:j] + header[j + 1 :]
        rows = [row[:j] + row[j + 1 :] for row in rows]
    texts = [["" if t is None or (not isinstance(t, str) and pd.isna(t)) else str(t) for t in row] for row in rows]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in texts:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    widths = column_widths(header, texts)
    for j, width in enumerate(widths):
        table.columns[j].width = Cm(width)
        for cell in table.columns[j].cells:  # Word reads the cells' widths, LibreOffice the grid's
            cell.width = Cm(width)
    whole = kept_whole(header, texts, widths)
    for i, row in enumerate(table.rows):
        _row_flag(row, "w:cantSplit")  # a row is never torn across two pages
        if i == 0:
            _row_flag(row, "w:tblHeader")  # repeated at the top of every page the table runs onto
        # The header stays on the page of the first data row; a short table stays whole (a last
        # row alone on the next page was seen in the LibreOffice render); a longer one runs on
        # with its header repeated, its last two rows together.
        if i <= 1 or (whole and i < len(texts)) or i == len(texts) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    doc.add_paragraph()


def kept_whole(header: list[str], rows: list[list[str]], widths: list[float]) -> bool:
    """Whether a table is short enough to keep on one page: up to WHOLE_TABLE_ROWS rows in up to
    WHOLE_TABLE_LINES lines. Kept whole, the annual report's ten hotspots (their lists of counties
    wrapping to five lines a row) filled a page of their own and left one with only the heading
    and the sentence before them."""

    def lines(row: list[str]) -> int:
        room = [max(w - CELL_MARGIN_CM, CHAR_CM) for w in widths]
        return max(-(-display_width(t) * CHAR_CM // r) for t, r in zip(row, room, strict=True)) or 1

    return len(rows) <= WHOLE_TABLE_ROWS and lines(header) + sum(map(lines, rows)) <= WHOLE_TABLE_LINES


def title_size(text: str, largest: float = 20.0) -> Pt:
    """The title's size: ``largest`` pt, smaller (down to 14) when that would not fit one line."""
    room = TEXT_WIDTH_CM / 2.54 * 72 - 12  # the text width in points, less a little for the font
    return Pt(max(14.0, min(largest, room * 2 / max(display_width(text), 1))))


def column_widths(header: list[str], rows: list[list[str]], total: float = TEXT_WIDTH_CM) -> list[float]:
    """Column widths in cm from what the columns hold. Each column first gets the room its header
    and widest cell need on one line; when the table fits, the spare room is shared out. When it
    does not, headers wrap onto two lines first (热度/得分), then the widest text columns give way
    (a list of counties wraps) down to a common width. A number, a percentage or a date never
    breaks: 占比 and 解决率 keep their room."""
    full, fit, least = [], [], []
    for j, head in enumerate(header):
        widest = max((display_width(row[j]) for row in rows), default=0)
        unbroken = max((display_width(row[j]) for row in rows if not _wraps(row[j])), default=0)
        full.append(_cm(max(display_width(head), widest)))
        least.append(_cm(max((display_width(head) + 1) // 2, unbroken, 4)))
        fit.append(max(least[-1], _cm(widest)))
    if sum(full) <= total:
        return [round(w * total / sum(full), 2) for w in full]
    if sum(fit) <= total:  # headers wrap as little as the room allows
        share = (total - sum(fit)) / (sum(full) - sum(fit))
        return [round(f + (w - f) * share, 2) for w, f in zip(full, fit, strict=True)]
    if sum(least) >= total:  # even squeezed the columns overflow: shrink all alike
        return [round(w * total / sum(least), 2) for w in least]
    low, high = 0.0, max(fit)  # the common width c with sum(min(fit, max(c, least))) == total
    for _ in range(40):
        cap = (low + high) / 2
        if sum(min(f, max(cap, m)) for f, m in zip(fit, least, strict=True)) > total:
            high = cap
        else:
            low = cap
    widths = [min(f, max(low, m)) for f, m in zip(fit, least, strict=True)]
    widths[widths.index(max(widths))] += total - sum(widths)  # what the search left over
    return [round(w, 2) for w in widths]


def _cm(units: int) -> float:
    """Room for ``units`` half-width characters of the 11 pt body text, with the cell's margins."""
    return max(MIN_COLUMN_CM, units * CHAR_CM + CELL_MARGIN_CM)


def _wraps(text: str) -> bool:
    """Whether a cell may break across lines: longer Chinese text may; a number, a date or a short
    phrase such as 增长 185.8% may not."""
    return display_width(text) > SHORT_CELL and any(display_width(ch) == 2 for ch in text)


def _row_flag(row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _lead(doc: Document, text: str) -> None:
    """A paragraph that introduces the chart or table after it: printed on the same page. (A chart
    too tall for the rest of a page had left its heading and sentence above a half-empty page in
    the LibreOffice render, 四、行业分布 of the 双十一 report.)"""
    doc.add_paragraph(text).paragraph_format.keep_with_next = True


def chart_figures(data: ReportData) -> dict[str, go.Figure]:
    """The report's charts, built by the app's chart builders (the 总览 page's county and sector
    charts, the hotspot trend's look for 本期 against 去年同期)."""
    period, source = f"{data.period.label}（{data.period.span}）", data.source
    return {
        "trend": overview.period_trend(
            data.trend, last_year=data.last_year.label if data.last_year else "", period=period, source=source
        ),
        "counties": overview.county_counts(
            data.counties.rename(columns={"count": "complaints"}), period=period, source=source
        ),
        "sectors": overview.top_sectors(
            data.sectors.head(10).rename(columns={"count": "complaints"}), period=period, source=source
        ),
    }


def _chart_images(data: ReportData) -> tuple[dict[str, bytes], str]:
    """PNG per chart, or no images and the sentence that stands in for them."""
    figures = chart_figures(data)
    try:
        return dict(zip(figures, images.render(list(figures.values())), strict=True)), ""
    except images.ChartsUnavailable as exc:
        return {}, exc.zh


def _picture(doc: Document, png: bytes | None, missing: str = "") -> None:
    if png:
        doc.add_picture(io.BytesIO(png), width=Cm(PICTURE_WIDTH_CM))
        doc.paragraphs[-1].paragraph_format.keep_with_next = True  # the chart on the page of its table
    elif missing:
        doc.add_paragraph(missing)
