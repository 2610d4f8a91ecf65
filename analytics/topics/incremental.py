"""The small-change path of ``ensure_topics``: assign new complaints to an existing run's topics.

Rule (documented in engine.py): the latest run with the same params must have lost no
complaints, none of its complaints may have been re-tokenised (text changed), and the complaints
added since the run's model was fitted must be at most INCREMENTAL_SHARE of the fitted size.
"""

from __future__ import annotations

import json
import pickle

import duckdb
import numpy as np
import pyarrow as pa

from analytics.events import business_key
from analytics.store import stages
from analytics.text.store import load_corpus, tokenizer_version
from analytics.topics.store import TopicRun, save_run

INCREMENTAL_SHARE = 0.10


def _base_run(con: duckdb.DuckDBPyConnection, params: dict):
    rows = con.execute(
        """SELECT run_id, n_complaints, params FROM topic_runs
           WHERE period_from IS NULL AND period_to IS NULL AND tokenizer_version = $version AND n_topics > 0
           ORDER BY created_at DESC, run_id DESC LIMIT 1""",
        {"version": tokenizer_version()},
    ).fetchall()
    if not rows:
        return None
    run_id, n_prev, raw = rows[0]
    stored = json.loads(raw or "{}")
    model_run = stored.pop("model_run", run_id)
    fitted_n = stored.pop("fitted_n", n_prev)
    version = stored.pop("version", 1)
    if stored != params:
        return None
    return run_id, n_prev, model_run, fitted_n, version


def extend_run(
    con: duckdb.DuckDBPyConnection, params: dict, fp: str, retokenised: np.ndarray, run_id: str
) -> str | None:
    base = _base_run(con, params)
    if base is None:
        return None
    prev, n_prev, model_run, fitted_n, version = base
    present, n_now = con.execute(
        """SELECT count(a.id), (SELECT count(*) FROM complaints)
           FROM topic_assignments a JOIN complaints c ON c.id = a.id WHERE a.run_id = $prev""",
        {"prev": prev},
    ).fetchall()[0]
    if present != n_prev or n_now - fitted_n > INCREMENTAL_SHARE * fitted_n or n_now <= n_prev:
        return None
    if len(retokenised):
        con.register("_retok", pa.table({"id": retokenised}))
        try:
            changed = con.execute(
                "SELECT count(*) FROM topic_assignments WHERE run_id = $prev AND id IN (SELECT id FROM _retok)",
                {"prev": prev},
            ).fetchall()[0][0]
        finally:
            con.unregister("_retok")
        if changed:
            return None
    found = con.execute("SELECT model FROM topic_models WHERE run_id = $run_id", {"run_id": model_run}).fetchall()
    blob = next(iter(found), None)
    if blob is None:
        return None
    try:
        fitted = pickle.loads(blob[0])
    except Exception:  # a model pickled by another code version: just fit again
        return None
    corpus = load_corpus(con, "c.id NOT IN (SELECT id FROM topic_assignments WHERE run_id = $prev)", {"prev": prev})
    labels = fitted.model.predict(fitted.vectorizer.transform(corpus))
    tid = np.asarray(fitted.topic_ids, dtype=np.int64)[labels]
    event = _events_by_business(con, prev, corpus.ids, tid)
    new = pa.table({"id": corpus.ids, "topic_id": tid, "event_id": event})
    stored = {**params, "model_run": model_run, "fitted_n": fitted_n, "version": version}
    k = con.execute("SELECT n_topics FROM topic_runs WHERE run_id = $prev", {"prev": prev}).fetchall()[0][0]
    save_run(con, TopicRun(run_id, stored, fp, n_now, k, assignments=new))
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO topic_assignments SELECT $run_id, id, topic_id, event_id FROM topic_assignments"
            " WHERE run_id = $prev",
            {"run_id": run_id, "prev": prev},
        )
        con.execute(
            """INSERT INTO topics
               SELECT $run_id, t.topic_id, t.level, t.parent_topic_id, t.label, t.keywords,
                      coalesce(s.n, 0), t.representatives
               FROM topics t LEFT JOIN (
                   SELECT topic_id, count(*) AS n FROM topic_assignments WHERE run_id = $run_id GROUP BY topic_id
                   UNION ALL
                   SELECT event_id, count(*) FROM topic_assignments
                   WHERE run_id = $run_id AND event_id IS NOT NULL GROUP BY event_id
               ) s ON s.topic_id = t.topic_id
               WHERE t.run_id = $prev""",
            {"run_id": run_id, "prev": prev},
        )
        stages.bump(con, "topics")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        with stages.changing(con, "topics"):  # save_run's rows go, and reads cached since then with them
            con.execute("DELETE FROM topic_assignments WHERE run_id = $run_id", {"run_id": run_id})
            con.execute("DELETE FROM topic_runs WHERE run_id = $run_id", {"run_id": run_id})
        raise
    return run_id


def _events_by_business(con: duckdb.DuckDBPyConnection, prev: str, ids: np.ndarray, tid: np.ndarray) -> np.ndarray:
    """Existing event whose members name the same business (brand), else -1. Complaints that only
    name their incident in the text wait for the next full run."""
    known = con.execute(
        """SELECT DISTINCT a.topic_id, a.event_id, c.business FROM topic_assignments a JOIN complaints c ON c.id = a.id
           WHERE a.run_id = $prev AND a.event_id IS NOT NULL AND c.business IS NOT NULL""",
        {"prev": prev},
    ).fetchall()
    con.register("_new_ids", pa.table({"id": ids, "pos": np.arange(len(ids))}))
    try:
        rows = con.execute("SELECT c.business FROM _new_ids n JOIN complaints c USING (id) ORDER BY n.pos").fetchall()
        names = [b for (b,) in rows]
    finally:
        con.unregister("_new_ids")
    # Branches of one chain join the chain's event, as in a full run (events.business_key); each
    # distinct name is keyed once.
    keys = {b: business_key(b) for b in {b for _, _, b in known} | {b for b in names if b is not None}}
    # Events are not confined to one issue topic: the brand alone decides.
    lookup = {keys[b]: e for _, e, b in known if keys[b] is not None}
    return np.array([lookup.get(keys.get(b), -1) if b is not None else -1 for b in names], dtype=np.int64)
