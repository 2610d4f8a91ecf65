"""Charts of the 探索 page: the trend at day/week/month granularity and a breakdown by one dimension.

Inputs are the frames of ``analytics.queries.explore``; colours come from the theme.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.theme import DAY_FORMAT, MONTH_FORMAT, PALETTE, colour_map, empty, finish
from analytics.queries.explore import DIMENSIONS, GRANULARITIES

# The labels belong to the query module that defines the choices; re-exported for the page.
GRANULARITY_LABELS = GRANULARITIES
DIMENSION_LABELS = DIMENSIONS
_TICKFORMAT = {"day": DAY_FORMAT, "week": DAY_FORMAT, "month": MONTH_FORMAT}


def trend(
    df: pd.DataFrame, *, granularity: str = "month", by: str | None = None, period: str = "", source: str = ""
) -> go.Figure:
    """Complaints per day/week/month; one line per value of ``by`` when the frame has a ``value``."""
    label = GRANULARITY_LABELS.get(granularity, granularity)
    title = f"投诉量趋势（按{label}" + (f"，分{DIMENSION_LABELS.get(by, by)}）" if by else "）")
    if df.empty:
        return empty(title, period=period, source=source)
    fig = go.Figure()
    if by and "value" in df.columns:
        colours = colour_map(by, df["value"].unique())
        totals = df.groupby("value", sort=False)["complaints"].sum().sort_values(ascending=False)
        for name in totals.index:
            part = df[df["value"] == name]
            fig.add_trace(
                go.Scatter(
                    x=part["period"],
                    y=part["complaints"],
                    name=str(name),
                    mode="lines",
                    line={"color": colours.get(str(name), PALETTE[0]), "width": 2},
                )
            )
        fig.update_layout(hovermode="x unified", legend={"orientation": "h", "y": -0.15})
    else:
        fig.add_trace(
            go.Scatter(
                x=df["period"],
                y=df["complaints"],
                name="投诉量",
                mode="lines",
                fill="tozeroy",
                line={"color": PALETTE[0], "width": 2},
                hovertemplate="%{x|" + _TICKFORMAT.get(granularity, DAY_FORMAT) + "}：%{y:,} 件<extra></extra>",
            )
        )
    fig.update_xaxes(title=None, tickformat=_TICKFORMAT.get(granularity))
    fig.update_yaxes(title="投诉量（件）", rangemode="tozero")
    return finish(fig, title, period=period, source=source)


def breakdown(df: pd.DataFrame, *, by: str, period: str = "", source: str = "") -> go.Figure:
    """Horizontal bars of complaints per value of ``by`` (frame of ``queries.explore.breakdown``)."""
    title = f"按{DIMENSION_LABELS.get(by, by)}分布"
    if df.empty:
        return empty(title, period=period, source=source)
    colours = colour_map(by, df["value"])
    fig = go.Figure(
        go.Bar(
            x=df["complaints"],
            y=df["value"],
            orientation="h",
            marker={"color": [colours.get(v, PALETTE[0]) for v in df["value"]]},
            customdata=df[["share", "closed_share"]].to_numpy(dtype="float64"),
            text=[f"{n:,}（{s:.1%}）" for n, s in zip(df["complaints"], df["share"], strict=True)],
            textposition="auto",
            hovertemplate="%{y}：%{x:,} 件，占 %{customdata[0]:.1%}<br>办结率 %{customdata[1]:.1%}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title=None, type="category")
    fig.update_xaxes(title="投诉量（件）")
    fig.update_layout(height=max(360, 28 * len(df) + 120))
    return finish(fig, title, period=period, source=source)
