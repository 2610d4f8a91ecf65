"""The periodic analysis report (.docx) for a month, quarter, year or holiday window.

Sections: overview with 环比/同比, trend, counties, sectors, hotspots, on-time closure, businesses.
Each has written sentences and a table; a chart image (``pngchart``) is added beside the trend,
county and sector tables when a Chinese font is available to draw it (python-docx has no native
charts; the numbers are always in the tables).
"""

from __future__ import annotations

import io

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from analytics.exporting import pngchart
from analytics.exporting.data import ReportData
from analytics.exporting.text import (
    change_phrase,
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


def build_docx(data: ReportData, *, charts: bool = True) -> bytes:
    doc = Document()
    _styles(doc)
    no_mom = "环比" if data.period.kind == "year" else None  # a year's 环比 would repeat its 同比
    title = doc.add_heading(data.provenance.titled(f"{data.region}{data.period.label}消费投诉举报分析报告"), level=0)
    if data.provenance.mark:  # the page header repeats it on every printed page
        doc.sections[0].header.paragraphs[0].text = data.provenance.titled("")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = doc.add_paragraph(
        f"统计时段：{data.period.span}　数据来源：{data.source}　生成日期：{data.generated_at:%Y-%m-%d}"
    )
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("一、总体情况", level=1)
    doc.add_paragraph(overview_paragraph(data))
    _table(
        doc,
        ["指标", "本期", "环比", "同比"],
        [[r["name"], r["text"], r["previous"], r["last_year"]] for r in headline_rows(data)],
        drop=no_mom,
    )

    doc.add_heading("二、受理量走势", level=1)
    doc.add_paragraph(trend_paragraph(data))
    if charts:
        series = {"本期": data.trend["count"].tolist()}
        if data.last_year is not None:
            series["去年同期"] = data.trend["last_year"].tolist()
        _picture(doc, pngchart.line_chart(data.trend["label"].tolist(), series, title="受理量走势"))
    _table(
        doc,
        ["时段", "本期（件）", "去年同期（件）"],
        [[lab, fmt_int(n), fmt_int(m)] for lab, n, m in data.trend[["label", "count", "last_year"]].itertuples(False)],
    )

    doc.add_heading("三、区县分布", level=1)
    doc.add_paragraph(county_paragraph(data))
    if charts:
        _picture(
            doc, pngchart.bar_chart(data.counties["county"].tolist(), data.counties["count"].tolist(), "各区县受理量")
        )
    _table(
        doc,
        ["区县", "本期（件）", "每万人", "环比", "同比"],
        [
            [r.county, fmt_int(r.count), "—" if pd.isna(r.per_10k) else f"{r.per_10k:.2f}",
             change_phrase(r.count, r.previous), change_phrase(r.count, r.last_year)]
            for r in data.counties.itertuples()
        ],
        drop=no_mom,
    )  # fmt: skip

    doc.add_heading("四、行业分布", level=1)
    doc.add_paragraph(sector_paragraph(data))
    top = data.sectors.head(10)
    if charts:
        _picture(doc, pngchart.bar_chart(top["sector"].tolist(), top["count"].tolist(), "主要行业受理量"))
    _table(
        doc,
        ["行业", "监管部门", "本期（件）", "占比", "环比", "同比"],
        [
            [r.sector, r.regulator, fmt_int(r.count), fmt_pct(r.share),
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
        doc.add_paragraph(
            f"按热度得分排序，本期排名前 {len(data.hotspots)} 的问题如下表，其中 {len(shortlisted)} 个列入热点短名单："
            + "；".join(hotspot_sentence(r, data).rstrip("。") for _, r in shortlisted.iterrows())
            + "。"
        )
        _table(
            doc,
            ["排名", "热点问题", "热度得分", "投诉量", "去年同期", "涉及区县", "监管部门"],
            [
                [str(r.rank), r.label, f"{float(r.score):.1f}", fmt_int(r.count), fmt_int(r.last_year),
                 r.counties, r.regulator]
                for r in data.hotspots.itertuples()
            ],
            drop=no_mom,
    )  # fmt: skip

    doc.add_heading("六、办理时效", level=1)
    doc.add_paragraph(timeliness_paragraph(data))
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
        doc.add_paragraph(
            f"本期被投诉最多的经营者是{ranking_phrase(b.rename(columns={'complaints': 'count'}), 'business')}。"
        )
        _table(
            doc,
            ["排名", "经营者", "行业", "投诉量（件）", "解决率"],
            [
                [str(r.rank), r.business, r.sector, fmt_int(r.complaints), fmt_pct(r.resolution_rate)]
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
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    doc.add_paragraph()


def _picture(doc: Document, png: bytes | None) -> None:
    if png:
        doc.add_picture(io.BytesIO(png), width=Cm(15.5))
