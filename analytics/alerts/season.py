"""Seasonal reference for the early-warning detectors: the same days in earlier years.

"The same days" two ways: the same calendar dates (双十一, 618, 3·15, 国庆 are fixed) and, near
春节/中秋, the same offset from the festival (they move by weeks between years). The detector takes
whichever explains more (see :func:`season_factor`).
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import numpy as np

from analytics.workdays import festival_starts

_FESTIVAL_REACH = 25  # days: a window this close to a lunar festival is compared festival-aligned


def reference_shift(day: date, years_back: int, *, festival: bool = True) -> int:
    """Days back to the comparable date ``years_back`` years earlier: with ``festival``, the same
    offset from 春节/中秋 when ``day`` is near one (they move by weeks between years); otherwise the
    same calendar date (双十一, 618, 3·15, 国庆 are fixed; the factor uses whole weeks, so weekdays
    need not align)."""
    near = [
        (abs((day - fday).days), name, fday)
        for year in (day.year - 1, day.year, day.year + 1)
        for name, fday in festival_starts(year).items()
        if festival and abs((day - fday).days) <= _FESTIVAL_REACH
    ]
    if near:
        _, name, fday = min(near)
        earlier = festival_starts(fday.year - years_back).get(name)
        if earlier is not None:
            return (fday - earlier).days
    try:
        return (day - day.replace(year=day.year - years_back)).days
    except ValueError:  # 29 February
        return (day - date(day.year - years_back, 2, 28)).days


def season_history(
    con: duckdb.DuckDBPyConnection, first: date, last: date, sectors: list[str | None], years: int
) -> np.ndarray:
    """Daily counts one, two, ... years earlier for the days ``first`` .. ``last``, aligned two ways
    by :func:`reference_shift` on ``last`` (calendar date, then lunar festival): shape
    (2 × years, len(sectors), days), calendar-aligned years first; a None sector means all."""
    n_days = (last - first).days + 1
    out = np.zeros((2 * years, len(sectors), n_days))
    index = {name: i for i, name in enumerate(sectors)}
    for k in range(2 * years):
        y, festival = k % years, k >= years
        lo = first - timedelta(days=reference_shift(last, y + 1, festival=festival))
        df = con.execute(
            "SELECT sector, grouping(sector) AS is_all, date_diff('day', $lo, CAST(received_at AS DATE)) AS t,"
            " count(*) AS n FROM complaints WHERE received_at >= $lo AND received_at < $hi"
            " GROUP BY GROUPING SETS ((sector, t), (t))",
            {"lo": lo, "hi": lo + timedelta(days=n_days)},
        ).df()
        for sector, is_all, t, n in df.itertuples(index=False):
            row = index.get(None if is_all else sector)
            if row is not None:
                out[k, row, int(t)] = n
    return out


def windows(matrix: np.ndarray, end: int, width: int, weeks: int) -> tuple[np.ndarray, np.ndarray]:
    """Observed sums of the window ending at column ``end`` and its ``weeks`` weekly predecessors."""
    cs = np.concatenate([np.zeros((matrix.shape[0], 1)), np.cumsum(matrix, axis=1)], axis=1)
    obs = cs[:, end + 1] - cs[:, end + 1 - width]
    base = np.stack([cs[:, end + 1 - 7 * k] - cs[:, end + 1 - 7 * k - width] for k in range(1, weeks + 1)], axis=1)
    return obs, base


def season_factor(
    season: np.ndarray, end: int, weeks: int, years: int, min_weekly: float, clip: tuple[float, float]
) -> np.ndarray:
    """Per row of ``season`` (years × rows × days): how the week ending at ``end`` compared with
    its baseline weeks in earlier years: the mean ratio over the years with enough data, for each
    alignment (consecutive groups of ``years`` rows), then the larger of the alignments:
    a calendar peak (618) and a festival peak (中秋 food) are both explained. Clipped; NaN where no
    year has enough data. Always over 7 days, also for the daily window: one day a year ago is too
    noisy to scale by."""
    best = np.full(season.shape[1], np.nan)
    step = max(min(years, season.shape[0]), 1)
    for start in range(0, season.shape[0], step):
        total = np.zeros(season.shape[1])
        n = np.zeros(season.shape[1])
        for year in season[start : start + step]:
            obs, base = windows(year, end, 7, weeks)
            mean = base.mean(axis=1)
            ok = (mean >= min_weekly) & (obs > 0)  # enough volume that year to say anything
            ratio = np.clip(np.divide(obs, mean, out=np.ones_like(obs), where=ok), *clip)
            total += np.where(ok, ratio, 0.0)
            n += ok
        factor = np.divide(total, n, out=np.full_like(total, np.nan), where=n > 0)
        best = np.fmax(best, factor)
    return best
