"""The hotspot score: transparent components, each normalised to 0..1, weighted from data/.

Components (raw measurements come from :mod:`analytics.hotspots.features`):

- volume        n / largest n among the topics. n counts matters (事项: one case however often it was
                reported, analytics/matters) or complaints (件次), as HOTSPOT_VOLUME_UNIT says; by
                default matters, so one complainant calling ten times about one case is one.
- growth        clip(log2((n + 5) / (n_prev + 5)) / 2, 0, 1): doubling → 0.5, ×4 → 1, no rise → 0
                (n and n_prev in the same unit as volume).
                The +5 keeps a handful of new complaints from looking like an explosion. 0 for every
                topic when the database does not reach back to the same period last year.
- breadth       mean of (counties reached / counties in the profile) and (businesses named /
                most businesses named by any topic); a half is left out when no topic has that data.
- concentration share of the topic's complaints that name one of its 3 most named businesses.
- focus         share of the topic's complaints in its most frequent sector: a clear lead
                department. Catch-all topics (服务质量问题, 消费纠纷) spread over every sector score low.
- severity      mean of four parts, each divided by the highest topic's value: mean money involved
                (log scale), share mentioning vulnerable groups, share with health/safety harm words,
                share with group-complaint words. Parts no topic has are left out.
- persistence   months with complaints / months in the period.
- difficulty    mean of the unresolved share, overdue share and repeat-complainant share (plain
                rates, 0..1, not relative to the worst topic); parts without data are left out.
- support       log(1 + likes + dislikes) / the highest topic's; 0 when the export has no likes.

score = 100 × Σ weight × component / Σ weight.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import settings
from analytics.errors import UserError

# The feature columns (this period, comparison period) each volume unit counts.
UNIT_COLUMNS = {"matters": ("n_matters", "n_prev_matters"), "complaints": ("n", "n_prev")}
COMPONENTS = (
    "volume", "growth", "breadth", "concentration", "focus", "severity", "persistence", "difficulty", "support",
)  # fmt: skip
WEIGHTS_FILE = settings.DATA_DIR / "hotspot_weights.toml"


@dataclass(frozen=True)
class Weight:
    name: str
    weight: float
    label: str
    help: str


def load_weights(path: Path | str | None = None) -> dict[str, Weight]:
    """The default weights with their Chinese labels and help texts (data/hotspot_weights.toml)."""
    path = Path(path) if path else WEIGHTS_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UserError(f"Weights file not found: {path}", zh=f"找不到权重文件：{path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"Weights file {path} is not valid TOML: {exc}", zh=f"权重文件格式错误：{exc}") from exc
    missing = [c for c in COMPONENTS if c not in raw]
    if missing:
        raise UserError(f"Weights file {path} lacks {', '.join(missing)}", zh=f"权重文件缺少：{'、'.join(missing)}")
    return {
        c: Weight(c, float(raw[c].get("weight", 1.0)), str(raw[c].get("label", c)), str(raw[c].get("help", "")))
        for c in COMPONENTS
    }


def resolve_weights(overrides: dict[str, float] | None = None, path: Path | str | None = None) -> dict[str, float]:
    """Default weights with ``overrides`` applied; refuses unknown names, negative or all-zero weights."""
    weights = {name: w.weight for name, w in load_weights(path).items()}
    for name, value in (overrides or {}).items():
        if name not in weights:
            raise UserError(f"Unknown hotspot weight {name!r}", zh=f"未知的权重：{name}")
        try:
            value = float(value)
        except (TypeError, ValueError) as exc:
            raise UserError(f"Weight {name} must be a number", zh=f"权重 {name} 必须是数字") from exc
        if value < 0 or math.isnan(value):
            raise UserError(f"Weight {name} must not be negative", zh=f"权重 {name} 不能为负数")
        weights[name] = value
    if sum(weights.values()) <= 0:
        raise UserError("At least one weight must be above zero", zh="至少一个权重须大于 0")
    return weights


def _relative(values: pd.Series) -> pd.Series | None:
    """values / max, or None when no topic has the measurement (all missing or all zero)."""
    values = values.astype("float64")
    top = values.max(skipna=True)
    if pd.isna(top) or top <= 0:
        return None
    return (values / top).fillna(0.0).clip(0.0, 1.0)


def _mean_of(parts: list[pd.Series | None], index: pd.Index) -> pd.Series:
    present = [p for p in parts if p is not None]
    if not present:
        return pd.Series(0.0, index=index)
    return sum(present) / len(present)


def components(features: pd.DataFrame, n_counties: int | None = None, unit: str = "matters") -> pd.DataFrame:
    """Wide frame: topic_id plus one 0..1 column per component (see the module docstring); volume and
    growth count ``unit`` (a key of :data:`UNIT_COLUMNS`)."""
    f = features
    idx = f.index
    out = pd.DataFrame({"topic_id": f["topic_id"]}, index=idx)
    now, before = UNIT_COLUMNS[unit]
    n = f[now].astype("float64")
    out["volume"] = n / n.max() if len(f) and n.max() > 0 else 0.0
    if bool(f["prev_available"].any()):
        ratio = (n + 5.0) / (f[before].astype("float64") + 5.0)
        out["growth"] = (np.log2(ratio) / 2.0).clip(0.0, 1.0)
    else:
        out["growth"] = 0.0
    county_part = None
    if f["n_counties"].max() > 0:
        denominator = n_counties or f["n_counties"].max()
        county_part = (f["n_counties"].astype("float64") / denominator).clip(0.0, 1.0)
    out["breadth"] = _mean_of([county_part, _relative(f["n_businesses"])], idx)
    out["concentration"] = f["top3_business_share"].fillna(0.0).clip(0.0, 1.0) if f["with_business"].max() > 0 else 0.0
    out["focus"] = f["top_sector_share"].astype("float64").fillna(0.0).clip(0.0, 1.0)
    money = _relative(np.log1p(f["mean_amount"].astype("float64")))
    out["severity"] = _mean_of(
        [money, _relative(f["vulnerable_share"]), _relative(f["harm_share"]), _relative(f["group_share"])], idx
    )
    out["persistence"] = (f["active_months"].astype("float64") / f["months_in_period"]).clip(0.0, 1.0)
    # Raw rates, not relative to the worst topic: "30% unresolved" means the same in every period.
    unresolved = f["unresolved_share"].astype("float64").fillna(0.0) if f["resolved_known"].max() > 0 else None
    overdue = f["overdue_share"].astype("float64").fillna(0.0) if f["overdue_share"].notna().any() else None
    repeat = f["repeat_share"].astype("float64").fillna(0.0) if f["repeat_share"].notna().any() else None
    out["difficulty"] = _mean_of([unresolved, overdue, repeat], idx)
    support = _relative(np.log1p(f["support_total"].astype("float64"))) if f["support_known"].max() > 0 else None
    out["support"] = support if support is not None else 0.0
    for c in COMPONENTS:
        out[c] = out[c].astype("float64").fillna(0.0)
    return out


def score(comps: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """100 × weighted mean of the components (same index as ``comps``)."""
    total = sum(weights[c] for c in COMPONENTS)
    weighted = sum(comps[c] * weights[c] for c in COMPONENTS)
    return (100.0 * weighted / total).round(2)


def components_long(comps: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Tidy (topic_id, component, label, value, weight, contribution); contributions sum to the score."""
    labels = {name: w.label for name, w in load_weights().items()}
    total = sum(weights[c] for c in COMPONENTS)
    long = comps.melt(id_vars="topic_id", value_vars=list(COMPONENTS), var_name="component", value_name="value")
    long["label"] = long["component"].map(labels)
    long["weight"] = long["component"].map(weights).astype("float64")
    long["contribution"] = (100.0 * long["value"] * long["weight"] / total).round(2)
    return long[["topic_id", "component", "label", "value", "weight", "contribution"]]
