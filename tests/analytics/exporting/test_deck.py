"""The joint-meeting deck (.pptx): native charts equal the engine's numbers, in the app's colours,
legible as rendered."""

from __future__ import annotations

import pytest
from docx.oxml.ns import qn
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Pt

from analytics import timeliness
from analytics.exporting import deck_charts
from analytics.exporting.data import gather
from analytics.exporting.text import display_width
from analytics.periods import parse_period
from analytics.queries import overview
from tests.analytics.exporting.conftest import deck_slides


def _chart(slide):
    charts = [sh.chart for sh in slide.shapes if sh.has_chart]
    assert charts, "slide without a native chart"
    return charts[0]


def test_pptx_slides_and_native_charts_equal_the_engines(con, quarter):
    slides, _ = deck_slides(quarter)
    titles = list(slides)
    assert titles[0] == "清远市消费投诉热点分析简报"
    # One slide per shortlisted hotspot (rank 3 is not shortlisted).
    assert [t for t in titles if t.startswith("热点") and "：" in t] == [
        '热点1：=HYPERLINK("x")',
        "热点2：预付卡退费难",
    ]
    for title in titles[2:]:
        if not title.startswith("总体"):
            _chart(slides[title])
    # County chart: the overview engine's counts, most first.
    county = _chart(next(s for t, s in slides.items() if t.startswith("各区县")))
    engine = overview.county_counts(con, quarter.period.filters())
    engine = engine[engine["complaints"] > 0].sort_values("complaints", ascending=False, kind="stable")
    assert list(county.plots[0].categories) == engine["county"].tolist()
    assert list(county.series[0].values) == [float(v) for v in engine["complaints"]]
    last_year = overview.county_counts(con, parse_period("2023Q3").filters()).set_index("county")["complaints"]
    assert list(county.series[2].values) == [float(last_year[c]) for c in engine["county"]]
    # On-time closure: the timeliness engine's rates per county beside the 98% target.
    rates = timeliness.rates(con, by="county", filters=quarter.period.filters())
    rates = rates[rates["on_time_rate"].notna()]
    chart = _chart(next(s for t, s in slides.items() if t.startswith("按时办结率")))
    assert list(chart.plots[0].categories) == rates["group"].tolist()[: deck_charts.MAX_CATEGORIES]
    assert list(chart.series[0].values) == pytest.approx([float(r) for r in rates["on_time_rate"]][:12])
    # The target is in the title and the note, not a second series of bars (once drawn in the
    # same red as a county below it).
    assert len(chart.series) == 1 and not chart.has_legend
    # Hotspot slide: its members per county.
    hot = _chart(slides["热点2：预付卡退费难"])
    members = quarter.members[quarter.members["rank"] == 2]["county"].value_counts()
    assert dict(zip(hot.plots[0].categories, hot.series[0].values, strict=True)) == {
        k: float(v) for k, v in members.items()
    }


def test_pptx_trend_of_a_year_equals_monthly_counts(con):
    period = parse_period("2024")
    data = gather(con, period, with_hotspots=False)
    slides, _ = deck_slides(data)
    trend = _chart(next(s for t, s in slides.items() if t.startswith("受理量走势")))
    monthly = overview.monthly_by_source(con, period.filters()).groupby("month")["complaints"].sum()
    assert list(trend.series[0].values) == [float(v) for v in monthly]
    previous = overview.monthly_by_source(con, parse_period("2023").filters()).groupby("month")["complaints"].sum()
    assert list(trend.series[1].values) == [float(v) for v in previous]
    assert not any(t.startswith("热点1") for t in slides)  # no hotspots given, no hotspot slides
    # Twelve months are labelled: 本期's numbers only, since 去年同期's were printed over them.
    assert trend.plots[0].has_data_labels
    earlier = trend.plots[0].series[1]._element.dLbls
    assert earlier is not None and earlier.find(qn("c:showVal")).get("val") in ("0", "false")


def test_pptx_of_a_month_as_rendered(con):
    """The LibreOffice render of the November deck: 11/1 … 11/30 at 12 pt broke after the slash
    onto two lines; the on-time rates' axis ran on to 120%."""
    slides, _ = deck_slides(gather(con, parse_period("2024-11"), with_hotspots=False))
    trend = _chart(next(s for t, s in slides.items() if t.startswith("受理量走势")))
    assert len(trend.plots[0].categories) == 30
    assert trend.category_axis.tick_labels.font.size == Pt(9)
    on_time = _chart(next(s for t, s in slides.items() if t.startswith("按时办结率")))
    assert on_time.value_axis.maximum_scale == 1.0


def test_deck_shows_phrases_or_the_sectors_issue_never_a_fragment(quarter):
    """A hotspot whose label is a raw fragment is presented as its main sector's issue; the analyst's
    own label and labels that read as phrases are shown as they are."""
    from dataclasses import replace

    hot = quarter.hotspots.assign(
        label=["教育突然", "预付卡退费难", "里面头发"],
        shortlisted=[True, True, True],
        main_sector=["教育培训", "美容美发", "餐饮"],
        label_curated=[False, False, True],
    )
    slides, prs = deck_slides(replace(quarter, hotspots=hot))
    assert [t for t in slides if t.startswith("热点") and "：" in t] == [
        "热点1：教育培训类问题",
        "热点2：预付卡退费难",
        "热点3：里面头发",  # the analyst named it so
    ]
    ranking = _chart(slides[next(t for t in slides if t.startswith("热点问题排行"))])
    assert "1. 教育培训类问题" in list(ranking.plots[0].categories)
    text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "教育突然" not in text


def test_deck_charts_use_the_apps_colours(quarter):
    from analytics.charts.theme import (
        BELOW_TARGET_COLOUR,
        CURRENT_COLOUR,
        EARLIER_COLOUR,
        ON_TARGET_COLOUR,
        county_colours,
    )

    slides, _ = deck_slides(quarter)

    def rgb(fill) -> str:
        return "#" + str(fill.fore_color.rgb).lower()

    trend = _chart(next(s for t, s in slides.items() if t.startswith("受理量走势"))).plots[0].series
    assert str(trend[0].format.line.color.rgb).lower() == CURRENT_COLOUR[1:]
    assert str(trend[1].format.line.color.rgb).lower() == EARLIER_COLOUR[1:] and trend[1].format.line.dash_style
    county = _chart(next(s for t, s in slides.items() if t.startswith("各区县"))).plots[0].series
    assert rgb(county[0].format.fill) == CURRENT_COLOUR and rgb(county[-1].format.fill) == EARLIER_COLOUR
    hot = _chart(slides["热点2：预付卡退费难"])
    names = list(hot.plots[0].categories)
    points = hot.plots[0].series[0].points
    assert [rgb(points[i].format.fill) for i in range(len(names))] == [county_colours()[n] for n in names]
    on_time = _chart(next(s for t, s in slides.items() if t.startswith("按时办结率")))
    points = on_time.plots[0].series[0].points
    verdicts = [ON_TARGET_COLOUR if v >= 0.98 else BELOW_TARGET_COLOUR for v in on_time.series[0].values]
    assert [rgb(points[i].format.fill) for i in range(len(verdicts))] == verdicts


def test_deck_is_legible_as_rendered(quarter):
    """What the LibreOffice render of the deck showed (the trend's overlapping numbers are tested
    with a year's trend above): charts without the unit they count, a per-county chart whose legend gave all
    counties one colour, and a title (按时办结率 …，未达到 98.0% 目标) wrapped onto the chart."""
    slides, prs = deck_slides(quarter)
    for start in ("受理量走势", "各区县受理量", "主要行业受理量"):
        chart = _chart(next(s for t, s in slides.items() if t.startswith(start)))
        assert chart.value_axis.has_title and "件" in chart.value_axis.axis_title.text_frame.text
    sectors = _chart(next(s for t, s in slides.items() if t.startswith("主要行业受理量")))
    names = [series.name for series in sectors.plots[0].series]  # 本期 drawn on top of each pair
    assert names == [f"去年同期（{quarter.last_year.label}）", "本期"]
    assert list(sectors.plots[0].series[1].values) == [float(v) for v in quarter.sectors["count"].head(12)][::-1]
    hot = _chart(slides["热点2：预付卡退费难"])
    assert not hot.has_legend
    # Bars across, most complaints on top: long county names (连南瑶族自治县) ran into each other
    # under columns in the render of the 双十一 deck.
    assert hot.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert list(hot.series[0].values) == sorted(hot.series[0].values)
    # A hotspot's few complaints per county: whole-number steps, not 0.5, 1.5, …
    if max(hot.series[0].values) <= 10:
        assert hot.value_axis.major_unit == 1
    assert hot.value_axis.tick_labels.number_format == "0"
    for slide in prs.slides:  # one line: the text's width at its size within the title box
        title = slide.shapes.title
        size = title.text_frame.paragraphs[0].font.size
        assert size is not None and size.pt * display_width(title.text) / 2 <= title.width / Pt(1) - 72, title.text
