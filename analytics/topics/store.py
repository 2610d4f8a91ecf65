"""Writing a topic run: run row, topics (issue and event level), assignments, fitted model; and
reading what the event stage reads of the complaints (``event_frame``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from analytics.events import Events
from analytics.store import stages
from analytics.text.store import tokenizer_version
from analytics.topics.matching import EVENT_HIGH

KEEP_RUNS = 3
CHUNK = 50_000

TopicRow = tuple[int, str, int | None, str, list[str], int, list[int]]


@dataclass
class TopicRun:
    """One run as stored: its ``topic_runs`` row, topics (issue and event level), assignments and
    fitted model. Runs cover all complaints (``analytics.topics.runs``): no period columns."""

    run_id: str
    params: dict  # TopicParams.stored() plus version (an incremental run: model_run, fitted_n)
    fingerprint: str
    n_complaints: int
    n_topics: int
    topics: list[TopicRow] = field(default_factory=list)
    assignments: pa.Table | None = None  # id, topic_id, event_id (-1: none)
    model: bytes | None = None  # pickled FittedModel; None for an incremental run


def save_run(con: duckdb.DuckDBPyConnection, run: TopicRun) -> None:
    """Store one run atomically."""
    run_id, topics, assignments, model = run.run_id, run.topics, run.assignments, run.model
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO topic_runs (run_id, created_at, period_from, period_to, n_topics, n_complaints,"
            " tokenizer_version, data_fingerprint, params) VALUES ($run_id, now()::TIMESTAMP, NULL, NULL,"
            " $n_topics, $n_complaints, $tokenizer_version, $data_fingerprint, $params)",
            {
                "run_id": run_id,
                "n_topics": run.n_topics,
                "n_complaints": run.n_complaints,
                "tokenizer_version": tokenizer_version(),
                "data_fingerprint": run.fingerprint,
                "params": json.dumps(run.params),
            },
        )
        if topics:
            frame = pd.DataFrame(
                topics, columns=["topic_id", "level", "parent_topic_id", "label", "keywords", "size", "reps"]
            )
            con.register("_topics_new", frame)
            con.execute(
                """INSERT INTO topics (run_id, topic_id, level, parent_topic_id, label, keywords, size, representatives)
                   SELECT $run_id, topic_id, level, parent_topic_id::INTEGER, label,
                       keywords::VARCHAR[], size, reps::BIGINT[] FROM _topics_new""",
                {"run_id": run_id},
            )
            con.unregister("_topics_new")
        if assignments is not None and assignments.num_rows:
            con.register("_assign_new", assignments)
            con.execute(
                """INSERT INTO topic_assignments (run_id, id, topic_id, event_id)
                   SELECT $run_id, id, topic_id,
                       CASE WHEN event_id < 0 THEN NULL ELSE event_id END FROM _assign_new""",
                {"run_id": run_id},
            )
            con.unregister("_assign_new")
        if model is not None:
            con.execute(
                "INSERT INTO topic_models (run_id, created_at, model) VALUES ($run_id, now()::TIMESTAMP, $model)",
                {"run_id": run_id, "model": model},
            )
        stages.bump(con, "topics")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def event_rows(found: Events, topic_of_row: np.ndarray, ids: np.ndarray, event_ids: np.ndarray) -> list[TopicRow]:
    """One topic row per event of the event stage (``analytics.events``): id ``event_ids[number]``
    (``continued_ids``; -1: the event is not stored, ``extend_events``), level 'event', parent = the
    issue topic most of its members are in (an incident's complaints may fall in several issue
    topics), label and keywords from the event stage."""
    rows = np.flatnonzero(found.labels >= 0)
    if not len(rows):
        return []
    frame = pd.DataFrame({"event": found.labels[rows], "topic": topic_of_row[rows], "id": ids[rows]})
    parent = frame.groupby("event")["topic"].agg(lambda t: int(t.mode().iloc[0]))
    reps = frame.groupby("event")["id"].agg(lambda i: [int(x) for x in i.iloc[:5]])
    return [
        (int(event_ids[d.event]), "event", int(parent[d.event]), str(d.label), list(d.keywords), int(d.size),
         reps[d.event])
        for d in found.descriptions.itertuples()
        if event_ids[d.event] >= 0
    ]  # fmt: skip


def event_frame(con: duckdb.DuckDBPyConnection, ids: np.ndarray) -> pd.DataFrame:
    """What the event stage reads of each complaint of ``ids``, in that order: title, content,
    business, received_at."""
    con.register("_topic_ids", pa.table({"id": ids, "pos": np.arange(len(ids))}))
    try:
        return con.execute(
            """SELECT c.title, c.content, c.business, c.received_at
               FROM _topic_ids t JOIN complaints c USING (id) ORDER BY t.pos"""
        ).df()
    finally:
        con.unregister("_topic_ids")


def prune_runs(con: duckdb.DuckDBPyConnection) -> None:
    """Keep the latest few runs: older ones only cost space."""
    old = con.execute(
        "SELECT run_id FROM topic_runs ORDER BY created_at DESC, run_id DESC OFFSET $keep", {"keep": KEEP_RUNS}
    ).fetchall()
    if not old:
        return
    ids = [r[0] for r in old]
    # A model still used by a kept incremental run must stay.
    kept_models = {
        json.loads(p or "{}").get("model_run")
        for (p,) in con.execute(
            "SELECT params FROM topic_runs WHERE NOT list_contains($ids, run_id)", {"ids": ids}
        ).fetchall()
    }
    con.execute("BEGIN TRANSACTION")
    try:
        # The highest event id of the runs that go stays known (EVENT_HIGH in the latest run's
        # params), so a fresh event id is never one an earlier incident had (matching.next_event_id).
        con.execute(
            f"""UPDATE topic_runs SET params = json_merge_patch(params, json_object('{EVENT_HIGH}', (
                    SELECT greatest(coalesce(max(t.topic_id), 0), coalesce(max(CAST(
                        json_extract_string(r.params, '$.{EVENT_HIGH}') AS BIGINT)), 0))
                    FROM topic_runs r LEFT JOIN topics t ON t.run_id = r.run_id AND t.level = 'event'
                    WHERE list_contains($ids, r.run_id))))
                WHERE run_id = (SELECT run_id FROM topic_runs WHERE NOT list_contains($ids, run_id)
                                ORDER BY created_at DESC, run_id DESC LIMIT 1)""",
            {"ids": ids},
        )
        for table in ("topic_assignments", "topics", "topic_runs"):
            con.execute(f"DELETE FROM {table} WHERE list_contains($ids, run_id)", {"ids": ids})
        drop = [r for r in ids if r not in kept_models]
        if drop:
            con.execute("DELETE FROM topic_models WHERE list_contains($ids, run_id)", {"ids": drop})
        stages.bump(con, "topics")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
