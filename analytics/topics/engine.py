"""``ensure_topics``: a current topic run for a period, computed, extended or reused.

A run is reused while its data fingerprint (complaint count + max id + tokenizer version + params +
period) still matches. Otherwise:
- **Incremental** (the small-change rule): when the latest run for the same period and params lost
  no complaints, none of its complaints' text changed, and the complaints added since its last full
  fit are at most ``incremental.INCREMENTAL_SHARE`` (10%) of that fit's size, the new complaints are tokenised,
  assigned to the existing topics with the stored model (nearest centre) and to an existing event
  when they name the same business; topics, labels and ids are carried over.
- **Full**: tokenise what is missing, fit the vectoriser and model on bounded samples, assign every
  complaint, describe the topics, find events, match ids to the previous run, store everything.

Concurrent requests for the same fingerprint in one process (the app's sessions) compute it once.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import threading
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import numpy as np
import pyarrow as pa
from threadpoolctl import threadpool_limits

from analytics.events import EVENT_BASE, detect
from analytics.filters import Filters
from analytics.text.store import ensure_tokens, load_corpus, tokenizer_version
from analytics.topics.labels import TermStats, describe
from analytics.topics.matching import match_ids
from analytics.topics.model import BLAS_THREADS, TopicModel
from analytics.topics.store import event_rows, prune_runs, save_run
from analytics.topics.vectorize import PhraseTfidf

MODEL_VERSION = "topics-9"  # bump when stored runs must be recomputed (9: the analytics.events stage)
PARAMS = {"n_components": 100, "method": "auto", "n_init": 4, "sample_size": 20_000}
VECTORIZER_SAMPLE = 200_000  # documents used to learn the vocabulary and idf
CHUNK = 50_000  # documents transformed at a time (bounded memory)


@dataclass
class FittedModel:
    vectorizer: PhraseTfidf
    model: TopicModel
    topic_ids: list[int]  # stable topic id of each model cluster


def _selection(date_from: date | None, date_to: date | None) -> tuple[str, list]:
    return Filters(date_from=date_from, date_to=date_to).where("c")


def run_params(n_topics: int | None) -> dict:
    return {"model": MODEL_VERSION, "n_topics": n_topics, **PARAMS}


def fingerprint(con: duckdb.DuckDBPyConnection, date_from: date | None, date_to: date | None, params: dict) -> str:
    where, args = _selection(date_from, date_to)
    count, max_id = con.execute(f"SELECT count(*), max(c.id) FROM complaints c WHERE {where}", args).fetchall()[0]
    key = json.dumps([str(date_from), str(date_to), count, max_id, tokenizer_version(), params], sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def ensure_topics(
    con: duckdb.DuckDBPyConnection,
    date_from: date | None = None,
    date_to: date | None = None,
    n_topics: int | None = None,
) -> str:
    """run_id of a current topic run for [date_from, date_to] (None: open end)."""
    params = run_params(n_topics)
    fp = fingerprint(con, date_from, date_to, params)
    if found := _current_run(con, fp):
        return found
    # Two sessions of the app asking for the same period at once: the second waits for the first's
    # run instead of computing the same thing again (and storing it twice).
    with _lock_for(fp):
        if found := _current_run(con, fp):
            return found
        where, args = _selection(date_from, date_to)
        retokenised = ensure_tokens(con, where, args)
        run_id = _extend(con, date_from, date_to, params, fp, retokenised) or _full(con, date_from, date_to, params, fp)
        prune_runs(con, date_from, date_to)
        return run_id


_RUN_LOCKS: dict[str, threading.Lock] = {}  # a few bytes per fingerprint ever asked for: never pruned
_RUN_LOCKS_GUARD = threading.Lock()


def _lock_for(fp: str) -> threading.Lock:
    """One lock per data fingerprint, for this process (the app's sessions are threads)."""
    with _RUN_LOCKS_GUARD:
        return _RUN_LOCKS.setdefault(fp, threading.Lock())


def _current_run(con: duckdb.DuckDBPyConnection, fp: str) -> str | None:
    rows = con.execute(
        "SELECT run_id FROM topic_runs WHERE data_fingerprint = ? ORDER BY created_at DESC LIMIT 1", [fp]
    ).fetchall()
    return rows[0][0] if rows else None


def _new_run_id(fp: str) -> str:
    return f"{datetime.now():%Y%m%d%H%M%S%f}-{fp[:8]}"


def _full(con: duckdb.DuckDBPyConnection, date_from, date_to, params: dict, fp: str) -> str:
    where, args = _selection(date_from, date_to)
    corpus = load_corpus(con, where, args)
    run_id = _new_run_id(fp)
    n = len(corpus)
    if n == 0:
        save_run(con, run_id, date_from, date_to, params, fp, 0, 0, [], None, None)
        return run_id
    rng = np.random.default_rng(0)
    vec_rows = np.sort(rng.choice(n, size=min(n, VECTORIZER_SAMPLE), replace=False))
    vectorizer = PhraseTfidf().fit(corpus if n == len(vec_rows) else corpus.take(vec_rows))
    fit_rows = np.sort(rng.choice(n, size=min(n, PARAMS["sample_size"]), replace=False))
    model = TopicModel(
        params["n_topics"],
        n_components=PARAMS["n_components"],
        method=PARAMS["method"],
        n_init=PARAMS["n_init"],
        sample_size=PARAMS["sample_size"],
        n_total=n,
        random_state=0,
    ).fit(vectorizer.transform(corpus.take(fit_rows)))
    k = model.n_topics_
    labels = np.empty(n, dtype=np.int64)
    own = np.empty(n, dtype=np.float32)
    stats = TermStats(k, len(vectorizer.vocabulary_))
    with threadpool_limits(BLAS_THREADS):
        for start in range(0, n, CHUNK):
            rows = np.arange(start, min(n, start + CHUNK))
            X = vectorizer.transform(corpus.take(rows))
            z = model.embed(X)
            sim = z @ model.cluster_centers_.T
            labels[rows] = sim.argmax(axis=1)
            own[rows] = sim[np.arange(len(rows)), labels[rows]]
            stats.add(X, labels[rows])
    names, keywords = describe(stats, vectorizer.vocabulary_)
    reps = _representatives(own, labels, corpus.ids, k)
    topic_ids = match_ids(con, corpus.ids, labels, keywords)
    tid = np.asarray(topic_ids, dtype=np.int64)[labels]
    found = detect(_meta(con, corpus.ids), corpus)
    event = np.where(found.labels >= 0, found.labels + EVENT_BASE, -1)
    events = event_rows(found, tid, corpus.ids)
    issues = [(topic_ids[c], "issue", None, names[c], keywords[c], int(stats.sizes[c]), reps[c]) for c in range(k)]
    fitted = FittedModel(vectorizer=vectorizer, model=model, topic_ids=list(topic_ids))
    save_run(
        con, run_id, date_from, date_to, params, fp, n, k, issues + events,
        pa.table({"id": corpus.ids, "topic_id": tid, "event_id": np.where(event >= 0, event, -1)}),
        pickle.dumps(fitted),
    )  # fmt: skip
    return run_id


def _representatives(own: np.ndarray, labels: np.ndarray, ids: np.ndarray, k: int, n: int = 5) -> list[list[int]]:
    out = []
    for c in range(k):
        members = np.flatnonzero(labels == c)
        best = members[np.argsort(-own[members], kind="stable")[:n]]
        out.append([int(i) for i in ids[best]])
    return out


def _meta(con: duckdb.DuckDBPyConnection, ids: np.ndarray):
    con.register("_topic_ids", pa.table({"id": ids, "pos": np.arange(len(ids))}))
    try:
        return con.execute(
            """SELECT c.title, c.content, c.business, c.received_at
               FROM _topic_ids t JOIN complaints c USING (id) ORDER BY t.pos"""
        ).df()
    finally:
        con.unregister("_topic_ids")


def _extend(con: duckdb.DuckDBPyConnection, date_from, date_to, params: dict, fp: str, retokenised) -> str | None:
    """The incremental path (see module docstring); None when a full run is needed."""
    from analytics.topics.incremental import extend_run

    return extend_run(con, date_from, date_to, params, fp, retokenised, _new_run_id(fp))


__all__ = ["EVENT_BASE", "FittedModel", "ensure_topics"]
