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


def _brands(rng: np.random.Generator, n: int) -> list[str]:
    """Two different characters from the brand pool per name (恒盛, 佳美 …)."""
    size = len(BRAND_CHARS)
    first = rng.integers(0, size, n)
    second = (first + 1 + rng.integers(0, size - 1, n)) % size
    return [BRAND_CHARS[a] + BRAND_CHARS[b] for a, b in zip(first, second, strict=True)]


def _brand(rng: np.random.Generator) -> str:
    return _brands(rng, 1)[0]


def name_table(
    rng: np.random.Generator,
    biz_types: Sequence[str],
    counties: Sequence[str],
    towns: Sequence[Sequence[str]],
    pool: int,
) -> list[list[str]]:
    """names[county][rank] for one sector or theme: companies carry a city or county prefix,
    shops sometimes a town, the rest just brand and type."""
    table: list[list[str]] = []
    for ci, county in enumerate(counties):
        brands = _brands(rng, pool)
        types = [biz_types[i] for i in rng.integers(0, len(biz_types), pool)]
        town = [towns[ci][i] for i in rng.integers(0, len(towns[ci]), pool)]
        style = rng.random(pool)
        names = []
        for brand, biz_type, tn, st in zip(brands, types, town, style, strict=True):
            if biz_type.endswith(_COMPANY_ENDINGS):
                names.append(f"{'清远市' if st < 0.5 else county}{brand}{biz_type}")
            elif st < 0.3:
                names.append(f"{county}{tn}{brand}{biz_type}")
            else:
                names.append(f"{brand}{biz_type}")
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
