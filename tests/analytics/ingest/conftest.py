"""Helpers for the import tests: run the CLI, snapshot a database's contents."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from analytics.cli import main


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, Any, str]]:
    """Run ``python -m analytics ARGS`` in-process: (exit code, parsed JSON or stdout, stderr)."""

    def run(*args: str | Path) -> tuple[int, Any, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        try:
            return code, json.loads(out), err
        except json.JSONDecodeError:
            return code, out, err

    return run


@pytest.fixture
def snapshot() -> Callable[[Path], dict[str, Any]]:
    """Every row of the import tables, to show a failed import changed nothing."""

    def take(db: Path) -> dict[str, Any]:
        if not db.exists():
            return {}
        con = duckdb.connect(str(db), read_only=True)
        try:
            return {
                t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall()))
                for t in ("complaints", "batches", "quarantine")
            }
        finally:
            con.close()

    return take
