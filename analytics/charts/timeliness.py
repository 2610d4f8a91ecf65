"""Charts of on-time closure (时效): the rate against the 98% target by month and by group."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.theme import BELOW_TARGET_COLOUR as _BELOW
from analytics.charts.theme import ON_TARGET_COLOUR as _OK
from analytics.charts.theme import TARGET_COLOUR, finish


def _target_line(fig: go.Figure, target: float, *, horizontal: bool) -> None:
    kwargs = {"line_dash": "dash", "line_color": TARGET_COLOUR, "annotation_text": f"目标 {target:.0%}"}
    if horizontal:
        fig.add_hline(y=target, annotation_position="top left", **kwargs)
    else:
        fig.add_vline(x=target, annotation_position="top right", **kwargs)


def _axis_floor(frame: pd.DataFrame, target: float) -> float:
    rates = pd.to_numeric(frame["on_time_rate"], errors="coerce").dropna()
    low = min(float(rates.min()) if len(rates) else target, target)
    return max(0.0, low - 0.05)


def rate_by_month(frame: pd.DataFrame, *, period: str = "", source: str = "") -> go.Figure:
    """Monthly on-time closure rate (line) with the target line; bars give the complaints due."""
    target = float(frame["target"].iloc[0]) if len(frame) else 0.98
    rate = pd.to_numeric(frame["on_time_rate"], errors="coerce")
    fig = go.Figure()
    fig.add_bar(
        x=frame["group"], y=frame["due"], name="应办结件数", yaxis="y2", marker_color="#c7d4e8", opacity=0.6,
        hovertemplate="%{x}<br>应办结 %{y:,} 件<extra></extra>",
    )  # fmt: skip
    fig.add_scatter(
        x=frame["group"], y=rate, name="按时办结率", mode="lines+markers", line={"color": "#1f77b4", "width": 3},
        marker={"color": [(_OK if r >= target else _BELOW) if pd.notna(r) else "#7f7f7f" for r in rate], "size": 9},
        hovertemplate="%{x}<br>按时办结率 %{y:.2%}<extra></extra>",
    )  # fmt: skip
    _target_line(fig, target, horizontal=True)
    fig.update_layout(
        yaxis={"title": "按时办结率", "tickformat": ".0%", "range": [_axis_floor(frame, target), 1.005]},
        yaxis2={"title": "件数", "overlaying": "y", "side": "right", "showgrid": False},
        xaxis={"title": "受理月份", "type": "category"},
        legend={"orientation": "h", "y": -0.2},
    )
    return finish(fig, "按时办结率（按月）", period=period, source=source)


def rate_by_group(frame: pd.DataFrame, dimension: str, label: str, *, period: str = "", source: str = "") -> go.Figure:
    """On-time closure rate per group (county, department, kind, sector), lowest first."""
    target = float(frame["target"].iloc[0]) if len(frame) else 0.98
    data = frame.assign(rate=pd.to_numeric(frame["on_time_rate"], errors="coerce")).dropna(subset=["rate"])
    data = data.sort_values("rate", ascending=False)
    # coloured by target met or missed: that is the question the chart answers (dimension kept for API symmetry)
    del dimension
    fig = go.Figure(
        go.Bar(
            x=data["rate"], y=data["group"].astype(str), orientation="h",
            marker_color=[_OK if r >= target else _BELOW for r in data["rate"]],
            customdata=data[["closed_on_time", "due", "open_overdue"]].to_numpy(),
            hovertemplate="%{y}<br>按时办结率 %{x:.2%}<br>按时 %{customdata[0]:,} / 应办结 %{customdata[1]:,}"
            "<br>超期未办结 %{customdata[2]:,}<extra></extra>",
            text=[f"{r:.1%}" for r in data["rate"]], textposition="outside",
        )
    )  # fmt: skip
    _target_line(fig, target, horizontal=False)
    fig.update_layout(
        xaxis={"title": "按时办结率", "tickformat": ".0%", "range": [_axis_floor(frame, target), 1.02]},
        yaxis={"title": ""},
        height=max(320, 28 * len(data) + 120),
    )
    return finish(fig, f"按时办结率（按{label}）", period=period, source=source)
