"""Topic engine speed: tokenisation rate and the whole pipeline, cold and after new complaints.

Baseline (same process): a plain ``jieba.lcut`` loop over the same texts. Reported:
- tokenise_chars_per_s: the project's tokeniser (rjieba accelerator, every core) on all texts, and
  its ratio to the jieba loop;
- pipeline_cold_s: ``ensure_topics`` on a fresh demo database (tokenise, vectorise, cluster, label,
  events, store), and pipeline_incremental_s after 1% new complaints arrive (1,000 of 100,000);
  pipeline_incremental_limit_s after more arrive, dated the month after the data, up to the
  incremental rule's limit (10% of the fitted run: the events of the 120 days around them are found
  again, docs/events.md section 6); both also as a ratio to the cold run;
- peak_rss_mb of the process during the cold run;
- small_spectral_s: the small-corpus path (spectral consensus, ≤ 5,000 documents) on the 2,816 real
  messages in tests/fixtures, K = 7, and its ratio to plain spherical k-means on the same matrix.
Rows: 100,000 (quick: 20,000). ``BENCH_TOPICS_ROWS=1000000`` measures the million-row case.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

import psutil

BASELINE_CHARS = 2_000_000  # the jieba loop is slow: measure it on this many characters
REAL_MESSAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "real" / "messages_with_replies.xlsx"


class _PeakRss:
    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._proc = psutil.Process()

    def __enter__(self) -> _PeakRss:
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def _poll(self) -> None:
        while not self._stop.is_set():
            rss = self._proc.memory_info().rss + sum(c.memory_info().rss for c in self._proc.children(recursive=True))
            self.peak = max(self.peak, rss)
            time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run(quick: bool = False) -> dict:
    import jieba

    from analytics.demo import build_demo
    from analytics.store import connect
    from analytics.text import clean_text
    from analytics.text.parallel import segmenter, tokenize_joined
    from analytics.topics import ensure_topics
    from analytics.topics.incremental import INCREMENTAL_SHARE

    rows = int(os.environ.get("BENCH_TOPICS_ROWS", 20_000 if quick else 100_000))
    new_rows = max(1, rows // 100)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        build_demo(db, rows=rows, seed=11)
        with connect(db) as con:
            texts = [clean_text(t, c) for t, c in con.execute("SELECT title, content FROM complaints").fetchall()]
        chars = sum(map(len, texts))

        # Baseline: plain jieba.lcut loop (global jieba, default dictionary) on the first 2M chars.
        base_texts, n = [], 0
        for t in texts:
            base_texts.append(t)
            n += len(t)
            if n >= BASELINE_CHARS:
                break
        jieba.initialize()
        start = time.perf_counter()
        for t in base_texts:
            jieba.lcut(t)
        jieba_rate = n / (time.perf_counter() - start)

        seg = segmenter()
        seg.accelerator  # noqa: B018 - dictionary load is not tokenisation
        start = time.perf_counter()
        tokenize_joined(texts)
        cold_rate = chars / (time.perf_counter() - start)
        start = time.perf_counter()
        tokenize_joined(texts)
        warm_rate = chars / (time.perf_counter() - start)

        with connect(db) as con, _PeakRss() as rss:
            start = time.perf_counter()
            run_id = ensure_topics(con)
            cold = time.perf_counter() - start
            k = con.execute("SELECT n_topics FROM topic_runs WHERE run_id = ?", [run_id]).fetchall()[0][0]
        with connect(db) as con:
            _add_copies(con, new_rows, "-b", 0)
            start = time.perf_counter()
            newer = ensure_topics(con)
            incremental = time.perf_counter() - start
            extended = _extended(con, newer, run_id)
            limit_rows = int(INCREMENTAL_SHARE * rows) - new_rows
            _add_copies(con, limit_rows, "-m", 30)  # next month's import
            start = time.perf_counter()
            at_limit = ensure_topics(con)
            limit = time.perf_counter() - start
            extended = extended and _extended(con, at_limit, newer)
    return {
        **_small_corpus(),
        "rows": rows,
        "chars": chars,
        "engine": seg.engine,
        "jieba_lcut_chars_per_s": round(jieba_rate),
        "tokenise_chars_per_s_cold_pool": round(cold_rate),
        "tokenise_chars_per_s": round(warm_rate),
        "tokenise_ratio_vs_jieba": round(warm_rate / jieba_rate, 1),
        "pipeline_cold_s": round(cold, 2),
        "pipeline_cold_ratio_vs_jieba_tokenising_only": round((chars / jieba_rate) / cold, 2),
        "n_topics": k,
        "new_rows": new_rows,
        "pipeline_incremental_s": round(incremental, 2),
        "pipeline_incremental_ratio_vs_cold": round(incremental / cold, 3),
        "limit_new_rows": new_rows + limit_rows,
        "pipeline_incremental_limit_s": round(limit, 2),
        "pipeline_incremental_limit_ratio_vs_cold": round(limit / cold, 3),
        "incremental_path_used": bool(extended),
        "peak_rss_mb": round(rss.peak / 2**20),
        "cores": os.cpu_count(),
    }


def _add_copies(con, n: int, suffix: str, days: int) -> None:
    """The newest ``n`` complaints again as new rows, received ``days`` later (an import)."""
    con.execute(
        """INSERT INTO complaints SELECT * REPLACE (id + (SELECT max(id) FROM complaints) AS id,
                  complaint_id || $suffix AS complaint_id, dedupe_key || $suffix AS dedupe_key,
                  received_at + to_days($days) AS received_at, closed_at + to_days($days) AS closed_at)
           FROM complaints ORDER BY received_at DESC, id DESC LIMIT $n""",
        {"n": n, "suffix": suffix, "days": days},
    )


def _extended(con, run_id: str, base: str) -> bool:
    """``run_id`` is a new run made by the incremental path."""
    params = con.execute("SELECT params FROM topic_runs WHERE run_id = ?", [run_id]).fetchall()[0][0]
    return run_id != base and "model_run" in params


def _small_corpus() -> dict:
    import numpy as np
    import pandas as pd

    from analytics.text import Corpus, clean_text, segmenter
    from analytics.topics import PhraseTfidf, TopicModel

    frame = pd.read_excel(REAL_MESSAGES, engine="calamine")
    seg = segmenter()
    tokens = [seg.segment(clean_text(t, c)) for t, c in zip(frame["留言主题"], frame["留言详情"], strict=True)]
    X = PhraseTfidf().fit_transform(Corpus.from_lists(np.arange(len(tokens)), tokens))
    timings = {}
    for method in ("kmeans", "spectral"):
        start = time.perf_counter()
        TopicModel(7, method=method, random_state=0).fit(X)
        timings[method] = time.perf_counter() - start
    return {
        "small_docs": len(tokens),
        "small_kmeans_s": round(timings["kmeans"], 2),
        "small_spectral_s": round(timings["spectral"], 2),
        "small_spectral_ratio_vs_kmeans": round(timings["spectral"] / timings["kmeans"], 1),
    }


if __name__ == "__main__":
    print(run(quick=True))
