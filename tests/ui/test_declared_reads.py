"""Every cached engine read declares every stage it reads, and writes nothing: each page runs once
with the SQL of its cached reads recorded; the tables that SQL names must all belong to the read's
declared stages (otherwise a write to the undeclared stage would leave its cached result stale),
and none of it may change a table of the database."""

from __future__ import annotations

import ast
import importlib
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics.demo import EVENTS
from analytics.store import stages
from tests.ui.conftest import ROOT

PARSER = duckdb.connect()
# What the pages' default runs leave closed: the other tabs (only the open one runs), a picked
# complaint's 同一事项 box, an alert's drill (a day of a planted burst, so there are alerts).
MORE_VISITS: list[tuple[str, dict[str, str], dict[str, Any]]] = [
    ("businesses.py", {"biz_tab": "屡被投诉"}, {}),
    ("businesses.py", {"biz_tab": "投诉公示"}, {}),
    ("hotspots.py", {"hot_tab": "热点事件"}, {}),
    ("explore.py", {}, {"explore_table": {"selection": {"rows": [0], "columns": [], "cells": []}}}),
    ("alerts.py", {"al_as_of": (EVENTS[-1].start + timedelta(days=4)).isoformat()}, {}),
]
# Cached reads no visit runs, and why (their declarations are only read, not checked here).
NOT_VISITED = {
    "analytics.exporting.hotspot_files:shortlist_download": "run only when a download is clicked",
    "analytics.exporting.hotspot_files:ranking_download": "run only when a download is clicked",
    "analytics.ingest.batches:quarantine_rows": "the demo quarantines no row",
}
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


def page_reads() -> set[str]:
    """``module:qualname`` of every engine function the pages and ui/ hand to ``cache.frame`` or
    ``cache.read`` (first argument, resolved through the file's imports)."""
    found: set[str] = set()
    for path in [*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: dict[str, str] = {}  # local name -> module, or module:function
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{node.module}:{alias.name}"
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            called, first = node.func, node.args[0]
            if isinstance(called, ast.Name) and called.id == "partial":  # partial(cache.frame, fn, ...)
                called, first = first, node.args[1] if len(node.args) > 1 else first
            if not (isinstance(called, ast.Attribute) and called.attr in ("frame", "read")):
                continue
            if isinstance(first, ast.Attribute) and isinstance(first.value, ast.Name):
                module = names[first.value.id].replace(":", ".")  # ``from analytics.queries import explore as q``
                found.add(f"{module}:{first.attr}")
            elif isinstance(first, ast.Name):
                found.add(names[first.id])
    return {_defined(name) for name in found}


def _defined(name: str) -> str:
    """``module:function`` where the function is defined (a package re-exports it)."""
    module, function = name.split(":")
    fn = getattr(importlib.import_module(module), function)
    return f"{fn.__module__}:{fn.__qualname__}"


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
    visits = [(page, {}, {}) for page in sorted((ROOT / "pages").glob("*.py"))] + [
        (ROOT / "pages" / page, links, state) for page, links, state in MORE_VISITS
    ]
    for page, links, state in visits:
        cache.invalidate()  # every read runs
        at = AppTest.from_file(str(page), default_timeout=300)
        at.query_params.update(links)
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, (page.name, links, [e.value for e in at.exception])
    recorded = {f"{fn.__module__}:{fn.__qualname__}" for fn in seen}
    missed = sorted(page_reads() - recorded - NOT_VISITED.keys())
    assert not missed, f"cached reads of the pages that no visit ran (add a visit): {missed}"
    wrong = {
        f"{fn.__module__}.{fn.__qualname__}": sorted({KNOWN[t] for t in read} - stages.declared(fn))
        for fn, read in seen.items()
        if {KNOWN[t] for t in read} - stages.declared(fn)
    }
    assert not wrong, f"reads that do not declare every stage they read: {wrong}"
    assert not writes, f"cached functions that write: {writes}"
