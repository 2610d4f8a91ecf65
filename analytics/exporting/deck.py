"""The joint-meeting briefing (联席会议) as .pptx with native, editable PowerPoint charts, in the
app's colours (``analytics.charts.theme``: a county's or sector's own colour, 本期 red beside a
dotted grey 去年同期, on-time rates green or red against the target), so deck, app and report look alike.

Slides: title; overview figures (table with 环比/同比); trend (line chart, this period beside the same
period last year); hotspot ranking; one slide per shortlisted hotspot (its complaints per county);
county and sector charts; on-time closure per county against the 98% target.
"""

from __future__ import annotations

import io
from dataclasses import replace

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.util import Emu, Inches, Pt

from analytics.charts.theme import (
    BELOW_TARGET_COLOUR,
    CURRENT_COLOUR,
    EARLIER_COLOUR,
    ON_TARGET_COLOUR,
    PALETTE,
)
from analytics.exporting import deck_charts as dc
from analytics.exporting.data import ReportData
from analytics.exporting.text import (
    change_phrase,
    display_width,
    fmt_int,
    fmt_pct,
    headline_rows,
    hotspot_sentence,
)
from analytics.queries import UNKNOWN

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
DENSE_CATEGORIES = 24  # more category labels than this are drawn smaller (a month's days)


def build_pptx(data: ReportData, *, max_hotspots: int = 5) -> bytes:
    data = replace(data, hotspots=public_labels(data.hotspots))
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _title_slide(prs, data)
    _overview_slide(prs, data)
    _trend_slide(prs, data)
    if len(data.hotspots):
        _ranking_slide(prs, data)
        for _, row in shortlisted(data).head(max_hotspots).iterrows():
            _hotspot_slide(prs, data, row)
    _county_slide(prs, data)
    _sector_slide(prs, data)
    _timeliness_slide(prs, data)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# --- slides ------------------------------------------------------------------------------------


def _title_slide(prs: Presentation, data: ReportData) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(1.0), Inches(2.0), WIDTH - Inches(2.0), Inches(1.8)
    title.text = data.provenance.titled(f"{data.region}消费投诉热点分析简报")
    title.text_frame.paragraphs[0].font.size = _title_size(title.text, title.width, largest=40)
    lines = [f"{data.period.label}（{data.period.span}）", f"数据来源：{data.source}"]
    if data.period.note:
        lines.insert(1, f"口径：{data.period.note}")
    if data.partial:
        lines.append(f"本期数据截至 {data.data_to}")
    lines.append(f"生成日期：{data.generated_at:%Y-%m-%d}")
    body = slide.placeholders[1]
    body.left, body.top, body.width, body.height = Inches(1.0), Inches(4.3), WIDTH - Inches(2.0), Inches(2.4)
    body.text = "\n".join(lines)
    for p in body.text_frame.paragraphs:
        p.font.size = Pt(20)
    dc.fonts(slide)


def _overview_slide(prs: Presentation, data: ReportData) -> None:
    slide = _titled(prs, data, f"总体情况　{data.period.label}")
    rows = headline_rows(data)
    # A year's previous period is last year: one comparison column, 同比.
    columns = [("指标", "name"), ("本期", "text"), ("环比", "previous"), ("同比", "last_year")]
    if data.period.kind == "year":
        columns.remove(("环比", "previous"))
    shape = slide.shapes.add_table(
        len(rows) + 1, len(columns), Inches(0.6), Inches(1.4), Inches(12.1), Inches(0.45) * (len(rows) + 1)
    )
    table = shape.table
    for j, (head, key) in enumerate(columns):
        table.cell(0, j).text = head
        for i, r in enumerate(rows, start=1):
            table.cell(i, j).text = r[key]
    table.columns[0].width = Inches(3.1)
    for j in range(1, len(columns)):
        table.columns[j].width = Inches(9.0 / (len(columns) - 1))
    dc.fonts(slide, size=Pt(16))


def _trend_slide(prs: Presentation, data: ReportData) -> None:
    slide = _titled(prs, data, f"受理量走势　{data.period.label}")
    chart_data = CategoryChartData()
    chart_data.categories = list(data.trend["label"])
    chart_data.add_series("本期", dc.ints(data.trend["count"]))
    if data.last_year is not None:
        chart_data.add_series(f"去年同期（{data.last_year.label}）", dc.ints(data.trend["last_year"]))
    chart = dc.add_chart(slide, XL_CHART_TYPE.LINE_MARKERS, chart_data, legend=True, unit="受理量（件）")
    dc.whole_numbers(chart)
    if len(data.trend) > DENSE_CATEGORIES:  # a month's 30 days: 11/1 … at 12 pt broke after the slash
        chart.category_axis.tick_labels.font.size = Pt(9)
    dc.paint(chart, [CURRENT_COLOUR, EARLIER_COLOUR], line=True)
    if chart.plots[0].has_data_labels:  # 本期's numbers above its points; 去年同期's would overlap them
        chart.plots[0].data_labels.position = XL_LABEL_POSITION.ABOVE
        for series in list(chart.plots[0].series)[1:]:
            series.data_labels.show_value = False
    _note(slide, data)


def _ranking_slide(prs: Presentation, data: ReportData) -> None:
    slide = _titled(prs, data, f"热点问题排行　{data.period.label}")
    top = data.hotspots.head(dc.MAX_CATEGORIES)
    chart_data = CategoryChartData()
    # Bar charts draw the first category at the bottom: reverse so rank 1 is on top.
    chart_data.categories = [f"{int(r)}. {lab}" for r, lab in zip(top["rank"], top["label"], strict=True)][::-1]
    chart_data.add_series("热度得分", [round(float(s), 1) for s in top["score"]][::-1])
    dc.add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, chart_data, number_format="0.0")
    _note(slide, data, "热度得分综合投诉量、增长、覆盖面、集中度、严重性、持续性、办理难度与关注度。")


def _hotspot_slide(prs: Presentation, data: ReportData, row: pd.Series) -> None:
    slide = _titled(prs, data, f"热点{int(row['rank'])}：{row['label']}")
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.3), Inches(4.6), Inches(5.6)).text_frame
    box.word_wrap = True
    box.text = hotspot_sentence(row, data)
    for line in (
        f"热度得分：{float(row['score']):.1f}",
        f"投诉量：{fmt_int(row['count'])} 件（{fmt_int(row['matters'])} 个事项）",
        f"涉及区县：{row['counties'] or '—'}",
        f"涉及行业：{row['sectors'] or '—'}",
        f"监管部门：{row['regulator'] or '—'}",
        f"关键词：{row['keywords'] or '—'}",
        *([f"排名理由：{row['why']}"] if isinstance(row.get("why"), str) and row.get("why") else []),
    ):
        box.add_paragraph().text = line
    per_county = hotspot_counties(data, int(row["rank"]))
    if len(per_county):
        # Bars across, most complaints on top (bars draw bottom up): a county's full name stands
        # beside its bar. Under columns, 连南瑶族自治县 ran into its neighbours' names in the
        # LibreOffice render of the 双十一 deck.
        per_county = per_county[::-1]
        chart_data = CategoryChartData()
        chart_data.categories = list(per_county.index)
        chart_data.add_series("各区县投诉量（件）", dc.ints(per_county))
        # One series in one colour per county: a legend would show one colour for them all.
        chart = dc.add_chart(
            slide, XL_CHART_TYPE.BAR_CLUSTERED, chart_data, left=Inches(5.4), width=Inches(7.5), unit="投诉量（件）"
        )
        dc.whole_numbers(chart)
        dc.paint(chart, [dc.by_value("county", per_county.index)])
    dc.fonts(slide, size=Pt(15))


def _county_slide(prs: Presentation, data: ReportData) -> None:
    slide = _titled(prs, data, f"各区县受理量　{data.period.label}")
    c = data.counties
    chart_data = CategoryChartData()
    chart_data.categories = list(c["county"])
    chart_data.add_series("本期", dc.ints(c["count"]))
    if data.previous is not None:
        chart_data.add_series(f"上期（{data.previous.label}）", dc.ints(c["previous"]))
    if data.last_year is not None:
        chart_data.add_series(f"去年同期（{data.last_year.label}）", dc.ints(c["last_year"]))
    chart = dc.add_chart(
        slide, XL_CHART_TYPE.COLUMN_CLUSTERED, chart_data, legend=True, height=Inches(4.6), unit="受理量（件）"
    )
    dc.whole_numbers(chart)
    # One series: each county in its colour (as in the app); with comparisons, 本期 / 上期 / 去年同期.
    alone = data.previous is None and data.last_year is None
    dc.paint(chart, [dc.by_value("county", c["county"])] if alone else _comparison_colours(data))
    per_10k = "；".join(f"{county} {v:.1f}" for county, v in zip(c["county"], c["per_10k"], strict=True) if pd.notna(v))
    _note(slide, data, f"每万人受理量：{per_10k}" if per_10k else "")


def _sector_slide(prs: Presentation, data: ReportData) -> None:
    slide = _titled(prs, data, f"主要行业受理量　{data.period.label}")
    top = data.sectors.head(dc.MAX_CATEGORIES)
    chart_data = CategoryChartData()
    chart_data.categories = list(top["sector"])[::-1]
    # Bars draw a category's series bottom up: 去年同期 first puts 本期 on top of each pair (it was
    # below, its legend entry second, unlike the county slide).
    if data.last_year is not None:
        chart_data.add_series(f"去年同期（{data.last_year.label}）", dc.ints(top["last_year"])[::-1])
    chart_data.add_series("本期", dc.ints(top["count"])[::-1])
    chart = dc.add_chart(
        slide, XL_CHART_TYPE.BAR_CLUSTERED, chart_data, legend=data.last_year is not None, unit="受理量（件）"
    )
    dc.whole_numbers(chart)
    alone = [dc.by_value("sector", list(top["sector"])[::-1])]
    dc.paint(chart, alone if data.last_year is None else [EARLIER_COLOUR, CURRENT_COLOUR])
    _note(slide, data)


def _timeliness_slide(prs: Presentation, data: ReportData) -> None:
    rate = data.on_time.get("on_time_rate")
    verdict = (
        "" if rate is None else ("，达到" if rate >= data.target else "，未达到") + f" {fmt_pct(data.target)} 目标"
    )
    slide = _titled(prs, data, f"按时办结率　{fmt_pct(rate)}{verdict}")
    frame = timeliness_chart_frame(data)
    chart_data = CategoryChartData(number_format="0.0%")
    chart_data.categories = list(frame["group"])
    chart_data.add_series("按时办结率", [float(v) for v in frame["on_time_rate"]])
    # One series coloured by the verdict; the target is in the title and the note. (A second
    # series of target bars was drawn in the same red as a county below target.)
    chart = dc.add_chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, chart_data, number_format="0.0%", unit="按时办结率")
    dc.paint(chart, [[ON_TARGET_COLOUR if v >= data.target else BELOW_TARGET_COLOUR for v in frame["on_time_rate"]]])
    chart.value_axis.tick_labels.number_format = "0%"
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.maximum_scale = 1.0  # a rate ends at 100% (the axis had run on to 120%)
    _note(
        slide,
        data,
        f"绿色：达到 {fmt_pct(data.target)} 目标；红色：未达到。"
        f"按时办结率 = 按时办结 ÷（按时办结 + 超期办结 + 超期未办结）；统计截至 {data.on_time.get('as_of')}。",
    )


# --- data shaping (public so tests compare the charts with the engine) ------------------------


def public_labels(hotspots: pd.DataFrame) -> pd.DataFrame:
    """Hotspots with the label a meeting reads: the analyst's, or one that reads as a phrase, else
    the main sector's issue (``analytics.topics.labels.public_label``), never a raw fragment."""
    if hotspots.empty or "label_curated" not in hotspots:
        return hotspots
    from analytics.topics.labels import public_label  # loads the segmenter: only with hotspots

    labels = [
        public_label(str(label), curated=bool(curated), sector=sector or None)
        for label, curated, sector in zip(
            hotspots["label"], hotspots["label_curated"], hotspots["main_sector"], strict=True
        )
    ]
    return hotspots.assign(label=labels)


def shortlisted(data: ReportData) -> pd.DataFrame:
    """The hotspots on the engine's shortlist (all listed ones when the flag is absent)."""
    h = data.hotspots
    return h[h["shortlisted"].astype(bool)] if "shortlisted" in h else h


def hotspot_counties(data: ReportData, rank: int) -> pd.Series:
    """Member complaints of hotspot ``rank`` per county, most first."""
    members = data.members[data.members["rank"] == rank]
    return members["county"].fillna(UNKNOWN).value_counts().head(dc.MAX_CATEGORIES)


def timeliness_chart_frame(data: ReportData) -> pd.DataFrame:
    """Counties with something due, in the engine's order (lowest rate first)."""
    frame = data.on_time_counties
    return frame[frame["on_time_rate"].notna()].head(dc.MAX_CATEGORIES).reset_index(drop=True)


# --- helpers -----------------------------------------------------------------------------------


def _titled(prs: Presentation, data: ReportData, title: str):
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    shape = slide.shapes.title
    # The layout's title box is the 4:3 template's (9 in from the left): span the charts' width.
    top, height = shape.top, shape.height  # inherited from the layout: set all four together
    shape.left, shape.top, shape.width, shape.height = Inches(0.6), top, WIDTH - Inches(1.2), height
    shape.text = data.provenance.titled(title)  # 【演示数据】 on every slide of a demo deck
    shape.text_frame.paragraphs[0].font.size = _title_size(shape.text, shape.width)
    return slide


def _title_size(text: str, width: Emu, largest: int = 30) -> Pt:
    """The largest size up to ``largest`` pt at which ``text`` fits on one line of ``width`` (less
    an inch of margins): a long title (a verdict, a long region name) would otherwise wrap."""
    room = (width - Inches(1.0)) / Pt(1)  # in points
    return Pt(max(18, min(largest, int(room * 2 / max(display_width(text), 1)))))


def _comparison_colours(data: ReportData) -> list[str]:
    """本期, then 上期 and 去年同期 where the deck shows them."""
    return [CURRENT_COLOUR, *([PALETTE[1]] if data.previous is not None else []), EARLIER_COLOUR]


def _note(slide, data: ReportData, text: str = "") -> None:
    parts = [p for p in (text, f"数据来源：{data.source}；时段：{data.period.span}") if p]
    box = slide.shapes.add_textbox(Inches(0.6), HEIGHT - Inches(0.8), WIDTH - Inches(1.2), Inches(0.6)).text_frame
    box.word_wrap = True
    box.text = "\n".join(parts)
    for p in box.paragraphs:
        p.font.size = Pt(11)
        p.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    dc.fonts(slide)


__all__ = ["build_pptx", "change_phrase", "hotspot_counties", "timeliness_chart_frame"]
