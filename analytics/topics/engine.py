"""``ensure_topics``: the current topic run over all complaints, computed, extended or reused.

One run serves every period (a view filters its assignment by date; ``analytics.topics.runs``).
A run is reused while its data fingerprint (complaint count + max id + tokenizer version + params)
still matches. Otherwise:
- **Incremental** (the small-change rule): when the latest run with the same params lost
  no complaints, none of its complaints' text changed, and the complaints added since its last full
  fit are at most ``incremental.INCREMENTAL_SHARE`` (10%) of that fit's size, the new complaints are tokenised,
  assigned to the existing topics with the stored model (nearest centre); topics, labels and ids
  are carried over. The events near the new complaints in time are found again (``incremental``),
  so a new incident is an event at once; events that continue keep their ids.
- **Full**: tokenise what is missing, fit the vectoriser and model on bounded samples, assign every
  complaint, describe the topics, find events, match topic and event ids to the previous run, store
  everything as the next version (``runs.next_version``).

Concurrent requests for the same fingerprint in one process (the app's sessions) compute it once.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import threading
from dataclasses import asdict, dataclass
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from threadpoolctl import threadpool_limits

from analytics.events import EVENT_BASE, Events, continued_ids, detect
from analytics.text.store import Corpus, ensure_tokens, load_corpus, tokenizer_version
from analytics.topics.incremental import Extended, Extension, compute_extension, read_extension, store_extension
from analytics.topics.labels import TermStats, describe, member_texts
from analytics.topics.matching import match_ids, next_event_id, previous_run
from analytics.topics.model import BLAS_THREADS, TopicModel
from analytics.topics.runs import next_version, resolve_run
from analytics.topics.store import TopicRun, event_frame, event_rows, prune_runs, save_run
from analytics.topics.vectorize import PhraseTfidf

MODEL_VERSION = "topics-15"  # bump when stored runs must be recomputed (15: character pairs beside the words)
VECTORIZER_SAMPLE = 200_000  # documents used to learn the vocabulary and idf
CHUNK = 50_000  # documents transformed at a time (bounded memory)


@dataclass
class FittedModel:
    vectorizer: PhraseTfidf
    model: TopicModel
    topic_ids: list[int]  # stable topic id of each model cluster


@dataclass(frozen=True)
class TopicParams:
    """The topic model's hyperparameters, stored with each run (other params: a refit). How many
    complaints there are is a fact about the data, given to ``TopicModel.fit``, not a parameter."""

    n_topics: int | None = None  # None: automatic K
    n_components: int = 100
    method: str = "auto"
    n_init: int = 4
    sample_size: int = 20_000  # documents the model is fitted on
    random_state: int = 0  # seeds the samples, the LSA and the clustering

    def stored(self) -> dict:
        return {"model": MODEL_VERSION, **asdict(self)}

    def estimator(self) -> TopicModel:
        return TopicModel(
            self.n_topics,
            n_components=self.n_components,
            method=self.method,
            n_init=self.n_init,
            sample_size=self.sample_size,
            random_state=self.random_state,
        )


def run_params(n_topics: int | None) -> dict:
    return TopicParams(n_topics).stored()


def fingerprint(con: duckdb.DuckDBPyConnection, params: dict) -> str:
    count, max_id = con.execute("SELECT count(*), max(id) FROM complaints").fetchall()[0]
    key = json.dumps([str(None), str(None), count, max_id, tokenizer_version(), params], sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def ensure_topics(con: duckdb.DuckDBPyConnection, n_topics: int | None = None) -> str:
    """run_id of the current topic run over all complaints (computed, extended or reused)."""
    fp = fingerprint(con, run_params(n_topics))
    if found := _current_run(con, fp):
        return found
    # Two threads of one process asking at once: the second waits for the first's run instead of
    # computing the same thing again (and storing it twice).
    with _lock_for(fp):
        got = prepare(con, n_topics)
        return got if isinstance(got, str) else store(con, compute(got))


def current_run(con: duckdb.DuckDBPyConnection, n_topics: int | None = None) -> str | None:
    """The stored run when it is current for these params (reads only), else None."""
    return _current_run(con, fingerprint(con, run_params(n_topics)))


@dataclass
class Prepared:
    """What a full fit reads from the database (phase 1 of ``prepare`` → ``compute`` → ``store``)."""

    params: TopicParams
    version: int  # of the run to store: one more than the current run's
    fp: str
    corpus: Corpus
    meta: pd.DataFrame  # title, content, business, received_at of each corpus row (the event stage)

    @property
    def working_zh(self) -> str:
        """What phase 2 does, for the background job's progress."""
        return f"拟合话题模型并识别事件（{len(self.corpus):,} 件投诉）"


@dataclass
class Computed:
    """A full fit, not yet stored (phase 2: needs no database, so a background job holds none)."""

    prepared: Prepared
    fitted: FittedModel | None  # None: no complaints
    labels: np.ndarray  # model cluster of each corpus row
    sizes: list[int]
    names: list[str]
    keywords: list[list[str]]
    reps: list[list[int]]
    events: Events | None


def prepare(con: duckdb.DuckDBPyConnection, n_topics: int | None = None) -> str | Prepared | Extension:
    """Phase 1, on the database: the run's id when the stored run is current, what the incremental
    path reads when the new complaints can be assigned to it (``incremental.Extension``), else what
    a full fit reads."""
    params = run_params(n_topics)
    fp = fingerprint(con, params)
    if found := _current_run(con, fp):
        return found
    retokenised = ensure_tokens(con)
    if extension := read_extension(con, params, fp, retokenised, _new_run_id(fp)):
        return extension
    corpus = load_corpus(con)
    return Prepared(TopicParams(n_topics), next_version(con), fp, corpus, event_frame(con, corpus.ids))


def compute(prepared: Prepared | Extension) -> Computed | Extended:
    """Phase 2, in memory: fit the vectoriser and model on bounded samples, assign every complaint,
    describe the topics, find the events (an ``Extension``: assign the new complaints, find the
    recent events again)."""
    if isinstance(prepared, Extension):
        return compute_extension(prepared)
    corpus, params = prepared.corpus, prepared.params
    n = len(corpus)
    if n == 0:
        return Computed(prepared, None, np.empty(0, dtype=np.int64), [], [], [], [], None)
    rng = np.random.default_rng(params.random_state)
    vec_rows = np.sort(rng.choice(n, size=min(n, VECTORIZER_SAMPLE), replace=False))
    vectorizer = PhraseTfidf().fit(corpus if n == len(vec_rows) else corpus.take(vec_rows))
    if len(vectorizer.vocabulary_) == 0:  # a handful of complaints share no word often enough: no topics yet
        return Computed(prepared, None, np.empty(0, dtype=np.int64), [], [], [], [], None)
    fit_rows = np.sort(rng.choice(n, size=min(n, params.sample_size), replace=False))
    model = params.estimator().fit(vectorizer.transform(corpus.take(fit_rows)), n_total=n)
    k = model.n_topics_
    labels = np.empty(n, dtype=np.int64)
    own = np.empty(n, dtype=np.float32)
    stats = TermStats(k, len(vectorizer.vocabulary_))
    with threadpool_limits(BLAS_THREADS):
        for start in range(0, n, CHUNK):
            rows = np.arange(start, min(n, start + CHUNK))
            X = vectorizer.transform(corpus.take(rows))
            sim = model.similarity(X)  # what predict takes the argmax of; its max is kept too
            labels[rows] = sim.argmax(axis=1)
            own[rows] = sim[np.arange(len(rows)), labels[rows]]
            stats.add(X, labels[rows])
    names, keywords = describe(stats, vectorizer.vocabulary_, member_texts(prepared.meta, labels, k))
    return Computed(
        prepared,
        FittedModel(vectorizer=vectorizer, model=model, topic_ids=[]),
        labels,
        [int(x) for x in stats.sizes],
        names,
        keywords,
        _representatives(own, labels, corpus.ids, k),
        detect(prepared.meta, corpus),
    )


def store(con: duckdb.DuckDBPyConnection, done: Computed | Extended) -> str:
    """Phase 3, on the database: keep the earlier run's topic and event ids (matching), store the run."""
    if isinstance(done, Extended):
        run_id = store_extension(con, done)
        prune_runs(con)
        return run_id
    prepared = done.prepared
    ids, run_id = prepared.corpus.ids, _new_run_id(prepared.fp)
    stored = {**prepared.params.stored(), "version": prepared.version}
    if done.fitted is None:  # no complaints, or too few to share a vocabulary
        save_run(con, TopicRun(run_id, stored, prepared.fp, len(ids), 0))
        prune_runs(con)
        return run_id
    k = len(done.sizes)
    topic_ids = match_ids(con, ids, done.labels, done.keywords)
    tid = np.asarray(topic_ids, dtype=np.int64)[done.labels]
    found = done.events
    event_ids = continued_ids(_previous_events(con, ids), found.labels, next_event_id(con))
    event = np.append(event_ids, -1)[found.labels]  # label -1 (no event) takes the appended -1
    issues = [
        (topic_ids[c], "issue", None, done.names[c], done.keywords[c], done.sizes[c], done.reps[c]) for c in range(k)
    ]
    fitted = FittedModel(vectorizer=done.fitted.vectorizer, model=done.fitted.model, topic_ids=list(topic_ids))
    assignments = pa.table({"id": ids, "topic_id": tid, "event_id": np.where(event >= 0, event, -1)})
    topics = issues + event_rows(found, tid, ids, event_ids)
    save_run(con, TopicRun(run_id, stored, prepared.fp, len(ids), k, topics, assignments, pickle.dumps(fitted)))
    prune_runs(con)
    return run_id


_RUN_LOCKS: dict[str, threading.Lock] = {}  # a few bytes per fingerprint ever asked for: never pruned
_RUN_LOCKS_GUARD = threading.Lock()


def _lock_for(fp: str) -> threading.Lock:
    """One lock per data fingerprint, for this process (the app's sessions are threads)."""
    with _RUN_LOCKS_GUARD:
        return _RUN_LOCKS.setdefault(fp, threading.Lock())


def _current_run(con: duckdb.DuckDBPyConnection, fp: str) -> str | None:
    """The run every view reads (``runs.resolve_run``) when it was made for this fingerprint; an
    older run with the same fingerprint is not brought back (a refit with other params followed)."""
    run_id = resolve_run(con)
    if run_id is None:
        return None
    stored = con.execute(
        "SELECT data_fingerprint FROM topic_runs WHERE run_id = $run_id", {"run_id": run_id}
    ).fetchall()[0][0]
    return run_id if stored == fp else None


def _new_run_id(fp: str) -> str:
    return f"{datetime.now():%Y%m%d%H%M%S%f}-{fp[:8]}"


def _representatives(own: np.ndarray, labels: np.ndarray, ids: np.ndarray, k: int, n: int = 5) -> list[list[int]]:
    out = []
    for c in range(k):
        members = np.flatnonzero(labels == c)
        best = members[np.argsort(-own[members], kind="stable")[:n]]
        out.append([int(i) for i in ids[best]])
    return out


def _previous_events(con: duckdb.DuckDBPyConnection, ids: np.ndarray) -> np.ndarray:
    """Per complaint of ``ids`` (sorted, as a corpus holds them), its event in the previous run (-1: none)."""
    out = np.full(len(ids), -1, dtype=np.int64)
    prev = previous_run(con)
    if prev is None or not len(ids):
        return out
    found = con.execute(
        "SELECT id, event_id FROM topic_assignments WHERE run_id = $prev AND event_id IS NOT NULL", {"prev": prev}
    ).fetchnumpy()
    pos = np.searchsorted(ids, found["id"])
    ok = (pos < len(ids)) & (ids[np.minimum(pos, len(ids) - 1)] == found["id"])
    out[pos[ok]] = found["event_id"][ok]
    return out


__all__ = ["EVENT_BASE", "FittedModel", "TopicParams", "compute", "current_run", "ensure_topics", "prepare", "store"]
