"""Which topic run every view reads: one rule, ``resolve_run``.

There is one assignment of complaints to topics, shared by every period: the current run covers
all complaints, and a year, quarter, month or holiday view filters it by received time, so a
topic's count for a period never depends on which view asks. New complaints are assigned to the
current run incrementally; a refit stores a new run with the next version number (``RunInfo``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from analytics.errors import UserError
from analytics.store.stages import reads

NO_TOPICS_ZH = "话题尚未计算：导入或生成数据后会在后台自动计算，请稍候刷新；也可运行 `python -m analytics topics`。"


@dataclass(frozen=True)
class RunInfo:
    """What the UI says about the current run: its version (one per full fit) and when it was fitted."""

    run_id: str
    version: int
    fitted_at: datetime
    n_complaints: int

    def describe(self) -> str:
        fitted = f"{self.fitted_at:%Y-%m-%d %H:%M}"
        return f"话题模型已于 {fitted} 重新计算（第 {self.version} 版），覆盖 {self.n_complaints:,} 件投诉"


@reads("topics")
def resolve_run(con: duckdb.DuckDBPyConnection, *, compute: bool = False) -> str | None:
    """The current topic run: the newest run over all complaints; None when topics were never computed.

    ``compute`` (commands, never a page) first brings it up to date with the complaints now stored
    (``ensure_topics``: reuse, extend or refit), keeping the number of topics it was made with.
    """
    if compute:
        from analytics.topics.engine import ensure_topics  # the text stack is heavy: only when computing

        return ensure_topics(con, n_topics=chosen_n_topics(con))
    rows = con.execute(
        """SELECT run_id FROM topic_runs WHERE period_from IS NULL AND period_to IS NULL
           ORDER BY created_at DESC, run_id DESC LIMIT 1"""
    ).fetchall()
    return rows[0][0] if rows else None


def chosen_n_topics(con: duckdb.DuckDBPyConnection) -> int | None:
    """The number of topics the current run was asked for (``topics --topics K``); None: automatic."""
    rows = con.execute(
        """SELECT params FROM topic_runs WHERE period_from IS NULL AND period_to IS NULL
           ORDER BY created_at DESC, run_id DESC LIMIT 1"""
    ).fetchall()
    return json.loads(rows[0][0] or "{}").get("n_topics") if rows else None


def require_run(con: duckdb.DuckDBPyConnection, *, compute: bool = False) -> str:
    """``resolve_run``, or a clear message when there is no run yet."""
    run_id = resolve_run(con, compute=compute)
    if run_id is None:
        raise UserError("No topics computed yet; run `python -m analytics topics` first.", zh=NO_TOPICS_ZH)
    return run_id


@reads("topics")
def run_info(con: duckdb.DuckDBPyConnection, run_id: str) -> RunInfo:
    """Version and fit time of a run (an incremental run reports the full fit it extends)."""
    created, n, raw = con.execute(
        "SELECT created_at, n_complaints, params FROM topic_runs WHERE run_id = $run_id", {"run_id": run_id}
    ).fetchall()[0]
    params = json.loads(raw or "{}")
    fitted_at = created
    if model_run := params.get("model_run"):
        found = con.execute(
            "SELECT created_at FROM topic_runs WHERE run_id = $run_id", {"run_id": model_run}
        ).fetchall()
        fitted_at = found[0][0] if found else created
    return RunInfo(run_id, int(params.get("version", 1)), fitted_at, int(n))


def next_version(con: duckdb.DuckDBPyConnection) -> int:
    """Version number of a new full fit: one more than the newest stored run's."""
    rows = con.execute(
        """SELECT params FROM topic_runs WHERE period_from IS NULL AND period_to IS NULL
           ORDER BY created_at DESC, run_id DESC LIMIT 1"""
    ).fetchall()
    return int(json.loads(rows[0][0] or "{}").get("version", 0)) + 1 if rows else 1
