"""Deterministic synthetic complaint history for 清远市 with planted hotspots (see ``PLANTED``).

``build_demo(path, rows, seed)`` writes the database; ``PLANTED`` describes what was planted so
tests of topics, hotspots and alerts can check they find it.
"""

from analytics.demo.build import build_demo
from analytics.demo.planted import EVENTS, ISSUES, PLANTED, PlantedTheme

__all__ = ["EVENTS", "ISSUES", "PLANTED", "PlantedTheme", "build_demo"]
