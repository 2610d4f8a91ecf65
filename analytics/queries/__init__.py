"""Named queries over the store. Each function takes a DuckDB connection (or cursor) and plain values
and returns a tidy long DataFrame; aggregation happens in DuckDB."""
