"""The dashboard beside a cron import: a page's latency while ``python -m analytics import`` writes.

This process plays the app: the 总览 page (frame and page, in Streamlit's AppTest) against a copy of
the 60,000-row demo database, its query cache cleared before every render so every query goes to
DuckDB — the worst case; a cached render does not touch the database. Measured:

- ``idle_render_s``: median uncached render with nothing else running (the baseline);
- ``during_import``: every uncached render while a child process imports ROWS new complaints from
  a CSV (``renders``, ``median_s``, ``max_s``, ``errors`` — a page that showed an error or raised);
- ``import_s`` / ``import_alone_s``: the import's wall time beside the rendering app and alone;
- ``visible_after_s``: from the import's exit until the app counts the new rows;
- ``open_ms`` / ``warm_cursor_ms``: the app opening the database for a request (lock, connect,
  schema check) and taking a cursor of an open one; ``cli_info_s``: ``info`` while the app is idle.

Ratios are against ``idle_render_s``. Inputs live in ``benchmarks/.work/``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.apptest_pages import ROOT, WORK
from benchmarks.bench_pages import demo_db

PAGE = "pages/overview.py"
DEMO_ROWS = 60_000
REPEATS = 5


def import_csv(rows: int) -> Path:
    """A CSV export of ``rows`` complaints none of which is in the demo (ids prefixed N)."""
    path = WORK / f"import_{rows}.csv"
    if not path.exists():
        export_as_new(demo_db(rows), path)
    return path


def export_as_new(db: Path, path: Path, latest: int | None = None) -> None:
    """``db``'s complaints (its ``latest`` received, when given) as a CSV to import, each under a new
    id (its own prefixed N): an import that adds them all."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute(
            "COPY (SELECT 'N' || complaint_id AS complaint_id, received_at, closed_at, kind, county, town,"
            " sector, business, title, content, result, department, amount FROM complaints"
            f" ORDER BY received_at DESC, complaint_id LIMIT {int(latest) if latest else 'ALL'})"
            f" TO '{path}' (HEADER)"
        )
    finally:
        con.close()


def _framed_page(page: str) -> None:
    import runpy

    from ui.frame import render_frame

    render_frame()
    runpy.run_path(page, run_name="__page__")


def _render(at: Any) -> tuple[float, bool]:
    """One uncached render: (seconds, whether the page showed an error or raised)."""
    from ui import cache

    cache.invalidate()
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started, bool(at.exception or at.error)


def _count() -> int:
    from ui import cache

    with cache.cursor() as cur:
        return int(cur.execute("SELECT count(*) FROM complaints").fetchone()[0])


def _import(db: Path, csv: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analytics", "import", str(csv), "--db", str(db), "--source", "12345"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(quick: bool = False) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    from ui import cache

    rows = 20_000 if quick else 100_000
    csv = import_csv(rows)
    source = demo_db(DEMO_ROWS)
    alone_db = WORK / "concurrency_alone.duckdb"
    db = WORK / "concurrency.duckdb"
    for target in (alone_db, db):
        for suffix in ("", ".wal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copy(source, target)

    started = time.perf_counter()
    alone = _import(alone_db, csv)
    alone.communicate()
    import_alone_s = time.perf_counter() - started

    os.environ["HOTSPOT_DB"] = str(db)
    os.chdir(ROOT)
    at = AppTest.from_function(_framed_page, args=(str(ROOT / PAGE),), default_timeout=600)
    _render(at)  # warm-up: imports, tokenizer, first open
    idle = statistics.median(_render(at)[0] for _ in range(REPEATS))
    before = _count()

    shared = cache.shared()
    shared.close()
    time.sleep(0.1)
    started = time.perf_counter()
    with shared.cursor():
        pass
    open_ms = (time.perf_counter() - started) * 1000
    with shared.cursor():
        started = time.perf_counter()
        with shared.cursor():
            pass
        warm_ms = (time.perf_counter() - started) * 1000

    time.sleep(shared.idle_seconds + 0.3)  # the app idle: its connection closed
    started = time.perf_counter()
    info = subprocess.run(
        [sys.executable, "-m", "analytics", "info", "--db", str(db)], cwd=ROOT, capture_output=True, check=False
    )
    cli_info_s = time.perf_counter() - started

    renders: list[tuple[float, bool]] = []
    started = time.perf_counter()
    proc = _import(db, csv)
    while proc.poll() is None:
        renders.append(_render(at))
    import_s = time.perf_counter() - started
    _, err = proc.communicate()
    done = time.perf_counter()
    while _count() == before and time.perf_counter() - done < 120:
        time.sleep(0.05)
    visible_after_s = time.perf_counter() - done
    after = _count()

    times = [t for t, _ in renders]
    return {
        "rows_imported": after - before,
        "import_exit_code": proc.returncode,
        "import_error": err.strip().splitlines()[-1] if proc.returncode else "",
        "idle_render_s": round(idle, 3),
        "during_import": {
            "renders": len(renders),
            "median_s": round(statistics.median(times), 3) if times else None,
            "max_s": round(max(times), 3) if times else None,
            "max_ratio": round(max(times) / idle, 1) if times else None,
            "errors": sum(1 for _, e in renders if e),
        },
        "import_s": round(import_s, 2),
        "import_alone_s": round(import_alone_s, 2),
        "visible_after_s": round(visible_after_s, 3),
        "open_ms": round(open_ms, 1),
        "warm_cursor_ms": round(warm_ms, 3),
        "cli_info_s": round(cli_info_s, 2),
        "cli_info_exit_code": info.returncode,
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), ensure_ascii=False, indent=2))
