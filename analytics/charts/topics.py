"""Charts of topics: sizes, trend per topic by month, topic × county heatmap.

Inputs are the tidy frames of ``analytics.topics`` (``curated_topics``, ``topic_counts``).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.theme import MONTH_FORMAT, PALETTE, county_colours, finish


def _empty(title: str, period: str, source: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text="所选条件下没有数据", showarrow=False, font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title, period=period, source=source)


def topic_sizes(topics: pd.DataFrame, *, top: int = 20, period: str = "", source: str = "") -> go.Figure:
    """Horizontal bars of the largest topics (columns: label, size)."""
    title = f"话题规模（前 {top} 个）"
    if topics.empty:
        return _empty(title, period, source)
    data = topics.nlargest(top, "size").iloc[::-1]
    fig = go.Figure(go.Bar(x=data["size"], y=data["label"], orientation="h", marker_color=PALETTE[0]))
    fig.update_layout(xaxis_title="投诉量", yaxis_title="", height=max(320, 24 * len(data) + 120))
    return finish(fig, title, period=period, source=source)


def topic_trend(
    counts: pd.DataFrame, *, topics: tuple[int, ...] | None = None, period: str = "", source: str = ""
) -> go.Figure:
    """One line per topic over months (columns: topic_id, label, month, n); only ``topics`` if given."""
    title = "话题月度趋势"
    if topics is not None:
        counts = counts[counts["topic_id"].isin(topics)]
    if counts.empty:
        return _empty(title, period, source)
    fig = go.Figure()
    for i, (topic_id, group) in enumerate(counts.groupby("topic_id", sort=False)):
        group = group.sort_values("month")
        fig.add_trace(
            go.Scatter(
                x=group["month"],
                y=group["n"],
                mode="lines+markers",
                name=f"{group['label'].iloc[0]}（{topic_id}）",
                line={"color": PALETTE[i % len(PALETTE)]},
            )
        )
    fig.update_layout(xaxis_title="月份", xaxis_tickformat=MONTH_FORMAT, yaxis_title="投诉量", hovermode="x unified")
    return finish(fig, title, period=period, source=source)


def topic_county_heatmap(counts: pd.DataFrame, *, top: int = 25, period: str = "", source: str = "") -> go.Figure:
    """Topics down (largest first), counties across (columns: topic_id, label, county, n)."""
    title = "话题 × 区县投诉量"
    if counts.empty:
        return _empty(title, period, source)
    totals = counts.groupby("topic_id")["n"].sum().nlargest(top)
    data = counts[counts["topic_id"].isin(totals.index)]
    names = data.drop_duplicates("topic_id").set_index("topic_id")["label"]
    rows = [f"{names[t]}（{t}）" for t in totals.index]
    known = list(county_colours())
    counties = [c for c in known if c in set(data["county"])] + sorted(set(data["county"]) - set(known))
    grid = data.pivot_table(index="topic_id", columns="county", values="n", aggfunc="sum", fill_value=0)
    grid = grid.reindex(index=totals.index, columns=counties, fill_value=0)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=counties,
            y=rows,
            colorscale="Reds",
            hovertemplate="%{y}<br>%{x}：%{z:,} 件<extra></extra>",
            colorbar={"title": "投诉量"},
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=max(360, 22 * len(rows) + 140))
    return finish(fig, title, period=period, source=source)
