"""Charts of 重复投诉率 (analytics.matters.repeat_rates): how much of the volume is the same matter again.

Both take the engine's frame (group, complaints, matters, repeated_matters, came_back_matters,
repeat_rate, came_back_rate) and draw two rates: matters with more than one complaint, and matters
whose complainant came back after a complaint of it had been closed.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.theme import empty, finish

REPEAT_COLOUR = "#d62728"
CAME_BACK_COLOUR = "#ff7f0e"
RATES = {"repeat_rate": ("重复投诉率", REPEAT_COLOUR), "came_back_rate": ("办结后再投诉率", CAME_BACK_COLOUR)}
HOVER = (
    "%{x}<br>事项 %{customdata[0]:,}（件次 %{customdata[1]:,}）<br>重复投诉的事项 %{customdata[2]:,}"
    "<br>办结后再投诉的事项 %{customdata[3]:,}<extra></extra>"
)


def _custom(frame: pd.DataFrame) -> object:
    return frame[["matters", "complaints", "repeated_matters", "came_back_matters"]].to_numpy()


def repeat_rate_by_month(frame: pd.DataFrame, *, period: str = "", source: str = "") -> go.Figure:
    """Monthly 重复投诉率 and 办结后再投诉率 (lines) over the matters first reported that month (bars)."""
    title = "重复投诉率（按月）"
    if frame.empty:
        return empty(title, period=period, source=source)
    fig = go.Figure()
    fig.add_bar(
        x=frame["group"], y=frame["matters"], name="事项数", yaxis="y2", marker_color="#c7d4e8", opacity=0.6,
        customdata=_custom(frame), hovertemplate=HOVER,
    )  # fmt: skip
    for column, (name, colour) in RATES.items():
        fig.add_scatter(
            x=frame["group"], y=frame[column], name=name, mode="lines+markers",
            line={"color": colour, "width": 3}, hovertemplate=f"%{{x}}<br>{name} %{{y:.1%}}<extra></extra>",
        )  # fmt: skip
    fig.update_layout(
        yaxis={"title": "占事项的比例", "tickformat": ".0%", "rangemode": "tozero"},
        yaxis2={"title": "事项数", "overlaying": "y", "side": "right", "showgrid": False},
        xaxis={"title": "首次受理月份", "type": "category"},
        legend={"orientation": "h", "y": -0.2},
    )
    return finish(fig, title, period=period, source=source)


def repeat_rate_by_group(
    frame: pd.DataFrame, label: str, *, top: int = 15, min_matters: int = 5, period: str = "", source: str = ""
) -> go.Figure:
    """The ``top`` groups (department, county, business) by 重复投诉率 among those with at least
    ``min_matters`` matters (a rate of 1 of 2 says little), both rates as grouped bars."""
    title = f"重复投诉率最高的{label}"
    data = frame[frame["matters"] >= min_matters].sort_values(["repeat_rate", "matters"], ascending=False).head(top)
    if data.empty:
        return empty(title, period=period, source=source)
    data = data.iloc[::-1]  # plotly draws the first bar at the bottom
    fig = go.Figure()
    for column, (name, colour) in RATES.items():
        fig.add_bar(
            x=data[column], y=data["group"].astype(str), name=name, orientation="h", marker_color=colour,
            customdata=_custom(data), hovertemplate=HOVER.replace("%{x}", "%{y}"),
            text=[f"{r:.0%}" for r in data[column]], textposition="outside",
        )  # fmt: skip
    fig.update_layout(
        barmode="group",
        xaxis={"title": "占事项的比例", "tickformat": ".0%", "rangemode": "tozero"},
        yaxis={"title": ""},
        height=max(320, 40 * len(data) + 140),
        legend={"orientation": "h", "y": -0.15},
    )
    return finish(fig, title, period=period, source=source)
