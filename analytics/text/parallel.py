"""Tokenise many texts, and other work over many complaints, on every core.

Small inputs run in-process (a pool costs more than it saves). Large inputs go to a process pool
that lives as long as this process, so the workers' dictionary load is paid once (the event stage's
entity search and text groups use the same pool through ``map_chunks``). The pool uses
the ``spawn`` start method: forking a process that runs DuckDB or Streamlit threads is unsafe.
Workers return each document's ``Segmenter.segment`` tokens (sentence breaks included) joined by a
space (one string pickles far faster than a list).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from analytics.text.segmenter import Segmenter

# Below this many characters the pool's overhead outweighs the second core.
PARALLEL_MIN_CHARS = 2_000_000
CHUNK_DOCS = 2_000

T = TypeVar("T")
R = TypeVar("R")

_segmenter: Segmenter | None = None
_pool: ProcessPoolExecutor | None = None
_pool_workers = 0


def segmenter() -> Segmenter:
    """The process-wide segmenter (dictionary loaded once)."""
    global _segmenter
    if _segmenter is None:
        _segmenter = Segmenter()
    return _segmenter


def _init_worker() -> None:
    segmenter().accelerator  # noqa: B018 - load the dictionaries before the first chunk arrives


def _work(texts: list[str]) -> list[str]:
    seg = segmenter()
    return [" ".join(seg.segment(t)) for t in texts]


def _get_pool(workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_workers
    if _pool is None or _pool_workers != workers:
        shutdown_pool()
        ctx = multiprocessing.get_context("spawn")
        _pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker)
        _pool_workers = workers
    return _pool


def shutdown_pool() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None


atexit.register(shutdown_pool)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def map_chunks(func: Callable[[T], R], chunks: list[T], workers: int | None = None) -> list[R]:
    """``func`` over ``chunks`` in input order, on the pool when there is more than one chunk and
    more than one core. ``func`` must be a module-level function (the workers import it)."""
    workers = default_workers() if workers is None else max(1, workers)
    if workers == 1 or len(chunks) < 2:
        return [func(c) for c in chunks]
    try:
        return list(_get_pool(workers).map(func, chunks))
    except (BrokenProcessPool, OSError):
        shutdown_pool()
        return [func(c) for c in chunks]


def tokenize_joined(texts: list[str], workers: int | None = None) -> list[str]:
    """``segment`` tokens of each text joined by single spaces ("" when none), in input order."""
    workers = default_workers() if workers is None else max(1, workers)
    if workers == 1 or sum(map(len, texts)) < PARALLEL_MIN_CHARS:
        return _work(texts)
    chunks = [texts[i : i + CHUNK_DOCS] for i in range(0, len(texts), CHUNK_DOCS)]
    out: list[str] = []
    try:
        for part in _get_pool(workers).map(_work, chunks):
            out.extend(part)
    except (BrokenProcessPool, OSError):
        # A pool that cannot start (e.g. no importable __main__) must not stop the analysis.
        shutdown_pool()
        return _work(texts)
    return out


def tokenize_many(texts: list[str], workers: int | None = None) -> list[list[str]]:
    """``segment`` tokens of each text, in input order, using every core for large inputs."""
    return [s.split(" ") if s else [] for s in tokenize_joined(texts, workers)]
