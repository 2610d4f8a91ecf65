"""Early warning (预警): unusual rises per business, county × sector and topic × county, and new topics.

- ``detection``: one day's alerts (:func:`detect`), the method in its docstring
- ``evaluation``: the test of one window (expected count, upper bound, q, level), plain numbers
- ``season``: the seasonal factor, from the same days of earlier years (calendar and lunar festivals)
- ``recent``: the alerts of the last weeks in one list (:func:`alerts_as_of`, what page and command show)
- ``drill``: one alert's series over time and the complaints behind it
"""

from analytics.alerts.detection import ALERT_COLUMNS, WINDOWS, default_as_of, detect, resolve_as_of
from analytics.alerts.evaluation import LEVELS, AlertParams, evaluate, significance
from analytics.alerts.recent import alerts_as_of, recent_alerts

__all__ = [
    "ALERT_COLUMNS",
    "LEVELS",
    "WINDOWS",
    "AlertParams",
    "alerts_as_of",
    "default_as_of",
    "detect",
    "evaluate",
    "recent_alerts",
    "resolve_as_of",
    "significance",
]
