"""Charts of where complaints come from: sector × county heatmap, treemap, county map or bars.

Inputs are the frames of ``analytics.queries.distribution``; colours come from the theme so a county
or sector keeps its colour on every chart. The map draws only the region's own county shapes (no
base map, no tiles, nothing fetched): the dashboard runs without internet access.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from analytics.charts.theme import county_colours, empty, finish, sector_colours
from analytics.geo import CountyMap, county_map
from analytics.profile import load_profile

_VALUE_LABELS = {"complaints": "投诉量", "per_10k": "每万人投诉量"}
_SCALE = "Reds"


def sector_county_heatmap(
    df: pd.DataFrame, *, value: str = "complaints", title: str = "行业 × 区县投诉量", period: str = "", source: str = ""
) -> go.Figure:
    """Sectors down, counties across; cells are ``value`` (complaints or per_10k); hover shows both."""
    if df.empty:
        return empty(title, period=period, source=source)
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
            hovertemplate="%{y} · %{x}<br>投诉量 %{customdata:,}<br>"
            + ("每万人 %{z:.2f}" if value == "per_10k" else "")
            + "<extra></extra>",
            texttemplate="%{z:.1f}" if value == "per_10k" else "%{z:,}",
            textfont={"size": 10},
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=None, tickangle=-30)
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
        return empty(title, period=period, source=source)
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
            texttemplate="%{label}<br>%{value:,}",
            hovertemplate="%{id}<br>投诉量 %{value:,}<br>占上级 %{percentParent:.1%}<extra></extra>",
        )
    )
    fig.update_layout(height=520)
    return finish(fig, title, period=period, source=source)


def county_choropleth(
    counties: pd.DataFrame,
    geo: CountyMap | None = None,
    *,
    value: str = "per_10k",
    title: str = "各区县每万人投诉量",
    period: str = "",
    source: str = "",
) -> go.Figure:
    """Counties filled by ``value`` on a colour scale; hover shows raw count, population and rate.

    Drawn as filled polygons on plain axes, not ``go.Choropleth``: plotly.js fetches a world
    topojson from cdn.plot.ly for any geo trace with ``locations`` (even with ``geo.visible=False``),
    which fails offline and leaves the map blank. Longitude is stretched by 1/cos(latitude) so the
    shapes keep their proportions. Each county trace carries ``meta`` (county, value, complaints,
    population, per_10k) for tests and exports. ``geo`` defaults to the region profile's map (a
    page's cached chart is keyed by small values, not by the map).
    """
    geo = geo or county_map()
    if geo is None:
        raise ValueError("the region profile has no county map")
    df = counties[counties["county"].isin(geo.matched)].set_index("county")
    if df.empty:
        return empty(title, period=period, source=source)
    values = df[value].astype("float64").fillna(0.0)
    low, high = float(values.min()), float(values.max())
    span = (high - low) or 1.0
    fig = go.Figure()
    centre_lat = []
    for feature in geo.geojson["features"]:
        county = feature["properties"]["name"]
        if county not in df.index:
            continue
        xs, ys = _rings(feature["geometry"])
        centre_lat.extend(y for y in ys if y is not None)
        row = df.loc[county]
        v = float(values[county])
        population = int(row["population"]) if pd.notna(row["population"]) else 0
        rate = float(row["per_10k"]) if pd.notna(row["per_10k"]) else float("nan")
        hover = f"{county}<br>投诉量 {int(row['complaints']):,}<br>常住人口 {population:,}<br>每万人 {rate:.2f}"
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=sample_colorscale(_SCALE, [(v - low) / span])[0],
                line={"color": "white", "width": 1},
                name=county,
                text=hover,
                hoveron="fills",
                hoverinfo="text",
                showlegend=False,
                meta={
                    "county": county,
                    "value": v,
                    "complaints": int(row["complaints"]),
                    "population": population,
                    "per_10k": rate,
                },
            )
        )
    _label_counties(fig, geo, df, value)
    # An invisible marker trace carries the colour bar.
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "color": [low, high],
                "colorscale": _SCALE,
                "cmin": low,
                "cmax": high,
                "showscale": True,
                "colorbar": {"title": {"text": _VALUE_LABELS.get(value, value)}},
            },
        )
    )
    ratio = 1 / math.cos(math.radians(sum(centre_lat) / len(centre_lat))) if centre_lat else 1.0
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=ratio)
    fig.update_layout(height=520, plot_bgcolor="white", hovermode="closest")
    return finish(fig, title, period=period, source=source)


def _rings(geometry: dict) -> tuple[list, list]:
    """Outer and inner rings of a (Multi)Polygon as one x/y list, rings separated by None."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    xs: list = []
    ys: list = []
    for polygon in polygons:
        for ring in polygon:
            xs.extend([p[0] for p in ring] + [None])
            ys.extend([p[1] for p in ring] + [None])
    return xs, ys


def _short_names() -> dict[str, str]:
    """Long county names (连山壮族瑶族自治县) labelled by their shortest alias (连山) on the map."""
    out = {}
    for county in load_profile().counties:
        aliases = [a for a in county.aliases if len(a) >= 2]
        out[county.name] = min(aliases, key=len) if len(county.name) > 4 and aliases else county.name
    return out


def _label_counties(fig: go.Figure, geo: CountyMap, df: pd.DataFrame, value: str) -> None:
    """County names (and the value) at each feature's centroid, when the GeoJSON provides one;
    white text on dark fills."""
    xs, ys, text, colours = [], [], [], []
    short = _short_names()
    values = df[value].astype("float64").fillna(0.0)
    low, span = float(values.min()), float(values.max() - values.min()) or 1.0
    for feature in geo.geojson["features"]:
        props = feature["properties"]
        point = props.get("centroid") or props.get("center")
        if not point or props["name"] not in df.index:
            continue
        v = df.loc[props["name"], value]
        shown = f"{v:.1f}" if value == "per_10k" and pd.notna(v) else f"{int(v or 0):,}"
        xs.append(point[0])
        ys.append(point[1])
        text.append(f"{short.get(props['name'], props['name'])}<br>{shown}")
        colours.append("white" if (values[props["name"]] - low) / span > 0.6 else "#333333")
    if xs:
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                text=text,
                mode="text",
                textfont={"size": 11, "color": colours},
                hoverinfo="skip",
                showlegend=False,
            )
        )


def county_bars(
    counties: pd.DataFrame, *, title: str = "各区县投诉量与每万人投诉量", period: str = "", source: str = ""
) -> go.Figure:
    """The map's fallback (and companion): raw counts beside per-10,000 rates, one colour per county."""
    keep = (counties["complaints"] > 0) | counties.get("in_profile", False)
    df = counties[keep]
    if df.empty:
        return empty(title, period=period, source=source)
    colours = county_colours()
    fig = make_subplots(rows=1, cols=2, subplot_titles=("投诉量", "每万人投诉量"), horizontal_spacing=0.12)
    bar_colours = [colours.get(c, "#999999") for c in df["county"]]
    fig.add_trace(
        go.Bar(
            y=df["county"],
            x=df["complaints"],
            orientation="h",
            marker_color=bar_colours,
            text=[f"{n:,}" for n in df["complaints"]],
            textposition="auto",
            hovertemplate="%{y}<br>投诉量 %{x:,}<extra></extra>",
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
    fig.update_layout(height=max(340, 34 * len(df) + 140))
    finish(fig, title, period=period, source=source)
    fig.update_layout(margin={"t": 100})  # room for the subplot titles under the title
    return fig
