"""Topics: issue-level themes and event-level clusters of complaint text, stable across runs.

Engine API (others code against this):
- ``ensure_topics(con, date_from=None, date_to=None, n_topics=None) -> run_id``
- ``curated_topics(con, run_id) -> DataFrame`` (labels as the analyst curated them)
- ``rename_topic`` / ``merge_topics`` / ``pin_topic``
- ``topic_counts(con, run_id, by)``: tidy counts per topic × month/year/county/sector
- ``topic_members(con, run_id, topic_id)``: the complaints of a topic (drill-down)
- ``topic_events(con, run_id, topic_id)``: the event-level clusters inside a topic
"""

from analytics.topics.curation import curated_topics, merge_topics, pin_topic, rename_topic
from analytics.topics.engine import ensure_topics
from analytics.topics.model import TopicModel
from analytics.topics.trends import topic_counts, topic_events, topic_members
from analytics.topics.vectorize import PhraseTfidf

__all__ = [
    "PhraseTfidf",
    "TopicModel",
    "curated_topics",
    "ensure_topics",
    "merge_topics",
    "pin_topic",
    "rename_topic",
    "topic_counts",
    "topic_events",
    "topic_members",
]
