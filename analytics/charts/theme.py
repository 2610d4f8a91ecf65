"""One look for every chart: fixed colours per county, sector, channel and kind; Chinese fonts;
titles that state the period and the data source."""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go
import plotly.io as pio

from analytics.profile import RegionProfile, load_profile

# Every chart's template, made plotly's default here: plotly applies its default to a new figure
# without validating it again, while assigning it to a figure copies and checks the whole template
# (26 ms against 1.3 ms a chart, the same figure); the app builds a dozen charts after an import.
TEMPLATE = "plotly_white"
pio.templates.default = TEMPLATE

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"

# A long qualitative palette (Plotly's D3 + Set3-like extension) so 25+ sectors keep distinct colours.
PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
    "#e6550d", "#31a354", "#756bb1", "#636363", "#9c9ede", "#cedb9c", "#e7cb94", "#e7969c",
    "#de9ed6", "#6baed6", "#fd8d3c", "#74c476",
]  # fmt: skip
SOURCE_COLOURS = {"12345": "#1f77b4", "12315": "#d62728", "消委会": "#2ca02c"}
KIND_COLOURS = {
    "咨询": "#17becf", "求助": "#2ca02c", "建议": "#bcbd22", "投诉": "#d62728", "举报": "#9467bd", "其他": "#7f7f7f",
}  # fmt: skip
TARGET_COLOUR = "#d62728"
ON_TARGET_COLOUR = "#2ca02c"  # a rate that reaches its target
BELOW_TARGET_COLOUR = "#d62728"
# A period against the same period a year earlier: this period bold red, the year before dotted grey.
CURRENT_COLOUR = "#d62728"
EARLIER_COLOUR = "#9e9e9e"
# Date axes in Chinese (plotly's default ticks read "Jan 2025"); "-" drops the leading zero.
MONTH_FORMAT = "%Y年%-m月"
DAY_FORMAT = "%Y年%-m月%-d日"


def _by_position(names: Iterable[str]) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def county_colours(profile: RegionProfile | None = None) -> dict[str, str]:
    """The same colour for a county on every chart (the profile's order decides)."""
    return _by_position((profile or load_profile()).county_names)


def sector_colours(profile: RegionProfile | None = None) -> dict[str, str]:
    return _by_position((profile or load_profile()).sector_names)


def colour_map(dimension: str, values: Iterable[str] = ()) -> dict[str, str]:
    """Colours for a breakdown dimension (county, sector, source, kind; other dimensions by order)."""
    fixed = {
        "county": county_colours(),
        "sector": sector_colours(),
        "source": SOURCE_COLOURS,
        "kind": KIND_COLOURS,
    }.get(dimension, {})
    extra = list(dict.fromkeys(v for v in values if v not in fixed))
    # Values without a fixed colour (a channel named 市长热线 in a real export) take the palette's
    # colours the fixed ones do not use: counting on from len(fixed) gave the 4th channel 12315's red.
    free = [c for c in PALETTE if c not in set(fixed.values())] or PALETTE
    return {**fixed, **{v: free[i % len(free)] for i, v in enumerate(extra)}}


_SOURCE_GAP = "　数据来源"  # between the period and the data source in a finished title


def finish(fig: go.Figure, title: str, *, period: str = "", source: str = "") -> go.Figure:
    """Title with period and data source, Chinese font, compact margins. Returns the figure."""
    subtitle = "　".join(p for p in (period, f"数据来源：{source}" if source else "") if p)
    fig.update_layout(
        title={"text": title + (f"<br><sup>{subtitle}</sup>" if subtitle else ""), "x": 0.01},
        font={"family": FONT_FAMILY, "size": 13},
        margin={"l": 10, "r": 10, "t": 70 if subtitle else 50, "b": 10},
        legend={"title": {"text": ""}},
    )
    if pio.templates.default != TEMPLATE:  # someone in this process chose another default
        fig.update_layout(template=TEMPLATE)
    return fig


def presentation(fig: go.Figure, scale: float = 1.5) -> go.Figure:
    """Enlarge every font of a finished figure for the projector (presentation mode)."""
    base = (fig.layout.font.size or 13) * scale
    fig.update_layout(font={"size": base}, title={"font": {"size": base * 1.3}})
    title = fig.layout.title.text or ""
    if _SOURCE_GAP in title:  # at projector size period and source no longer fit on one line
        fig.update_layout(
            # Two subtitle lines; plotly places a title by its first line, hence the padding above it.
            title={
                "text": title.replace(_SOURCE_GAP, "</sup><br><sup>数据来源"),
                "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 1.5 * base},
            },
            margin={"t": (fig.layout.margin.t or 70) + 2 * base},
        )  # fmt: skip
    return fig


def empty(title: str, *, period: str = "", source: str = "") -> go.Figure:
    """A titled figure that says there is nothing to show (instead of an empty axis)."""
    fig = go.Figure()
    fig.add_annotation(text="所选条件下没有数据", showarrow=False, font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title, period=period, source=source)
