"""Every ``st.cache_*`` of the app lives here, and nowhere else.

- ``connection()`` and ``tokenizer()`` are resources: one per server process.
- ``frame(fn, *args)`` runs an engine function ``fn(cursor, *args, **kwargs)`` and caches what it
  returns, keyed by the function's name, small hashable arguments (a frozen ``Filters``, ints,
  strings, tuples) and the database's data version, never by DataFrames or connections.
- Each call takes its own ``cursor()``: a DuckDB connection is not thread-safe, its cursors are.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import duckdb
import streamlit as st

from analytics import settings
from analytics.store import connect
from ui.router import ensure_router

_TTL = settings.get("HOTSPOT_CACHE_TTL")


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return connect(path)


def connection() -> duckdb.DuckDBPyConnection:
    # Keyed by path: resources outlive an AppTest run, and tests point HOTSPOT_DB at different files.
    return _connection(str(settings.get("HOTSPOT_DB")))


def cursor() -> duckdb.DuckDBPyConnection:
    return connection().cursor()


def data_version() -> str:
    """Changes whenever imported data or computed topics change, so cached results go stale."""
    cur = cursor()
    try:
        row = cur.execute(
            "SELECT (SELECT count(*) FROM complaints), (SELECT max(imported_at) FROM batches),"
            " (SELECT count(*) FROM batches), (SELECT max(created_at) FROM topic_runs),"
            " (SELECT max(updated_at) FROM topic_curation)"
        ).fetchone()
    finally:
        cur.close()
    return "|".join(str(v) for v in (settings.get("HOTSPOT_DB"), *row))


def _resolve(qualified: str) -> Callable[..., Any]:
    module, _, name = qualified.partition(":")
    if not module.startswith("analytics."):
        raise ValueError(f"only engine functions are cached: {qualified}")
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


@st.cache_data(ttl=_TTL, max_entries=512, show_spinner=False)
def _cached_call(qualified: str, version: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> Any:
    del version  # part of the cache key only
    cur = cursor()
    try:
        return _resolve(qualified)(cur, *args, **dict(kwargs))
    finally:
        cur.close()


def frame(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Cached ``fn(cursor, *args, **kwargs)`` for an engine function ``fn`` in ``analytics``."""
    ensure_router()  # a page started outside the router reruns through it (ui/router.py)
    qualified = f"{fn.__module__}:{fn.__qualname__}"
    return _cached_call(qualified, data_version(), args, tuple(sorted(kwargs.items())))


def invalidate() -> None:
    """Forget cached results after the app itself wrote to the database (import, curation)."""
    _cached_call.clear()


@st.cache_resource(show_spinner=False)
def tokenizer() -> Any:
    """The project's segmenter (jieba + data/dict, rjieba accelerator), loaded once per server."""
    from analytics.text import segmenter

    return segmenter()
