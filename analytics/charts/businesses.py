"""Charts of the businesses complained about: ranking, resolution against volume, repeat offenders.

Inputs are the frames of ``analytics.queries.businesses``; bars and points take their sector's
colour from the theme, so a sector looks the same here as on the distribution page.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.theme import empty, finish, sector_colours


def _pct(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):.0%}"


def top_business_bars(
    df: pd.DataFrame, *, title: str = "被投诉最多的经营者", period: str = "", source: str = ""
) -> go.Figure:
    """Horizontal bars of complaints per business (most first), coloured by the business's sector,
    labelled with the resolution rate; one legend entry per sector."""
    if df.empty:
        return empty(title, period=period, source=source)
    colours = sector_colours()
    fig = go.Figure()
    order = df.sort_values("complaints", ascending=False)["business"].tolist()
    for sector, part in df.groupby("sector", sort=False):
        fig.add_trace(
            go.Bar(
                y=part["business"],
                x=part["complaints"],
                orientation="h",
                name=str(sector),
                marker_color=colours.get(str(sector), "#999999"),
                text=[
                    f"{n} · 解决率{_pct(r)}" for n, r in zip(part["complaints"], part["resolution_rate"], strict=True)
                ],
                textposition="auto",
                customdata=part[["county", "closed_rate", "resolution_rate"]].astype(object).to_numpy(),
                hovertemplate="%{y}<br>区县 %{customdata[0]}<br>投诉量 %{x:,}"
                "<br>办结率 %{customdata[1]:.0%}<br>解决率 %{customdata[2]:.0%}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed", title=None)
    fig.update_xaxes(title="投诉量")
    fig.update_layout(barmode="stack", height=max(360, 26 * len(order) + 140))
    return finish(fig, title, period=period, source=source)


def resolution_scatter(
    df: pd.DataFrame, *, title: str = "投诉量与解决率", period: str = "", source: str = ""
) -> go.Figure:
    """Complaints (x) against resolution rate (y): the lower right holds many unresolved complaints."""
    data = df.dropna(subset=["resolution_rate"])
    if data.empty:
        return empty(title, period=period, source=source)
    colours = sector_colours()
    fig = go.Figure()
    for sector, part in data.groupby("sector", sort=False):
        fig.add_trace(
            go.Scatter(
                x=part["complaints"],
                y=part["resolution_rate"],
                mode="markers",
                name=str(sector),
                marker={"color": colours.get(str(sector), "#999999"), "size": 10, "opacity": 0.8},
                text=part["business"],
                hovertemplate="%{text}<br>投诉量 %{x:,}<br>解决率 %{y:.0%}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_yaxes(title="解决率", tickformat=".0%", range=[-0.05, 1.05])
    fig.update_xaxes(title="投诉量")
    fig.update_layout(height=440)
    return finish(fig, title, period=period, source=source)


def repeat_offender_heatmap(
    monthly: pd.DataFrame,
    businesses: list[str] | None = None,
    *,
    title: str = "屡被投诉经营者的月度投诉",
    period: str = "",
    source: str = "",
) -> go.Figure:
    """Businesses down, months across, complaints per cell (empty months shown as 0): quiet
    periods and returns are visible at a glance."""
    if monthly.empty:
        return empty(title, period=period, source=source)
    order = businesses or monthly.groupby("business")["complaints"].sum().sort_values(ascending=False).index.tolist()
    months = pd.date_range(pd.Timestamp(monthly["month"].min()), pd.Timestamp(monthly["month"].max()), freq="MS")
    grid = (
        monthly.assign(month=pd.to_datetime(monthly["month"]))
        .pivot_table(index="business", columns="month", values="complaints", aggfunc="sum", fill_value=0)
        .reindex(index=order, columns=months, fill_value=0)
    )
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(dtype="int64"),
            x=[m.strftime("%Y-%m") for m in months],
            y=order,
            colorscale=[[0, "#f7f7f7"], [0.0001, "#fee0d2"], [1, "#a50f15"]],
            colorbar={"title": {"text": "投诉量"}},
            hovertemplate="%{y}<br>%{x}：%{z:,}件<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(type="category", title=None)
    fig.update_layout(height=max(320, 24 * len(order) + 140))
    return finish(fig, title, period=period, source=source)
