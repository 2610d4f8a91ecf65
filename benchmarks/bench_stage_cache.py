"""A page view after a topic write: cached reads keyed by their stages' versions, against every
cached result stale (what the whole-file data version did on any write).

On a private copy of the default demo with its topic run (``--quick``: 20,000 complaints), AppTest
runs each complaints-only page (总览, 分布, 时效, 经营者, 探索) as the app does (frame, then page)
until warm; then, ``ROUNDS`` times, an analyst renames a topic through ``ui.cache.writing()`` and
the page runs again:

- ``after_topic_write``: with the stage keys (now): the page's reads are still cached;
- ``all_stale`` (the baseline): the same rename followed by ``ui.cache.invalidate()``, as the
  data-version key made every cached result stale after any write (an import, a topic run, a
  curation, an audit row).

Per page: median wall seconds of each, their ratio, and the database reads each view ran (cursors
taken by ``ui.cache``; 0 means the page answered from the cache).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.apptest_pages import ROOT, cached_demo, framed_page
from benchmarks.timing import timed

PAGES = ("overview", "distribution", "timeliness", "businesses", "explore")
ROUNDS = 5
DEFAULT_SEED = 20250101  # the `demo` command's default, as bench_page_cpu's database


def run(quick: bool = False) -> dict[str, Any]:
    rows = 20_000 if quick else 60_000
    source = cached_demo(f"demo_default_{rows}", rows, DEFAULT_SEED, topics=True)
    saved, cwd = {k: os.environ.get(k) for k in ("HOTSPOT_DB", "HOTSPOT_BACKGROUND_TOPICS")}, os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        shutil.copy(source, db)  # the benchmark writes (topic renames): never the shared copy
        os.environ.update(HOTSPOT_DB=str(db), HOTSPOT_BACKGROUND_TOPICS="0")
        os.chdir(ROOT)
        try:
            return {"rows": rows, "rounds": ROUNDS, **_measure()}
        finally:  # the benchmarks run in one process: leave it as it was
            os.chdir(cwd)
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def _measure() -> dict[str, Any]:
    from analytics.topics import rename_topic
    from ui import cache

    reads: list[int] = []
    plain = cache.cursor

    @contextmanager
    def counted() -> Any:
        reads.append(1)
        with plain() as cur:
            yield cur

    cache.cursor = counted  # type: ignore[assignment]  # counts the page's database reads
    try:
        return _pages(cache, rename_topic, reads)
    finally:
        cache.cursor = plain  # type: ignore[assignment]
        cache.invalidate()
        cache.shared().close()


def _pages(cache: Any, rename_topic: Any, reads: list[int]) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    with cache.cursor() as cur:
        topic = int(cur.execute("SELECT min(topic_id) FROM topics WHERE level = 'issue'").fetchone()[0])
    out: dict[str, Any] = {}
    for name in PAGES:
        at = AppTest.from_function(framed_page, args=(str(ROOT / f"pages/{name}.py"),), default_timeout=600)
        at.run()
        at.run()
        seconds: dict[str, list[float]] = {"after_topic_write": [], "all_stale": []}
        ran: dict[str, list[int]] = {"after_topic_write": [], "all_stale": []}
        for i in range(ROUNDS):
            for mode in seconds:
                with cache.writing() as cur:
                    rename_topic(cur, topic, f"基准{i}{mode[0]}", actor="cli:bench")
                if mode == "all_stale":
                    cache.invalidate()
                before = len(reads)
                wall, _ = timed(at.run)
                if at.exception:
                    raise RuntimeError(f"{name} raised: {[e.value for e in at.exception]}")
                seconds[mode].append(wall)
                ran[mode].append(len(reads) - before)
        kept, stale = (statistics.median(seconds[m]) for m in ("after_topic_write", "all_stale"))
        out[name] = {
            "after_topic_write_s": round(kept, 3),
            "all_stale_s": round(stale, 3),
            "ratio": round(kept / stale, 2),
            "reads_after_topic_write": max(ran["after_topic_write"]),
            "reads_all_stale": max(ran["all_stale"]),
        }
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), ensure_ascii=False, indent=2))
