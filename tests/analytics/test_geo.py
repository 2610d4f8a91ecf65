"""County map: the profile's GeoJSON joined to every county; regions without one fall back."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analytics.charts.distribution import county_bars, county_choropleth
from analytics.geo import county_map, match_features, read_geojson
from analytics.profile import load_profile


def _rates(names: list[str]) -> pd.DataFrame:
    profile = load_profile()
    pops = {c.name: c.population for c in profile.counties}
    df = pd.DataFrame({"county": names, "complaints": [10 * (i + 1) for i in range(len(names))]})
    df["population"] = df["county"].map(pops)
    df["per_10k"] = df["complaints"] / df["population"] * 1e4
    df["in_profile"] = True
    return df


def test_geo_join_covers_all_eight_counties() -> None:
    profile = load_profile()
    geo = county_map(profile)
    assert geo is not None
    assert sorted(geo.counties) == sorted(profile.county_names)
    assert len(profile.county_names) == 8
    assert geo.missing_counties == () and geo.unmatched_features == ()
    names = {f["properties"]["name"] for f in geo.geojson["features"]}
    assert names == set(profile.county_names)


def test_match_by_name_and_alias_when_adcodes_are_absent(tmp_path: Path) -> None:
    profile = load_profile()
    raw = read_geojson(profile.geojson)
    stripped = json.loads(json.dumps(raw))
    for feature in stripped["features"]:
        feature["properties"].pop("adcode", None)
    # An alias ("连南") and a prefixed name ("清远市英德市") must still match; a neighbour must not.
    by_name = {f["properties"]["name"]: f for f in stripped["features"]}
    by_name["连南瑶族自治县"]["properties"]["name"] = "连南"
    by_name["英德市"]["properties"]["name"] = "清远市英德市"
    stripped["features"].append({"type": "Feature", "properties": {"name": "从化区"}, "geometry": None})
    geo = match_features(stripped, profile)
    assert sorted(geo.counties) == sorted(profile.county_names)
    assert geo.matched["连南瑶族自治县"] == "连南"
    assert geo.unmatched_features == ("从化区",)
    assert raw["features"][0]["properties"]["name"] == "清城区"  # the cached original is untouched


def test_profile_without_geojson_falls_back(tmp_path: Path) -> None:
    profile = load_profile()
    assert county_map(replace(profile, geojson=None)) is None
    assert county_map(replace(profile, geojson=tmp_path / "missing.geojson")) is None
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    assert county_map(replace(profile, geojson=bad)) is None
    fig = county_bars(_rates(profile.county_names))
    assert [t.type for t in fig.data] == ["bar", "bar"]
    assert list(fig.data[1].x) == list(_rates(profile.county_names)["per_10k"])


def test_choropleth_draws_every_county_without_fetching_anything() -> None:
    profile = load_profile()
    geo = county_map(profile)
    df = _rates(profile.county_names)
    fig = county_choropleth(df, geo, value="per_10k")
    shapes = [t for t in fig.data if t.fill == "toself"]
    assert sorted(t.meta["county"] for t in shapes) == sorted(profile.county_names)
    expected = df.set_index("county")
    for trace in shapes:
        row = expected.loc[trace.meta["county"]]
        assert trace.meta["complaints"] == row["complaints"]
        assert trace.meta["per_10k"] == pytest.approx(row["complaints"] / row["population"] * 1e4)
        assert trace.meta["value"] == pytest.approx(row["per_10k"])
    # The highest rate gets the darkest fill, the lowest the lightest.
    darkest = max(shapes, key=lambda t: t.meta["value"])
    lightest = min(shapes, key=lambda t: t.meta["value"])
    assert darkest.fillcolor != lightest.fillcolor
    assert sum(int(c) for c in re.findall(r"\d+", darkest.fillcolor)) < sum(
        int(c) for c in re.findall(r"\d+", lightest.fillcolor)
    )
    # No geo subplot (plotly.js would fetch a world map from its CDN), no map tiles.
    layout = fig.to_dict()["layout"]
    assert not {"geo", "mapbox", "map"} & set(layout)
    assert all(t.type == "scatter" for t in fig.data)
    counts = county_choropleth(df, geo, value="complaints")
    assert max(t.meta["value"] for t in counts.data if t.fill == "toself") == df["complaints"].max()
