"""The small-change path of ``ensure_topics``: assign new complaints to an existing run's topics and
find the events near them in time again.

Rule (documented in engine.py): the latest run with the same params must have lost no
complaints, none of its complaints may have been re-tokenised (text changed), and the complaints
added since the run's model was fitted must be at most INCREMENTAL_SHARE of the fitted size.

Events: a new incident is often named only in the text (an estate, a lender; no business column),
so the new complaints are not matched to events one by one. The event stage runs again over the
**window**: the complaints received within ``REACH_DAYS`` of a new one (no event lasts longer, so
no other complaint can share an event with it), with every member of an earlier event that has one
of them, so no event is cut in two. The events found there that hold a new complaint are taken
(``analytics.events.extend_events``): one that continues an earlier event keeps its id and its
other members; every other event stays as the last full run found it. Three phases like a full
run (``engine.prepare`` → ``compute`` → ``store``): the detection holds no database.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from analytics.events import REACH_DAYS, detect, extend_events
from analytics.store import stages
from analytics.text.store import Corpus, load_corpus, tokenizer_version
from analytics.topics.matching import EVENT_HIGH, next_event_id
from analytics.topics.store import TopicRow, TopicRun, event_frame, event_rows, save_run

INCREMENTAL_SHARE = 0.10


@dataclass
class Extension:
    """What the incremental path reads (phase 1): the window's complaints, in id order."""

    run_id: str
    prev: str
    stored: dict  # the new run's params: the base run's, with model_run, fitted_n, version
    fp: str
    n_now: int
    n_topics: int
    fitted: Any  # the base run's engine.FittedModel
    corpus: Corpus  # tokens of the window's complaints
    meta: pd.DataFrame  # what the event stage reads of them (``event_frame``)
    is_new: np.ndarray  # bool per window row: not in the base run
    topic: np.ndarray  # per window row, its topic in the base run (new rows: -1)
    old_event: np.ndarray  # per window row, its event in the base run (-1: none)
    fresh_from: int  # the next unused event id

    @property
    def working_zh(self) -> str:
        """What phase 2 does, for the background job's progress."""
        return f"新投诉归入已有话题，重新识别近期事件（{int(self.is_new.sum()):,} 件新投诉）"


@dataclass
class Extended:
    """The incremental run computed, not yet stored (phase 2)."""

    extension: Extension
    topic: np.ndarray  # per window row: its topic (new rows: predicted)
    event: np.ndarray  # per window row: its event id (-1: none)
    events: list[TopicRow]  # the events holding a new complaint (their rows replace earlier ones)


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
    stored.pop(EVENT_HIGH, None)  # bookkeeping of pruned runs, not a parameter
    model_run = stored.pop("model_run", run_id)
    fitted_n = stored.pop("fitted_n", n_prev)
    version = stored.pop("version", 1)
    if stored != params:
        return None
    return run_id, n_prev, model_run, fitted_n, version


def read_extension(
    con: duckdb.DuckDBPyConnection, params: dict, fp: str, retokenised: np.ndarray, run_id: str
) -> Extension | None:
    """Phase 1 of the incremental path; None when a full run is needed (the module's rule)."""
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
    window = _window(con, prev)
    con.register("_event_window", pa.table({"id": window["id"]}))
    try:
        corpus = load_corpus(con, "c.id IN (SELECT id FROM _event_window)")
    finally:
        con.unregister("_event_window")
    # The window's rows in corpus order (by id; ensure_tokens has given every complaint its tokens).
    rows = np.searchsorted(window["id"], corpus.ids)
    k = con.execute("SELECT n_topics FROM topic_runs WHERE run_id = $prev", {"prev": prev}).fetchall()[0][0]
    return Extension(
        run_id=run_id,
        prev=prev,
        stored={**params, "model_run": model_run, "fitted_n": fitted_n, "version": version},
        fp=fp,
        n_now=n_now,
        n_topics=k,
        fitted=fitted,
        corpus=corpus,
        meta=event_frame(con, corpus.ids),
        is_new=window["is_new"][rows],
        topic=window["topic_id"][rows],
        old_event=window["event_id"][rows],
        fresh_from=next_event_id(con),
    )


def _window(con: duckdb.DuckDBPyConnection, prev: str) -> dict[str, np.ndarray]:
    """The complaints whose events are found again (module docstring), by id: id, is_new, and
    their topic and event in the base run (-1: none, or new)."""
    return con.execute(
        """WITH base AS (SELECT id, topic_id, event_id FROM topic_assignments WHERE run_id = $prev),
           new AS (SELECT c.id, c.received_at FROM complaints c ANTI JOIN base USING (id)),
           span AS (SELECT min(received_at) - to_days($reach) AS lo, max(received_at) + to_days($reach) AS hi
                    FROM new),
           near AS (SELECT c.id FROM complaints c, span WHERE c.received_at BETWEEN span.lo AND span.hi),
           touched AS (SELECT DISTINCT b.event_id FROM base b JOIN near USING (id) WHERE b.event_id IS NOT NULL),
           window_ids AS (
               SELECT id FROM near UNION SELECT id FROM new
               UNION SELECT id FROM base WHERE event_id IN (SELECT event_id FROM touched)
           )
           SELECT w.id, b.id IS NULL AS is_new, coalesce(b.topic_id, -1) AS topic_id,
                  coalesce(b.event_id, -1) AS event_id
           FROM window_ids w LEFT JOIN base b USING (id) ORDER BY w.id""",
        {"prev": prev, "reach": REACH_DAYS},
    ).fetchnumpy()


def compute_extension(ext: Extension) -> Extended:
    """Phase 2, in memory: the new complaints' topics (the stored model), the window's events."""
    topic = np.asarray(ext.topic, dtype=np.int64).copy()
    new_rows = np.flatnonzero(ext.is_new)
    if len(new_rows):
        fitted = ext.fitted
        labels = fitted.model.predict(fitted.vectorizer.transform(ext.corpus.take(new_rows)))
        topic[new_rows] = np.asarray(fitted.topic_ids, dtype=np.int64)[labels]
    found = detect(ext.meta, ext.corpus)
    event, id_of = extend_events(ext.old_event, found.labels, ext.is_new, ext.fresh_from)
    return Extended(ext, topic, event, event_rows(found, topic, ext.corpus.ids, id_of))


def store_extension(con: duckdb.DuckDBPyConnection, done: Extended) -> str:
    """Phase 3, on the database: the new run is the base run with the new complaints' topics and
    events; issue topics and the other events are carried over, sizes counted again."""
    ext = done.extension
    run_id, prev = ext.run_id, ext.prev
    new = np.asarray(ext.is_new, dtype=bool)
    ids = ext.corpus.ids
    assignments = pa.table({"id": ids[new], "topic_id": done.topic[new], "event_id": done.event[new]})
    save_run(con, TopicRun(run_id, ext.stored, ext.fp, ext.n_now, ext.n_topics, done.events, assignments))
    replaced = [int(row[0]) for row in done.events]  # their rows describe the events found now
    con.register("_window_events", pa.table({"id": ids[~new], "event_id": done.event[~new]}))
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            """INSERT INTO topic_assignments
               SELECT $run_id, a.id, a.topic_id,
                      CASE WHEN w.id IS NULL THEN a.event_id WHEN w.event_id >= 0 THEN w.event_id END
               FROM topic_assignments a LEFT JOIN _window_events w USING (id) WHERE a.run_id = $prev""",
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
               WHERE t.run_id = $prev
                 AND (t.level = 'issue' OR (s.n > 0 AND NOT list_contains($replaced::INTEGER[], t.topic_id)))""",
            {"run_id": run_id, "prev": prev, "replaced": replaced},
        )
        # An event found now that continues an earlier one also holds that one's other members.
        con.execute(
            """UPDATE topics SET size = s.n
               FROM (SELECT event_id, count(*) AS n FROM topic_assignments
                     WHERE run_id = $run_id AND event_id IS NOT NULL GROUP BY event_id) s
               WHERE topics.run_id = $run_id AND topics.level = 'event' AND topics.topic_id = s.event_id""",
            {"run_id": run_id},
        )
        # An earlier event that lost complaints to one found now shows only its own as examples.
        con.execute(
            """UPDATE topics SET representatives = k.kept
               FROM (SELECT r.topic_id, coalesce(list(r.id ORDER BY r.pos) FILTER (WHERE a.id IS NOT NULL), []) AS kept
                     FROM (SELECT topic_id, unnest(representatives) AS id,
                                  generate_subscripts(representatives, 1) AS pos
                           FROM topics WHERE run_id = $run_id AND level = 'event') r
                     LEFT JOIN topic_assignments a
                       ON a.run_id = $run_id AND a.id = r.id AND a.event_id = r.topic_id
                     GROUP BY r.topic_id) k
               WHERE topics.run_id = $run_id AND topics.level = 'event' AND topics.topic_id = k.topic_id""",
            {"run_id": run_id},
        )
        stages.bump(con, "topics")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        with stages.changing(con, "topics"):  # save_run's rows go, and reads cached since then with them
            for table in ("topic_assignments", "topics", "topic_runs"):
                con.execute(f"DELETE FROM {table} WHERE run_id = $run_id", {"run_id": run_id})
        raise
    finally:
        con.unregister("_window_events")
    return run_id
