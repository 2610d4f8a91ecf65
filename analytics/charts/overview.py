"""Charts of the 总览 page: monthly trend by channel, top sectors, complaints per county; and a
period's trend against the same period last year (the analysis report's).

Inputs are the frames of ``analytics.queries.overview``; colours come from the theme (one colour per
channel, sector and county on every chart); titles state the period and the data source.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.theme import CURRENT_COLOUR, EARLIER_COLOUR, MONTH_FORMAT, colour_map, empty, finish


def monthly_by_source(df: pd.DataFrame, *, period: str = "", source: str = "") -> go.Figure:
    """One line per channel over months (frame of ``queries.overview.monthly_by_source``)."""
    title = "月度投诉量（按渠道）"
    if df.empty:
        return empty(title, period=period, source=source)
    colours = colour_map("source", df["source"].unique())
    fig = go.Figure()
    for name, part in df.groupby("source", sort=False):
        fig.add_trace(
            go.Scatter(
                x=part["month"],
                y=part["complaints"],
                name=str(name),
                mode="lines+markers",
                line={"color": colours[str(name)], "width": 2},
                marker={"size": 5},
                hovertemplate="%{x|" + MONTH_FORMAT + "} · " + str(name) + "：%{y:,} 件<extra></extra>",
            )
        )
    fig.update_xaxes(title=None, dtick="M1" if df["month"].nunique() <= 24 else None, tickformat=MONTH_FORMAT)
    fig.update_yaxes(title="投诉量（件）", rangemode="tozero")
    fig.update_layout(hovermode="x unified", legend={"orientation": "h", "y": -0.15})
    return finish(fig, title, period=period, source=source)


def top_sectors(df: pd.DataFrame, *, period: str = "", source: str = "") -> go.Figure:
    """Horizontal bars of the top sectors, biggest on top, each in its sector's colour."""
    title = f"投诉量前 {len(df)} 的行业" if len(df) else "投诉量居前的行业"
    if df.empty:
        return empty(title, period=period, source=source)
    colours = colour_map("sector", df["sector"])
    fig = go.Figure(
        go.Bar(
            x=df["complaints"],
            y=df["sector"],
            orientation="h",
            marker={"color": [colours[s] for s in df["sector"]]},
            text=[f"{n:,}（{s:.1%}）" for n, s in zip(df["complaints"], df["share"], strict=True)],
            textposition="auto",
            hovertemplate="%{y}：%{x:,} 件<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title="投诉量（件）")
    return finish(fig, title, period=period, source=source)


def county_counts(df: pd.DataFrame, *, period: str = "", source: str = "", value: str = "complaints") -> go.Figure:
    """Bars per county (profile order) of ``value``: complaints or per_10k (每万人投诉量); the hover
    shows both."""
    title = "各区县每万人投诉量" if value == "per_10k" else "各区县投诉量"
    if df.empty or df["complaints"].sum() == 0:
        return empty(title, period=period, source=source)
    colours = colour_map("county", df["county"])
    y = df[value]
    fig = go.Figure(
        go.Bar(
            x=df["county"],
            y=y,
            marker={"color": [colours[c] for c in df["county"]]},
            customdata=df[["complaints", "per_10k"]].to_numpy(dtype="float64"),
            text=[("" if pd.isna(v) else (f"{v:.1f}" if value == "per_10k" else f"{int(v):,}")) for v in y],
            textposition="outside",
            hovertemplate="%{x}<br>投诉量 %{customdata[0]:,.0f} 件<br>每万人 %{customdata[1]:.2f}<extra></extra>",
        )
    )
    fig.update_xaxes(title=None)
    fig.update_yaxes(title="每万人投诉量" if value == "per_10k" else "投诉量（件）", rangemode="tozero")
    return finish(fig, title, period=period, source=source)


def period_trend(
    df: pd.DataFrame, *, last_year: str = "", title: str = "受理量走势", period: str = "", source: str = ""
) -> go.Figure:
    """Complaints per bucket (month, week or day: frame of ``exporting.figures.trend``, columns
    label, count, last_year) as the hotspot trend draws them: this period bold, the same buckets a
    year earlier dotted grey (``last_year`` names that period; the line is left out without data)."""
    if df.empty or df["count"].fillna(0).sum() == 0:
        return empty(title, period=period, source=source)
    fig = go.Figure()
    earlier = df["last_year"].astype("Float64")
    if earlier.notna().any():
        fig.add_scatter(
            x=df["label"], y=earlier, name=f"去年同期（{last_year}）" if last_year else "去年同期",
            mode="lines+markers", line={"color": EARLIER_COLOUR, "dash": "dot"},
            hovertemplate="%{x}：%{y:,} 件<extra>去年同期</extra>",
        )  # fmt: skip
    fig.add_scatter(
        x=df["label"], y=df["count"].astype("Float64"), name="本期", mode="lines+markers",
        line={"color": CURRENT_COLOUR, "width": 3}, hovertemplate="%{x}：%{y:,} 件<extra>本期</extra>",
    )  # fmt: skip
    fig.update_xaxes(title=None, type="category")
    fig.update_yaxes(title="投诉量（件）", rangemode="tozero", tickformat=",")
    fig.update_layout(hovermode="x unified", legend={"orientation": "h", "y": -0.15})
    return finish(fig, title, period=period, source=source)
