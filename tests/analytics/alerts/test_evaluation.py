"""The test of one window (analytics.alerts.evaluation): Poisson and negative-binomial bounds,
Bonferroni, the seasonal factor's two alignments, levels and significance said in Chinese."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.alerts import evaluation


def _matrix_case(base_level: float, burst: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    m = rng.poisson(base_level, size=(30, 63)).astype(float)
    m[0, -7:] += burst / 7
    return m


def test_evaluate_poisson_bound_and_bonferroni() -> None:
    p = evaluation.AlertParams()
    season = np.zeros((2, 1, 63))  # no history a year ago: factor 1
    quiet = evaluation.evaluate(_matrix_case(2.0, 0), season, 62, 7, p)
    assert quiet["expected"].between(10, 18).all()
    assert (quiet["q_value"] >= quiet["p_value"]).all() and (quiet["tests"] == 30).all()
    loud = evaluation.evaluate(_matrix_case(2.0, 35), season, 62, 7, p)
    assert loud.loc[0, "q_value"] < 1e-3 and loud.loc[0, "observed"] > loud.loc[0, "upper"]
    assert evaluation.level(loud.loc[0, "q_value"], loud.loc[0, "ratio"]) in ("红", "橙")


def test_recurring_seasonal_peak_is_expected() -> None:
    """A series that doubles in the same week every year is not alerted (its sector did it too)."""
    p = evaluation.AlertParams()
    days = 63
    series = np.full((1, days), 4.0)
    series[0, -7:] = 8.0  # this year's peak week
    history = np.full((2, 1, days), 4.0)
    history[:, 0, -7:] = 8.0  # the same week one and two years ago
    with_season = evaluation.evaluate(series, history, days - 1, 7, p)
    without = evaluation.evaluate(series, np.zeros((2, 1, days)), days - 1, 7, p)
    assert with_season.loc[0, "season_factor"] == pytest.approx(2.0)
    assert with_season.loc[0, "expected"] == pytest.approx(56.0)
    assert with_season.loc[0, "p_value"] > 0.4 > 1e-4 > without.loc[0, "p_value"]


def test_season_factor_takes_the_alignment_that_explains_the_peak() -> None:
    p = evaluation.AlertParams()
    days = 63
    calendar_aligned = np.full((2, 1, days), 20.0)  # nothing special on the same dates
    festival_aligned = np.full((2, 1, days), 20.0)
    festival_aligned[:, 0, -7:] = 40.0  # the festival week doubled in both earlier years
    season = np.concatenate([calendar_aligned, festival_aligned])
    assert evaluation._season_factor(season, days - 1, p)[0] == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("q", "words"),
    [
        (1e-71, "极显著（偶然出现的可能低于千分之一）"),
        (0.004, "很显著"),
        (0.03, "显著（偶然出现的可能约 3%）"),
        (0.2, "不显著"),
    ],
)
def test_significance_is_said_in_chinese(q: float, words: str) -> None:
    assert evaluation.significance(q).startswith(words)
    assert "q=" not in evaluation.significance(q) and "e-" not in evaluation.significance(q)
