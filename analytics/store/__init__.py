"""The one DuckDB database the engine owns: opening it, migrating it, checking identifiers.

Commands open it with :func:`open_database` (in turn with other processes); the app through
:class:`analytics.store.lease.SharedConnection`; :func:`connect` is the unlocked primitive below both.
"""

from analytics.store.access import open_database
from analytics.store.connection import (
    connect,
    explain_database_error,
    quote_identifier,
    quote_literal,
    table_columns,
)
from analytics.store.migrations import MIGRATIONS, current_version, migrate

__all__ = [
    "MIGRATIONS",
    "connect",
    "current_version",
    "explain_database_error",
    "migrate",
    "open_database",
    "quote_identifier",
    "quote_literal",
    "table_columns",
]
