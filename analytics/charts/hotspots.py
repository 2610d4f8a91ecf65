"""Charts of the hotspot ranking: score breakdown, per-hotspot trend, counties, sectors, event hotness."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.theme import CURRENT_COLOUR, EARLIER_COLOUR, MONTH_FORMAT, PALETTE, colour_map, finish
from analytics.hotspots.events import HOTNESS_LABELS, HOTNESS_WEIGHTS
from analytics.hotspots.scoring import COMPONENTS

COMPONENT_COLOURS = {c: PALETTE[i] for i, c in enumerate(COMPONENTS)}


def score_breakdown(
    ranking: pd.DataFrame, components: pd.DataFrame, *, top: int = 10, period: str = "", source: str = ""
) -> go.Figure:
    """Horizontal stacked bars: each hotspot's score split into its weighted components."""
    head = ranking.head(top)
    order = [f"{r.rank}. {r.label}" for r in head.itertuples()]
    names = dict(zip(head["topic_id"], order, strict=True))
    data = components[components["topic_id"].isin(names)].assign(hotspot=lambda d: d["topic_id"].map(names))
    fig = go.Figure()
    for component in COMPONENTS:
        part = data[data["component"] == component]
        if part.empty:
            continue
        fig.add_bar(
            y=part["hotspot"], x=part["contribution"], orientation="h", name=str(part["label"].iloc[0]),
            marker_color=COMPONENT_COLOURS[component], customdata=part[["value", "weight"]],
            hovertemplate="%{y}<br>%{fullData.name}：%{x:.1f} 分（分项 %{customdata[0]:.2f} × 权重 %{customdata[1]:g}）"
            "<extra></extra>",
        )  # fmt: skip
    shortlisted = head.loc[head["shortlisted"], "topic_id"].map(names).tolist()
    fig.update_layout(
        barmode="stack",
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "title": ""},
        xaxis={"title": "得分（满分 100）"},
        legend={"orientation": "h", "y": -0.15},
        height=max(320, 40 * len(order) + 140),
    )
    title = "热点问题得分构成"
    if shortlisted:
        # The count goes in the title and a dashed line under the last shortlisted bar marks the cut:
        # a note inside the plot area sat on top of bar 1 (the longest).
        title += f"（前 {len(shortlisted)} 个为重点热点，虚线以上）"
        if len(shortlisted) < len(order):
            cut = len(order) - len(shortlisted) - 0.5  # category positions count from the bottom bar
            fig.add_shape(
                type="line", xref="paper", x0=0, x1=1, yref="y", y0=cut, y1=cut,
                line={"color": "#555555", "width": 1.5, "dash": "dash"},
            )  # fmt: skip
    return finish(fig, title, period=period, source=source)


def hotspot_trend(
    trend: pd.DataFrame, label: str, *, topic_id: int | None = None, period: str = "", source: str = ""
) -> go.Figure:
    """Monthly complaints of one hotspot: the period against the same months a year earlier
    (``trend`` of that hotspot, or of every topic and ``topic_id`` picks one)."""
    data = (trend if topic_id is None else trend[trend["topic_id"] == topic_id]).copy()
    data["month"] = pd.to_datetime(data["month"])
    current = data[data["in_period"]]
    earlier = data[~data["in_period"]].assign(month=lambda d: d["month"] + pd.DateOffset(years=1))
    fig = go.Figure()
    fig.add_scatter(
        x=earlier["month"], y=earlier["n"], name="上年同期", mode="lines+markers",
        line={"color": EARLIER_COLOUR, "dash": "dot"}, hovertemplate="上年同月：%{y:,} 件<extra></extra>",
    )  # fmt: skip
    fig.add_scatter(
        x=current["month"], y=current["n"], name="本期", mode="lines+markers",
        line={"color": CURRENT_COLOUR, "width": 3}, hovertemplate="%{x|%Y-%m}：%{y:,} 件<extra></extra>",
    )  # fmt: skip
    fig.update_layout(
        xaxis={"title": "月份", "tickformat": MONTH_FORMAT}, yaxis={"title": "投诉件数", "rangemode": "tozero"}
    )
    return finish(fig, f"{label}：月度投诉量", period=period, source=source)


def _dimension_bar(frame: pd.DataFrame, dimension: str, title: str, period: str, source: str) -> go.Figure:
    data = frame.sort_values("n", ascending=True)
    colours = colour_map(dimension, data["value"].tolist())
    bar_colours = [colours.get(v, "#7f7f7f") for v in data["value"]]
    fig = go.Figure(
        go.Bar(
            y=data["value"], x=data["n"], orientation="h", marker_color=bar_colours,
            hovertemplate="%{y}：%{x:,} 件<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(xaxis={"title": "投诉件数"}, yaxis={"title": ""}, height=max(260, 30 * len(data) + 120))
    return finish(fig, title, period=period, source=source)


def hotspot_counties(
    breakdowns: pd.DataFrame, topic_id: int, label: str, *, period: str = "", source: str = ""
) -> go.Figure:
    """Complaints of one hotspot per county (fixed county colours)."""
    data = breakdowns[(breakdowns["topic_id"] == topic_id) & (breakdowns["dimension"] == "county")]
    return _dimension_bar(data, "county", f"{label}：区县分布", period, source)


def hotspot_sectors(
    breakdowns: pd.DataFrame, topic_id: int, label: str, *, period: str = "", source: str = ""
) -> go.Figure:
    """Complaints of one hotspot per sector (fixed sector colours)."""
    data = breakdowns[(breakdowns["topic_id"] == topic_id) & (breakdowns["dimension"] == "sector")]
    return _dimension_bar(data, "sector", f"{label}：行业分布", period, source)


def event_hotness(events: pd.DataFrame, *, top: int = 15, period: str = "", source: str = "") -> go.Figure:
    """Horizontal stacked bars: each event's hotness split into its parts (complaints, likes, burst)."""
    head = events.head(top)
    order = [f"{r.rank}. {r.label}" for r in head.itertuples()]
    has_support = bool(len(head)) and head["support_known"].max() > 0
    used = [k for k in HOTNESS_WEIGHTS if has_support or k != "support"]
    top_index = float(events["index"].max()) if len(events) else 1.0
    fig = go.Figure()
    for i, part in enumerate(used):
        fig.add_bar(
            y=order, x=100 * head[part] / (top_index or 1.0), orientation="h", name=HOTNESS_LABELS[part],
            marker_color=PALETTE[i], hovertemplate="%{y}<br>%{fullData.name}：%{x:.1f}<extra></extra>",
        )  # fmt: skip
    fig.update_layout(
        barmode="stack",
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "title": ""},
        xaxis={"title": "热度指数（满分 100）"},
        legend={"orientation": "h", "y": -0.15},
        height=max(320, 34 * len(order) + 140),
    )
    return finish(fig, "热点事件热度", period=period, source=source)
