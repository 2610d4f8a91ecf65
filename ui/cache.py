"""Every ``st.cache_*`` of the app lives here, and nowhere else.

- The shared connection is a resource: one per server process.
- ``frame(fn, *args)`` runs an engine function ``fn(cursor, *args, **kwargs)`` and caches what it
  returns, keyed by the function's name, small hashable arguments (a frozen ``Filters``, ints,
  strings, tuples) and the database's data version, never by DataFrames or connections. The
  function itself is handed over (never looked up by name), and only functions that read are
  cached: a write goes through ``with writing() as cur:``, which drops the cached results after it.
- Each use takes its own cursor, ``with cursor() as cur:``: a DuckDB connection is not thread-safe,
  its cursors are. The connection is open only while cursors are in use (and a second after), so a
  command-line import can take its turn (analytics/store/lease.py, docs/architecture-concurrency.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import streamlit as st

from analytics import settings
from analytics.store import lease
from ui.router import ensure_router

_TTL = settings.get("HOTSPOT_CACHE_TTL")


@st.cache_resource(show_spinner=False)
def _shared(path: str) -> lease.SharedConnection:
    return lease.SharedConnection(path)


def shared() -> lease.SharedConnection:
    # Keyed by path: resources outlive an AppTest run, and tests point HOTSPOT_DB at different files.
    return _shared(str(settings.get("HOTSPOT_DB")))


@contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """``with cursor() as cur:`` a cursor of the app's connection, waiting while an import writes."""
    with shared().cursor() as cur:
        yield cur


def data_version() -> str:
    """Changes whenever the database changes (an import here or from the command line, computed
    topics, curation), so cached results go stale; read from the files, so it never waits."""
    return lease.data_version(settings.get("HOTSPOT_DB"))


@st.cache_data(ttl=_TTL, max_entries=512, show_spinner=False)
def _cached_call(
    qualified: str,
    version: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    _fn: Callable[..., Any],  # leading underscore: not hashed; ``qualified`` names it in the key
) -> Any:
    del qualified, version  # parts of the cache key only
    with cursor() as cur:
        return _fn(cur, *args, **dict(kwargs))


def frame(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Cached ``fn(cursor, *args, **kwargs)`` for an engine function ``fn`` in ``analytics`` that reads."""
    ensure_router()  # a page started outside the router reruns through it (ui/router.py)
    if not fn.__module__.startswith("analytics."):
        raise ValueError(f"only engine functions are cached: {fn.__module__}.{fn.__qualname__}")
    qualified = f"{fn.__module__}:{fn.__qualname__}"
    return _cached_call(qualified, data_version(), args, tuple(sorted(kwargs.items())), fn)


@contextmanager
def writing() -> Iterator[duckdb.DuckDBPyConnection]:
    """``with writing() as cur:`` a cursor for a write the app makes (import, rollback, curation);
    cached results are dropped when the block ends, written or failed part-way."""
    try:
        with cursor() as cur:
            yield cur
    finally:
        invalidate()


def invalidate() -> None:
    """Forget cached results after the app itself wrote to the database (import, curation)."""
    _cached_call.clear()
