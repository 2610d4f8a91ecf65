"""Topics: issue-level themes and event-level clusters of complaint text, stable across runs.

Engine API (others code against this):
- ``resolve_run(con, compute=False) -> run_id | None``: the one topic run every view reads (all
  complaints; a period filters it); ``compute`` brings it up to date first (commands, background job)
- ``ensure_topics(con, n_topics=None) -> run_id``: compute, extend or reuse that run
- the ``curated_assignments`` and ``curated_labels`` views (migration 0009): assignments and labels
  with the analyst's merges and renames applied, the only way other packages read topic data
- ``curated_topics(con, run_id) -> DataFrame`` (labels as the analyst curated them)
- ``rename_topic`` / ``merge_topics`` / ``pin_topic``
- ``topics_in_period(con, run_id, filters)``: the curated topics with their counts in the filters
- ``topic_counts(con, run_id, by)``: tidy counts per topic × month/year/county/sector
- ``topic_members(con, run_id, topic_id)``: the complaints of a topic (drill-down)
- ``topic_events(con, run_id, topic_id)``: the event-level clusters inside a topic

Names are imported on first use: reading the stored run must not load the text and model stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {
    "PhraseTfidf": "analytics.topics.vectorize",
    "TopicModel": "analytics.topics.model",
    "curated_topics": "analytics.topics.curation",
    "ensure_topics": "analytics.topics.engine",
    "merge_topics": "analytics.topics.curation",
    "pin_topic": "analytics.topics.curation",
    "rename_topic": "analytics.topics.curation",
    "require_run": "analytics.topics.runs",
    "resolve_run": "analytics.topics.runs",
    "run_info": "analytics.topics.runs",
    "topic_counts": "analytics.topics.trends",
    "topic_events": "analytics.topics.trends",
    "topic_members": "analytics.topics.trends",
    "topics_in_period": "analytics.topics.trends",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'analytics.topics' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
