"""Named queries over the store. Each function takes a DuckDB connection (or cursor) and plain values
and returns a tidy long DataFrame; aggregation happens in DuckDB."""

from analytics.schema import BLANK as UNKNOWN  # the label for a missing county, sector … (one owner)

__all__ = ["UNKNOWN"]
