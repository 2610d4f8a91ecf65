"""Hotspots: the yearly shortlist of issues to campaign on, and event hotspots (concrete clusters).

Engine API (all take a DuckDB connection first, return tidy DataFrames):

- :func:`rank_issues` → :class:`IssueRanking` (ranking, components, breakdowns, trend, representatives)
- :func:`rank_events` → DataFrame of event clusters ranked by the hotness index
- :func:`hotspots_json` → the ``{"hotspots": [...]}`` structure of the CLI
- :func:`load_weights` / :func:`resolve_weights` → weights from data/hotspot_weights.toml

The method is documented in docs/hotspots.md.
"""

from analytics.hotspots.ranking import IssueRanking, members, rank_issues, rescore
from analytics.hotspots.scoring import COMPONENTS, load_weights, resolve_weights
from analytics.hotspots.shortlist import shortlist_size

__all__ = [
    "COMPONENTS",
    "IssueRanking",
    "load_weights",
    "members",
    "rank_issues",
    "rescore",
    "resolve_weights",
    "shortlist_size",
]
