"""The one DuckDB database the engine owns: opening it, migrating it, checking identifiers."""

from analytics.store.connection import connect, quote_identifier, table_columns
from analytics.store.migrations import MIGRATIONS, current_version, migrate

__all__ = ["MIGRATIONS", "connect", "current_version", "migrate", "quote_identifier", "table_columns"]
