"""Charts of where complaints come from: sector × county heatmap, treemap, county map or bars.

Inputs are the frames of ``analytics.queries.distribution``; colours come from the theme so a county
or sector keeps its colour on every chart. The map draws only the region's own county shapes (no
base map, no tiles): the dashboard runs without internet access.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.charts.theme import county_colours, finish, sector_colours
from analytics.geo import FEATURE_ID_KEY, CountyMap

_VALUE_LABELS = {"complaints": "投诉量", "per_10k": "每万人投诉量"}


def _empty(title: str, period: str, source: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text="所选条件下没有数据", showarrow=False, font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title, period=period, source=source)


def sector_county_heatmap(
    df: pd.DataFrame, *, value: str = "complaints", title: str = "行业 × 区县投诉量", period: str = "", source: str = ""
) -> go.Figure:
    """Sectors down, counties across; cells are ``value`` (complaints or per_10k); hover shows both."""
    if df.empty:
        return _empty(title, period, source)
    counties = [c for c in county_colours() if c in set(df["county"])] + sorted(
        set(df["county"]) - set(county_colours())
    )
    sector_order = df.groupby("sector")["complaints"].sum().sort_values(ascending=False).index.tolist()
    counts = df.pivot_table(index="sector", columns="county", values="complaints", aggfunc="sum", fill_value=0)
    counts = counts.reindex(index=sector_order, columns=counties, fill_value=0)
    z = counts
    if value == "per_10k":
        population = df.groupby("county")["population"].first().reindex(counties).astype("float64")
        z = counts.div(population.where(population > 0), axis=1) * 10_000
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(dtype="float64"),
            x=counties,
            y=sector_order,
            customdata=counts.to_numpy(dtype="int64"),
            colorscale="Reds",
            colorbar={"title": {"text": _VALUE_LABELS.get(value, value)}},
            hovertemplate="%{y} · %{x}<br>投诉量 %{customdata}<br>"
            + ("每万人 %{z:.2f}" if value == "per_10k" else "")
            + "<extra></extra>",
            texttemplate="%{z:.1f}" if value == "per_10k" else "%{z}",
            textfont={"size": 10},
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(side="top", title=None)
    fig.update_layout(height=max(380, 24 * len(sector_order) + 120))
    return finish(fig, title, period=period, source=source)


def sector_county_treemap(
    df: pd.DataFrame,
    *,
    root: str = "sector",
    title: str = "投诉量构成：行业 → 区县",
    period: str = "",
    source: str = "",
) -> go.Figure:
    """Treemap sector → county (``root="sector"``) or county → sector; outer boxes keep their colour."""
    if df.empty:
        return _empty(title, period, source)
    leaf = "county" if root == "sector" else "sector"
    colours = sector_colours() if root == "sector" else county_colours()
    outer = df.groupby(root, sort=False)["complaints"].sum().sort_values(ascending=False)
    ids, labels, parents, values, marker = [], [], [], [], []
    for name, total in outer.items():
        ids.append(f"{root}:{name}")
        labels.append(name)
        parents.append("")
        values.append(int(total))
        marker.append(colours.get(name, "#999999"))
    for row in df.itertuples(index=False):
        ids.append(f"{root}:{getattr(row, root)}/{getattr(row, leaf)}")
        labels.append(getattr(row, leaf))
        parents.append(f"{root}:{getattr(row, root)}")
        values.append(int(row.complaints))
        marker.append(colours.get(getattr(row, root), "#999999"))
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={"colors": marker},
            texttemplate="%{label}<br>%{value}",
            hovertemplate="%{id}<br>投诉量 %{value}<br>占上级 %{percentParent:.1%}<extra></extra>",
        )
    )
    fig.update_layout(height=520)
    return finish(fig, title, period=period, source=source)


def county_choropleth(
    counties: pd.DataFrame,
    geo: CountyMap,
    *,
    value: str = "per_10k",
    title: str = "各区县每万人投诉量",
    period: str = "",
    source: str = "",
) -> go.Figure:
    """Counties coloured by ``value``; hover shows raw count, population and rate together."""
    df = counties[counties["county"].isin(geo.matched)].copy()
    if df.empty:
        return _empty(title, period, source)
    df["population"] = df["population"].astype("Float64").fillna(0).astype("int64")
    custom = df[["complaints", "population", "per_10k"]].astype("float64").fillna(0.0).to_numpy()
    fig = go.Figure(
        go.Choropleth(
            geojson=geo.geojson,
            featureidkey=FEATURE_ID_KEY,
            locations=df["county"].tolist(),
            z=df[value].astype("float64").fillna(0.0).to_numpy(),
            customdata=custom,
            text=df["county"].tolist(),
            colorscale="Reds",
            marker={"line": {"color": "white", "width": 1}},
            colorbar={"title": {"text": _VALUE_LABELS.get(value, value)}},
            hovertemplate="%{text}<br>投诉量 %{customdata[0]:,.0f}<br>常住人口 %{customdata[1]:,.0f}"
            "<br>每万人 %{customdata[2]:.2f}<extra></extra>",
        )
    )
    # No base map: only the county shapes, fitted to them (no tiles, nothing fetched online).
    fig.update_geos(fitbounds="locations", visible=False, projection={"type": "mercator"})
    _label_counties(fig, geo, df, value)
    fig.update_layout(height=520)
    return finish(fig, title, period=period, source=source)


def _label_counties(fig: go.Figure, geo: CountyMap, df: pd.DataFrame, value: str) -> None:
    """County names (and the value) at each feature's centroid, when the GeoJSON provides one."""
    lon, lat, text = [], [], []
    values = dict(zip(df["county"], df[value], strict=True))
    for feature in geo.geojson["features"]:
        props = feature["properties"]
        point = props.get("centroid") or props.get("center")
        if not point or props["name"] not in values:
            continue
        lon.append(point[0])
        lat.append(point[1])
        v = values[props["name"]]
        shown = f"{v:.1f}" if value == "per_10k" and pd.notna(v) else f"{int(v or 0)}"
        text.append(f"{props['name']}<br>{shown}")
    if lon:
        fig.add_trace(go.Scattergeo(lon=lon, lat=lat, text=text, mode="text", textfont={"size": 11}, hoverinfo="skip"))


def county_bars(
    counties: pd.DataFrame, *, title: str = "各区县投诉量与每万人投诉量", period: str = "", source: str = ""
) -> go.Figure:
    """The map's fallback (and companion): raw counts beside per-10,000 rates, one colour per county."""
    keep = (counties["complaints"] > 0) | counties.get("in_profile", False)
    df = counties[keep]
    if df.empty:
        return _empty(title, period, source)
    colours = county_colours()
    fig = make_subplots(rows=1, cols=2, subplot_titles=("投诉量", "每万人投诉量"), horizontal_spacing=0.12)
    bar_colours = [colours.get(c, "#999999") for c in df["county"]]
    fig.add_trace(
        go.Bar(
            y=df["county"],
            x=df["complaints"],
            orientation="h",
            marker_color=bar_colours,
            text=df["complaints"],
            textposition="auto",
            hovertemplate="%{y}<br>投诉量 %{x}<extra></extra>",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    rates = df["per_10k"].astype("float64")
    fig.add_trace(
        go.Bar(
            y=df["county"],
            x=rates.fillna(0.0),
            orientation="h",
            marker_color=bar_colours,
            text=[f"{v:.2f}" if pd.notna(v) else "—" for v in rates],
            textposition="auto",
            hovertemplate="%{y}<br>每万人 %{x:.2f}<extra></extra>",
            showlegend=False,
        ),
        row=1,
        col=2,
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_yaxes(showticklabels=False, row=1, col=2)
    fig.update_layout(height=max(320, 34 * len(df) + 120))
    return finish(fig, title, period=period, source=source)
