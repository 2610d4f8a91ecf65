"""Complaint-hotspot analytics engine.

Plain Python, no UI: everything the dashboard shows is computed here and is also reachable
as a ``python -m analytics`` command. See README.md for the data model.
"""

__version__ = "0.1.0"
