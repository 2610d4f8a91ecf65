"""Stages: the groups of tables the engine writes together, each with a version the app's cache reads.

Each table (and view) of the database belongs to one stage, named here and nowhere else. Every write
adds a new version of the stages it changes, inside its own transaction (a write and its version
commit together or not at all): with :func:`changing`, or :func:`bump` before its ``COMMIT``. An
engine function that reads declares its stages with :func:`reads`; ``ui.cache.frame`` keys a
cached result by exactly those stages' versions (so a topic run no longer evicts a complaints-only
query) and refuses a function that declares nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import duckdb

# stage -> its tables and views; a table's writer is named in docs/architecture.md.
STAGES: dict[str, tuple[str, ...]] = {
    # the import: rows as stored, their files, the refused rows, the demo's planted answers
    "complaints": ("complaints", "batches", "quarantine", "demo_truth"),
    # saved header mappings of the import page (a save changes no complaint)
    "mappings": ("mapping_profiles",),
    # tokens, topic runs with their events (topics.level = 'event'), the analysts' curation, its views
    "topics": (
        "tokens",
        "topic_runs",
        "topics",
        "topic_assignments",
        "topic_models",
        "topic_curation",
        "curated_assignments",
        "curated_labels",
    ),
    "matters": ("matter_links", "matter_edges", "matter_curation"),
    "audit": ("audit_log",),
}
# The store's own bookkeeping: no engine read is keyed by it.
BOOKKEEPING: tuple[str, ...] = ("schema_version", "stage_versions")

_READS = "__reads__"
F = TypeVar("F", bound=Callable[..., object])


def _checked(stages: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [s for s in stages if s not in STAGES]
    if not stages or unknown:
        raise ValueError(f"stages must be some of {sorted(STAGES)}, got {list(stages)}")
    return stages


def reads(*stages: str) -> Callable[[F], F]:
    """``@reads("complaints", "matters")``: the stages whose tables the engine function reads."""
    declared = frozenset(_checked(stages))

    def mark(fn: F) -> F:
        setattr(fn, _READS, declared)
        return fn

    return mark


def declared(fn: Callable[..., object]) -> frozenset[str] | None:
    """The stages ``fn`` declared with :func:`reads`, None if it declared none."""
    return getattr(fn, _READS, None)


def bump(con: duckdb.DuckDBPyConnection, *stages: str) -> None:
    """A new version of each stage; call it inside the transaction of the write that changed them."""
    con.execute(
        "INSERT INTO stage_versions (stage, version, changed_at)"
        " SELECT s, uuid()::VARCHAR, now()::TIMESTAMP FROM unnest($stages::VARCHAR[]) AS t(s)",
        {"stages": list(_checked(stages))},
    )


@contextmanager
def changing(con: duckdb.DuckDBPyConnection, *stages: str) -> Iterator[None]:
    """``with changing(con, "topics"):`` a write and the new versions of its stages commit together
    (rolled back together on an error); inside a caller's transaction, that one covers both."""
    try:
        con.execute("BEGIN TRANSACTION")
    except duckdb.TransactionException:
        yield
        bump(con, *stages)
        return
    try:
        yield
        bump(con, *stages)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def versions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """``{stage: version}`` of every stage ("" for one never written)."""
    rows = con.execute("SELECT stage, arg_max(version, id) FROM stage_versions GROUP BY stage").fetchall()
    found = dict(rows)
    return {stage: found.get(stage, "") for stage in STAGES}
