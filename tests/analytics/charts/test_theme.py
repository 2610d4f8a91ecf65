"""Chart theme: Chinese date ticks and one distinct colour per channel."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analytics.charts import overview, theme


def test_month_axis_reads_in_chinese() -> None:
    frame = pd.DataFrame(
        {"month": pd.to_datetime(["2025-01-01", "2025-02-01"]), "source": ["12345", "12345"], "complaints": [3, 4]}
    )
    fig = overview.monthly_by_source(frame)
    assert fig.layout.xaxis.tickformat == theme.MONTH_FORMAT == "%Y年%-m月"


def test_every_channel_has_its_own_colour() -> None:
    channels = ["12345", "12315", "消委会", "市长热线", "全国12315平台", "信访"]
    colours = theme.colour_map("source", channels)
    assert len({colours[c] for c in channels}) == len(channels)
    assert colours["12315"] == theme.SOURCE_COLOURS["12315"]  # fixed ones keep their colour on every chart


def test_presentation_puts_the_data_source_on_its_own_line() -> None:
    """At projector size the period and the data source (演示数据（合成…）) no longer fit one line in
    a half-width column: the source gets its own line and the top margin grows to hold it."""
    frame = pd.DataFrame({"county": ["清城区"], "complaints": [3], "per_10k": [1.0]})
    fig = overview.county_counts(
        frame, period="2025-01-01 至 2025-12-31", source="演示数据（合成，不代表真实投诉情况）"
    )
    before = fig.layout.margin.t
    big = theme.presentation(fig)
    assert big.layout.title.text.endswith(
        "2025-01-01 至 2025-12-31</sup><br><sup>数据来源：演示数据（合成，不代表真实投诉情况）</sup>"
    )
    assert big.layout.margin.t > before and big.layout.font.size > 13
    plain = theme.presentation(overview.county_counts(frame))  # no subtitle: nothing to split
    assert "<br>" not in plain.layout.title.text


def test_every_chart_has_the_one_template() -> None:
    """finish() leaves the template to plotly's default (set once, applied without re-validation):
    a chart still carries plotly_white, and does when someone changed the default."""
    expected = pio.templates[theme.TEMPLATE].to_plotly_json()
    assert theme.finish(go.Figure(go.Bar(x=[1], y=[2])), "标题").layout.template.to_plotly_json() == expected
    try:
        pio.templates.default = "plotly"
        assert theme.finish(go.Figure(go.Bar(x=[1], y=[2])), "标题").layout.template.to_plotly_json() == expected
    finally:
        pio.templates.default = theme.TEMPLATE
