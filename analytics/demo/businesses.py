"""Fictional business names with a heavy tail: a few repeat offenders, a long tail of one-offs.

Each (sector, county) has a pool of local businesses ranked by a Zipf-like law; a share of rows
goes to a handful of chains whose branches carry the county's short name (恒盛超市（英德店）).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analytics.demo.texts import BRAND_CHARS

_COMPANY_ENDINGS = ("公司", "中心", "俱乐部", "学校", "医院", "门诊部", "营业部", "支公司", "分公司", "合作社")


def zipf_ranks(rng: np.random.Generator, n: int, pool: int, offset: float = 4.0, power: float = 1.0) -> np.ndarray:
    """Ranks in [0, pool) with P(r) ∝ 1 / (r + offset) ** power."""
    p = 1.0 / (np.arange(pool) + offset) ** power
    cdf = np.cumsum(p / p.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(n)), pool - 1)


def _brand(rng: np.random.Generator) -> str:
    a, b = rng.choice(len(BRAND_CHARS), 2, replace=False)
    return BRAND_CHARS[a] + BRAND_CHARS[b]


def business_name(rng: np.random.Generator, biz_type: str, county: str, town: str) -> str:
    """One local business: companies carry a city or county prefix, shops sometimes a town."""
    brand = _brand(rng)
    if biz_type.endswith(_COMPANY_ENDINGS):
        prefix = "清远市" if rng.random() < 0.5 else county
        return f"{prefix}{brand}{biz_type}"
    if rng.random() < 0.3:
        return f"{county}{town}{brand}{biz_type}"
    return f"{brand}{biz_type}"


def name_table(
    rng: np.random.Generator,
    biz_types: Sequence[str],
    counties: Sequence[str],
    towns: Sequence[Sequence[str]],
    pool: int,
) -> list[list[str]]:
    """names[county][rank] for one sector or theme."""
    table: list[list[str]] = []
    for ci, county in enumerate(counties):
        names = []
        for _ in range(pool):
            biz_type = biz_types[int(rng.integers(len(biz_types)))]
            town = towns[ci][int(rng.integers(len(towns[ci])))]
            names.append(business_name(rng, biz_type, county, town))
        table.append(names)
    return table


def chain_names(rng: np.random.Generator, biz_types: Sequence[str], n_chains: int) -> list[tuple[str, str]]:
    """(brand, type) of a sector's chains; branches are named per county when used."""
    out = []
    for _ in range(n_chains):
        chain_type = [t for t in biz_types if not t.endswith(_COMPANY_ENDINGS)] or list(biz_types)
        out.append((_brand(rng), chain_type[int(rng.integers(len(chain_type)))]))
    return out


def branch(brand: str, biz_type: str, county_short: str) -> str:
    return f"{brand}{biz_type}（{county_short}店）"
