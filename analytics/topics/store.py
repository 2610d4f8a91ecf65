"""Writing a topic run: run row, topics (issue and event level), assignments, fitted model."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import scipy.sparse as sp

from analytics.text.corpus import Corpus
from analytics.text.store import tokenizer_version
from analytics.topics.events import business_keys
from analytics.topics.labels import display_feature
from analytics.topics.vectorize import PhraseTfidf

KEEP_RUNS_PER_PERIOD = 3
CHUNK = 50_000

TopicRow = tuple[int, str, int | None, str, list[str], int, list[int]]


def save_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    date_from: date | None,
    date_to: date | None,
    params: dict,
    fp: str,
    n: int,
    k: int,
    topics: list[TopicRow],
    assignments: pa.Table | None,
    model: bytes | None,
) -> None:
    """Store one run atomically. ``assignments``: id, topic_id, event_id (-1: none)."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO topic_runs VALUES (?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, date_from, date_to, k, n, tokenizer_version(), fp, json.dumps(params)],
        )
        if topics:
            frame = pd.DataFrame(
                topics, columns=["topic_id", "level", "parent_topic_id", "label", "keywords", "size", "reps"]
            )
            con.register("_topics_new", frame)
            con.execute(
                """INSERT INTO topics SELECT ?, topic_id, level, parent_topic_id::INTEGER, label,
                       keywords::VARCHAR[], size, reps::BIGINT[] FROM _topics_new""",
                [run_id],
            )
            con.unregister("_topics_new")
        if assignments is not None and assignments.num_rows:
            con.register("_assign_new", assignments)
            con.execute(
                """INSERT INTO topic_assignments SELECT ?, id, topic_id,
                       CASE WHEN event_id < 0 THEN NULL ELSE event_id END FROM _assign_new""",
                [run_id],
            )
            con.unregister("_assign_new")
        if model is not None:
            con.execute("INSERT INTO topic_models VALUES (?, now()::TIMESTAMP, ?)", [run_id, model])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def event_rows(
    vectorizer: PhraseTfidf, corpus: Corpus, event: np.ndarray, topic_of_row: np.ndarray, meta: pd.DataFrame
) -> list[TopicRow]:
    """One topic row per event: label from the shared business, else county and top phrase.

    An event whose members name several branches of one business is labelled by the brand and
    its counties ("启航教育（清城区、英德市）", at most three named); one name is used as written.
    """
    rows = np.flatnonzero(event >= 0)
    if not len(rows):
        return []
    ev_ids, ev_index = np.unique(event[rows], return_inverse=True)
    # Summed TF-IDF per event, chunk by chunk (bounded memory), kept sparse: cost follows nnz.
    weights: sp.csr_matrix | None = None
    for start in range(0, len(rows), CHUNK):
        part = slice(start, start + CHUNK)
        X = vectorizer.transform(corpus.take(rows[part]))
        n_part = X.shape[0]
        indicator = sp.csr_matrix(
            (np.ones(n_part, dtype=np.float32), (ev_index[part], np.arange(n_part))), shape=(len(ev_ids), n_part)
        )
        summed = indicator @ X
        weights = summed if weights is None else weights + summed
    assert weights is not None
    weights = weights.tocsr()
    frame = pd.DataFrame(
        {
            "ev": ev_index,
            "row": rows,
            "business": meta["business"].to_numpy()[rows],
            "brand": business_keys(meta["business"].iloc[rows]),
            "county": meta["county"].to_numpy()[rows],
        }
    )
    top_business, _ = _mode(frame, "business")
    top_brand, brand_n = _mode(frame, "brand")
    names_per_event = frame.dropna(subset=["business"]).groupby("ev")["business"].nunique()
    counties_per_event = frame.dropna(subset=["county"]).groupby("ev")["county"].unique()
    top_county, _ = _mode(frame, "county")
    members = frame.groupby("ev")["row"].apply(list)
    out: list[TopicRow] = []
    for e, eid in enumerate(ev_ids):
        lo, hi = weights.indptr[e], weights.indptr[e + 1]
        top = weights.indices[lo:hi][np.argsort(-weights.data[lo:hi], kind="stable")[:5]]
        keywords = [display_feature(vectorizer.vocabulary_[j]) for j in top]
        rows_e = members[e]
        if e in brand_n.index and brand_n[e] * 2 >= len(rows_e):
            if names_per_event.get(e, 1) > 1:
                label = str(top_brand[e]) + _counties_note(counties_per_event.get(e, []))
            else:
                label = str(top_business[e])
        else:
            place = str(top_county[e]) if e in top_county.index else ""
            label = "·".join(p for p in (place, keywords[0] if keywords else "") if p) or f"事件{eid}"
        reps = [int(corpus.ids[i]) for i in rows_e[:5]]
        out.append((int(eid), "event", int(topic_of_row[rows_e[0]]), label, keywords, len(rows_e), reps))
    return out


def _counties_note(counties: object, shown: int = 3) -> str:
    """ "（清城区、英德市）", or "（清城区、清新区、英德市等 5 个区县）"; "" for one county."""
    names = sorted(str(c) for c in counties)
    if len(names) < 2:
        return ""
    more = f"等 {len(names)} 个区县" if len(names) > shown else ""
    return f"（{'、'.join(names[:shown])}{more}）"


def _mode(frame: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
    """Most common value of ``column`` per event and its count (vectorised, no per-group Python)."""
    counts = frame.dropna(subset=[column]).groupby(["ev", column], observed=True).size().reset_index(name="n")
    counts = counts.sort_values(["ev", "n"], ascending=[True, False]).drop_duplicates("ev")
    return counts.set_index("ev")[column], counts.set_index("ev")["n"]


def prune_runs(con: duckdb.DuckDBPyConnection, date_from: date | None, date_to: date | None) -> None:
    """Keep the latest few runs per period: older ones only cost space."""
    old = con.execute(
        """SELECT run_id FROM topic_runs
           WHERE period_from IS NOT DISTINCT FROM ? AND period_to IS NOT DISTINCT FROM ?
           ORDER BY created_at DESC, run_id DESC OFFSET ?""",
        [date_from, date_to, KEEP_RUNS_PER_PERIOD],
    ).fetchall()
    if not old:
        return
    ids = [r[0] for r in old]
    # A model still used by a kept incremental run must stay.
    kept_models = {
        json.loads(p or "{}").get("model_run")
        for (p,) in con.execute(
            "SELECT params FROM topic_runs WHERE run_id NOT IN (SELECT unnest(?))", [ids]
        ).fetchall()
    }
    marks = ", ".join("?" for _ in ids)
    con.execute("BEGIN TRANSACTION")
    try:
        for table in ("topic_assignments", "topics", "topic_runs"):
            con.execute(f"DELETE FROM {table} WHERE run_id IN ({marks})", ids)
        drop = [r for r in ids if r not in kept_models]
        if drop:
            con.execute(f"DELETE FROM topic_models WHERE run_id IN ({', '.join('?' for _ in drop)})", drop)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
