"""Every ``st.cache_*`` of the app lives here, and nowhere else.

- The shared connection is a resource: one per server process.
- ``frame(fn, *args)`` runs an engine function ``fn(cursor, *args, **kwargs)`` and caches what it
  returns, keyed by the function's name, small hashable arguments (a frozen ``Filters``, ints,
  strings, tuples) and the versions of the stages it reads, never by DataFrames or connections.
  ``fn`` declares those stages (``@reads("complaints", "matters")``, analytics/store/stages.py);
  ``frame`` refuses a function that declares none. So a topic run (stage ``topics``) leaves the
  cached KPIs (``complaints``, ``matters``) of every session alone, and an import makes them stale.
  The function itself is handed over (never looked up by name), and only functions that read are
  cached: a write goes through ``with writing() as cur:``; the engine function that writes adds new
  versions of its stages in its own transaction.
- The versions are read with a cursor only when the database files changed since the last read
  (``SharedConnection.stage_versions``): a page whose results are cached never waits for a lock.
- ``figure(builder, *args)`` caches a finished chart: ``builder`` is a chart builder in
  ``analytics.charts`` and each argument a small hashable value or a :func:`read` (an engine read named,
  not run: it runs through ``frame`` only when the chart is not cached). Building a plotly figure is
  most of a page's CPU (its template alone is 15-20 ms); a cached one is shared, never changed
  (``ui.charts.show`` copies before it changes one), and is a resource, not data: unpickling a figure
  would validate it all again. It is kept :func:`ui.charts.finished`: what ``st.plotly_chart`` sends
  is made once, not on every view.
- Each use takes its own cursor, ``with cursor() as cur:``: a DuckDB connection is not thread-safe,
  its cursors are. The connection is open only while cursors are in use (and a second after), so a
  command-line import can take its turn (analytics/store/lease.py, docs/architecture-concurrency.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import plotly.graph_objects as go
import streamlit as st

from analytics import settings
from analytics.store import lease, stages
from ui.charts import finished
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
    """Changes whenever the database files change (an import here or from the command line, computed
    topics, curation); read from the files, so it never waits."""
    return lease.data_version(settings.get("HOTSPOT_DB"))


def _versions(needed: frozenset[str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The part of a cache key that goes stale: the database and the versions of the stages ``needed``."""
    connection = shared()
    found = connection.stage_versions() if needed else {}
    return str(connection.path), tuple((stage, found[stage]) for stage in sorted(needed))


@st.cache_data(ttl=_TTL, max_entries=512, show_spinner=False)
def _cached_call(
    qualified: str,
    versions: tuple[str, tuple[tuple[str, str], ...]],
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    _fn: Callable[..., Any],  # leading underscore: not hashed; ``qualified`` names it in the key
) -> Any:
    del qualified, versions  # parts of the cache key only
    with cursor() as cur:
        return _fn(cur, *args, **dict(kwargs))


def _qualified(fn: Callable[..., Any], package: str = "analytics.", what: str = "engine functions") -> str:
    if not fn.__module__.startswith(package):
        raise ValueError(f"only {what} are cached: {fn.__module__}.{fn.__qualname__}")
    return f"{fn.__module__}:{fn.__qualname__}"


def _reads(fn: Callable[..., Any]) -> frozenset[str]:
    declared = stages.declared(fn)
    if declared is None:
        raise ValueError(f"an engine read declares the stages it reads (@reads): {fn.__module__}.{fn.__qualname__}")
    return declared


def frame(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Cached ``fn(cursor, *args, **kwargs)`` for an engine function ``fn`` in ``analytics`` that reads
    the stages it declares with ``@reads``."""
    ensure_router()  # a page started outside the router reruns through it (ui/router.py)
    qualified = _qualified(fn)
    return _cached_call(qualified, _versions(_reads(fn)), args, tuple(sorted(kwargs.items())), fn)


@dataclass(frozen=True)
class Read:
    """``frame(fn, *args, **kwargs)``, or its attribute ``part``, named but not run (see :func:`read`)."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]
    part: str = ""

    def key(self) -> tuple[Any, ...]:
        return (_qualified(self.fn), self.args, self.kwargs, self.part)

    def stages(self) -> frozenset[str]:
        return _reads(self.fn)

    def get(self, part: str) -> Read:
        """The attribute ``part`` of what the read returns (``rank_issues(...).ranking``)."""
        return Read(self.fn, self.args, self.kwargs, part)

    def run(self) -> Any:
        value = frame(self.fn, *self.args, **dict(self.kwargs))
        return getattr(value, self.part) if self.part else value


def read(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Read:
    """An argument of :func:`figure`: ``frame(fn, *args, **kwargs)``, run only if the chart is not cached."""
    return Read(fn, args, tuple(sorted(kwargs.items())))


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def _cached_figure(
    key: tuple[Any, ...],
    _builder: Callable[..., go.Figure],  # leading underscore: not hashed; ``key`` names it and its arguments
    _args: tuple[Any, ...],
    _kwargs: dict[str, Any],
) -> go.Figure:
    del key  # the cache key only
    args = [a.run() if isinstance(a, Read) else a for a in _args]
    kwargs = {k: v.run() if isinstance(v, Read) else v for k, v in _kwargs.items()}
    return finished(_builder(*args, **kwargs))


def figure(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """Cached ``builder(*args, **kwargs)`` for a chart builder in ``analytics.charts``; each :class:`Read`
    argument is replaced by what it reads. Shared by every session: show it, never change it."""
    ensure_router()

    def key(value: Any) -> Any:
        return value.key() if isinstance(value, Read) else value

    reads = [v for v in (*args, *kwargs.values()) if isinstance(v, Read)]
    cache_key = (
        _qualified(builder, "analytics.charts.", "chart builders"),
        _versions(frozenset().union(*(r.stages() for r in reads))),
        tuple(key(a) for a in args),
        tuple(sorted((k, key(v)) for k, v in kwargs.items())),
    )
    return _cached_figure(cache_key, builder, args, kwargs)


@contextmanager
def writing() -> Iterator[duckdb.DuckDBPyConnection]:
    """``with writing() as cur:`` a cursor for a write the app makes (import, rollback, curation) through
    an engine function, which adds new versions of the stages it changed: the cached results that
    read them go stale, the others stay. The versions are read again when the block ends."""
    try:
        with cursor() as cur:
            yield cur
    finally:
        shared().forget_versions()


def invalidate() -> None:
    """Forget every cached result and chart (a benchmark or a test that starts cold)."""
    _cached_call.clear()
    _cached_figure.clear()
