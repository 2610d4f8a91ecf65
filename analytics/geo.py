"""County boundaries for the map: the region profile's GeoJSON, with features matched to counties.

Each feature is matched to a profile county by adcode first (exact and stable), then by name or
alias (``RegionProfile.canonical_county``). Matched features get ``properties.name`` set to the
canonical county name, so a choropleth joins on ``featureidkey="properties.name"`` with the same
names the complaints table uses. A profile without a GeoJSON (or with an unreadable one) gives
``None``: the caller draws a bar chart instead.
"""

from __future__ import annotations

import copy
import json
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from analytics.profile import RegionProfile, load_profile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CountyMap:
    """A GeoJSON FeatureCollection whose matched features are named by canonical county."""

    geojson: dict[str, Any] = field(repr=False)
    matched: dict[str, str]  # canonical county -> the feature's original name
    unmatched_features: tuple[str, ...] = ()  # features that are no county of the profile
    missing_counties: tuple[str, ...] = ()  # profile counties with no feature

    @property
    def counties(self) -> list[str]:
        return list(self.matched)


def read_geojson(path: Path | str) -> dict[str, Any] | None:
    """The parsed FeatureCollection, or None (logged) if the file is missing or not GeoJSON."""
    return _read(str(path))


@cache
def _read(path: str) -> dict[str, Any] | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("GeoJSON %s unreadable: %s", path, exc)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        log.warning("GeoJSON %s is not a FeatureCollection", path)
        return None
    return data


def match_features(geojson: dict[str, Any], profile: RegionProfile) -> CountyMap:
    """Name each feature by its profile county; see the module docstring for the matching order."""
    out = copy.deepcopy(geojson)
    by_adcode = {c.adcode: c.name for c in profile.counties if c.adcode is not None}
    names = set(profile.county_names)
    matched: dict[str, str] = {}
    unmatched: list[str] = []
    kept = []
    for feature in out["features"]:
        props = feature.setdefault("properties", {}) or {}
        feature["properties"] = props
        original = str(props.get("name") or props.get("NAME") or "")
        county = _adcode_county(props.get("adcode"), by_adcode)
        if county is None and original:
            candidate = profile.canonical_county(original)
            county = candidate if candidate in names else None
        if county is None or county in matched:
            unmatched.append(original or "?")
            continue
        props["source_name"] = original
        props["name"] = county
        matched[county] = original
        kept.append(feature)
    # Only matched features are kept, so a stray feature (a neighbouring city) cannot be drawn.
    out["features"] = kept
    missing = tuple(n for n in profile.county_names if n not in matched)
    return CountyMap(out, matched, tuple(unmatched), missing)


def _adcode_county(value: Any, by_adcode: dict[int, str]) -> str | None:
    try:
        return by_adcode.get(int(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


def county_map(profile: RegionProfile | None = None) -> CountyMap | None:
    """The profile's county map, or None when the region has no (usable) GeoJSON. Treat the result
    as read-only: it is computed once per profile."""
    return _county_map(profile or load_profile())


@cache
def _county_map(profile: RegionProfile) -> CountyMap | None:
    if profile.geojson is None:
        return None
    data = read_geojson(profile.geojson)
    if data is None:
        return None
    result = match_features(data, profile)
    return result if result.matched else None
