"""Every cached engine read declares every stage it reads, and writes nothing: each page runs once
with the SQL of its cached reads recorded; the tables that SQL names must all belong to the read's
declared stages (otherwise a write to the undeclared stage would leave its cached result stale),
and none of it may change a table of the database."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics.store import stages
from tests.ui.conftest import ROOT

PARSER = duckdb.connect()
KNOWN = {table: stage for stage, tables in stages.STAGES.items() for table in tables}
# A statement that changes a table: the table is the last group (temp tables of a read are not KNOWN).
CHANGE = re.compile(r"^\s*(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|DROP\s+TABLE|ALTER\s+TABLE)\s+(\w+)", re.I)


def tables(sql: str) -> set[str]:
    """The database tables and views a SELECT names (CTEs and registered frames are not in KNOWN)."""
    tree = json.loads(PARSER.execute("SELECT json_serialize_sql($sql)", {"sql": sql}).fetchone()[0])
    if tree.get("error"):  # not a SELECT (CREATE TEMP …): the statements it reads from are recorded too
        return set()
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE" and "table_name" in node:
                found.add(node["table_name"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return found & KNOWN.keys()


class Recording:
    """A cursor that notes which tables each cached read's statements name."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, seen: dict[Any, set[str]], writes: list[str]) -> None:
        self._cur, self._seen, self._writes = cur, seen, writes

    def _note(self, sql: str) -> None:
        frame = sys._getframe()
        while frame is not None and frame.f_code.co_name != "_cached_call":
            frame = frame.f_back
        if frame is not None:  # a cached read (not a write through writing())
            self._seen.setdefault(frame.f_locals["_fn"], set()).update(tables(sql))
            change = CHANGE.match(sql)
            if change and change.group(3) in KNOWN.keys() | set(stages.BOOKKEEPING):
                self._writes.append(f"{frame.f_locals['_fn'].__qualname__}: {sql[:80]}")

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        self._note(sql)
        return self._cur.execute(sql, *args, **kwargs)

    def sql(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        self._note(sql)
        return self._cur.sql(sql, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cur, name)


def test_each_cached_read_declares_the_stages_of_the_tables_it_reads(
    ui_db: Path, use_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import cache

    use_db(ui_db)
    seen: dict[Any, set[str]] = {}
    writes: list[str] = []
    plain = cache.cursor

    @contextmanager
    def recording() -> Iterator[Recording]:
        with plain() as cur:
            yield Recording(cur, seen, writes)

    monkeypatch.setattr(cache, "cursor", recording)
    for page in sorted((ROOT / "pages").glob("*.py")):
        cache.invalidate()  # every read runs
        at = AppTest.from_file(str(page), default_timeout=300).run()
        assert not at.exception, (page.name, [e.value for e in at.exception])
    assert len(seen) >= 30  # the recording saw the pages' reads
    wrong = {
        f"{fn.__module__}.{fn.__qualname__}": sorted({KNOWN[t] for t in read} - stages.declared(fn))
        for fn, read in seen.items()
        if {KNOWN[t] for t in read} - stages.declared(fn)
    }
    assert not wrong, f"reads that do not declare every stage they read: {wrong}"
    assert not writes, f"cached functions that write: {writes}"
