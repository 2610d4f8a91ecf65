"""The yearly shortlist: how many of the top-ranked issues get a special campaign.

Rule (documented in docs/hotspots.md): sort the scores from high to low and cut where the drop to the
next score is largest, looking only at cuts that keep between 2 and 4 issues. On equal drops the
smaller shortlist wins (a campaign is expensive). With 2 or fewer issues, all of them are listed.
The cut is a natural break: issues just above it stand apart from those below.
"""

from __future__ import annotations

from collections.abc import Sequence

MIN_SHORTLIST = 2
MAX_SHORTLIST = 4


def shortlist_size(scores: Sequence[float], lo: int = MIN_SHORTLIST, hi: int = MAX_SHORTLIST) -> int:
    """Number of issues to shortlist from ``scores`` (any order) by the largest-gap rule."""
    ranked = sorted((float(s) for s in scores), reverse=True)
    if len(ranked) <= lo:
        return len(ranked)
    best_k, best_gap = lo, -1.0
    for k in range(lo, min(hi, len(ranked) - 1) + 1):
        gap = ranked[k - 1] - ranked[k]
        if gap > best_gap + 1e-9:
            best_k, best_gap = k, gap
    return best_k


def gap_table(scores: Sequence[float], lo: int = MIN_SHORTLIST, hi: int = MAX_SHORTLIST) -> list[dict[str, float]]:
    """The candidate cuts and their drops, for showing the rule at work."""
    ranked = sorted((float(s) for s in scores), reverse=True)
    return [{"k": k, "gap": round(ranked[k - 1] - ranked[k], 2)} for k in range(lo, min(hi, len(ranked) - 1) + 1)]
