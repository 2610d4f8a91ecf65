"""Where complaints come from: sector × county counts and complaints per 10,000 residents.

Counts are aggregated in DuckDB; populations come from the region profile (``load_profile()``), so
another region only needs another profile. Complaints with no county or sector are kept under
``UNKNOWN`` rather than dropped, so every total equals a direct count of the filtered complaints.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from analytics.filters import Filters
from analytics.profile import RegionProfile, load_profile
from analytics.queries import UNKNOWN
from analytics.store.stages import reads

PER = 10_000  # rates are complaints per 10,000 residents
# 事项 (docs/matters.md) counted in the same query as the complaints, over ``matter_links l``: a
# complaint not linked yet is its own matter.
MATTERS = "count(DISTINCT coalesce(l.matter_id, c.id)) AS matters"
ALL = Filters()  # the default: every complaint (a frozen dataclass, safe to share)


def _profile(profile_path: str | None) -> RegionProfile:
    return load_profile(profile_path) if profile_path else load_profile()


def _populations(profile: RegionProfile) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "county": [c.name for c in profile.counties],
            "adcode": pd.array([c.adcode for c in profile.counties], dtype="Int64"),
            "population": pd.array([c.population or None for c in profile.counties], dtype="Int64"),
        }
    )


def _rate(complaints: pd.Series, population: pd.Series) -> pd.Series:
    """count / population × 10,000; NaN where the population is unknown or zero."""
    pop = population.astype("Float64").replace(0, np.nan)
    return (complaints.astype("Float64") / pop * PER).astype("float64")


@reads("complaints")
def sector_county_counts(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, profile_path: str | None = None
) -> pd.DataFrame:
    """One row per (sector, county) that has complaints: complaints, the county's population and
    complaints per 10,000 residents of that county. Long and tidy; charts pivot it."""
    where, params = filters.where("c")
    df = con.execute(
        f"""
        SELECT coalesce(nullif(c.sector, ''), $unknown) AS sector,
               coalesce(nullif(c.county, ''), $unknown) AS county,
               count(*) AS complaints
        FROM complaints c
        WHERE {where}
        GROUP BY ALL
        ORDER BY complaints DESC, sector, county
        """,
        {**params, "unknown": UNKNOWN},
    ).df()
    df["complaints"] = df["complaints"].astype("int64")
    pops = _populations(_profile(profile_path))[["county", "population"]]
    out = df.merge(pops, on="county", how="left")
    out["per_10k"] = _rate(out["complaints"], out["population"])
    return out.reset_index(drop=True)


@reads("complaints", "matters")
def county_rates(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, profile_path: str | None = None
) -> pd.DataFrame:
    """One row per county: complaints (件次), matters (事项, ``MATTERS``), population, complaints per
    10,000 residents and share.

    Every county of the profile appears (with 0 when it has no complaints, so a map has no holes);
    counties not in the profile and ``UNKNOWN`` follow with no population and no rate.
    """
    where, params = filters.where("c")
    counts = con.execute(
        f"""
        SELECT coalesce(nullif(c.county, ''), $unknown) AS county, count(*) AS complaints, {MATTERS}
        FROM complaints c LEFT JOIN matter_links l ON l.id = c.id WHERE {where} GROUP BY ALL
        """,
        {**params, "unknown": UNKNOWN},
    ).df()
    pops = _populations(_profile(profile_path))
    out = pops.merge(counts, on="county", how="outer", sort=False)
    out["in_profile"] = out["county"].isin(pops["county"])
    for col in ("complaints", "matters"):
        out[col] = out[col].fillna(0).astype("int64")
    out["per_10k"] = _rate(out["complaints"], out["population"])
    total = int(out["complaints"].sum())
    out["share"] = out["complaints"] / total if total else 0.0
    # Profile order first (it is the region's customary order), then the rest by size.
    order = {name: i for i, name in enumerate(pops["county"])}
    out["_order"] = out["county"].map(order).fillna(len(order)).astype("int64")
    out = out.sort_values(["_order", "complaints"], ascending=[True, False]).drop(columns="_order")
    return out.reset_index(drop=True)


@reads("complaints", "matters")
def sector_totals(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, profile_path: str | None = None
) -> pd.DataFrame:
    """One row per sector: complaints (件次), matters (事项, ``MATTERS``), share of all filtered
    complaints, and the region-wide rate per 10,000 residents (complaints / the profile's total
    population)."""
    where, params = filters.where("c")
    df = con.execute(
        f"""
        SELECT coalesce(nullif(c.sector, ''), $unknown) AS sector, count(*) AS complaints, {MATTERS}
        FROM complaints c LEFT JOIN matter_links l ON l.id = c.id
        WHERE {where} GROUP BY ALL ORDER BY complaints DESC, sector
        """,
        {**params, "unknown": UNKNOWN},
    ).df()
    df[["complaints", "matters"]] = df[["complaints", "matters"]].astype("int64")
    total = int(df["complaints"].sum())
    df["share"] = df["complaints"] / total if total else 0.0
    # The population the filter covers: the chosen counties, or the whole region.
    population = region_population(profile_path, filters.counties)
    df["per_10k"] = df["complaints"] / population * PER if population else np.nan
    return df.reset_index(drop=True)


def region_population(profile_path: str | None = None, counties: tuple[str, ...] = ()) -> int:
    """Residents of the region (or of the given counties), from the profile."""
    profile = _profile(profile_path)
    return sum(c.population for c in profile.counties if not counties or c.name in counties)
