"""Named queries over the store. Each function takes a DuckDB connection (or cursor) and plain values
and returns a tidy long DataFrame; aggregation happens in DuckDB."""

UNKNOWN = "未注明"  # the one label for a missing county, sector, channel, business … in tables and charts
