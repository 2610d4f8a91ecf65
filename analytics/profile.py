"""The region profile: counties with aliases and populations, and the sector taxonomy."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from analytics import settings
from analytics.errors import UserError

OTHER_SECTOR = "其他"


@dataclass(frozen=True)
class County:
    name: str
    adcode: int | None
    population: int
    aliases: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sector:
    name: str
    regulator: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegionProfile:
    name: str
    counties: tuple[County, ...]
    sectors: tuple[Sector, ...]
    adcode: int | None = None
    geojson: Path | None = None
    mask_personal_data: bool = True
    path: Path | None = field(default=None, compare=False)

    @property
    def county_names(self) -> list[str]:
        return [c.name for c in self.counties]

    @property
    def sector_names(self) -> list[str]:
        return [s.name for s in self.sectors]

    def regulator_of(self, sector: str | None) -> str:
        for s in self.sectors:
            if s.name == sector:
                return s.regulator
        return self.sector(OTHER_SECTOR).regulator if OTHER_SECTOR in self.sector_names else ""

    def sector(self, name: str) -> Sector:
        for s in self.sectors:
            if s.name == name:
                return s
        raise KeyError(name)

    def canonical_county(self, raw: str | None) -> str | None:
        """Map a county as written in an export (清城, 连南县 …) to its canonical name."""
        if raw is None:
            return None
        text = re.sub(r"\s+", "", str(raw))
        if not text:
            return None
        text = text.removeprefix(self.name)  # "清远市清城区" -> "清城区"
        for county in self.counties:
            if text == county.name or text in county.aliases:
                return county.name
        # Longest alias contained in the text: "广东省清远市连南县三江镇" -> 连南瑶族自治县.
        best: tuple[int, str] | None = None
        for county in self.counties:
            for alias in (county.name, *county.aliases):
                if alias in text and (best is None or len(alias) > best[0]):
                    best = (len(alias), county.name)
        return best[1] if best else text

    def town_to_county(self) -> dict[str, str]:
        """Town name -> county, for towns that belong to exactly one county."""
        seen: dict[str, list[str]] = {}
        for county in self.counties:
            for town in county.towns:
                seen.setdefault(town, []).append(county.name)
        return {town: names[0] for town, names in seen.items() if len(names) == 1}


def load_profile(path: Path | str | None = None) -> RegionProfile:
    """Read a region profile TOML (default: the HOTSPOT_PROFILE setting)."""
    return _load(Path(path) if path else settings.get("HOTSPOT_PROFILE"))


@cache
def _load(path: Path) -> RegionProfile:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UserError(f"Region profile not found: {path}", zh=f"找不到地区配置文件：{path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"Region profile {path} is not valid TOML: {exc}") from exc
    try:
        counties = tuple(
            County(
                name=c["name"],
                adcode=c.get("adcode"),
                population=int(c.get("population", 0)),
                aliases=tuple(c.get("aliases", ())),
                towns=tuple(c.get("towns", ())),
            )
            for c in raw["counties"]
        )
        sectors = tuple(
            Sector(name=s["name"], regulator=s.get("regulator", ""), keywords=tuple(s.get("keywords", ())))
            for s in raw["sectors"]
        )
        geojson = raw.get("geojson") or None
        return RegionProfile(
            name=raw["name"],
            adcode=raw.get("adcode"),
            counties=counties,
            sectors=sectors,
            geojson=(path.parent.parent / geojson) if geojson else None,
            mask_personal_data=bool(raw.get("mask_personal_data", True)),
            path=path,
        )
    except KeyError as exc:
        raise UserError(f"Region profile {path} lacks the key {exc}") from exc
