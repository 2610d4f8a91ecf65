"""The test one window of one series passes or fails: expected count, upper bound, q, level.

Plain numbers in, numbers out (no database): :mod:`analytics.alerts.detection` builds the count
matrices and the seasonal references and turns what passes into alerts; :mod:`analytics.alerts.drill`
replays the same test over an alert's earlier windows.

- Expected = baseline mean × seasonal factor (:mod:`analytics.alerts.season`; 1 without history),
  at least ``floor`` (a series never seen before).
- Upper bound: negative binomial with the series' expected count and a dispersion pooled over all
  series of the dimension (variance / mean of the baseline windows, ≥ 1; Poisson when 1).
  p = P(X ≥ observed). Screening many series at once, p is multiplied by the number of series that
  appear in the span (Bonferroni), giving q; a window below a minimum count never alerts.
- Level: 红 q < 0.001 and observed ≥ 3 × expected; 橙 q < 0.01 and ≥ 2 ×; 黄 q < 0.05 and ≥ 1.5 ×.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analytics.alerts.season import season_factor, windows

LEVELS = ("红", "橙", "黄")
_LEVEL_RULES = ((0.001, 3.0), (0.01, 2.0), (0.05, 1.5))  # (q below, ratio at least) for 红, 橙, 黄


@dataclass(frozen=True)
class AlertParams:
    baseline_weeks: int = 8
    min_daily: int = 4  # a day with fewer complaints is never an alert
    min_weekly: int = 6
    floor_weekly: float = 0.5  # expected count for a series with no history (per week; daily / 7)
    season_clip: tuple[float, float] = (0.5, 3.0)
    season_years: int = 2  # the factor is the mean over this many previous years (dilutes one-off events)
    season_min_weekly: float = 10.0  # a sector needs this many complaints a week a year ago, else all complaints
    new_window_days: int = 28
    new_share: float = 0.8
    min_new: int = 6


def _season_factor(season: np.ndarray, end: int, p: AlertParams) -> np.ndarray:
    """:func:`analytics.alerts.season.season_factor` with the detector's parameters."""
    return season_factor(season, end, p.baseline_weeks, p.season_years, p.season_min_weekly, p.season_clip)


def _dispersion(base: np.ndarray) -> float:
    mean, var = base.mean(axis=1), base.var(axis=1, ddof=1)
    ok = mean >= 1
    if ok.sum() < 5:
        return 1.0
    return float(np.clip(np.median(var[ok] / mean[ok]), 1.0, 5.0))


def _tail(observed: np.ndarray, expected: np.ndarray, phi: float) -> np.ndarray:
    """P(X >= observed) under Poisson (phi = 1) or negative binomial with variance phi × mean."""
    if phi <= 1.05:
        return stats.poisson.sf(observed - 1, expected)
    return stats.nbinom.sf(observed - 1, expected / (phi - 1), 1 / phi)


def _upper(expected: np.ndarray, phi: float, alpha: float) -> np.ndarray:
    if phi <= 1.05:
        return stats.poisson.isf(alpha, expected)
    return stats.nbinom.isf(alpha, expected / (phi - 1), 1 / phi)


def level(q: float, ratio: float) -> str | None:
    """红, 橙 or 黄 for a window with q-value ``q`` and ``ratio`` × its expected count; None below 黄."""
    for name, (q_max, ratio_min) in zip(LEVELS, _LEVEL_RULES, strict=True):
        if q < q_max and ratio >= ratio_min:
            return name
    return None


def evaluate(
    matrix: np.ndarray,
    season: np.ndarray,
    end: int,
    width: int,
    p: AlertParams,
    *,
    dispersion: float | None = None,
    tests: int | None = None,
    season_all: np.ndarray | None = None,
) -> pd.DataFrame:
    """Observed, expected, upper bound, p and q for every series (row of ``matrix``) for the window
    of ``width`` days ending at column ``end``. ``season`` (years × series × days, see
    :func:`analytics.alerts.season.season_history`) gives each series' seasonal reference in earlier
    years, ``season_all`` (years × 1 × days) all complaints', used where the series' own reference
    is too thin."""
    obs, base = windows(matrix, end, width, p.baseline_weeks)
    # the series' sector where it has enough history, else all complaints (row 0 of ``season``)
    sector_factor = _season_factor(season, end, p)
    overall = _season_factor(season_all, end, p)[0] if season_all is not None else np.nan
    factor = np.where(np.isnan(sector_factor), 1.0 if np.isnan(overall) else overall, sector_factor)
    factor = np.broadcast_to(factor, (matrix.shape[0],))  # one reference row may serve every series
    floor = p.floor_weekly * width / 7
    expected = np.maximum(base.mean(axis=1) * factor, floor)
    phi = _dispersion(base) if dispersion is None else dispersion
    minimum = p.min_daily if width == 1 else p.min_weekly
    # Bonferroni over every series seen in the span (not only those above the minimum: a count
    # test can reach any p, so all of them are tests that could have fired)
    tested = max(matrix.shape[0], 1) if tests is None else tests
    pv = _tail(obs, expected, phi)
    return pd.DataFrame(
        {
            "observed": obs.astype(int),
            "expected": expected,
            "upper": _upper(expected, phi, 0.05 / tested),
            "ratio": obs / expected,
            "p_value": pv,
            "q_value": np.minimum(pv * tested, 1.0),
            "season_factor": factor,
            "eligible": obs >= minimum,
            "dispersion": phi,
            "tests": tested,
        }
    )


def significance(q: float) -> str:
    """The q-value (chance of a rise this large without a cause, corrected for the many series
    tested) in words for the analyst; the number itself stays in the ``q_value`` column."""
    if q < 0.001:
        return "极显著（偶然出现的可能低于千分之一）"
    if q < 0.01:
        return "很显著（偶然出现的可能低于百分之一）"
    chance = f"偶然出现的可能约 {max(q, 0.01):.0%}"
    return f"显著（{chance}）" if q < 0.05 else f"不显著（{chance}）"
