"""How fast the 总览 and 探索 pages re-render on a 1,000,000-row demo database, and the app's memory.

Each page runs as in the app — the frame (sidebar, filter bar) and then the page script — in
Streamlit's AppTest, in a child process so that its resident memory is the app's own. Measured:

- ``first_s``: the first render (every query runs on DuckDB and fills the cache);
- ``rerender_s``: the median re-render after warm-up (what a viewer waits for when a widget is
  touched or the page is revisited: queries come from ``ui.cache``) — target ≤ 1 s;
- ``filter_change_s``: a render after choosing a county in the filter bar (new filters: the page's
  queries run again on DuckDB, uncached);
- ``keyword_s``: a render after typing a keyword (every query then scans titles and contents);
- ``rss_mb`` / ``peak_rss_mb``: the child's resident memory at the end and at its peak — target
  ≤ 1.5 GB.

Baseline, in the same child process: the re-render of a trivial page (a title, three metrics and a
20-point Plotly chart) through the same frame-less AppTest path: the floor any page pays for a
Streamlit rerun. Ratios are page / baseline.

The database is built once by ``analytics.demo.build_demo`` into ``benchmarks/.work/`` and reused.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.apptest_pages import ROOT, cached_demo, framed_page, run_child, trivial_page

PAGES = ("pages/overview.py", "pages/explore.py")
TARGET_S = 1.0
TARGET_RSS_MB = 1536
REPEATS = 5


def demo_db(rows: int) -> Path:
    """The demo database with ``rows`` complaints under benchmarks/.work/, built if missing."""
    return cached_demo(f"demo_{rows}", rows, seed=1)


# --- child process -------------------------------------------------------------------------------


def _timed(at: Any) -> float:
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"page raised: {[e.value for e in at.exception]}")
    return seconds


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _child(db: str) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    os.environ["HOTSPOT_DB"] = db
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))

    baseline = AppTest.from_function(trivial_page, default_timeout=600)
    _timed(baseline)
    base_s = statistics.median(_timed(baseline) for _ in range(REPEATS))

    results: dict[str, Any] = {"baseline_rerender_s": round(base_s, 4)}
    for page in PAGES:
        at = AppTest.from_function(framed_page, args=(str(ROOT / page),), default_timeout=600)
        first = _timed(at)
        _timed(at)  # warm-up
        rerender = statistics.median(_timed(at) for _ in range(REPEATS))
        at.sidebar.multiselect(key="flt_counties").set_value(["英德市"])
        filter_change = _timed(at)
        at.sidebar.text_input(key="flt_keyword").input("退费")
        at.sidebar.multiselect(key="flt_counties").set_value([])
        keyword = _timed(at)
        name = Path(page).stem
        results[name] = {
            "first_s": round(first, 3),
            "rerender_s": round(rerender, 3),
            "filter_change_s": round(filter_change, 3),
            "rerender_ratio": round(rerender / base_s, 1),
            "filter_change_ratio": round(filter_change / base_s, 1),
            "keyword_s": round(keyword, 3),
            "keyword_ratio": round(keyword / base_s, 1),
        }
    results["rss_mb"] = round(_rss_mb())
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return results


# --- parent --------------------------------------------------------------------------------------


def run(quick: bool = False) -> dict[str, Any]:
    rows = 100_000 if quick else 1_000_000
    db = demo_db(rows)
    measured = run_child("benchmarks.bench_pages", db)
    worst = max(measured[Path(p).stem]["rerender_s"] for p in PAGES)
    return {
        "rows": rows,
        **measured,
        "target": f"re-render <= {TARGET_S} s, RSS <= {TARGET_RSS_MB} MB on 1,000,000 rows",
        "meets_target": (worst <= TARGET_S and measured["peak_rss_mb"] <= TARGET_RSS_MB) if rows == 1_000_000 else None,
    }


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2])))
    else:
        print(json.dumps(run(quick="--quick" in sys.argv), ensure_ascii=False, indent=2))
