"""Charts of early warning (预警): a series' observed counts against its expected level and bound."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.theme import DAY_FORMAT, TARGET_COLOUR, finish

LEVEL_COLOURS = {"红": "#d62728", "橙": "#ff7f0e", "黄": "#e6b800"}


def alert_history(history: pd.DataFrame, alert: dict[str, Any], *, source: str = "") -> go.Figure:
    """Bars: observed per window; line: expected; dashed: the alert's upper bound. The alert's own
    window is highlighted in its level's colour."""
    window = "日" if alert.get("window") == "日" else "周"
    last = len(history) - 1
    colour = LEVEL_COLOURS.get(str(alert.get("level")), TARGET_COLOUR)
    fig = go.Figure()
    fig.add_bar(
        x=history["window_to"], y=history["observed"], name="实际件数",
        marker_color=["#9ecae1"] * last + [colour] if len(history) else [],
        hovertemplate="%{x|%Y-%m-%d}<br>实际 %{y:,} 件<extra></extra>",
    )  # fmt: skip
    if history["expected"].notna().any():
        fig.add_scatter(
            x=history["window_to"], y=history["expected"], name="期望（季节基线）", mode="lines+markers",
            line={"color": "#1f77b4"}, hovertemplate="%{x|%Y-%m-%d}<br>期望 %{y:.1f} 件<extra></extra>",
        )  # fmt: skip
        fig.add_scatter(
            x=history["window_to"], y=history["upper"], name="预警上限", mode="lines",
            line={"color": TARGET_COLOUR, "dash": "dash"},
            hovertemplate="%{x|%Y-%m-%d}<br>上限 %{y:.0f} 件<extra></extra>",
        )  # fmt: skip
    unit = "当日件数" if window == "日" else "近7天件数"
    fig.update_layout(
        xaxis={"title": "截至日期", "tickformat": DAY_FORMAT},
        yaxis={"title": unit, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.2},
    )
    title = f"{alert.get('dimension_label', '')}：{alert.get('subject', '')}（{window}）实际与期望"
    period = f"{history['window_to'].min():%Y-%m-%d} 至 {history['window_to'].max():%Y-%m-%d}" if len(history) else ""
    return finish(fig, title, period=period, source=source)
