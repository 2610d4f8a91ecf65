"""The event stage: complaints about one incident (one estate, business, school, road, project,
lender or policy, and one problem, bounded in time), found from the text and the business column.

- ``detect(frame, corpus) -> Events``: event number per complaint, label, keywords, main entity.
- ``EventClusterer``: the clustering, scikit-learn style (``analytics.events.clustering``).
- ``find_entities`` / ``business_key``: the named things an event is about, in the text
  (``analytics.events.entities``) and in the business column (``analytics.events.businesses``).
- ``continued_ids``: stable event ids, an event found again keeps the id of the one it continues;
  ``extend_events``: the events after new complaints arrive (``analytics.events.continuity``).

Events are computed with each topic run and stored with it (``topics`` level 'event',
``topic_assignments.event_id``), so 话题, 热点, 预警, exports and the CLI all show the same events.
"""

from analytics.events.businesses import business_key, business_keys, place_names
from analytics.events.clustering import EventClusterer
from analytics.events.continuity import REACH_DAYS, continued_ids, extend_events
from analytics.events.engine import Events, detect
from analytics.events.entities import find_entities

# Event ids start at EVENT_BASE, apart from issue topic ids (continuity.py keeps them stable).
EVENT_BASE = 1_000_000

__all__ = [
    "EVENT_BASE",
    "REACH_DAYS",
    "EventClusterer",
    "Events",
    "business_key",
    "business_keys",
    "continued_ids",
    "detect",
    "extend_events",
    "find_entities",
    "place_names",
]
